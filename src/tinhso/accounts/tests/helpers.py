import re

from django.urls import reverse

from tinhso.notify.models import Delivery, DemoMessage

NEW_PASSWORD = "Hoa-sen-nở-2026"


def sign_in(client, login, password, **extra):
    return client.post(reverse("accounts:login"), {"login": login, "password": password}, **extra)


def register(client, **overrides):
    data = {
        "full_name": "Lê Thị Cúc",
        "phone": "0987654321",
        "email": "",
        "national_id": "",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(overrides)
    return client.post(reverse("accounts:register"), data)


def code_sent(event: str) -> str:
    """The 6-digit code in the last message sent for ``event``, as the person received it (the
    demo channel's outbox): the delivery log hides it once sent (notify's ``sensitive``)."""
    delivery = Delivery.objects.filter(event=event).latest("pk")
    received = DemoMessage.objects.filter(delivery=delivery).first()
    match = re.search(r"\b(\d{6})\b", received.body if received else delivery.body)
    assert match, "no code in the message"
    return match.group(1)


def page_without(html: str, *typed: str) -> str:
    """``html`` without what differs by what was typed: the CSRF token, the typed values and the
    masked address, to compare two answers."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    for value in filter(None, typed):
        html = html.replace(value, "…")
    return re.sub(r"0\d\*+\d\d|\w\*\*\*@[\w.]+", "…", html)
