"""The "ESIG" link in the main navigation.

Shown to the partnership roles, which needs no query. Core members reach the ESIG from their home
page section instead: knowing who is a core member costs a query, and the navigation is on every page.
"""

from django import template

from accounts import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def esig_nav_shown(context) -> bool:
    user = context.get("user")
    return bool(user and user.is_authenticated and permissions.sees_whole_partnership(user))
