from django.utils.module_loading import import_string

from accounts import permissions
from activity.models import Action, ActivityEvent
from agencies.models import Agency, Membership

# Other parts of the work add a section to the agency page: ``(agency, user) -> dict | None``
# with a ``template`` to include and its context (``None``: nothing for this user).
AGENCY_SECTIONS: list[str] = [
    "actionplan.home.agency_section",
    "audits.home.agency_section",
    "incidents.home.agency_section",
    "esig.home.agency_section",
    "locations.home.agency_section",
]


def agency_page(*, agency: Agency, user) -> dict:
    """What the agency page shows this user: a fixed handful of queries."""
    from champions.models import ListConfirmation, Nomination

    may_manage_people = permissions.may_manage_agency_people(user, agency.pk)
    context = {
        "agency": agency,
        "champions": list(Nomination.objects.current().filter(agency=agency).select_related("user")),
        "manages_register": permissions.manages_register(user),
        "may_manage_people": may_manage_people,
        "answers_for_agency": permissions.answers_for_agency(user, agency.pk),
        # Its champions bring in the agency's own incident log; the secretariat any agency's.
        "imports_incident_log": permissions.manages_register(user)
        or agency.pk in permissions.agency_roles(user).ids(permissions.CHAMPION),
        "staff": [],
        "pending_confirmation": None,
    }
    if context["manages_register"]:
        # The agency's history of joining and leaving dates: how each was set, by whom.
        context["membership_history"] = list(
            ActivityEvent.objects.filter(agency=agency, action=Action.MEMBERSHIP_DATES_CHANGED)[:20]
        )
    if may_manage_people:
        context["staff"] = list(Membership.objects.active().filter(agency=agency).select_related("user"))
    if context["answers_for_agency"] or context["manages_register"]:
        context["pending_confirmation"] = (
            ListConfirmation.objects.filter(agency=agency, status="pending").select_related("round").first()
        )
    context["sections"] = [section for dotted in AGENCY_SECTIONS if (section := import_string(dotted)(agency, user))]
    return context
