from django.contrib import admin

from esafety import figures
from esafety.admin import FiguresAdmin
from reports.models import AnnualReport


@admin.register(AnnualReport)
class AnnualReportAdmin(FiguresAdmin):
    figure_areas = (figures.REPORTS,)
    list_display = ["year", "version", "status", "is_board_version", "generated_by", "created_at"]
    list_select_related = ["generated_by"]
    readonly_fields = [f.name for f in AnnualReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
