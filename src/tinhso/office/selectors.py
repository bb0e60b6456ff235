"""Statistics of dossiers per implementing agency and month, in one grouped query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from tinhso.core.env import env_int
from tinhso.core.text import vi_sort_key
from tinhso.dossiers.constants import ACTIVE_STATUSES, CLOSED_STATUSES, Status, Timeliness
from tinhso.dossiers.models import Dossier
from tinhso.org.models import Agency
from tinhso.org.selectors import officer_agency_id, officer_sees_all

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tinhso.accounts.models import User

COLUMNS = ("received", "early", "on_time", "late", "in_progress", "overdue")
# Still open: neither closed nor finished.
OPEN_STATUSES = sorted(set(Status.values) - set(CLOSED_STATUSES) - {Status.FINISHED})


@dataclass
class Row:
    received: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    overdue: int = 0

    def add(self, other: Row) -> None:
        for name in COLUMNS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def finished(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def on_time_rate(self) -> float | None:
        """Share of finished dossiers finished early or on time, in percent."""
        return 100 * (self.early + self.on_time) / self.finished if self.finished else None


@dataclass
class Statistics:
    year: int
    by_agency: list[tuple[Agency, Row]] = field(default_factory=list)
    by_month: list[tuple[dt.date, Row]] = field(default_factory=list)
    total: Row = field(default_factory=Row)
    computed_at: dt.datetime | None = None


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=tz),
        dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def statistics_dossiers(
    user: User | AnonymousUser,
    *,
    year: int,
    agency_id: int | None = None,
    now: dt.datetime | None = None,
) -> Statistics:
    """Received, finished early / on time / late, in progress and overdue now, per implementing
    agency and month of reception, for the dossiers received in ``year``.

    Province administrators see every agency; other officers the dossiers their agency received
    or implements. One grouped query per part (conditional counts, TruncMonth on
    ``received_at``).
    """
    now = now or timezone.now()
    start, end = _year_bounds(year)
    qs = Dossier.objects.filter(received_at__gte=start, received_at__lt=end)
    if agency_id:  # one implementing agency (within the officer's scope below)
        qs = qs.filter(agency_id=agency_id)
    parts = [qs]
    if not officer_sees_all(user):
        agency_id = officer_agency_id(user)
        if agency_id is None:
            parts = [qs.none()]
        else:
            # Two index-only scans (implemented here; received here for another agency) rather
            # than one OR that reads every row from the table (bench/RESULTS.md).
            parts = [
                qs.filter(agency_id=agency_id),
                qs.filter(receiving_agency_id=agency_id).exclude(agency_id=agency_id),
            ]
    rows: Iterator[Mapping[str, Any]] = (
        item
        for part in parts
        for item in part.annotate(month=TruncMonth("received_at"))
        .values("agency_id", "month")
        .annotate(
            received=Count("pk"),
            early=Count("pk", filter=Q(timeliness=Timeliness.EARLY)),
            on_time=Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
            late=Count("pk", filter=Q(timeliness=Timeliness.LATE)),
            in_progress=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=list(ACTIVE_STATUSES), due_at__lt=now)),
        )
        .order_by()
    )
    per_agency: dict[int, Row] = {}
    per_month: dict[int, Row] = {m: Row() for m in range(1, 13)}
    total = Row()
    for item in rows:
        row = Row(**{name: item[name] for name in COLUMNS})
        month = item["month"]
        month_number = (timezone.localtime(month) if timezone.is_aware(month) else month).month
        per_agency.setdefault(item["agency_id"], Row()).add(row)
        per_month[month_number].add(row)
        total.add(row)
    agencies = Agency.objects.in_bulk(per_agency.keys())
    by_agency = sorted(
        ((agencies[pk], row) for pk, row in per_agency.items()),
        key=lambda pair: vi_sort_key(pair[0].name),
    )
    by_month = [(dt.date(year, m, 1), per_month[m]) for m in range(1, 13)]
    return Statistics(
        year=year, by_agency=by_agency, by_month=by_month, total=total, computed_at=now
    )


def statistics_dossiers_cached(
    user: User | AnonymousUser, *, year: int, agency_id: int | None = None
) -> Statistics:
    """``statistics_dossiers`` kept for ``STATS_CACHE_SECONDS`` (default 5 minutes) per scope
    and year: a province's year is close to a million rows, and the figures of a dashboard
    need not be fresher than that. ``Statistics.computed_at`` says when they were counted."""
    seconds = env_int("STATS_CACHE_SECONDS", 300)
    if seconds <= 0:
        return statistics_dossiers(user, year=year, agency_id=agency_id)
    scope = "all" if officer_sees_all(user) else f"agency-{officer_agency_id(user)}"
    key = f"office:stats:v1:{scope}:{year}:{agency_id or ''}"
    stats: Statistics | None = cache.get(key)
    if stats is None:
        stats = statistics_dossiers(user, year=year, agency_id=agency_id)
        cache.set(key, stats, seconds)
    return stats
