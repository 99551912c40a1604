"""Django's admin, as a team without this portal would use it, for comparison in ``manage.py bench``.

It is its own admin site, mounted only by the benchmark's URLs: it registers every model of the
portal's admin as configured there, plus the two the portal keeps out of its admin on purpose
(incidents and audit answers), configured the way the admin documentation suggests.
"""

from django.contrib import admin

from audits.models import Answer
from incidents.models import Incident

site = admin.AdminSite(name="bench_admin")


class IncidentAdmin(admin.ModelAdmin):
    list_display = ["reference", "agency", "category", "status", "occurred_on"]
    list_filter = ["status", "category"]
    list_select_related = ["agency"]


class AnswerAdmin(admin.ModelAdmin):
    list_display = ["audit_return", "question", "value", "updated_at"]
    list_select_related = ["audit_return__agency", "audit_return__cycle__template", "question"]


def register_all() -> None:
    for model, model_admin in admin.site._registry.items():
        site.register(model, type(model_admin))
    site.register(Incident, IncidentAdmin)
    site.register(Answer, AnswerAdmin)


register_all()
