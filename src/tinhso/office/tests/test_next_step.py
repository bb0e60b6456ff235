"""Issue 7 in the back office: the payment request form and the desk's record of the payment,
who is signed in, the queue's order, the apology's new date as the appointment, the ward at the
desk, and what reception says when the checklist is not ticked."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tinhso.core.models import AuditLog
from tinhso.dossiers import services
from tinhso.dossiers.constants import Status
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests.helpers import (
    checklist,
    payment_requested,
    submit_online,
    walk_to_processing,
    ward_create,
)
from tinhso.office.tests.test_actions import act, fresh, page

pytestmark = pytest.mark.django_db


def _requested(world):
    return payment_requested(world, amount=120_000, bank_details="STK 0123 - Vietcombank")


def test_the_request_form_asks_what_for_how_where_and_by_when(client, world):
    dossier = walk_to_processing(world, submit_online(world))
    client.force_login(world.specialist)
    html = page(client, dossier)
    for name in ("amount", "purpose", "pay_at", "bank_details", "pay_within_days", "pay_by"):
        assert f'name="request_payment-{name}"' in html, name
    # How and where: the receiving desk, written out for the officer to keep or change.
    pay_at = re.search(r'name="request_payment-pay_at"[^>]*>([^<]*)<', html).group(1)
    assert "Bộ phận một cửa" in pay_at and world.center.name in pay_at
    response = act(client, dossier, "request_payment", amount=120000, purpose="", pay_at="x")
    assert response.status_code == 400  # what it is for is required
    assert fresh(dossier).status == Status.PROCESSING
    response = act(
        client,
        dossier,
        "request_payment",
        amount=120000,
        purpose="Lệ phí đăng ký",
        pay_at="Tại Bộ phận một cửa",
        bank_details="",
        pay_within_days="",
        pay_by="2099-01-05",
    )
    assert response.status_code == 302
    html = page(client, fresh(dossier))
    assert "Đang chờ người nộp thực hiện nghĩa vụ tài chính" in html
    assert "120.000 đ" in html and "05/01/2099" in html


def test_the_desk_records_the_payment_from_the_dossier_page(client, world):
    dossier = _requested(world)
    client.force_login(world.clerk)
    assert dossier.code in client.get(reverse("office:queue")).content.decode()
    html = page(client, dossier)
    assert 'id="action-confirm_payment"' in html
    amount = re.search(r'name="confirm_payment-amount"[^>]*value="(\d+)"', html)
    assert amount and amount.group(1) == "120000"  # the amount requested, ready
    response = act(
        client, dossier, "confirm_payment", amount=120000, method="bank_transfer", reference="UNC7"
    )
    assert response.status_code == 302
    dossier = fresh(dossier)
    assert dossier.status == Status.PROCESSING
    html = page(client, dossier)
    assert "Chuyển khoản" in html and "UNC7" in html
    assert AuditLog.objects.filter(action="dossier.confirm_payment", actor=world.clerk).exists()


def test_officers_of_another_agency_get_no_form_and_no_payment(client, world):
    dossier = _requested(world)
    for officer in (world.other_specialist, world.ward_clerk):
        client.force_login(officer)
        response = act(
            client, dossier, "confirm_payment", amount=120000, method="cash", reference="BL"
        )
        assert response.status_code == 404  # not their dossier: not even its page
    client.force_login(world.specialist)
    response = act(client, dossier, "confirm_payment", amount=120000, method="cash", reference="B")
    assert response.status_code == 400
    assert fresh(dossier).status == Status.FINANCIAL_OBLIGATION
    client.force_login(world.citizen)
    response = act(client, dossier, "confirm_payment", amount=120000, method="cash", reference="B")
    assert response.status_code in (403, 404)
    assert fresh(dossier).status == Status.FINANCIAL_OBLIGATION


def test_the_header_says_who_is_signed_in_and_for_which_agency(client, world):
    client.force_login(world.specialist)
    html = client.get(reverse("office:queue")).content.decode()
    assert f"Đang đăng nhập: {world.specialist.display_name} · Sở Tư pháp" in html


# --- the queue's order ---------------------------------------------------------------------------
def _three_received(world):
    """Three dossiers received on three days; the one received last is due first."""
    made = []
    for day, days_left in ((2, 9), (3, 1), (4, 5)):
        with time_machine.travel(timezone.make_aware(dt.datetime(2026, 11, day, 9)), tick=False):
            dossier = submit_online(world)
            dossier = services.dossier_receive(
                dossier=dossier, actor=world.clerk, checklist=checklist(dossier)
            )
        Dossier.objects.filter(pk=dossier.pk).update(
            due_at=timezone.now() + dt.timedelta(days=days_left)
        )
        made.append(dossier.code)
    return made


def _codes(client, **query):
    html = client.get(reverse("office:queue"), query).content.decode()
    return re.findall(r">(000\.00\.01\.H30-\d{6}-\d{4})</a>", html)


def test_the_queue_sorts_by_appointment_or_reception_and_keeps_the_choice(client, world):
    first, second, third = _three_received(world)
    client.force_login(world.clerk)
    assert _codes(client) == [second, third, first]  # most urgent first by default
    assert _codes(client, sort="due") == [second, third, first]
    assert _codes(client, sort="received") == [first, second, third]
    assert _codes(client, sort="-received") == [third, second, first]
    html = client.get(reverse("office:queue"), {"sort": "received"}).content.decode()
    assert '<option value="received" selected>' in html
    assert "sort=received" in html  # the tabs keep it


def test_the_next_page_keeps_the_order(client, world, monkeypatch):
    from tinhso.office import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first, second, third = _three_received(world)
    client.force_login(world.clerk)
    html = client.get(reverse("office:queue"), {"sort": "-received"}).content.decode()
    assert _codes(client, sort="-received") == [third, second]
    next_url = re.search(r'href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    assert "sort=-received" in next_url and "page=2" in next_url
    html = client.get(reverse("office:queue") + next_url).content.decode()
    assert re.findall(r">(000\.00\.01\.H30-\d{6}-\d{4})</a>", html) == [first]


def test_a_moved_appointment_orders_the_queue_and_shows_on_the_page(client, world):
    start = timezone.make_aware(dt.datetime(2026, 11, 2, 9))
    with time_machine.travel(start, tick=False):
        dossier = walk_to_processing(world, submit_online(world))
    late = dossier.due_at + dt.timedelta(days=2)
    with time_machine.travel(late, tick=False):
        client.force_login(world.specialist)
        response = client.post(
            reverse("office:dossier_apology", args=[dossier.pk]),
            {"apology-reason": "Chờ xác minh", "apology-new_due_on": "2026-11-30"},
        )
        assert response.status_code == 302
        dossier = fresh(dossier)
        assert timezone.localtime(dossier.due_at).date() == dt.date(2026, 11, 30)
        html = page(client, dossier)
        assert "30/11/2026" in html and "mẫu 04" in html
        queue = client.get(reverse("office:queue"), {"tab": "overdue"}).content.decode()
        assert dossier.code not in queue


# --- the desk ------------------------------------------------------------------------------------
def test_the_desk_keeps_the_ward_and_what_was_typed(client, world):
    ward = ward_create()
    client.force_login(world.clerk)
    url = reverse("office:desk_new") + f"?procedure={world.procedure.pk}"
    data = {
        "channel": 1,
        "applicant_kind": "citizen",
        "applicant_name": "Trần Văn Bình",
        "applicant_phone": "0912345678",
        "applicant_address": "5 Hòa Bình",
        "applicant_ward": ward.pk,
        "delivery": "desk",
    }
    response = client.post(url, data)  # nothing ticked: not received
    assert response.status_code == 400
    html = response.content.decode()
    assert "đánh dấu" in html and "yêu cầu bổ sung" in html
    assert 'value="Trần Văn Bình"' in html and 'value="5 Hòa Bình"' in html
    assert f'<option value="{ward.pk}" selected>' in html
    assert not Dossier.objects.exists()
    for doc in world.procedure.current_version.documents:
        data[f"checked_{doc['id']}"] = "on"
    assert client.post(url, data).status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.applicant_ward == ward and dossier.status == Status.RECEIVED
    assert "5 Hòa Bình, Phường Ninh Kiều" in page(client, dossier)


def test_receiving_without_the_checklist_says_what_to_do_and_keeps_the_ticks(client, world):
    dossier = submit_online(world)
    docs = checklist(dossier)
    client.force_login(world.clerk)
    response = act(client, dossier, "receive", checklist=[docs[0]])
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hãy đánh dấu từng giấy tờ bắt buộc đã nhận" in html
    assert re.search(rf'value="{docs[0]}"[^>]*checked', html) or re.search(
        rf'checked[^>]*value="{docs[0]}"', html
    )
    assert fresh(dossier).status == Status.NEW
