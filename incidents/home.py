from incidents import access, selectors


def section(user) -> dict | None:
    """Staff: log an incident, drafts and reports. Champions: incidents to handle. Leads: escalations.
    Secretariat and board: the monitoring figures."""
    if access.sees_monitoring(user):
        return {"template": "incidents/_home.html", "monitoring": True}
    context = {"template": "incidents/_home.html", "monitoring": False}
    if access.may_log_incidents(user):
        context["may_log"] = True
        context["drafts"], context["more_drafts"], context["recent"] = selectors.reporter_home(user)
    if access.champion_agency_ids(user):
        context["queue"] = list(selectors.champion_queue(user)[:20])
    if user.is_safeguarding_lead:
        context["lead_referrals"] = list(selectors.lead_referrals(user)[:20])
    return context if len(context) > 2 else None


def agency_section(agency, user) -> dict | None:
    """On the agency page: its champions see its open incidents; its staff can log one."""
    from django.db.models import Count, Q

    from incidents.models import Incident, Status

    if agency.pk in access.champion_agency_ids(user):
        counts = Incident.objects.filter(agency=agency).aggregate(
            awaiting=Count("pk", filter=Q(status=Status.REPORTED)),
            in_progress=Count("pk", filter=Q(status=Status.IN_PROGRESS)),
        )
        return {"template": "incidents/_agency.html", "agency": agency, "champion": True, **counts}
    if agency.pk in access.reporting_agency_ids(user):
        return {"template": "incidents/_agency.html", "agency": agency, "champion": False}
    return None
