"""Demo step: the demo partnership publishes its incident figures as open data (off by default elsewhere)."""

from reports import services
from reports.models import OpenDataSwitch


def seed(ctx):
    if not OpenDataSwitch.objects.exists():
        services.open_data_switch(enabled=True, by=ctx.users["secretariat"])
    state = "published" if OpenDataSwitch.is_on() else "not published"
    ctx.log.append(f"Open-data feed of the incident figures: {state} (/open-data/)")
