from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tinhso.core.models import TimeStampedModel
from tinhso.core.text import FoldedTextField, SortKeyField

agency_code_validator = RegexValidator(
    r"^[A-Z0-9]{2,3}\.[A-Z0-9]{2}\.[A-Z0-9]{2}\.[A-Z0-9]{3}$",
    _("Agency codes follow QCVN 102:2016, for example 000.00.00.H30."),
)


class Ward(models.Model):
    """A commune-level unit (phường, xã, đặc khu), loaded from the vietnam-provinces package."""

    code = models.PositiveIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    division_type = models.CharField(_("division type"), max_length=30)
    province_code = models.PositiveSmallIntegerField(_("province code"), db_index=True)
    name_sort = SortKeyField(sources=["name"])
    search_text = FoldedTextField(sources=["name"])

    class Meta:
        verbose_name = _("ward")
        verbose_name_plural = _("wards")
        ordering = ["name_sort", "code"]

    def __str__(self):
        return self.name


class Agency(TimeStampedModel):
    class Kind(models.TextChoices):
        PEOPLES_COMMITTEE = "ubnd", _("Provincial People's Committee")
        DEPARTMENT = "department", _("Department")
        BOARD = "board", _("Board")
        WARD_COMMITTEE = "ward", _("Ward People's Committee")
        SERVICE_CENTER = "center", _("Public administration service center")
        OTHER = "other", _("Other")

    code = models.CharField(
        _("code"), max_length=20, unique=True, validators=[agency_code_validator]
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    served_by = models.ForeignKey(
        "self",
        verbose_name=_("one-stop desk"),
        help_text=_("The agency whose one-stop desk receives dossiers for this agency."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="serves",
    )
    ward = models.ForeignKey(
        Ward, verbose_name=_("ward"), null=True, blank=True, on_delete=models.SET_NULL
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(
        _("valid to"),
        null=True,
        blank=True,
        help_text=_("Set when the agency is merged or dissolved; its records stay readable."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    name_sort = SortKeyField(sources=["name"])
    search_text = FoldedTextField(sources=["code", "name", "short_name"])

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name_sort", "pk"]

    def __str__(self):
        return self.name

    @property
    def desk(self) -> "Agency":
        """The agency whose one-stop desk receives dossiers for this one."""
        return self.served_by or self


class Officer(TimeStampedModel):
    """A user who works for an agency. Roles are the user's groups."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="officer",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="officers"
    )
    title = models.CharField(_("title"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")

    def __str__(self):
        return f"{self.user} ({self.agency.short_name or self.agency.name})"


class Role(Group):
    """A proxy so that roles show up in the admin under the organisation."""

    class Meta:
        proxy = True
        verbose_name = _("role")
        verbose_name_plural = _("roles")
