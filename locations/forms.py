import datetime

from django import forms
from django.utils import timezone

from esafety.forms import DateInput
from locations.models import AccessLocation, FilteringReview
from locations.services import REVIEW_FIELDS
from locations.standards import REVIEW_INTERVAL_DAYS, STANDARD_FIELDS, STANDARDS, Check


class AccessLocationForm(forms.ModelForm):
    # When the editor loaded the row: a save over someone else's newer change is refused.
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AccessLocation
        fields = [
            "name",
            "address",
            "location_type",
            "filtering",
            "monitoring",
            "age_filtering",
            "responsible_person",
            "last_checked_on",
            "notes",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "last_checked_on": DateInput,
        }
        help_texts = {
            "filtering": "Content filtering is in place on the devices or network children use here.",
            "monitoring": "Use is monitored (logs or supervision) and traceable.",
            "last_checked_on": "When filtering and monitoring were last checked at this location.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["seen_updated_at"] = self.instance.updated_at

    def clean_last_checked_on(self):
        checked = self.cleaned_data["last_checked_on"]
        if checked and checked > timezone.localdate():
            raise forms.ValidationError("The date last checked cannot be in the future.")
        if checked and checked < datetime.date(2000, 1, 1):
            raise forms.ValidationError("Enter a date from 2000 onwards.")
        return checked


class FilteringReviewForm(forms.ModelForm):
    """A review against the four standards: who is responsible, the providers, each standard answered, the checks."""

    checks = forms.MultipleChoiceField(
        label="Checks made", choices=Check.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = FilteringReview
        fields = REVIEW_FIELDS
        widgets = {
            "reviewed_on": DateInput,
            "next_review_due": DateInput,
            "checks_notes": forms.Textarea(attrs={"rows": 3}),
            "actions_needed": forms.Textarea(attrs={"rows": 3}),
            **dict.fromkeys(STANDARD_FIELDS, forms.RadioSelect),
        }
        help_texts = {
            "next_review_due": "At least once a year, and sooner after a safeguarding concern, a change in how the "
            "location is used or new technology.",
            "actions_needed": "For a standard partly met or not met: what will be done, by whom and when.",
        }

    def __init__(self, *args, location=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        for standard in STANDARDS:
            field = self.fields[standard.field]
            field.label = f"Standard {standard.number}: {standard.title}"
            field.help_text = standard.expects
            field.choices = [c for c in field.choices if c[0]]
        if not self.is_bound:
            self.initial.setdefault("reviewed_on", today)
            self.initial.setdefault("next_review_due", today + datetime.timedelta(days=REVIEW_INTERVAL_DAYS))
            last = location.last_review if location is not None else None
            if last is not None:
                for name in ("senior_leader", "governance_lead", "safeguarding_lead", "filtering_provider"):
                    self.initial.setdefault(name, getattr(last, name))
                self.initial.setdefault("monitoring_provider", last.monitoring_provider)
