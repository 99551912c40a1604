"""The "Incidents" link in the main navigation, shown to those who can use it."""

from django import template
from django.urls import reverse

from incidents import access

register = template.Library()


@register.simple_tag(takes_context=True)
def incidents_nav_url(context) -> str:
    """Where "Incidents" leads this user ('' when it is not for them)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    if access.sees_monitoring(user):
        return reverse("incidents:monitoring")
    if access.may_log_incidents(user) or user.is_safeguarding_lead:
        return reverse("incidents:list")
    return ""
