"""The import steps: upload, columns, preview and confirm. Each step re-checks who may import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
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
    unknown = flow.unknown_words(pending, importer, sheet)
    suggested = flow.suggested_words(importer, unknown)
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
        word = tabular.normalise(f.word)
        chosen = pending.values.get(f.value_field, {}).get(word, "")
        f.suggested = suggested.get(f.value_field, {}).get(word, "") if not chosen else ""
        form.initial[name] = chosen or f.suggested
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
            try:
                confirmed = flow.confirm(pending, importer, target, request.user, request=request)
            except IntegrityError:
                # Something else wrote the same rows between the lock and the write (not an import):
                # nothing of this import was saved, and previewing again shows where things stand.
                messages.error(
                    request,
                    "These rows changed while you were confirming, so nothing was imported. "
                    "Check the preview again and confirm.",
                )
                return redirect("imports:preview", pending.pk)
            result = confirmed.result
            if result.ok:
                pending.delete()
                _confirmed_message(request, importer, pending, confirmed)
                return redirect(importer.target_url(target))
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
            "already_there": result.already_there[:PREVIEW_ROWS_SHOWN],
            "created_noun": importer.noun(result.created),
            "shown": PREVIEW_ROWS_SHOWN,
        },
        status=400 if request.method == "POST" else 200,
    )


def _confirmed_message(request, importer, pending, confirmed: flow.Confirmed) -> None:
    result = confirmed.result
    # The latest import since this file was uploaded that brought something in (else the latest).
    latest = next((c for c in confirmed.overtaken_by if c.added or c.updated), None) or next(
        iter(confirmed.overtaken_by), None
    )
    if latest is not None:
        who = "you" if latest.created_by_id == request.user.pk else (latest.created_by or "someone else")
        when = f"{timezone.localtime(latest.created_at):%H:%M}"
    if confirmed.nothing_more:
        messages.info(
            request,
            f"These rows were imported a moment ago by {who} (at {when}, from {latest.filename}); "
            f"nothing more was added from {pending.filename}.",
        )
        return
    messages.success(
        request,
        f"Imported {pending.filename}: {result.created:,} {importer.noun(result.created)} added, "
        f"{result.updated:,} updated, {result.unchanged:,} unchanged."
        + (
            f" {who.capitalize() if who == 'you' else who} also imported {latest.filename} here since "
            f"this file was uploaded (at {when}); rows already there were left alone."
            if latest is not None
            else ""
        ),
    )
