"""The page where a signed-in person chooses how they are notified (``notify`` preferences)."""

import re

import pytest
from django.urls import reverse

from tinhso.core.models import AuditLog
from tinhso.notify.models import ChannelPreference
from tinhso.notify.services import preference_set
from tinhso.testing.factories import UserFactory

URL = reverse("portal:notifications")

# Events citizens may opt out of, and the legally required ones (notify's default templates).
OPTIONAL = ["dossier.received", "dossier.result_ready"]
REQUIRED = ["dossier.apology", "dossier.payment_requested", "dossier.supplement_requested"]


def _post(client, **overrides):
    data = {"email_enabled": "on", "language": "vi", "events": OPTIONAL}
    data.update(overrides)
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    response = _post(client)
    assert response.status_code == 302
    assert not ChannelPreference.objects.exists()


def test_the_page_is_reached_from_my_dossiers(client, world):
    client.force_login(world.citizen)
    html = client.get(reverse("portal:my_dossiers")).content.decode()
    assert f'href="{URL}"' in html
    assert "Cách bạn nhận thông báo" in html


def test_the_page_in_vietnamese(client, world):
    client.force_login(world.citizen)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    html = response.content.decode()
    assert "csrfmiddlewaretoken" in html
    assert "<legend>Kênh nhận thông báo</legend>" in html
    assert "Bằng tin nhắn (SMS)" in html
    assert "Gửi đến 0912345678." in html  # the citizen's own addresses
    assert f"Gửi đến {world.citizen.email}." in html
    assert "Tiếng Anh" in html
    assert "bắt buộc theo quy định pháp luật: luôn được gửi" in html
    # Every event citizens receive is there, ticked by default; the officers' reminder is not.
    form = response.context["form"]
    events = [value for value, _label in form.fields["events"].choices]
    assert sorted(events) == sorted(OPTIONAL + REQUIRED)
    assert "dossier.due_soon" not in html
    for event in OPTIONAL + REQUIRED:
        assert f'value="{event}"' in html
    # Legally required ones are ticked, disabled and labelled as such.
    for index, event in enumerate(events):
        checkbox = re.search(rf'<input[^>]*id="id_events_{index}"[^>]*>', html)[0]
        assert f'value="{event}"' in checkbox
        assert "checked" in checkbox
        assert ("disabled" in checkbox) == (event in REQUIRED)


def test_a_missing_address_is_said(client, world):
    client.force_login(UserFactory(username="no-mail", email="", phone="0987654321"))
    html = client.get(URL).content.decode()
    assert "Tài khoản của bạn chưa có địa chỉ thư điện tử." in html


def test_the_page_in_english(client, world):
    client.force_login(world.citizen)
    html = client.get(URL, headers={"accept-language": "en"}).content.decode()
    assert "How you are notified" in html
    assert "(required by law: always sent)" in html


def test_officers_may_opt_out_of_their_reminder(client, world):
    client.force_login(world.specialist)
    form = client.get(URL).context["form"]
    assert "dossier.due_soon" in dict(form.fields["events"].choices)


def test_choices_are_saved_through_the_service(client, world):
    client.force_login(world.citizen)
    response = _post(
        client, email_enabled=None, sms_enabled="on", language="en", events=["dossier.result_ready"]
    )
    assert response.status_code == 302 and response["Location"] == URL
    preference = ChannelPreference.objects.get(user=world.citizen)
    assert (preference.email_enabled, preference.sms_enabled, preference.language) == (
        False,
        True,
        "en",
    )
    assert preference.opted_out_events == ["dossier.received"]
    audit = AuditLog.objects.get(action="notification_preference.set")
    assert audit.actor == world.citizen
    assert audit.data["opted_out_events"] == ["dossier.received"]
    # The page shows what was saved, with a message in the person's language.
    page = client.get(URL)
    assert "Đã lưu lựa chọn nhận thông báo của bạn." in page.content.decode()
    initial = page.context["form"].initial
    assert initial["language"] == "en" and initial["email_enabled"] is False
    assert "dossier.received" not in initial["events"]


def test_a_legally_required_event_cannot_be_opted_out_even_by_a_forged_post(client, world):
    preference_set(user=world.citizen, opted_out_events=["dossier.apology"])  # stored earlier
    client.force_login(world.citizen)
    response = _post(
        client,
        events=["dossier.received"],  # nothing required ticked (disabled boxes post nothing)
        opted_out_events=REQUIRED,  # and fields the form does not have
        legally_required="",
    )
    assert response.status_code == 302
    preference = ChannelPreference.objects.get(user=world.citizen)
    assert preference.opted_out_events == ["dossier.result_ready"]
    assert not set(preference.opted_out_events) & set(REQUIRED)


def test_an_unknown_event_is_refused(client, world):
    client.force_login(world.citizen)
    response = _post(client, events=["dossier.received", "dossier.invented"])
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not ChannelPreference.objects.exists()


def test_opt_outs_the_page_does_not_show_are_kept(client, world):
    # The officers' reminder is not offered to a citizen: an opt-out of it survives a save.
    preference_set(user=world.citizen, opted_out_events=["dossier.due_soon"])
    client.force_login(world.citizen)
    _post(client, events=OPTIONAL)
    assert ChannelPreference.objects.get(user=world.citizen).opted_out_events == [
        "dossier.due_soon"
    ]


def test_another_persons_choices_are_never_shown_nor_changed(client, world):
    theirs = preference_set(
        user=world.other_citizen, email_enabled=False, language="en", opted_out_events=OPTIONAL
    )
    client.force_login(world.citizen)
    form = client.get(URL, {"user": world.other_citizen.pk}).context["form"]
    assert form.initial["email_enabled"] is True and form.initial["language"] == "vi"
    assert sorted(form.initial["events"]) == sorted(OPTIONAL + REQUIRED)
    _post(client, user=world.other_citizen.pk, sms_enabled="on", events=[])
    theirs.refresh_from_db()
    assert (theirs.email_enabled, theirs.language, theirs.opted_out_events) == (
        False,
        "en",
        OPTIONAL,
    )
    mine = ChannelPreference.objects.get(user=world.citizen)
    assert mine.opted_out_events == OPTIONAL


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_post_without_csrf_token_is_refused(world, method):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.citizen)
    response = getattr(client, method)(URL, {"language": "vi"} if method == "post" else None)
    assert response.status_code == (200 if method == "get" else 403)
    assert not ChannelPreference.objects.exists()
