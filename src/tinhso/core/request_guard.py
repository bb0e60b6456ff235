"""Request bodies: too large or too slow is refused before the body is read, or while it streams.

The embedded server (granian) hands the application a body it has not read yet and has no limit
of its own on its size or on how slowly it arrives (granian issue 728: "No slow body read
timeout", closed as won't fix). Without a guard a 1 GiB upload was spooled to disk in full before
a form refused it, also for anonymous requests, and clients sending 10 bytes a second held the
server's threads for as long as they liked. So, around the WSGI application (``tinhso/wsgi.py``):

- Every request has a body limit (``request_limit``): a path whose view takes files
  (``accepts_uploads``) allows ``UPLOAD_MAX_BYTES`` × the files it takes, plus
  ``REQUEST_MAX_BYTES`` for the other fields, to a signed-in person; every other path allows
  ``REQUEST_MAX_BYTES``, and an anonymous request ``REQUEST_MAX_BYTES_ANONYMOUS`` wherever it goes
  (nobody uploads without signing in).
- A ``Content-Length`` over the limit is refused (413) without reading a byte of the body.
- Otherwise ``wsgi.input`` is wrapped (``GuardedInput``): a body that passes the limit while it
  streams (chunked, or longer than announced) is cut off (413), and one that arrives slower than
  ``REQUEST_BODY_MIN_RATE`` bytes a second (after ``REQUEST_BODY_GRACE`` seconds) or makes one
  read wait longer than ``REQUEST_BODY_TIMEOUT`` seconds is cut off (408).

A refusal is noted in the WSGI environ; ``RequestGuardMiddleware`` answers it in the visitor's
language (the API's JSON envelope under ``/api/``, a page otherwise), whatever the inner layers
made of the interrupted read. The server closes the connection since the body was not read.

The server's stream blocks a read until its bytes arrive, and nothing interrupts it: each read
runs in a ``BodyReader`` thread, so the request gives up after ``REQUEST_BODY_TIMEOUT`` even when
no byte comes at all, and its server thread is free again. Threads still held by slow clients
are what ``scripts/serve.sh`` sizes granian's pool for; in production the reverse proxy in
front (``deploy/nginx``) buffers bodies with ``client_body_timeout`` before the site sees them.
"""

from __future__ import annotations

import io
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import BadRequest
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from tinhso.core.api import answers_json, error_json

logger = logging.getLogger("tinhso.request_guard")

# Where a refusal is noted in the WSGI environ (``request.META``).
REFUSAL_KEY = "tinhso.request_refused"
TOO_LARGE, TOO_SLOW = "too_large", "too_slow"

# The body is read in chunks that start small, so a slow client is noticed after a few bytes,
# and grow while they arrive quickly, so a large upload costs few calls.
_FIRST_CHUNK = 64
_MAX_CHUNK = 64 * 1024
_FAST_READ = 0.25  # seconds: a read quicker than this lets the next one be larger


@dataclass(frozen=True)
class Refusal:
    reason: str  # TOO_LARGE or TOO_SLOW
    limit: int  # the request's body limit in bytes
    received: int = 0  # bytes read before it was refused


class BodyRefused(BadRequest):
    """Raised by ``GuardedInput.read`` to stop whoever is reading the body (a form, a parser).
    Django answers a ``BadRequest`` with 400; ``RequestGuardMiddleware`` replaces that answer
    with the refusal noted in the environ."""


def accepts_uploads(view: Callable | None = None, *, max_files: int | None = None) -> Any:
    """Mark a view as taking up to ``max_files`` files (``UPLOAD_MAX_FILES`` when not given),
    so its requests may be as large as those files allow (``request_limit``). The mark survives
    the decorators above it (they copy the view's ``__dict__``). A class-based view, DRF
    viewsets included, says it with ``upload_max_files``: a number, or a number per action."""

    def mark(func: Callable) -> Callable:
        func.upload_max_files = max_files or settings.UPLOAD_MAX_FILES  # type: ignore[attr-defined]
        return func

    return mark(view) if view is not None else mark


def _view_max_files(environ: dict[str, Any]) -> int:
    """How many files the view at this path takes (0: none)."""
    try:
        match = resolve(environ.get("PATH_INFO", "") or "/")
    except Resolver404:
        return 0
    if "admin" in match.app_names:
        # The admin (staff only) takes files on its own pages: catalogue imports, templates.
        return settings.UPLOAD_MAX_FILES
    view = match.func
    allowed = getattr(view, "upload_max_files", None)
    if allowed is None and hasattr(view, "cls"):
        allowed = getattr(view.cls, "upload_max_files", None)
    if isinstance(allowed, dict):
        actions = getattr(view, "actions", None) or {}
        allowed = allowed.get(actions.get(environ.get("REQUEST_METHOD", "").lower()))
    return int(allowed or 0)


def _signed_in(environ: dict[str, Any]) -> bool:
    """Whether the request carries credentials: an ``Authorization`` header (the API checks
    the token before it reads the body), or a session cookie of a signed-in person."""
    if environ.get("HTTP_AUTHORIZATION"):
        return True
    cookies = environ.get("HTTP_COOKIE", "")
    if settings.SESSION_COOKIE_NAME not in cookies:
        return False
    from http.cookies import SimpleCookie

    try:
        morsel = SimpleCookie(cookies).get(settings.SESSION_COOKIE_NAME)
    except Exception:  # an unparsable Cookie header: no session
        return False
    if morsel is None or not morsel.value:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(morsel.value)
    try:
        return bool(store.get(SESSION_KEY))
    except DatabaseError:
        # The database is restarting: do not refuse for that; the view checks who it is.
        return True


def request_limit(environ: dict[str, Any]) -> int:
    """The most bytes this request's body may have."""
    if not _signed_in(environ):
        return settings.REQUEST_MAX_BYTES_ANONYMOUS
    files = _view_max_files(environ)
    return files * settings.UPLOAD_MAX_BYTES + settings.REQUEST_MAX_BYTES


def _content_length(environ: dict[str, Any]) -> int | None:
    try:
        return int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


class BodyReader:
    """Reads the server's body stream in a thread of its own, so that the request's thread can
    stop waiting: a read of granian's stream blocks until its bytes arrive or the client goes,
    and nothing interrupts it. The request gives up on a read after ``timeout`` seconds; the
    abandoned reader ends when that read returns (the client sends more or disconnects).

    At most ``MAX_ABANDONED`` abandoned readers per process: past that, bodies are read in the
    request's own thread (still cut off by the rate check, but a complete stall then holds that
    thread), so that an attacker's stalled connections cannot pile up threads without end.
    """

    MAX_ABANDONED = 256
    abandoned = 0  # readers of this process still blocked in a read nobody waits for
    _lock = threading.Lock()

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.asks: queue.SimpleQueue = queue.SimpleQueue()
        self.answers: queue.SimpleQueue = queue.SimpleQueue()
        self.thread: threading.Thread | None = None
        self.gave_up = False

    @classmethod
    def available(cls) -> bool:
        return cls.abandoned < cls.MAX_ABANDONED

    def read(self, size: int, *, line: bool, timeout: float) -> bytes:
        """``size`` bytes (fewer at the end), or ``TimeoutError`` after ``timeout`` seconds."""
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, name="tinhso-body", daemon=True)
            self.thread.start()
        self.asks.put((size, line))
        try:
            ok, value = self.answers.get(timeout=timeout)
        except queue.Empty:
            with self._lock:
                BodyReader.abandoned += 1
            self.gave_up = True
            self.asks.put(None)
            raise TimeoutError from None
        if not ok:
            raise value
        return value

    def close(self) -> None:
        if self.thread is not None and not self.gave_up:
            self.asks.put(None)

    def _run(self) -> None:
        while (ask := self.asks.get()) is not None:
            size, line = ask
            try:
                data = self.stream.readline(size) if line else self.stream.read(size)
                self.answers.put((True, data))
            except BaseException as error:  # handed to the request's thread
                self.answers.put((False, error))
        if self.gave_up:
            with self._lock:
                BodyReader.abandoned -= 1


class GuardedInput(io.RawIOBase):
    """``wsgi.input`` that refuses a body larger than ``limit`` or slower than the settings
    allow, noting the refusal in ``environ`` and raising ``BodyRefused``.

    Reads of the underlying stream block until the asked bytes arrive, so they are kept small
    at first (64 bytes) and grow fourfold while they come back quickly: a client sending
    10 bytes a second is noticed after a few seconds, a 10 MB upload takes a few hundred calls.
    Each read runs in a ``BodyReader`` thread (``threaded``), so that one that waits longer
    than ``timeout`` is given up even when no byte comes at all.
    """

    def __init__(
        self,
        stream: Any,
        *,
        limit: int,
        environ: dict[str, Any],
        min_rate: int,
        grace: float,
        timeout: float,
        clock: Callable[[], float] = time.monotonic,
        threaded: bool = True,
    ) -> None:
        self.stream = stream
        self.reader = BodyReader(stream) if threaded and BodyReader.available() else None
        self.limit = limit
        self.environ = environ
        self.min_rate = min_rate
        self.grace = grace
        self.timeout = timeout
        self.clock = clock
        self.received = 0
        self.started = clock()
        self.chunk = _FIRST_CHUNK

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
        super().close()

    def _refuse(self, reason: str) -> BodyRefused:
        refusal = Refusal(reason, self.limit, self.received)
        self.environ[REFUSAL_KEY] = refusal
        return BodyRefused(reason)

    def _read_once(self, size: int, *, line: bool = False) -> bytes:
        if REFUSAL_KEY in self.environ:
            raise BodyRefused(self.environ[REFUSAL_KEY].reason)
        before = self.clock()
        if self.reader is None:
            data = self.stream.readline(size) if line else self.stream.read(size)
        else:
            try:
                data = self.reader.read(size, line=line, timeout=self.timeout)
            except TimeoutError:
                raise self._refuse(TOO_SLOW) from None
        now = self.clock()
        self.received += len(data)
        if self.received > self.limit:
            raise self._refuse(TOO_LARGE)
        waited, elapsed = now - before, now - self.started
        if waited > self.timeout or (
            elapsed > self.grace and self.received < self.min_rate * (elapsed - self.grace)
        ):
            raise self._refuse(TOO_SLOW)
        if waited < _FAST_READ:
            self.chunk = min(self.chunk * 4, _MAX_CHUNK)
        else:
            self.chunk = max(self.chunk // 4, _FIRST_CHUNK)
        return data

    def read(self, size: int | None = -1, /) -> bytes:
        if size is None or size < 0:
            size = self.limit + 1 - self.received  # to the end, or one byte past the limit
        parts = []
        while size > 0:
            want = min(size, self.chunk)
            data = self._read_once(want)
            parts.append(data)
            size -= len(data)
            if len(data) < want:  # the end of the body
                break
        return b"".join(parts)

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1, /) -> bytes:
        if size is None or size < 0:
            size = self.limit + 1 - self.received
        return self._read_once(min(size, self.chunk), line=True)


class RequestGuard:
    """The WSGI application wrapped: the body limit before the body, then while it streams."""

    def __init__(self, application: Callable) -> None:
        self.application = application

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        length = _content_length(environ)
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not length and not chunked:
            return self.application(environ, start_response)  # no body: GET, HEAD…
        if length is not None and length <= settings.REQUEST_MAX_BYTES_ANONYMOUS:
            # Small enough for anyone anywhere: no need to ask who it is (Django never reads
            # past the announced length).
            limit = settings.REQUEST_MAX_BYTES_ANONYMOUS
        else:
            limit = request_limit(environ)
        if length is not None and length > limit:
            environ[REFUSAL_KEY] = Refusal(TOO_LARGE, limit)
            environ["wsgi.input"] = io.BytesIO(b"")
            environ["CONTENT_LENGTH"] = "0"
            return self.application(environ, start_response)
        guarded = GuardedInput(
            environ["wsgi.input"],
            limit=limit,
            environ=environ,
            min_rate=settings.REQUEST_BODY_MIN_RATE,
            grace=settings.REQUEST_BODY_GRACE,
            timeout=settings.REQUEST_BODY_TIMEOUT,
        )
        environ["wsgi.input"] = guarded
        return ClosingResponse(self.application(environ, start_response), guarded.close)


class ClosingResponse:
    """A WSGI response that also runs ``on_close`` when the server closes it."""

    def __init__(self, response: Iterable[bytes], on_close: Callable[[], None]) -> None:
        self.response = response
        self.on_close = on_close

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.response)

    def close(self) -> None:
        try:
            close = getattr(self.response, "close", None)
            if close is not None:
                close()
        finally:
            self.on_close()


def refusal_response(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """413 or 408 in the API's envelope under /api/, as a page elsewhere."""
    if refusal.reason == TOO_LARGE:
        status, code = 413, "too_large"
        message = _("The request is too large: at most %(mb)s MB can be sent here.") % {
            "mb": _megabytes(refusal.limit)
        }
    else:
        status, code = 408, "timeout"
        message = _("The request arrived too slowly and was stopped. Nothing was saved.")
    logger.warning(
        "Request refused (%s): %s %s, limit %s bytes, %s read",
        refusal.reason,
        request.method,
        request.path,
        refusal.limit,
        refusal.received,
    )
    if answers_json(request):
        return error_json(code, message, status)
    return render(request, f"{status}.html", {"message": message}, status=status)


def _megabytes(limit: int) -> str:
    mb = limit / (1024 * 1024)
    return f"{mb:.0f}" if mb >= 1 else f"{mb:.2f}"


class RequestGuardMiddleware:
    """Answers the refusals ``RequestGuard`` noted: before the view when the announced size was
    too large, after it when the body was cut off while being read."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = request.META.get(REFUSAL_KEY)
        if refusal is None:
            response = self.get_response(request)
            refusal = request.META.get(REFUSAL_KEY)
            if refusal is None:
                return response
        return refusal_response(request, refusal)
