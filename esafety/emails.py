"""E-mails as template sets: ``templates/emails/<name>/subject.txt, body.txt, body.html``."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string


def render_email(name: str, context: dict) -> tuple[str, str, str]:
    context = {"partnership_name": settings.PARTNERSHIP_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(_render_plain(f"emails/{name}/subject.txt", context).split())
    text = _render_plain(f"emails/{name}/body.txt", context)
    html = render_to_string(f"emails/{name}/body.html", context)
    return subject, text, html


def _render_plain(template_name: str, context: dict) -> str:
    """Plain text is not HTML: no escaping, so "Children's Homes" reads as written."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def send_templated_email(name: str, *, to: list[str], context: dict, cc: list[str] | None = None) -> int:
    subject, text, html = render_email(name, context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to, cc=cc or [])
    message.attach_alternative(html, "text/html")
    return message.send()


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
