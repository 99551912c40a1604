"""ESIG meetings and training on the home page and on an agency's page."""

from accounts import permissions
from esig import selectors
from esig.access import reads_esig
from esig.models import Rules
from esig.quorum import judge_meeting


def section(user) -> dict | None:
    """ESIG readers: next meeting, last meeting's quorum, this year against the minimum.
    Champions: when their training expires."""
    context = {"template": "esig/_home.html"}
    reader, champion = reads_esig(user), permissions.is_champion(user)
    if not (reader or champion):
        return None
    rules, meetings = selectors.home_meetings_for(user) if reader else (Rules.current(), None)
    if reader:
        last = meetings.last_meeting
        context["next_meeting"] = meetings.next_meeting
        context["last_meeting"] = last
        context["last_quorum"] = judge_meeting(last, rules) if last else None
        context["summary"] = meetings.summary
        context["verdict"] = selectors.year_verdict(meetings.summary)
        context["manages"] = permissions.manages_register(user)
        context["sees_training"] = permissions.sees_whole_partnership(user)
    if champion:
        context["training"] = selectors.user_training(user, rules=rules)
    return context


def agency_section(agency, user) -> dict:
    rules = Rules.current()
    return {
        "template": "esig/_agency_section.html",
        "agency": agency,
        "champions": selectors.champions_training([agency.pk], rules=rules),
        "rules": rules,
    }
