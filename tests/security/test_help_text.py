"""Help text is text: a form field's help never becomes markup, wherever it comes from."""

from django import forms
from django.template.loader import render_to_string


class _Form(forms.Form):
    name = forms.CharField(help_text='Eastgate "><b>Youth</b> Club')


def test_form_help_text_is_escaped_by_the_portals_form_layout():
    html = render_to_string("includes/form.html", {"form": _Form()})
    assert "<b>Youth</b>" not in html
    assert "Eastgate &quot;&gt;&lt;b&gt;Youth&lt;/b&gt; Club" in html
