from django.http import HttpResponse


def floor(request):
    """The least a page can cost: the full middleware stack (session, user, two-factor) and no work."""
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")
