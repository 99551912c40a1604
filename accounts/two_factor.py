"""Two-factor authentication (TOTP with backup codes) on django-otp.

The secretariat, partnership safeguarding leads and administrators must use it; everyone
else may. A person with a confirmed device proves it at every log-in.
"""

import base64

import qrcode
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role

REQUIRED_ROLES = {Role.SECRETARIAT, Role.SAFEGUARDING_LEAD, Role.ADMIN}
BACKUP_CODE_COUNT = 10
SESSION_KEY = "two_factor"


class State:
    """Where a logged-in session stands with its second factor."""

    VERIFIED = "verified"  # proved in this session
    HAS_DEVICE = "has_device"  # must prove it before going on
    SETUP_NEEDED = "setup_needed"  # their role requires one and they have none
    NOT_USED = "not_used"  # optional for them, and not set up


def state_at_login(user) -> str:
    if has_two_factor(user):
        return State.HAS_DEVICE
    return State.SETUP_NEEDED if two_factor_required(user) else State.NOT_USED


def mark_verified(request) -> None:
    request.session[SESSION_KEY] = State.VERIFIED
    request.session.cycle_key()  # a new session id once fully logged in


def two_factor_required(user) -> bool:
    """Required for roles that see the whole partnership (always in production; optional in the local demo)."""
    if not settings.TWO_FACTOR_ENFORCED:
        return False
    return user.is_authenticated and (user.role in REQUIRED_ROLES or user.is_superuser)


def has_two_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (made once, shown until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def qr_code(device: TOTPDevice) -> dict:
    """The QR code as a square of modules and one path through the dark ones, for a template to draw."""
    code = qrcode.QRCode(border=4)
    code.add_data(device.config_url)
    matrix = code.get_matrix()
    path = " ".join(f"M{x} {y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark)
    return {"size": len(matrix), "path": path}


def manual_key(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32 in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def two_factor_confirm(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a first code; returns the new backup codes, or None if the code is wrong."""
    if not device.verify_token(token.replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return backup_codes_replace(user=user)


def backup_codes_replace(*, user) -> list[str]:
    static, _ = StaticDevice.objects.get_or_create(user=user, name="Backup codes", defaults={"confirmed": True})
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def verify_any(user, token: str):
    """The device that accepts this code (authenticator or unused backup code), or None."""
    token = token.replace(" ", "").strip()
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def two_factor_reset(*, user) -> None:
    """Remove a person's devices (lost phone): they set up again at their next log-in."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()
