import pytest
from django.urls import reverse

from tinhso.dossiers.constants import Channel, FileKind, Status
from tinhso.dossiers.models import Dossier
from tinhso.testing.files import fake_pdf_upload, pdf_upload

pytestmark = pytest.mark.django_db


def form_data(procedure, *, channel, checked=True, files=True, **extra):
    data = {
        "channel": channel,
        "applicant_kind": "citizen",
        "applicant_name": "Lê Thị Cúc",
        "applicant_id_number": "092190005678",
        "applicant_phone": "0987654321",
        "applicant_email": "",
        "applicant_address": "12 Hòa Bình, Ninh Kiều",
        "organisation_name": "",
        "summary": "Đăng ký khai sinh cho con",
        "delivery": "desk",
    }
    for doc in procedure.current_version.documents:
        if files:
            data[f"file_{doc['id']}"] = pdf_upload(f"scan-{doc['id']}.pdf")
        if checked:
            data[f"checked_{doc['id']}"] = "on"
    data.update(extra)
    return data


def url(procedure):
    return reverse("office:desk_new") + f"?procedure={procedure.pk}"


def test_the_clerk_chooses_among_the_procedures_of_the_desk(client, world):
    client.force_login(world.clerk)
    response = client.get(reverse("office:desk_new"))
    assert response.status_code == 200
    choices = list(response.context["chooser"].fields["procedure"].queryset)
    assert set(choices) == {world.procedure, world.building_procedure}
    client.force_login(world.ward_clerk)  # the ward desk serves neither
    response = client.get(reverse("office:desk_new"))
    assert not response.context["chooser"].fields["procedure"].queryset.exists()
    # Asking for another desk's procedure just shows the chooser again.
    response = client.get(url(world.procedure))
    assert "form" not in response.context


def test_registered_in_person_is_received_at_once(client, world):
    client.force_login(world.clerk)
    assert client.get(url(world.procedure)).status_code == 200
    response = client.post(url(world.procedure), form_data(world.procedure, channel=1))
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert response.url == reverse("office:dossier", args=[dossier.pk])
    assert (dossier.status, dossier.channel) == (Status.RECEIVED, Channel.IN_PERSON)
    assert dossier.applicant is None and dossier.applicant_name == "Lê Thị Cúc"
    assert dossier.receiving_agency == world.center
    assert dossier.files.filter(kind=FileKind.SUBMISSION).count() == 2
    assert dossier.assignee == world.clerk


def test_registered_by_post_waits_as_new(client, world):
    client.force_login(world.clerk)
    data = form_data(world.building_procedure, channel=3, checked=False)
    response = client.post(url(world.building_procedure), data)
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.status, dossier.channel) == (Status.NEW, Channel.POSTAL)
    assert dossier.agency == world.building


def test_in_person_without_the_checklist_is_a_clear_error(client, world):
    client.force_login(world.clerk)
    data = form_data(world.procedure, channel=1, checked=False)
    response = client.post(url(world.procedure), data)
    assert response.status_code == 400
    assert "Giấy chứng sinh" in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_fake_scan_and_a_bad_phone_are_refused(client, world):
    client.force_login(world.clerk)
    data = form_data(world.procedure, channel=3, applicant_phone="12345")
    response = client.post(url(world.procedure), data)
    assert response.status_code == 400 and response.context["form"].errors["applicant_phone"]
    data = form_data(world.procedure, channel=3, files=False)
    doc_id = world.procedure.current_version.documents[0]["id"]
    data[f"file_{doc_id}"] = fake_pdf_upload()
    response = client.post(url(world.procedure), data)
    assert response.status_code == 400
    assert not Dossier.objects.exists()


def test_a_procedure_not_received_by_post_is_refused_clearly(client, world):
    world.procedure.accepts_postal = False
    world.procedure.save(update_fields=["accepts_postal"])
    client.force_login(world.clerk)
    response = client.post(url(world.procedure), form_data(world.procedure, channel=3))
    assert response.status_code == 400
    assert response.context["form"].errors["channel"]
    assert not Dossier.objects.exists()
