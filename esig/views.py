from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts import permissions
from activity.models import Action as Activity
from activity.services import activity_record
from esig import selectors, services
from esig.access import esig_reader_required
from esig.forms import (
    AgendaItemForm,
    AttendanceForm,
    AttendeeForm,
    CancelForm,
    GuestForm,
    HeadcountForm,
    MeetingActionsForm,
    MeetingForm,
    MinutesForm,
    RulesForm,
    TrainingEventForm,
)
from esig.models import Meeting, Rules, TrainingEvent
from esig.quorum import judge_meeting

# --- meetings ----------------------------------------------------------------------


@login_required
@esig_reader_required
@require_safe
def meeting_list(request, year=None):
    today = timezone.localdate()
    year = year or today.year
    if not 2000 <= year <= today.year + 5:
        raise Http404
    rules = Rules.current()
    meetings = selectors.meetings_of_year(year, rules)
    summary = selectors.summarise(year, meetings, rules)
    years = sorted({d.year for d in Meeting.objects.dates("held_on", "year")} | {today.year}, reverse=True)
    return render(
        request,
        "esig/meeting_list.html",
        {
            "year": year,
            "meetings": meetings,
            "summary": summary,
            "verdict": selectors.year_verdict(summary),
            "years": years,
            "rules": rules,
            "manages": permissions.manages_register(request.user),
            "sees_training": permissions.sees_whole_partnership(request.user),
        },
    )


def _meeting(pk) -> Meeting:
    return get_object_or_404(selectors.with_attendance_counts(Meeting.objects.all()), pk=pk)


@login_required
@esig_reader_required
def meeting_detail(request, pk):
    meeting = _meeting(pk)
    rules = Rules.current()
    return render(
        request,
        "esig/meeting_detail.html",
        {
            "meeting": meeting,
            "quorum": judge_meeting(meeting, rules),
            "rules": rules,
            "attendances": selectors.meeting_attendance(meeting),
            "agenda_items": list(meeting.agenda_items.all()),
            "linked_actions": list(meeting.action_links.select_related("action").order_by("kind", "action__ref")),
            "manages": permissions.manages_register(request.user),
            "agenda_form": AgendaItemForm(),
            "guest_form": GuestForm(),
        },
    )


@login_required
@permissions.register_manager_required
def meeting_create(request):
    form = MeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "seen_updated_at"}
        meeting = services.meeting_create(by=request.user, **data)
        messages.success(request, f"The meeting on {meeting.held_on:%d/%m/%Y} has been scheduled.")
        return redirect(meeting)
    return render(request, "esig/meeting_form.html", {"form": form, "title": "Schedule a meeting"})


@login_required
@permissions.register_manager_required
def meeting_edit(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = MeetingForm(request.POST if request.method == "POST" else None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        seen = data.pop("seen_updated_at")
        try:
            services.meeting_update(meeting=meeting, by=request.user, seen_updated_at=seen, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The meeting has been saved.")
            return redirect(meeting)
    return render(request, "esig/meeting_form.html", {"form": form, "meeting": meeting, "title": "Edit the meeting"})


@login_required
@permissions.register_manager_required
def meeting_cancel(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(meeting=meeting, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The meeting has been cancelled; it stays in the record.")
            return redirect(meeting)
    return render(request, "esig/meeting_cancel.html", {"form": form, "meeting": meeting})


@login_required
@permissions.register_manager_required
def attendance_record(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    members = selectors.esig_members_on(meeting.held_on)
    recorded = {a.user_id: a for a in meeting.attendances.filter(user__isnull=False).select_related("user")}
    form = AttendanceForm(request.POST if request.method == "POST" else None, members=members, recorded=recorded)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(meeting=meeting, statuses=form.statuses(), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Attendance has been recorded.")
            return redirect(meeting)
    return render(request, "esig/attendance_form.html", {"form": form, "meeting": meeting})


@login_required
@permissions.register_manager_required
def guest_add(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = GuestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.guest_add(
                meeting=meeting,
                name=form.cleaned_data["name"],
                organisation=form.cleaned_data["organisation"],
                status=form.cleaned_data["status"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{form.cleaned_data['name']} has been added as an invited guest.")
            return redirect(meeting)
    return render(request, "esig/simple_form.html", {"form": form, "meeting": meeting, "title": "Add an invited guest"})


@login_required
@permissions.register_manager_required
def agenda_item_add(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = AgendaItemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.agenda_item_add(meeting=meeting, by=request.user, **form.cleaned_data)
        messages.success(request, "The agenda item has been added.")
        return redirect(meeting)
    return render(request, "esig/simple_form.html", {"form": form, "meeting": meeting, "title": "Add an agenda item"})


@login_required
@permissions.register_manager_required
def minutes_edit(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    if request.method == "POST":
        form = MinutesForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.minutes_save(
                    meeting=meeting,
                    text=form.cleaned_data["text"],
                    document=form.cleaned_data["document"],
                    seen_updated_at=form.cleaned_data["seen_updated_at"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "The minutes have been saved.")
                return redirect(meeting)
    else:
        form = MinutesForm(initial={"text": meeting.minutes, "seen_updated_at": meeting.updated_at})
    return render(request, "esig/minutes_form.html", {"form": form, "meeting": meeting})


@login_required
@esig_reader_required
def minutes_download(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    if not meeting.minutes_file:
        raise Http404
    activity_record(Activity.FILE_DOWNLOADED, request=request, obj=meeting, summary=f"Minutes of {meeting}")
    return FileResponse(
        meeting.minutes_file.open("rb"),
        as_attachment=True,
        filename=meeting.minutes_original_name or "minutes",
        content_type=meeting.minutes_content_type or "application/octet-stream",
    )


@login_required
@permissions.register_manager_required
def meeting_actions(request, pk):
    from actionplan.models import Action

    meeting = get_object_or_404(Meeting, pk=pk)
    actions = Action.objects.filter(archived_at__isnull=True).order_by("ref", "pk")
    links = list(meeting.action_links.all())
    initial = {
        "created": [link.action_id for link in links if link.kind == "created"],
        "reviewed": [link.action_id for link in links if link.kind == "reviewed"],
    }
    form = MeetingActionsForm(request.POST if request.method == "POST" else None, actions=actions, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.meeting_actions_set(
            meeting=meeting,
            created=form.cleaned_data["created"],
            reviewed=form.cleaned_data["reviewed"],
            by=request.user,
        )
        messages.success(request, "The linked actions have been saved.")
        return redirect(meeting)
    return render(request, "esig/meeting_actions.html", {"form": form, "meeting": meeting})


@login_required
@permissions.register_manager_required
def rules_edit(request):
    rules = Rules.current()
    form = RulesForm(request.POST if request.method == "POST" else None, instance=rules)
    if request.method == "POST" and form.is_valid():
        services.rules_update(by=request.user, **form.cleaned_data)
        messages.success(request, "The ESIG rules have been saved.")
        return redirect("esig:meetings")
    return render(request, "esig/rules_form.html", {"form": form})


# --- training ----------------------------------------------------------------------


@login_required
@permissions.partnership_view_required
@require_safe
def training_list(request, year=None):
    today = timezone.localdate()
    year = year or today.year
    if not 2000 <= year <= today.year + 5:
        raise Http404
    events = selectors.training_events_of_year(year)
    years = sorted({d.year for d in TrainingEvent.objects.dates("held_on", "year")} | {today.year}, reverse=True)
    return render(
        request,
        "esig/training_list.html",
        {
            "year": year,
            "events": events,
            "totals": selectors.training_totals(year),
            "years": years,
            "manages": permissions.manages_register(request.user),
        },
    )


@login_required
@permissions.partnership_view_required
@require_safe
def champion_training(request):
    rules = Rules.current()
    nominations = selectors.champions_training(rules=rules)
    return render(
        request,
        "esig/champion_training.html",
        {
            "nominations": nominations,
            "untrained": sum(1 for n in nominations if not n.training.is_trained),
            "rules": rules,
        },
    )


@login_required
@permissions.partnership_view_required
@require_safe
def training_detail(request, pk):
    event = get_object_or_404(TrainingEvent, pk=pk)
    return render(
        request,
        "esig/training_detail.html",
        {
            "event": event,
            "attendees": list(event.attendees.select_related("user", "agency")),
            "headcounts": list(event.headcounts.select_related("agency")),
            "manages": permissions.manages_register(request.user),
        },
    )


@login_required
@permissions.register_manager_required
def training_create(request):
    form = TrainingEventForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "seen_updated_at"}
        event = services.training_event_create(by=request.user, **data)
        messages.success(request, f"{event.title} has been recorded. Now add who attended.")
        return redirect(event)
    return render(request, "esig/training_form.html", {"form": form, "title": "Record a training event"})


@login_required
@permissions.register_manager_required
def training_edit(request, pk):
    event = get_object_or_404(TrainingEvent, pk=pk)
    form = TrainingEventForm(request.POST if request.method == "POST" else None, instance=event)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        seen = data.pop("seen_updated_at")
        try:
            services.training_event_update(event=event, by=request.user, seen_updated_at=seen, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The training event has been saved.")
            return redirect(event)
    return render(request, "esig/training_form.html", {"form": form, "event": event, "title": f"Edit {event.title}"})


@login_required
@permissions.register_manager_required
def training_attendee_add(request, pk):
    event = get_object_or_404(TrainingEvent, pk=pk)
    form = AttendeeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_attendee_add(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{form.cleaned_data['user'].full_name} is recorded as attending.")
            return redirect(event)
    return render(
        request, "esig/training_subform.html", {"form": form, "event": event, "title": "Add a named attendee"}
    )


@login_required
@permissions.register_manager_required
def training_headcount_add(request, pk):
    event = get_object_or_404(TrainingEvent, pk=pk)
    form = HeadcountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.training_headcount_add(event=event, by=request.user, **form.cleaned_data)
        messages.success(request, "The head count has been added.")
        return redirect(event)
    return render(
        request, "esig/training_subform.html", {"form": form, "event": event, "title": "Add a head count for an agency"}
    )
