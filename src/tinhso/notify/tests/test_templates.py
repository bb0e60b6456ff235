import pytest

from tinhso.notify.admin import NotificationTemplateForm
from tinhso.notify.constants import Event
from tinhso.notify.models import NotificationTemplate
from tinhso.notify.services import template_render

pytestmark = pytest.mark.django_db

CONTEXT = {
    "code": "000.00.02.H30-261102-0001",
    "procedure": "Đăng ký khai sinh",
    "applicant_name": "Nguyễn Văn An",
    "tracking_url": "http://127.0.0.1:8000/tra-cuu/?code=X",
    "due_at": "09/11/2026 09:00",
    "comment": "Thiếu bản sao giấy chứng sinh",
}


def test_every_event_has_a_default_template_with_vietnamese_diacritics():
    templates = {t.event: t for t in NotificationTemplate.objects.all()}
    assert set(templates) == set(Event.values)
    assert templates["dossier.received"].subject_vi == "Hồ sơ {{ code }} đã được tiếp nhận"
    assert templates["dossier.apology"].legally_required
    assert not templates["dossier.due_soon"].legally_required


def test_renders_in_vietnamese_and_english():
    template = NotificationTemplate.objects.get(event="dossier.supplement_requested")
    subject, body, sms = template_render(template, CONTEXT, "vi")
    assert subject == "Hồ sơ 000.00.02.H30-261102-0001 cần bổ sung, hoàn thiện"
    assert "Kính gửi Nguyễn Văn An" in body
    assert "Nội dung cần bổ sung: Thiếu bản sao giấy chứng sinh" in body
    assert sms.startswith("Hồ sơ 000.00.02.H30-261102-0001 cần bổ sung")

    subject, body, _sms = template_render(template, CONTEXT, "en")
    assert subject == "Dossier 000.00.02.H30-261102-0001 needs more documents"
    assert body.startswith("Dear Nguyễn Văn An")


def test_text_is_not_html_escaped_and_english_falls_back_to_vietnamese():
    template = NotificationTemplate(subject_vi="{{ name }}", body_vi="<{{ name }}> & co")
    subject, body, sms = template_render(template, {"name": "Lê & Trần"}, "en")
    assert subject == "Lê & Trần"
    assert body == sms == "<Lê & Trần> & co"


def test_the_admin_refuses_a_broken_template():
    template = NotificationTemplate.objects.get(event="dossier.received")
    data = {
        "event": template.event,
        "subject_vi": "Hồ sơ {{ code ",
        "body_vi": "{% if %}",
        "legally_required": False,
        "active": True,
    }
    form = NotificationTemplateForm(data=data, instance=template)
    assert not form.is_valid()
    assert "body_vi" in form.errors


@pytest.mark.django_db(transaction=True)
def test_default_templates_come_back_after_a_flush():
    """Browser tests (and any TransactionTestCase) flush the database between tests; the
    default templates must not be lost with the migration's data."""
    from django.core.management import call_command

    from tinhso.notify.constants import Event
    from tinhso.notify.models import NotificationTemplate

    call_command("flush", interactive=False, verbosity=0)
    assert set(NotificationTemplate.objects.values_list("event", flat=True)) == set(Event.values)
