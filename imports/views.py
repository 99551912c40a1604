"""The import steps: upload, columns, preview and confirm. Each step re-checks who may import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import Truncator

from imports import flow, tabular
from imports.forms import ColumnsForm, UploadForm
from imports.models import PendingImport

# Rows of the preview's table of changes shown on the page (the counts cover every row).
PREVIEW_ROWS_SHOWN = 200


def _pending(request, pk) -> tuple[PendingImport, flow.Importer, object]:
    """The user's own pending import (anyone else's is a 404) and its target, re-checked."""
    pending = get_object_or_404(PendingImport, pk=pk, created_by=request.user)
    importer = flow.importer_for(pending.kind)
    target = importer.get_target(request.user, pending.target_id)
    return pending, importer, target


STEPS = ["Upload the file", "Match the columns", "Preview and confirm"]


def _common(importer, target) -> dict:
    return {
        "importer": importer,
        "target": target,
        "target_url": importer.target_url(target),
        "target_name": importer.target_name(target),
        "step_labels": STEPS,
    }


@login_required
def upload(request, kind, target_id=None):
    importer = flow.importer_for(kind)
    target = importer.get_target(request.user, target_id)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        uploaded = form.cleaned_data["file"]
        data = uploaded.read()
        try:
            sheet = tabular.read_sheet(uploaded.name, data, form.cleaned_data["sheet"])
        except tabular.FileRefused as refused:
            form.add_error("file", str(refused))
        else:
            flow.discard_stale()
            pending = PendingImport(
                kind=kind,
                target_id=target.pk if target is not None else None,
                created_by=request.user,
                filename=uploaded.name[:255],
                data=data,
                sheet=sheet.sheet,
            )
            _start_mapping(pending, importer, sheet)
            pending.save()
            return redirect("imports:columns", pending.pk)
    return render(
        request,
        "imports/upload.html",
        {"form": form, **_common(importer, target)},
        status=400 if form.errors else 200,
    )


def _start_mapping(pending: PendingImport, importer: flow.Importer, sheet: tabular.Sheet, heading_row=None) -> None:
    """Find the heading row (unless given) and take the remembered mapping for its headings, or suggest one."""
    index = heading_row - 1 if heading_row else sheet.heading_row(flow.known_headings(importer))
    pending.heading_row = index + 1
    headings = [tabular.cell_text(v) for v in sheet.rows[index]] if index < len(sheet.rows) else []
    known = flow.remembered(pending.kind, headings)
    if known is not None:
        pending.columns, pending.values = known.columns, known.values
    else:
        pending.columns, pending.values = flow.suggest(importer, headings), {}


def _samples(sheet: tabular.Sheet, heading_row: int) -> dict[int, list[str]]:
    samples: dict[int, list[str]] = {}
    for values in sheet.rows[heading_row : heading_row + 20]:
        for index, value in enumerate(values):
            text = tabular.cell_text(value)
            if text and len(samples.setdefault(index, [])) < 3:
                samples[index].append(Truncator(text).chars(80))
    return samples


def _unknown_words(pending, importer, sheet) -> dict[str, list[str]]:
    """Words in a value field's column (e.g. status) that neither the portal nor this mapping knows."""
    words: dict[str, list[str]] = {}
    columns = {key: int(i) for i, key in pending.columns.items() if key}
    for choice in importer.value_choices:
        if choice.field not in columns:
            continue
        seen = []
        for values in sheet.rows[pending.heading_row :]:
            index = columns[choice.field]
            text = tabular.cell_text(values[index]) if index < len(values) else ""
            if text and not choice.understood(text) and text not in seen:
                seen.append(text)
        words[choice.field] = seen
    return words


@login_required
def columns(request, pk):
    pending, importer, target = _pending(request, pk)
    try:
        sheet = tabular.read_sheet(pending.filename, bytes(pending.data), pending.sheet)
    except tabular.FileRefused as refused:
        messages.error(request, str(refused))
        return redirect("imports:upload", pending.kind, pending.target_id or 0)
    if request.method == "POST":
        # Another sheet or heading row: read it and suggest again before anything else is checked.
        new_sheet = request.POST.get("sheet", pending.sheet) if len(sheet.sheet_names) > 1 else pending.sheet
        new_row = request.POST.get("heading_row", "")
        if new_sheet != pending.sheet and new_sheet in sheet.sheet_names:
            pending.sheet = new_sheet
            sheet = tabular.read_sheet(pending.filename, bytes(pending.data), pending.sheet)
            _start_mapping(pending, importer, sheet)
            pending.save()
            return redirect("imports:columns", pending.pk)
        if (
            new_row.isdigit()
            and 1 <= int(new_row) <= tabular.HEADING_SEARCH_ROWS
            and int(new_row) != pending.heading_row
        ):
            _start_mapping(pending, importer, sheet, heading_row=int(new_row))
            pending.save()
            return redirect("imports:columns", pending.pk)
    index = pending.heading_row - 1
    headings = [tabular.cell_text(v) for v in sheet.rows[index]] if index < len(sheet.rows) else []
    unknown = _unknown_words(pending, importer, sheet)
    initial = {f"column_{i}": key for i, key in pending.columns.items()}
    initial["heading_row"] = pending.heading_row
    initial["sheet"] = pending.sheet
    form = ColumnsForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        importer=importer,
        headings=headings,
        samples=_samples(sheet, pending.heading_row),
        sheet_names=sheet.sheet_names,
        unknown_words=unknown,
    )
    for name in form.word_names:
        f = form.fields[name]
        form.initial[name] = pending.values.get(f.value_field, {}).get(tabular.normalise(f.word), "")
    if request.method == "POST" and form.is_valid():
        pending.columns = form.columns()
        values = {k: dict(v) for k, v in pending.values.items()}
        for key, words in form.words().items():
            values.setdefault(key, {}).update(words)
        pending.values = values
        pending.save(update_fields=["columns", "values"])
        flow.remember(pending, headings)
        return redirect("imports:preview", pending.pk)
    return render(
        request,
        "imports/columns.html",
        {
            **_common(importer, target),
            "pending": pending,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
def preview(request, pk):
    pending, importer, target = _pending(request, pk)
    missing = flow.missing_required(importer, {k: v for k, v in pending.columns.items() if v})
    if missing:
        messages.error(request, "Choose the column that holds: " + ", ".join(f.label for f in missing) + ".")
        return redirect("imports:columns", pending.pk)
    try:
        if request.method == "POST":
            with transaction.atomic():
                data, problems = flow.table(pending, importer)
                result = flow.Preview(problems=problems)
                if not problems:
                    result = importer.apply(data, pending.values, target, request.user, pending.filename)
                if result.ok:
                    flow.import_record(
                        importer,
                        target=target,
                        filename=pending.filename,
                        result=result,
                        by=request.user,
                        request=request,
                    )
                    pending.delete()
                    messages.success(
                        request,
                        f"Imported {pending.filename}: {result.created:,} {importer.noun(result.created)} added, "
                        f"{result.updated:,} updated, {result.unchanged:,} unchanged.",
                    )
                    return redirect(importer.target_url(target))
                transaction.set_rollback(True)
        else:
            result = flow.run_preview(pending, importer, target, request.user)
    except tabular.FileRefused as refused:
        messages.error(request, str(refused))
        return redirect(reverse("imports:upload", args=[pending.kind, pending.target_id or 0]))
    return render(
        request,
        "imports/preview.html",
        {
            **_common(importer, target),
            "pending": pending,
            "result": result,
            "changes": [c for c in result.changes if c.outcome != flow.UNCHANGED][:PREVIEW_ROWS_SHOWN],
            "created_noun": importer.noun(result.created),
            "shown": PREVIEW_ROWS_SHOWN,
        },
        status=400 if request.method == "POST" else 200,
    )
