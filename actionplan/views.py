import datetime
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig

from accounts import permissions
from actionplan import access, plan_io, selectors, services
from actionplan.filters import ActionFilter
from actionplan.forms import (
    ActionEditForm,
    ActionForm,
    ChangedSinceForm,
    NewActionStatusForm,
    ObjectiveForm,
    PlanForm,
    PriorityForm,
    ProgressUpdateForm,
    StatusChangeForm,
)
from actionplan.models import Objective, Plan, Priority
from actionplan.tables import ActionTable
from activity.models import Action as Activity
from activity.services import activity_record, export_record
from esafety import charts, figures
from imports import views as imports_views


def _plan_or_404(pk) -> Plan:
    return get_object_or_404(Plan.objects.active(), pk=pk)


# --- reading the plan -------------------------------------------------------------


@login_required
@require_safe
def dashboard(request):
    """The current plan's dashboard (or the list of plans when there is none yet)."""
    plan = selectors.current_plan()
    if plan is None:
        return redirect("actionplan:plan_list")
    return plan_dashboard(request, plan.pk)


# The dashboard lists this many overdue actions, status changes and progress updates; its numbers
# count them all and each list links to the whole of it.
DASHBOARD_LIST_LIMIT = 20


def _since(request, *, default_days: int | None = 90) -> tuple[ChangedSinceForm, datetime.date | None]:
    """The "changed since" date asked for, or ``default_days`` ago (None: no date)."""
    since_form = ChangedSinceForm(request.GET or None)
    since = timezone.localdate() - datetime.timedelta(days=default_days) if default_days is not None else None
    if since_form.is_valid() and since_form.cleaned_data["since"]:
        since = since_form.cleaned_data["since"]
    return since_form, since


@login_required
@require_safe
def plan_dashboard(request, pk):
    plan = _plan_or_404(pk)
    since_form, since = _since(request)
    # The counts and lists come rendered from the cache while the plan is unchanged: worked out only to render them.
    dashboard = SimpleLazyObject(lambda: selectors.dashboard_figures(plan, since, limit=DASHBOARD_LIST_LIMIT))
    return render(
        request,
        "actionplan/dashboard.html",
        {
            "plan": plan,
            **{name: SimpleLazyObject(partial(dashboard.__getitem__, name)) for name in selectors.DASHBOARD_FIGURES},
            "chart": SimpleLazyObject(lambda: charts.rag_bar_chart(dashboard["rows"])),
            "since": since,
            "since_form": since_form,
            "edits_plan": access.edits_plan(request.user),
            **figures.rendered(
                "actionplan:dashboard:html",
                (figures.PLAN, figures.REGISTER),
                (plan.pk, since, DASHBOARD_LIST_LIMIT, timezone.localdate()),
            ),
        },
    )


@login_required
@require_safe
def plan_list(request):
    edits_plan = access.edits_plan(request.user)
    return render(
        request,
        "actionplan/plan_list.html",
        {
            "plans": Plan.objects.active(),
            # Archived plans are out of everyone's way; those who keep the plan can bring one back.
            "archived": Plan.objects.filter(archived_at__isnull=False).order_by("-archived_at") if edits_plan else [],
            "edits_plan": edits_plan,
        },
    )


# Actions on a page of the plan as a table: most plans fit on one; the export holds every action.
PLAN_TABLE_PER_PAGE = 100


@login_required
@require_safe
def plan_table(request, pk):
    plan = _plan_or_404(pk)
    page_number = request.GET.get("page", "")[:12]
    # The same for everyone who reads the plan: kept rendered in the cache while the plan is unchanged,
    # and worked out only to render it.
    table = SimpleLazyObject(lambda: selectors.plan_table(plan, page_number=page_number, per_page=PLAN_TABLE_PER_PAGE))
    return render(
        request,
        "actionplan/plan_table.html",
        {
            "plan": plan,
            "priorities": SimpleLazyObject(lambda: table.priorities),
            "page": SimpleLazyObject(lambda: table.page),
            "today": timezone.localdate(),
            **figures.rendered(
                "actionplan:table:html",
                (figures.PLAN, figures.REGISTER),
                (plan.pk, page_number, PLAN_TABLE_PER_PAGE, timezone.localdate()),
            ),
        },
    )


@login_required
@require_safe
def action_list(request):
    plan_pk = request.GET.get("plan")
    plan = _plan_or_404(plan_pk) if plan_pk and plan_pk.isdigit() else selectors.current_plan()
    if plan is None:
        return redirect("actionplan:plan_list")
    action_filter = ActionFilter(request.GET, queryset=selectors.plan_actions(plan), plan=plan)
    table = ActionTable(action_filter.qs, order_by=("ref",))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "actionplan/action_list.html",
        {"plan": plan, "filter": action_filter, "table": table, "edits_plan": access.edits_plan(request.user)},
    )


@login_required
@require_safe
def action_detail(request, pk):
    action = access.get_action(pk)
    may_update = not action.is_archived and access.may_update_action(request.user, action)
    return render(
        request,
        "actionplan/action_detail.html",
        {
            "action": action,
            "updates": list(action.updates.select_related("by")),
            "status_changes": list(action.status_changes.select_related("by")),
            "may_update": may_update,
            "edits_plan": access.edits_plan(request.user),
            "update_form": ProgressUpdateForm(action=action) if may_update else None,
            # The lead agency's page is linked only for those who may open it (others would get a 404).
            "links_lead_agency": action.lead_agency_id is not None
            and (
                permissions.sees_whole_partnership(request.user)
                or action.lead_agency_id in permissions.agency_roles(request.user).ids()
            ),
        },
    )


# --- the lead's updates -----------------------------------------------------------------


@login_required
def progress_update(request, pk):
    """The lead (or the secretariat) posts a progress note and may change the status with it."""
    action = access.get_action_for_update(request.user, pk)
    form = ProgressUpdateForm(request.POST if request.method == "POST" else None, action=action)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            services.progress_update_add(action=action, text=data["text"], by=request.user)
            if data["status"]:
                services.action_set_status(
                    action=action, status=data["status"], reason=data["reason"] or data["text"], by=request.user
                )
        note = f" Status is now {action.get_status_display()}." if data["status"] else ""
        messages.success(request, f"Your progress update on {action.ref} has been posted.{note}")
        return redirect(action)
    return render(request, "actionplan/progress_form.html", {"action": action, "form": form}, status=_status(form))


@login_required
def status_change(request, pk):
    action = access.get_action_for_update(request.user, pk)
    form = StatusChangeForm(request.POST if request.method == "POST" else None, action=action)
    if request.method == "POST" and form.is_valid():
        services.action_set_status(
            action=action, status=form.cleaned_data["status"], reason=form.cleaned_data["reason"], by=request.user
        )
        messages.success(request, f"{action.ref} is now {action.get_status_display()}.")
        return redirect(action)
    return render(request, "actionplan/status_form.html", {"action": action, "form": form}, status=_status(form))


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


# --- the secretariat edits the plan -------------------------------------------------------


@login_required
def plan_create(request):
    access.require_plan_editor(request.user)
    form = PlanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(by=request.user, **form.cleaned_data)
        messages.success(request, f"{plan} has been created. Add its priorities and objectives next.")
        return redirect("actionplan:plan_structure", plan.pk)
    return render(
        request, "actionplan/simple_form.html", {"form": form, "title": "New action plan"}, status=_status(form)
    )


@login_required
def plan_edit(request, pk):
    access.require_plan_editor(request.user)
    plan = _plan_or_404(pk)
    form = PlanForm(request.POST if request.method == "POST" else None, instance=plan)
    if request.method == "POST" and form.is_valid():
        services.plan_update(plan=Plan.objects.get(pk=plan.pk), by=request.user, **form.cleaned_data)
        messages.success(request, "The plan's details have been saved.")
        return redirect("actionplan:plan_structure", plan.pk)
    return render(
        request,
        "actionplan/simple_form.html",
        {"form": form, "plan": plan, "title": f"Edit {plan}"},
        status=_status(form),
    )


@login_required
@require_POST
def plan_archive(request, pk):
    access.require_plan_editor(request.user)
    plan = get_object_or_404(Plan, pk=pk)
    if request.POST.get("restore"):
        services.plan_restore(plan=plan, by=request.user)
        messages.success(request, f"{plan} is back among the action plans.")
        return redirect("actionplan:plan_list")
    try:
        services.plan_archive(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        activity_record(Activity.ARCHIVED, request=request, obj=plan, summary=str(plan))
        messages.success(request, f"{plan} has been archived. Its actions and their history are kept.")
    return redirect("actionplan:plan_list")


@login_required
@require_safe
def plan_structure(request, pk):
    """Priorities and objectives of a plan, with links to add and edit them."""
    access.require_plan_editor(request.user)
    plan = _plan_or_404(pk)
    priorities = Priority.objects.filter(plan=plan).prefetch_related("objectives")
    return render(request, "actionplan/plan_structure.html", {"plan": plan, "priorities": priorities})


@login_required
def priority_form(request, pk, priority_pk=None):
    access.require_plan_editor(request.user)
    plan = _plan_or_404(pk)
    priority = get_object_or_404(Priority, pk=priority_pk, plan=plan) if priority_pk else None
    initial = {"number": Priority.objects.filter(plan=plan).count() + 1} if priority is None else {}
    form = PriorityForm(
        request.POST if request.method == "POST" else None, instance=priority, plan=plan, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.plan = plan
        saved.save()
        figures.bump(figures.PLAN)
        messages.success(request, f"Priority {saved} has been saved.")
        return redirect("actionplan:plan_structure", plan.pk)
    title = f"Edit priority {priority.number}" if priority else "Add a strategic priority"
    return render(
        request, "actionplan/simple_form.html", {"form": form, "plan": plan, "title": title}, status=_status(form)
    )


@login_required
def objective_form(request, pk, objective_pk=None):
    access.require_plan_editor(request.user)
    plan = _plan_or_404(pk)
    objective = get_object_or_404(Objective, pk=objective_pk, priority__plan=plan) if objective_pk else None
    initial = {"priority": request.GET.get("priority")} if objective is None else {}
    form = ObjectiveForm(
        request.POST if request.method == "POST" else None, instance=objective, plan=plan, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        figures.bump(figures.PLAN)
        messages.success(request, f"Objective {saved.number} has been saved.")
        return redirect("actionplan:plan_structure", plan.pk)
    title = f"Edit objective {objective.number}" if objective else "Add an objective"
    return render(
        request, "actionplan/simple_form.html", {"form": form, "plan": plan, "title": title}, status=_status(form)
    )


@login_required
def action_create(request, pk):
    access.require_plan_editor(request.user)
    plan = _plan_or_404(pk)
    bound = request.POST if request.method == "POST" else None
    form = ActionForm(bound, plan=plan, initial={"objective": request.GET.get("objective")})
    status_form = NewActionStatusForm(bound)
    if request.method == "POST" and form.is_valid() and status_form.is_valid():
        try:
            action = services.action_create(
                by=request.user, status=status_form.cleaned_data["status"], **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Action {action.ref} has been added to the plan.")
            return redirect(action)
    return render(
        request,
        "actionplan/action_form.html",
        {"form": form, "status_form": status_form, "plan": plan, "title": "Add an action"},
        status=_status(form),
    )


@login_required
def action_edit(request, pk):
    access.require_plan_editor(request.user)
    action = access.get_action(pk, include_archived=False)
    form = ActionEditForm(request.POST if request.method == "POST" else None, instance=action, plan=action.plan)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        services.action_update(action=access.get_action(pk), by=request.user, changes=changes)
        messages.success(request, f"Action {action.ref} has been saved.")
        return redirect(action)
    return render(
        request,
        "actionplan/action_form.html",
        {"form": form, "plan": action.plan, "action": action, "title": f"Edit action {action.ref}"},
        status=_status(form),
    )


@login_required
@require_POST
def action_archive(request, pk):
    access.require_plan_editor(request.user)
    action = access.get_action(pk)
    if request.POST.get("restore"):
        services.action_restore(action=action, by=request.user)
        messages.success(request, f"Action {action.ref} is back on the plan.")
    else:
        services.action_archive(action=action, by=request.user)
        messages.success(request, f"Action {action.ref} has been archived. Its history is kept.")
    return redirect(action)


# --- import and export ------------------------------------------------------------------------


@login_required
def plan_import(request, pk):
    """The first step of the import flow for this plan (see ``imports.views``)."""
    return imports_views.upload(request, plan_io.IMPORTER.kind, pk)


@login_required
@require_safe
def plan_export(request, pk, fmt):
    plan = _plan_or_404(pk)
    stamp = timezone.localdate().isoformat()
    if fmt in ("csv", "xlsx"):
        export_record(request, obj=plan, what=f"Action plan {plan.period} ({fmt.upper()})")
    if fmt == "csv":
        response = HttpResponse(plan_io.export_csv(plan), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            plan_io.export_xlsx(plan),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="action-plan-{plan.period}-{stamp}.{fmt}"'
    return response


# Status changes or progress updates on a page of the plan's history.
HISTORY_PER_PAGE = 100


@login_required
@require_safe
def status_history(request, pk):
    """Every status change of a plan, newest first (who, when, old, new, why); with ``since``, the
    changes of status since that date, as counted on the dashboard."""
    plan = _plan_or_404(pk)
    since_form, since = _since(request, default_days=None)
    page = Paginator(selectors.status_changes(plan, since), HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "actionplan/status_history.html",
        {"plan": plan, "page": page, "changes": page.object_list, "since": since, "since_form": since_form},
    )


@login_required
@require_safe
def progress_updates(request, pk):
    """The plan's progress updates, newest first, since a date if one is given."""
    plan = _plan_or_404(pk)
    since_form, since = _since(request, default_days=None)
    page = Paginator(selectors.progress_updates(plan, since), HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "actionplan/progress_updates.html",
        {"plan": plan, "page": page, "updates": page.object_list, "since": since, "since_form": since_form},
    )
