from django import forms

from imports import tabular

IGNORE = ""


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV or Excel (.xlsx) file",
        help_text=f"At most {tabular.MAX_BYTES // 1024 // 1024} MB and {tabular.MAX_ROWS:,} rows. "
        "Title rows above the headings are fine.",
    )
    sheet = forms.CharField(
        label="Sheet (Excel only)",
        required=False,
        max_length=100,
        help_text="Leave blank to read the first sheet; you can choose another on the next page.",
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > tabular.MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {uploaded.size // 1024:,} KB; the limit is {tabular.MAX_BYTES // 1024 // 1024} MB."
            )
        return uploaded


class ColumnsForm(forms.Form):
    """One choice per column of the file, the sheet and heading row, and the words of value fields."""

    def __init__(self, *args, importer, headings, samples, sheet_names, unknown_words, **kwargs):
        super().__init__(*args, **kwargs)
        self.importer = importer
        self.headings = headings
        if len(sheet_names) > 1:
            self.fields["sheet"] = forms.ChoiceField(label="Sheet", choices=[(n, n) for n in sheet_names])
        self.fields["heading_row"] = forms.IntegerField(
            label="Row holding the headings", min_value=1, max_value=tabular.HEADING_SEARCH_ROWS
        )
        choices = [(IGNORE, "— ignore this column —")] + [(f.key, f.label) for f in importer.fields]
        self.column_names = []
        for index, heading in enumerate(headings):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=heading or f"Column {index + 1} (no heading)", choices=choices, required=False
            )
            self.fields[name].samples = samples.get(index, [])
            self.column_names.append(name)
        self.word_names = []
        for choice in importer.value_choices:
            label = {f.key: f.label for f in importer.fields}[choice.field]
            for word in unknown_words.get(choice.field, []):
                name = f"value_{choice.field}_{len(self.word_names)}"
                self.fields[name] = forms.ChoiceField(
                    label=f"{label} “{word}” means", choices=[("", "— choose —"), *choice.choices], required=False
                )
                self.fields[name].word = word
                self.fields[name].value_field = choice.field
                self.fields[name].suggested = ""  # the meaning pre-selected from its words, if any
                self.word_names.append(name)

    def column_fields(self):
        return [self[name] for name in self.column_names]

    def word_fields(self):
        return [self[name] for name in self.word_names]

    def columns(self) -> dict[str, str]:
        return {name.removeprefix("column_"): self.cleaned_data.get(name) or "" for name in self.column_names}

    def words(self) -> dict[str, dict[str, str]]:
        chosen: dict[str, dict[str, str]] = {}
        for name in self.word_names:
            if self.cleaned_data.get(name):
                f = self.fields[name]
                chosen.setdefault(f.value_field, {})[tabular.normalise(f.word)] = self.cleaned_data[name]
        return chosen

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        chosen = [v for v in self.columns().values() if v]
        labels = self.importer.field_labels()
        twice = sorted({labels[k] for k in chosen if chosen.count(k) > 1})
        if twice:
            raise forms.ValidationError(
                f"Each field can come from one column only: {', '.join(twice)} is chosen twice."
            )
        missing = [f.label for f in self.importer.fields if f.required and f.key not in chosen]
        if missing:
            raise forms.ValidationError(f"Choose the column that holds: {', '.join(missing)}.")
        return cleaned
