from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST, require_safe

from accounts import permissions
from activity.models import Action as Activity
from activity.services import activity_record, export_record
from audits import exports, gap_actions, selectors, services
from audits.access import answers_return, get_evidence_for_user, get_return_for_user
from audits.forms import (
    AcceptForm,
    CycleForm,
    EvidenceForm,
    GapActionForm,
    ModerationForm,
    ReasonForm,
    SectionForm,
    TemplateImportForm,
)
from audits.models import Cycle, ReturnStatus, Template, TemplateVersion
from audits.template_io import TemplateFileError
from esafety import charts, figures

# --- landing, templates, cycles --------------------------------------------------------------


@login_required
@require_safe
def index(request):
    """Partnership roles: the cycles. Agency people: their agencies' returns by year."""
    user = request.user
    context = {"manages": permissions.manages_register(user)}
    if permissions.sees_whole_partnership(user):
        context["cycles"] = list(
            Cycle.objects.select_related("template", "template_version").annotate(
                total=Count("returns"),
                done=Count("returns", filter=Q(returns__status__in=[ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED])),
            )
        )
    context["my_returns"] = selectors.returns_by_year(permissions.agency_roles(user).ids())
    context["champion_of"] = permissions.agency_roles(user).ids(permissions.CHAMPION)
    return render(request, "audits/index.html", context)


@login_required
@permissions.partnership_view_required
@require_safe
def template_list(request):
    templates = Template.objects.prefetch_related("versions").annotate(cycle_count=Count("cycles"))
    return render(
        request,
        "audits/template_list.html",
        {"templates": templates, "manages": permissions.manages_register(request.user)},
    )


@login_required
@require_safe
def template_version(request, pk):
    """Anyone signed in may read a template's questions (they are not sensitive)."""
    version = get_object_or_404(TemplateVersion.objects.select_related("template"), pk=pk)
    sections, _ = selectors.version_structure(version)
    return render(request, "audits/template_version.html", {"version": version, "sections": sections})


@login_required
@permissions.register_manager_required
def template_import(request):
    is_post = request.method == "POST"
    form = TemplateImportForm(request.POST if is_post else None, request.FILES if is_post else None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version, changed = services.template_import(text=upload.text, fmt=upload.fmt, by=request.user)
        except TemplateFileError as error:
            errors = error.errors
        else:
            if changed:
                messages.success(request, f"Imported {version}.")
            else:
                messages.info(request, f"{version} already has exactly these questions: nothing changed.")
            return redirect(version)
    return render(request, "audits/template_import.html", {"form": form, "file_errors": errors})


@login_required
@permissions.register_manager_required
def cycle_create(request):
    form = CycleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_open(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"The {cycle} cycle is open: {cycle.returns.count()} agencies must return.")
            return redirect(cycle)
    return render(request, "audits/cycle_form.html", {"form": form})


@login_required
@permissions.partnership_view_required
@require_safe
def cycle_detail(request, pk):
    cycle = get_object_or_404(Cycle.objects.select_related("template", "template_version"), pk=pk)
    returns = list(cycle.returns.select_related("agency", "submitted_by").order_by("agency__name"))
    for r in returns:
        r.cycle = cycle
    counts = {s: sum(1 for r in returns if r.status == s) for s in ReturnStatus.values}
    return render(
        request,
        "audits/cycle_detail.html",
        {
            "cycle": cycle,
            "returns": returns,
            "counts": counts,
            "overdue": sum(1 for r in returns if r.is_overdue),
            "manages": permissions.manages_register(request.user),
        },
    )


# --- collation ---------------------------------------------------------------------------------


def _radar_charts(collation) -> list[dict]:
    axes = [s.title for s in collation.sections]
    average = charts.Series("Partnership average", [c.score for c in collation.average_row], "radar-average")
    benchmark_label = "Board benchmark" if collation.is_maturity else "Every item in place"
    benchmark = charts.Series(benchmark_label, collation.benchmark_row, "radar-benchmark")
    result = []
    for row in collation.heat_rows:
        agency = row["audit_return"].agency
        mine = charts.Series(agency.name, [c.score for c in row["cells"]], "radar-agency")
        series = [mine, average, benchmark]
        chart = charts.radar_chart(
            chart_id=f"radar-{row['audit_return'].pk}",
            title=f"{agency.name} against the partnership average and the benchmark, by section",
            axes=axes,
            series=series,
        )
        result.append({"agency": agency, "audit_return_id": row["audit_return"].pk, "chart": chart})
    return result


@login_required
@permissions.partnership_view_required
@require_safe
def collation(request, pk):
    cycle = get_object_or_404(Cycle.objects.select_related("template", "template_version__template"), pk=pk)
    number = selectors.page_number(request.GET.get("page"))
    # The page comes rendered from the cache while the returns are unchanged: worked out only to render it.
    data = SimpleLazyObject(lambda: selectors.collation_page(cycle, page=number))
    return render(
        request,
        "audits/collation.html",
        {
            "cycle": cycle,
            "c": data,
            "radars": SimpleLazyObject(lambda: _radar_charts(data)),
            "benchmark_row": SimpleLazyObject(lambda: _benchmark_cells(data)),
            **figures.rendered(
                "audits:collation:html", (figures.AUDITS, figures.REGISTER), (cycle.pk, number, timezone.localdate())
            ),
        },
    )


def _benchmark_cells(data) -> list[str]:
    cells = []
    for score in data.benchmark_row:
        if score is None:
            cells.append("—")
        elif data.is_maturity:
            level = 5 - score * 4
            cells.append(f"Level {level:.1f} ({data.cycle.template_version.level_label(round(level))})")
        else:
            cells.append("Every item in place")
    return cells


@login_required
@permissions.partnership_view_required
@require_safe
def collation_export(request, pk, fmt):
    cycle = get_object_or_404(Cycle.objects.select_related("template", "template_version__template"), pk=pk)
    data = selectors.collation_for_cycle(cycle)
    export_record(request, obj=cycle, what=f"Collation of {cycle} ({fmt.upper()})")
    if fmt == "csv":
        return exports.collation_csv(data)
    return exports.collation_xlsx(data)


@login_required
@permissions.partnership_view_required
@require_safe
def cycle_gaps(request, pk, fmt="html"):
    cycle = get_object_or_404(Cycle.objects.select_related("template", "template_version__template"), pk=pk)
    gaps = selectors.gaps_for_cycle(cycle)
    if fmt == "csv":
        export_record(request, obj=cycle, what=f"Gaps of {cycle} (CSV)")
        return exports.gaps_csv(gaps, filename=f"gaps-{cycle.template.slug}-{cycle.year}.csv")
    return render(request, "audits/cycle_gaps.html", {"cycle": cycle, "gaps": gaps})


# --- a return ----------------------------------------------------------------------------------


@login_required
@require_safe
def return_detail(request, pk):
    audit_return = get_return_for_user(request.user, pk)
    view = selectors.return_view(audit_return)
    user = request.user
    return render(
        request,
        "audits/return_detail.html",
        {
            "r": audit_return,
            "view": view,
            "may_answer": answers_return(user, audit_return),
            "manages": permissions.manages_register(user),
            "sees_partnership": permissions.sees_whole_partnership(user),
            "reason_form": ReasonForm(),
            "accept_form": AcceptForm(),
            "evidence_form": EvidenceForm(audit_return=audit_return),
            "max_mb": services.evidence_max_bytes() // 1048576,
        },
    )


def _section_or_404(view, key):
    for index, section in enumerate(view.sections):
        if section.key == key:
            return index, section
    raise Http404("No such section")


@login_required
def return_section(request, pk, key):
    """A champion answers one section; every save is checked against the version they loaded."""
    audit_return = get_return_for_user(request.user, pk, answer=True)
    view = selectors.return_view(audit_return)
    index, section = _section_or_404(view, key)
    if not audit_return.is_open_for_answers:
        messages.error(request, "This return cannot be changed now.")
        return redirect(audit_return)
    form = SectionForm(
        request.POST if request.method == "POST" else None,
        questions=section.question_list,
        answers=view.answers,
        initial={"version": audit_return.version},
    )
    theirs = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.return_save_answers(
                audit_return=audit_return,
                expected_version=form.cleaned_data["version"],
                answers=form.answer_inputs(),
                by=request.user,
            )
        except services.StaleReturnError:
            audit_return.refresh_from_db()
            theirs = _unsaved(form, view)
            who = audit_return.last_saved_by.full_name if audit_return.last_saved_by else "Someone"
            when = date_format(timezone.localtime(audit_return.last_saved_at), "j F Y, H:i")
            messages.error(
                request,
                f"{who} saved this return at {when}, after you opened this page, so your answers were not saved. "
                "The form now shows the newest answers; what you had entered is shown under each question that "
                "differs. Check them and save again.",
            )
            form = SectionForm(
                questions=section.question_list,
                answers=view.answers,
                initial={"version": audit_return.version},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Your answers to '{section.title}' have been saved as a draft.")
            if request.POST.get("go") == "next" and index + 1 < len(view.sections):
                return redirect("audits:return_section", audit_return.pk, view.sections[index + 1].key)
            if request.POST.get("go") == "review":
                return redirect("audits:return_submit", audit_return.pk)
            return redirect("audits:return_section", audit_return.pk, section.key)
    return render(
        request,
        "audits/return_section.html",
        {
            "r": audit_return,
            "view": view,
            "section": section,
            "form": form,
            "theirs": theirs,
            "previous_section": view.sections[index - 1] if index else None,
            "next_section": view.sections[index + 1] if index + 1 < len(view.sections) else None,
            "evidence_form": EvidenceForm(audit_return=audit_return, initial={}),
            "max_mb": services.evidence_max_bytes() // 1048576,
        },
    )


def _unsaved(form, view) -> dict:
    """What the user typed that differs from the newest saved answers, by question id (for display)."""
    unsaved = {}
    for question, entered in form.answer_inputs().items():
        current = view.answers.get(question.pk)
        try:
            value = services.normalise_value(question, entered.value)
        except ValidationError:
            value = str(entered.value)
        if value != (current.value if current else "") or entered.comment.strip() != (
            current.comment if current else ""
        ):
            unsaved[question.pk] = {"value": question.display(value) or "(blank)", "comment": entered.comment}
    return unsaved


@login_required
def return_submit(request, pk):
    audit_return = get_return_for_user(request.user, pk, answer=True)
    missing = services.missing_required(audit_return) if audit_return.is_editable_status else []
    if request.method == "POST":
        try:
            services.return_submit(audit_return=audit_return, by=request.user)
        except services.MissingAnswersError as error:
            missing = error.questions
            messages.error(request, f"Not submitted: {len(missing)} required question(s) still need an answer.")
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(audit_return)
        else:
            messages.success(request, "Your return has been submitted to the board secretariat. Thank you.")
            return redirect(audit_return)
    return render(request, "audits/return_submit.html", {"r": audit_return, "missing": missing})


@login_required
@permissions.register_manager_required
@require_POST
def return_send_back(request, pk):
    audit_return = get_return_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not returned: say what needs amending.")
        return redirect(audit_return)
    try:
        services.return_send_back(audit_return=audit_return, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"The return of {audit_return.agency.name} has been returned for amendment.")
    return redirect(audit_return)


@login_required
@permissions.register_manager_required
@require_POST
def return_accept(request, pk):
    audit_return = get_return_for_user(request.user, pk)
    form = AcceptForm(request.POST)
    form.is_valid()
    try:
        services.return_accept(audit_return=audit_return, note=form.cleaned_data.get("note", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"The return of {audit_return.agency.name} has been accepted.")
    return redirect(audit_return)


@login_required
@permissions.register_manager_required
def return_moderate(request, pk):
    audit_return = get_return_for_user(request.user, pk)
    view = selectors.return_view(audit_return)
    questions = [q for s in view.sections for q in s.question_list]
    form = ModerationForm(request.POST if request.method == "POST" else None, questions=questions, answers=view.answers)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.return_moderate(audit_return=audit_return, ratings=form.ratings(), by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(audit_return)
        messages.success(request, f"The board's ratings have been saved ({count} changed).")
        return redirect(audit_return)
    return render(
        request,
        "audits/return_moderate.html",
        {"r": audit_return, "form": form, "rows": list(form.rows(view.answers))},
    )


@login_required
@require_safe
def return_changes(request, pk):
    audit_return = get_return_for_user(request.user, pk)
    old_return, rows = selectors.return_changes(audit_return)
    return render(
        request,
        "audits/return_changes.html",
        {"r": audit_return, "old": old_return, "rows": rows, "changed": sum(1 for row in rows if row["changed"])},
    )


def _may_make_actions(user, audit_return) -> bool:
    """The secretariat, or a champion of the agency, turns gaps into actions."""
    return permissions.manages_register(user) or answers_return(user, audit_return)


@login_required
def return_gaps(request, pk, fmt="html"):
    """The gaps of one return; the champion or the secretariat can turn chosen gaps into actions."""
    audit_return = get_return_for_user(request.user, pk)
    if request.method == "POST" and not _may_make_actions(request.user, audit_return):
        raise PermissionDenied
    gaps = selectors.gaps_for_return(audit_return)
    if fmt == "csv":
        name = f"gaps-{audit_return.cycle.template.slug}-{audit_return.cycle.year}-{audit_return.agency_id}.csv"
        export_record(request, obj=audit_return, what=f"Gaps of the return #{audit_return.pk} (CSV)")
        return exports.gaps_csv(gaps, filename=name)
    may_act = (
        _may_make_actions(request.user, audit_return)
        and audit_return.status in (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED)
        and gap_actions.available()
    )
    form = None
    if may_act:
        form = GapActionForm(
            request.POST if request.method == "POST" else None, gaps=gaps, objectives=gap_actions.objectives()
        )
        if request.method == "POST" and form.is_valid():
            try:
                created = gap_actions.gaps_to_actions(
                    audit_return=audit_return,
                    answers=form.chosen_answers(),
                    objective=form.cleaned_data["objective"],
                    due_on=form.cleaned_data["due_on"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, f"{len(created)} action{'s' if len(created) != 1 else ''} added to the action plan."
                )
                return redirect("audits:return_gaps", audit_return.pk)
    elif request.method == "POST":
        messages.error(request, "Gaps become actions once the return is submitted and the action plan has objectives.")
        return redirect("audits:return_gaps", audit_return.pk)
    return render(
        request,
        "audits/return_gaps.html",
        {
            "r": audit_return,
            "gaps": gaps,
            "form": form,
            "chosen": request.POST.getlist("answers") if request.method == "POST" else [],
        },
    )


# --- evidence ------------------------------------------------------------------------------------


@login_required
@require_POST
def evidence_upload(request, pk):
    audit_return = get_return_for_user(request.user, pk, answer=True)
    form = EvidenceForm(request.POST, request.FILES, audit_return=audit_return)
    back = request.POST.get("section")
    target = ("audits:return_section", audit_return.pk, back) if back else (audit_return.get_absolute_url(),)
    if not form.is_valid():
        problems = "; ".join(e for errors in form.errors.values() for e in errors)
        messages.error(request, f"The file was not added: {problems}")
        return redirect(*target)
    try:
        evidence = services.evidence_add(
            audit_return=audit_return,
            uploaded_file=form.cleaned_data["file"],
            question=form.cleaned_data["question"],
            description=form.cleaned_data["description"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, f"The file was not added: {error.messages[0]}")
    else:
        messages.success(request, f"'{evidence.original_name}' has been added to the return.")
    return redirect(*target)


@login_required
@require_safe
def evidence_download(request, pk):
    evidence = get_evidence_for_user(request.user, pk)
    if evidence.archived_at and not permissions.manages_register(request.user):
        raise Http404("This file has been removed from the return.")
    activity_record(
        Activity.FILE_DOWNLOADED,
        request=request,
        obj=evidence,
        agency=evidence.audit_return.agency,
        summary=f"Evidence #{evidence.pk} of the return #{evidence.audit_return_id}",
    )
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def evidence_archive(request, pk):
    evidence = get_evidence_for_user(request.user, pk, answer=True)
    try:
        services.evidence_archive(evidence=evidence, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"'{evidence.original_name}' has been taken off the return.")
    return redirect(evidence.audit_return)
