"""Issue 7 on the portal: what the applicant (and the public tracking page) reads of a payment
request, the apology's new appointment, the ward kept from the online form and the API, and
where signing in lands."""

import datetime as dt

import pytest
from django.urls import reverse

from tinhso.dossiers import services
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests.api_helpers import api_client, submission
from tinhso.dossiers.tests.helpers import payment_requested, ward_create
from tinhso.portal.tests.test_dossiers import _form_data, _submit_url
from tinhso.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward(db):
    return ward_create()


def _requested(world):
    return payment_requested(
        world,
        amount=375_000,
        purpose="Lệ phí trước bạ",
        bank_details="STK 0123 - Vietcombank",
        pay_within_days=None,
        pay_by=dt.date(2099, 1, 5),
        comment="Mang theo giấy hẹn.",
    )


def test_the_applicant_reads_what_to_pay_how_where_and_by_when(client, world):
    dossier = _requested(world)
    client.force_login(world.citizen)
    html = client.get(reverse("portal:dossier", args=[dossier.pk])).content.decode()
    assert "Phí, lệ phí cần nộp để cơ quan tiếp tục giải quyết" in html
    assert "375.000 đ" in html and "Lệ phí trước bạ" in html
    assert "Tại Bộ phận một cửa" in html and world.center.name in html
    assert "STK 0123 - Vietcombank" in html and "05/01/2099" in html
    # Once the desk records it, the request gives way to what was paid.
    services.dossier_confirm_payment(
        dossier=dossier, actor=world.clerk, amount=375_000, method="cash", reference="BL77"
    )
    html = client.get(reverse("portal:dossier", args=[dossier.pk])).content.decode()
    assert "Phí, lệ phí cần nộp" not in html
    assert "đã nộp 375.000 đ" in html and "BL77" in html


def test_the_public_tracking_page_shows_the_request_but_nothing_personal(client, world):
    dossier = _requested(world)
    html = client.get(reverse("portal:track"), {"code": dossier.code}).content.decode()
    assert "375.000 đ" in html and "Lệ phí trước bạ" in html and "05/01/2099" in html
    for personal in ("Nguyễn Văn An", "0912345678", "an@example.vn", "092090001234"):
        assert personal not in html
    assert "Mang theo giấy hẹn." not in html  # the officer's note is for the applicant
    body = api_client().get(f"/api/v1/tracking/{dossier.code}/").json()
    assert body["payment_request"]["amount"] == 375_000
    assert body["payment_request"]["pay_by"].startswith("2099-01-05")
    assert "Nguyễn Văn An" not in str(body)


def test_the_ward_chosen_online_is_kept_and_shown_with_the_address(client, world, ward):
    client.force_login(world.citizen)
    response = client.post(_submit_url(world), _form_data(world, applicant_ward=str(ward.pk)))
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.applicant_ward == ward and dossier.applicant_address == "12 đường 30/4"
    html = client.get(reverse("portal:dossier", args=[dossier.pk])).content.decode()
    assert "12 đường 30/4, Phường Ninh Kiều" in html
    # A form sent back keeps the choice.
    response = client.post(
        _submit_url(world), _form_data(world, applicant_ward=str(ward.pk), applicant_name="")
    )
    assert response.status_code == 400
    assert f'<option value="{ward.pk}" selected>' in response.content.decode()


def test_the_ward_sent_to_the_api_is_kept(world, ward, settings):
    response = api_client(world.citizen).post(
        "/api/v1/dossiers/", submission(world.procedure, applicant_ward=ward.pk), format="multipart"
    )
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert dossier.applicant_ward == ward
    body = api_client(world.citizen).get(f"/api/v1/dossiers/{dossier.code}/").json()
    assert body["applicant"]["full_address"] == "12 Hòa Bình, Ninh Kiều, Phường Ninh Kiều"


# --- where signing in lands ---------------------------------------------------------------------
def _sign_in(client, user, next_url=""):
    data = {"login": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def test_citizens_land_on_the_home_page_or_where_they_were_going(client, world):
    response = _sign_in(client, world.citizen)
    assert response["Location"] == reverse("portal:after_sign_in")
    assert client.get(response["Location"])["Location"] == reverse("portal:home")
    client.logout()
    mine = reverse("portal:my_dossiers")
    assert _sign_in(client, world.citizen, mine)["Location"] == mine


def test_officers_land_on_their_work_queue_unless_next_says(client, world):
    client.force_login(world.specialist)  # the second factor given
    response = client.get(reverse("portal:after_sign_in"))
    assert response["Location"] == reverse("office:queue")
    assert client.get(reverse("accounts:login"), {"next": "/tra-cuu/"})["Location"] == "/tra-cuu/"
    client.logout()
    assert client.get(reverse("portal:after_sign_in"))["Location"] == reverse("portal:home")
