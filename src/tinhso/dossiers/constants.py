from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.IntegerChoices):
    """One-to-one with the national status codes (dichvucong.gov.vn)."""

    NEW = 1, _("Newly registered")
    RECEIVED = 2, _("Received")
    REFUSED = 3, _("Not received")
    PROCESSING = 4, _("Processing")
    SUPPLEMENT_REQUESTED = 5, _("Supplement requested")
    FINANCIAL_OBLIGATION = 6, _("Financial obligation requested")
    WITHDRAWN = 7, _("Withdrawn at the applicant's request")
    STOPPED = 8, _("Processing stopped")
    FINISHED = 9, _("Processed")
    RETURNED = 10, _("Result returned")


# States in which the legal clock runs against the agency.
ACTIVE_STATUSES = {Status.RECEIVED, Status.PROCESSING, Status.FINANCIAL_OBLIGATION}
# States in which nothing more happens.
CLOSED_STATUSES = {Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED}


class Channel(models.IntegerChoices):
    """National channel codes (KenhThucHien)."""

    IN_PERSON = 1, _("In person")
    ONLINE = 2, _("Online")
    POSTAL = 3, _("Public postal service")


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    ORGANISATION = "organisation", _("Organisation")


class Delivery(models.TextChoices):
    DESK = "desk", _("At the desk")
    ONLINE = "online", _("Online")
    POST = "post", _("By post")


class PaymentMethod(models.TextChoices):
    """How a fee or financial obligation was paid, as the desk records it."""

    CASH = "cash", _("Cash at the desk")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CARD = "card", _("Card at the desk")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class FileKind(models.TextChoices):
    SUBMISSION = "submission", _("Submitted document")
    SUPPLEMENT = "supplement", _("Supplement")
    ATTACHMENT = "attachment", _("Officer attachment")
    RESULT = "result", _("Result")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
