from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import RegexValidator

from accounts.models import SignInDomain
from accounts.sign_in import password_refusal, providers


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The 6-digit code your authenticator app shows now, or one of your backup codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class SetupForm(forms.Form):
    token = forms.CharField(
        label="Code from your app",
        max_length=8,
        help_text="After adding the account to your app, type the 6-digit code it shows.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordLoginForm(AuthenticationForm):
    """Django's log-in form; people whose agency enforces its identity provider are sent to it instead.

    Their password is not checked at all, so a leaver the provider switched off learns nothing from it.
    """

    provider_required = False

    def clean(self):
        refusal = password_refusal(str(self.cleaned_data.get("username") or "").strip())
        if refusal:
            self.provider_required = True
            raise forms.ValidationError(refusal, code="provider_required")
        return super().clean()


class PasswordResetRequestForm(PasswordResetForm):
    """No reset e-mail for people who sign in through their agency's provider: they have no portal password."""

    def clean_email(self):
        email = self.cleaned_data["email"]
        refusal = password_refusal(email, reset=True)
        if refusal:
            raise forms.ValidationError(refusal, code="provider_required")
        return email


DOMAIN = RegexValidator(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    "Give a domain such as northfield.sch.uk: letters, digits, hyphens and dots, without the @.",
)


class SignInDomainForm(forms.ModelForm):
    provider = forms.ChoiceField(label="Identity provider")

    class Meta:
        model = SignInDomain
        fields = ["agency", "domain", "provider", "enforced", "staff_accounts"]

    def __init__(self, *args, **kwargs):
        from agencies.models import Agency

        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.active().order_by("name")
        choices = [(slug, provider.name) for slug, provider in providers().items()]
        if self.instance.pk and self.instance.provider not in dict(choices):
            choices.append((self.instance.provider, f"{self.instance.provider} (not configured)"))
        self.fields["provider"].choices = [("", "Choose a provider")] + choices

    def clean_domain(self):
        domain = self.cleaned_data["domain"].strip().lower().lstrip("@")
        DOMAIN(domain)
        return domain
