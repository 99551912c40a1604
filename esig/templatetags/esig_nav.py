"""The "ESIG" link in the main navigation: for everyone who may read the ESIG's pages.

For a champion, whether they are a core member comes from their agency roles, which the page has
usually worked out already (they are kept for the request); otherwise it is one query.
"""

from django import template

from esig.access import reads_esig

register = template.Library()


@register.simple_tag(takes_context=True)
def esig_nav_shown(context) -> bool:
    user = context.get("user")
    return bool(user and user.is_authenticated and reads_esig(user))
