import copy
import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST, require_safe

from accounts import permissions
from activity.services import export_record
from agencies.listing import address_key, filters_key, listing
from esafety import figures as figure_cache
from imports.tabular import safe_cell
from incidents import access, areas, selectors, services, tables, wizard
from incidents.filters import IncidentFilter
from incidents.forms import (
    ChronologyForm,
    CloseForm,
    MonitoringForm,
    NudesForm,
    PeopleFormSet,
    QuestionsForm,
    ReferralForm,
    StartForm,
    TriageForm,
    WhatForm,
    WhenWhereForm,
)


def _post(request):
    return request.POST if request.method == "POST" else None


# --- lists ---------------------------------------------------------------------------------

INCIDENTS_PER_PAGE = 50


@login_required
@require_safe
def incident_list(request):
    """Champions: their agencies' incidents. Staff: what they reported. Leads: what was escalated to them."""
    if access.sees_monitoring(request.user):
        raise PermissionDenied
    user = request.user
    # The person's own list, kept until an incident, a referral or their roles change (or the day does:
    # nominations end): the count of what the filters find, which grows with their history, and each
    # page of the list as rendered (back and forth between the list and the incidents on it). Nothing
    # below is read unless the page is not kept yet.
    mine = (figure_cache.INCIDENTS, figure_cache.REGISTER)
    today = timezone.localdate()

    def worked_out():
        incident_filter = IncidentFilter(request.GET, queryset=selectors.incident_list(user), request=request)
        found = incident_filter.qs
        count = figure_cache.cached(
            "incidents:list:count", found.count, areas=mine, scope=(user.pk, today, filters_key(request))
        )
        incidents = listing(
            request,
            found.order_by(*tables.DEFAULT_ORDER),
            columns=tables.COLUMNS,
            per_page=INCIDENTS_PER_PAGE,
            count=count,
        )
        return {"filter": incident_filter, "listing": incidents, "rows": tables.rows(incidents.rows)}

    return render(
        request,
        "incidents/incident_list.html",
        {
            "incident_page": SimpleLazyObject(worked_out),
            "may_log": access.may_log_incidents(user),
            **figure_cache.rendered("incidents:list:html", mine, (user.pk, today, address_key(request))),
        },
    )


# --- reporting, page by page ---------------------------------------------------------------


@login_required
def incident_start(request):
    if not access.may_log_incidents(request.user):
        raise PermissionDenied
    agencies = permissions.agencies_for(request.user).filter(pk__in=access.reporting_agency_ids(request.user))
    form = StartForm(_post(request), agencies=agencies, initial={"agency": agencies.first()})
    if request.method == "POST" and form.is_valid():
        incident = services.incident_start(agency=form.cleaned_data["agency"], by=request.user)
        return redirect("incidents:page", pk=incident.pk, page="when")
    return render(request, "incidents/start.html", {"form": form, "drafts": selectors.reporter_drafts(request.user)})


PAGE_FORMS = {"when": WhenWhereForm, "what": WhatForm, "nudes": NudesForm}


def _page_form(incident, page, data):
    if page in PAGE_FORMS:
        # The form works on a copy, so the service sees what changed.
        return PAGE_FORMS[page](data, instance=copy.copy(incident))
    if page == "questions":
        return QuestionsForm(data, incident=incident)
    if page == "people":
        return PeopleFormSet(data, queryset=incident.people.filter(removed_at__isnull=True), prefix="people")
    return None


def _save_page(incident, page, form, user):
    if page == "questions":
        services.incident_save_page(incident=incident, page=page, fields=form.answers(), by=user)
    elif page == "people":
        people = []
        for person_form in form.forms:
            data = dict(person_form.cleaned_data)
            if not person_form.instance.pk and not person_form.has_changed():
                continue
            data.pop("id", None)
            people.append({**data, "pk": person_form.instance.pk})
        services.incident_save_people(incident=incident, people=people, by=user)
    else:
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        services.incident_save_page(incident=incident, page=page, fields=fields, by=user)


@login_required
def incident_page(request, pk, page):
    """One page of the guided form. Each page is validated and saved to the draft in the database."""
    incident = access.get_draft_for_reporter(request.user, pk)
    if not incident.is_draft:
        messages.info(request, f"{incident.reference} has been submitted: it can no longer be edited.")
        return redirect(incident)
    if not wizard.reachable(incident, page):
        return redirect("incidents:page", pk=incident.pk, page=wizard.resume_page(incident))
    form = _page_form(incident, page, _post(request))
    missing, save_errors = [], []
    if request.method == "POST":
        if page == "review":
            try:
                services.incident_submit(incident=incident, by=request.user)
            except ValidationError as error:
                missing = error.messages
            else:
                messages.success(
                    request,
                    f"{incident.reference} has been reported. Your agency's e-safety champion has been told.",
                )
                return redirect(incident)
        elif form.is_valid():
            try:
                _save_page(incident, page, form, request.user)
            except ValidationError as error:
                # Changed in another tab meanwhile: say so, and keep what was typed on the screen.
                save_errors = error.messages
            else:
                if request.POST.get("then") == "later":
                    messages.success(
                        request, f"Your draft {incident.reference} is saved. Continue it from your home page."
                    )
                    return redirect("home")
                following = wizard.next_page(incident, page)
                return redirect("incidents:page", pk=incident.pk, page=following.key if following else "review")
    context = {
        "incident": incident,
        "page": wizard.page(page),
        "pages": [(p, wizard.reachable(incident, p.key)) for p in wizard.pages_for(incident)],
        "previous": wizard.previous_page(incident, page),
        "form": form,
        "missing": missing,
        "save_errors": save_errors,
    }
    services.incident_view_record(incident=incident, request=request, what=f"Draft, {wizard.page(page).title}")
    if page == "review":
        context.update(
            assessment=incident.assessment(),
            people=list(incident.people.filter(removed_at__isnull=True)),
            missing=missing or services.missing_for_submission(incident),
        )
    return render(request, "incidents/report_page.html", context)


@login_required
@require_POST
def draft_withdraw(request, pk):
    incident = access.get_draft_for_reporter(request.user, pk)
    try:
        services.draft_withdraw(incident=incident, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(incident)
    messages.success(request, f"Draft {incident.reference} has been withdrawn. It is kept in the records.")
    return redirect("home")


# --- the incident and its handling ---------------------------------------------------------


def _render_detail(request, incident, **forms):
    services.incident_view_record(incident=incident, request=request)
    context = selectors.incident_page(incident=incident, user=request.user)
    if context["handles"] and not incident.is_closed:
        context["triage_form"] = forms.get("triage_form") or TriageForm(instance=copy.copy(incident))
        context["chronology_form"] = forms.get("chronology_form") or ChronologyForm()
        context["referral_form"] = forms.get("referral_form") or ReferralForm(prefix="referral")
        context["close_form"] = forms.get("close_form") or CloseForm(instance=copy.copy(incident))
    context["close_errors"] = forms.get("close_errors", [])
    status = 400 if forms else 200
    return render(request, "incidents/incident_detail.html", context, status=status)


@login_required
@require_safe
def incident_detail(request, pk):
    incident = access.get_incident_for_user(request.user, pk)
    if incident.is_draft:
        return redirect("incidents:page", pk=incident.pk, page=wizard.resume_page(incident))
    return _render_detail(request, incident)


@login_required
@require_safe
def incident_history(request, pk):
    incident = access.get_incident_for_user(request.user, pk)
    services.incident_view_record(incident=incident, request=request, what="History")
    return render(
        request, "incidents/incident_history.html", {"incident": incident, "history": selectors.history_page(incident)}
    )


@login_required
@require_POST
def incident_triage(request, pk):
    incident = access.get_incident_for_user(request.user, pk, write=True)
    form = TriageForm(request.POST, instance=copy.copy(incident))
    if not form.is_valid():
        return _render_detail(request, incident, triage_form=form)
    try:
        services.incident_triage(incident=incident, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{incident.reference} triaged: {incident.get_concern_level_display()} concern.")
    return redirect(incident)


@login_required
@require_POST
def chronology_add(request, pk):
    incident = access.get_incident_for_user(request.user, pk, write=True)
    form = ChronologyForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, incident, chronology_form=form)
    try:
        services.chronology_add(
            incident=incident, happened_at=form.happened_at(), action=form.cleaned_data["action"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The action has been added to the chronology.")
    return redirect(f"{incident.get_absolute_url()}#chronology")


@login_required
@require_POST
def referral_add(request, pk):
    incident = access.get_incident_for_user(request.user, pk, write=True)
    form = ReferralForm(request.POST, prefix="referral")
    if not form.is_valid():
        return _render_detail(request, incident, referral_form=form)
    try:
        referral = services.referral_add(incident=incident, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"The referral to {referral.get_agency_type_display()} has been recorded.")
    return redirect(f"{incident.get_absolute_url()}#referrals")


@login_required
def referral_edit(request, pk, referral_pk):
    referral = access.get_referral_for_user(request.user, pk, referral_pk)
    incident = referral.incident
    lead_only = not access.handles(request.user, incident)
    form = ReferralForm(_post(request), instance=copy.copy(referral), lead_only=lead_only)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_update(referral=referral, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The referral to {referral.get_agency_type_display()} has been saved.")
            return redirect(f"{incident.get_absolute_url()}#referrals")
    services.incident_view_record(incident=incident, request=request, what="Referral")
    return render(request, "incidents/referral_form.html", {"form": form, "referral": referral, "incident": incident})


@login_required
@require_POST
def incident_close(request, pk):
    incident = access.get_incident_for_user(request.user, pk, write=True)
    form = CloseForm(request.POST, instance=copy.copy(incident))
    if not form.is_valid():
        return _render_detail(request, incident, close_form=form)
    try:
        services.incident_close(incident=incident, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _render_detail(request, incident, close_form=form, close_errors=error.messages)
    messages.success(request, f"{incident.reference} is closed.")
    return redirect(incident)


# --- monitoring: anonymised figures ---------------------------------------------------------


def _period(request):
    start, end = selectors.quarter_of(timezone.localdate())
    form = MonitoringForm(request.GET or None, initial={"start": start, "end": end})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, start, end


@login_required
@require_safe
def monitoring(request):
    if not access.sees_monitoring(request.user):
        raise PermissionDenied
    form, start, end = _period(request)
    # The tables come rendered from the cache while the figures are unchanged: worked out only to render them.
    counted = SimpleLazyObject(lambda: selectors.monitoring_page(start=start, end=end))
    context = {
        "start": start,
        "end": end,
        "breakdowns": SimpleLazyObject(lambda: counted[0]["breakdowns"]),
        "total": SimpleLazyObject(lambda: counted[0]["total"]),
        "nature": SimpleLazyObject(lambda: counted[1]),
        **figure_cache.rendered(
            "incidents:monitoring:html", (figure_cache.INCIDENTS, figure_cache.REGISTER), (start, end)
        ),
        "form": form,
        "quarters": selectors.recent_quarters(timezone.localdate()),
        "threshold": selectors.THRESHOLD,
        "areas": areas.explained(),
        "areas_source": areas.SOURCE,
        "areas_version": areas.VERSION,
    }
    return render(request, "incidents/monitoring.html", context)


@login_required
@require_safe
def monitoring_csv(request):
    if not access.sees_monitoring(request.user):
        raise PermissionDenied
    _, start, end = _period(request)
    figures, nature = selectors.monitoring_page(start=start, end=end)
    export_record(request, what=f"Incident figures (CSV), {start:%d/%m/%Y} to {end:%d/%m/%Y}")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="incident-figures-{start}-to-{end}.csv"'
    writer = csv.writer(response)
    writer.writerow(["E-safety incidents reported", f"{start:%d/%m/%Y} to {end:%d/%m/%Y}"])
    writer.writerow(
        ["Counts of 1 to 4 are shown as <5; 'hidden' cells and counts rounded to 5 stop them being worked out."]
    )
    writer.writerow([f"Areas of risk as in {areas.SOURCE} (grouping version {areas.VERSION})."])
    for breakdown in figures["breakdowns"]:
        writer.writerow([])
        if breakdown.groups:
            # Categories carry their area of risk in a third column.
            writer.writerow([breakdown.title, "Count", "Area of risk"])
            for group, label, cell in breakdown.grouped_rows:
                writer.writerow([safe_cell(label), cell.shown, safe_cell(group)])
        else:
            writer.writerow([breakdown.title, "Count"])
            for label, cell in breakdown.rows:
                writer.writerow([safe_cell(label), cell.shown])
        writer.writerow([breakdown.total_label, breakdown.total.shown])
    writer.writerow([])
    writer.writerow([f"Areas of risk {nature['year']}", *nature["quarters"], "Year"])
    for label, cells, total in nature["areas"]["rows"]:
        writer.writerow([safe_cell(label), *(c.shown for c in cells), total.shown])
    area_totals = nature["areas"]
    writer.writerow(["Total", *(c.shown for c in area_totals["column_totals"]), area_totals["grand_total"].shown])
    writer.writerow([])
    writer.writerow([f"Nature and range {nature['year']}", *nature["quarters"], "Year", "Area of risk"])
    for area, label, cells, total in nature["grouped_rows"]:
        writer.writerow([safe_cell(label), *(c.shown for c in cells), total.shown, safe_cell(area)])
    writer.writerow(["Total", *(c.shown for c in nature["column_totals"]), nature["grand_total"].shown])
    return response
