import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from accounts import permissions, services, two_factor
from accounts.forms import SetupForm, TokenForm
from activity.models import Action
from activity.services import activity_record

# After a wrong code django-otp makes each device wait a little longer before the next try.
WRONG_CODE = "That code is not right, or came too soon after a wrong one. Wait a few seconds and type the newest code."


def _next(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return "/"


@login_required
def two_factor_verify(request):
    """Second step of logging in for people with an authenticator."""
    if request.session.get(two_factor.SESSION_KEY) != two_factor.State.HAS_DEVICE:
        return redirect(_next(request))
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify_any(request.user, form.cleaned_data["token"])
        if device:
            activity_record(Action.TWO_FACTOR_PASSED, request=request, summary=device.name)
            two_factor.mark_verified(request)
            return redirect(_next(request))
        activity_record(Action.TWO_FACTOR_FAILED, request=request, summary="At log-in")
        form.add_error("token", WRONG_CODE)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)})


@login_required
def two_factor_setup(request):
    """Add an authenticator app: scan the code, type the first code, keep the backup codes."""
    state = request.session.get(two_factor.SESSION_KEY)
    if state == two_factor.State.HAS_DEVICE:
        return redirect("two_factor_verify")
    device = two_factor.pending_totp_device(request.user)
    form = SetupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.two_factor_confirm(user=request.user, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            activity_record(Action.TWO_FACTOR_SET_UP, request=request, obj=request.user, summary=device.name)
            two_factor.mark_verified(request)
            messages.success(request, "Two-factor authentication is on for your account.")
            return render(request, "accounts/backup_codes.html", {"codes": codes})
        activity_record(Action.TWO_FACTOR_FAILED, request=request, summary="While setting up an authenticator")
        form.add_error("token", WRONG_CODE)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": two_factor.qr_code(device),
            "manual_key": two_factor.manual_key(device),
            "required": two_factor.two_factor_required(request.user),
            "has_device": two_factor.has_two_factor(request.user),
        },
    )


@login_required
@require_safe
def two_factor_settings(request):
    return render(
        request,
        "accounts/two_factor_settings.html",
        {
            "has_device": two_factor.has_two_factor(request.user),
            "required": two_factor.two_factor_required(request.user),
        },
    )


@login_required
@require_POST
def backup_codes_new(request):
    if not two_factor.has_two_factor(request.user):
        return redirect("two_factor_setup")
    codes = two_factor.backup_codes_replace(user=request.user)
    activity_record(Action.BACKUP_CODES_REPLACED, request=request, obj=request.user)
    messages.success(request, "New backup codes made: the old ones no longer work.")
    return render(request, "accounts/backup_codes.html", {"codes": codes})


@login_required
def account_support(request):
    """The secretariat unlocks locked-out accounts and resets a lost second factor."""
    if not permissions.manages_register(request.user):
        raise PermissionDenied
    if request.method == "POST":
        action = request.POST.get("action")
        email = (request.POST.get("email") or "").strip().lower()
        if action == "unlock" and email:
            removed = services.account_unlock(email=email, by=request.user)
            if removed:
                messages.success(request, f"{email} is unlocked and can log in again.")
            else:
                messages.error(request, f"{email} is not locked.")
        elif action == "reset_two_factor" and email:
            try:
                person = services.two_factor_reset_for(email=email, by=request.user)
            except PermissionDenied as error:
                messages.error(request, str(error))
            else:
                if person is None:
                    messages.error(request, f"No account uses the address {email}.")
                else:
                    messages.success(request, f"Two-factor authentication of {person.full_name} was reset.")
        else:
            messages.error(request, "Give the e-mail address of the account.")
        return redirect("account_support")
    from accounts.lockout import accounts_locked_everywhere

    locked = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME),
    ).order_by("-attempt_time")
    return render(
        request,
        "accounts/account_support.html",
        {
            "locked": locked,
            "locked_everywhere": accounts_locked_everywhere(),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60),
            "account_limit": settings.ACCOUNT_LOCKOUT_LIMIT,
            "account_hours": settings.ACCOUNT_LOCKOUT_HOURS,
        },
    )


def account_unlock_link(request, token):
    """The link e-mailed to a person whose account locked after failed log-ins from many places.

    Opening it only asks (mail scanners open links); the button unlocks. It works once, until it expires.
    """
    from accounts.lockout import user_for_unlock_token

    person = user_for_unlock_token(token)
    if person is None:
        status = 400 if request.method == "POST" else 200
        return render(
            request,
            "registration/unlock_link.html",
            {"valid": False, "unlock_link_hours": f"{settings.UNLOCK_LINK_HOURS} hours"},
            status=status,
        )
    if request.method == "POST":
        services.account_unlock(email=person.email, by=None)
        messages.success(request, "Your account is unlocked. Log in with your e-mail address and password.")
        return redirect("login")
    return render(request, "registration/unlock_link.html", {"valid": True, "person": person})
