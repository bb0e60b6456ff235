"""Gateways replayed from recorded answers (``payloads/``): ``urlopen`` in ``notify.http`` is
the only thing replaced, so the plugins and the HTTP helper run as in production."""

import json
from pathlib import Path

import pytest

PAYLOADS = Path(__file__).parent / "payloads"


@pytest.fixture(autouse=True)
def _secret_key(settings):
    # Callback tokens are derived only from a secret key an operator set (channels.callback_token).
    settings.SECRET_KEY = "test-secret-key-for-notify-" + "x" * 40
    # The e-mail plugin itself (the default is the demo channel until mail is configured);
    # pytest-django's locmem mail backend keeps what it sends.
    settings.NOTIFY_EMAIL_BACKEND = "email"


def payload(name: str) -> dict:
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


class _Response:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def read(self) -> bytes:
        return self.body

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class Gateway:
    """Answers each request with the next recorded payload; keeps what was sent."""

    def __init__(self) -> None:
        self.answers: list[bytes | Exception] = []
        self.requests: list = []

    def answer(self, *names: str) -> None:
        self.answers.extend((PAYLOADS / name).read_bytes() for name in names)

    def fail(self, error: Exception) -> None:
        self.answers.append(error)

    def __call__(self, request, timeout=None):
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return _Response(answer)

    def sent(self, index: int = -1) -> dict:
        return json.loads(self.requests[index].data)


@pytest.fixture
def gateway(monkeypatch):
    fake = Gateway()
    monkeypatch.setattr("tinhso.notify.http.urlopen", fake)
    return fake


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run after-commit callbacks (tests run inside one transaction)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
