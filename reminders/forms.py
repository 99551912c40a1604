from django import forms
from django_celery_beat.models import CrontabSchedule

from reminders.models import ReminderPreference, ReminderRule


class ReminderRuleForm(forms.ModelForm):
    class Meta:
        model = ReminderRule
        fields = ["enabled", "days_before", "repeat_after_days"]

    def clean_days_before(self):
        raw = self.cleaned_data["days_before"]
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        days = []
        for part in parts:
            if not part.isdigit() or not 0 <= int(part) <= 365:
                raise forms.ValidationError(f"'{part}' is not a number of days between 0 and 365.")
            days.append(int(part))
        return ", ".join(str(d) for d in sorted(set(days), reverse=True))

    def clean_repeat_after_days(self):
        value = self.cleaned_data["repeat_after_days"]
        if value is not None and not 1 <= value <= 90:
            raise forms.ValidationError("Repeat every 1 to 90 days, or leave empty for no chasers.")
        return value


class ScheduleForm(forms.Form):
    """When a scheduled job runs, in Europe/London time."""

    enabled = forms.BooleanField(required=False, label="Runs")
    hour = forms.IntegerField(min_value=0, max_value=23, label="Hour (0-23)")
    minute = forms.IntegerField(min_value=0, max_value=59, label="Minute")
    day_of_week = forms.ChoiceField(
        label="Days",
        choices=[("*", "Every day"), ("1-5", "Monday to Friday"), ("1", "Mondays"), ("5", "Fridays")],
    )

    @classmethod
    def for_task(cls, task, data=None):
        crontab: CrontabSchedule = task.crontab
        initial = {
            "enabled": task.enabled,
            "hour": int(crontab.hour) if crontab.hour.isdigit() else 7,
            "minute": int(crontab.minute) if crontab.minute.isdigit() else 0,
            "day_of_week": crontab.day_of_week,
        }
        return cls(data, initial=initial, prefix=f"task{task.pk}")


class ReminderPreferenceForm(forms.ModelForm):
    class Meta:
        model = ReminderPreference
        fields = ["weekly_digest"]
