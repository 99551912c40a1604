from django.contrib import admin

from activity.admin import RoleChangesRecorded
from champions.models import ConfirmationRound, ListConfirmation, Nomination
from esafety import figures
from esafety.admin import FiguresAdmin


@admin.register(Nomination)
class NominationAdmin(RoleChangesRecorded, FiguresAdmin):
    figure_areas = (figures.REGISTER,)
    list_display = ["user", "agency", "title", "esig_membership", "is_co_chair", "started_on", "ended_on"]
    list_filter = ["esig_membership", "is_co_chair"]
    list_select_related = ["user", "agency"]
    search_fields = ["user__full_name", "agency__name"]


@admin.register(ConfirmationRound)
class ConfirmationRoundAdmin(FiguresAdmin):
    figure_areas = (figures.REGISTER,)
    list_display = ["year", "opened_on", "due_on"]


@admin.register(ListConfirmation)
class ListConfirmationAdmin(FiguresAdmin):
    figure_areas = (figures.REGISTER,)
    list_display = ["agency", "round", "status", "responded_at"]
    list_filter = ["status", "round"]
    list_select_related = ["agency", "round"]
