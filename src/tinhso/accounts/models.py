import unicodedata

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinhso.core.text import FoldedTextField, SortKeyField
from tinhso.core.validators import normalise_phone, validate_personal_id, validate_phone


class User(AbstractUser):
    """A person who signs in: a citizen, a business representative or an officer.

    Citizens sign in with their phone number or e-mail address; ``vneid_subject`` keeps the door
    open for VNeID single sign-on (the subject identifier the identity provider returns).
    """

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(
        _("phone number"), max_length=15, blank=True, validators=[validate_phone]
    )
    national_id = models.CharField(
        _("citizen identity number"),
        max_length=12,
        blank=True,
        validators=[validate_personal_id],
    )
    vneid_subject = models.CharField(_("VNeID subject"), max_length=128, blank=True)
    # The name as lists show it, in Vietnamese order; the name, user name and e-mail folded for
    # searching (ADR 8).
    name_sort = SortKeyField(sources=["display_name"])
    search_text = FoldedTextField(sources=["full_name", "username", "email"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~models.Q(phone=""), name="user_phone_unique"
            ),
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique"
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def clean(self):
        # One stored form for every notation typed (the admin, forms): "0912 345 678",
        # "+84912345678" → "0912345678"; e-mail domains are case-insensitive.
        super().clean()
        self.phone = normalise_phone(self.phone)
        if self.email and unicodedata.normalize("NFKC", self.email) != self.email:
            raise ValidationError(
                {"email": _("Type the e-mail address with ordinary letters.")}, code="lookalike"
            )

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class ApiToken(models.Model):
    """A key for ``Authorization: Token <key>``: it expires, can be revoked, and is stored only
    as its SHA-256 (the key itself is shown once, when it is issued).

    A *personal* token acts with all of its owner's rights (``POST /api/v1/auth/token/``); an
    *integration* token is named and limited to its ``scopes`` (``tinhso.accounts.scopes``).
    Issued, listed and revoked through ``tinhso.accounts.tokens``.
    """

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal")
        INTEGRATION = "integration", _("Integration")

    class Revoked(models.TextChoices):
        OWNER = "owner", _("By its owner")
        ADMIN = "admin", _("By an administrator")
        SIGN_OUT = "sign_out", _("Signed out")
        PASSWORD = "password", _("Password changed")
        LIMIT = "limit", _("Too many personal tokens")
        OTP_RESET = "otp_reset", _("Authenticator reset")

    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    scopes = models.JSONField(
        _("scopes"),
        default=list,
        blank=True,
        help_text=_(
            "What an integration token may do; a personal token may do what its owner may."
        ),
    )
    # The first characters of the key, shown in lists so that people recognise their keys.
    prefix = models.CharField(_("beginning of the key"), max_length=8)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("why it was revoked"), max_length=20, choices=Revoked.choices, blank=True
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at", "expires_at"])]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class VerificationCode(models.Model):
    """A short code sent by SMS or e-mail to prove that a person holds a phone number or an
    e-mail address: to finish a registration, or to set a new password.

    Only an HMAC of the code is kept (``accounts.services``); it expires after
    ``ACCOUNT_CODE_MINUTES`` and dies after ``ACCOUNT_CODE_ATTEMPTS`` wrong tries. A pending
    registration keeps what the person typed in ``data`` (the password already hashed) until it
    is confirmed; the row is deleted when the code is used, and expired rows are deleted by the
    next code issued.
    """

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("Registration")
        PASSWORD_RESET = "password_reset", _("Password reset")

    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    code_hash = models.CharField(max_length=64, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    data = models.JSONField(default=dict, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")

    def __str__(self):
        return f"{self.purpose} #{self.pk}"


class AuthenticatorApp(TOTPDevice):
    """django-otp's TOTP device under the name officers know it by, for the admin: an
    administrator sees who has enrolled and resets (deletes) a lost authenticator."""

    class Meta:
        proxy = True
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")


class BackupCodeSet(StaticDevice):
    """django-otp's static device: the ten single-use backup codes given at enrolment."""

    class Meta:
        proxy = True
        verbose_name = _("backup codes")
        verbose_name_plural = _("backup codes")
