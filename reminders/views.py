from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe
from django_celery_beat.models import CrontabSchedule
from django_tables2 import RequestConfig

from accounts import permissions
from reminders.filters import ReminderFilter
from reminders.forms import ReminderPreferenceForm, ReminderRuleForm, ScheduleForm
from reminders.models import Reminder, ReminderPreference, ReminderRule
from reminders.services import rules_ensure, schedule_ensure
from reminders.tables import ReminderTable


@login_required
@permissions.register_manager_required
@require_safe
def reminder_log(request):
    queryset = Reminder.objects.select_related("recipient", "rule").defer("body_text", "body_html")
    reminder_filter = ReminderFilter(request.GET, queryset=queryset)
    table = ReminderTable(reminder_filter.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "reminders/reminder_log.html", {"filter": reminder_filter, "table": table})


@login_required
@permissions.register_manager_required
@require_safe
def rule_list(request):
    rules_ensure()
    return render(request, "reminders/rule_list.html", {"rules": ReminderRule.objects.all()})


@login_required
@permissions.register_manager_required
def rule_edit(request, pk):
    rule = get_object_or_404(ReminderRule, pk=pk)
    form = ReminderRuleForm(request.POST if request.method == "POST" else None, instance=rule)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"The rule '{rule.name}' has been saved.")
        return redirect("reminders:rules")
    return render(request, "reminders/rule_form.html", {"form": form, "rule": rule})


@login_required
@permissions.register_manager_required
def schedule_edit(request):
    tasks = schedule_ensure()
    data = request.POST if request.method == "POST" else None
    forms = [(task, ScheduleForm.for_task(task, data)) for task in tasks]
    if data is not None and all(form.is_valid() for _task, form in forms):
        with transaction.atomic():
            for task, form in forms:
                crontab, _ = CrontabSchedule.objects.get_or_create(
                    minute=str(form.cleaned_data["minute"]),
                    hour=str(form.cleaned_data["hour"]),
                    day_of_week=form.cleaned_data["day_of_week"],
                    day_of_month="*",
                    month_of_year="*",
                    timezone="Europe/London",
                )
                task.crontab = crontab
                task.enabled = form.cleaned_data["enabled"]
                task.save()
        messages.success(request, "The schedule has been saved.")
        return redirect("reminders:schedule")
    return render(request, "reminders/schedule_form.html", {"forms": forms})


@login_required
def preferences(request):
    preference, _ = ReminderPreference.objects.get_or_create(user=request.user)
    form = ReminderPreferenceForm(request.POST if request.method == "POST" else None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your notification settings have been saved.")
        return redirect("reminders:preferences")
    return render(request, "reminders/preferences.html", {"form": form})
