import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import user_get_or_invite
from agencies.models import Agency, Membership
from esafety import figures


def agency_archive(*, agency: Agency, by: User) -> Agency:
    """Archive rather than delete: an agency's history (returns, incidents) stays whole.

    An archived agency has left the partnership: if no leaving date was recorded, it left today.
    """
    if agency.archived_at is None:
        agency.archived_at = timezone.now()
        if agency.left_on is None:
            agency.left_on = max(timezone.localdate(), agency.joined_on)
        agency.save(update_fields=["archived_at", "left_on", "updated_at"])
        figures.bump(figures.REGISTER)
    return agency


def agency_restore(*, agency: Agency, by: User) -> Agency:
    """Back in the register: a leaving date that archiving set is cleared, one the secretariat set is kept."""
    if agency.archived_at is not None:
        if agency.left_on == timezone.localtime(agency.archived_at).date():
            agency.left_on = None
        agency.archived_at = None
        agency.save(update_fields=["archived_at", "left_on", "updated_at"])
        figures.bump(figures.REGISTER)
    return agency


@transaction.atomic
def membership_add(*, agency: Agency, email: str, full_name: str, job_title: str = "", by: User) -> Membership:
    """Add a member of staff to an agency, inviting them if they have no account yet."""
    user, _created = user_get_or_invite(email=email, full_name=full_name, job_title=job_title, invited_by=by)
    membership = Membership.objects.active().filter(user=user, agency=agency).first()
    if membership is None:
        membership = Membership.objects.create(user=user, agency=agency)
        figures.bump(figures.REGISTER)
    return membership


def membership_end(*, membership: Membership, by: User) -> Membership:
    if membership.ended_at is None:
        membership.ended_at = timezone.now()
        membership.save(update_fields=["ended_at"])
        figures.bump(figures.REGISTER)
    return membership


def agency_create(
    *,
    name: str,
    sector: str,
    membership_type: str = "member",
    executive_lead: User | None = None,
    joined_on: datetime.date | None = None,
    by: User,
) -> Agency:
    """Add an agency to the register; it joins the partnership on ``joined_on`` (by default today)."""
    dates = {"joined_on": joined_on} if joined_on else {}
    agency = Agency.objects.create(
        name=name.strip(), sector=sector, membership_type=membership_type, executive_lead=executive_lead, **dates
    )
    figures.bump(figures.REGISTER)
    return agency


def agency_update(*, agency: Agency, changes: dict, by: User) -> Agency:
    """Change an agency's register details (name, sector, member or partner, executive lead)."""
    unknown = set(changes) - {"name", "sector", "membership_type", "executive_lead"}
    if unknown:
        raise TypeError(f"agency_update() cannot change {sorted(unknown)}")
    for name, value in changes.items():
        setattr(agency, name, value)
    agency.save(update_fields=[*changes, "updated_at"])
    figures.bump(figures.REGISTER)
    return agency
