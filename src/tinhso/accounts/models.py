from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tinhso.core.validators import validate_personal_id, validate_phone


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

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username
