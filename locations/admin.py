from django.contrib import admin

from esafety import figures
from esafety.admin import FiguresAdmin
from locations.models import AccessLocation


@admin.register(AccessLocation)
class AccessLocationAdmin(FiguresAdmin):
    figure_areas = (figures.LOCATIONS,)
    list_display = ["name", "agency", "location_type", "filtering", "monitoring", "last_checked_on", "archived_at"]
    list_filter = ["location_type", "filtering", "monitoring"]
    search_fields = ["name", "agency__name"]
    list_select_related = ["agency"]

    def has_delete_permission(self, request, obj=None):
        return False  # archive instead: the register keeps its history
