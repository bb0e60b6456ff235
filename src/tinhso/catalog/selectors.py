"""Reads of the procedure catalogue shared by the portal, the office and the API.

Search ignores Vietnamese diacritics both ways: ``Procedure.search_text`` holds the folded name,
code, field and agency (``tinhso.core.text.fold``, refreshed whenever a version is published), the
query is folded the same way, and every folded word of the query must occur in it. So "ho tich",
"hộ tịch" and "HỘ TỊCH" all find "Đăng ký hộ tịch", and "đăng ký" finds a name typed "Dang ky".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet

from tinhso.catalog.models import Field, Procedure, ProcessStep
from tinhso.core.text import fold_words
from tinhso.org import selectors as org_selectors
from tinhso.org.models import Agency

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
    """Published procedures matching every word of ``q`` (accents optional), by name."""
    qs = Procedure.objects.filter(PUBLISHED).select_related(
        "field", "agency", "agency__served_by", "current_version"
    )
    for word in procedure_search_words(q):
        qs = qs.filter(search_text__contains=word)
    if field_id:
        qs = qs.filter(field_id=field_id)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if online_only:
        qs = qs.filter(online_level__in=[Procedure.OnlineLevel.FULL, Procedure.OnlineLevel.PARTIAL])
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
    """Active agencies by name, each with ``procedure_count`` of published procedures."""
    qs = (
        Agency.objects.filter(is_active=True)
        .select_related("served_by")
        .annotate(procedure_count=_published_count())
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
    if desk_only:
        return procedures.filter(desk)
    return procedures.filter(desk | Q(agency_id=org_selectors.officer_agency_id(user)))
