from django.contrib import admin

from audits.models import AuditReturn, Cycle, StatusChange, Template, TemplateVersion


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind"]


@admin.register(TemplateVersion)
class TemplateVersionAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "created_at"]
    readonly_fields = ["content_hash"]


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["template", "year", "opens_on", "due_on", "lock_at_due"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "reason", "by", "at"]
    can_delete = False


@admin.register(AuditReturn)
class AuditReturnAdmin(admin.ModelAdmin):
    list_display = ["agency", "cycle", "status"]
    list_filter = ["status", "cycle"]
    readonly_fields = ["version"]
    inlines = [StatusChangeInline]
