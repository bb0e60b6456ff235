"""What an attacker found against the platform's first version, each kept as a test."""

import pytest
from django.core.exceptions import ValidationError

from tinhso.dossiers import services
from tinhso.dossiers.models import DossierEvent
from tinhso.dossiers.tests.api_helpers import api_client
from tinhso.dossiers.tests.helpers import checklist, submit_online, walk_to_processing
from tinhso.testing.files import pdf_upload

pytestmark = pytest.mark.django_db


def test_supplement_document_names_are_the_procedures_each_once(world):
    """200,000 repeated names once made form 02 take minutes and gigabytes to render."""
    dossier = submit_online(world)
    name = dossier.procedure_version.documents[0]["name"]
    services.dossier_request_supplement(
        dossier=dossier, actor=world.clerk, reason="Thiếu", document_names=[name] * 5000
    )
    event = DossierEvent.objects.get(dossier=dossier, action="request_supplement")
    assert event.data["document_names"] == [name]


def test_the_api_refuses_absurdly_long_lists(world):
    dossier = submit_online(world)
    response = api_client(world.clerk).post(
        f"/api/v1/dossiers/{dossier.code}/actions/request_supplement/",
        {"expected_version": dossier.version, "reason": "x", "document_names": ["a"] * 101},
        format="json",
    )
    assert response.status_code == 400 and "document_names" in response.json()["error"]["fields"]


def test_a_checklist_keeps_only_the_procedures_documents_once(world):
    dossier = submit_online(world)
    ids = checklist(dossier)
    dossier = services.dossier_receive(
        dossier=dossier, actor=world.clerk, checklist=ids * 300 + [999_999]
    )
    assert DossierEvent.objects.get(dossier=dossier, action="receive").data["checklist"] == ids


def test_an_amount_beyond_what_a_dossier_holds_is_refused_not_a_server_error(world, client):
    dossier = walk_to_processing(world, submit_online(world))
    dossier = services.dossier_forward(dossier=dossier, actor=world.specialist)
    with pytest.raises(ValidationError):
        services.dossier_request_payment(
            dossier=dossier, actor=world.head, amount=10**12, purpose="x", pay_within_days=5
        )
    client.force_login(world.head)
    response = client.post(
        f"/office/dossiers/{dossier.pk}/act/request_payment/",
        {"request_payment-expected_version": dossier.version, "request_payment-amount": 10**12},
    )
    assert response.status_code == 400


def test_the_applicant_does_not_see_officers_internal_attachments_in_the_api(world):
    dossier = submit_online(world)
    dossier = services.dossier_receive(
        dossier=dossier, actor=world.clerk, checklist=checklist(dossier)
    )
    services.dossier_forward(
        dossier=dossier, actor=world.clerk, files=[pdf_upload("to-trinh-noi-bo.pdf")]
    )
    citizen = api_client(world.citizen).get(f"/api/v1/dossiers/{dossier.code}/").json()
    officer = api_client(world.clerk).get(f"/api/v1/dossiers/{dossier.code}/").json()
    assert "to-trinh-noi-bo.pdf" not in [f["original_name"] for f in citizen["files"]]
    assert "to-trinh-noi-bo.pdf" in [f["original_name"] for f in officer["files"]]


def test_the_download_url_of_the_api_works_with_the_apis_own_token(world):
    from rest_framework.test import APIClient

    from tinhso.accounts.tokens import token_issue

    dossier = submit_online(world)
    _token, key = token_issue(user=world.citizen, actor=world.citizen, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    detail = client.get(f"/api/v1/dossiers/{dossier.code}/").json()
    url = detail["files"][0]["download_url"]
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="' in response["Content-Disposition"]
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert stranger.get(url).status_code == 404
    _other, other_key = token_issue(user=world.other_citizen, actor=world.other_citizen, name="t")
    stranger.credentials(HTTP_AUTHORIZATION=f"Token {other_key}")
    assert stranger.get(url).status_code == 404
