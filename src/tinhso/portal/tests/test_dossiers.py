import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tinhso.dossiers import services
from tinhso.dossiers.constants import Delivery, Status
from tinhso.dossiers.models import Dossier, DossierFile, Rating
from tinhso.dossiers.tests.helpers import checklist, submit_online, walk_to_processing
from tinhso.testing.files import fake_pdf_upload, pdf_upload, png_upload


# --- online submission ---------------------------------------------------------------------------
def _submit_url(world):
    return reverse("portal:submit", args=[world.procedure.pk])


def _form_data(world, **overrides):
    docs = world.procedure.current_version.documents
    data = {
        "applicant_kind": "citizen",
        "applicant_name": "Nguyễn Văn An",
        "organisation_name": "",
        "applicant_id_number": "092090001234",
        "applicant_phone": "0912345678",
        "applicant_email": "an@example.vn",
        "applicant_address": "12 đường 30/4",
        "applicant_ward": "",
        "summary": "Đăng ký khai sinh cho con trai",
        "delivery": "online",
        f"document_{docs[0]['id']}": pdf_upload("to-khai.pdf"),
        f"document_{docs[1]['id']}": png_upload("giay-chung-sinh.png"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_submission_needs_an_account(client, world):
    response = client.get(_submit_url(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post(_submit_url(world), _form_data(world))
    assert response.status_code == 302
    assert not Dossier.objects.exists()


def test_submission_form_is_prefilled_from_the_account(client, world):
    client.force_login(world.citizen)
    form = client.get(_submit_url(world)).context["form"]
    assert form.initial["applicant_name"] == "Nguyễn Văn An"
    assert form.initial["applicant_phone"] == "0912345678"
    assert [bf.label for bf in form.document_fields()] == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]


def test_submission_success(client, world):
    client.force_login(world.citizen)
    response = client.post(_submit_url(world), _form_data(world), follow=True)
    dossier = Dossier.objects.get()
    assert response.redirect_chain[-1][0] == reverse("portal:dossier", args=[dossier.pk])
    html = response.content.decode()
    assert dossier.code in html
    assert "Hồ sơ của bạn đã được nộp" in html
    assert dossier.applicant == world.citizen
    assert dossier.channel == 2
    assert dossier.status == Status.NEW
    assert dossier.delivery == Delivery.ONLINE
    assert dossier.summary == "Đăng ký khai sinh cho con trai"
    names = sorted(dossier.files.values_list("document_name", flat=True))
    assert names == ["Giấy chứng sinh", "Tờ khai đăng ký khai sinh"]


def test_submission_refuses_a_file_that_is_not_what_it_claims(client, world):
    client.force_login(world.citizen)
    doc_id = world.procedure.current_version.documents[1]["id"]
    data = _form_data(world, **{f"document_{doc_id}": fake_pdf_upload("giay.pdf")})
    response = client.post(_submit_url(world), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [f"document_{doc_id}"]
    html = response.content.decode()
    assert "không phải là tệp PDF, JPEG hoặc PNG" in html
    assert f'id="id_document_{doc_id}_error"' in html
    assert "chọn lại" in html  # files must be chosen again
    assert 'value="Đăng ký khai sinh cho con trai"' not in html  # a textarea, not an input
    assert "Đăng ký khai sinh cho con trai" in html  # everything typed is kept
    assert 'value="12 đường 30/4"' in html
    assert not Dossier.objects.exists()
    assert not DossierFile.objects.exists()


def test_submission_refuses_a_missing_required_document(client, world):
    client.force_login(world.citizen)
    doc_id = world.procedure.current_version.documents[0]["id"]
    response = client.post(_submit_url(world), _form_data(world, **{f"document_{doc_id}": None}))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [f"document_{doc_id}"]
    assert "Vui lòng đính kèm giấy tờ này" in response.content.decode()
    assert not Dossier.objects.exists()
    assert not DossierFile.objects.exists()


def test_submission_shows_a_service_refusal_on_the_form(client, world, monkeypatch):
    """A refusal the form could not foresee (here: bad content slipping past) changes nothing."""
    from tinhso.portal import forms

    monkeypatch.setattr(forms, "_check_upload", lambda upload: upload)
    client.force_login(world.citizen)
    doc_id = world.procedure.current_version.documents[0]["id"]
    data = _form_data(world, **{f"document_{doc_id}": fake_pdf_upload("to-khai.pdf")})
    response = client.post(_submit_url(world), data)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert "to-khai.pdf" in response.content.decode()
    assert not Dossier.objects.exists()
    assert not DossierFile.objects.exists()


def test_submission_needs_a_way_to_reach_the_applicant(client, world):
    client.force_login(world.citizen)
    response = client.post(
        _submit_url(world), _form_data(world, applicant_phone="", applicant_email="")
    )
    assert response.status_code == 400
    assert "applicant_phone" in response.context["form"].errors
    assert not Dossier.objects.exists()


def test_procedure_not_online_cannot_be_submitted(client, world):
    world.procedure.online_level = "none"
    world.procedure.save()
    client.force_login(world.citizen)
    response = client.post(_submit_url(world), _form_data(world))
    assert response.status_code == 302
    assert not Dossier.objects.exists()


# --- my dossiers ---------------------------------------------------------------------------------
def test_my_dossiers_lists_only_mine(client, world):
    mine = submit_online(world)
    theirs = submit_online(world, actor=world.other_citizen)
    client.force_login(world.citizen)
    response = client.get(reverse("portal:my_dossiers"))
    html = response.content.decode()
    assert mine.code in html
    assert theirs.code not in html
    assert "Mới đăng ký" in html


def test_my_dossiers_flags_overdue(client, world):
    dossier = walk_to_processing(world, submit_online(world))
    Dossier.objects.filter(pk=dossier.pk).update(due_at="2020-01-01T00:00:00Z")
    client.force_login(world.citizen)
    assert "Quá hạn" in client.get(reverse("portal:my_dossiers")).content.decode()


def test_someone_elses_dossier_is_404(client, world):
    dossier = submit_online(world)
    client.force_login(world.other_citizen)
    for name in ("portal:dossier", "portal:withdraw"):
        assert client.get(reverse(name, args=[dossier.pk])).status_code == 404
    response = client.post(
        reverse("portal:withdraw", args=[dossier.pk]),
        {"expected_version": dossier.version, "confirm": "on"},
    )
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.NEW


def test_dossier_page_shows_status_timeline_and_files(client, world):
    dossier = walk_to_processing(world, submit_online(world))
    client.force_login(world.citizen)
    html = client.get(reverse("portal:dossier", args=[dossier.pk])).content.decode()
    assert dossier.code in html
    assert "Đang xử lý" in html
    assert "Đã tiếp nhận tại bộ phận một cửa" in html
    assert "Trung tâm Phục vụ hành chính công" in html
    assert world.clerk.full_name not in html  # no officer's personal data
    for f in dossier.files.all():
        assert f.original_name in html
        assert reverse("dossiers:file", args=[dossier.pk, f.pk]) in html
    assert reverse("dossiers:slip", args=[dossier.pk, "01"]) in html
    assert reverse("dossiers:slip", args=[dossier.pk, "02"]) not in html


# --- supplement ----------------------------------------------------------------------------------
@pytest.fixture
def asked(world):
    dossier = walk_to_processing(world, submit_online(world))
    return services.dossier_request_supplement(
        dossier=dossier,
        actor=world.specialist,
        reason="Thiếu bản sao giấy chứng sinh có chứng thực.",
    )


def test_supplement_shows_what_was_asked_and_hands_it_in(client, world, asked):
    client.force_login(world.citizen)
    html = client.get(reverse("portal:dossier", args=[asked.pk])).content.decode()
    assert "Thiếu bản sao giấy chứng sinh có chứng thực." in html
    assert re.search(r'<input type="file" name="files"[^>]*multiple', html)
    response = client.post(
        reverse("portal:supplement", args=[asked.pk]),
        {"expected_version": asked.version, "files": [pdf_upload("bo-sung.pdf")], "comment": ""},
        follow=True,
    )
    assert "đã được nộp" in response.content.decode()
    asked.refresh_from_db()
    assert asked.status == Status.PROCESSING
    assert asked.files.filter(kind="supplement", original_name="bo-sung.pdf").exists()


def test_supplement_refuses_a_bad_file_and_changes_nothing(client, world, asked):
    client.force_login(world.citizen)
    response = client.post(
        reverse("portal:supplement", args=[asked.pk]),
        {"expected_version": asked.version, "files": [fake_pdf_upload()], "comment": "Đây ạ"},
    )
    assert response.status_code == 400
    assert "files" in response.context["supplement_form"].errors
    assert "Đây ạ" in response.content.decode()
    asked.refresh_from_db()
    assert asked.status == Status.SUPPLEMENT_REQUESTED
    assert not asked.files.filter(kind="supplement").exists()


def test_stale_supplement_form_gets_a_conflict_message(client, world, asked):
    client.force_login(world.citizen)
    stale = asked.version
    services.dossier_supplement(dossier=asked, actor=world.citizen, files=[pdf_upload()])
    response = client.post(
        reverse("portal:supplement", args=[asked.pk]),
        {"expected_version": stale, "files": [pdf_upload("lan-hai.pdf")]},
        follow=True,
    )
    assert "đã thay đổi từ khi bạn mở trang" in response.content.decode()
    assert asked.files.filter(kind="supplement").count() == 1


# --- withdraw ------------------------------------------------------------------------------------
def test_withdraw_asks_for_confirmation_then_withdraws(client, world):
    dossier = submit_online(world)
    client.force_login(world.citizen)
    page = client.get(reverse("portal:withdraw", args=[dossier.pk]))
    assert page.status_code == 200
    url = reverse("portal:withdraw", args=[dossier.pk])
    response = client.post(url, {"expected_version": dossier.version, "reason": "Nhầm thủ tục"})
    assert response.status_code == 400  # the box was not ticked
    dossier.refresh_from_db()
    assert dossier.status == Status.NEW
    response = client.post(
        url,
        {"expected_version": dossier.version, "reason": "Nhầm thủ tục", "confirm": "on"},
        follow=True,
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN
    assert dossier.events.get(action="withdraw").comment == "Nhầm thủ tục"
    assert "đã được rút" in response.content.decode()


def test_withdraw_twice_from_a_stale_page_is_a_conflict(client, world):
    dossier = submit_online(world)
    client.force_login(world.citizen)
    url = reverse("portal:withdraw", args=[dossier.pk])
    data = {"expected_version": dossier.version, "confirm": "on"}
    client.post(url, data)
    response = client.post(url, data, follow=True)
    assert "đã thay đổi từ khi bạn mở trang" in response.content.decode()
    assert dossier.events.filter(action="withdraw").count() == 1


def test_withdraw_after_the_desk_acted_is_a_conflict(client, world):
    dossier = submit_online(world)
    client.force_login(world.citizen)
    stale = dossier.version
    services.dossier_receive(dossier=dossier, actor=world.clerk, checklist=checklist(dossier))
    response = client.post(
        reverse("portal:withdraw", args=[dossier.pk]),
        {"expected_version": stale, "confirm": "on"},
        follow=True,
    )
    assert "đã thay đổi từ khi bạn mở trang" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


# --- result and rating ---------------------------------------------------------------------------
@pytest.fixture
def returned(world):
    dossier = walk_to_processing(world, submit_online(world))
    for actor in (world.specialist, world.head):
        dossier = services.dossier_forward(dossier=dossier, actor=actor)
    dossier = services.dossier_approve(dossier=dossier, actor=world.leader)
    dossier = services.dossier_finish(
        dossier=dossier, actor=world.doc_clerk, files=[pdf_upload("giay-khai-sinh.pdf")]
    )
    return services.dossier_return_result(
        dossier=dossier, actor=world.clerk, delivery=Delivery.ONLINE
    )


def test_result_is_offered_and_the_service_can_be_rated(client, world, returned):
    client.force_login(world.citizen)
    html = client.get(reverse("portal:dossier", args=[returned.pk])).content.decode()
    assert "giay-khai-sinh.pdf" in html
    assert "Đánh giá dịch vụ" in html
    response = client.post(
        reverse("portal:rate", args=[returned.pk]), {"score": 5, "comment": "Nhanh"}, follow=True
    )
    assert "Cảm ơn bạn đã đánh giá" in response.content.decode()
    rating = Rating.objects.get(dossier=returned)
    assert (rating.score, rating.comment) == (5, "Nhanh")
    # A second rating is refused with a message, not a crash.
    response = client.post(reverse("portal:rate", args=[returned.pk]), {"score": 1}, follow=True)
    assert response.status_code == 200
    assert Rating.objects.get(dossier=returned).score == 5


def test_rating_needs_a_score(client, world, returned):
    client.force_login(world.citizen)
    response = client.post(reverse("portal:rate", args=[returned.pk]), {"score": 9})
    assert response.status_code == 400
    assert not Rating.objects.exists()


def test_rating_before_the_result_is_refused(client, world):
    dossier = submit_online(world)
    client.force_login(world.citizen)
    client.post(reverse("portal:rate", args=[dossier.pk]), {"score": 4})
    assert not Rating.objects.exists()


def test_my_dossiers_flags_due_soon(client, world):
    dossier = walk_to_processing(world, submit_online(world))
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() + dt.timedelta(minutes=30))
    client.force_login(world.citizen)
    html = client.get(reverse("portal:my_dossiers")).content.decode()
    assert "Sắp đến hạn" in html
    assert "Quá hạn" not in html


def test_header_links_officers_to_the_back_office(client, world):
    client.force_login(world.citizen)
    assert reverse("office:queue") not in client.get(reverse("portal:home")).content.decode()
    client.force_login(world.clerk)
    assert reverse("office:queue") in client.get(reverse("portal:home")).content.decode()


def test_personal_pages_are_not_cached(client, world):
    dossier = submit_online(world)
    client.force_login(world.citizen)
    for url in (reverse("portal:my_dossiers"), reverse("portal:dossier", args=[dossier.pk])):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_a_procedure_for_organisations_only_offers_that_kind(client, world):
    world.procedure.applicants = "organisation"
    world.procedure.save()
    client.force_login(world.citizen)
    form = client.get(_submit_url(world)).context["form"]
    assert [value for value, _label in form.fields["applicant_kind"].choices] == ["organisation"]
    response = client.post(_submit_url(world), _form_data(world))  # as a citizen
    assert "applicant_kind" in response.context["form"].errors
    assert not Dossier.objects.exists()
    response = client.post(
        _submit_url(world),
        _form_data(world, applicant_kind="organisation", organisation_name="Công ty TNHH An Bình"),
    )
    assert response.status_code == 302
    assert Dossier.objects.get().organisation_name == "Công ty TNHH An Bình"


def test_one_account_cannot_flood_the_portal_with_submissions(client, world, settings):
    """40 submissions in 4 seconds once went through the web form."""
    settings.PORTAL_WRITE_RATE_LIMIT = "3/m"
    client.force_login(world.citizen)
    url = reverse("portal:submit", args=[world.procedure.pk])
    answers = [client.post(url, {}).status_code for _ in range(5)]
    assert answers[:3] == [400, 400, 400]  # invalid forms, but counted
    assert answers[3:] == [429, 429]
    client.force_login(world.other_citizen)  # per account: someone else is not blocked
    assert client.post(url, {}).status_code == 400
