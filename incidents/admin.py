from django.contrib import admin

from incidents.models import Incident


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    """Administrators see only the anonymised outline: details stay with the agency."""

    list_display = ["reference", "agency", "category", "status", "reported_at"]
    list_filter = ["status", "category"]
    fields = ["agency", "category", "status", "reported_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
