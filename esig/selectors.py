import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from champions.models import EsigMembership, Nomination
from esig.models import (
    CHAMPION_TRAINING_KINDS,
    MEMBER_CAPACITIES,
    Attendance,
    AttendanceStatus,
    Audience,
    Meeting,
    Rules,
    TrainingAttendee,
    TrainingEvent,
    TrainingHeadcount,
)
from esig.quorum import judge_meeting


def with_attendance_counts(queryset):
    """Meetings annotated with what the quorum rule needs (one query, one join)."""
    present = Q(attendances__status=AttendanceStatus.PRESENT)
    return queryset.annotate(
        members_present=Count("attendances", filter=present & Q(attendances__capacity__in=MEMBER_CAPACITIES)),
        co_chairs_present=Count("attendances", filter=present & Q(attendances__is_co_chair=True)),
        attendance_recorded=Count("attendances"),
    )


def meetings_of_year(year: int, rules: Rules | None = None) -> list[Meeting]:
    """The year's meetings, oldest first, each with ``quorum`` set: one query."""
    rules = rules or Rules.current()
    meetings = list(with_attendance_counts(Meeting.objects.filter(held_on__year=year)).order_by("held_on", "pk"))
    for meeting in meetings:
        meeting.quorum = judge_meeting(meeting, rules)
    return meetings


def meetings_summary(year: int) -> dict:
    """For the annual report and the year view: meetings held, quorate count, and the yearly minimum."""
    rules = Rules.current()
    return summarise(year, meetings_of_year(year, rules), rules)


@dataclass
class HomeMeetings:
    next_meeting: Meeting | None
    last_meeting: Meeting | None
    summary: dict


def home_meetings(today: datetime.date, rules: Rules) -> HomeMeetings:
    """The next meeting, the last one held and the summary of this year's: one query.

    The query reads this year's meetings and, wherever they fall, the next and the last one.
    """
    next_pk = Meeting.objects.not_cancelled().filter(held_on__gte=today).order_by("held_on", "starts_at").values("pk")
    last_pk = Meeting.objects.held(today).filter(held_on__lt=today).order_by("-held_on", "-pk").values("pk")
    meetings = list(
        with_attendance_counts(
            Meeting.objects.filter(
                Q(held_on__year=today.year) | Q(pk=Subquery(next_pk[:1])) | Q(pk=Subquery(last_pk[:1]))
            )
        ).order_by("held_on", "pk")
    )
    upcoming = [m for m in meetings if not m.is_cancelled and m.held_on >= today]
    # As the database sorts: by date, then start time with meetings of no start time last.
    upcoming.sort(key=lambda m: (m.held_on, m.starts_at is None, m.starts_at or datetime.time.min))
    held = [m for m in meetings if not m.is_cancelled and m.held_on < today]
    last = max(held, key=lambda m: (m.held_on, m.pk)) if held else None
    this_year = [m for m in meetings if m.held_on.year == today.year]
    for meeting in this_year:
        meeting.quorum = judge_meeting(meeting, rules)
    return HomeMeetings(upcoming[0] if upcoming else None, last, summarise(today.year, this_year, rules))


def home_meetings_for(user) -> tuple[Rules, HomeMeetings]:
    """The rules and today's ``home_meetings``, read once per request (cached on the user, as
    ``agency_roles`` is): the home page's ESIG section and its "since the last meeting" share them."""
    cached = getattr(user, "_home_meetings", None)
    if cached is None:
        rules = Rules.current()
        cached = user._home_meetings = (rules, home_meetings(timezone.localdate(), rules))
    return cached


def summarise(year: int, meetings: list[Meeting], rules: Rules) -> dict:
    """The summary of meetings already fetched by ``meetings_of_year``."""
    today = timezone.localdate()
    held = [m for m in meetings if m.is_held]
    quorate = sum(1 for m in held if m.quorum.quorate)
    return {
        "year": year,
        "held": len(held),
        "quorate": quorate,
        "not_quorate": len(held) - quorate,
        "scheduled": sum(1 for m in meetings if not m.is_cancelled and m.held_on > today),
        "cancelled": sum(1 for m in meetings if m.is_cancelled),
        "minimum": rules.min_meetings_per_year,
        "met_minimum": len(held) >= rules.min_meetings_per_year,
        "in_progress": year >= today.year,
        "quorum_rule": rules.describe_quorum(),
    }


def year_verdict(summary: dict) -> str:
    """The yearly minimum in words."""
    held, minimum = summary["held"], summary["minimum"]
    meetings = f"{held} meeting{'s' if held != 1 else ''} held"
    if summary["met_minimum"]:
        return f"Minimum met: {meetings} (at least {minimum} a year)."
    if summary["in_progress"]:
        return f"Minimum not met yet: {meetings} so far, {summary['scheduled']} scheduled; at least {minimum} a year."
    return f"Minimum not met: {meetings}; at least {minimum} a year."


def esig_members_on(day: datetime.date) -> dict[int, dict]:
    """ESIG members on a date from the champions' nominations: user id → capacity and co-chair."""
    members: dict[int, dict] = {}
    nominations = (
        Nomination.objects.current(on=day)
        .exclude(esig_membership=EsigMembership.NONE)
        .select_related("user", "agency")
        .order_by("user__full_name")
    )
    for n in nominations:
        entry = members.setdefault(
            n.user_id, {"user": n.user, "capacity": n.esig_membership, "is_co_chair": False, "agencies": []}
        )
        if n.esig_membership == EsigMembership.CORE:
            entry["capacity"] = EsigMembership.CORE
        entry["is_co_chair"] = entry["is_co_chair"] or n.is_co_chair
        entry["agencies"].append(n.agency.name)
    return members


CAPACITY_ORDER = {"core": 0, "associate": 1, "guest": 2}


def meeting_attendance(meeting: Meeting) -> list[Attendance]:
    """Core members first (co-chairs at the top), then associate members, then invited guests."""
    attendances = list(meeting.attendances.select_related("user"))
    return sorted(attendances, key=lambda a: (CAPACITY_ORDER[a.capacity], not a.is_co_chair, a.name))


# --- training ----------------------------------------------------------------------


def training_valid_until(trained_on: datetime.date, rules: Rules) -> datetime.date:
    """The last day a champion's training counts (inclusive)."""
    return trained_on + relativedelta(months=rules.training_valid_months)


@dataclass(frozen=True)
class TrainingStatus:
    trained_on: datetime.date | None
    valid_until: datetime.date | None
    is_trained: bool

    @property
    def words(self) -> str:
        if self.trained_on is None:
            return "Not trained"
        if self.is_trained:
            return f"Trained — valid until {_uk(self.valid_until)}"
        return f"Training expired — it was valid until {_uk(self.valid_until)}"


def _uk(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def training_status(trained_on: datetime.date | None, rules: Rules, today: datetime.date | None = None):
    today = today or timezone.localdate()
    if trained_on is None:
        return TrainingStatus(None, None, False)
    valid_until = training_valid_until(trained_on, rules)
    return TrainingStatus(trained_on, valid_until, today <= valid_until)


def _last_champion_training(today):
    return (
        TrainingAttendee.objects.filter(
            user=OuterRef("user_id"),
            event__kind__in=CHAMPION_TRAINING_KINDS,
            event__archived_at__isnull=True,
            event__held_on__lte=today,
        )
        .order_by("-event__held_on")
        .values("event__held_on")[:1]
    )


def champions_training(
    agency_ids=None, *, today: datetime.date | None = None, rules: Rules | None = None
) -> list[Nomination]:
    """Current champions (of the agencies given, or all) with ``training`` set: one query (two without ``rules``)."""
    today = today or timezone.localdate()
    rules = rules or Rules.current()
    queryset = Nomination.objects.current(on=today).select_related("user", "agency")
    if agency_ids is not None:
        queryset = queryset.filter(agency__in=agency_ids)
    queryset = queryset.annotate(last_trained_on=Subquery(_last_champion_training(today)))
    nominations = list(queryset.order_by("agency__name", "user__full_name"))
    for n in nominations:
        n.training = training_status(n.last_trained_on, rules, today)
    return nominations


def user_training(user, *, today: datetime.date | None = None, rules: Rules | None = None) -> TrainingStatus:
    today = today or timezone.localdate()
    last = (
        TrainingAttendee.objects.filter(
            user=user,
            event__kind__in=CHAMPION_TRAINING_KINDS,
            event__archived_at__isnull=True,
            event__held_on__lte=today,
        )
        .order_by("-event__held_on")
        .values_list("event__held_on", flat=True)
        .first()
    )
    return training_status(last, rules or Rules.current(), today)


def training_totals(year: int) -> list[dict]:
    """People trained in the year by audience: named attendees, head counts and their sum (two queries)."""
    named = dict(
        TrainingAttendee.objects.filter(event__held_on__year=year, event__archived_at__isnull=True)
        .values_list("event__audience")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counted = dict(
        TrainingHeadcount.objects.filter(event__held_on__year=year, event__archived_at__isnull=True)
        .values_list("event__audience")
        .annotate(n=Sum("people"))
        .order_by()
    )
    rows = []
    for value, label in Audience.choices:
        rows.append(
            {
                "audience": label,
                "named": named.get(value, 0),
                "counted": counted.get(value, 0),
                "total": named.get(value, 0) + counted.get(value, 0),
            }
        )
    return rows


def training_events_of_year(year: int) -> list[TrainingEvent]:
    """The year's events with named attendees and head-count totals (one query: subqueries, no fan-out)."""
    named = (
        TrainingAttendee.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    counted = (
        TrainingHeadcount.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Sum("people"))
        .values("n")
    )
    return list(
        TrainingEvent.objects.filter(held_on__year=year, archived_at__isnull=True)
        .annotate(named=Coalesce(Subquery(named), 0), counted=Coalesce(Subquery(counted), 0))
        .order_by("-held_on", "-pk")
    )
