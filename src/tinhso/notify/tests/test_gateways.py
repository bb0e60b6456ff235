"""eSMS and SpeedSMS, replayed from recorded answers (conftest.gateway)."""

import base64
from urllib.error import URLError

import pytest

from tinhso.notify.constants import DeliveryStatus
from tinhso.notify.services import delivery_attempt, notification_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def esms(settings):
    settings.NOTIFY_SMS_BACKEND = "esms"
    settings.NOTIFY_ESMS_API_KEY = "api-key"
    settings.NOTIFY_ESMS_SECRET_KEY = "secret-key"
    settings.NOTIFY_ESMS_BRANDNAME = "TINHSO"


@pytest.fixture
def speedsms(settings):
    settings.NOTIFY_SMS_BACKEND = "speedsms"
    settings.NOTIFY_SPEEDSMS_TOKEN = "speed-token"
    settings.NOTIFY_SPEEDSMS_SENDER = "TINHSO"


def send_sms():
    delivery = notification_send(
        event="dossier.received", phone="0912345678", context={"code": "HS-1"}
    )[0]
    return delivery_attempt(delivery_id=delivery.pk)


def test_esms_accepts(esms, gateway):
    gateway.answer("esms_send_ok.json")
    delivery = send_sms()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.provider_message_id == "9a1c2e6f-5b1d-4c8e-8f1e-2b7d3c4a5e60"
    request = gateway.requests[0]
    assert request.full_url.startswith("https://rest.esms.vn/MainService.svc/json/")
    sent = gateway.sent()
    assert sent["ApiKey"] == "api-key" and sent["SecretKey"] == "secret-key"
    assert sent["Phone"] == "0912345678" and sent["Brandname"] == "TINHSO"
    assert sent["SmsType"] == "2" and sent["IsUnicode"] == "1" and sent["Sandbox"] == "0"
    assert sent["Content"].startswith("Hồ sơ HS-1 đã được tiếp nhận")
    assert sent["RequestId"] == str(delivery.uuid)
    assert "/notify/reports/esms/" in sent["CallbackUrl"]


def test_esms_refuses(esms, gateway):
    gateway.answer("esms_send_auth_failed.json")
    delivery = send_sms()
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at
    assert delivery.error.startswith("eSMS refused the message: CodeResult 101")


def test_esms_unreachable_is_retried(esms, gateway):
    gateway.fail(URLError("timed out"))
    delivery = send_sms()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == "eSMS: Gateway unreachable: URLError"


def test_speedsms_accepts(speedsms, gateway):
    gateway.answer("speedsms_send_ok.json")
    delivery = send_sms()
    assert delivery.status == DeliveryStatus.SENT and delivery.provider_message_id == "812345678"
    request = gateway.requests[0]
    assert request.full_url == "https://api.speedsms.vn/index.php/sms/send"
    expected = "Basic " + base64.b64encode(b"speed-token:x").decode()
    assert request.get_header("Authorization") == expected
    assert gateway.sent() == {
        "to": ["0912345678"],
        "content": delivery.body,
        "sms_type": 3,
        "sender": "TINHSO",
    }


def test_speedsms_error_is_retried(speedsms, gateway):
    gateway.answer("speedsms_send_error.json")
    delivery = send_sms()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == "SpeedSMS refused the message: code 007 not enough balance"


def test_speedsms_invalid_phone_gives_up(speedsms, gateway):
    gateway.answer("speedsms_send_invalid_phone.json")
    delivery = send_sms()
    assert delivery.status == DeliveryStatus.GAVE_UP
    assert "0912345678" not in delivery.error
