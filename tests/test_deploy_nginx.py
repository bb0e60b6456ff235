"""The production front (deploy/nginx) checked by nginx itself, then in front of the real site.

nginx comes from Debian (scripts/system-deps.sh installs nginx-light for the tests).
"""

import http.client
import socket
import time

import pytest

from tinhso.testing.nginx import Nginx
from tinhso.testing.served import http_answer, served_site


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    """scripts/serve.sh behind nginx with the repository's configuration."""
    var = tmp_path_factory.mktemp("front")
    static = var / "static"
    static.mkdir()
    (static / "only-nginx.txt").write_text("served by nginx")
    with served_site(var) as app_port:
        proxy = Nginx(upstream_port=app_port, static_root=static)
        proxy.start()
        try:
            yield proxy
        finally:
            proxy.stop()


def _get(port: int, path: str, method: str = "GET", body: bytes | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request(method, path, body=body, headers={"Accept-Language": "vi"})
    response = conn.getresponse()
    content = response.read()
    conn.close()
    return response, content


def test_the_production_configuration_passes_nginx_t():
    proxy = Nginx(upstream_port=8000)
    try:
        result = proxy.check()
    finally:
        proxy.stop()
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_pages_and_static_files_pass_through(front):
    response, page = _get(front.port, "/")
    assert response.status == 200 and "Tỉnh Số" in page.decode()
    response, content = _get(front.port, "/static/only-nginx.txt")
    assert response.status == 200 and content == b"served by nginx"
    assert "max-age=604800" in response.getheader("Cache-Control", "")
    response, _ = _get(front.port, "/healthz")
    assert response.status == 200


def test_an_oversized_body_is_refused_by_nginx_before_the_site(front):
    with socket.create_connection(("127.0.0.1", front.port), timeout=5) as sock:
        sock.sendall(
            b"POST /api/v1/dossiers/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Length: 1073741824\r\n\r\n"
        )
        status, headers, body = http_answer(sock, timeout=5)
    assert status == 413 and b"nginx" in body  # nginx's own page: the site never saw it
    # A page that takes no files allows 1 MB.
    response, _ = _get(front.port, "/accounts/dang-nhap/", "POST", b"x" * (2 * 1024 * 1024))
    assert response.status == 413


def test_a_stalled_body_is_cut_off_by_nginx(front):
    with socket.create_connection(("127.0.0.1", front.port), timeout=5) as sock:
        sock.sendall(
            b"POST /api/v1/auth/token/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        started = time.monotonic()
        sock.settimeout(20)
        # client_body_timeout 10s, then reset_timedout_connection: dropped, not answered.
        with pytest.raises(ConnectionResetError):
            sock.recv(1024)
    assert 9 < time.monotonic() - started < 15


def test_public_writes_and_tracking_are_rate_limited_but_reading_is_not(front):
    reads = [_get(front.port, "/accounts/dang-nhap/")[0].status for _ in range(70)]
    assert 429 not in reads
    post = b"username=x"
    writes = [_get(front.port, "/accounts/dang-nhap/", "POST", post)[0].status for _ in range(60)]
    assert writes.count(429) >= 5  # 60 a minute, bursts of 30: about 31 pass in the first second
    tracking = [_get(front.port, "/tra-cuu/")[0].status for _ in range(150)]
    assert tracking.count(429) >= 10  # 120 a minute, bursts of 60
