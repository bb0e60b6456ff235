"""Reads of the procedure catalogue shared by the portal, the office and the API.

Search ignores Vietnamese diacritics both ways: ``Procedure.search_text`` holds the folded name,
code, field and agency (``tinhso.core.text.fold``, refreshed whenever a version is published), the
query is folded the same way, and every folded word of the query must occur in it. So "ho tich",
"hộ tịch" and "HỘ TỊCH" all find "Đăng ký hộ tịch", and "đăng ký" finds a name typed "Dang ky".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from tinhso.catalog.models import Field, Procedure, ProcessStep
from tinhso.core.text import code_normalize, fold, fold_words
from tinhso.org import selectors as org_selectors
from tinhso.org.models import Agency, Ward

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tinhso.accounts.models import User

# A published procedure: switched on, and with a frozen version dossiers can be received under.
PUBLISHED = Q(is_active=True, current_version__isnull=False)


def procedure_search_words(q: str | None) -> list[str]:
    """The folded words of a search query, without repeats."""
    return fold_words(q)


def procedure_list(
    *,
    q: str = "",
    field_id: int | None = None,
    agency_id: int | None = None,
    online_only: bool = False,
) -> QuerySet[Procedure]:
    """Published procedures matching every word of ``q`` (accents optional), best first: the
    name starts with the words as typed, side by side; the name holds them side by side; the
    name holds every word; the words stand together elsewhere (the agency's or a result's name:
    "đăng ký kinh doanh"); the rest. By Vietnamese name order within each."""
    qs = Procedure.objects.filter(PUBLISHED).select_related(
        "field", "agency", "agency__served_by", "current_version"
    )
    words = procedure_search_words(q)
    for word in words:
        qs = qs.filter(search_text__contains=word)
    if words:
        in_name = Q()
        for word in words:
            in_name &= Q(search_name__contains=word)
        phrase = " ".join(fold(q).split())
        qs = qs.annotate(
            search_rank=Case(
                # The words as typed, side by side in the name, first: "chung thuc chu ky"
                # finds "Chứng thực chữ ký…" before names that merely hold the four words.
                When(search_name__startswith=phrase, then=0),
                When(search_name__contains=phrase, then=1),
                When(in_name, then=2),
                When(search_text__contains=phrase, then=3),
                default=4,
            )
        )
    if field_id:
        qs = qs.filter(field_id=field_id)
    if agency_id:
        # A commune People's Committee carries out its own and every commune procedure.
        commune = Agency.objects.filter(pk=agency_id, kind=Agency.Kind.WARD_COMMITTEE).exists()
        qs = (
            qs.filter(Q(agency_id=agency_id) | Q(at_communes=True))
            if commune
            else qs.filter(agency_id=agency_id)
        )
    if online_only:
        qs = qs.filter(online_level__in=[Procedure.OnlineLevel.FULL, Procedure.OnlineLevel.PARTIAL])
    if words:
        return qs.order_by(F("search_rank").asc(), "name_sort", "pk")
    return qs.order_by("name_sort", "pk")


def procedure_get(*, pk: int | None = None, code: str | None = None) -> Procedure:
    """One published procedure, by id or national code, with its documents, fees and steps.

    Raises ``Procedure.DoesNotExist`` when there is no such published procedure.
    """
    if (pk is None) == (code is None):
        raise TypeError("procedure_get() takes exactly one of pk and code")
    lookup = {"pk": pk} if pk is not None else {"code": code}
    return (
        Procedure.objects.filter(PUBLISHED)
        .select_related("field", "agency", "agency__served_by", "current_version")
        .prefetch_related(
            "documents",
            "fees",
            Prefetch(
                "steps",
                queryset=ProcessStep.objects.select_related("role", "agency").order_by("order"),
            ),
        )
        .get(**lookup)
    )


def _published_count() -> Count:
    return Count(
        "procedures",
        filter=Q(procedures__is_active=True, procedures__current_version__isnull=False),
    )


def field_list(*, nonempty: bool = False) -> QuerySet[Field]:
    """Fields by name, each with ``procedure_count``: how many published procedures it has."""
    qs = Field.objects.annotate(procedure_count=_published_count())
    if nonempty:
        qs = qs.filter(procedure_count__gt=0)
    return qs.order_by("name_sort", "pk")


def agency_list(*, nonempty: bool = False) -> QuerySet[Agency]:
    """Active agencies by name, each with ``procedure_count`` of published procedures: its own,
    and for a commune People's Committee also every procedure the communes carry out."""
    # A subquery, not a count now: the API builds this queryset when its module is imported.
    communes = Coalesce(
        Subquery(
            Procedure.objects.filter(PUBLISHED, at_communes=True)
            .order_by()
            .values("at_communes")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )
    qs = (
        Agency.objects.filter(is_active=True)
        .select_related("served_by")
        .annotate(own_count=_published_count())
        .annotate(
            procedure_count=Case(
                When(kind=Agency.Kind.WARD_COMMITTEE, then=F("own_count") + communes),
                default=F("own_count"),
            )
        )
    )
    if nonempty:
        qs = qs.filter(procedure_count__gt=0)
    return qs.order_by("name_sort", "pk")


def procedure_list_for_officer(
    user: User | AnonymousUser, *, desk_only: bool
) -> QuerySet[Procedure]:
    """Procedures an officer deals with (``org.selectors`` decides their scope): those their
    one-stop desk receives, and with ``desk_only=False`` also those their agency implements.
    Every procedure for a province administrator; none for anyone else."""
    procedures = Procedure.objects.select_related("agency").order_by("name_sort", "pk")
    if org_selectors.officer_sees_all(user):
        return procedures
    desk = org_selectors.desk_agency_filter(user, prefix="agency__")
    if desk is None:
        return procedures.none()
    # A commune People's Committee's desk receives every procedure the communes carry out.
    own = org_selectors.officer_agency_id(user)
    at_commune = (
        own is not None and Agency.objects.filter(pk=own, kind=Agency.Kind.WARD_COMMITTEE).exists()
    )
    communes = Q(at_communes=True) if at_commune else Q(pk__in=[])
    if desk_only:
        return procedures.filter(desk | communes)
    return procedures.filter(desk | communes | Q(agency_id=org_selectors.officer_agency_id(user)))


def implementing_agencies(procedure: Procedure) -> QuerySet[Agency]:
    """The agencies a dossier of ``procedure`` may be submitted to: its province-level agency,
    and when the communes carry it out, every active commune People's Committee of the province
    (``settings.PROVINCE_CODE``). By kind then name."""
    choice = Q(pk=procedure.agency_id) if procedure.agency_id else Q(pk__in=[])
    if procedure.at_communes:
        choice |= Q(
            kind=Agency.Kind.WARD_COMMITTEE,
            is_active=True,
            ward__province_code=settings.PROVINCE_CODE,
        )
    return (
        Agency.objects.filter(choice)
        .select_related("served_by", "ward")
        .order_by(
            Case(When(kind=Agency.Kind.WARD_COMMITTEE, then=1), default=0),
            "name",
            "pk",
        )
    )


def implementing_agency_get(
    procedure: Procedure, *, agency: Agency | str | None = None, ward: Ward | int | None = None
) -> Agency:
    """The agency that will carry out a dossier of ``procedure``: ``agency`` (an Agency or its
    code, as typed: ``core.text.code_normalize``), or the People's Committee of ``ward`` (a Ward or its code), or with neither the
    procedure's own agency.

    Raises ``ValidationError({"agency": …})`` when the choice is not one of
    ``implementing_agencies(procedure)``: a ward outside the province, a ward with no active
    People's Committee, or no choice for a procedure only the communes carry out.
    """
    if ward is not None:
        ward_code = ward.pk if isinstance(ward, Ward) else ward
        found = Ward.objects.filter(pk=ward_code).first()
        if found is None or found.province_code != settings.PROVINCE_CODE:
            raise ValidationError({"agency": _("This ward or commune is not in the province.")})
        committee = Agency.objects.filter(
            kind=Agency.Kind.WARD_COMMITTEE, ward=found, is_active=True
        ).first()
        if committee is None:
            raise ValidationError(
                {"agency": _("This ward or commune has no People's Committee on this system.")}
            )
        agency = committee
    if agency is None:
        if procedure.agency_id is None:
            raise ValidationError(
                {"agency": _("Choose the ward or commune that should carry out this procedure.")}
            )
        return cast(Agency, procedure.agency)
    allowed = implementing_agencies(procedure)
    lookup = {"code": code_normalize(agency)} if isinstance(agency, str) else {"pk": agency.pk}
    chosen = allowed.filter(**lookup).first()
    if chosen is None:
        raise ValidationError({"agency": _("This agency does not carry out this procedure.")})
    return chosen
