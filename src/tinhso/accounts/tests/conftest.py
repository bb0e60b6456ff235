import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def _after_commit(monkeypatch, django_capture_on_commit_callbacks):
    """Each request's after-commit work (the messages it asks notify to send) runs when the
    request ends, as it does outside a test's transaction."""
    original = Client.request

    def request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)
