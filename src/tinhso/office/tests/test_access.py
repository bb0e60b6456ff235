import pytest
from django.urls import reverse

from tinhso.dossiers.constants import Status
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests.helpers import submit_online
from tinhso.office.views import _login_url
from tinhso.testing.files import pdf_upload

pytestmark = pytest.mark.django_db

URLS = [
    ("office:queue", ()),
    ("office:desk_new", ()),
    ("office:stats", ()),
    ("office:stats_export", ()),
]


@pytest.mark.parametrize(("name", "args"), URLS)
def test_anonymous_is_sent_to_the_login_page(client, world, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(_login_url() + "?next=")


def test_anonymous_dossier_page_goes_to_login(client, world):
    dossier = submit_online(world)
    response = client.get(reverse("office:dossier", args=[dossier.pk]))
    assert response.status_code == 302 and response.url.startswith(_login_url())


@pytest.mark.parametrize(("name", "args"), URLS)
def test_a_citizen_is_forbidden(client, world, name, args):
    client.force_login(world.citizen)
    assert client.get(reverse(name, args=args)).status_code == 403


def test_a_citizen_cannot_open_even_their_own_dossier_in_the_office(client, world):
    dossier = submit_online(world)
    client.force_login(world.citizen)
    assert client.get(reverse("office:dossier", args=[dossier.pk])).status_code == 403


def test_an_officer_of_another_agency_gets_404_on_page_and_action(client, world):
    dossier = submit_online(world)  # justice procedure, received by the centre
    client.force_login(world.other_specialist)  # building department
    assert client.get(reverse("office:dossier", args=[dossier.pk])).status_code == 404
    response = client.post(
        reverse("office:dossier_action", args=[dossier.pk, "refuse"]),
        {"refuse-expected_version": dossier.version, "refuse-reason": "Không đúng"},
    )
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.NEW


def test_the_ward_clerk_cannot_see_a_centre_dossier(client, world):
    dossier = submit_online(world)
    client.force_login(world.ward_clerk)
    assert client.get(reverse("office:dossier", args=[dossier.pk])).status_code == 404


def test_the_specialist_may_not_register_or_see_statistics(client, world):
    client.force_login(world.specialist)
    assert client.get(reverse("office:desk_new")).status_code == 403
    assert client.get(reverse("office:stats")).status_code == 403
    assert client.get(reverse("office:queue")).status_code == 200


def test_the_clerk_opens_the_dossier_page_with_applicant_details(client, world):
    dossier = submit_online(world)
    client.force_login(world.clerk)
    response = client.get(reverse("office:dossier", args=[dossier.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert dossier.code in body
    assert "092090001234" in body  # officers see the identity number
    assert "Tiếp nhận hồ sơ" in body  # the internal process
    assert Dossier.objects.count() == 1


def test_a_refused_action_by_an_unknown_name_is_404(client, world):
    dossier = submit_online(world)
    client.force_login(world.clerk)
    response = client.post(reverse("office:dossier_action", args=[dossier.pk, "explode"]), {})
    assert response.status_code == 404


def test_the_dossier_page_links_the_files_and_the_slips_that_apply(client, world):
    from tinhso.dossiers import services
    from tinhso.dossiers.tests.helpers import checklist

    dossier = submit_online(world)
    client.force_login(world.clerk)
    body = client.get(reverse("office:dossier", args=[dossier.pk])).content.decode()
    first_file = dossier.files.first()
    assert reverse("dossiers:file", args=[dossier.pk, first_file.pk]) in body
    assert reverse("dossiers:slip", args=[dossier.pk, "01"]) not in body  # not received yet
    services.dossier_receive(dossier=dossier, actor=world.clerk, checklist=checklist(dossier))
    body = client.get(reverse("office:dossier", args=[dossier.pk])).content.decode()
    assert reverse("dossiers:slip", args=[dossier.pk, "01"]) in body
    assert reverse("dossiers:slip", args=[dossier.pk, "05"]) in body
    assert reverse("dossiers:slip", args=[dossier.pk, "03"]) not in body


def test_the_dossier_page_needs_no_query_per_history_entry(
    client, world, django_assert_max_num_queries
):
    from tinhso.dossiers import services
    from tinhso.dossiers.tests.helpers import walk_to_processing

    dossier = walk_to_processing(world, submit_online(world))
    client.force_login(world.specialist)
    url = reverse("office:dossier", args=[dossier.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(3):  # three more history entries, with files
        dossier = services.dossier_request_supplement(
            dossier=dossier, actor=world.specialist, reason="Thiếu giấy"
        )
        dossier = services.dossier_supplement(
            dossier=dossier, actor=world.citizen, files=[pdf_upload()]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Thiếu giấy") == 3
