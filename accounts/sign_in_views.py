"""Log-in pages: the password form beside the identity providers' buttons, and the providers' round trip."""

from urllib.parse import parse_qs, urlsplit

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.http import require_safe
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from accounts import permissions, sign_in, two_factor
from accounts.forms import PasswordLoginForm, PasswordResetRequestForm, SignInDomainForm
from accounts.models import SignInDomain, User
from activity.models import Action
from activity.services import activity_record

BACKEND = "accounts.sign_in.ProviderBackend"
PEOPLE_PER_PAGE = 50


class LoginView(auth_views.LoginView):
    """The password form, and a button for each identity provider configured."""

    form_class = PasswordLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        providers = sign_in.providers()
        enforced = sorted(
            {
                (link.agency.name, providers[link.provider].name if link.provider in providers else link.provider)
                for link in SignInDomain.objects.filter(enforced=True).select_related("agency")
            }
        )
        return super().get_context_data(**kwargs, sign_in_providers=list(providers.values()), enforced=enforced)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm


def _record_failure(request, *, provider, email: str, summary: str) -> None:
    """A sign-in that let nobody in, in the audit trail beside failed password log-ins."""
    through = provider.name if provider else "an identity provider"
    activity_record(Action.LOGIN_FAILED, request=request, actor_label=email, summary=f"Through {through}: {summary}")


def _refused(request, reason: str, provider, **details):
    refusal = sign_in.SignInRefused(reason, **details).refusal(provider)
    sign_in.logger.warning(
        "Sign-in refused (%s) through %s from %s: %s",
        reason,
        provider.slug if provider else "unknown provider",
        request.META.get("REMOTE_ADDR"),
        details or "",
    )
    _record_failure(request, provider=provider, email=details.get("email", ""), summary=refusal.title)
    return render(request, "accounts/sign_in_refused.html", {"refusal": refusal}, status=403)


class SignInStartView(OIDCAuthenticationRequestView):
    """Send the browser to the provider (the library makes the state, nonce and PKCE verifier)."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the library would read one provider from settings here

    def get_settings(self, attr, *args):
        return (
            sign_in.PROTOCOL_SETTINGS[attr] if attr in sign_in.PROTOCOL_SETTINGS else super().get_settings(attr, *args)
        )

    def get(self, request, slug):
        provider = sign_in.provider_named(slug)
        if provider is None:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider.configuration()["authorization_endpoint"]
        except (requests.RequestException, ValueError, KeyError):
            return _refused(request, "provider_error", provider)
        self.OIDC_RP_CLIENT_ID = provider.client_id
        response = super().get(request)
        # The state the library just made: remember which provider it went to.
        state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
        request.session["oidc_states"][state]["provider"] = provider.slug
        request.session.modified = True
        return response


@require_safe
def sign_in_callback(request):
    """The provider sends the browser back here: check everything, then log the person in, or refuse."""
    states = request.session.get("oidc_states") or {}
    entry = states.pop(request.GET.get("state", ""), None)
    if entry is not None:  # spent at once, whatever follows: a second use is refused
        request.session["oidc_states"] = states
        request.session.save()
    provider = sign_in.provider_named(entry.get("provider")) if entry else None
    if provider is None:
        return _refused(request, "state", None)
    if request.GET.get("error"):
        detail = request.GET.get("error_description") or request.GET["error"]
        return _refused(request, "provider_denied", provider, detail=detail)
    if not request.GET.get("code"):
        return _refused(request, "state", provider)
    next_url = request.session.get("oidc_login_next") or ""
    if request.user.is_authenticated:
        logout(request)  # nobody's earlier session carries over into this one
    try:
        backend = sign_in.ProviderBackend(provider)
        user = backend.authenticate(request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier"))
    except sign_in.SignInRefused as refused:
        return _refused(request, refused.reason, provider, **refused.details)
    except sign_in.UnknownPerson as unknown:
        return _unknown_person(request, unknown, provider)
    except (requests.RequestException, ValueError, KeyError):
        return _refused(request, "provider_error", provider)
    if user is None:
        return _refused(request, "provider_error", provider)
    request.sign_in_method = provider.name  # recorded as the account's last sign-in (accounts.signals)
    login(request, user, backend=BACKEND)
    if sign_in.uses_multi_factor(backend.claims):
        two_factor.mark_verified(request)  # the provider asked for the second factor already
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


def _unknown_person(request, unknown, provider):
    from champions.models import Nomination

    agency = unknown.link.agency
    champions = (
        Nomination.objects.current()
        .filter(agency=agency, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name")
    )
    sign_in.logger.info("Sign-in of %s through %s: no account yet (%s)", unknown.email, provider.slug, agency)
    _record_failure(request, provider=provider, email=unknown.email, summary=f"no account yet at {agency}")
    return render(
        request,
        "accounts/sign_in_unknown.html",
        {"email": unknown.email, "agency": agency, "champions": champions, "provider": provider},
        status=403,
    )


# --- the secretariat's pages ------------------------------------------------------------------------------


def _record_link_change(request, link: SignInDomain, what: str) -> None:
    """Who may sign in, and how, is a permission: each change of a domain's link is in the audit trail."""
    activity_record(
        Action.ROLE_CHANGED,
        request=request,
        obj=link,
        agency=link.agency,
        summary=f"Sign-in for {link.domain} addresses of {link.agency} {what}: provider {link.provider}, "
        f"provider only {'yes' if link.enforced else 'no'}, "
        f"staff accounts at first sign-in {'yes' if link.staff_accounts else 'no'}",
    )


def _require_register(user):
    if not permissions.manages_register(user):
        raise PermissionDenied


@login_required
def sign_in_domains(request):
    """Which agencies' domains sign in through which provider; whether they enforce it or make staff accounts."""
    _require_register(request.user)
    form = SignInDomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            link = form.save()
            _record_link_change(request, link, "linked")
        messages.success(request, f"{link.domain} addresses now sign in with their provider for {link.agency}.")
        return redirect("sign_in_domains")
    names = {slug: provider.name for slug, provider in sign_in.providers().items()}
    links = list(SignInDomain.objects.select_related("agency").order_by("agency__name", "domain"))
    for link in links:
        link.provider_name = names.get(link.provider, f"{link.provider} (not configured)")
    return render(request, "accounts/sign_in_domains.html", {"form": form, "links": links, "providers": names})


@login_required
def sign_in_domain_edit(request, pk):
    _require_register(request.user)
    link = get_object_or_404(SignInDomain, pk=pk)
    form = SignInDomainForm(request.POST or None, instance=link)
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            with transaction.atomic():
                _record_link_change(request, link, "removed")
                link.delete()
            messages.success(request, f"{link.domain} addresses no longer sign in with an identity provider.")
            return redirect("sign_in_domains")
        if form.is_valid():
            with transaction.atomic():
                form.save()
                _record_link_change(request, link, "changed")
            messages.success(request, f"Sign-in for {link.domain} addresses saved.")
            return redirect("sign_in_domains")
    return render(request, "accounts/sign_in_domain_edit.html", {"form": form, "link": link})


@login_required
@require_safe
def people_sign_ins(request):
    """Each person's last sign-in and how: password, or which identity provider."""
    _require_register(request.user)
    query = (request.GET.get("q") or "").strip()
    people = User.objects.only("full_name", "email", "role", "is_active", "last_login", "last_login_method")
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    page = Paginator(people.order_by("full_name", "pk"), PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/people_sign_ins.html", {"page": page, "query": query})
