import datetime

from django import forms
from django.utils import timezone

from accounts.models import User
from agencies.models import Agency
from esafety.forms import DateInput
from esig.models import AgendaItem, AttendanceStatus, Capacity, Meeting, Rules, TrainingEvent
from esig.services import MAX_MINUTES_BYTES


def _reasonable_date(value: datetime.date) -> datetime.date:
    today = timezone.localdate()
    if value < datetime.date(2000, 1, 1) or value > today + datetime.timedelta(days=2 * 366):
        raise forms.ValidationError("Enter a date between 2000 and two years from now.")
    return value


class MeetingForm(forms.ModelForm):
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Meeting
        fields = ["title", "held_on", "starts_at", "venue"]
        widgets = {"held_on": DateInput, "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["seen_updated_at"] = self.instance.updated_at

    def clean_held_on(self):
        return _reasonable_date(self.cleaned_data["held_on"])


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=200, label="Reason for cancelling")


ATTENDANCE_CHOICES = [("", "Not recorded")] + list(AttendanceStatus.choices)


class AttendanceForm(forms.Form):
    """One choice per ESIG member on the meeting date (and anyone already recorded)."""

    def __init__(self, *args, members: dict, recorded: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        people = dict(members)
        for uid, record in recorded.items():
            people.setdefault(
                uid,
                {"user": record.user, "capacity": record.capacity, "is_co_chair": record.is_co_chair, "agencies": []},
            )

        def order(item):
            person = item[1]
            return (person["capacity"] != Capacity.CORE, not person["is_co_chair"], person["user"].full_name)

        for uid, person in sorted(people.items(), key=order):
            capacity = Capacity(person["capacity"]).label
            if person["is_co_chair"]:
                capacity += ", co-chair"
            record = recorded.get(uid)
            name = f"member_{uid}"
            field = forms.ChoiceField(
                # A recorded attendance can be changed, not blanked: nothing recorded is lost.
                choices=ATTENDANCE_CHOICES[1:] if record else ATTENDANCE_CHOICES,
                required=bool(record),
                label=person["user"].full_name,
                initial=record.status if record else "",
                widget=forms.Select(attrs={"class": "form-select", "aria-describedby": f"id_{name}_about"}),
            )
            self.fields[name] = field
            # Agency names are people's text: the template writes them (escaped), never the help text,
            # which form renderers output as HTML.
            self.rows.append((uid, {"capacity": capacity, "agencies": list(person["agencies"])}))

    @property
    def members(self) -> list[dict]:
        return [{"field": self[f"member_{uid}"], **about} for uid, about in self.rows]

    def statuses(self) -> dict[int, str]:
        return {uid: self.cleaned_data.get(f"member_{uid}", "") for uid, _about in self.rows}


class GuestForm(forms.Form):
    name = forms.CharField(max_length=150, label="Guest's name")
    organisation = forms.CharField(max_length=200, required=False, label="Organisation")
    status = forms.ChoiceField(choices=AttendanceStatus.choices, initial=AttendanceStatus.PRESENT, label="Attendance")


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "discussion", "decision"]
        widgets = {"discussion": forms.Textarea(attrs={"rows": 3}), "decision": forms.Textarea(attrs={"rows": 2})}


class MinutesForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}), required=False, label="Minutes")
    document = forms.FileField(
        required=False,
        label="Minutes document (optional)",
        help_text="PDF, Word or plain text, up to 10 MB. A new document replaces the one shown.",
    )
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def clean_document(self):
        from django.core.exceptions import ValidationError

        from esig.services import check_minutes_file

        document = self.cleaned_data.get("document")
        if document:
            if document.size > MAX_MINUTES_BYTES:
                raise forms.ValidationError("The minutes document is larger than 10 MB.")
            try:
                check_minutes_file(document)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from error
        return document

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("text", "").strip() and not cleaned.get("document") and not self.errors:
            raise forms.ValidationError("Write the minutes or upload a document.")
        return cleaned


class RulesForm(forms.ModelForm):
    class Meta:
        model = Rules
        fields = ["min_members_present", "co_chair_required", "min_meetings_per_year", "training_valid_months"]


class TrainingEventForm(forms.ModelForm):
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = TrainingEvent
        fields = ["kind", "title", "held_on", "provider", "audience", "notes"]
        widgets = {"held_on": DateInput, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["seen_updated_at"] = self.instance.updated_at

    def clean_held_on(self):
        return _reasonable_date(self.cleaned_data["held_on"])


class AttendeeForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.active(), label="Agency")
    user = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("full_name"),
        label="Person",
        help_text="People already registered on the portal.",
    )


class HeadcountForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.active(), label="Agency")
    people = forms.IntegerField(min_value=1, max_value=10000, label="Number of people")
    note = forms.CharField(max_length=200, required=False, label="Note")


class MeetingActionsForm(forms.Form):
    created = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label="Actions this meeting created", widget=forms.CheckboxSelectMultiple
    )
    reviewed = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label="Actions this meeting reviewed", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["created"].queryset = actions
        self.fields["reviewed"].queryset = actions
        label = lambda a: f"{a.ref} {a.action[:100]}".strip()  # noqa: E731
        self.fields["created"].label_from_instance = label
        self.fields["reviewed"].label_from_instance = label
