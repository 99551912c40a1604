"""The register from a partnership's contacts spreadsheet: agencies, executive leads and champions.

One row per champion (or per agency without one): the agency is matched on its name or added;
its sector, member/partner and executive lead are filled or updated where the file says; the
champion is matched on their e-mail address or invited, and nominated unless they already are a
current champion of that agency. A blank agency cell continues the agency above. Importing the
same file again adds nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import timezone

from accounts import permissions
from accounts.models import User
from accounts.services import user_get_or_invite
from agencies import services as agency_services
from agencies.models import Agency, MembershipType, Sector
from champions import services as champion_services
from champions.models import EsigMembership, Nomination
from imports import flow, tabular
from imports.flow import CREATED, UNCHANGED, UPDATED, Change, Field, Preview, ValueChoice

FIELDS = [
    Field(
        "agency",
        "Agency",
        {"agency": 3, "agency name": 3, "organisation": 3, "organization": 3, "setting": 2, "service": 1},
        "Matched on its name in the register, or added. A blank cell continues the agency above.",
        required=True,
    ),
    Field(
        "sector",
        "Sector",
        {"sector": 3, "agency type": 2, "type": 1},
        "Education, Health, Police, ... (new agencies without one: Other).",
    ),
    Field(
        "membership_type",
        "Member or partner",
        {"member partner": 3, "member or partner": 3, "membership type": 3, "member": 1, "partner": 1},
        "Member or Partner (new agencies without one: Member).",
    ),
    Field(
        "joined_on",
        "Joined the partnership",
        {"joined": 3, "joined on": 3, "date joined": 3, "member since": 3, "joined partnership": 3},
        "The date the agency joined, written as 1 April 2016, 01/04/2016 or 2016-04-01. A new agency without "
        "one joins on the day of the import; an agency already in the register takes the date given, and keeps "
        "its own when the cell is blank.",
    ),
    Field(
        "left_on",
        "Left the partnership",
        {"left": 3, "left on": 3, "date left": 3, "left partnership": 3, "member until": 3, "end date": 2},
        "The date the agency left, for one no longer in the partnership; a blank cell changes nothing.",
    ),
    Field(
        "executive_lead",
        "Executive lead",
        {"executive lead": 3, "exec lead": 3, "executive lead name": 3, "senior lead": 2},
        "Their name; with an e-mail column they are matched or invited, without one matched on their full name.",
    ),
    Field(
        "executive_lead_email",
        "Executive lead's e-mail",
        {"executive lead e mail": 3, "executive lead email": 3, "exec lead email": 3, "exec lead e mail": 3},
        "Optional.",
    ),
    Field(
        "champion",
        "Champion's name",
        {
            "champion": 3,
            "champion name": 3,
            "e safety champion": 3,
            "esafety champion": 3,
            "eslo": 3,
            "eslo name": 3,
            "contact name": 2,
            "name": 1,
        },
        "The e-safety champion (ESLO). Leave blank for an agency without one.",
    ),
    Field(
        "email",
        "Champion's e-mail",
        {"e mail": 3, "email": 3, "email address": 3, "e mail address": 3, "champion e mail": 3, "champion email": 3},
        "Needed for a champion: they are matched on it, or invited to the portal.",
    ),
    Field(
        "phone",
        "Telephone",
        {"phone": 3, "telephone": 3, "tel": 3, "phone number": 3, "contact number": 3, "mobile": 2},
        "Optional.",
    ),
    Field("job_title", "Job title", {"job title": 3, "role": 2, "position": 2, "title": 1}, "Optional."),
    Field(
        "esig_membership",
        "Core or associate",
        {"core associate": 3, "core or associate": 3, "esig membership": 3, "esig": 2, "membership": 1},
        "Core or Associate ESIG member (blank: Associate).",
    ),
]

SECTOR_WORDS = {tabular.normalise(label): value for value, label in Sector.choices} | {
    tabular.normalise(word): value
    for word, value in {
        **{v: v for v in Sector.values},
        "school": Sector.EDUCATION,
        "schools": Sector.EDUCATION,
        "academy": Sector.EDUCATION,
        "college": Sector.EDUCATION,
        "early years": Sector.EDUCATION,
        "nhs": Sector.HEALTH,
        "social care": Sector.SOCIAL_CARE,
        "children's services": Sector.SOCIAL_CARE,
        "voluntary": Sector.VOLUNTARY,
        "voluntary sector": Sector.VOLUNTARY,
        "vcs": Sector.VOLUNTARY,
        "charity": Sector.VOLUNTARY,
        "youth": Sector.YOUTH,
        "libraries": Sector.LIBRARY,
    }.items()
}
MEMBERSHIP_WORDS = {tabular.normalise(w): v for v, label in MembershipType.choices for w in (v, label)}
ESIG_WORDS = {tabular.normalise(w): v for v, label in EsigMembership.choices for w in (v, label)} | {
    "core": EsigMembership.CORE,
    "associate": EsigMembership.ASSOCIATE,
    "none": EsigMembership.NONE,
    "no": EsigMembership.NONE,
}
WORDS = {"sector": SECTOR_WORDS, "membership_type": MEMBERSHIP_WORDS, "esig_membership": ESIG_WORDS}
LABELS = {f.key: f.label for f in FIELDS}


@dataclass
class Row:
    number: int
    agency: str
    sector: str | None
    membership_type: str | None
    joined_on: datetime.date | None
    left_on: datetime.date | None
    lead_name: str
    lead_email: str
    champion: str
    email: str
    phone: str
    job_title: str
    esig_membership: str


def read_rows(table: flow.Table, values: dict) -> tuple[list[Row], list[str]]:
    rows, problems = [], []
    agency = ""
    for number, cells in table.rows:
        text = {key: tabular.cell_text(value) for key, value in cells.items()}
        if text.get("agency"):
            agency = " ".join(text["agency"].split())[:200]
        elif not agency:
            problems.append(f"Row {number}: the Agency cell is empty.")
            continue
        chosen = {}
        for key, known in WORDS.items():
            word = tabular.normalise(text.get(key))
            chosen[key] = ({**known, **values.get(key, {})}).get(word) if word else None
            if word and chosen[key] is None:
                problems.append(
                    f"Row {number}: the {LABELS[key]} “{text[key]}” is not one the portal knows; "
                    "say what it means on the columns page."
                )
        for key in ("email", "executive_lead_email"):
            if text.get(key):
                try:
                    validate_email(text[key])
                except ValidationError:
                    problems.append(f"Row {number}: “{text[key]}” is not an e-mail address.")
        dates = {}
        for key in ("joined_on", "left_on"):
            found = tabular.find_date(text[key]) if text.get(key) else None
            dates[key] = found[0] if found else None
            if text.get(key) and found is None:
                problems.append(
                    f"Row {number}: “{text[key]}” is not a date the portal can read; write it as 1 April 2016."
                )
        if text.get("champion") and not text.get("email"):
            problems.append(
                f"Row {number}: the champion {text['champion']} has no e-mail address; champions are invited by e-mail."
            )
        if text.get("email") and not text.get("champion"):
            problems.append(f"Row {number}: the champion's name is empty.")
        rows.append(
            Row(
                number=number,
                agency=agency,
                sector=chosen["sector"],
                membership_type=chosen["membership_type"],
                joined_on=dates["joined_on"],
                left_on=dates["left_on"],
                lead_name=text.get("executive_lead", "")[:150],
                lead_email=text.get("executive_lead_email", "").lower(),
                champion=text.get("champion", "")[:150],
                email=text.get("email", "").lower(),
                phone=text.get("phone", "")[:40],
                job_title=text.get("job_title", "")[:150],
                esig_membership=chosen["esig_membership"] or EsigMembership.ASSOCIATE,
            )
        )
    problems += _repeated(rows)
    return rows, problems


def dates_against_the_register(rows: list[Row]) -> list[str]:
    """No agency may end up leaving before it joined, with the file's dates and the register's own."""
    agencies = {a.name.lower(): a for a in Agency.objects.only("name", "joined_on", "left_on")}
    today = timezone.localdate()
    problems = []
    for row in rows:
        if not row.left_on:
            continue
        agency = agencies.get(row.agency.lower())
        joined = row.joined_on or (agency.joined_on if agency else today)
        if row.left_on < joined:
            problems.append(
                f"Row {row.number}: {row.agency} would have left the partnership ({row.left_on:%-d %B %Y}) before "
                f"it joined ({joined:%-d %B %Y})" + ("." if row.joined_on else "; give the date it joined as well.")
            )
    return problems


def _repeated(rows: list[Row]) -> list[str]:
    """Rows that say the same thing twice: one champion (or one agency) is one row, never silently merged."""
    problems = []
    seen_rows: dict[tuple, int] = {}
    seen_champions: dict[tuple[str, str], int] = {}
    for row in rows:
        content = (row.agency.lower(), *(v for k, v in vars(row).items() if k not in ("number", "agency")))
        champion = (row.agency.lower(), row.email)
        if content in seen_rows:
            problems.append(
                f"Row {row.number}: the same as row {seen_rows[content]}; remove one of the two "
                "(each row is one champion, or one agency without a champion)."
            )
        elif row.email and champion in seen_champions:
            problems.append(
                f"Row {row.number}: {row.email} is already the champion of {row.agency} on row "
                f"{seen_champions[champion]}; keep one row for them."
            )
        seen_rows.setdefault(content, row.number)
        if row.email:
            seen_champions.setdefault(champion, row.number)
    return problems


class RegisterWriter:
    """Walks the rows against the register; with ``write`` it also saves them (same counts both ways)."""

    def __init__(self, rows: list[Row], *, by, write: bool):
        self.by, self.write = by, write
        self.agencies = {a.name.lower(): a for a in Agency.objects.all()}
        emails = {r.email for r in rows if r.email} | {r.lead_email for r in rows if r.lead_email}
        self.people = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
        by_name: dict[str, User | None] = {}
        names = {r.lead_name for r in rows if r.lead_name and not r.lead_email}
        for user in User.objects.filter(full_name__in=names, is_active=True):
            by_name[user.full_name.lower()] = None if user.full_name.lower() in by_name else user
        self.named = {k: v for k, v in by_name.items() if v is not None}
        self.current = set(Nomination.objects.current().values_list("agency_id", "user__email"))
        self.seen_agencies: set[str] = set()
        self.new_people: dict[str, User] = {}

    def row(self, row: Row) -> Change:
        done, outcome = [], UNCHANGED
        key = row.agency.lower()
        agency = self.agencies.get(key)
        lead = self._lead(row)
        if agency is None:
            sector = row.sector or Sector.OTHER
            membership = row.membership_type or MembershipType.MEMBER
            if self.write:
                agency = agency_services.agency_create(
                    name=row.agency,
                    sector=sector,
                    membership_type=membership,
                    executive_lead=lead,
                    joined_on=row.joined_on,
                    left_on=row.left_on,
                    by=self.by,
                )
            else:
                agency = Agency(name=row.agency, sector=sector, membership_type=membership, executive_lead=lead)
            self.agencies[key] = agency
            outcome = CREATED
            done.append(
                f"agency {row.agency} added ({agency.get_sector_display()}, {agency.get_membership_type_display()})"
            )
        elif key not in self.seen_agencies:
            changes = {
                k: v
                for k, v in (
                    ("sector", row.sector),
                    ("membership_type", row.membership_type),
                    ("joined_on", row.joined_on),
                    ("left_on", row.left_on),
                )
                if v and getattr(agency, k) != v
            }
            if lead is not None and agency.executive_lead_id != lead.pk:
                changes["executive_lead"] = lead
            if changes:
                # Said before saving, so the preview and the import both give the date it had.
                done.append(f"{agency.name}: " + ", ".join(_changed(agency, k, v) for k, v in changes.items()))
                if self.write:
                    agency_services.agency_update(
                        agency=agency, changes=changes, by=self.by, how="from a contacts spreadsheet"
                    )
                outcome = UPDATED
        self.seen_agencies.add(key)
        if row.lead_name and lead is None:
            done.append(f"executive lead {row.lead_name} not matched to anyone (give their e-mail to invite them)")
        agency_key = agency.pk or ("new", key)
        if row.email and (agency_key, row.email) not in self.current:
            invited = row.email not in self.people and row.email not in self.new_people
            if self.write:
                nomination = champion_services.nomination_create(
                    agency=agency,
                    email=row.email,
                    full_name=row.champion,
                    job_title=row.job_title,
                    phone=row.phone,
                    esig_membership=row.esig_membership,
                    by=self.by,
                )
                self.new_people[row.email] = nomination.user
            else:
                self.new_people.setdefault(row.email, User(email=row.email, full_name=row.champion))
            self.current.add((agency.pk or ("new", key), row.email))
            outcome = CREATED
            done.append(f"{row.champion} nominated as champion of {row.agency}" + (" and invited" if invited else ""))
        if outcome == UNCHANGED:
            return Change(row.number, UNCHANGED, row.agency)
        return Change(row.number, outcome, "; ".join(done))

    def _lead(self, row: Row) -> User | None:
        if row.lead_email:
            if row.lead_email in self.people:
                return self.people[row.lead_email]
            if self.write:
                user, _ = user_get_or_invite(
                    email=row.lead_email, full_name=row.lead_name or row.lead_email, invited_by=self.by
                )
            else:
                user = User(email=row.lead_email, full_name=row.lead_name)
            self.people[row.lead_email] = user
            return user
        return self.named.get(row.lead_name.lower()) if row.lead_name else None


def _changed(agency: Agency, key: str, value) -> str:
    label = Agency._meta.get_field(key).verbose_name
    if key in ("joined_on", "left_on"):
        was = getattr(agency, key)
        return f"{label} {value:%-d %B %Y} (was {f'{was:%-d %B %Y}' if was else 'not set'})"
    return label


class ContactsImporter(flow.Importer):
    kind = "contacts"
    title = "Import agencies and champions"
    nouns = ("row", "rows")
    fields = FIELDS
    value_choices = [
        ValueChoice("sector", list(Sector.choices), SECTOR_WORDS),
        ValueChoice("membership_type", list(MembershipType.choices), MEMBERSHIP_WORDS),
        ValueChoice("esig_membership", list(EsigMembership.choices), ESIG_WORDS),
    ]

    def get_target(self, user, target_id):
        if not permissions.manages_register(user):
            raise PermissionDenied
        return None

    def target_url(self, target) -> str:
        return reverse("agencies:list")

    def target_name(self, target) -> str:
        return "Register of agencies"

    def _walk(self, table, values, by, *, write) -> Preview:
        rows, problems = read_rows(table, values)
        problems += dates_against_the_register(rows)
        result = Preview(problems=problems, rows=len(rows))
        if problems:
            return result
        writer = RegisterWriter(rows, by=by, write=write)
        result.changes = [writer.row(row) for row in rows]
        return result

    def preview(self, table, values, target, by) -> Preview:
        return self._walk(table, values, by, write=False)

    def apply(self, table, values, target, by, filename) -> Preview:
        return self._walk(table, values, by, write=True)


IMPORTER = flow.register(ContactsImporter())
