"""Demo step: two years of ESIG meetings (quorate and not, one without a co-chair) and training records."""

import datetime

from champions.models import Nomination
from esig import selectors, services
from esig.models import (
    AgendaItem,
    Attendance,
    Audience,
    Meeting,
    Rules,
    TrainingAttendee,
    TrainingEvent,
    TrainingHeadcount,
    TrainingKind,
)

# days from today, what happened
MEETINGS = [
    (-700, "quorate"),
    (-610, "too_few"),
    (-520, "quorate"),
    (-430, "cancelled"),
    (-340, "quorate"),
    (-250, "no_co_chair"),
    (-160, "quorate"),
    (-70, "quorate"),
    (-14, "quorate"),
    (21, "scheduled"),
    (110, "scheduled"),
]

AGENDA = [
    ("Minutes of the last meeting and matters arising", "", "Agreed as a true record."),
    (
        "Action plan: red and overdue actions",
        "Leads reported progress on the overdue actions.",
        "Leads to update their actions before the next meeting.",
    ),
    (
        "Incident monitoring figures for the quarter",
        "Cyberbullying reports rose in secondary schools.",
        "Education improvement service to brief DSLs.",
    ),
    (
        "Champions' training",
        "Several champions' training expires this year.",
        "Secretariat to arrange an ESLO refresher session.",
    ),
]


def _statuses(plan: str, members: dict, rng) -> dict[int, str]:
    statuses = {}
    chairs = [uid for uid, m in members.items() if m["is_co_chair"]]
    others = [uid for uid in members if uid not in chairs]
    rng.shuffle(others)
    if plan == "quorate":
        for uid in chairs[:1]:
            statuses[uid] = "present"
        for uid in chairs[1:]:
            statuses[uid] = "apologies"
        for i, uid in enumerate(others):
            # associate members attend when asked: the rest are simply not recorded
            if i < 5:
                statuses[uid] = "present"
            elif members[uid]["capacity"] == "core":
                statuses[uid] = "apologies"
    elif plan == "no_co_chair":
        for uid in chairs:
            statuses[uid] = "apologies"
        for i, uid in enumerate(others):
            if i < 5 or members[uid]["capacity"] == "core":
                statuses[uid] = "present" if i < 5 else "absent"
    elif plan == "too_few":
        for uid in chairs[:1]:
            statuses[uid] = "present"
        for i, uid in enumerate(others):
            if i < 2 or members[uid]["capacity"] == "core":
                statuses[uid] = "present" if i < 2 else "apologies"
    return statuses


def seed(ctx):
    Rules.current()
    secretariat = ctx.users["secretariat"]
    for offset, plan in MEETINGS:
        held_on = ctx.today + datetime.timedelta(days=offset)
        meeting = Meeting.objects.filter(held_on=held_on, title="ESIG meeting").first()
        if meeting is not None:
            continue
        meeting = services.meeting_create(
            held_on=held_on, by=secretariat, starts_at=datetime.time(10, 0), venue="Civic Centre, Committee Room 2"
        )
        if plan == "cancelled":
            services.meeting_cancel(meeting=meeting, reason="Too few members could attend", by=secretariat)
            continue
        if plan == "scheduled":
            continue
        members = selectors.esig_members_on(held_on)
        services.attendance_record(meeting=meeting, statuses=_statuses(plan, members, ctx.rng), by=secretariat)
        services.guest_add(
            meeting=meeting, name="Dan Hollis", organisation="South West Grid for Learning", by=secretariat
        )
        for title, discussion, decision in AGENDA:
            services.agenda_item_add(
                meeting=meeting, title=title, discussion=discussion, decision=decision, by=secretariat
            )
        services.minutes_save(
            meeting=meeting,
            text="The group reviewed the action plan, the quarter's incident figures and champions' training. "
            "Decisions are recorded against each agenda item.",
            by=secretariat,
        )
    _seed_training(ctx)
    summary = selectors.meetings_summary(ctx.today.year)
    ctx.log.append(
        f"ESIG meetings this year: {summary['held']} held, {summary['quorate']} quorate "
        f"(minimum {summary['minimum']}); attendances recorded: {Attendance.objects.count()}; "
        f"agenda items: {AgendaItem.objects.count()}"
    )


TRAINING = [
    # days ago, kind, title, provider, audience, share of champions trained (named), head counts
    (1300, TrainingKind.ESLO, "ESLO training: roles and responsibilities", "ESIG with SWGfL", Audience.STAFF, 0.4, 0),
    (1050, TrainingKind.ESLO, "ESLO training for new champions", "ESIG", Audience.STAFF, 0.3, 0),
    (400, TrainingKind.CEOP, "CEOP Thinkuknow ambassador training", "CEOP Education", Audience.STAFF, 0.25, 0),
    (
        300,
        TrainingKind.AWARENESS,
        "Keeping children safe online: parents' evening",
        "Northfield Academy",
        Audience.PARENTS,
        0,
        46,
    ),
    (
        180,
        TrainingKind.AWARENESS,
        "Online safety assembly programme",
        "Exampleshire Police",
        Audience.YOUNG_PEOPLE,
        0,
        320,
    ),
    (
        60,
        TrainingKind.AWARENESS,
        "Online safety briefing for youth workers",
        "Exampleshire Youth Service",
        Audience.STAFF,
        0,
        28,
    ),
    (25, TrainingKind.ESLO, "ESLO refresher training", "ESIG", Audience.STAFF, 0.3, 0),
]


def _seed_training(ctx):
    secretariat = ctx.users["secretariat"]
    champions = list(Nomination.objects.current().select_related("user", "agency").order_by("agency__name", "pk"))
    for days, kind, title, provider, audience, share, heads in TRAINING:
        held_on = ctx.today - datetime.timedelta(days=days)
        event, created = TrainingEvent.objects.get_or_create(
            title=title,
            held_on=held_on,
            defaults={"kind": kind, "provider": provider, "audience": audience, "created_by": secretariat},
        )
        if not created:
            continue
        others = [n for n in champions if n.user != ctx.users["champion"]]
        picked = ctx.rng.sample(others, k=int(len(others) * share)) if share else []
        if days == 1050:  # the demo champion's training runs out in about six weeks
            picked += [n for n in champions if n.user == ctx.users["champion"]][:1]
        seen = set()
        for n in picked:
            if n.user_id in seen:
                continue
            seen.add(n.user_id)
            TrainingAttendee.objects.create(event=event, user=n.user, agency=n.agency, recorded_by=secretariat)
        if heads:
            agencies = ctx.rng.sample(sorted(ctx.agencies.values(), key=lambda a: a.name), k=3)
            split = [heads // 2, heads // 3, heads - heads // 2 - heads // 3]
            for agency, people in zip(agencies, split, strict=True):
                TrainingHeadcount.objects.create(event=event, agency=agency, people=people, recorded_by=secretariat)
