import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from tinhso.dossiers import services
from tinhso.dossiers.constants import Timeliness
from tinhso.dossiers.tests.helpers import checklist, submit_online
from tinhso.office.selectors import statistics_dossiers
from tinhso.testing.files import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_stale_statistics():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=VN), tick=False)


def receive(world, procedure=None):
    dossier = submit_online(world, procedure=procedure)
    return services.dossier_receive(
        dossier=dossier, actor=world.clerk, checklist=checklist(dossier)
    )


def finish(world, dossier):
    dossier = services.dossier_forward(dossier=dossier, actor=world.clerk)
    dossier = services.dossier_forward(dossier=dossier, actor=world.specialist)
    dossier = services.dossier_forward(dossier=dossier, actor=world.head)
    dossier = services.dossier_approve(dossier=dossier, actor=world.leader)
    return services.dossier_finish(dossier=dossier, actor=world.doc_clerk, files=[pdf_upload()])


@pytest.fixture
def known(world):
    """2025: March one early and one late, May two still open (one per department), June one
    on time; plus one dossier received in 2024 and one never received."""
    with at(2024, 12, 2, 9):
        receive(world)
    with at(2025, 3, 3, 9):
        early = receive(world)
        early = finish(world, early)
        late = receive(world)
    with at(2025, 3, 20, 9):
        late = finish(world, late)
    with at(2025, 5, 5, 9):
        receive(world)
        receive(world, procedure=world.building_procedure)
        submit_online(world)  # never received: not counted
    with at(2025, 6, 2, 9):
        on_time = receive(world)
    with time_machine.travel(on_time.due_at - dt.timedelta(hours=1), tick=False):
        on_time = finish(world, on_time)
    assert [early.timeliness, late.timeliness, on_time.timeliness] == [
        Timeliness.EARLY,
        Timeliness.LATE,
        Timeliness.ON_TIME,
    ]
    return world


def test_the_numbers_for_the_province(known):
    with at(2026, 1, 10, 9):
        stats = statistics_dossiers(known.admin, year=2025)
    by_agency = {agency.code: row for agency, row in stats.by_agency}
    justice = by_agency[known.justice.code]
    assert (justice.received, justice.early, justice.on_time, justice.late) == (4, 1, 1, 1)
    assert (justice.in_progress, justice.overdue) == (1, 1)
    building = by_agency[known.building.code]
    assert (building.received, building.in_progress, building.overdue) == (1, 1, 1)
    months = {month.month: row for month, row in stats.by_month}
    assert [months[m].received for m in range(1, 13)] == [0, 0, 2, 0, 2, 1, 0, 0, 0, 0, 0, 0]
    assert (months[3].early, months[3].late, months[6].on_time) == (1, 1, 1)
    assert stats.total.received == 5
    assert stats.total.on_time_rate == pytest.approx(200 / 3)


def test_an_agency_sees_only_its_own(known):
    with at(2026, 1, 10, 9):
        stats = statistics_dossiers(known.head, year=2025)  # head of the justice department
    assert [agency.code for agency, _row in stats.by_agency] == [known.justice.code]
    assert stats.total.received == 4


def table(sheet):
    """The rows under the table's header (the first row with a second column)."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if len(row) > 1 and row[1] is not None)
    return rows[start + 1 :]


def test_the_page_and_the_excel_export(client, known):
    client.force_login(known.admin)
    response = client.get(reverse("office:stats"), {"year": 2025})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and 'role="img"' in body and "<desc" in body
    assert known.building.name in body
    assert "66.7%" in body or "66,7%" in body

    response = client.get(reverse("office:stats_export"), {"year": 2025})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    by_agency, by_month = book.worksheets
    rows = table(by_agency)
    assert rows[-1][1:5] == (5, 1, 1, 1)
    justice = next(row for row in rows if row[0] == known.justice.name)
    assert justice[1:8] == (4, 1, 1, 1, 1, 1, 66.7)
    assert table(by_month)[2][1] == 2  # March
    # Above each table: the title, the agencies, the period.
    title = [row[0] for row in by_agency.iter_rows(max_row=4, values_only=True)]
    assert "2025" in title[0] and "01/01/2025" in title[2] and "31/12/2025" in title[2]


def test_the_default_year_is_this_year(client, world):
    receive(world)
    client.force_login(world.admin)
    response = client.get(reverse("office:stats"))
    assert response.context["data"].year == dt.date.today().year
    assert response.context["data"].total.received == 1


def test_a_specialist_may_not_see_statistics(client, world):
    client.force_login(world.specialist)
    assert client.get(reverse("office:stats_export")).status_code == 403


def test_one_query_for_the_numbers(known, django_assert_max_num_queries):
    known.admin.has_perm("dossiers.view_all_agencies")  # the permission cache, loaded at login
    with django_assert_max_num_queries(2):  # the grouped counts, then the agencies' names
        statistics_dossiers(known.admin, year=2025)


def test_the_page_keeps_the_figures_a_few_minutes(client, world, monkeypatch):
    client.force_login(world.admin)
    receive(world)
    assert client.get(reverse("office:stats")).context["data"].total.received == 1
    receive(world)
    assert client.get(reverse("office:stats")).context["data"].total.received == 1
    monkeypatch.setenv("STATS_CACHE_SECONDS", "0")
    assert client.get(reverse("office:stats")).context["data"].total.received == 2


def test_narrowed_to_one_agency_and_never_beyond_the_scope(client, known):
    client.force_login(known.admin)
    response = client.get(reverse("office:stats"), {"year": 2025, "agency": known.building.pk})
    data = response.context["data"]
    assert [agency.code for agency, _row in data.by_agency] == [known.building.code]
    assert data.total.received == 1
    response = client.get(
        reverse("office:stats_export"), {"year": 2025, "agency": known.building.pk}
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [row[0] for row in table(sheet)[:-1]] == [known.building.name]
    assert known.building.name in sheet["A2"].value
    # The justice department's head cannot pick the building department: the filter is ignored.
    client.force_login(known.head)
    response = client.get(reverse("office:stats"), {"year": 2025, "agency": known.building.pk})
    assert response.context["filters"].errors
    assert response.context["data"].total.received == 4
