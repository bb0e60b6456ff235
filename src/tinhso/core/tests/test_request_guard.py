"""Request bodies too large or too slow are refused before they are read (core.request_guard).

These tests call the real WSGI application of ``tinhso.wsgi`` (the one granian serves) with a
body that records every read, so "never read" is observed, not assumed.
"""

import io
import sys
import threading
import time

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import resolve

from tinhso.core.request_guard import (
    REFUSAL_KEY,
    TOO_LARGE,
    TOO_SLOW,
    BodyReader,
    BodyRefused,
    GuardedInput,
    request_limit,
)
from tinhso.dossiers.models import Dossier, DossierFile

GIB = 1024**3


class RecordingBody:
    """A ``wsgi.input`` that serves ``data`` and records how much was read."""

    def __init__(self, data: bytes = b"x" * 100):
        self.stream = io.BytesIO(data)
        self.read_calls = 0
        self.bytes_read = 0

    def read(self, size=-1):
        self.read_calls += 1
        data = self.stream.read(size)
        self.bytes_read += len(data)
        return data

    def readline(self, size=-1):
        self.read_calls += 1
        data = self.stream.readline(size)
        self.bytes_read += len(data)
        return data


@pytest.fixture
def wsgi(db):
    """Call tinhso.wsgi.application as granian does; returns (status, headers, body)."""
    from tinhso.wsgi import application

    # As Django's test client does: closing "old" connections when a request starts or ends
    # would close the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    def call(method, path, *, body, content_length=None, language="vi", **extra):
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "HTTP_ACCEPT_LANGUAGE": language,
            "CONTENT_TYPE": "multipart/form-data; boundary=BoUnDaRy",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": body,
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            **extra,
        }
        if content_length is not None:
            environ["CONTENT_LENGTH"] = str(content_length)
        started = {}

        def start_response(status, headers, exc_info=None):
            started["status"] = int(status.split()[0])
            started["headers"] = dict(headers)

        chunks = application(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        return started["status"], started["headers"], content.decode()

    yield call
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _session_cookie(client, user) -> str:
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def test_a_gibibyte_upload_is_refused_before_a_byte_is_read(world, wsgi, client):
    body = RecordingBody()
    status, headers, page = wsgi(
        "POST",
        f"/thu-tuc/{world.procedure.pk}/nop-truc-tuyen/",
        body=body,
        content_length=GIB,
        HTTP_COOKIE=_session_cookie(client, world.citizen),
    )
    assert status == 413
    assert headers["Content-Type"].startswith("text/html")
    assert "Yêu cầu quá lớn" in page and "201 MB" in page
    assert body.read_calls == 0  # nothing read, so nothing parsed or spooled to disk
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()


def test_an_anonymous_request_gets_the_small_limit_even_where_files_are_taken(world, wsgi):
    body = RecordingBody()
    path = f"/thu-tuc/{world.procedure.pk}/nop-truc-tuyen/"
    status, _headers, page = wsgi("POST", path, body=body, content_length=100 * 1024)
    assert status == 413 and body.read_calls == 0
    # A forged session cookie is not a signed-in person.
    body = RecordingBody()
    status, _headers, _page = wsgi(
        "POST", path, body=body, content_length=100 * 1024, HTTP_COOKIE="sessionid=forged"
    )
    assert status == 413 and body.read_calls == 0


def test_the_api_answers_413_in_its_envelope_without_reading(world, wsgi):
    # The guard sees only that a token is sent (the larger limit); DRF checks it before it
    # reads the body.
    body = RecordingBody()
    status, headers, content = wsgi(
        "POST",
        "/api/v1/dossiers/",
        body=body,
        content_length=GIB,
        language="en",
        HTTP_AUTHORIZATION="Token some-token",
    )
    assert status == 413 and body.read_calls == 0
    assert headers["Content-Type"] == "application/json"
    assert '"code": "too_large"' in content
    assert "at most 501 MB" in content  # 50 documents of 10 MB and the form's 1 MB


def test_limits_follow_the_view_and_who_asks(world, client, settings):
    cookie = _session_cookie(client, world.citizen)
    signed_in = {"HTTP_COOKIE": cookie, "REQUEST_METHOD": "POST"}
    submit = f"/thu-tuc/{world.procedure.pk}/nop-truc-tuyen/"
    assert request_limit({"PATH_INFO": submit, **signed_in}) == 20 * 10 * 2**20 + 2**20
    assert request_limit({"PATH_INFO": "/tra-cuu/", **signed_in}) == settings.REQUEST_MAX_BYTES
    assert request_limit({"PATH_INFO": submit, "REQUEST_METHOD": "POST"}) == 64 * 1024
    token = {"HTTP_AUTHORIZATION": "Token x", "REQUEST_METHOD": "POST"}
    assert request_limit({"PATH_INFO": "/api/v1/dossiers/", **token}) == 501 * 2**20
    action = "/api/v1/dossiers/X-1/actions/supplement/"
    assert request_limit({"PATH_INFO": action, **token}) == 201 * 2**20
    assert request_limit({"PATH_INFO": "/khong-co/", **token}) == settings.REQUEST_MAX_BYTES
    # The marks survive the decorators above them.
    for path in [submit, "/ho-so-cua-toi/1/bo-sung/", "/office/dossiers/1/act/finish/"]:
        assert resolve(path).func.upload_max_files == settings.UPLOAD_MAX_FILES


def test_a_small_request_passes_untouched(world, wsgi):
    body = RecordingBody(b"username=x&password=y")
    status, _headers, _page = wsgi(
        "POST",
        "/accounts/dang-nhap/",
        body=body,
        content_length=21,
        CONTENT_TYPE="application/x-www-form-urlencoded",
    )
    assert status == 403  # no CSRF cookie: refused by Django's own check, not by the guard


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class SlowBody:
    """Bytes arriving at ``rate`` a second on ``clock``: each read advances the clock."""

    def __init__(self, clock, rate, total):
        self.clock, self.rate, self.left = clock, rate, total

    def read(self, size):
        n = min(size, self.left)
        self.left -= n
        self.clock.now += n / self.rate
        return b"x" * n


def _guarded(body, *, limit=10_000, clock=None, environ=None):
    return GuardedInput(
        body,
        limit=limit,
        environ={} if environ is None else environ,
        min_rate=1024,
        grace=5,
        timeout=10,
        clock=clock or Clock(),
        threaded=False,  # reads in this thread, on the fake clock
    )


def test_a_body_at_ten_bytes_a_second_is_cut_off_within_seconds():
    clock, environ = Clock(), {}
    guarded = _guarded(SlowBody(clock, rate=10, total=5000), clock=clock, environ=environ)
    with pytest.raises(BodyRefused):
        guarded.read(5000)
    assert environ[REFUSAL_KEY].reason == TOO_SLOW
    assert clock.now < 15  # its first small reads give it away
    assert environ[REFUSAL_KEY].received < 200


def test_a_phone_on_a_slow_network_still_uploads():
    clock, environ = Clock(), {}
    data = _guarded(
        SlowBody(clock, rate=20_000, total=2_000_000), limit=3_000_000, clock=clock, environ=environ
    ).read()
    assert len(data) == 2_000_000 and REFUSAL_KEY not in environ


def test_one_read_waiting_past_the_timeout_is_cut_off():
    clock, environ = Clock(), {}

    class Stall:
        def read(self, size):
            clock.now += 11
            return b"x" * size

    with pytest.raises(BodyRefused):
        _guarded(Stall(), clock=clock, environ=environ).read(100)
    assert environ[REFUSAL_KEY].reason == TOO_SLOW


def test_a_body_longer_than_the_limit_is_cut_off_while_it_streams():
    environ = {}
    body = RecordingBody(b"x" * 50_000)  # chunked, or longer than announced
    guarded = _guarded(body, limit=10_000, environ=environ)
    with pytest.raises(BodyRefused):
        while guarded.read(4096):
            pass
    assert environ[REFUSAL_KEY].reason == TOO_LARGE
    assert body.bytes_read <= 10_000 + 64 * 1024  # stopped at the first chunk past the limit
    with pytest.raises(BodyRefused):  # and stays refused
        guarded.read(1)


def test_a_body_that_stops_arriving_is_given_up_after_the_timeout():
    """A read of the server's stream blocks until bytes come; it runs in a reader thread, so
    the request stops waiting after the timeout, and the reader ends when the client goes."""
    arrived = threading.Event()

    class Stalled:
        def read(self, size):
            arrived.wait(10)  # the client sends nothing more… until it disconnects
            return b""

    environ = {}
    guarded = GuardedInput(
        Stalled(), limit=10_000, environ=environ, min_rate=1024, grace=5, timeout=0.3
    )
    started = time.monotonic()
    with pytest.raises(BodyRefused):
        guarded.read(100)
    assert time.monotonic() - started < 2
    assert environ[REFUSAL_KEY].reason == TOO_SLOW
    assert BodyReader.abandoned == 1
    arrived.set()  # the client goes away: the abandoned reader ends
    guarded.reader.thread.join(5)
    assert not guarded.reader.thread.is_alive() and BodyReader.abandoned == 0


def test_the_reader_thread_ends_with_the_request(world, wsgi):
    before = threading.active_count()
    body = RecordingBody(b"username=x&password=y")
    wsgi(
        "POST",
        "/api/v1/auth/token/",
        body=body,
        content_length=21,
        CONTENT_TYPE="application/x-www-form-urlencoded",
    )
    assert body.bytes_read == 21  # read through the reader thread
    time.sleep(0.2)
    assert threading.active_count() == before
