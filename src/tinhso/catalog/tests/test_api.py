import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tinhso.catalog.models import Procedure
from tinhso.catalog.services import procedure_version_publish
from tinhso.testing.factories import procedure_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return APIClient()


def test_fields_and_agencies_are_public_with_procedure_counts(client, world):
    fields = client.get("/api/v1/fields/").json()
    assert fields["count"] == 1
    assert fields["results"][0] == {
        "id": world.procedure.field_id,
        "code": "HT",
        "name": "Hộ tịch",
        "procedure_count": 2,
    }
    agencies = client.get("/api/v1/agencies/").json()["results"]
    justice = next(a for a in agencies if a["code"] == world.justice.code)
    assert justice["procedure_count"] == 1
    assert justice["desk_id"] == world.center.pk


def test_procedure_list_filters_by_words_without_accents_field_agency_and_online(client, world):
    procedure_create(
        agency=world.ward,
        code="1.000003.000.00.00.H30",
        name="Chứng thực bản sao",
        online_level=Procedure.OnlineLevel.NONE,
    )

    def codes(**params):
        response = client.get("/api/v1/procedures/", params)
        assert response.status_code == 200, response.content
        return [p["code"] for p in response.json()["results"]]

    assert len(codes()) == 3
    assert codes(q="dang ky khai sinh") == [world.procedure.code]
    assert codes(q="GIẤY PHÉP") == [world.building_procedure.code]
    assert codes(agency=world.building.pk) == [world.building_procedure.code]
    assert world.procedure.code in codes(online="true")
    assert "1.000003.000.00.00.H30" not in codes(online="true")
    assert "1.000003.000.00.00.H30" in codes(online="false")
    assert len(codes(field=world.procedure.field_id)) == 3
    assert codes(field=999999) == []


def test_procedure_list_rejects_bad_filters_with_a_structured_error(client, world):
    response = client.get("/api/v1/procedures/", {"field": "abc"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "field" in error["fields"]


def test_procedure_detail_has_documents_fees_steps_and_version(client, world):
    procedure = procedure_create(
        agency=world.justice,
        code="1.000004.000.00.00.H30",
        name="Đăng ký kết hôn",
        fees=(("Lệ phí đăng ký", 30000),),
    )
    response = client.get(reverse("api:procedure-detail", args=[procedure.code]))
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == procedure.code
    assert body["processing_days"] == "5.0"
    assert body["online_level"] == "full"
    assert body["legal_basis"] == "Luật Hộ tịch 2014"
    assert body["version"] == 1
    assert [d["name"] for d in body["documents"]] == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]
    assert body["documents"][0]["id"] == procedure.current_version.documents[0]["id"]
    assert body["documents"][0]["required"] is True
    assert body["fees"] == [
        {"name": "Lệ phí đăng ký", "amount": 30000, "note": "", "channel": None}
    ]
    assert body["at_communes"] is False and body["agency"]["code"] == procedure.agency.code
    assert [s["name"] for s in body["steps"]][:2] == ["Tiếp nhận hồ sơ", "Thẩm định hồ sơ"]
    assert body["steps"][1]["budget_days"] == "2.00"
    # A new published version is what the API shows next.
    procedure.fees.create(name="Phí bản sao", amount=8000)
    procedure_version_publish(procedure=procedure)
    body = client.get(reverse("api:procedure-detail", args=[procedure.code])).json()
    assert body["version"] == 2 and len(body["fees"]) == 2


def test_unpublished_and_unknown_procedures_are_404(client, world):
    Procedure.objects.filter(pk=world.building_procedure.pk).update(is_active=False)
    for code in [world.building_procedure.code, "no-such-code"]:
        response = client.get(f"/api/v1/procedures/{code}/")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert world.building_procedure.code not in [
        p["code"] for p in client.get("/api/v1/procedures/").json()["results"]
    ]


def test_catalogue_is_read_only(client, world):
    assert client.post("/api/v1/procedures/", {}).status_code == 405
    assert client.delete(f"/api/v1/procedures/{world.procedure.code}/").status_code == 405


def test_a_commune_procedure_has_no_agency_and_says_so(client, world):
    from tinhso.catalog.services import procedure_version_publish

    procedure = world.procedure
    Procedure.objects.filter(pk=procedure.pk).update(agency=None, at_communes=True)
    procedure_version_publish(procedure=procedure)
    body = client.get(f"/api/v1/procedures/{procedure.code}/").json()
    assert body["agency"] is None and body["at_communes"] is True
    assert body["documents"][0]["case"] == "" and body["documents"][0]["forms"] == ""
