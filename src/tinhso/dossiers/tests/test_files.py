"""Protected downloads: files and slips go only to those who may see the dossier; others get 404."""

import pytest
from django.urls import reverse

from tinhso.dossiers import services
from tinhso.dossiers.constants import Channel, FileKind
from tinhso.dossiers.tests.helpers import submit_online, walk_to_processing
from tinhso.dossiers.tests.test_slips import pdf_text
from tinhso.testing.files import MINIMAL_PDF, png_upload

pytestmark = pytest.mark.django_db


def file_url(dossier, record):
    return reverse("dossiers:file", args=[dossier.pk, record.pk])


def slip_url(dossier, form):
    return reverse("dossiers:slip", args=[dossier.pk, form])


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def processing(world):
    """A dossier received at the centre and now at the Department of Justice."""
    return walk_to_processing(world, submit_online(world))


def test_urls_have_the_names_other_templates_use(world):
    assert reverse("dossiers:file", args=[1, 2]) == "/ho-so/1/tep/2/"
    assert reverse("dossiers:slip", args=[1, "01"]) == "/ho-so/1/phieu/01/"


@pytest.mark.parametrize("who", ["applicant", "specialist", "clerk", "admin"])
def test_file_streams_to_those_who_may_see_the_dossier(client, world, processing, who):
    user = world.citizen if who == "applicant" else getattr(world, who)
    record = processing.files.filter(kind=FileKind.SUBMISSION).first()
    client.force_login(user)
    response = client.get(file_url(processing, record))
    assert response.status_code == 200
    assert body(response) == MINIMAL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "to-khai.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["anonymous", "other_citizen", "other_specialist", "ward_clerk"])
def test_file_is_404_for_everyone_else(client, world, processing, who):
    record = processing.files.first()
    if who != "anonymous":
        client.force_login(getattr(world, who))
    response = client.get(file_url(processing, record))
    assert response.status_code == 404
    assert MINIMAL_PDF not in response.content


def test_file_of_another_dossier_cannot_be_reached_through_yours(client, world, processing):
    theirs = submit_online(world, actor=world.other_citizen)
    mine = submit_online(world)
    client.force_login(world.citizen)
    assert client.get(file_url(mine, theirs.files.first())).status_code == 404
    assert client.get(file_url(theirs, theirs.files.first())).status_code == 404
    assert client.get(f"/ho-so/{mine.pk}/tep/999999/").status_code == 404
    assert client.get(f"/ho-so/999999/tep/{mine.files.first().pk}/").status_code == 404


def test_files_have_no_public_url(client, world, processing):
    record = processing.files.first()
    assert client.get("/_protected/" + record.file.name).status_code == 404
    assert "Nguyễn" not in record.file.name and "to-khai" not in record.file.name


def test_officers_internal_attachments_are_not_for_the_applicant(client, world, processing):
    dossier = services.dossier_forward(
        dossier=processing, actor=world.specialist, files=[png_upload("du-thao.png")]
    )
    record = dossier.files.get(kind=FileKind.ATTACHMENT)
    client.force_login(world.citizen)
    assert client.get(file_url(dossier, record)).status_code == 404
    client.force_login(world.head)
    response = client.get(file_url(dossier, record))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_receipt_is_shown_inline_to_the_applicant(client, world, processing):
    client.force_login(world.citizen)
    response = client.get(slip_url(processing, "01"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert processing.code in text and "Nguyễn Văn An" in text


@pytest.mark.parametrize("who", ["anonymous", "other_citizen", "other_specialist"])
def test_slip_is_404_for_everyone_else(client, world, processing, who):
    if who != "anonymous":
        client.force_login(getattr(world, who))
    for form in ("01", "05"):
        assert client.get(slip_url(processing, form)).status_code == 404


def test_control_sheet_only_for_officers(client, world, processing):
    client.force_login(world.citizen)
    assert client.get(slip_url(processing, "05")).status_code == 404
    client.force_login(world.specialist)
    response = client.get(slip_url(processing, "05"))
    assert response.status_code == 200
    assert "PHIẾU KIỂM SOÁT" in pdf_text(response.content).upper()


def test_slip_that_does_not_apply_is_404(client, world):
    dossier = submit_online(world)
    client.force_login(world.citizen)
    for form in ("01", "02", "03", "04", "99", "xx"):
        assert client.get(slip_url(dossier, form)).status_code == 404
    dossier = services.dossier_refuse(dossier=dossier, actor=world.clerk, reason="Sai thẩm quyền.")
    response = client.get(slip_url(dossier, "03"))
    assert response.status_code == 200
    assert "Sai thẩm quyền." in pdf_text(response.content)


def test_downloads_refuse_other_methods(client, world, processing):
    client.force_login(world.citizen)
    assert client.post(slip_url(processing, "01")).status_code == 405


def test_vietnamese_file_names_survive_the_download(client, world):
    from tinhso.testing.files import pdf_upload

    procedure = world.procedure
    docs = [
        (pdf_upload('Tờ khai "đăng ký".pdf'), {"document_id": d["id"]})
        for d in procedure.current_version.documents
    ]
    dossier = services.dossier_submit(
        procedure=procedure,
        channel=Channel.ONLINE,
        actor=world.citizen,
        applicant_name="Nguyễn Văn An",
        documents=docs,
    )
    client.force_login(world.citizen)
    response = client.get(file_url(dossier, dossier.files.first()))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "filename*=utf-8''T%E1%BB%9D%20khai" in disposition
    assert "\n" not in disposition


def test_a_file_missing_from_storage_is_404_not_500(client, world, processing):
    record = processing.files.first()
    record.file.storage.delete(record.file.name)
    client.force_login(world.citizen)
    assert client.get(file_url(processing, record)).status_code == 404
