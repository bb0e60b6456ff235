"""The working-day calendar that every legal deadline is counted in.

Whether a day is worked is decided, first match wins, by:

1. the days the province adds or removes itself (``core.CalendarDay``);
2. the schedule the Government announced (``core.AnnouncedDay``: holidays, days off in lieu,
   swapped days and the Saturdays worked in exchange, each with its source document), shipped for
   the years the platform has data for and kept up to date by the operator in the admin;
3. for a year whose announced schedule is not ``complete``, the ``holidays`` package's rules
   (lunar Tết, Hùng Kings' day, days off in lieu and the substituted days it knows of); it can
   lag an announcement, which is why (2) comes first;
4. weekends: Saturday and Sunday are off.

Both tables are read once per ``get_calendar()`` from the shared cache (invalidated whenever a
row is saved or deleted), never once per day.

Time is counted in *working seconds*: every working day contributes the office window
[OFFICE_OPEN, OFFICE_CLOSE]. "N working days" is N windows long, so a dossier received on Monday
at 09:00 with a 3-day deadline is due on Thursday at 09:00, and one received after closing time
or on a day off starts counting at the next working day's opening.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from typing import TypedDict

import holidays
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

# The shared cache's entry holding both tables (``calendar_days``); dropped on every change.
CACHE_KEY = "core:calendar:days"
CACHE_SECONDS = 3600


def _parse_time(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


@lru_cache(maxsize=8)
def _national_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year)


class WorkingCalendar:
    def __init__(
        self,
        overrides: dict[dt.date, bool] | None = None,
        announced: dict[dt.date, bool] | None = None,
        complete_years: frozenset[int] | set[int] = frozenset(),
        office_open: dt.time | None = None,
        office_close: dt.time | None = None,
        tz: dt.tzinfo | None = None,
    ):
        # overrides: date -> True (working) / False (day off), set by the province.
        self.overrides = overrides or {}
        # announced: the same for the Government's announced days; complete_years: the years
        # whose announced days are all there is (the holidays package is not asked about them).
        self.announced = announced or {}
        self.complete_years = frozenset(complete_years)
        self.office_open = office_open or _parse_time(settings.OFFICE_OPEN)
        self.office_close = office_close or _parse_time(settings.OFFICE_CLOSE)
        if self.office_close <= self.office_open:
            raise ValueError("OFFICE_CLOSE must be later than OFFICE_OPEN")
        self.tz = tz or timezone.get_default_timezone()
        day = dt.date(2000, 1, 1)
        self.day_seconds = int(
            (
                dt.datetime.combine(day, self.office_close)
                - dt.datetime.combine(day, self.office_open)
            ).total_seconds()
        )

    # --- days ---------------------------------------------------------------------------------
    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day in self.announced:
            return self.announced[day]
        if day.year in self.complete_years:
            return day.weekday() < 5
        return _national_holidays(day.year).is_working_day(day)

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        day += dt.timedelta(days=1)
        for _ in range(400):
            if self.is_working_day(day):
                return day
            day += dt.timedelta(days=1)
        raise ValueError("no working day within a year")  # pragma: no cover - misconfiguration

    def add_working_days_to_date(self, day: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``day`` (``day`` itself not counted)."""
        for _ in range(days):
            day = self.next_working_day(day)
        return day

    # --- moments ------------------------------------------------------------------------------
    def _local(self, moment: dt.datetime) -> dt.datetime:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, self.tz)
        return moment.astimezone(self.tz)

    def _window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        start = dt.datetime.combine(day, self.office_open, tzinfo=self.tz)
        end = dt.datetime.combine(day, self.office_close, tzinfo=self.tz)
        return start, end

    def counting_start(self, moment: dt.datetime) -> dt.datetime:
        """When the clock starts for something received at ``moment``."""
        local = self._local(moment)
        day = local.date()
        if self.is_working_day(day):
            start, end = self._window(day)
            if local < start:
                return start
            if local < end:
                return local
        return self._window(self.next_working_day(day))[0]

    def add_working_time(self, moment: dt.datetime, seconds: float) -> dt.datetime:
        """The moment ``seconds`` of office time after ``moment``."""
        current = self.counting_start(moment)
        remaining = float(seconds)
        while True:
            _, end = self._window(current.date())
            available = (end - current).total_seconds()
            if remaining <= available:
                return current + dt.timedelta(seconds=remaining)
            remaining -= available
            current = self._window(self.next_working_day(current.date()))[0]

    def add_working_days(self, moment: dt.datetime, days: Decimal | int | float) -> dt.datetime:
        return self.add_working_time(moment, float(days) * self.day_seconds)

    def working_seconds_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Office time elapsed from ``start`` to ``end`` (negative if ``end`` is earlier)."""
        if end < start:
            return -self.working_seconds_between(end, start)
        current = self.counting_start(start)
        end = self._local(end)
        total = 0.0
        while current < end:
            _, window_end = self._window(current.date())
            total += (min(window_end, end) - current).total_seconds()
            if end <= window_end:
                break
            current = self._window(self.next_working_day(current.date()))[0]
        return total

    def working_days_between(self, start: dt.datetime, end: dt.datetime) -> float:
        return self.working_seconds_between(start, end) / self.day_seconds


class CalendarDays(TypedDict):
    overrides: dict[dt.date, bool]  # the province's own days: date -> worked?
    announced: dict[dt.date, bool]  # the announced days: date -> worked?
    complete_years: list[int]  # the years whose announced schedule is complete


def calendar_days() -> CalendarDays:
    """Both tables as plain data, from the shared cache (one read, filled on a miss)."""
    cached = cache.get(CACHE_KEY)
    if cached is not None:
        return cached
    from tinhso.core.models import AnnouncedDay, AnnouncedYear, CalendarDay

    days: CalendarDays = {
        "overrides": {
            day: kind == CalendarDay.Kind.WORKING
            for day, kind in CalendarDay.objects.values_list("date", "kind")
        },
        "announced": {
            day: kind == AnnouncedDay.Kind.MAKE_UP
            for day, kind in AnnouncedDay.objects.values_list("date", "kind")
        },
        "complete_years": sorted(
            AnnouncedYear.objects.filter(complete=True).values_list("year", flat=True)
        ),
    }
    cache.set(CACHE_KEY, days, CACHE_SECONDS)
    return days


def calendar_days_changed(**kwargs) -> None:
    """Drop the cached tables now and again after commit (a reader between the two could have
    cached the rows as they were before the change). Connected to every save and delete."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def get_calendar() -> WorkingCalendar:
    """The calendar in force: the province's own days and the announced schedule (one read of
    the shared cache), then the ``holidays`` package, then weekends."""
    days = calendar_days()
    return WorkingCalendar(
        overrides=days["overrides"],
        announced=days["announced"],
        complete_years=set(days["complete_years"]),
    )
