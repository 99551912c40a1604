from django.contrib import admin

from activity.admin import RoleChangesRecorded
from agencies.models import Agency, Membership
from esafety import figures
from esafety.admin import FiguresAdmin


@admin.register(Agency)
class AgencyAdmin(RoleChangesRecorded, FiguresAdmin):
    figure_areas = (figures.REGISTER,)
    list_display = ["name", "sector", "membership_type", "executive_lead", "joined_on", "left_on", "archived_at"]
    list_filter = ["sector", "membership_type"]
    search_fields = ["name"]
    list_select_related = ["executive_lead"]


@admin.register(Membership)
class MembershipAdmin(RoleChangesRecorded, FiguresAdmin):
    figure_areas = (figures.REGISTER,)
    list_display = ["user", "agency", "started_at", "ended_at"]
    list_select_related = ["user", "agency"]
    search_fields = ["user__full_name", "agency__name"]
