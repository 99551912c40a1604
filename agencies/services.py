import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from accounts.services import user_get_or_invite
from activity.models import Action
from activity.services import activity_record
from agencies.models import Agency, Membership
from esafety import figures


def agency_archive(*, agency: Agency, by: User) -> Agency:
    """Archive rather than delete: an agency's history (returns, incidents) stays whole.

    An archived agency has left the partnership: if no leaving date was recorded, it left today.
    """
    if agency.archived_at is None:
        was = {"left_on": agency.left_on}
        agency.archived_at = timezone.now()
        if agency.left_on is None:
            agency.left_on = max(timezone.localdate(), agency.joined_on)
        agency.save(update_fields=["archived_at", "left_on", "updated_at"])
        agency_dates_record(agency=agency, was=was, by=by, how="archived")
        figures.bump(figures.REGISTER)
    return agency


def agency_restore(*, agency: Agency, by: User) -> Agency:
    """Back in the register: a leaving date that archiving set is cleared, one the secretariat set is kept."""
    if agency.archived_at is not None:
        was = {"left_on": agency.left_on}
        if agency.left_on == timezone.localtime(agency.archived_at).date():
            agency.left_on = None
        agency.archived_at = None
        agency.save(update_fields=["archived_at", "left_on", "updated_at"])
        agency_dates_record(agency=agency, was=was, by=by, how="restored to the register")
        figures.bump(figures.REGISTER)
    return agency


@transaction.atomic
def membership_add(*, agency: Agency, email: str, full_name: str, job_title: str = "", by: User) -> Membership:
    """Add a member of staff to an agency, inviting them if they have no account yet."""
    user, _created = user_get_or_invite(email=email, full_name=full_name, job_title=job_title, invited_by=by)
    membership = Membership.objects.active().filter(user=user, agency=agency).first()
    if membership is None:
        membership = Membership.objects.create(user=user, agency=agency)
        activity_record(
            Action.ROLE_CHANGED, actor=by, obj=membership, agency=agency, summary=f"{user.email} joined {agency.name}"
        )
        figures.bump(figures.REGISTER)
    return membership


def membership_end(*, membership: Membership, by: User) -> Membership:
    if membership.ended_at is None:
        with transaction.atomic():
            membership.ended_at = timezone.now()
            membership.save(update_fields=["ended_at"])
            activity_record(
                Action.ROLE_CHANGED,
                actor=by,
                obj=membership,
                agency=membership.agency,
                summary=f"{membership.user.email} left {membership.agency.name}",
            )
            figures.bump(figures.REGISTER)
    return membership


def agency_create(
    *,
    name: str,
    sector: str,
    membership_type: str = "member",
    executive_lead: User | None = None,
    joined_on: datetime.date | None = None,
    left_on: datetime.date | None = None,
    by: User,
) -> Agency:
    """Add an agency to the register; it joins the partnership on ``joined_on`` (by default today)."""
    dates = {"joined_on": joined_on} if joined_on else {}
    if left_on:
        dates["left_on"] = left_on
    with transaction.atomic():
        agency = Agency.objects.create(
            name=name.strip(), sector=sector, membership_type=membership_type, executive_lead=executive_lead, **dates
        )
        if executive_lead is not None:
            activity_record(
                Action.ROLE_CHANGED,
                actor=by,
                obj=agency,
                summary=f"Executive lead of {agency.name}: {executive_lead.email}",
            )
        figures.bump(figures.REGISTER)
    return agency


def agency_update(*, agency: Agency, changes: dict, by: User, how: str = "") -> Agency:
    """Change an agency's register details (name, sector, member or partner, executive lead, membership dates).

    A change of its joining or leaving date goes on the agency's history, saying ``how`` it was made.
    """
    unknown = set(changes) - {"name", "sector", "membership_type", "executive_lead", "joined_on", "left_on"}
    if unknown:
        raise TypeError(f"agency_update() cannot change {sorted(unknown)}")
    was = {"joined_on": agency.joined_on, "left_on": agency.left_on}
    old_lead = agency.executive_lead if "executive_lead" in changes else None
    for name, value in changes.items():
        setattr(agency, name, value)
    with transaction.atomic():
        agency.save(update_fields=[*changes, "updated_at"])
        agency_dates_record(agency=agency, was=was, by=by, how=how)
        if "executive_lead" in changes and old_lead != agency.executive_lead:
            activity_record(
                Action.ROLE_CHANGED,
                actor=by,
                obj=agency,
                summary=f"Executive lead of {agency.name}: {old_lead.email if old_lead else 'none'} → "
                f"{agency.executive_lead.email if agency.executive_lead else 'none'}",
            )
        figures.bump(figures.REGISTER)
    return agency


def agency_dates_record(*, agency: Agency, was: dict, by: User | None, how: str = "") -> None:
    """Put a change of the agency's joining or leaving date on its history (``was``: the dates before)."""
    said = []
    for field, label in (("joined_on", "Joined the partnership on"), ("left_on", "Left the partnership on")):
        before, after = was.get(field), getattr(agency, field)
        if field in was and before != after:
            said.append(f"{label} {_day(after)} (was {_day(before)})")
    if said:
        summary = "; ".join(said) + (f": {how}" if how else "") + "."
        activity_record(Action.MEMBERSHIP_DATES_CHANGED, actor=by, obj=agency, agency=agency, summary=summary)


def _day(day: datetime.date | None) -> str:
    return date_format(day, "j F Y") if day else "not set"
