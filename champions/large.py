"""Large data set: champions for the added agencies, former champions, and years of list confirmations.

Most agencies have one champion (some two), chosen from their own staff; about one in eight has
none at the moment, and about a third had a champion before who has since stood down. Every
agency answered each earlier year's request to confirm its list; this year's round is still
open, with a share of agencies yet to answer.
"""

import datetime
from collections import defaultdict

from accounts.large import at, bulk_insert, secretariat, years_before
from agencies.models import Agency, Membership
from champions.models import ConfirmationRound, ConfirmationStatus, EsigMembership, ListConfirmation, Nomination

END_REASONS = [
    "Left the agency",
    "Changed role",
    "Retired",
    "Stood down; a new champion is being found",
    "Maternity leave",
]


def seed(ctx):
    rng, today = ctx.rng, ctx.today
    by = secretariat(ctx)
    nominated = set(Nomination.objects.values_list("agency_id", flat=True))
    agencies = [a for a in Agency.objects.select_related("executive_lead").order_by("pk") if a.pk not in nominated]
    staff = defaultdict(list)
    for m in Membership.objects.filter(agency__in=agencies).select_related("user").order_by("pk"):
        staff[m.agency_id].append(m)
    rows = []
    for agency in agencies:
        people = staff[agency.pk] or []
        current_staff = [m for m in people if m.ended_at is None]
        archived_on = agency.archived_at.date() if agency.archived_at else None
        lead_name = agency.executive_lead.full_name if agency.executive_lead else ""
        title = "ESLO" if agency.sector in ("youth", "library") else rng.choice(["E-safety champion"] * 3 + ["DSL"])
        # The agency's champions now (none for about one in eight)...
        count = 0 if rng.random() < 0.12 else (2 if rng.random() < 0.25 else 1)
        chosen = rng.sample(current_staff, k=min(count, len(current_staff)))
        if count and not chosen and agency.executive_lead:
            chosen = [None]  # a small agency whose executive lead is its own champion
        latest_start = today
        for membership in chosen:
            user = membership.user if membership else agency.executive_lead
            joined = membership.started_at.date() if membership else today - datetime.timedelta(days=2000)
            joined = max(joined, agency.joined_on)  # nominated once the agency is in the partnership
            started = joined + datetime.timedelta(days=rng.randint(0, max(0, (today - joined).days - 14)))
            if archived_on:
                started = min(started, archived_on - datetime.timedelta(days=rng.randint(60, 900)))
            latest_start = min(latest_start, started)
            rows.append(
                _nomination(
                    ctx,
                    agency,
                    user,
                    title=title,
                    started=started,
                    ended=archived_on,
                    end_reason="The agency closed" if archived_on else "",
                    lead_name=lead_name,
                    by=by,
                )
            )
        # ...and the one before, for about a third of agencies.
        if people and rng.random() < 0.35:
            leavers = [m for m in people if m.ended_at is not None] or people
            former = rng.choice(leavers)
            if former.user not in [m.user for m in chosen if m]:
                ended = min(
                    latest_start - datetime.timedelta(days=rng.randint(1, 120)),
                    former.ended_at.date() if former.ended_at else today,
                )
                started = max(former.started_at.date(), ended - datetime.timedelta(days=rng.randint(200, 1800)))
                if started <= ended:
                    rows.append(
                        _nomination(
                            ctx,
                            agency,
                            former.user,
                            title=title,
                            started=started,
                            ended=ended,
                            end_reason=rng.choice(END_REASONS),
                            lead_name=lead_name,
                            by=by,
                        )
                    )
    bulk_insert(Nomination, rows)
    rounds = _confirmation_rounds(ctx, by)
    ctx.log.append(
        f"Large: {Nomination.objects.count()} nominations ({Nomination.objects.current().count()} current), "
        f"{Agency.objects.active().without_champion().count()} active agencies without a champion, "
        f"{rounds} confirmation rounds"
    )


def _nomination(ctx, agency, user, *, title, started, ended, end_reason, lead_name, by) -> Nomination:
    rng = ctx.rng
    return Nomination(
        agency=agency,
        user=user,
        title=title,
        nominated_by=lead_name,
        started_on=started,
        ended_on=ended,
        end_reason=end_reason if ended else "",
        esig_membership=EsigMembership.ASSOCIATE if rng.random() < 0.6 else EsigMembership.NONE,
        is_co_chair=False,
        created_by=by,
        created_at=at(started, 11),
        updated_at=at(ended or started, 11),
    )


def _confirmation_rounds(ctx, by) -> int:
    """A round for each earlier year, and every agency's answer in each round, the demo's too."""
    rng, today = ctx.rng, ctx.today
    current = ConfirmationRound.objects.filter(year=today.year).first()
    template_opened = current.opened_on if current else today - datetime.timedelta(days=12)
    new_rounds = []
    for back in range(1, ctx.sizes.years):
        year = today.year - back
        if ConfirmationRound.objects.filter(year=year).exists():
            continue
        opened = years_before(template_opened, back)
        new_rounds.append(
            ConfirmationRound(
                year=year,
                opened_on=opened,
                due_on=opened + datetime.timedelta(days=28),
                opened_by=by,
                message="Please also tell us about any champion who is due to leave this year.",
                created_at=at(opened, 9),
            )
        )
    bulk_insert(ConfirmationRound, new_rounds)
    answered = set(ListConfirmation.objects.values_list("round_id", "agency_id"))
    agencies = list(Agency.objects.select_related("executive_lead").order_by("pk"))
    rows = []
    for confirmation_round in ConfirmationRound.objects.order_by("year"):
        is_open = confirmation_round.year == today.year
        for agency in agencies:
            if (confirmation_round.pk, agency.pk) in answered:
                continue
            if not agency.is_member_on(confirmation_round.opened_on) or (
                agency.archived_at and agency.archived_at.date() < confirmation_round.opened_on
            ):
                continue
            replied = not is_open or rng.random() < 0.6
            replied_on = min(
                today - datetime.timedelta(days=1),
                confirmation_round.opened_on + datetime.timedelta(days=rng.randint(1, 40)),
            )
            rows.append(
                ListConfirmation(
                    round=confirmation_round,
                    agency=agency,
                    status=(ConfirmationStatus.CORRECTED if rng.random() < 0.2 else ConfirmationStatus.CONFIRMED)
                    if replied
                    else ConfirmationStatus.PENDING,
                    responded_by=agency.executive_lead if replied else None,
                    responded_at=at(replied_on, rng.randint(8, 17), rng.randint(0, 59)) if replied else None,
                    note="A new champion starts next term." if replied and rng.random() < 0.05 else "",
                )
            )
    bulk_insert(ListConfirmation, rows)
    return ConfirmationRound.objects.count()
