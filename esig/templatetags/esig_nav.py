"""The "ESIG" link in the main navigation, for those who may read the group's records."""

from django import template

from esig.access import reads_esig

register = template.Library()


@register.simple_tag(takes_context=True)
def esig_nav_shown(context) -> bool:
    user = context.get("user")
    return bool(user and user.is_authenticated and reads_esig(user))
