from django.contrib import admin

from actionplan.models import Action, Objective, Plan, Priority, ProgressUpdate, StatusChange
from esafety import figures
from esafety.admin import FiguresAdmin


@admin.register(Plan)
class PlanAdmin(FiguresAdmin):
    figure_areas = (figures.PLAN,)
    list_display = ["name", "period", "is_current", "archived_at"]


@admin.register(Priority)
class PriorityAdmin(FiguresAdmin):
    figure_areas = (figures.PLAN,)
    list_display = ["number", "title", "plan"]
    list_filter = ["plan"]
    list_select_related = ["plan"]


@admin.register(Objective)
class ObjectiveAdmin(FiguresAdmin):
    figure_areas = (figures.PLAN,)
    list_display = ["number", "title", "priority"]
    list_select_related = ["priority"]


@admin.register(Action)
class ActionAdmin(FiguresAdmin):
    figure_areas = (figures.PLAN,)
    list_display = ["ref", "action", "lead_agency", "lead_text", "status", "due_on", "ongoing", "archived_at"]
    list_filter = ["plan", "status"]
    list_select_related = ["lead_agency"]
    search_fields = ["ref", "action"]
    raw_id_fields = ["objective", "lead_agency", "lead_person"]
    # Status changes go through the service so the history is kept.
    readonly_fields = ["status"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(FiguresAdmin):
    figure_areas = (figures.PLAN,)
    list_display = ["action", "date", "by"]
    list_select_related = ["action", "by"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(FiguresAdmin):
    figure_areas = (figures.PLAN,)
    list_display = ["action", "old", "new", "by", "at"]
    list_select_related = ["action", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
