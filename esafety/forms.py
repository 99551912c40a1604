from django import forms


class DateInput(forms.DateInput):
    """A native date picker; it only understands ISO dates, whatever the locale shows."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 - Django's own argument name
        super().__init__(attrs=attrs, format=format)
