from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditLog(models.Model):
    """Append-only record of every write: who did what to which object, from where."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A system actor (a gateway callback, a PBX, a scheduled job) has no user row: its name.
    actor_system = models.CharField(_("system actor"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class CalendarDay(models.Model):
    """A day the province itself adds to or removes from the national working calendar."""

    class Kind(models.TextChoices):
        DAY_OFF = "off", _("Extra day off")
        WORKING = "working", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


class AnnouncedYear(models.Model):
    """A year of the national calendar as the Government announced it for civil servants.

    Each year the Prime Minister (through a letter of the Government Office, ``…/VPCP-KGVX``) and
    the ministry in charge of labour (``…/TB-BNV``, before 2025 ``…/TB-LĐTBXH``) announce the days
    off: the Labour Code's holidays (Art. 112), the days off in lieu (Art. 111(3)), and swapped
    days with the Saturdays worked in exchange. ``complete`` says the year's announced days are all
    there is: the ``holidays`` package is then not consulted for that year (only weekends are);
    until it is ticked, each announced day overrides the package's answer for that date only.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    complete = models.BooleanField(
        _("complete"),
        default=False,
        help_text=_(
            "Every day off and make-up working day of the year is entered: the holidays "
            "package's rules are no longer used for this year."
        ),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("announced calendar year")
        verbose_name_plural = _("announced calendar")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class AnnouncedDay(models.Model):
    """One day of an announced year: a holiday, a day off, or a Saturday worked in exchange."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday")
        IN_LIEU = "in_lieu", _("Day off in lieu")
        SWAPPED = "swapped", _("Swapped day off")
        MAKE_UP = "make_up", _("Make-up working day")

    year = models.ForeignKey(
        AnnouncedYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("The document that announces the day: its number, date and issuer."),
    )
    source_url = models.URLField(_("source address"), blank=True)

    class Meta:
        verbose_name = _("announced day")
        verbose_name_plural = _("announced days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"

    @property
    def is_working(self) -> bool:
        return self.kind == self.Kind.MAKE_UP

    def clean(self):
        super().clean()
        if self.date and self.year_id and self.date.year != self.year.year:
            raise ValidationError(
                {"date": _("The date must be in %(year)s.") % {"year": self.year.year}}
            )


class RateCounter(models.Model):
    """One rate-limit counter of ``core.cache.CounterCache`` (django-ratelimit's windows when no
    Redis is configured): a plain integer, so a hit is one ``UPDATE … SET count = count + 1``."""

    key = models.CharField(primary_key=True, max_length=255)
    count = models.BigIntegerField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")

    def __str__(self) -> str:
        return self.key
