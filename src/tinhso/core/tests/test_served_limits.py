"""The size and speed limits on the real server: scripts/serve.sh (granian) on a free port.

Socket-level clients, as an attacker would write them: a huge announced body with nothing
behind it, a body trickling in, headers that never end.
"""

import json
import socket
import time

import pytest

from tinhso.testing.served import http_answer, served_site


def _answer(sock: socket.socket, timeout: float) -> tuple[int, bytes]:
    status, _headers, body = http_answer(sock, timeout)
    return status, body


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """scripts/serve.sh with its own SQLite database, short body timeouts for the test."""
    with served_site(
        tmp_path_factory.mktemp("served"),
        REQUEST_BODY_GRACE="1",
        REQUEST_BODY_TIMEOUT="3",
        WEB_HEADER_TIMEOUT_MS="2000",
    ) as port:
        yield port


def test_a_huge_announced_upload_is_refused_at_once_in_the_api_envelope(server):
    with socket.create_connection(("127.0.0.1", server), timeout=5) as sock:
        sock.sendall(
            b"POST /api/v1/dossiers/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: en\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 1073741824\r\n\r\n--x\r\n"
        )
        started = time.monotonic()
        status, body = _answer(sock, timeout=10)
    assert status == 413 and time.monotonic() - started < 5
    assert json.loads(body)["error"]["code"] == "too_large"


def test_a_forged_token_gets_the_upload_limit_but_is_refused_before_its_body(server):
    """The guard lets a request with a token announce a large upload; the API checks the token
    before it reads a byte, so a forged one is answered at once."""
    with socket.create_connection(("127.0.0.1", server), timeout=5) as sock:
        sock.sendall(
            b"POST /api/v1/dossiers/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: en\r\n"
            b"Authorization: Token forged\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 104857600\r\n\r\n--x\r\n"
        )
        started = time.monotonic()
        status, body = _answer(sock, timeout=10)
    assert status == 401 and time.monotonic() - started < 5


def test_a_body_trickling_in_is_cut_off_with_408(server):
    body = b'{"username": "congdan", "password": "' + b"x" * 2000 + b'"}'
    with socket.create_connection(("127.0.0.1", server), timeout=5) as sock:
        sock.sendall(
            b"POST /api/v1/auth/token/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: vi\r\n"
            b"Content-Type: application/json\r\n" + f"Content-Length: {len(body)}\r\n\r\n".encode()
        )
        started = time.monotonic()
        sock.settimeout(0.05)  # 20 bytes a second
        for byte in body:
            try:
                if sock.recv(1, socket.MSG_PEEK):
                    break
            except TimeoutError:
                sock.sendall(bytes([byte]))
        status, answer = _answer(sock, timeout=10)
        held = time.monotonic() - started
    assert status == 408
    assert json.loads(answer)["error"]["code"] == "timeout"
    assert "quá chậm" in json.loads(answer)["error"]["message"]
    assert held < 10  # 64 bytes at 20 B/s, past the 1 s grace at under 1 KB/s


def test_a_page_gets_its_408_as_a_vietnamese_page(server):
    with socket.create_connection(("127.0.0.1", server), timeout=5) as sock:
        sock.sendall(
            b"POST /accounts/dang-nhap/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: vi\r\n"
            b"Cookie: csrftoken=abcdefghijklmnopqrstuvwxyzABCDEF\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3000\r\n\r\n"
            b"csrfmiddlewaretoken=abc"
        )
        status, page = _answer(sock, timeout=15)  # nothing more: one read waits past 3 s
    assert status == 408
    assert "Yêu cầu gửi quá chậm" in page.decode()


def test_headers_that_never_end_are_dropped(server):
    with socket.create_connection(("127.0.0.1", server), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        started = time.monotonic()
        sock.settimeout(10)
        try:
            while sock.recv(1024):
                pass
        except (TimeoutError, ConnectionResetError):
            pytest.fail("granian kept a connection whose headers never ended")
    assert time.monotonic() - started < 5  # --http1-header-read-timeout (2 s here)
