from django.contrib import admin

from esafety import figures
from esafety.admin import FiguresAdmin
from esig.models import Rules


@admin.register(Rules)
class RulesAdmin(FiguresAdmin):
    figure_areas = (figures.ESIG,)
    list_display = ["__str__", "min_meetings_per_year", "training_valid_months", "updated_at"]

    def has_delete_permission(self, request, obj=None):
        return False
