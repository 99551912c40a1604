import datetime

from django import forms
from django.utils import timezone

from esafety.forms import DateInput
from locations.models import AccessLocation


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
