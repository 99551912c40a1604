from django import forms
from django.utils import timezone

from accounts.models import User
from agencies.models import Agency
from esafety.forms import DateInput


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "name",
            "sector",
            "membership_type",
            "joined_on",
            "left_on",
            "people_served",
            "executive_lead",
            "email",
            "address",
            "notes",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "joined_on": DateInput,
            "left_on": DateInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executive_lead"].queryset = User.objects.filter(is_active=True).order_by("full_name")
        self.fields["joined_on"].required = False
        # Its model default is a callable, for which Django adds a hidden copy of the initial value that
        # carries the field's aria-describedby (invalid HTML); the form never compares against it.
        self.fields["joined_on"].show_hidden_initial = False
        self.fields["executive_lead"].label_from_instance = lambda u: f"{u.full_name} <{u.email}>"

    def clean_joined_on(self):
        # Left empty: a new agency joins today, an existing one keeps the date it had.
        return self.cleaned_data["joined_on"] or self.instance.joined_on or timezone.localdate()

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        clash = Agency.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("An agency with this name is already in the register.")
        return name

    def clean(self):
        cleaned = super().clean()
        joined, left = cleaned.get("joined_on"), cleaned.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", "The date the agency left cannot be before the date it joined.")
        return cleaned


class MembershipForm(forms.Form):
    full_name = forms.CharField(max_length=150, label="Full name")
    email = forms.EmailField(label="E-mail address")
    job_title = forms.CharField(max_length=150, required=False, label="Job title")
