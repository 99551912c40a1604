import django_tables2 as tables

from reminders.models import Reminder


class ReminderTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name="Recorded", format="j M Y, H:i")
    recipient = tables.Column(accessor="recipient__full_name", verbose_name="To")
    rule = tables.Column(accessor="rule__name", verbose_name="Why")
    about = tables.Column()
    due_on = tables.DateColumn(verbose_name="Due", format="j M Y", default="—")
    status = tables.Column()
    sent_at = tables.DateTimeColumn(verbose_name="Sent", format="j M Y, H:i", default="—")
    last_error = tables.Column(verbose_name="Last error", default="", orderable=False)

    class Meta:
        model = Reminder
        fields = ["created_at", "recipient", "rule", "about", "due_on", "status", "sent_at", "last_error"]
        empty_text = "No reminders match these filters."

    def render_recipient(self, value, record):
        return f"{value} <{record.recipient.email}>"
