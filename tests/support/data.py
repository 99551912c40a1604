"""Small data files several tests share."""

# An audit template with one yes/no question, for tests about cycles rather than templates.
TINY_AUDIT_TEMPLATE = """
slug: tiny
name: Tiny audit
kind: checklist
sections:
  - key: policy
    title: Policy
    questions:
      - key: policy_in_place
        text: Do you have an e-safety policy?
        kind: yes_no
        required: true
        gap_when: "no"
"""


def open_tiny_cycle(agencies, by):
    """This year's cycle of the tiny audit, open since last week and due in three weeks, for ``agencies``."""
    import datetime

    from django.utils import timezone

    from audits import services

    version, _ = services.template_import(text=TINY_AUDIT_TEMPLATE, fmt="yaml")
    today = timezone.localdate()
    return services.cycle_open(
        template_version=version,
        year=today.year,
        opens_on=today - datetime.timedelta(days=7),
        due_on=today + datetime.timedelta(days=21),
        agencies=agencies,
        by=by,
    )
