"""The statistics of a one-stop desk: the dossiers it received for the agencies it serves.

The selector reads them in two parts (implemented by the agency; received by it for another
agency) so that each is an index-only scan; these tests pin that the parts add up.
"""

import pytest

from tinhso.office.selectors import statistics_dossiers
from tinhso.office.tests.test_stats import at, known  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_a_desk_counts_what_it_received_for_other_agencies(known):  # noqa: F811
    with at(2026, 1, 10, 9):
        stats = statistics_dossiers(known.clerk, year=2025)  # the centre's one-stop clerk
    by_agency = {agency.code: row for agency, row in stats.by_agency}
    assert set(by_agency) == {known.justice.code, known.building.code}
    assert (by_agency[known.justice.code].received, by_agency[known.building.code].received) == (
        4,
        1,
    )
    assert (stats.total.received, stats.total.late, stats.total.overdue) == (5, 1, 2)


def test_an_officer_of_another_agency_sees_none_of_it(known):  # noqa: F811
    with at(2026, 1, 10, 9):
        stats = statistics_dossiers(known.ward_clerk, year=2025)
    assert stats.by_agency == [] and stats.total.received == 0
