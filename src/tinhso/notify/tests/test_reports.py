"""Delivery reports: a good callback is recorded, a forged or unknown one changes nothing."""

import hashlib
import hmac
import json

import pytest
from django.urls import reverse

from tinhso.notify.channels import callback_token
from tinhso.notify.constants import DeliveryStatus
from tinhso.notify.models import Delivery
from tinhso.notify.services import delivery_attempt, notification_send
from tinhso.notify.tests.conftest import payload

pytestmark = pytest.mark.django_db

ESMS_ID = "9a1c2e6f-5b1d-4c8e-8f1e-2b7d3c4a5e60"


def sent_by(settings, gateway, backend) -> Delivery:
    settings.NOTIFY_SMS_BACKEND = backend
    settings.NOTIFY_ESMS_API_KEY = settings.NOTIFY_ESMS_SECRET_KEY = "k"
    settings.NOTIFY_SPEEDSMS_TOKEN = "t"
    gateway.answer(f"{backend}_send_ok.json")
    queued = notification_send(event="dossier.received", phone="0912345678", context={})[0]
    delivery = delivery_attempt(delivery_id=queued.pk)
    assert delivery is not None and delivery.status == DeliveryStatus.SENT
    return delivery


def esms_url(token=None):
    return reverse("notify:esms_report", kwargs={"token": token or callback_token("esms")})


def speedsms_url(token=None):
    return reverse("notify:speedsms_report", kwargs={"token": token or callback_token("speedsms")})


def test_esms_report_marks_delivered(client, settings, gateway):
    delivery = sent_by(settings, gateway, "esms")
    response = client.get(esms_url(), payload("esms_report_delivered.json"))
    assert response.status_code == 200 and response.json() == {"ok": True, "code": "recorded"}
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.delivered_at
    assert delivery.provider_status == "5"


def test_esms_report_of_rejection_marks_failed_without_retry(client, settings, gateway):
    delivery = sent_by(settings, gateway, "esms")
    response = client.get(esms_url(), {"SMSID": ESMS_ID, "SendStatus": "4"})
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None


def test_esms_report_still_on_the_way_keeps_sent(client, settings, gateway):
    delivery = sent_by(settings, gateway, "esms")
    assert client.get(esms_url(), {"SMSID": ESMS_ID, "SendStatus": "7"}).status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.provider_status == "7"


def test_forged_esms_report_is_refused(client, settings, gateway):
    delivery = sent_by(settings, gateway, "esms")
    response = client.get(esms_url("0" * 40), payload("esms_report_delivered.json"))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    # The other gateway's token does not open this door either.
    assert client.get(esms_url(callback_token("speedsms")), {"SMSID": ESMS_ID}).status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_unknown_message_is_not_found(client, settings, gateway):
    delivery = sent_by(settings, gateway, "esms")
    response = client.get(esms_url(), {"SMSID": "no-such-id", "SendStatus": "5"})
    assert response.status_code == 404 and response.json()["code"] == "unknown_message"
    assert client.get(esms_url(), {"SendStatus": "5"}).status_code == 404
    # A SpeedSMS id is unknown to eSMS.
    assert client.get(esms_url(), {"SMSID": "812345678", "SendStatus": "5"}).status_code == 404
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_speedsms_report_marks_delivered(client, settings, gateway):
    delivery = sent_by(settings, gateway, "speedsms")
    response = client.post(
        speedsms_url(),
        json.dumps(payload("speedsms_report_delivered.json")),
        content_type="application/json",
    )
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_forged_or_broken_speedsms_reports_change_nothing(client, settings, gateway):
    delivery = sent_by(settings, gateway, "speedsms")
    body = json.dumps(payload("speedsms_report_delivered.json"))
    assert client.post(speedsms_url("x"), body, content_type="application/json").status_code == 403
    for broken in ("{not json", "[1, 2]", '{"type": "incoming"}', "\xff"):
        response = client.post(speedsms_url(), broken, content_type="application/json")
        assert response.status_code in {400, 404}
        assert response["Content-Type"] == "application/json"
    assert client.get(speedsms_url()).status_code == 405
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_reports_are_rate_limited(client, settings, db):
    settings.NOTIFY_CALLBACK_RATE_LIMIT = "2/m"
    codes = [client.get(esms_url(), {"SMSID": "x"}).status_code for _ in range(3)]
    assert codes == [404, 404, 429]


def test_a_database_failure_answers_503_not_500(client, settings, gateway, monkeypatch):
    from django.db import DatabaseError

    sent_by(settings, gateway, "esms")

    def broken(**kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr("tinhso.notify.views.delivery_report_record", broken)
    response = client.get(esms_url(), {"SMSID": ESMS_ID, "SendStatus": "5"})
    assert response.status_code == 503 and response.json()["code"] == "try_again"


def test_with_the_public_default_secret_key_no_callback_token_exists(settings, client):
    """Anyone can compute an HMAC of the published default key: refuse every report then."""
    settings.SECRET_KEY = settings.DEFAULT_SECRET_KEY
    assert callback_token("esms") == "" and callback_token("speedsms") == ""
    forged = hmac.new(
        settings.DEFAULT_SECRET_KEY.encode(), b"tinhso.notify.callback:esms", hashlib.sha256
    ).hexdigest()[:40]
    response = client.get(esms_url(forged), {"SMSID": "1", "SendStatus": "5"})
    assert response.status_code == 403 and response.json()["code"] == "not_configured"
    settings.NOTIFY_ESMS_CALLBACK_TOKEN = "operator-chosen-token-1234567890"
    assert callback_token("esms") == "operator-chosen-token-1234567890"


def test_deeply_nested_json_is_a_bad_report_not_a_server_error(client):
    body = b"[" * 100_000
    response = client.post(speedsms_url(), body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_a_nul_in_a_message_id_is_refused_in_json_not_a_retry(client):
    response = client.get(esms_url(), {"SMSID": "12\x0034", "SendStatus": "5"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"


def test_a_landline_gets_no_text_message_but_the_e_mail_still_goes(world):
    sent = notification_send(
        event="dossier.received",
        phone="0292 3 820 000",
        email="nguoinop@example.vn",
        context={"code": "X", "procedure": "Y"},
    )
    assert {delivery.channel for delivery in sent} == {"email"}
    assert not Delivery.objects.filter(address__startswith="0292").exists()


def test_the_gateways_get_json_errors_not_the_sites_pages(client):
    """A delivery report is called by a machine: its errors are the API's envelope, like the
    API's, wherever in the stack they arise (no matching address, a NUL, a wrong method)."""
    missing = client.get("/notify/reports/esms/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    nul = client.get(esms_url() + "?x=%00")
    assert nul.status_code == 400 and nul.json()["error"]["code"] == "invalid"
