"""Sign-in through an agency's own identity provider (OpenID Connect), on mozilla-django-oidc.

The library runs the protocol: the authorisation request with its ``state``, ``nonce`` and PKCE
verifier kept in the session, the code exchange, the provider's signing keys. This module adds what
the portal decides:

* providers: the environment's (``settings.SIGN_IN_PROVIDERS``) and the administrator's
  (``IdentityProvider``), each found by its short name; endpoints come from its discovery document;
* the ID token: signed by the provider, issued by it, for this portal's client id, not expired, and
  carrying the nonce this browser was given; otherwise a ``SignInRefused`` with a reason;
* the person: the provider's e-mail claim, verified, from a domain an agency linked to that provider
  (``SignInDomain``), matches an existing account; from then on the provider's subject id must stay the
  same (``ExternalIdentity``). Someone unknown is sent to their champion (``UnknownPerson``) unless the
  agency asked for staff accounts to be created at first sign-in;
* agencies that enforce it: their people's passwords are refused (``password_refusal``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from accounts.models import ExternalIdentity, IdentityProvider, Role, SignInDomain, User

logger = logging.getLogger("accounts.sign_in")

DISCOVERY_SECONDS = 60 * 60
LEEWAY_SECONDS = 60  # clocks of the portal and the provider may differ a little
SIGNING_ALGORITHMS = ["RS256"]  # what Entra ID and Google sign with

# The library's own settings, the same for every provider.
PROTOCOL_SETTINGS = {
    "OIDC_RP_SCOPES": "openid email profile",
    "OIDC_USE_NONCE": True,
    "OIDC_USE_PKCE": True,
    "OIDC_AUTHENTICATION_CALLBACK_URL": "sign_in_callback",
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,
}


@dataclass(frozen=True)
class Provider:
    slug: str
    name: str
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)

    @property
    def button_label(self) -> str:
        return f"Sign in with {self.name}"

    def configuration(self) -> dict:
        """The provider's discovery document (endpoints, issuer), cached for an hour."""
        key = f"sign-in:discovery:{self.issuer}"
        document = cache.get(key)
        if document is None:
            url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
            response = requests.get(url, timeout=settings.SIGN_IN_HTTP_TIMEOUT)
            response.raise_for_status()
            document = response.json()
            cache.set(key, document, DISCOVERY_SECONDS)
        return document

    def expected_issuer(self, claims: dict) -> str:
        issuer = self.configuration()["issuer"]
        # Microsoft's multi-tenant documents name the tenant as a placeholder: the token's tid fills it in.
        return issuer.replace("{tenantid}", str(claims.get("tid", "")))


def providers() -> dict[str, Provider]:
    """Every provider people can sign in with, by short name: the environment's first, then the admin's."""
    found = {entry["slug"]: Provider(**entry) for entry in settings.SIGN_IN_PROVIDERS}
    for row in IdentityProvider.objects.filter(enabled=True):
        found.setdefault(
            row.slug,
            Provider(
                slug=row.slug,
                name=row.name,
                issuer=row.issuer,
                client_id=row.client_id,
                client_secret=row.client_secret,
            ),
        )
    return found


def provider_named(slug: str | None) -> Provider | None:
    return providers().get(slug) if slug else None


# --- why a sign-in is refused: the words the person sees ------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    title: str
    text: str


REFUSALS = {
    "state": Refusal(
        "This sign-in could not be finished",
        "It did not start in this browser, or it has already been used. Nobody has been signed in. "
        "Start again from the log-in page.",
    ),
    "nonce": Refusal(
        "This sign-in could not be checked",
        "The answer from {provider} does not belong to the sign-in started in this browser. "
        "Nobody has been signed in. Start again from the log-in page.",
    ),
    "audience": Refusal(
        "This sign-in was meant for another service",
        "{provider} issued this sign-in for a different application, not for this portal. Nobody has been signed in.",
    ),
    "expired": Refusal(
        "This sign-in has expired",
        "The answer from {provider} is out of date. Nobody has been signed in. Start again from the log-in page.",
    ),
    "invalid_token": Refusal(
        "This sign-in could not be checked",
        "The answer from {provider} was not signed and addressed as the portal expects. Nobody has been signed in.",
    ),
    "provider_denied": Refusal(
        "{provider} did not sign you in",
        "{provider} said: “{detail}” Nobody has been signed in. If you have left your agency, or your account "
        "there has been switched off, you can no longer sign in to the portal with it; ask your agency's IT team.",
    ),
    "provider_error": Refusal(
        "{provider} did not complete the sign-in",
        "The portal could not finish the sign-in with {provider}. Nobody has been signed in. "
        "Try again shortly from the log-in page.",
    ),
    "no_email": Refusal(
        "{provider} did not give your e-mail address",
        "The portal matches people by their work e-mail address, and {provider} did not send one. "
        "Nobody has been signed in. Ask your agency's IT team.",
    ),
    "unverified": Refusal(
        "Your e-mail address is not confirmed",
        "{provider} does not confirm that {email} belongs to you, so the portal cannot match it to an account. "
        "Nobody has been signed in. Ask your agency's IT team to verify the address.",
    ),
    "domain": Refusal(
        "{domain} addresses do not sign in with {provider}",
        "No member agency of the partnership has linked {domain} addresses to {provider}. Nobody has been "
        "signed in. Log in with your e-mail address and portal password, or ask your agency's e-safety "
        "champion to have the board secretariat link your agency.",
    ),
    "subject_changed": Refusal(
        "This is not the {provider} account linked to {email}",
        "{email} signs in to the portal through another {provider} account. The portal does not switch "
        "accounts on its own. Nobody has been signed in. Ask the board secretariat to check your account.",
    ),
    "inactive": Refusal(
        "This portal account is switched off",
        "{email} can no longer use the portal. Nobody has been signed in. Ask the board secretariat if this is wrong.",
    ),
}


class SignInRefused(Exception):
    def __init__(self, reason: str, **details):
        super().__init__(reason)
        self.reason = reason
        self.details = details

    def refusal(self, provider: Provider | None) -> Refusal:
        words = REFUSALS[self.reason]
        values = {"provider": provider.name if provider else "The identity provider", **self.details}
        return Refusal(words.title.format(**values), words.text.format(**values))


class UnknownPerson(Exception):
    """A verified address of a linked agency that has no account on the portal."""

    def __init__(self, *, email: str, link: SignInDomain):
        super().__init__(email)
        self.email = email
        self.link = link


# --- the library's backend, per provider ---------------------------------------------------------------


class ProviderBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, set up for one provider at a time.

    Listed in ``AUTHENTICATION_BACKENDS`` so that sessions it started are restored; built without a
    provider there, it authenticates nobody (password log-ins never reach the code exchange).
    """

    def __init__(self, provider: Provider | None = None):
        self.UserModel = get_user_model()
        self.provider = provider
        self.claims: dict = {}
        if provider is not None:
            configuration = provider.configuration()
            self.OIDC_OP_TOKEN_ENDPOINT = configuration["token_endpoint"]
            self.OIDC_OP_USER_ENDPOINT = configuration.get("userinfo_endpoint")
            self.OIDC_OP_JWKS_ENDPOINT = configuration["jwks_uri"]
            self.OIDC_RP_CLIENT_ID = provider.client_id
            self.OIDC_RP_CLIENT_SECRET = provider.client_secret
            self.OIDC_RP_SIGN_ALGO = SIGNING_ALGORITHMS[0]
            self.OIDC_RP_IDP_SIGN_KEY = None

    def get_settings(self, attr, *args):  # the library's are module-wide; ours are per provider
        if attr in PROTOCOL_SETTINGS:
            return PROTOCOL_SETTINGS[attr]
        if attr == "OIDC_TIMEOUT":
            return settings.SIGN_IN_HTTP_TIMEOUT
        return import_from_settings(attr, *args)

    def authenticate(self, request, **kwargs):
        if self.provider is None:
            return None
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id):
        # As Django's ModelBackend: a person switched off in the portal loses the sessions they had.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def verify_token(self, token, **kwargs):
        """The ID token's signature (the provider's published keys), issuer, audience, expiry and nonce."""
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") not in SIGNING_ALGORITHMS:
                raise SignInRefused("invalid_token")
            key = self.retrieve_matching_jwk(token)
            claims = jwt.decode(
                token,
                key,
                algorithms=SIGNING_ALGORITHMS,
                audience=self.OIDC_RP_CLIENT_ID,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "sub", "exp", "iat"], "verify_iss": False},
            )
        except jwt.ExpiredSignatureError:
            raise SignInRefused("expired") from None
        except jwt.InvalidAudienceError:
            raise SignInRefused("audience") from None
        except (jwt.PyJWTError, SuspiciousOperation, KeyError, TypeError, ValueError):
            raise SignInRefused("invalid_token") from None
        if claims["iss"] != self.provider.expected_issuer(claims):
            raise SignInRefused("invalid_token")
        # Several audiences: the token must have been issued to this portal (its authorised party).
        if isinstance(claims["aud"], list) and len(claims["aud"]) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SignInRefused("audience")
        if not kwargs.get("nonce") or claims.get("nonce") != kwargs["nonce"]:
            raise SignInRefused("nonce")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        claims = dict(payload)
        if "email" not in claims and self.OIDC_OP_USER_ENDPOINT:
            info = self.get_userinfo(access_token, id_token, payload)
            if info.get("sub") == claims["sub"]:
                claims = {**info, **claims}  # the signed ID token wins
        self.claims = claims
        return sign_in_match(provider=self.provider, claims=claims)


# --- who is signing in ------------------------------------------------------------------------------------


def _verified(provider: Provider, claims: dict) -> bool:
    value = claims.get("email_verified")
    if provider.slug == "microsoft" and value is None:
        # Entra ID sends no email_verified: its optional claim xms_edov says the tenant owns the address's domain.
        value = claims.get("xms_edov")
    if provider.slug == "google" and not claims.get("hd"):
        return False  # a personal Google account, not one of an organisation's Workspace
    return value is True or str(value).lower() == "true"


def link_for_email(email: str) -> SignInDomain | None:
    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    return SignInDomain.objects.select_related("agency").filter(domain=domain).first()


@transaction.atomic
def sign_in_match(*, provider: Provider, claims: dict) -> User:
    """The portal account this provider's verified claims belong to; refuses or raises UnknownPerson otherwise."""
    email = User.objects.normalize_email(str(claims.get("email") or "")).strip().lower()
    subject = str(claims.get("sub") or "")
    if not email or "@" not in email or not subject:
        raise SignInRefused("no_email")
    if not _verified(provider, claims):
        raise SignInRefused("unverified", email=email)
    domain = email.rpartition("@")[2]
    link = SignInDomain.objects.select_related("agency").filter(domain=domain, provider=provider.slug).first()
    if link is None:
        raise SignInRefused("domain", domain=domain)
    identity = ExternalIdentity.objects.select_related("user").filter(provider=provider.slug, subject=subject).first()
    if identity is not None:
        user = identity.user
    else:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            if not link.staff_accounts:
                raise UnknownPerson(email=email, link=link)
            user = _staff_account_create(email=email, name=str(claims.get("name") or ""), link=link)
        if ExternalIdentity.objects.filter(provider=provider.slug, user=user).exists():
            raise SignInRefused("subject_changed", email=email)
        try:
            with transaction.atomic():
                ExternalIdentity.objects.create(user=user, provider=provider.slug, subject=subject)
        except IntegrityError:  # the same person's first sign-in in two tabs at once
            raise SignInRefused("state") from None
    if not user.is_active:
        raise SignInRefused("inactive", email=user.email)
    return user


def _staff_account_create(*, email: str, name: str, link: SignInDomain) -> User:
    """A staff account of the linked agency (never any other role), made at the person's first sign-in."""
    from agencies.models import Membership

    user = User.objects.create_user(email=email, full_name=name or email, role=Role.MEMBER)
    Membership.objects.create(user=user, agency=link.agency)
    logger.info("Sign-in created a staff account of %s for %s", link.agency, email)
    return user


def uses_multi_factor(claims: dict) -> bool:
    """The provider says the person proved a second factor (RFC 8176 ``amr``, or an agreed ``acr``)."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return "mfa" in amr or claims.get("acr") in settings.SIGN_IN_MFA_ACR_VALUES


def password_refusal(email: str, *, reset: bool = False) -> str | None:
    """Why this address may not use a portal password (its agency enforces its provider), or None."""
    link = link_for_email(email)
    if link is None or not link.enforced:
        return None
    provider = provider_named(link.provider)
    name = provider.name if provider else link.provider
    if reset:
        return (
            f"{link.agency} staff sign in with {name}, so there is no portal password to reset. "
            f"Use “Sign in with {name}” on the log-in page."
        )
    return (
        f"{link.agency} staff sign in with {name}: use “Sign in with {name}” above. "
        f"The portal does not accept a password for {link.domain} addresses."
    )
