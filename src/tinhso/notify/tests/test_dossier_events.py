"""Dossier actions reach the applicant through ``notify`` (dossiers.receivers → tasks)."""

import datetime as dt

import pytest
import time_machine

from tinhso.dossiers import services, tasks
from tinhso.dossiers.tests.helpers import checklist, submit_online
from tinhso.notify.constants import DeliveryStatus
from tinhso.notify.models import Delivery, DemoMessage
from tinhso.testing.files import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Run one service call and its after-commit listeners, as a request would."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


def events(dossier) -> list[tuple[str, str]]:
    rows = Delivery.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk))
    return list(rows.order_by("pk").values_list("event", "channel"))


def test_the_applicant_hears_of_each_step_that_concerns_them(world, act, mailoutbox):
    dossier = act(submit_online, world=world)
    assert events(dossier) == []  # submitting: the receipt is on screen, nothing is sent
    dossier = act(
        services.dossier_receive, dossier=dossier, actor=world.clerk, checklist=checklist(dossier)
    )
    assert events(dossier) == [("dossier.received", "sms"), ("dossier.received", "email")]
    sms = DemoMessage.objects.get(delivery__event="dossier.received")
    assert sms.body.startswith(f"Hồ sơ {dossier.code} đã được tiếp nhận, hẹn trả ")
    assert f"/?code={dossier.code}" in sms.body or f"code={dossier.code}" in sms.body
    assert mailoutbox[-1].to == ["an@example.vn"]
    assert "Kính gửi Nguyễn Văn An" in mailoutbox[-1].body

    dossier = act(services.dossier_forward, dossier=dossier, actor=world.clerk)
    dossier = act(
        services.dossier_request_supplement,
        dossier=dossier,
        actor=world.specialist,
        reason="Thiếu bản sao CCCD",
    )
    assert events(dossier)[-1] == ("dossier.supplement_requested", "email")
    assert "Nội dung cần bổ sung: Thiếu bản sao CCCD" in mailoutbox[-1].body
    dossier = act(
        services.dossier_supplement, dossier=dossier, actor=world.citizen, files=[pdf_upload()]
    )
    dossier = act(
        services.dossier_request_payment,
        dossier=dossier,
        actor=world.specialist,
        amount=50000,
        purpose="Lệ phí trước bạ",
        bank_details="STK 0123 Vietcombank",
        pay_by=dt.date(2099, 1, 5),
    )
    assert events(dossier)[-1] == ("dossier.payment_requested", "email")
    body = mailoutbox[-1].body
    assert "50.000 đồng" in body and "Khoản phải nộp: Lệ phí trước bạ" in body
    assert "Cách thức, địa điểm nộp: Tại Bộ phận" in body
    assert "Chuyển khoản: STK 0123 Vietcombank" in body and "Hạn nộp: 05/01/2099" in body
    dossier = act(
        services.dossier_confirm_payment,
        dossier=dossier,
        actor=world.clerk,
        amount=50000,
        method="cash",
        reference="BL1",
    )
    dossier = act(services.dossier_forward, dossier=dossier, actor=world.specialist)
    dossier = act(services.dossier_forward, dossier=dossier, actor=world.head)
    dossier = act(services.dossier_approve, dossier=dossier, actor=world.leader)
    before = len(events(dossier))
    dossier = act(
        services.dossier_finish, dossier=dossier, actor=world.doc_clerk, files=[pdf_upload()]
    )
    assert events(dossier)[before:] == [
        ("dossier.result_ready", "sms"),
        ("dossier.result_ready", "email"),
    ]
    assert mailoutbox[-1].subject == f"Hồ sơ {dossier.code} đã có kết quả"
    assert set(Delivery.objects.values_list("status", flat=True)) <= {
        DeliveryStatus.SENT,
        DeliveryStatus.DELIVERED,
    }


def test_a_rejection_is_a_result(world, act):
    dossier = submit_online(world)
    dossier = services.dossier_receive(
        dossier=dossier, actor=world.clerk, checklist=checklist(dossier)
    )
    for actor in (world.clerk, world.specialist, world.head):
        dossier = services.dossier_forward(dossier=dossier, actor=actor)
    act(services.dossier_reject, dossier=dossier, actor=world.leader, reason="Không đủ điều kiện")
    assert events(dossier) == [("dossier.result_ready", "sms"), ("dossier.result_ready", "email")]
    assert "Không đủ điều kiện" in Delivery.objects.filter(channel="email").get().body


def test_the_apology_reaches_the_applicant(world, act):
    received = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC) - dt.timedelta(hours=7)
    with time_machine.travel(received, tick=False):
        dossier = submit_online(world)
        dossier = services.dossier_receive(
            dossier=dossier, actor=world.clerk, checklist=checklist(dossier)
        )
        dossier = services.dossier_forward(dossier=dossier, actor=world.clerk)
    with time_machine.travel(received + dt.timedelta(days=8), tick=False):
        letter = services.apology_draft(dossier=dossier)
        act(
            services.apology_issue,
            letter=letter,
            actor=world.specialist,
            reason="Chờ ý kiến cơ quan phối hợp",
            new_due_at=received + dt.timedelta(days=12),
        )
    email = Delivery.objects.get(event="dossier.apology", channel="email")
    assert "Lý do: Chờ ý kiến cơ quan phối hợp" in email.body
    assert "Ngày hẹn trả kết quả mới: 14/11/2026 09:00" in email.body


def test_due_soon_reminds_the_assignee_once_a_day(world, settings):
    settings.DUE_SOON_WORKING_DAYS = 10
    dossier = submit_online(world)
    dossier = services.dossier_receive(
        dossier=dossier, actor=world.clerk, checklist=checklist(dossier)
    )
    dossier = services.dossier_forward(
        dossier=dossier, actor=world.clerk, assignee=world.specialist
    )
    assert tasks.due_soon_remind.call() == 1
    assert tasks.due_soon_remind.call() == 0  # once per dossier per day
    delivery = Delivery.objects.get(event="dossier.due_soon")
    assert delivery.recipient == world.specialist
    assert f"/office/dossiers/{dossier.pk}/" in delivery.body
