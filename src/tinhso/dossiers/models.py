from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhso.catalog.models import Procedure, ProcedureVersion
from tinhso.core.models import TimeStampedModel
from tinhso.core.text import FoldedTextField
from tinhso.core.validators import validate_id_number, validate_phone
from tinhso.dossiers.constants import (
    ACTIVE_STATUSES,
    ApplicantKind,
    Channel,
    Decision,
    Delivery,
    FileKind,
    Status,
    Timeliness,
)
from tinhso.org.models import Agency, Ward


class Dossier(TimeStampedModel):
    """A dossier (hồ sơ) submitted for a procedure.

    Written only through ``tinhso.dossiers.services``; ``version`` grows with every transition so
    that a stale action (made from an old page) is refused instead of applied twice.
    """

    code = models.CharField(_("dossier code"), max_length=40, unique=True)
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="dossiers"
    )
    procedure_version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("procedure version"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    receiving_agency = models.ForeignKey(
        Agency,
        verbose_name=_("receiving agency"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("implementing agency"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    current_agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency handling it now"),
        on_delete=models.PROTECT,
        related_name="current_dossiers",
    )
    status = models.PositiveSmallIntegerField(
        _("status"), choices=Status.choices, default=Status.NEW, db_index=True
    )
    status_before_pause = models.PositiveSmallIntegerField(
        choices=Status.choices, null=True, blank=True, editable=False
    )
    channel = models.PositiveSmallIntegerField(_("channel"), choices=Channel.choices)
    step_index = models.PositiveSmallIntegerField(_("current step"), default=0)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_dossiers",
    )
    # Applicant. Personal data: never logged, never in a URL, never shown to the public.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    applicant_kind = models.CharField(
        _("applicant kind"), max_length=20, choices=ApplicantKind.choices
    )
    applicant_name = models.CharField(_("applicant name"), max_length=200)
    applicant_id_number = models.CharField(
        _("identity or tax number"), max_length=20, blank=True, validators=[validate_id_number]
    )
    applicant_phone = models.CharField(
        _("phone"), max_length=15, blank=True, validators=[validate_phone]
    )
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=300, blank=True)
    applicant_ward = models.ForeignKey(
        Ward, verbose_name=_("ward"), null=True, blank=True, on_delete=models.SET_NULL
    )
    organisation_name = models.CharField(_("organisation"), max_length=300, blank=True)
    summary = models.CharField(_("request"), max_length=500, blank=True)
    delivery = models.CharField(
        _("result delivery"), max_length=10, choices=Delivery.choices, default=Delivery.DESK
    )
    # Dates (national names in comments).
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)  # NgayNopHoSo
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)  # NgayTiepNhan
    # The appointment in force (NgayHenTra): what the applicant, the tracking page, the API and
    # the work queue go by. Set at reception (form 01), moved to the new date of an apology letter
    # (form 04), pushed back by the time spent waiting for the applicant.
    due_at = models.DateTimeField(_("appointment"), null=True, blank=True, db_index=True)
    # The appointment given at reception (form 01), pushed back only by the waiting time: the
    # statistics judge early / on time / late against it, so an apology never makes a late
    # dossier on time.
    original_due_at = models.DateTimeField(
        _("original appointment"), null=True, blank=True, editable=False
    )
    step_due_at = models.DateTimeField(_("step due"), null=True, blank=True)
    # The new appointment given by the latest apology letter (form 04), equal to ``due_at`` once
    # a letter is issued (it says the appointment was moved); empty otherwise.
    new_due_at = models.DateTimeField(_("new appointment"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # ^ NgayKetThucXuLy
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)  # NgayTra
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)  # NgayTuChoi etc.
    supplement_count = models.PositiveSmallIntegerField(_("supplement requests"), default=0)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    timeliness = models.CharField(
        _("timeliness"), max_length=10, choices=Timeliness.choices, blank=True, db_index=True
    )
    fee_amount = models.PositiveIntegerField(_("fees (VND)"), default=0)
    fee_paid_at = models.DateTimeField(_("fees paid at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # The code, the applicant's and organisation's names and the ID number folded, for the
    # office's search (ADR 8).
    search_text = FoldedTextField(
        sources=["code", "applicant_name", "organisation_name", "applicant_id_number"]
    )

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["current_agency", "status", "due_at"]),
            models.Index(fields=["receiving_agency", "status", "due_at"]),
            models.Index(fields=["agency", "submitted_at"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["applicant", "submitted_at"]),
            # The agency's work queue (open dossiers by deadline) and the due-soon / overdue
            # tabs: small partial indexes, read in deadline order (bench/RESULTS.md).
            models.Index(
                fields=["current_agency", "due_at", "id"],
                condition=models.Q(status__in=[1, 2, 4, 5, 6, 9]),
                name="dossier_open_queue_idx",
            ),
            models.Index(
                fields=["due_at"],
                condition=models.Q(status__in=sorted(ACTIVE_STATUSES)),
                name="dossier_active_due_idx",
            ),
            # Monthly statistics per agency, answered from the index alone.
            models.Index(
                fields=["agency", "received_at", "status", "timeliness", "due_at", "id"],
                name="dossier_stats_agency_idx",
            ),
            models.Index(
                fields=["receiving_agency", "received_at", "agency", "status", "timeliness"]
                + ["due_at", "id"],
                name="dossier_stats_desk_idx",
            ),
        ]
        permissions = [
            ("receive_dossier", _("Receive, refuse and register dossiers at the desk")),
            ("process_dossier", _("Process dossiers at an internal step")),
            ("assign_dossier", _("Reassign dossiers")),
            ("approve_dossier", _("Approve or reject dossiers")),
            ("stop_dossier", _("Stop processing dossiers")),
            ("return_result", _("Return results to applicants")),
            ("view_statistics", _("See statistics")),
            ("view_all_agencies", _("See the dossiers of every agency")),
        ]

    def __str__(self):
        return self.code

    @property
    def steps(self) -> list[dict]:
        return self.procedure_version.steps

    @property
    def current_step(self) -> dict | None:
        steps = self.steps
        if self.status in {Status.PROCESSING, Status.RECEIVED, Status.FINANCIAL_OBLIGATION}:
            return steps[self.step_index] if self.step_index < len(steps) else None
        return None

    @property
    def applicant_full_address(self) -> str:
        """The address as typed, then the ward or commune chosen from the list (unless the
        typed address already names it): what every page, slip and answer shows."""
        address = (self.applicant_address or "").strip()
        ward = self.applicant_ward.name if self.applicant_ward_id and self.applicant_ward else ""
        if ward and ward.casefold() not in address.casefold():
            return f"{address}, {ward}" if address else ward
        return address

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_at and self.status in ACTIVE_STATUSES and timezone.now() > self.due_at)


class DossierCounter(models.Model):
    """The last dossier number given out by an agency on a day (gap-free allocation)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="dossier_counter_unique")
        ]


class DossierEvent(models.Model):
    """One entry of a dossier's history (QuaTrinhXuLy). Appended, never edited."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), default=timezone.now)
    action = models.CharField(_("action"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A system actor (payment gateway, scheduled job…) acting without a user row: its name.
    actor_system = models.CharField(_("system actor"), max_length=64, blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.PositiveSmallIntegerField(choices=Status.choices, null=True)
    to_status = models.PositiveSmallIntegerField(choices=Status.choices)
    step_index = models.PositiveSmallIntegerField(null=True, blank=True)
    step_name = models.CharField(_("step"), max_length=200, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier history")
        ordering = ["dossier", "at", "pk"]
        indexes = [models.Index(fields=["dossier", "at"])]

    def __str__(self):
        return f"{self.dossier_id} {self.action}"


def dossier_upload_to(instance: "DossierFile", filename: str) -> str:
    # The stored name never carries the citizen's file name (which may hold personal data).
    return f"dossiers/{timezone.now():%Y/%m}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class DossierFile(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    event = models.ForeignKey(
        DossierEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="files"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=FileKind.choices)
    document_id = models.PositiveIntegerField(
        _("required document"), null=True, blank=True, help_text="RequiredDocument id"
    )
    document_name = models.CharField(_("document"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=dossier_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dossier file")
        verbose_name_plural = _("dossier files")
        ordering = ["dossier", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class Rating(models.Model):
    """The applicant's rating of the service once the result is returned."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("score"), choices=[(i, str(i)) for i in range(1, 6)])
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")


class IdempotencyKey(models.Model):
    """Remembers an API submission so a retried request returns the same dossier."""

    key = models.CharField(max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    request_hash = models.CharField(max_length=64)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique")
        ]


class ApologyLetter(models.Model):
    """Form 04: the apology to the applicant of an overdue dossier, with a new appointment.

    Issuing it moves the dossier's appointment (``Dossier.due_at``) to ``new_due_at``; the
    statistics still judge the dossier against ``Dossier.original_due_at``, so it stays late.
    Drafted by a task, issued by an officer through services.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="apology_letters",
    )
    reason = models.TextField(_("reason for the delay"), blank=True)
    new_due_at = models.DateTimeField(_("new appointment"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    drafted_at = models.DateTimeField(_("drafted at"), default=timezone.now)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("apology letter")
        verbose_name_plural = _("apology letters")
        ordering = ["dossier", "drafted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=models.Q(status="draft"),
                name="apology_one_draft_per_dossier",
            )
        ]

    def __str__(self):
        return f"{self.dossier_id} {self.get_status_display()}"
