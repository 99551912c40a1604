from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts import permissions
from esafety.home import sections_for


@login_required
def home(request):
    user = request.user
    roles = permissions.agency_roles(user)
    my_agencies = list(permissions.agencies_for(user).filter(pk__in=roles.ids()).order_by("name"))
    for agency in my_agencies:
        agency.my_roles = sorted(roles.by_agency.get(agency.pk, ()))
    return render(request, "home.html", {"my_agencies": my_agencies, "sections": sections_for(user)})
