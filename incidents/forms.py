import datetime

from django import forms
from django.utils import timezone

from accounts.models import Role, User
from esafety.forms import DateInput
from incidents import areas, flowchart
from incidents.models import (
    ConcernLevel,
    Incident,
    Outcome,
    PersonInvolved,
    PersonRole,
    Referral,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


class StartForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=None, label="Which agency are you reporting for?", empty_label=None)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


# --- the guided form: one form per step ---------------------------------------------------


class WhenWhereForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = ["occurred_on", "discovered_on", "location", "technology", "platform"]
        widgets = {"occurred_on": DateInput, "discovered_on": DateInput}
        labels = {
            "occurred_on": "When did it happen?",
            "discovered_on": "When was it found or disclosed?",
            "location": "Where did it happen?",
            "technology": "Which technology was used?",
        }
        help_texts = {"occurred_on": "Your best estimate if you do not know the exact day."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("occurred_on", "discovered_on", "location", "technology"):
            self.fields[name].required = True

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        occurred, discovered = cleaned.get("occurred_on"), cleaned.get("discovered_on")
        for name, value in (("occurred_on", occurred), ("discovered_on", discovered)):
            if value and value > today:
                self.add_error(name, "This date is in the future.")
            elif value and value < today - datetime.timedelta(days=365 * 20):
                self.add_error(name, "Enter a date in the last twenty years.")
        if occurred and discovered and discovered < occurred and not self.errors:
            self.add_error("discovered_on", "It cannot have been found before it happened.")
        return cleaned


class WhatForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = ["category", "description"]
        labels = {"category": "What kind of incident is it?", "description": "What happened?"}
        help_texts = {
            "category": "Grouped by the four areas of risk of Keeping children safe in education: content, "
            "contact, conduct and commerce.",
            "description": "Facts only: what was seen or said, by whom (by role, not by name), and what has been "
            "done so far. Do not copy images or messages into this box.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 8}), "category": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].required = True
        # Grouped under the four areas of risk; a retired category stays only on the reports that use it.
        self.fields["category"].choices = areas.grouped_choices(include_retired=self.instance.category in areas.RETIRED)
        self.fields["description"].required = True


class QuestionsForm(forms.Form):
    """The flow chart's questions, built from ``flowchart.QUESTIONS``."""

    def __init__(self, *args, incident: Incident, **kwargs):
        initial = {q.key: {True: "yes", False: "no"}.get(getattr(incident, q.key)) for q in flowchart.QUESTIONS}
        super().__init__(*args, initial=initial, **kwargs)
        for question in flowchart.QUESTIONS:
            label = question.text
            if question.key in flowchart.ILLEGAL_ONLY:
                label = f"If it is illegal: {question.text[0].lower()}{question.text[1:]}"
            self.fields[question.key] = forms.ChoiceField(
                choices=YES_NO, widget=forms.RadioSelect, label=label, help_text=question.help_text
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("illegal") == "no":
            for key in flowchart.ILLEGAL_ONLY:
                if cleaned.get(key) == "yes":
                    self.add_error(
                        key,
                        "Online sexual abuse, grooming and child abuse images are illegal: answer Yes to the first question.",
                    )
        return cleaned

    def answers(self) -> dict[str, bool]:
        return {key: value == "yes" for key, value in self.cleaned_data.items()}


class NudesForm(forms.ModelForm):
    nudes_factors = forms.MultipleChoiceField(
        choices=list(flowchart.NUDES_FACTORS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Tick every one that applies",
        help_text="Any one of these means an immediate referral to the police and children's social care.",
    )

    class Meta:
        model = Incident
        fields = ["nudes_factors", "handled_in_agency_rationale"]
        labels = {"handled_in_agency_rationale": "If none applies: why can the agency handle it?"}
        help_texts = {
            "handled_in_agency_rationale": "The designated safeguarding lead's rationale for handling it within the "
            "agency (required when none of the above applies)."
        }
        widgets = {"handled_in_agency_rationale": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("nudes_factors") and not (cleaned.get("handled_in_agency_rationale") or "").strip():
            self.add_error(
                "handled_in_agency_rationale",
                "None of the factors applies, so record why the agency can handle it without a referral.",
            )
        return cleaned


class PersonForm(forms.ModelForm):
    remove = forms.BooleanField(required=False, label="Remove this person")

    class Meta:
        model = PersonInvolved
        fields = ["role", "age_band", "involvement", "note"]
        labels = {"role": "Role", "age_band": "Age band", "involvement": "Involvement", "note": "Note (no names)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["remove"]
        for name in ("role", "age_band", "involvement"):
            self.fields[name].choices = [("", "—")] + [c for c in self.fields[name].choices if c[0]]


class BasePeopleFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            f
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("remove") and (f.instance.pk or f.has_changed())
        ]
        if not kept:
            raise forms.ValidationError("Describe at least one person involved (by role and age band).")
        if not any(f.cleaned_data.get("role") == PersonRole.CHILD for f in kept):
            raise forms.ValidationError("Describe at least one child or young person involved.")


PeopleFormSet = forms.modelformset_factory(
    PersonInvolved, form=PersonForm, formset=BasePeopleFormSet, extra=2, can_delete=False
)

# --- handling ------------------------------------------------------------------------------


class TriageForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = ["concern_level", "concern_rationale"]
        labels = {"concern_level": "Level of concern", "concern_rationale": "Why this level?"}
        widgets = {"concern_level": forms.RadioSelect, "concern_rationale": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concern_level"].required = True
        self.fields["concern_level"].choices = ConcernLevel.choices
        self.fields["concern_rationale"].required = True


class ChronologyForm(forms.Form):
    happened_on = forms.DateField(widget=DateInput, label="Date", initial=timezone.localdate)
    happened_time = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        label="Time",
        initial=lambda: timezone.localtime().strftime("%H:%M"),
    )
    action = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What was done", max_length=4000)

    def clean_happened_on(self):
        value = self.cleaned_data["happened_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("Record actions once they have happened: this date is in the future.")
        return value

    def happened_at(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.cleaned_data["happened_on"], self.cleaned_data["happened_time"])
        )


def safeguarding_leads():
    return User.objects.filter(role=Role.SAFEGUARDING_LEAD, is_active=True).order_by("full_name")


class ReferralForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["agency_type", "referred_on", "reference", "outcome", "escalated_to"]
        widgets = {"referred_on": DateInput, "outcome": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "referred_on": "Date of referral",
            "escalated_to": "Escalate to a partnership safeguarding lead (optional)",
        }

    def __init__(self, *args, lead_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["escalated_to"].queryset = safeguarding_leads()
        self.fields["escalated_to"].label_from_instance = lambda u: (
            f"{u.full_name} ({u.job_title})" if u.job_title else u.full_name
        )
        if self.instance.pk:
            # A referral keeps the agency it went to; a required one is part of the record.
            del self.fields["agency_type"]
        if lead_only:
            del self.fields["escalated_to"]

    def clean_referred_on(self):
        value = self.cleaned_data.get("referred_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("This date is in the future.")
        return value


class CloseForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = ["outcome", "outcome_detail", "lessons_learned"]
        labels = {
            "outcome": "Outcome of the incident",
            "outcome_detail": "Outcome in more detail",
            "lessons_learned": "Lessons learned",
        }
        widgets = {
            "outcome_detail": forms.Textarea(attrs={"rows": 3}),
            "lessons_learned": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].required = True
        self.fields["outcome"].choices = [("", "—")] + list(Outcome.choices)


class MonitoringForm(forms.Form):
    start = forms.DateField(widget=DateInput, label="From")
    end = forms.DateField(widget=DateInput, label="To")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", "The end of the period is before its start.")
        return cleaned
