from django import forms


class DateInput(forms.DateInput):
    """A native date picker; it only understands ISO dates, whatever the locale shows."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 - Django's own argument name
        super().__init__(attrs=attrs, format=format)


class FilterSelect(forms.Select):
    """A drop-down list of a list page's filters (``agencies/_filter_fields.html``): its choices are
    read once (a model's rows in one query, not a count and then a cursor), grouped where they are
    (``(group label, [(value, label), ...])``)."""

    @property
    def groups(self) -> list[tuple[str | None, list]]:
        """``(group label or None, [(value, label), ...])`` for each group or ungrouped choice."""
        return [
            (value, label) if isinstance(label, list | tuple) else (None, [(value, label)])
            for value, label in self.choices
        ]
