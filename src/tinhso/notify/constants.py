from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Event(models.TextChoices):
    """The events a message is sent for. New apps add theirs here (and a default template)."""

    # Labels in their own context: the same English words name dossier statuses and actions,
    # whose official Vietnamese differs (status 5 is "Yêu cầu bổ sung giấy tờ").
    DOSSIER_RECEIVED = "dossier.received", pgettext_lazy("notification", "Dossier received")
    DOSSIER_SUPPLEMENT_REQUESTED = (
        "dossier.supplement_requested",
        pgettext_lazy("notification", "Supplement requested"),
    )
    DOSSIER_PAYMENT_REQUESTED = (
        "dossier.payment_requested",
        pgettext_lazy("notification", "Payment requested"),
    )
    DOSSIER_RESULT_READY = "dossier.result_ready", pgettext_lazy("notification", "Result ready")
    DOSSIER_APOLOGY = "dossier.apology", _("Apology for a late dossier")
    DOSSIER_DUE_SOON = "dossier.due_soon", _("Dossier due soon (officers)")
    # About a person's account (accounts.signals.account_message); required, never opted out of.
    ACCOUNT_SIGNUP_CODE = "account.signup_code", _("Registration code")
    ACCOUNT_SIGNUP_TAKEN = "account.signup_taken", _("Registration attempt with your address")
    ACCOUNT_PASSWORD_RESET_CODE = "account.password_reset_code", _("Password reset code")
    ACCOUNT_PASSWORD_CHANGED = "account.password_changed", _("Password changed")
    ACCOUNT_OTP_ENROLLED = "account.otp_enrolled", _("New authenticator app")


# Sent to officers about their work, never to applicants: only officers are offered these on the
# portal's notification settings page.
OFFICER_EVENTS = frozenset({Event.DOSSIER_DUE_SOON})
# About the account itself (codes, warnings): always sent to the address concerned, so never
# offered on the notification settings page.
ACCOUNT_EVENTS = frozenset(
    {
        Event.ACCOUNT_SIGNUP_CODE,
        Event.ACCOUNT_SIGNUP_TAKEN,
        Event.ACCOUNT_PASSWORD_RESET_CODE,
        Event.ACCOUNT_PASSWORD_CHANGED,
        Event.ACCOUNT_OTP_ENROLLED,
    }
)


class ChannelKind(models.TextChoices):
    """What kind of address a channel needs; the plugin that carries it is chosen in settings."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    GAVE_UP = "gave_up", _("Gave up")


# A delivery in one of these may still be attempted (a failed one when its next attempt is due).
PENDING_STATUSES = (DeliveryStatus.QUEUED, DeliveryStatus.FAILED)
