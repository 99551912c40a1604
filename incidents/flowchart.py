"""The incident flow chart, as data.

The questions the reporter answers, the steps each answer calls for and the referrals the
record then requires are declared below; ``assess(answers)`` is the one pure function that
reads them. Templates and services never re-implement the chart: they show and store what
``assess`` returns.

Sources: the integrated reporting procedure of the seeds' boards (illegal? staff involved?
child at risk? otherwise the agency handles it) and the UKCIS advice "Sharing nudes and
semi-nudes: advice for education settings working with children and young people".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# --- referral agencies -------------------------------------------------------------------

POLICE = "police"
CEOP = "ceop"
IWF = "iwf"
LADO = "lado"
SOCIAL_CARE = "social_care"

REFERRAL_AGENCIES: dict[str, str] = {
    POLICE: "Police",
    CEOP: "CEOP (Child Exploitation and Online Protection)",
    IWF: "IWF (Internet Watch Foundation)",
    LADO: "LADO (Local Authority Designated Officer)",
    SOCIAL_CARE: "Children's social care",
}

# --- the questions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    help_text: str = ""


QUESTIONS: tuple[Question, ...] = (
    Question(
        "illegal",
        "Is the content or activity illegal?",
        "For example child sexual abuse images; adult material that may breach the Obscene Publications Act; "
        "criminally racist or terrorist material; other criminal conduct such as grooming, blackmail or "
        "sextortion, fraud or harassment.",
    ),
    Question(
        "online_sexual_abuse",
        "Is it online sexual abuse or grooming of a child?",
        "Someone online trying to gain a child's trust in order to abuse them, or sexual abuse carried out online.",
    ),
    Question(
        "csam_online",
        "Are there child sexual abuse images or videos on a website or online service?",
        "Do not look for them, open them again or copy the address into another device.",
    ),
    Question(
        "staff_involved",
        "Is a member of staff or a volunteer the subject of the concern?",
        "Someone who works or volunteers with children, whose own conduct is the concern.",
    ),
    Question(
        "child_at_risk",
        "Is a child at risk of significant harm?",
        "A child who has suffered, or is likely to suffer, significant harm (Children Act 1989, section 47).",
    ),
)

# Questions that only make sense when the first one is answered Yes.
ILLEGAL_ONLY = ("online_sexual_abuse", "csam_online")

# Sharing nudes and semi-nudes: any of these calls for an immediate referral (UKCIS).
NUDES_CATEGORY = "nudes"
NUDES_FACTORS: dict[str, str] = {
    "adult_involved": "An adult is involved",
    "coercion": "There is coercion, blackmail or grooming",
    "under_13": "A child under 13 is shown in sexual acts",
    "violent_or_unusual": "The imagery is violent, or unusual for the child's stage of development",
    "immediate_risk": "A child is at immediate risk of harm (for example self-harm or suicide)",
}

# --- the steps -----------------------------------------------------------------------------

STEPS: dict[str, str] = {
    "do_not_view": "Do not view the material further, and do not copy, forward or delete it.",
    "secure_device": "Secure the device (switch it off if safe, keep it locked away) and preserve the evidence.",
    "report_police": "Report it to the police now (999 if a child is in immediate danger, otherwise 101).",
    "report_ceop": "Report online sexual abuse or grooming to CEOP (ceop.police.uk).",
    "report_iwf": "Report child sexual abuse images online to the IWF (report.iwf.org.uk), giving the web address only.",
    "child_protection": "Follow your agency's child protection procedures with the designated safeguarding lead.",
    "refer_lado": "Refer the allegation to the LADO within one working day (allegations management).",
    "hr_process": "Start your agency's HR process; do not investigate or interview the person yourself.",
    "refer_social_care": "Refer to children's social care under child protection procedures (the designated "
    "safeguarding lead makes the referral).",
    "nudes_never_view": "Never view, copy, print, share or save the imagery, and do not ask the child to.",
    "nudes_refer_now": "Refer to the police and children's social care immediately (UKCIS advice).",
    "nudes_dsl_handles": "The designated safeguarding lead may handle it within the agency: record the rationale, "
    "involve the parents/carers unless that would put the child at risk, and help get the imagery removed "
    "(Report Remove, Take It Down).",
    "aup_sanctions": "Apply sanctions under the acceptable use policy (yellow / red / blue warning for young people).",
    "inform_parents": "Inform the parents or carers where appropriate.",
    "support_child": "Support the child and anyone else affected.",
    "record": "Record the incident here.",
    "inform_champion": "Inform the agency's e-safety champion / ESLO (the portal e-mails them when you submit).",
    "debrief": "Debrief the people involved.",
    "review": "Review policy and practice in the light of the incident.",
    "outcome": "Record the outcome and the lessons learned, then close the incident.",
}

# --- the rules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """When every answer in ``when`` matches, the rule's steps and referrals apply."""

    when: dict[str, Any]
    steps: tuple[str, ...] = ()
    referrals: tuple[str, ...] = ()
    urgent: bool = False


RULES: tuple[Rule, ...] = (
    Rule(
        {"illegal": True},
        steps=("do_not_view", "secure_device", "report_police", "child_protection"),
        referrals=(POLICE,),
        urgent=True,
    ),
    Rule({"illegal": True, "online_sexual_abuse": True}, steps=("report_ceop",), referrals=(CEOP,), urgent=True),
    Rule({"illegal": True, "csam_online": True}, steps=("report_iwf",), referrals=(IWF,), urgent=True),
    Rule({"staff_involved": True}, steps=("refer_lado", "hr_process"), referrals=(LADO,)),
    Rule({"child_at_risk": True}, steps=("refer_social_care",), referrals=(SOCIAL_CARE,), urgent=True),
    Rule({"nudes": True}, steps=("nudes_never_view",)),
    Rule({"nudes_aggravated": True}, steps=("nudes_refer_now",), referrals=(POLICE, SOCIAL_CARE), urgent=True),
    Rule({"nudes": True, "nudes_aggravated": False}, steps=("nudes_dsl_handles",)),
    Rule({"handled_in_agency": True}, steps=("aup_sanctions", "inform_parents", "support_child")),
    Rule({}, steps=("record", "inform_champion", "debrief", "review", "outcome")),
)


@dataclass(frozen=True)
class Assessment:
    steps: tuple[str, ...] = field(default_factory=tuple)
    required_referrals: tuple[str, ...] = field(default_factory=tuple)
    urgent: bool = False
    # The nudes/semi-nudes case the designated safeguarding lead handles in the agency:
    # the rationale must then be recorded.
    needs_rationale: bool = False

    @property
    def step_texts(self) -> list[str]:
        return [STEPS[key] for key in self.steps]

    @property
    def referral_labels(self) -> list[str]:
        return [REFERRAL_AGENCIES[key] for key in self.required_referrals]


def derived_answers(answers: dict[str, Any]) -> dict[str, bool]:
    """The reporter's answers plus the facts the rules read (all plain booleans)."""
    facts = {q.key: bool(answers.get(q.key)) for q in QUESTIONS}
    if not facts["illegal"]:
        for key in ILLEGAL_ONLY:
            facts[key] = False
    nudes = answers.get("category") == NUDES_CATEGORY
    facts["nudes"] = nudes
    facts["nudes_aggravated"] = nudes and bool(set(answers.get("nudes_factors") or ()) & set(NUDES_FACTORS))
    facts["handled_in_agency"] = not (
        facts["illegal"] or facts["staff_involved"] or facts["child_at_risk"] or facts["nudes_aggravated"]
    )
    return facts


def assess(answers: dict[str, Any]) -> Assessment:
    """Which steps the answers call for, which referrals the record requires, and whether it is urgent.

    ``answers`` holds the question keys (booleans), ``category`` and ``nudes_factors`` (a list of
    ``NUDES_FACTORS`` keys). Missing answers count as No.
    """
    facts = derived_answers(answers)
    steps: list[str] = []
    referrals: list[str] = []
    urgent = False
    for rule in RULES:
        if all(facts.get(key) == value for key, value in rule.when.items()):
            steps += [s for s in rule.steps if s not in steps]
            referrals += [r for r in rule.referrals if r not in referrals]
            urgent = urgent or rule.urgent
    return Assessment(
        steps=tuple(steps),
        required_referrals=tuple(referrals),
        urgent=urgent,
        needs_rationale=facts["nudes"] and not facts["nudes_aggravated"],
    )
