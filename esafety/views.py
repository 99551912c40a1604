from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

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


@never_cache
def health(request):
    """For load balancers and container health checks: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
