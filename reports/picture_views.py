"""The partnership picture page, for the secretariat and the board (those who read the annual reports)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_safe

from reports import picture
from reports.views import reads_reports


class PictureForm(forms.Form):
    template = forms.ChoiceField(label="Audit")
    year = forms.TypedChoiceField(coerce=int, label="Year (gaps of the year before, answers of this year)")

    def __init__(self, *args, templates, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(t.slug, t.name) for t in templates]
        self.fields["year"].choices = [(y, str(y)) for y in years]


@login_required
@require_safe
def partnership_picture(request):
    if not reads_reports(request.user):
        raise PermissionDenied
    templates = list(picture.templates_with_cycles())
    if not templates:
        return render(request, "reports/picture.html", {"form": None, "p": None})
    by_slug = {t.slug: t for t in templates}
    chosen = by_slug.get(request.GET.get("template")) or picture.default_template(templates)
    years = picture.years_of(chosen)
    form = PictureForm(
        request.GET or None, templates=templates, years=years, initial={"template": chosen.slug, "year": years[0]}
    )
    year = years[0]
    if form.is_bound and form.is_valid():
        chosen, year = by_slug[form.cleaned_data["template"]], form.cleaned_data["year"]
    return render(request, "reports/picture.html", {"form": form, "p": picture.picture(template=chosen, year=year)})
