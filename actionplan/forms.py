from django import forms
from django.db.models import Q

from accounts.models import User
from actionplan.models import Action, Objective, Plan, Priority, Status
from agencies.models import Agency
from esafety.forms import DateInput


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["name", "period", "is_current"]

    def _get_validation_exclusions(self):
        # Only one plan is current: the service takes the flag off the old one, so the model's
        # "one current plan" constraint must not refuse the form.
        return super()._get_validation_exclusions() | {"is_current"}

    def clean(self):
        cleaned = super().clean()
        name, period = cleaned.get("name"), cleaned.get("period")
        if name and period:
            clash = Plan.objects.filter(name__iexact=name, period__iexact=period).exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError("There is already a plan with this name for this period.")
        return cleaned


class PriorityForm(forms.ModelForm):
    class Meta:
        model = Priority
        fields = ["number", "title"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean_number(self):
        number = self.cleaned_data["number"]
        if Priority.objects.filter(plan=self.plan, number=number).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("This plan already has a priority with this number.")
        return number


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["priority", "number", "title"]
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.filter(plan=plan)

    def clean(self):
        cleaned = super().clean()
        priority, number = cleaned.get("priority"), cleaned.get("number")
        if priority and number:
            clash = Objective.objects.filter(priority=priority, number=number).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("number", "This priority already has an objective with this number.")
        return cleaned


class ActionForm(forms.ModelForm):
    """Create or edit an action. The status is set through its own form, with a reason."""

    class Meta:
        model = Action
        fields = [
            "objective",
            "ref",
            "method",
            "action",
            "lead_agency",
            "lead_person",
            "lead_text",
            "due_on",
            "ongoing",
            "review_on",
            "success_measure",
            "source_label",
            "source_url",
        ]
        labels = {"lead_agency": "Lead agency", "lead_person": "Lead person"}
        widgets = {
            "method": forms.Textarea(attrs={"rows": 2}),
            "action": forms.Textarea(attrs={"rows": 3}),
            "success_measure": forms.Textarea(attrs={"rows": 2}),
            "due_on": DateInput(),
            "review_on": DateInput(),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["objective"].queryset = Objective.objects.filter(priority__plan=plan).select_related("priority")
        self.fields["objective"].label_from_instance = lambda o: f"{o.number} {o.title[:90]}"
        self.fields["lead_agency"].queryset = Agency.objects.filter(
            Q(archived_at__isnull=True) | Q(pk=self.instance.lead_agency_id or 0)
        )
        self.fields["lead_person"].queryset = User.objects.filter(is_active=True).order_by("full_name")
        self.fields["lead_person"].label_from_instance = lambda u: f"{u.full_name} <{u.email}>"
        self.fields["ref"].required = False
        self.fields["ref"].help_text = "Leave blank to number it after its objective, e.g. 1.2.3."

    def clean_ref(self):
        ref = self.cleaned_data["ref"].strip()
        if ref and Action.objects.filter(plan=self.plan, ref=ref).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another action of this plan already has this reference.")
        return ref

    def clean_source_url(self):
        url = self.cleaned_data["source_url"].strip()
        if url and not url.startswith(("/", "https://", "http://")):
            raise forms.ValidationError("Give a link starting with / or https://.")
        return url

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("lead_agency") or cleaned.get("lead_person") or cleaned.get("lead_text")):
            self.add_error(None, "Name a lead: an agency, a person or a group such as 'All agencies'.")
        if cleaned.get("ongoing"):
            if cleaned.get("due_on"):
                self.add_error("due_on", "An ongoing action has a review date, not a due date.")
            if not cleaned.get("review_on"):
                self.add_error("review_on", "Give the date the ongoing action will be reviewed.")
        elif not cleaned.get("due_on"):
            self.add_error("due_on", "Give a due date, or mark the action as ongoing.")
        return cleaned


class ActionEditForm(ActionForm):
    """Editing an action: refuses to save over a change someone else made since the form was opened."""

    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.updated_at.isoformat()
        self.loaded_version = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("version") != self.loaded_version:
            # A hidden field's error would not show: tell the person at the top of the form.
            self.add_error(
                None,
                "Someone else changed this action while you were editing it, so nothing was saved. "
                "Open the action again to see their changes, then make yours.",
            )
        return cleaned


class NewActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices, initial=Status.RED, label="Status")


class ProgressUpdateForm(forms.Form):
    text = forms.CharField(label="Progress note", widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(
        choices=[("", "Keep the current status"), *Status.choices], required=False, label="Change the status to"
    )
    reason = forms.CharField(
        required=False,
        label="Reason for the change of status",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when you change the status; leave blank to use the progress note.",
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action

    def clean_status(self):
        status = self.cleaned_data["status"]
        return "" if status == self.action.status else status


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices, label="New status")
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["status"].initial = action.status

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == self.action.status:
            raise forms.ValidationError(f"The action is already {self.action.get_status_display()}.")
        return status


class ChangedSinceForm(forms.Form):
    since = forms.DateField(label="Changed since", widget=DateInput(), required=False)
