"""A procedure every commune carries out (``Procedure.at_communes``) is one procedure: the
applicant chooses the commune, on the portal, through the API or at that commune's desk."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from tinhso.catalog.models import Procedure
from tinhso.catalog.selectors import (
    implementing_agencies,
    procedure_list,
    procedure_list_for_officer,
)
from tinhso.catalog.services import procedure_version_publish
from tinhso.dossiers import services
from tinhso.dossiers.constants import Channel, Status
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests.api_helpers import api_client, submission
from tinhso.org import roles
from tinhso.org.models import Agency, Ward
from tinhso.testing.factories import officer_create, procedure_create
from tinhso.testing.files import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def communes(world, settings):
    """Two wards of the province with committees, one without, and one of another province."""
    settings.PROVINCE_CODE = 92
    made = {}
    for code, name in [(31117, "Phường Ninh Kiều"), (31120, "Phường Cái Khế")]:
        made[code] = Ward.objects.create(
            code=code, name=name, division_type="phường", province_code=92
        )
    world.ward.ward = made[31117]
    world.ward.save()
    cai_khe = Agency.objects.create(
        code="000.30.02.H30", name="UBND phường Cái Khế", kind="ward", ward=made[31120]
    )
    bare = Ward.objects.create(code=31200, name="Xã Mới", division_type="xã", province_code=92)
    elsewhere = Ward.objects.create(
        code=100, name="Phường Ba Đình", division_type="phường", province_code=1
    )
    Agency.objects.create(
        code="000.30.09.H01", name="UBND phường Ba Đình", kind="ward", ward=elsewhere
    )
    procedure = procedure_create(
        agency=world.ward, code="2.000884.000.00.00.H30", name="Chứng thực chữ ký"
    )
    Procedure.objects.filter(pk=procedure.pk).update(agency=None, at_communes=True)
    procedure_version_publish(procedure=procedure)
    procedure.refresh_from_db()
    return {
        "procedure": procedure,
        "ninh_kieu": world.ward,
        "cai_khe": cai_khe,
        "bare": bare,
        "elsewhere": elsewhere,
    }


def submit(procedure, **choice):
    return services.dossier_submit(
        procedure=procedure,
        channel=Channel.POSTAL,
        actor=None,
        applicant_name="Nguyễn Văn An",
        **choice,
    )


def test_the_catalogue_lists_a_commune_procedure_once(communes):
    found = list(procedure_list(q="chung thuc chu ky"))
    assert found == [communes["procedure"]]
    assert set(implementing_agencies(communes["procedure"])) == {
        communes["ninh_kieu"],
        communes["cai_khe"],
    }


def test_submitted_in_a_chosen_ward_the_dossier_belongs_to_its_committee(communes):
    dossier = submit(communes["procedure"], ward=31120)
    assert dossier.agency == communes["cai_khe"] == dossier.receiving_agency
    assert dossier.code.startswith(communes["cai_khe"].code + "-")
    other = submit(communes["procedure"], agency=communes["ninh_kieu"])
    assert other.agency == communes["ninh_kieu"]
    assert other.code.startswith("000.30.01.H30-") and other.code.endswith("-0001")
    by_code = submit(communes["procedure"], agency="000.30.02.H30")
    assert by_code.code.endswith("-0002")  # the Cái Khế desk's second dossier today


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ({"ward": 100}, "not in the province"),
        ({"ward": 31200}, "no People's Committee"),
        ({"ward": 999999}, "not in the province"),
        ({}, "Choose the ward"),
        ({"agency": "000.30.09.H01"}, "does not carry out"),
        ({"agency": "000.00.02.H30"}, "does not carry out"),
    ],
)
def test_a_ward_outside_the_province_or_without_a_committee_is_refused(
    communes, choice, message, settings
):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ValidationError) as caught:
        submit(communes["procedure"], **choice)
    assert message in str(caught.value.message_dict["agency"])
    assert not Dossier.objects.exists()


def test_a_department_procedure_refuses_a_ward_committee(world, communes):
    with pytest.raises(ValidationError):
        submit(world.procedure, agency=communes["ninh_kieu"])
    assert submit(world.procedure).agency == world.justice


def test_the_api_takes_the_ward_and_refuses_one_outside_the_province(world, communes):
    client = api_client(world.citizen, language="en")
    data = submission(communes["procedure"], ward=31120)
    response = client.post("/api/v1/dossiers/", data, format="multipart")
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get()
    assert dossier.agency == communes["cai_khe"]
    assert response.json()["receiving_agency"] == "UBND phường Cái Khế"
    for ward, status in [(100, 400), (31200, 400)]:
        response = client.post(
            "/api/v1/dossiers/", submission(communes["procedure"], ward=ward), format="multipart"
        )
        assert response.status_code == status
        assert "ward" in response.json()["fields"] if "fields" in response.json() else True
    missing = client.post(
        "/api/v1/dossiers/", submission(communes["procedure"]), format="multipart"
    )
    assert missing.status_code == 400 and "Choose the ward" in missing.content.decode()
    assert Dossier.objects.count() == 1


def test_the_portal_asks_for_the_commune_and_suggests_the_last_one(client, world, communes):
    procedure = communes["procedure"]
    client.force_login(world.citizen)
    page = client.get(f"/thu-tuc/{procedure.pk}/nop-truc-tuyen/")
    assert page.status_code == 200 and "agency" in page.context["form"].fields
    assert page.context["form"].initial.get("agency") is None
    docs = procedure.current_version.documents
    data = {
        "applicant_kind": "citizen",
        "applicant_name": "Nguyễn Văn An",
        "applicant_phone": "0912345678",
        "delivery": "desk",
        "applicant_ward": 31120,
        **{f"document_{doc['id']}": pdf_upload(f"d{doc['id']}.pdf") for doc in docs},
    }
    refused = client.post(f"/thu-tuc/{procedure.pk}/nop-truc-tuyen/", data)
    assert refused.status_code == 400 and "agency" in refused.context["form"].errors
    data = {**data, "agency": communes["cai_khe"].pk}
    data.update({f"document_{doc['id']}": pdf_upload(f"d{doc['id']}.pdf") for doc in docs})
    done = client.post(f"/thu-tuc/{procedure.pk}/nop-truc-tuyen/", data)
    assert done.status_code == 302
    assert Dossier.objects.get().agency == communes["cai_khe"]
    again = client.get(f"/thu-tuc/{procedure.pk}/nop-truc-tuyen/")
    assert again.context["form"].initial["agency"] == communes["cai_khe"].pk
    detail = client.get(f"/thu-tuc/{procedure.pk}/")
    assert detail.status_code == 200
    assert "Ủy ban nhân dân cấp xã" in detail.content.decode()


def test_at_a_commune_desk_the_dossier_is_that_commune_s(client, world, communes):
    procedure = communes["procedure"]
    clerk = officer_create(
        username="caikhe_clerk", agency=communes["cai_khe"], role=roles.ONE_STOP_CLERK
    )
    client.force_login(clerk)
    url = f"/office/desk/new/?procedure={procedure.pk}"
    page = client.get(url)
    assert page.status_code == 200, page.content[:300]
    response = client.post(
        url,
        {
            "channel": Channel.IN_PERSON,
            "applicant_kind": "citizen",
            "applicant_name": "Trần Văn Bình",
            "delivery": "desk",
            **{f"checked_{doc['id']}": "on" for doc in procedure.current_version.documents},
        },
    )
    assert response.status_code == 302, response.content[:500]
    dossier = Dossier.objects.get()
    assert dossier.agency == communes["cai_khe"] and dossier.status == Status.RECEIVED
    assert dossier.code.startswith("000.30.02.H30-")


def test_a_very_long_national_document_name_is_kept_short_on_the_file(world):
    long_name = "Văn bản đề nghị " + "rất dài " * 200
    procedure = procedure_create(
        agency=world.justice, code="1.000009.000.00.00.H30", documents=(long_name,)
    )
    doc = procedure.current_version.documents[0]
    dossier = services.dossier_submit(
        procedure=procedure,
        channel=Channel.ONLINE,
        actor=world.citizen,
        applicant_name="Nguyễn Văn An",
        applicant_phone="0912345678",
        documents=[(pdf_upload("x.pdf"), {"document_id": doc["id"]})],
    )
    stored = dossier.files.get()
    assert len(stored.document_name) == 500 and stored.document_name.endswith("…")
    assert long_name.startswith(stored.document_name[:-1])


def test_a_commune_desk_deals_with_the_commune_procedures_and_the_center_does_not(world, communes):
    procedure = communes["procedure"]
    clerk = officer_create(
        username="caikhe_desk", agency=communes["cai_khe"], role=roles.ONE_STOP_CLERK
    )
    assert procedure in procedure_list_for_officer(clerk, desk_only=True)
    assert procedure not in procedure_list_for_officer(world.clerk, desk_only=True)
    assert world.procedure not in procedure_list_for_officer(clerk, desk_only=True)


@pytest.mark.parametrize("typed", ["000.30.02.h30 ", " 000.30.02.H30", "000.30.02.h30\u00a0"])
def test_the_api_reads_an_agency_code_typed_by_hand(world, communes, typed):
    client = api_client(world.citizen, language="en")
    data = submission(communes["procedure"], agency=typed)
    response = client.post("/api/v1/dossiers/", data, format="multipart")
    assert response.status_code == 201, response.content
    assert Dossier.objects.get().agency == communes["cai_khe"]


def test_the_api_reads_a_procedure_code_typed_by_hand(world):
    client = api_client(world.citizen, language="en")
    data = submission(world.procedure)
    data["procedure"] = " " + world.procedure.code.lower() + " "
    response = client.post("/api/v1/dossiers/", data, format="multipart")
    assert response.status_code == 201, response.content


def test_the_api_refuses_an_agency_and_a_ward_that_disagree(world, communes):
    client = api_client(world.citizen, language="vi")
    data = submission(communes["procedure"], agency="000.30.01.H30", ward=31120)
    response = client.post("/api/v1/dossiers/", data, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert "agency" in str(body.get("fields", body))
    assert "không phải là Ủy ban nhân dân" in response.content.decode()
    assert not Dossier.objects.exists()
    agreeing = submission(communes["procedure"], agency="000.30.02.h30", ward=31120)
    response = client.post("/api/v1/dossiers/", agreeing, format="multipart")
    assert response.status_code == 201, response.content
    assert Dossier.objects.get().agency == communes["cai_khe"]
