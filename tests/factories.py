import datetime

import factory
from django.utils import timezone
from faker import Faker

from accounts.models import Role, User
from agencies.models import Agency, Membership, Sector
from champions.models import ConfirmationRound, EsigMembership, ListConfirmation, Nomination

FAKE = Faker("en_GB")
PASSWORD = "correct-horse-battery"  # noqa: S105 - test accounts only


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    # Names as people type them, with a typographic apostrophe (O’Brien): pages escape a straight
    # one, so a test looking for the name in a page would not find it.
    full_name = factory.LazyFunction(lambda: FAKE.name().replace("'", "\u2019"))
    job_title = "Safeguarding officer"
    role = Role.MEMBER

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    sector = Sector.EDUCATION
    executive_lead = factory.SubFactory(UserFactory, job_title="Headteacher")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    agency = factory.SubFactory(AgencyFactory)
    user = factory.SubFactory(UserFactory)
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
    esig_membership = EsigMembership.ASSOCIATE


class ConfirmationRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConfirmationRound

    year = factory.LazyFunction(lambda: timezone.localdate().year)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=28))
    opened_by = factory.SubFactory(UserFactory, role=Role.SECRETARIAT)


class ListConfirmationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListConfirmation

    round = factory.SubFactory(ConfirmationRoundFactory)
    agency = factory.SubFactory(AgencyFactory)


# --- incidents ---------------------------------------------------------------------------


class IncidentFactory(factory.django.DjangoModelFactory):
    """A reported (submitted) cyberbullying incident the agency handles itself."""

    class Meta:
        model = "incidents.Incident"

    agency = factory.SubFactory(AgencyFactory)
    reporter = factory.SubFactory(UserFactory)
    status = "reported"
    step_reached = "review"
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    discovered_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    location = "school"
    technology = "phone"
    platform = "Snapchat"
    category = "cyberbullying"
    description = "Hurtful messages about a Year 8 pupil in a class group chat."
    illegal = False
    online_sexual_abuse = False
    csam_online = False
    staff_involved = False
    child_at_risk = False
    reported_at = factory.LazyFunction(timezone.now)


class PersonInvolvedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incidents.PersonInvolved"

    incident = factory.SubFactory(IncidentFactory)
    role = "child"
    age_band = "13-15"
    involvement = "affected"


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incidents.Referral"

    incident = factory.SubFactory(IncidentFactory)
    agency_type = "police"
    required = True


# --- actionplan -------------------------------------------------------------------------


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplan.Plan"
        django_get_or_create = ("name", "period")

    name = "E-safety strategy action plan"
    period = "2025-27"
    is_current = True


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplan.Priority"

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Strategic priority {n + 1}")


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplan.Objective"

    priority = factory.SubFactory(PriorityFactory)
    number = factory.LazyAttributeSequence(lambda o, n: f"{o.priority.number}.{n + 1}")
    title = "Raise awareness of e-safety across the partnership"


class ActionFactory(factory.django.DjangoModelFactory):
    """An action made through the service, so its first status is in the history."""

    class Meta:
        model = "actionplan.Action"

    objective = factory.SubFactory(ObjectiveFactory)
    action = factory.Sequence(lambda n: f"Deliver e-safety briefing number {n} to designated safeguarding leads")
    lead_text = "All agencies"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = "red"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from actionplan.services import action_create

        kwargs.setdefault("by", None)
        return action_create(**kwargs)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "esig.Meeting"

    held_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    title = "ESIG meeting"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "esig.Attendance"

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    capacity = "core"
    is_co_chair = False
    status = "present"


class TrainingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "esig.TrainingEvent"

    kind = "eslo"
    title = factory.Sequence(lambda n: f"ESLO training session {n + 1}")
    held_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    provider = "ESIG"
    audience = "staff"


class TrainingAttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "esig.TrainingAttendee"

    event = factory.SubFactory(TrainingEventFactory)
    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)


class AccessLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "locations.AccessLocation"

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Branch library {n + 1}")
    location_type = "library"
    filtering = True
    monitoring = True
    age_filtering = True
    responsible_person = "Branch librarian"
    last_checked_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
