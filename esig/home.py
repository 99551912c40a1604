"""ESIG meetings and training on the home page and on an agency's page."""

from django.utils import timezone

from accounts import permissions
from esig import selectors
from esig.access import reads_esig
from esig.models import Meeting, Rules
from esig.quorum import judge_meeting


def section(user) -> dict | None:
    """ESIG readers: next meeting, last meeting's quorum, this year against the minimum.
    Champions: when their training expires."""
    context = {"template": "esig/_home.html"}
    if reads_esig(user):
        today = timezone.localdate()
        rules = Rules.current()
        context["next_meeting"] = (
            Meeting.objects.not_cancelled().filter(held_on__gte=today).order_by("held_on", "starts_at").first()
        )
        last = (
            selectors.with_attendance_counts(Meeting.objects.held(today).filter(held_on__lt=today))
            .order_by("-held_on", "-pk")
            .first()
        )
        context["last_meeting"] = last
        context["last_quorum"] = judge_meeting(last, rules) if last else None
        summary = selectors.meetings_summary(today.year)
        context["summary"] = summary
        context["verdict"] = selectors.year_verdict(summary)
        context["manages"] = permissions.manages_register(user)
    if permissions.is_champion(user):
        context["training"] = selectors.user_training(user)
    return context if len(context) > 1 else None


def agency_section(agency, user) -> dict:
    rules = Rules.current()
    return {
        "template": "esig/_agency_section.html",
        "agency": agency,
        "champions": selectors.champions_training([agency.pk], rules=rules),
        "rules": rules,
    }
