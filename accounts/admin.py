from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

from accounts.models import IdentityProvider, SignInDomain, User
from activity.admin import RoleChangesRecorded
from activity.models import Action
from activity.services import activity_record
from esafety import figures
from esafety.admin import FiguresAdmin


@admin.register(User)
class UserAdmin(FiguresAdmin, BaseUserAdmin):
    figure_areas = (figures.REGISTER,)  # people's names, e-mails and telephones are in the lists and figures
    ordering = ["full_name"]
    list_display = ["full_name", "email", "role", "is_active", "last_login", "last_login_method"]
    readonly_fields = ["last_login_method"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["full_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title", "phone"]}),
        ("Access", {"fields": ["role", "is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "last_login_method", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "role", "password1", "password2"]})]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        watched = {"role", "is_active", "is_staff", "is_superuser", "groups", "user_permissions"}
        changed = sorted(watched.intersection(form.changed_data))
        if changed:
            activity_record(
                Action.ROLE_CHANGED,
                request=request,
                obj=obj,
                summary=f"{obj.email}: {', '.join(changed)} now role={obj.role}, active={obj.is_active}",
            )

    def delete_model(self, request, obj):
        activity_record(Action.ROLE_CHANGED, request=request, obj=obj, summary=f"{obj.email} deleted in the admin site")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            activity_record(
                Action.ROLE_CHANGED, request=request, obj=obj, summary=f"{obj.email} deleted in the admin site"
            )
        super().delete_queryset(request, queryset)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(RoleChangesRecorded, BaseGroupAdmin):
    """Groups carry permissions: each change is a role change in the audit trail."""


@admin.register(IdentityProvider)
class IdentityProviderAdmin(RoleChangesRecorded, admin.ModelAdmin):
    """A provider decides who may sign in: each change is in the audit trail."""

    list_display = ["name", "slug", "issuer", "enabled"]
    fields = ["name", "slug", "issuer", "client_id", "client_secret", "enabled"]


@admin.register(SignInDomain)
class SignInDomainAdmin(RoleChangesRecorded, admin.ModelAdmin):
    """Linking, enforcing or creating staff accounts changes who may sign in: each change is in the trail."""

    list_display = ["domain", "agency", "provider", "enforced", "staff_accounts"]
    list_select_related = ["agency"]
    search_fields = ["domain", "agency__name"]
