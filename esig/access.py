"""Who may see and run the ESIG's meetings and training records."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from accounts import permissions
from champions.models import EsigMembership, Nomination


def is_core_member(user) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_esig_core", None)
    if cached is None:
        cached = Nomination.objects.current().filter(user=user, esig_membership=EsigMembership.CORE).exists()
        user._esig_core = cached
    return cached


def reads_esig(user) -> bool:
    """Partnership roles (secretariat, board, safeguarding lead, admin) and current core members."""
    return permissions.sees_whole_partnership(user) or is_core_member(user)


def esig_reader_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not reads_esig(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
