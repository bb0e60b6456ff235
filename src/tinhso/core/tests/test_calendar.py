"""The working-day calendar every legal deadline is counted in.

Office hours are pinned to 07:00–17:00 (10 hours a working day) so that the expected moments
below can be read off a wall calendar. ``cal`` is the calendar in force (the announced schedule
shipped in the database, then the holidays package). Dates are checked against the government's
decisions: Tết 2026 is Mon 16 – Fri 20 Feb; in 2025 Saturday 26 Apr was worked in exchange for
Fri 2 May; in 2026 Saturday 22 Aug is worked in exchange for Mon 31 Aug and Saturday 10 Jan for
Fri 2 Jan; Hùng Kings' day 2026 (10/3 lunar) falls on Sunday 26 Apr and is observed on Monday
27 Apr. ``test_announced_calendar`` checks every day of 2025 and 2026.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tinhso.core.calendar import WorkingCalendar, get_calendar
from tinhso.core.models import CalendarDay
from tinhso.dossiers import services
from tinhso.dossiers.constants import Status
from tinhso.dossiers.tests.helpers import checklist, submit_online, walk_to_processing
from tinhso.testing.files import pdf_upload

ICT = ZoneInfo("Asia/Ho_Chi_Minh")
HOUR = 3600
DAY = 10 * HOUR


@pytest.fixture(autouse=True)
def _office_hours(settings):
    settings.OFFICE_OPEN = "07:00"
    settings.OFFICE_CLOSE = "17:00"
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"


@pytest.fixture
def cal(db):
    return get_calendar()


def at(year, month, day, hour=0, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=ICT)


def d(year, month, day):
    return dt.date(year, month, day)


def days(start: dt.date, end: dt.date):
    """Every date from ``start`` to ``end`` inclusive."""
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


# --- days off and working days ------------------------------------------------------------------
def test_a_plain_week_has_five_working_days(cal):
    week = days(d(2026, 3, 2), d(2026, 3, 8))  # Monday to Sunday, no holiday
    assert [cal.is_working_day(day) for day in week] == [True] * 5 + [False] * 2


def test_tet_2026_and_the_weekends_around_it_are_off(cal):
    assert cal.is_working_day(d(2026, 2, 13))  # Friday before Tết
    assert not any(cal.is_working_day(day) for day in days(d(2026, 2, 14), d(2026, 2, 22)))
    assert cal.is_working_day(d(2026, 2, 23))
    assert cal.next_working_day(d(2026, 2, 13)) == d(2026, 2, 23)
    assert cal.add_working_days_to_date(d(2026, 2, 12), 2) == d(2026, 2, 23)


def test_tet_2026_pushes_a_one_day_deadline_over_nine_days(cal):
    due = cal.add_working_days(at(2026, 2, 13, 9), 1)
    assert due == at(2026, 2, 23, 9)


def test_2025_make_up_saturday_is_worked_and_2_may_is_off(cal):
    assert cal.is_working_day(d(2025, 4, 26))  # Saturday worked in exchange
    assert not cal.is_working_day(d(2025, 4, 27))  # Sunday stays off
    assert not any(cal.is_working_day(day) for day in days(d(2025, 4, 30), d(2025, 5, 4)))
    assert cal.next_working_day(d(2025, 4, 25)) == d(2025, 4, 26)
    assert cal.next_working_day(d(2025, 4, 29)) == d(2025, 5, 5)
    # Friday 16:00 plus one working day ends on the make-up Saturday, not on Monday.
    assert cal.add_working_days(at(2025, 4, 25, 16), 1) == at(2025, 4, 26, 16)


def test_2026_make_up_saturday_is_worked_and_31_august_is_off(cal):
    assert cal.is_working_day(d(2026, 8, 22))
    assert not cal.is_working_day(d(2026, 8, 31))
    # 31 Aug (substituted), 1 and 2 Sep (National Day): Friday 28 Aug is followed by Thursday.
    assert cal.next_working_day(d(2026, 8, 28)) == d(2026, 9, 3)
    assert cal.next_working_day(d(2026, 8, 21)) == d(2026, 8, 22)


def test_hung_kings_day_2026_is_observed_on_monday_27_april(cal):
    assert not cal.is_working_day(d(2026, 4, 26))  # Sunday, the day itself
    assert not cal.is_working_day(d(2026, 4, 27))  # observed
    assert cal.is_working_day(d(2026, 4, 28))
    assert not cal.is_working_day(d(2026, 4, 30))
    assert not cal.is_working_day(d(2026, 5, 1))
    # Friday 24 Apr + 3 working days: Tue 28, Wed 29, then Mon 4 May.
    assert cal.add_working_days_to_date(d(2026, 4, 24), 3) == d(2026, 5, 4)


def test_new_years_day_across_the_year_boundary(cal):
    # 1 hour left on 31 Dec 2025, 1 Jan 2026 is off, so is the swapped Friday 2 Jan: 9 hours on
    # Monday 5 Jan.
    assert cal.add_working_days(at(2025, 12, 31, 16), 1) == at(2026, 1, 5, 16)


# --- when the clock starts -----------------------------------------------------------------------
def test_received_during_office_hours_counts_from_that_moment(cal):
    assert cal.counting_start(at(2026, 3, 2, 9, 15)) == at(2026, 3, 2, 9, 15)
    # The module's own example: Monday 09:00 + 3 working days = Thursday 09:00.
    assert cal.add_working_days(at(2026, 3, 2, 9), 3) == at(2026, 3, 5, 9)


def test_received_before_opening_counts_from_the_opening(cal):
    assert cal.counting_start(at(2026, 3, 2, 6, 30)) == at(2026, 3, 2, 7)
    assert cal.add_working_days(at(2026, 3, 2, 6, 30), 1) == at(2026, 3, 2, 17)


@pytest.mark.parametrize(
    "received, start",
    [
        (at(2026, 3, 2, 17), at(2026, 3, 3, 7)),  # at closing time
        (at(2026, 3, 2, 21, 40), at(2026, 3, 3, 7)),  # in the evening
        (at(2026, 3, 6, 18), at(2026, 3, 9, 7)),  # Friday evening
        (at(2026, 3, 7, 10), at(2026, 3, 9, 7)),  # Saturday
        (at(2026, 2, 17, 10), at(2026, 2, 23, 7)),  # during Tết
        (at(2026, 4, 27, 8), at(2026, 4, 28, 7)),  # Hùng Kings' day observed
        (at(2025, 4, 25, 18), at(2025, 4, 26, 7)),  # before the make-up Saturday
    ],
)
def test_received_after_hours_or_on_a_day_off_counts_from_the_next_opening(cal, received, start):
    assert cal.counting_start(received) == start
    assert cal.add_working_days(received, 1) == start.replace(hour=17)


def test_naive_and_utc_moments_are_read_in_local_time(cal):
    assert cal.counting_start(dt.datetime(2026, 3, 2, 9)) == at(2026, 3, 2, 9)
    utc = dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC)  # 09:00 in Vietnam
    assert cal.add_working_days(utc, 1) == at(2026, 3, 3, 9)


# --- fractions of a day --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "start, amount, due",
    [
        (at(2026, 3, 2, 9), Decimal("0.5"), at(2026, 3, 2, 14)),
        (at(2026, 3, 2, 9), Decimal("1.5"), at(2026, 3, 3, 14)),
        (at(2026, 3, 6, 15), Decimal("0.5"), at(2026, 3, 9, 10)),  # 2 h Friday, 3 h Monday
        (at(2026, 3, 2, 9), "0.25", at(2026, 3, 2, 11, 30)),  # snapshots keep strings
        (at(2026, 2, 13, 16), Decimal("0.05"), at(2026, 2, 13, 16, 30)),
        (at(2026, 2, 13, 16, 30), Decimal("0.1"), at(2026, 2, 23, 7, 30)),  # over Tết
    ],
)
def test_fractional_days(cal, start, amount, due):
    assert cal.add_working_days(start, amount) == due


def test_an_office_day_follows_the_configured_hours(settings):
    settings.OFFICE_OPEN = "07:30"
    settings.OFFICE_CLOSE = "16:30"
    cal = WorkingCalendar(tz=ICT)
    assert cal.day_seconds == 9 * HOUR
    assert cal.add_working_days(at(2026, 3, 2, 8), Decimal("0.5")) == at(2026, 3, 2, 12, 30)
    with pytest.raises(ValueError):
        WorkingCalendar(office_open=dt.time(17), office_close=dt.time(7))


# --- office time between two moments -------------------------------------------------------------
def test_working_seconds_between_skips_nights_weekends_and_tet(cal):
    friday, monday = at(2026, 2, 13, 15), at(2026, 2, 23, 9)
    assert cal.working_seconds_between(friday, monday) == 4 * HOUR
    assert cal.working_seconds_between(monday, friday) == -4 * HOUR
    assert cal.working_days_between(friday, monday) == pytest.approx(0.4)


def test_working_seconds_between_within_a_day_and_outside_office_hours(cal):
    assert cal.working_seconds_between(at(2026, 3, 2, 9), at(2026, 3, 2, 11, 30)) == 2.5 * HOUR
    assert cal.working_seconds_between(at(2026, 3, 2, 18), at(2026, 3, 3, 6)) == 0
    assert cal.working_seconds_between(at(2026, 3, 7, 8), at(2026, 3, 8, 16)) == 0  # weekend
    assert cal.working_seconds_between(at(2026, 3, 2, 7), at(2026, 3, 9, 7)) == 5 * DAY


def test_working_seconds_between_inverts_adding_working_time(cal):
    start = at(2026, 4, 24, 10, 20)
    for seconds in (0, 1800, DAY, 3.7 * DAY, 12 * DAY):
        end = cal.add_working_time(start, seconds)
        assert cal.working_seconds_between(start, end) == pytest.approx(seconds)


# --- the province's own days ---------------------------------------------------------------------
def test_province_days_off_and_make_up_saturdays_come_from_the_database(db):
    wednesday, saturday = d(2026, 3, 4), d(2026, 3, 7)
    assert get_calendar().is_working_day(wednesday)
    assert not get_calendar().is_working_day(saturday)

    CalendarDay.objects.create(date=wednesday, kind=CalendarDay.Kind.DAY_OFF, note="Bão")
    CalendarDay.objects.create(date=saturday, kind=CalendarDay.Kind.WORKING, note="Làm bù")
    cal = get_calendar()
    assert not cal.is_working_day(wednesday)
    assert cal.is_working_day(saturday)
    assert cal.next_working_day(d(2026, 3, 3)) == d(2026, 3, 5)
    assert cal.next_working_day(d(2026, 3, 6)) == saturday
    # Tuesday 09:00 + 2 working days skips Wednesday: Thursday, then Friday 09:00.
    assert cal.add_working_days(at(2026, 3, 3, 9), 2) == at(2026, 3, 6, 9)
    assert cal.working_seconds_between(at(2026, 3, 6, 7), at(2026, 3, 9, 7)) == 2 * DAY


def test_a_province_override_beats_the_national_calendar(db):
    # The province works on the observed Hùng Kings' day and gives 28 April off instead.
    CalendarDay.objects.create(date=d(2026, 4, 27), kind=CalendarDay.Kind.WORKING)
    CalendarDay.objects.create(date=d(2026, 4, 28), kind=CalendarDay.Kind.DAY_OFF)
    cal = get_calendar()
    assert cal.is_working_day(d(2026, 4, 27))
    assert not cal.is_working_day(d(2026, 4, 28))
    CalendarDay.objects.filter(date=d(2026, 4, 28)).delete()
    assert get_calendar().is_working_day(d(2026, 4, 28))


# --- deadlines of real dossiers ------------------------------------------------------------------
def test_a_dossier_received_after_hours_before_tet_is_due_counting_from_after_tet(
    world, time_machine
):
    time_machine.move_to(at(2026, 2, 13, 17, 30), tick=False)
    dossier = submit_online(world)
    dossier = services.dossier_receive(
        dossier=dossier, actor=world.clerk, checklist=checklist(dossier)
    )
    # 5 working days from Monday 23 Feb 07:00: the whole of Mon–Fri.
    assert dossier.due_at == at(2026, 2, 27, 17)
    # The first step (0.5 day at the desk) is due at noon on the first working day.
    assert dossier.step_due_at == at(2026, 2, 23, 12)


def test_a_supplement_request_pauses_the_clock(world, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)  # Monday
    dossier = walk_to_processing(world, submit_online(world))
    assert dossier.due_at == at(2026, 3, 9, 9)  # 5 working days
    due_before, step_due_before = dossier.due_at, dossier.step_due_at

    time_machine.move_to(at(2026, 3, 4, 10), tick=False)  # Wednesday
    dossier = services.dossier_request_supplement(
        dossier=dossier, actor=world.specialist, reason="Thiếu bản sao giấy chứng sinh"
    )
    assert dossier.status == Status.SUPPLEMENT_REQUESTED

    # Three working days later (Thursday, Friday, Monday; the weekend does not count).
    time_machine.move_to(at(2026, 3, 9, 10), tick=False)
    dossier = services.dossier_supplement(
        dossier=dossier, actor=world.citizen, files=[pdf_upload("bo-sung.pdf")]
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    cal = get_calendar()
    assert dossier.due_at == cal.add_working_days(due_before, 3) == at(2026, 3, 12, 9)
    assert dossier.step_due_at == cal.add_working_days(step_due_before, 3)
    assert dossier.paused_at is None
    assert dossier.events.last().data["paused_seconds"] == 3 * DAY
