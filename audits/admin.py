from django.contrib import admin

from audits.models import AuditReturn, Cycle, StatusChange, Template, TemplateVersion
from esafety import figures
from esafety.admin import FiguresAdmin


@admin.register(Template)
class TemplateAdmin(FiguresAdmin):
    figure_areas = (figures.AUDITS,)
    list_display = ["name", "slug", "kind"]


@admin.register(TemplateVersion)
class TemplateVersionAdmin(FiguresAdmin):
    figure_areas = (figures.AUDITS,)
    list_display = ["name", "number", "created_at"]
    readonly_fields = ["content_hash"]


@admin.register(Cycle)
class CycleAdmin(FiguresAdmin):
    figure_areas = (figures.AUDITS,)
    list_display = ["template", "year", "opens_on", "due_on", "lock_at_due"]
    list_select_related = ["template"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "reason", "by", "at"]
    can_delete = False


class CycleFilter(admin.RelatedFieldListFilter):
    """The cycles to filter by, named with their template's name in one query."""

    def field_choices(self, field, request, model_admin):
        return [(cycle.pk, str(cycle)) for cycle in Cycle.objects.select_related("template")]


@admin.register(AuditReturn)
class AuditReturnAdmin(FiguresAdmin):
    figure_areas = (figures.AUDITS,)
    list_display = ["agency", "cycle", "status"]
    list_filter = ["status", ("cycle", CycleFilter)]
    list_select_related = ["agency", "cycle__template"]
    readonly_fields = ["version"]
    inlines = [StatusChangeInline]
