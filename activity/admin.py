from django.contrib import admin

from activity.models import Action, ActivityEvent
from activity.services import activity_record


@admin.register(ActivityEvent)
class ActivityEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_id", "agency"]
    list_filter = ["action"]
    search_fields = ["actor_label", "summary", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoleChangesRecorded:
    """For the admin of a model that grants access (nominations, memberships, groups): every change
    made there is a role change in the audit trail, like one made in the portal's own pages."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        what = ", ".join(form.changed_data) if change else "added"
        activity_record(Action.ROLE_CHANGED, request=request, obj=obj, summary=f"{obj} ({what}, in the admin site)")

    def delete_model(self, request, obj):
        activity_record(Action.ROLE_CHANGED, request=request, obj=obj, summary=f"{obj} (deleted in the admin site)")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            activity_record(Action.ROLE_CHANGED, request=request, obj=obj, summary=f"{obj} (deleted in the admin site)")
        super().delete_queryset(request, queryset)
