from django.contrib import admin

from reminders.models import Reminder, ReminderRule


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "enabled", "days_before", "repeat_after_days"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "rule", "status", "sent_at"]
    list_filter = ["status", "rule"]
    list_select_related = ["recipient", "rule"]
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
