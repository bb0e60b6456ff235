"""The Government's announced schedule for 2025 and 2026, day by day.

The expected calendar below is written from the announcements themselves, as the periods off
they publish (weekends included) and the Saturdays worked in exchange, independently of the
shipped data (migration ``core.0004``) and of the ``holidays`` package:

2025 (Công văn 8726/VPCP-KGVX; Thông báo 6150/TB-LĐTBXH): New Year 1/1; Tết Ất Tỵ Sat 25/1 – Sun
2/2; Hùng Kings Mon 7/4; 30/4 – 4/5 with Fri 2/5 worked on Sat 26/4; National Day Sat 30/8 – Tue 2/9.
2026 (Công văn 12729/VPCP-KGVX; Thông báo 9441/TB-BNV): New Year Thu 1/1 – Sun 4/1 with Fri 2/1
worked on Sat 10/1 (the swap the holidays package does not carry); Tết Bính Ngọ Sat 14/2 – Sun
22/2; Hùng Kings Sun 26/4 observed Mon 27/4; 30/4 – 3/5; National Day Sat 29/8 – Wed 2/9 with
Mon 31/8 worked on Sat 22/8; Vietnam Culture Day Tue 24/11.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tinhso.core.calendar import CACHE_KEY, WorkingCalendar, get_calendar
from tinhso.core.models import AnnouncedDay, AnnouncedYear, CalendarDay

pytestmark = pytest.mark.django_db
ICT = ZoneInfo("Asia/Ho_Chi_Minh")

OFF = {
    2025: [
        ("01/01", "01/01"),
        ("25/01", "02/02"),
        ("07/04", "07/04"),
        ("30/04", "04/05"),
        ("30/08", "02/09"),
    ],
    2026: [
        ("01/01", "04/01"),
        ("14/02", "22/02"),
        ("25/04", "27/04"),
        ("30/04", "03/05"),
        ("29/08", "02/09"),
        ("24/11", "24/11"),
    ],
}
WORKED_SATURDAYS = {2025: ["26/04"], 2026: ["10/01", "22/08"]}


def _date(text: str, year: int) -> dt.date:
    day, month = text.split("/")
    return dt.date(year, int(month), int(day))


def expected_working_days(year: int) -> dict[dt.date, bool]:
    off = set()
    for start, end in OFF[year]:
        day, last = _date(start, year), _date(end, year)
        while day <= last:
            off.add(day)
            day += dt.timedelta(days=1)
    worked = {_date(text, year) for text in WORKED_SATURDAYS[year]}
    days = {}
    day = dt.date(year, 1, 1)
    while day.year == year:
        days[day] = day in worked or (day.weekday() < 5 and day not in off)
        day += dt.timedelta(days=1)
    return days


@pytest.fixture(autouse=True)
def _office_hours(settings):
    settings.OFFICE_OPEN = "07:00"
    settings.OFFICE_CLOSE = "17:00"
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"


def at(year, month, day, hour=0, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=ICT)


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_day_of_the_year_matches_the_announcements(year):
    cal = get_calendar()
    expected = expected_working_days(year)
    assert len(expected) == 365
    wrong = {day: cal.is_working_day(day) for day, worked in expected.items()}
    wrong = {day: got for day, got in wrong.items() if got != expected[day]}
    assert wrong == {}
    assert sum(expected.values()) == {2025: 250, 2026: 249}[year]


def test_the_shipped_years_are_complete_and_every_day_has_a_source():
    assert set(AnnouncedYear.objects.filter(complete=True).values_list("year", flat=True)) >= {
        2025,
        2026,
    }
    days = AnnouncedDay.objects.filter(year__year__in=[2025, 2026])
    assert days.count() == 31
    assert not days.filter(source="").exists()
    # The New Year swap of 2026, announced on 25/12/2025, which the holidays package misses.
    swap = days.get(date=dt.date(2026, 1, 2))
    assert swap.kind == AnnouncedDay.Kind.SWAPPED
    assert "12729/VPCP-KGVX" in swap.source
    assert days.get(date=dt.date(2026, 1, 10)).is_working


def test_the_announced_schedule_comes_before_the_holidays_package():
    package_only = WorkingCalendar(tz=ICT)
    assert package_only.is_working_day(dt.date(2026, 1, 2))
    assert not package_only.is_working_day(dt.date(2026, 1, 10))
    cal = get_calendar()
    assert not cal.is_working_day(dt.date(2026, 1, 2))
    assert cal.is_working_day(dt.date(2026, 1, 10))


def test_a_province_day_still_beats_the_announced_schedule():
    CalendarDay.objects.create(date=dt.date(2026, 1, 2), kind=CalendarDay.Kind.WORKING)
    assert get_calendar().is_working_day(dt.date(2026, 1, 2))


def test_an_incomplete_year_overrides_the_package_only_on_its_own_days():
    year = AnnouncedYear.objects.create(year=2027, complete=False)
    AnnouncedDay.objects.create(
        year=year,
        date=dt.date(2027, 2, 20),  # a Saturday
        kind=AnnouncedDay.Kind.MAKE_UP,
        name="Làm bù",
        source="Thông báo (thử)",
    )
    cal = get_calendar()
    assert cal.is_working_day(dt.date(2027, 2, 20))
    assert not cal.is_working_day(dt.date(2027, 1, 1))  # the package's New Year's Day
    assert not cal.is_working_day(dt.date(2027, 2, 21))  # Sunday

    year.complete = True
    year.save()
    assert get_calendar().is_working_day(dt.date(2027, 1, 1))  # nothing announced for it


def test_counting_does_not_query_per_day(django_assert_max_num_queries):
    get_calendar()  # fills the cache
    with django_assert_max_num_queries(1):  # at most the cache read
        cal = get_calendar()
    with django_assert_max_num_queries(0):
        cal.add_working_days(at(2025, 1, 2, 9), 300)


# --- deadlines across the announced days ---------------------------------------------------------
def test_deadlines_across_tet_2025():
    cal = get_calendar()
    # Friday 24 Jan 16:00 + 1 working day: 1 hour that day, 9 hours on Monday 3 Feb (mùng 6).
    assert cal.add_working_days(at(2025, 1, 24, 16), 1) == at(2025, 2, 3, 16)
    assert cal.add_working_days_to_date(dt.date(2025, 1, 23), 3) == dt.date(2025, 2, 4)
    assert cal.working_days_between(at(2025, 1, 24, 7), at(2025, 2, 4, 7)) == 2


def test_deadlines_across_tet_2026():
    cal = get_calendar()
    assert cal.add_working_days(at(2026, 2, 13, 16), 1) == at(2026, 2, 23, 16)
    assert cal.add_working_days_to_date(dt.date(2026, 2, 12), 5) == dt.date(2026, 2, 26)


def test_deadlines_across_new_year_2026_count_the_make_up_saturday():
    cal = get_calendar()
    # 1 hour on 31 Dec, then 1–4 Jan off, 9 hours on Monday 5 Jan.
    assert cal.add_working_days(at(2025, 12, 31, 16), 1) == at(2026, 1, 5, 16)
    # Friday 9 Jan + 1 working day ends on the make-up Saturday 10 Jan.
    assert cal.add_working_days(at(2026, 1, 9, 9), 1) == at(2026, 1, 10, 9)
    assert cal.add_working_days_to_date(dt.date(2025, 12, 30), 5) == dt.date(2026, 1, 8)
    assert cal.add_working_days_to_date(dt.date(2026, 1, 5), 5) == dt.date(2026, 1, 10)


# --- the admin -----------------------------------------------------------------------------------
def _province_admin(client, world):
    world.admin.is_staff = True
    world.admin.save()
    client.force_login(world.admin)


def test_an_announced_day_added_in_the_admin_takes_effect(client, world):
    _province_admin(client, world)
    friday = dt.date(2026, 12, 25)
    assert get_calendar().is_working_day(friday)
    response = client.post(
        reverse("admin:core_announcedday_add"),
        {
            "year": AnnouncedYear.objects.get(year=2026).pk,
            "date": "25/12/2026",
            "kind": AnnouncedDay.Kind.SWAPPED,
            "name": "Nghỉ hoán đổi",
            "source": "Công văn số …/VPCP-KGVX (thử)",
            "source_url": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not get_calendar().is_working_day(friday)


def test_an_announced_day_deleted_in_the_admin_takes_effect(client, world):
    _province_admin(client, world)
    day = AnnouncedDay.objects.get(date=dt.date(2026, 11, 24))
    assert not get_calendar().is_working_day(day.date)
    response = client.post(
        reverse("admin:core_announcedday_delete", args=[day.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert get_calendar().is_working_day(day.date)


def test_the_year_page_lists_its_days_and_their_sources(client, world):
    _province_admin(client, world)
    year = AnnouncedYear.objects.get(year=2026)
    page = client.get(reverse("admin:core_announcedyear_change", args=[year.pk])).content.decode()
    assert "9441/TB-BNV" in page
    assert "12729/VPCP-KGVX" in page


def test_a_date_outside_its_year_is_refused(client, world):
    _province_admin(client, world)
    response = client.post(
        reverse("admin:core_announcedday_add"),
        {
            "year": AnnouncedYear.objects.get(year=2026).pk,
            "date": "02/01/2027",
            "kind": AnnouncedDay.Kind.SWAPPED,
            "name": "Nghỉ hoán đổi",
            "source": "Thử",
        },
    )
    assert response.status_code == 200
    assert "date" in response.context["adminform"].form.errors
    assert not AnnouncedDay.objects.filter(date=dt.date(2027, 1, 2)).exists()


def test_a_clerk_cannot_change_the_announced_schedule(client, world):
    world.clerk.is_staff = True
    world.clerk.save()
    client.force_login(world.clerk)
    day = AnnouncedDay.objects.get(date=dt.date(2026, 1, 2))
    response = client.post(
        reverse("admin:core_announcedday_delete", args=[day.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AnnouncedDay.objects.filter(pk=day.pk).exists()


def test_the_cache_is_dropped_on_every_change(django_capture_on_commit_callbacks):
    from django.core.cache import cache

    get_calendar()
    assert cache.get(CACHE_KEY) is not None
    with django_capture_on_commit_callbacks(execute=True):
        AnnouncedYear.objects.filter(year=2026).get().save()
    assert cache.get(CACHE_KEY) is None
