from django.conf import settings

from accounts import permissions


def portal(request):
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "partnership_name": settings.PARTNERSHIP_NAME,
        "nav_whole_partnership": authenticated and permissions.sees_whole_partnership(user),
        "nav_manages_register": authenticated and permissions.manages_register(user),
        "nav_reads_reports": authenticated and (user.is_board or permissions.manages_register(user)),
    }
