"""Who may see and run the ESIG's meetings and training records."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from accounts import permissions


def is_core_member(user) -> bool:
    """A current nomination as a core member (known from the person's agency roles, no query of its own)."""
    return user.is_authenticated and permissions.agency_roles(user).core_esig_member


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
