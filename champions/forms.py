import datetime

from django import forms
from django.utils import timezone

from champions.models import ConfirmationRound, EsigMembership, Nomination
from esafety.forms import DateInput


class NominationForm(forms.Form):
    full_name = forms.CharField(max_length=150, label="Full name")
    email = forms.EmailField(label="E-mail address")
    job_title = forms.CharField(max_length=150, required=False, label="Job title")
    phone = forms.CharField(max_length=40, required=False, label="Telephone")
    title = forms.CharField(
        max_length=100,
        initial="E-safety champion",
        label="Role title",
        help_text="For example 'E-safety champion' or 'ESLO'.",
    )
    nominated_by = forms.CharField(max_length=150, required=False, label="Nominated by")
    started_on = forms.DateField(widget=DateInput, initial=timezone.localdate, label="Champion since")
    esig_membership = forms.ChoiceField(
        choices=EsigMembership.choices, initial=EsigMembership.ASSOCIATE, label="ESIG membership"
    )
    is_co_chair = forms.BooleanField(required=False, label="ESIG co-chair")

    def clean_started_on(self):
        started_on = self.cleaned_data["started_on"]
        if started_on > timezone.localdate() + datetime.timedelta(days=366):
            raise forms.ValidationError("A nomination cannot start more than a year from now.")
        return started_on


class NominationEditForm(forms.ModelForm):
    full_name = forms.CharField(max_length=150, label="Full name")
    job_title = forms.CharField(max_length=150, required=False, label="Job title")
    phone = forms.CharField(max_length=40, required=False, label="Telephone")

    class Meta:
        model = Nomination
        fields = ["title", "nominated_by", "started_on", "esig_membership", "is_co_chair"]
        widgets = {"started_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance.user
        self.initial.update(full_name=user.full_name, job_title=user.job_title, phone=user.phone)
        self.order_fields(["full_name", "job_title", "phone"])


class NominationEndForm(forms.Form):
    ended_on = forms.DateField(widget=DateInput, initial=timezone.localdate, label="Last day as champion")
    reason = forms.CharField(max_length=200, required=False, label="Reason", help_text="For example 'left the agency'.")


class RoundForm(forms.ModelForm):
    class Meta:
        model = ConfirmationRound
        fields = ["year", "due_on", "message"]
        widgets = {"due_on": DateInput, "message": forms.Textarea(attrs={"rows": 4})}
        labels = {"due_on": "Reply by"}
        error_messages = {"year": {"unique": "The round for this year has already been opened."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["due_on"].initial = today + datetime.timedelta(days=28)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= timezone.localdate().year + 1:
            raise forms.ValidationError("Enter this year or next year.")
        return year

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError("The reply-by date cannot be in the past.")
        return due_on


class ConfirmForm(forms.Form):
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Anything the secretariat should know (optional)",
        max_length=2000,
    )
