"""nginx with the repository's configuration (``deploy/nginx``), runnable in a temporary folder.

The production files are used as written, with their placeholders replaced: the upstream port,
the certificate (a self-signed one made here), the static root, the listening ports. Beside the
production server blocks, a plain-http server on a free port includes the same
``tinhso-proxy.conf``, so tests and ``bench/slow_clients.py --proxy`` meet exactly the limits,
timeouts and buffering of production without TLS in the way.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy" / "nginx"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx",) if os.access(path, os.X_OK)), None
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Nginx:
    """``Nginx(upstream_port=…).start()`` … ``.stop()``; ``.port`` is the plain-http port."""

    def __init__(
        self, *, upstream_port: int, static_root: Path | None = None, rate_limits: bool = True
    ) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (scripts/system-deps.sh installs it)")
        self.binary = binary
        self.upstream_port = upstream_port
        self.static_root = static_root or ROOT / "var" / "static"
        # A benchmark's one client from 127.0.0.1 asks far more than any one address should.
        self.rate_limits = rate_limits
        self.prefix = Path(tempfile.mkdtemp(prefix="tinhso-nginx-"))
        self.port, self.tls_port, self.http_port = _free_port(), _free_port(), _free_port()
        self.process: subprocess.Popen | None = None
        self.conf = self.render()

    def render(self) -> Path:
        prefix = self.prefix
        (prefix / "snippets").mkdir()
        (prefix / "tmp").mkdir()
        (prefix / "html").mkdir()
        cert, key = prefix / "cert.pem", prefix / "key.pem"
        subprocess.run(  # noqa: S603
            [
                shutil.which("openssl") or "/usr/bin/openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=dichvucong.example.gov.vn",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],  # fmt: skip
            check=True,
            capture_output=True,
        )
        site = (DEPLOY / "tinhso.conf").read_text()
        replacements = {
            "server 127.0.0.1:8000;": f"server 127.0.0.1:{self.upstream_port};",
            "listen 80;": f"listen 127.0.0.1:{self.http_port};",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{self.tls_port} ssl http2;",
            "/etc/letsencrypt/live/dichvucong.example.gov.vn/fullchain.pem": str(cert),
            "/etc/letsencrypt/live/dichvucong.example.gov.vn/privkey.pem": str(key),
            "/var/www/html": str(prefix / "html"),
        }
        for old, new in replacements.items():
            if old not in site:
                raise ValueError(f"deploy/nginx/tinhso.conf no longer has {old!r}")
            site = site.replace(old, new)
        if not self.rate_limits:
            site = re.sub(r"rate=\d+r/m", "rate=100000r/s", site)
        (prefix / "tinhso.conf").write_text(site)
        proxy = (DEPLOY / "tinhso-proxy.conf").read_text()
        proxy = proxy.replace("/srv/tinhso/var/static/", f"{self.static_root}/")
        (prefix / "snippets" / "tinhso-proxy.conf").write_text(proxy)
        temp = prefix / "tmp"
        # As root, nginx's workers would run as "nobody", who may not read a temporary folder.
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = prefix / "nginx.conf"
        conf.write_text(
            f"""{user}daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include tinhso.conf;
    server {{
        listen 127.0.0.1:{self.port};
        server_name localhost;
        include snippets/tinhso-proxy.conf;
    }}
}}
"""
        )
        return conf

    def check(self) -> subprocess.CompletedProcess:
        """``nginx -t`` on the rendered configuration."""
        return subprocess.run(  # noqa: S603
            [self.binary, "-t", "-p", str(self.prefix), "-c", str(self.conf)],
            capture_output=True,
            text=True,
        )

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [self.binary, "-p", str(self.prefix), "-c", str(self.conf)],
            stdout=subprocess.DEVNULL,
            stderr=(self.prefix / "stderr.log").open("w"),
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    stderr = (self.prefix / "stderr.log").read_text()
                    raise RuntimeError(f"nginx stopped: {stderr}{self.error_log()}") from None
                time.sleep(0.1)
        raise RuntimeError("nginx did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.prefix, ignore_errors=True)

    def error_log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text() if path.exists() else ""
