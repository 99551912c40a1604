from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    """A person's partnership-wide role.

    ``MEMBER`` is everyone who works for an agency: whether they are staff, a champion
    or the executive lead is decided per agency (see ``accounts.permissions``).
    """

    MEMBER = "member", "Agency member"
    SECRETARIAT = "secretariat", "Board secretariat"
    BOARD = "board", "Board member"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Partnership safeguarding lead"
    ADMIN = "admin", "Administrator"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in to the portal with their e-mail address."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.MEMBER)
    is_active = models.BooleanField(default=True)
    # Access to the Django admin site (administrators only).
    is_staff = models.BooleanField("admin site access", default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Failed log-ins before this moment no longer count towards the account-wide lock (set on unlock).
    login_failures_cleared_at = models.DateTimeField(null=True, blank=True, editable=False)
    # How the last log-in was made: "password", or the name of the identity provider ("Microsoft").
    last_login_method = models.CharField("last signed in with", max_length=100, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_secretariat(self) -> bool:
        return self.role == Role.SECRETARIAT

    @property
    def is_board(self) -> bool:
        return self.role == Role.BOARD

    @property
    def is_safeguarding_lead(self) -> bool:
        return self.role == Role.SAFEGUARDING_LEAD

    @property
    def is_portal_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser


class IdentityProvider(models.Model):
    """An OpenID Connect provider an administrator added (those set in the environment live in settings)."""

    slug = models.SlugField(unique=True, help_text="Short name in the portal's addresses, e.g. 'northfield'.")
    name = models.CharField(max_length=80, help_text="Shown on the button: 'Sign in with NAME'.")
    issuer = models.URLField(help_text="The provider's issuer URL (its discovery document is ISSUER/.well-known/…).")
    client_id = models.CharField("client ID", max_length=255)
    client_secret = models.CharField(max_length=255)
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SignInDomain(models.Model):
    """An e-mail domain whose people sign in to the portal through an identity provider, for one agency."""

    domain = models.CharField(max_length=253, unique=True, help_text="For example northfield.sch.uk (no @).")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="sign_in_domains")
    provider = models.SlugField("identity provider", help_text="The provider's short name.")
    enforced = models.BooleanField(
        "sign-in through the provider only",
        default=False,
        help_text="People with this domain cannot log in, or reset, with a portal password.",
    )
    staff_accounts = models.BooleanField(
        "create staff accounts at first sign-in",
        default=False,
        help_text="Someone unknown to the portal gets a staff account of the agency instead of being sent to "
        "their champion.",
    )

    class Meta:
        ordering = ["domain"]

    def __str__(self):
        return self.domain


class ExternalIdentity(models.Model):
    """The provider's stable subject id for a person, fixed at their first sign-in through that provider."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    provider = models.SlugField()
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="one_person_per_subject"),
            models.UniqueConstraint(fields=["provider", "user"], name="one_subject_per_person"),
        ]

    def __str__(self):
        return f"{self.user} at {self.provider}"
