import pytest
from django.urls import reverse

from tinhso.notify.models import Delivery
from tinhso.notify.services import notification_send

pytestmark = pytest.mark.django_db

PHONE = "0912345678"


@pytest.fixture
def queued():
    """Not sent yet: the real address is still on the row."""
    return notification_send(
        event="dossier.received", phone=PHONE, email="an@example.vn", context={"code": "HS-9"}
    )


def changelist(admin_client, **params):
    return admin_client.get(reverse("admin:notify_delivery_changelist"), params)


def test_the_log_is_searched_by_masked_address_event_or_object(admin_client, queued):
    assert changelist(admin_client, q="09******78").context["cl"].result_count == 1
    assert changelist(admin_client, q="dossier.received").context["cl"].result_count == 2
    assert changelist(admin_client, status__exact="queued").context["cl"].result_count == 2
    assert changelist(admin_client, q=str(queued[0].uuid)).context["cl"].result_count == 1


def test_the_real_address_is_neither_shown_nor_searchable(admin_client, queued):
    assert Delivery.objects.filter(address=PHONE).exists()
    response = changelist(admin_client, q=PHONE)
    assert response.status_code == 200 and response.context["cl"].result_count == 0
    sms = Delivery.objects.get(channel="sms")
    page = admin_client.get(reverse("admin:notify_delivery_change", args=[sms.pk]))
    assert page.status_code == 200
    assert PHONE.encode() not in page.content and b"09******78" in page.content


def test_templates_are_editable_and_demo_messages_readable(admin_client):
    response = admin_client.get(reverse("admin:notify_notificationtemplate_changelist"))
    assert "Hồ sơ {{ code }} đã được tiếp nhận" in response.content.decode()
    assert admin_client.get(reverse("admin:notify_demomessage_changelist")).status_code == 200
