from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts import permissions
from agencies.models import Agency
from esafety.home import sections_for


@login_required
@require_safe
def home(request):
    user = request.user
    roles = permissions.agency_roles(user)
    # The names come with the roles: the list costs no query of its own.
    my_agencies = sorted((Agency(pk=pk, name=name) for pk, name in roles.names.items()), key=lambda a: a.name)
    for agency in my_agencies:
        agency.my_roles = sorted(roles.by_agency[agency.pk])
    return render(request, "home.html", {"my_agencies": my_agencies, "sections": sections_for(user)})
