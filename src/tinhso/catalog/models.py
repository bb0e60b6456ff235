from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tinhso.core.models import TimeStampedModel
from tinhso.core.numbers import vnd
from tinhso.core.text import SortKeyField
from tinhso.org.models import Agency


class Field(models.Model):
    """A field of administrative procedures (lĩnh vực): civil status, land, construction…"""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_sort = SortKeyField(sources=["name"])

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name_sort", "pk"]

    def __str__(self):
        return self.name


class Procedure(TimeStampedModel):
    """An administrative procedure (thủ tục hành chính) as the catalogue publishes it now.

    Dossiers never point at this editable row for their rules: they keep the ``ProcedureVersion``
    in force when they were received, a frozen snapshot made by ``procedure_version_publish``.
    """

    class Applicants(models.TextChoices):
        CITIZEN = "citizen", _("Citizens")
        ORGANISATION = "organisation", _("Organisations")
        BOTH = "both", _("Citizens and organisations")

    class OnlineLevel(models.TextChoices):
        FULL = "full", _("Fully online")
        PARTIAL = "partial", _("Partly online")
        NONE = "none", _("Not online")

    code = models.CharField(_("national code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=1500)
    field = models.ForeignKey(
        Field, verbose_name=_("field"), on_delete=models.PROTECT, related_name="procedures"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("implementing agency"),
        help_text=_(
            "The province-level agency that carries it out. Leave empty when only the communes "
            "carry it out."
        ),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    at_communes = models.BooleanField(
        _("carried out by the communes"),
        default=False,
        help_text=_(
            "Every commune People's Committee of the province carries it out: the applicant "
            "chooses the commune when submitting. The catalogue lists it once."
        ),
    )
    applicants = models.CharField(
        _("applicants"), max_length=20, choices=Applicants.choices, default=Applicants.BOTH
    )
    processing_days = models.DecimalField(
        _("processing time (working days)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    online_level = models.CharField(
        _("online level"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.PARTIAL
    )
    accepts_in_person = models.BooleanField(_("at the desk"), default=True)
    accepts_postal = models.BooleanField(_("by post"), default=True)
    processing_time_text = models.TextField(
        _("processing time as published"),
        blank=True,
        help_text=_("Shown to applicants; the deadline counts the working days above."),
    )
    steps_description = models.TextField(_("how to carry it out"), blank=True)
    requirements = models.TextField(_("conditions"), blank=True)
    result_description = models.TextField(_("result"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    keywords = models.TextField(
        _("search keywords"),
        blank=True,
        help_text=_("More words search finds it by: agencies as published, results, key words."),
    )
    search_text = models.TextField(editable=False, blank=True, db_index=False)
    name_sort = SortKeyField(sources=["name"])
    # The folded name alone: search ranks a procedure whose name has every word first.
    search_name = models.TextField(editable=False, blank=True, db_index=False)
    is_active = models.BooleanField(_("published"), default=True)
    current_version = models.ForeignKey(
        "ProcedureVersion",
        verbose_name=_("version in force"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["name_sort", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agency__isnull=False) | models.Q(at_communes=True),
                name="procedure_has_implementer",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_online(self) -> bool:
        return self.online_level in {self.OnlineLevel.FULL, self.OnlineLevel.PARTIAL}


class RequiredDocument(models.Model):
    """A document the applicant must submit (thành phần hồ sơ)."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="documents", verbose_name=_("procedure")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    case = models.CharField(
        _("case"),
        max_length=2000,
        blank=True,
        help_text=_("The case it belongs to (trường hợp), when the procedure has several."),
    )
    name = models.CharField(_("name"), max_length=8000)
    forms = models.CharField(
        _("form names"),
        max_length=1000,
        blank=True,
        help_text=_("The published forms (mẫu đơn, tờ khai), separated by semicolons."),
    )
    originals = models.PositiveSmallIntegerField(_("originals"), default=1)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    is_required = models.BooleanField(_("required"), default=True)
    template = models.FileField(_("template"), upload_to="templates/%Y/", blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["procedure", "order", "pk"]

    def __str__(self):
        return self.name


class Fee(models.Model):
    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="fees", verbose_name=_("procedure")
    )

    class Channel(models.IntegerChoices):
        """The national channel codes (KENH), as ``dossiers.constants.Channel``."""

        IN_PERSON = 1, _("In person")
        ONLINE = 2, _("Online")
        POSTAL = 3, _("Public postal service")

    name = models.CharField(_("name"), max_length=300)
    amount = models.PositiveIntegerField(_("amount (VND)"))
    note = models.CharField(_("note"), max_length=1500, blank=True)
    channel = models.PositiveSmallIntegerField(
        _("channel"),
        choices=Channel.choices,
        null=True,
        blank=True,
        help_text=_("Leave empty when the fee is the same on every channel."),
    )

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["procedure", "pk"]

    def __str__(self):
        return f"{self.name}: {vnd(self.amount)}"


class ProcessStep(models.Model):
    """One step of the internal process (quy trình nội bộ), done by a role within a budget."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="steps", verbose_name=_("procedure")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    role = models.ForeignKey(
        Group, verbose_name=_("role"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("other agency"),
        help_text=_("Leave empty when the step is done by the implementing agency."),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at_desk = models.BooleanField(
        _("at the one-stop desk"),
        default=False,
        help_text=_("Done by the desk that received the dossier (reception, returning results)."),
    )
    budget_days = models.DecimalField(
        _("time budget (working days)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.05"))],
    )

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["procedure", "order"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "order"], name="step_order_unique")
        ]

    def __str__(self):
        return f"{self.order}. {self.name}"


class ProcedureVersion(models.Model):
    """A frozen copy of a procedure's rules. Dossiers keep the version they were received under."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="versions", verbose_name=_("procedure")
    )
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    content_hash = models.CharField(max_length=64)
    snapshot = models.JSONField(_("snapshot"))

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="version_number_unique")
        ]

    def __str__(self):
        return f"{self.procedure.code} v{self.number}"

    @property
    def steps(self) -> list[dict]:
        return self.snapshot["steps"]

    @property
    def documents(self) -> list[dict]:
        return self.snapshot["documents"]


class NationalAgency(models.Model):
    """How an agency name of the national procedure database (``COQUANTHUCHIEN``, e.g. "Sở Tư
    pháp", "Công an tỉnh") maps to one of the province's agencies. No agency: the province does
    not carry out procedures of that national agency (customs, tax, the State Bank…)."""

    name = models.CharField(_("national name"), max_length=500, unique=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("province agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("national agency name")
        verbose_name_plural = _("national agency names")
        ordering = ["name"]

    def __str__(self):
        return self.name


class NationalRecord(models.Model):
    """The national database's record a procedure was imported from, kept whole so a later
    synchronisation can compare (``catalog.national``)."""

    procedure = models.OneToOneField(
        Procedure,
        verbose_name=_("procedure"),
        on_delete=models.CASCADE,
        related_name="national_record",
    )
    code = models.CharField(_("national base code"), max_length=20, unique=True)
    record = models.JSONField(_("record"))
    record_hash = models.CharField(max_length=64)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("national record")
        verbose_name_plural = _("national records")
        ordering = ["code"]

    def __str__(self):
        return self.code
