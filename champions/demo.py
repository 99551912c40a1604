import datetime

from django.utils import timezone

from accounts.demo import demo_user
from champions.models import ConfirmationRound, ConfirmationStatus, EsigMembership, ListConfirmation, Nomination

FIRST = [
    "Aisha",
    "Ben",
    "Chloe",
    "Daniel",
    "Ella",
    "Femi",
    "Gemma",
    "Harry",
    "Isla",
    "Jamal",
    "Katie",
    "Liam",
    "Maya",
    "Nathan",
    "Olivia",
    "Patrick",
    "Ruth",
    "Simon",
    "Tara",
    "Usman",
    "Vicky",
    "Will",
]
LAST = [
    "Ahmed",
    "Brooks",
    "Cole",
    "Dixon",
    "Evans",
    "Foster",
    "Gill",
    "Hughes",
    "Iqbal",
    "James",
    "Khan",
    "Lloyd",
    "Mills",
    "Nash",
    "O'Brien",
    "Palmer",
    "Quinn",
    "Rees",
    "Singh",
    "Turner",
    "Walsh",
    "Young",
]

# Agencies left without a current champion, so the coverage gap shows in the demo.
UNCOVERED = {
    "Exampleshire Housing Partnership",
    "Westbrook Scouts and Guides District",
    "Exampleshire Fire and Rescue Service",
}
CORE = {
    "Exampleshire County Council Children's Social Care",
    "Exampleshire Police",
    "Exampleshire Healthcare NHS Trust",
    "Exampleshire Education Improvement Service",
    "Exampleshire Youth Service",
    "Northfield Academy",
}
CO_CHAIRS = {"Exampleshire Police", "Exampleshire Education Improvement Service"}


def _nominate(agency, user, ctx, *, title, started_on, core, co_chair):
    nomination = Nomination.objects.filter(agency=agency, user=user).first()
    if nomination is None:
        nomination = Nomination.objects.create(
            agency=agency,
            user=user,
            title=title,
            nominated_by=agency.executive_lead.full_name if agency.executive_lead else "",
            started_on=started_on,
            esig_membership=EsigMembership.CORE if core else EsigMembership.ASSOCIATE,
            is_co_chair=co_chair,
            created_by=ctx.users["secretariat"],
        )
    return nomination


def seed(ctx):
    rng = ctx.rng
    for index, (name, agency) in enumerate(sorted(ctx.agencies.items())):
        if name in UNCOVERED:
            continue
        first, last = FIRST[index % len(FIRST)], LAST[(index * 7) % len(LAST)]
        user = demo_user(
            ctx,
            f"{first.lower()}.{last.lower().replace(chr(39), '')}@example.org",
            f"{first} {last}",
            job_title=rng.choice(
                ["Designated safeguarding lead", "Safeguarding manager", "E-safety officer", "Team leader"]
            ),
            phone=f"01632 {960000 + index * 37:06d}",
        )
        title = "ESLO" if agency.sector in ("youth", "library") else "E-safety champion"
        started = ctx.today - datetime.timedelta(days=rng.randint(120, 1400))
        _nominate(agency, user, ctx, title=title, started_on=started, core=name in CORE, co_chair=name in CO_CHAIRS)

    # The demo champion answers for a school and a small voluntary group (two agencies).
    champion = ctx.users["champion"]
    for name in ("Northfield Academy", "Safe Steps Family Support"):
        _nominate(
            ctx.agencies[name],
            champion,
            ctx,
            title="E-safety champion",
            started_on=ctx.today - datetime.timedelta(days=700),
            core=name in CORE,
            co_chair=False,
        )

    # A former champion, kept in the records.
    former = demo_user(ctx, "former.champion@example.org", "Gareth Lowe", job_title="Youth worker")
    nomination = _nominate(
        ctx.agencies["Eastgate Youth Club"],
        former,
        ctx,
        title="ESLO",
        started_on=ctx.today - datetime.timedelta(days=1500),
        core=False,
        co_chair=False,
    )
    if nomination.ended_on is None:
        nomination.ended_on = ctx.today - datetime.timedelta(days=200)
        nomination.end_reason = "Left the club"
        nomination.save(update_fields=["ended_on", "end_reason"])

    # Last year's round is complete; this year's is open with a mix of answers.
    secretariat = ctx.users["secretariat"]
    for year, opened, complete in (
        (ctx.today.year - 1, ctx.today - datetime.timedelta(days=380), True),
        (ctx.today.year, ctx.today - datetime.timedelta(days=12), False),
    ):
        confirmation_round, created = ConfirmationRound.objects.get_or_create(
            year=year,
            defaults={
                "opened_on": opened,
                "due_on": opened + datetime.timedelta(days=28),
                "opened_by": secretariat,
                "message": "Please also tell us about any champion who is due to leave this year.",
            },
        )
        if not created:
            continue
        for i, agency in enumerate(sorted(ctx.agencies.values(), key=lambda a: a.name)):
            answered = complete or (i % 3 != 0 and agency.name != "Northfield Academy")
            responder = agency.executive_lead
            ListConfirmation.objects.create(
                round=confirmation_round,
                agency=agency,
                status=(ConfirmationStatus.CORRECTED if i % 5 == 0 else ConfirmationStatus.CONFIRMED)
                if answered
                else ConfirmationStatus.PENDING,
                responded_by=responder if answered else None,
                responded_at=timezone.make_aware(
                    datetime.datetime.combine(
                        opened + datetime.timedelta(days=rng.randint(1, 20)), datetime.time(10, 30)
                    )
                )
                if answered
                else None,
            )
    ctx.log.append(f"Current champions: {Nomination.objects.current().count()}")
