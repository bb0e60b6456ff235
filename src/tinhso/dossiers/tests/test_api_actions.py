"""Every action endpoint once, the conflict on a stale version, and refused parameters."""

import pytest
from django.core.cache import cache

from tinhso.dossiers import services
from tinhso.dossiers.constants import Decision, Delivery, FileKind, Status
from tinhso.dossiers.models import Dossier, DossierFile, Rating
from tinhso.dossiers.tests.api_helpers import api_client, submission
from tinhso.dossiers.tests.helpers import checklist, submit_online, walk_to_processing
from tinhso.testing.files import fake_pdf_upload, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()  # throttling counts live in the cache: start and leave it empty
    yield
    cache.clear()


def act(user, dossier, action, *, language="vi", format="json", version=None, **params):
    if version is None:
        version = Dossier.objects.get(pk=dossier.pk).version
    return api_client(user, language).post(
        f"/api/v1/dossiers/{dossier.code}/actions/{action}/",
        {"expected_version": version, **params},
        format=format,
    )


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def test_the_whole_journey_through_the_api(world, settings):
    created = api_client(world.citizen).post(
        "/api/v1/dossiers/", submission(world.procedure), format="multipart"
    )
    dossier = Dossier.objects.get(code=created.json()["code"])
    body = ok(act(world.clerk, dossier, "receive", checklist=checklist(dossier)))
    assert (body["status"], body["version"]) == (Status.RECEIVED, 2)
    assert body["due_at"] and body["current_step"]["index"] == 0
    body = ok(act(world.clerk, dossier, "forward", assignee=world.specialist.pk, comment="Chuyển"))
    assert body["current_step"]["name"] == "Thẩm định hồ sơ"
    assert body["assignee"]["id"] == world.specialist.pk
    assert body["current_agency"]["code"] == world.justice.code
    body = ok(act(world.head, dossier, "reassign", assignee=world.specialist.pk, comment="Giao"))
    assert body["history"][-1]["action"] == "reassign"
    ok(act(world.specialist, dossier, "forward"))
    ok(act(world.head, dossier, "forward"))
    body = ok(act(world.leader, dossier, "approve", comment="Đồng ý"))
    assert body["decision"] == Decision.APPROVED and body["current_step"]["index"] == 4
    body = ok(
        act(
            world.doc_clerk,
            dossier,
            "finish",
            format="multipart",
            files=[pdf_upload("ket-qua.pdf")],
            comment="Đã ký",
        )
    )
    assert body["status"] == Status.FINISHED and body["finished_at"]
    result = next(f for f in body["files"] if f["kind"] == FileKind.RESULT)
    assert result["original_name"] == "ket-qua.pdf"
    body = ok(act(world.clerk, dossier, "return_result", delivery=Delivery.ONLINE))
    assert body["status"] == Status.RETURNED and body["returned_at"]
    actions = api_client(world.citizen).get(f"/api/v1/dossiers/{dossier.code}/actions/").json()
    assert [a["action"] for a in actions["actions"]] == ["rate"]
    body = ok(act(world.citizen, dossier, "rate", score=5, comment="Nhanh"))
    assert body["rating"]["score"] == 5
    assert Rating.objects.get(dossier=dossier).comment == "Nhanh"
    assert [e["action"] for e in body["history"]] == [
        "submit",
        "receive",
        "forward",
        "reassign",
        "forward",
        "forward",
        "approve",
        "finish",
        "return_result",
    ]


def test_refuse(world):
    dossier = submit_online(world)
    body = ok(act(world.clerk, dossier, "refuse", reason="Không thuộc thẩm quyền"))
    assert body["status"] == Status.REFUSED
    assert body["history"][-1]["comment"] == "Không thuộc thẩm quyền"


def test_request_supplement_then_the_applicant_supplements_with_files(world):
    dossier = submit_online(world)
    body = ok(
        act(
            world.clerk,
            dossier,
            "request_supplement",
            reason="Thiếu bản sao",
            document_names=["Giấy chứng sinh"],
        )
    )
    assert body["status"] == Status.SUPPLEMENT_REQUESTED and body["supplement_count"] == 1
    body = ok(
        act(
            world.citizen,
            dossier,
            "supplement",
            format="multipart",
            files=[pdf_upload("bo-sung.pdf")],
            comment="Đã bổ sung",
        )
    )
    assert body["status"] == Status.NEW
    assert [f["original_name"] for f in body["files"] if f["kind"] == FileKind.SUPPLEMENT] == [
        "bo-sung.pdf"
    ]


def test_withdraw_by_the_applicant(world):
    dossier = submit_online(world)
    body = ok(act(world.citizen, dossier, "withdraw", reason="Nộp nhầm"))
    assert body["status"] == Status.WITHDRAWN and body["closed_at"]


def test_send_back_to_an_earlier_step(world):
    dossier = walk_to_processing(world, submit_online(world))
    dossier = services.dossier_forward(dossier=dossier, actor=world.specialist)
    body = ok(act(world.head, dossier, "send_back", to_step=1, comment="Thẩm định lại"))
    assert body["current_step"]["index"] == 1 and body["assignee"]["id"] == world.specialist.pk


def test_reject(world):
    dossier = walk_to_processing(world, submit_online(world))
    dossier = services.dossier_forward(dossier=dossier, actor=world.specialist)
    dossier = services.dossier_forward(dossier=dossier, actor=world.head)
    body = ok(act(world.leader, dossier, "reject", reason="Không đủ điều kiện"))
    assert (body["status"], body["decision"]) == (Status.FINISHED, Decision.REJECTED)


def test_request_and_confirm_payment(world):
    dossier = walk_to_processing(world, submit_online(world))
    body = ok(
        act(
            world.specialist,
            dossier,
            "request_payment",
            amount=250000,
            purpose="Lệ phí trước bạ",
            pay_by="2099-01-05",
        )
    )
    assert body["status"] == Status.FINANCIAL_OBLIGATION and body["fee_amount"] == 250000
    request = body["payment_request"]
    assert (request["amount"], request["purpose"]) == (250000, "Lệ phí trước bạ")
    assert request["pay_by"].startswith("2099-01-05") and "Bộ phận" in request["pay_at"]
    # The desk records the payment, not the specialist who asked for it.
    denied = act(
        world.specialist,
        dossier,
        "confirm_payment",
        amount=250000,
        method="cash",
        reference="BL-0001",
    )
    assert denied.status_code == 403
    body = ok(
        act(
            world.clerk,
            dossier,
            "confirm_payment",
            amount=250000,
            method="cash",
            reference="BL-0001",
        )
    )
    assert body["status"] == Status.PROCESSING and body["fee_paid_at"]
    assert body["payment_request"] is None


def test_stop(world):
    dossier = walk_to_processing(world, submit_online(world))
    body = ok(act(world.leader, dossier, "stop", reason="Quyết định của tòa án"))
    assert body["status"] == Status.STOPPED


# --- refusals ------------------------------------------------------------------------------------
def test_a_stale_expected_version_is_a_conflict(world):
    dossier = submit_online(world)
    ok(act(world.clerk, dossier, "receive", checklist=checklist(dossier)))
    response = act(world.clerk, dossier, "refuse", version=1, reason="x", language="en")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert "changed this dossier" in error["message"]
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == (Status.RECEIVED, 2)
    # Applicant actions are guarded the same way.
    response = act(world.citizen, dossier, "withdraw", version=1)
    assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"


def test_an_action_not_allowed_now_is_a_409(world):
    dossier = submit_online(world)
    response = act(world.clerk, dossier, "return_result", delivery="desk", language="en")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_missing_and_wrong_parameters(world):
    dossier = submit_online(world)

    def bad(action, fields, **params):
        response = act(world.clerk, dossier, action, language="en", **params)
        assert response.status_code == 400, response.content
        assert set(response.json()["error"]["fields"]) == set(fields)

    bad("refuse", {"reason"})
    bad("refuse", {"reason"}, reason="   ")
    bad("receive", {"checklist"}, checklist="all")
    bad("receive", {"expected_version"}, version="two")
    bad("forward", {"assignee"}, assignee="me")
    bad("forward", {"assignee"}, assignee=world.citizen.pk)  # not an officer
    bad("request_payment", {"amount"}, amount=-5)
    bad("request_payment", {"amount"}, amount=3_000_000_000)  # beyond the column
    bad("forward", {"assignee"}, assignee=10**20)
    bad("send_back", {"to_step"}, to_step="first", comment="x")
    bad("return_result", {"delivery"}, delivery="pigeon")
    response = api_client(world.clerk).post(
        f"/api/v1/dossiers/{dossier.code}/actions/refuse/", {"reason": "x"}, format="json"
    )
    assert set(response.json()["error"]["fields"]) == {"expected_version"}
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == (Status.NEW, 1)


def test_unknown_action_is_404(world):
    dossier = submit_online(world)
    response = act(world.clerk, dossier, "explode")
    assert response.status_code == 404


def test_a_bad_file_for_finish_writes_nothing(world, settings):
    dossier = walk_to_processing(world, submit_online(world))
    for actor in [world.specialist, world.head, world.leader]:
        dossier = services.dossier_act(
            dossier=dossier, action="approve" if actor == world.leader else "forward", actor=actor
        )
    files_before = DossierFile.objects.count()
    response = act(
        world.doc_clerk,
        dossier,
        "finish",
        format="multipart",
        files=[fake_pdf_upload()],
        language="en",
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["files.0"]
    assert "not a PDF, JPEG or PNG" in response.json()["error"]["message"]
    response = act(world.doc_clerk, dossier, "finish", language="en")
    assert set(response.json()["error"]["fields"]) == {"files"}
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert DossierFile.objects.count() == files_before
    stored = {f.file.name for f in DossierFile.objects.all()}
    on_disk = {
        str(p.relative_to(settings.MEDIA_ROOT))
        for p in settings.MEDIA_ROOT.rglob("*")
        if p.is_file()
    }
    assert on_disk == stored


def test_rating_rules(world):
    dossier = submit_online(world)
    response = act(world.citizen, dossier, "rate", score=9, language="en")
    assert response.status_code == 400 and "score" in response.json()["error"]["fields"]
    response = act(world.citizen, dossier, "rate", score=4)
    assert response.status_code == 409  # not returned yet
    response = act(world.other_citizen, dossier, "rate", score=4)
    assert response.status_code == 404
    assert not Rating.objects.exists()
