from django import forms
from django.utils import timezone


class GenerateForm(forms.Form):
    year = forms.TypedChoiceField(coerce=int, label="Reporting year (January to December)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, this_year - 10, -1)]
        self.fields["year"].initial = this_year - 1 if timezone.localdate().month < 4 else this_year
