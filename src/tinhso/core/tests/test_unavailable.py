"""An unreachable database: pages answer a 503 page with Retry-After (not a 500), and a write
whose database failed after it committed is not told "nothing was saved"."""

from types import SimpleNamespace

import pytest
from django.db import OperationalError, connection, transaction
from django.test import Client

from tinhso.dossiers.constants import Status
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests.api_helpers import api_client
from tinhso.dossiers.tests.helpers import checklist, submit_online


def database_down(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.parametrize("path", ["/", "/tra-cuu/?code=000.00.01.H30-261130-0001"])
def test_pages_answer_503_in_vietnamese_when_the_database_is_down(db, path):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="vi")
    with connection.execute_wrapper(database_down):
        response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Tạm thời" in page or "tạm thời" in page
    assert "<html" in page


def test_the_api_still_answers_503_json_for_a_read(db):
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(database_down):
        response = client.get("/api/v1/procedures/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Nothing was saved" in response.json()["error"]["message"] or response.json()


class FailAfterCommit:
    """Lets every query through until the audit row of the write is inserted (the last write of
    a service), then fails every later one: the database went away after the write."""

    def __init__(self):
        self.written = False

    def __call__(self, execute, sql, params, many, context):
        if self.written:
            raise OperationalError("server closed the connection unexpectedly")
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith("INSERT") and "audit" in sql.lower():
            self.written = True
        return result


def test_a_write_that_failed_after_its_commit_is_not_told_nothing_was_saved(world):
    dossier = submit_online(world)
    client = api_client(world.clerk, "en")
    client.raise_request_exception = False
    fail = FailAfterCommit()
    with connection.execute_wrapper(fail):
        response = client.post(
            f"/api/v1/dossiers/{dossier.code}/actions/receive/",
            {"expected_version": dossier.version, "checklist": checklist(dossier)},
            format="json",
        )
    # The injected error never reached the database, but the test's own transaction took it as a
    # failure: clear that so it can read what the write left.
    transaction.set_rollback(False)
    assert fail.written, "the write never reached its audit row"
    assert response.status_code == 503
    message = response.json()["error"]["message"]
    assert "Nothing was saved" not in message
    assert "unknown" in message
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RECEIVED  # it was saved


def test_a_failure_to_enqueue_after_commit_is_logged_not_raised(
    db, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from tinhso.notify import tasks
    from tinhso.notify.models import Delivery
    from tinhso.notify.services import notification_send

    def down(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(tasks, "delivery_send", SimpleNamespace(enqueue=down))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notification_send(event="dossier.received", phone="0912345678", context={})
    # Committed and kept: the sweep of due deliveries sends it later.
    assert Delivery.objects.count() == 1
    assert "server closed the connection" in caplog.text
