from django import forms
from django.utils import timezone

from agencies.models import Agency
from audits.models import LEVELS, Question, QuestionKind, TemplateVersion
from esafety.forms import DateInput

YES_NO = [("yes", "Yes"), ("no", "No")]
RADIO = {"class": "form-check-input"}


def answer_field(question: Question, *, label: str | None = None) -> forms.Field:
    """The form field for one question; nothing is required while a draft is saved."""
    label = label or question.text
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect(attrs=RADIO), required=False)
    if question.kind == QuestionKind.DATE:
        return forms.DateField(label=label, widget=DateInput(attrs={"class": "form-control w-auto"}), required=False)
    if question.kind == QuestionKind.LEVEL:
        choices = [
            (str(level), f"Level {level} — {question.version.level_label(level)}: {question.statement(level)}")
            for level in LEVELS
        ]
        return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect(attrs=RADIO), required=False)
    if question.kind == QuestionKind.PERSON:
        return forms.CharField(
            label=label,
            max_length=200,
            required=False,
            widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "Name and job title"}),
        )
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}), required=False
    )


class SectionForm(forms.Form):
    """The answers of one section: ``q_<id>`` (answer), ``c_<id>`` (comment), ``r_<id>`` (checked)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, questions: list[Question], answers: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            answer = answers.get(q.pk)
            self.fields[f"q_{q.pk}"] = answer_field(q)
            self.fields[f"c_{q.pk}"] = forms.CharField(
                label="Comment or evidence reference",
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                required=False,
            )
            if answer is not None:
                self.initial.setdefault(f"q_{q.pk}", answer.value)
                self.initial.setdefault(f"c_{q.pk}", answer.comment)
                if answer.needs_review:
                    self.fields[f"r_{q.pk}"] = forms.BooleanField(
                        label="I have checked last year's answer and it is still right",
                        required=False,
                        widget=forms.CheckboxInput(attrs=RADIO),
                    )

    def rows(self):
        """Each question with its bound fields, for the template."""
        for q in self.questions:
            yield {
                "question": q,
                "answer": self[f"q_{q.pk}"],
                "comment": self[f"c_{q.pk}"],
                "reviewed": self[f"r_{q.pk}"] if f"r_{q.pk}" in self.fields else None,
            }

    def answer_inputs(self):
        from audits.services import AnswerInput

        data = self.cleaned_data
        return {
            q: AnswerInput(
                value=data.get(f"q_{q.pk}") or "",
                comment=data.get(f"c_{q.pk}") or "",
                reviewed=bool(data.get(f"r_{q.pk}")),
            )
            for q in self.questions
        }


class EvidenceForm(forms.Form):
    file = forms.FileField(label="File")
    question = forms.ModelChoiceField(
        label="About which question (optional)", queryset=Question.objects.none(), required=False
    )
    description = forms.CharField(label="What it shows (optional)", max_length=255, required=False)

    def __init__(self, *args, audit_return, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = Question.objects.filter(version=audit_return.cycle.template_version_id)
        self.fields["question"].label_from_instance = lambda q: q.text[:90]


class GapActionForm(forms.Form):
    """Choose gaps of a return and the action plan objective they come under."""

    answers = forms.MultipleChoiceField(label="Gaps", widget=forms.CheckboxSelectMultiple, choices=[])
    objective = forms.ModelChoiceField(
        label="Action plan objective", queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    due_on = forms.DateField(
        label="Due date (optional)", widget=DateInput(attrs={"class": "form-control"}), required=False
    )

    def __init__(self, *args, gaps, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.gaps = {str(g.answer.pk): g for g in gaps if not g.answer.action_links.all()}
        self.fields["answers"].choices = [(pk, g.question.text) for pk, g in self.gaps.items()]
        self.fields["answers"].error_messages["required"] = "Tick at least one gap."
        self.fields["objective"].queryset = objectives
        self.fields["objective"].label_from_instance = lambda o: f"{o.priority.plan.period} · {o}"[:150]

    def chosen_answers(self):
        return [self.gaps[pk].answer for pk in self.cleaned_data["answers"]]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="What needs amending", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=True
    )


class AcceptForm(forms.Form):
    note = forms.CharField(label="Note (optional)", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CycleForm(forms.Form):
    template_version = forms.ModelChoiceField(
        label="Template", queryset=TemplateVersion.objects.select_related("template"), empty_label=None
    )
    year = forms.IntegerField(min_value=2000, max_value=2100)
    opens_on = forms.DateField(label="Opens on", widget=DateInput)
    due_on = forms.DateField(label="Returns due by", widget=DateInput)
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies that must return",
        queryset=Agency.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Every active agency is ticked to start with.",
    )
    lock_at_due = forms.BooleanField(
        label="Lock draft returns at the due date", required=False, help_text="Champions cannot change them after it."
    )
    prefill = forms.BooleanField(
        label="Start each return from the agency's answers in the previous cycle",
        required=False,
        initial=True,
        help_text="Copied answers are marked for the champion to check.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["opens_on"].initial = today
        self.fields["agencies"].initial = list(Agency.objects.current_members().values_list("pk", flat=True))
        self.fields["template_version"].label_from_instance = lambda v: str(v)


class TemplateImportForm(forms.Form):
    file = forms.FileField(label="Template file (.yaml, .yml or .csv)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".yaml", ".yml", ".csv")):
            raise forms.ValidationError("Upload a .yaml, .yml or .csv file.")
        if upload.size > 1024 * 1024:
            raise forms.ValidationError("A template file should be well under 1 MB.")
        try:
            upload.text = upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise forms.ValidationError("The file must be saved as UTF-8 text.") from error
        upload.fmt = "csv" if name.endswith(".csv") else "yaml"
        return upload


class ModerationForm(forms.Form):
    """The board's rating beside each self-rating: ``b_<id>`` and ``n_<id>``."""

    def __init__(self, *args, questions: list[Question], answers: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = [q for q in questions if q.kind in (QuestionKind.YES_NO, QuestionKind.LEVEL)]
        for q in self.questions:
            answer = answers.get(q.pk)
            field = answer_field(q, label=f"Board's rating: {q.text}")
            if q.kind == QuestionKind.LEVEL:
                field = forms.ChoiceField(
                    label=field.label,
                    choices=[("", "Not moderated")]
                    + [(str(lv), f"Level {lv} — {q.version.level_label(lv)}") for lv in LEVELS],
                    required=False,
                    widget=forms.Select(attrs={"class": "form-select"}),
                )
            else:
                field = forms.ChoiceField(
                    label=field.label,
                    choices=[("", "Not moderated"), *YES_NO],
                    required=False,
                    widget=forms.Select(attrs={"class": "form-select"}),
                )
            self.fields[f"b_{q.pk}"] = field
            self.fields[f"n_{q.pk}"] = forms.CharField(
                label="Board's note",
                required=False,
                max_length=2000,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
            if answer is not None:
                self.initial[f"b_{q.pk}"] = answer.board_value
                self.initial[f"n_{q.pk}"] = answer.board_note

    def rows(self, answers):
        for q in self.questions:
            yield {"question": q, "answer": answers.get(q.pk), "board": self[f"b_{q.pk}"], "note": self[f"n_{q.pk}"]}

    def ratings(self):
        return {q: (self.cleaned_data[f"b_{q.pk}"], self.cleaned_data[f"n_{q.pk}"]) for q in self.questions}
