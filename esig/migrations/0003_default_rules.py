from django.db import migrations


def create_rules(apps, schema_editor):
    # The Bournemouth-Poole terms of reference: 4 members including a co-chair; at least 4 meetings a year.
    Rules = apps.get_model("esig", "Rules")
    Rules.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("esig", "0002_meeting_actions")]

    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
