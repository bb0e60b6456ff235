"""The working-day calendar that every legal deadline is counted in.

A working day is a weekday that is not a Vietnamese public holiday (the ``holidays`` package
knows lunar Tết, Hùng Kings' day and the government's substituted days, including the Saturdays
worked in exchange), adjusted by the days the province adds or removes itself (``CalendarDay``).

Time is counted in *working seconds*: every working day contributes the office window
[OFFICE_OPEN, OFFICE_CLOSE]. "N working days" is N windows long, so a dossier received on Monday
at 09:00 with a 3-day deadline is due on Thursday at 09:00, and one received after closing time
or on a day off starts counting at the next working day's opening.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone


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
        office_open: dt.time | None = None,
        office_close: dt.time | None = None,
        tz: dt.tzinfo | None = None,
    ):
        # overrides: date -> True (working) / False (day off), set by the province.
        self.overrides = overrides or {}
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
        national = _national_holidays(day.year)
        return national.is_working_day(day)

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


def get_calendar() -> WorkingCalendar:
    """The calendar in force, with the province's own days from the database."""
    from tinhso.core.models import CalendarDay

    overrides = {
        day: kind == CalendarDay.Kind.WORKING
        for day, kind in CalendarDay.objects.values_list("date", "kind")
    }
    return WorkingCalendar(overrides=overrides)
