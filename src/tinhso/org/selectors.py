"""Officer scoping, once for every app: which agency a user acts for, and what they may see.

Every app that limits what an officer reads or does to their agency asks these functions; none
reads ``user.officer`` itself. A user acts for at most one agency (``Officer.agency``). A holder
of the "every agency" permission (province administrators) is not limited to it. Anyone else
(a citizen, an anonymous visitor, a system actor, which has no ``officer``) acts for no agency.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tinhso.org.models import Agency

# The permission that lifts agency scoping. It is declared by ``dossiers`` (where scoping first
# mattered) and held by province administrators; other apps scope with it too.
SEES_ALL_AGENCIES = "dossiers.view_all_agencies"


def officer_agency_id(user: Any) -> int | None:
    """The id of the agency ``user`` works for, or ``None`` (not an officer, a system actor, not
    signed in, or ``None``)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    officer = getattr(user, "officer", None)
    return officer.agency_id if officer is not None else None


def officer_sees_all(user: Any, perm: str = SEES_ALL_AGENCIES) -> bool:
    """Whether ``user`` sees every agency's work (``perm``, by default the province-wide one)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.has_perm(perm))


def officer_acts_for(user: Any, agency_id: int | None) -> bool:
    """Whether ``user`` works at the agency ``agency_id`` (the permission aside)."""
    own = officer_agency_id(user)
    return own is not None and own == agency_id


def officer_is_scoped(user: Any) -> bool:
    """Whether ``user`` reads as an officer: they work for an agency or see every agency."""
    return officer_agency_id(user) is not None or officer_sees_all(user)


def _agencies() -> QuerySet[Agency]:
    return Agency.objects.only("pk", "name").order_by("name_sort", "pk")


def agencies_visible_to(user: Any) -> QuerySet[Agency]:
    """The agencies whose work ``user`` may see: every agency for a province administrator;
    otherwise their own and those whose one-stop desk their agency is; none for anyone else."""
    if officer_sees_all(user):
        return _agencies()
    agency_id = officer_agency_id(user)
    if agency_id is None:
        return Agency.objects.none()
    return _agencies().filter(Q(pk=agency_id) | Q(served_by_id=agency_id))


def desk_agency_filter(user: Any, *, prefix: str = "") -> Q | None:
    """A filter on agencies (through ``prefix``, e.g. ``"agency__"``) whose dossiers ``user``'s
    desk receives: their own agency unless another desk serves it, and the agencies their
    agency serves. ``None`` when ``user`` acts for no agency."""
    agency_id = officer_agency_id(user)
    if agency_id is None:
        return None
    own = Q(**{f"{prefix}pk": agency_id, f"{prefix}served_by__isnull": True})
    return own | Q(**{f"{prefix}served_by_id": agency_id})


def desk_agencies_for(user: Any) -> QuerySet[Agency]:
    """The agencies whose dossiers ``user``'s one-stop desk receives (every agency for a province
    administrator; none for someone who acts for no agency)."""
    if officer_sees_all(user):
        return _agencies()
    desk = desk_agency_filter(user)
    return Agency.objects.none() if desk is None else _agencies().filter(desk)


# The desk's code, memoised in the process: the public tracking page shows it in its hint on
# every request (bench/RESULTS.md, issue 7). Cleared whenever an agency is saved or deleted.
_desk_code: list[str | None] = []


def province_desk_code() -> str | None:
    """The agency code of the province's one-stop desk, as configured (e.g. ``"000.00.01.H13"``):
    the public administration service center, else an agency that serves others, else the
    first agency; ``None`` when there is none. Examples shown to people (the tracking hint) are
    built from it, so they name this province's codes."""
    if not _desk_code:
        codes = Agency.objects.order_by("code").values_list("code", flat=True)
        code = (
            codes.filter(kind=Agency.Kind.SERVICE_CENTER).first()
            or codes.filter(serves__isnull=False).first()
            or codes.first()
        )
        _desk_code[:] = [code]
    return _desk_code[0]


def province_desk_code_forget(**kwargs: Any) -> None:
    """Receiver of ``post_save``/``post_delete`` of ``Agency``: the next call reads again."""
    _desk_code.clear()
