"""E-safety incidents, their chronology, referrals, history and view log.

Nothing here is ever deleted by a user: drafts are withdrawn, incidents are closed, and every
change is an append-only ``IncidentHistory`` row.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from incidents import flowchart


class Status(models.TextChoices):
    DRAFT = "draft", "Draft (not yet submitted)"
    REPORTED = "reported", "Reported, awaiting triage"
    IN_PROGRESS = "in_progress", "Triaged, in progress"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Draft withdrawn"


class Category(models.TextChoices):
    CYBERBULLYING = "cyberbullying", "Cyberbullying (including racist and homophobic)"
    GROOMING = "grooming", "Grooming"
    NUDES = flowchart.NUDES_CATEGORY, "Sharing of nudes or semi-nudes"
    INAPPROPRIATE = "inappropriate", "Exposure to inappropriate content"
    ILLEGAL = "illegal", "Illegal content"
    SEXTORTION = "sextortion", "Sextortion or blackmail"
    IDENTITY = "identity", "Identity theft or fraud"
    RADICALISATION = "radicalisation", "Radicalisation"
    STAFF_MISUSE = "staff_misuse", "Misuse by staff"
    MISINFORMATION = "misinformation", "Misinformation, disinformation or conspiracy theories"
    HARMFUL_CONTENT = "harmful_content", "Content promoting self-harm, suicide or eating disorders"
    PEER_PRESSURE = "peer_pressure", "Harmful pressure or contact from other users"
    GAMBLING = "gambling", "Online gambling"
    SCAMS = "scams", "Phishing, scams or inappropriate advertising"
    OTHER_CONTENT = "other_content", "Other harmful content"
    OTHER_CONTACT = "other_contact", "Other harmful contact"
    OTHER_CONDUCT = "other_conduct", "Other harmful conduct"
    OTHER_COMMERCE = "other_commerce", "Other commercial risk"
    # Reports made before categories belonged to an area of risk; not offered any more (see incidents.areas).
    OTHER = "other", "Other (reported before the areas of risk)"


class Technology(models.TextChoices):
    PHONE = "phone", "Mobile phone"
    TABLET = "tablet", "Tablet"
    COMPUTER = "computer", "Computer or laptop"
    CONSOLE = "console", "Games console"
    SMART = "smart", "Smart TV, speaker or watch"
    OTHER = "other", "Other or not known"


class Location(models.TextChoices):
    SCHOOL = "school", "School or college"
    HOME = "home", "Home"
    LIBRARY = "library", "Library"
    YOUTH_CLUB = "youth_club", "Youth club"
    CHILDRENS_HOME = "childrens_home", "Children's home"
    INTERNET_CAFE = "internet_cafe", "Internet café"
    PUBLIC = "public", "Public place or transport"
    HEALTH = "health", "Health setting"
    OTHER = "other", "Other or not known"


class ConcernLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Outcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved within the agency"
    SANCTION = "sanction", "Sanction under the acceptable use policy"
    SUPPORT = "support", "Support or early help for the child"
    REFERRED_NFA = "referred_nfa", "Referred, no further action"
    CHILD_PROTECTION = "child_protection", "Child protection enquiry or plan"
    CRIMINAL = "criminal", "Criminal investigation"
    STAFF_PROCESS = "staff_process", "Allegation or disciplinary process"
    OTHER = "other", "Other"


class PersonRole(models.TextChoices):
    CHILD = "child", "Child or young person"
    STAFF = "staff", "Member of staff"
    VOLUNTEER = "volunteer", "Volunteer"
    PARENT = "parent", "Parent or carer"
    ADULT = "adult", "Other adult"
    UNKNOWN = "unknown", "Not known (for example an online account)"


class AgeBand(models.TextChoices):
    UNDER_5 = "0-4", "Under 5"
    AGE_5_10 = "5-10", "5 to 10"
    AGE_11_12 = "11-12", "11 to 12"
    AGE_13_15 = "13-15", "13 to 15"
    AGE_16_17 = "16-17", "16 to 17"
    ADULT = "18+", "18 or over"
    UNKNOWN = "unknown", "Not known"


class Involvement(models.TextChoices):
    AFFECTED = "affected", "Affected (victim)"
    SUBJECT = "subject", "Subject of the concern"
    WITNESS = "witness", "Witness or reported it"


class ReferralAgency(models.TextChoices):
    POLICE = flowchart.POLICE, flowchart.REFERRAL_AGENCIES[flowchart.POLICE]
    CEOP = flowchart.CEOP, flowchart.REFERRAL_AGENCIES[flowchart.CEOP]
    IWF = flowchart.IWF, flowchart.REFERRAL_AGENCIES[flowchart.IWF]
    LADO = flowchart.LADO, flowchart.REFERRAL_AGENCIES[flowchart.LADO]
    SOCIAL_CARE = flowchart.SOCIAL_CARE, flowchart.REFERRAL_AGENCIES[flowchart.SOCIAL_CARE]


class ImportSource(models.TextChoices):
    """Where an imported incident came from (blank: reported in the portal)."""

    CPOMS = "cpoms", "CPOMS export"
    MYCONCERN = "myconcern", "MyConcern export"
    SPREADSHEET = "spreadsheet", "Agency's own spreadsheet"


def reference_for(pk: int) -> str:
    """An incident's reference as people quote it."""
    return f"INC-{pk:05d}"


class Incident(models.Model):
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="incidents")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incidents_reported")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    # The furthest step of the guided form the reporter has saved (see incidents.wizard).
    step_reached = models.CharField(max_length=16, default="when")

    occurred_on = models.DateField("when it happened", null=True, blank=True)
    discovered_on = models.DateField("when it was found or disclosed", null=True, blank=True)
    location = models.CharField("where", max_length=20, choices=Location.choices, blank=True)
    technology = models.CharField(max_length=16, choices=Technology.choices, blank=True)
    platform = models.CharField(
        "app, website or platform", max_length=120, blank=True, help_text="For example Snapchat, a game, a website."
    )
    category = models.CharField(max_length=20, choices=Category.choices, blank=True)
    description = models.TextField(blank=True)

    # The reporter's answers to the flow chart (None: not answered yet).
    illegal = models.BooleanField("illegal content or activity", null=True)
    online_sexual_abuse = models.BooleanField("online sexual abuse or grooming", null=True)
    csam_online = models.BooleanField("child sexual abuse images online", null=True)
    staff_involved = models.BooleanField("member of staff or volunteer involved", null=True)
    child_at_risk = models.BooleanField("child at risk of significant harm", null=True)
    nudes_factors = models.JSONField("nudes/semi-nudes factors", default=list, blank=True)
    handled_in_agency_rationale = models.TextField("rationale for handling it in the agency", blank=True)
    urgent = models.BooleanField(default=False)

    reported_at = models.DateTimeField(null=True, blank=True)
    concern_level = models.CharField(max_length=8, choices=ConcernLevel.choices, blank=True)
    concern_rationale = models.TextField(blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)

    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_detail = models.TextField(blank=True)
    lessons_learned = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set when the retention period has passed and the free text was removed (statistics stay).
    anonymised_at = models.DateTimeField(null=True, blank=True)
    imported_from = models.CharField(
        max_length=16,
        choices=ImportSource.choices,
        blank=True,
        help_text="Set on incidents brought in from an agency's log; blank for those reported in the portal.",
    )
    source_reference = models.CharField(
        "reference in the source system", max_length=80, blank=True, help_text="Matches the row on re-import."
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-reported_at", "-created_at"]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["reported_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "imported_from", "source_reference"],
                # Imported incidents only: the portal's own reports have no source to match on re-import.
                condition=~models.Q(imported_from="") & ~models.Q(source_reference=""),
                name="imported_incident_once_per_reference",
            )
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("incidents:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return reference_for(self.pk) if self.pk else "INC-new"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED

    def answers(self) -> dict:
        values = {q.key: getattr(self, q.key) for q in flowchart.QUESTIONS}
        return {**values, "category": self.category, "nudes_factors": self.nudes_factors}

    def assessment(self) -> flowchart.Assessment:
        return flowchart.assess(self.answers())

    @property
    def nudes_factor_labels(self) -> list[str]:
        return [flowchart.NUDES_FACTORS[k] for k in self.nudes_factors if k in flowchart.NUDES_FACTORS]


class PersonInvolved(models.Model):
    """Someone involved, described by role and age band: no names by default."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="people")
    role = models.CharField(max_length=16, choices=PersonRole.choices)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices)
    involvement = models.CharField(max_length=16, choices=Involvement.choices)
    note = models.CharField(
        max_length=200, blank=True, help_text="Anything that helps tell people apart, e.g. 'Year 9 pupil A'. No names."
    )
    # Set when the reporter removes the person from their draft: the row is kept.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.get_role_display()}, {self.get_age_band_display()} ({self.get_involvement_display()})"


class Referral(models.Model):
    """A referral to another agency; those the flow chart requires are created when the incident is reported."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="referrals")
    agency_type = models.CharField("referred to", max_length=16, choices=ReferralAgency.choices)
    required = models.BooleanField(default=False, help_text="Required by the flow chart.")
    referred_on = models.DateField(null=True, blank=True)
    reference = models.CharField("their reference", max_length=80, blank=True)
    outcome = models.TextField(blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalated_referrals",
        help_text="A partnership safeguarding lead who will see this incident.",
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Referral to {self.get_agency_type_display()}"

    @property
    def is_complete(self) -> bool:
        return self.referred_on is not None and bool(self.outcome.strip())


class ChronologyEntry(models.Model):
    """One action taken: who, when, what."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="chronology")
    happened_at = models.DateTimeField("when")
    action = models.TextField("what was done")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["happened_at", "pk"]
        verbose_name_plural = "chronology entries"

    def __str__(self):
        return f"{self.happened_at:%Y-%m-%d %H:%M} {self.action[:40]}"


class IncidentHistory(models.Model):
    """Append-only: who changed what, when."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="history")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    event = models.CharField(max_length=200)
    # [[what, old, new], ...] as text, in the order they were made.
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "incident history"

    def __str__(self):
        return f"{self.incident} {self.event}"

    def change(self, label: str) -> list[str] | None:
        """[old, new] of one change in this row, by its label."""
        return next(([old, new] for what, old, new in self.changes if what == label), None)
