"""The site as ``scripts/serve.sh`` runs it (granian, the task worker, the scheduler), on a free
port with a SQLite database of its own, for tests that need a real server and real sockets."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served_site(var: Path, **env: str) -> Iterator[int]:
    """Migrate a database under ``var``, start scripts/serve.sh with ``env``; yields its port."""
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
        "DATABASE_URL": f"sqlite:///{var / 'site.sqlite3'}",
        "TINHSO_VAR_DIR": str(var),
        "RESTART_DELAY": "1",
        "LOG_LEVEL": "WARNING",
        **env,
    }
    subprocess.run(  # noqa: S603
        [str(ROOT / ".venv/bin/python"), "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=environ,
        check=True,
    )
    port = free_port()
    log = var / "serve.log"
    process = subprocess.Popen(  # noqa: S603
        [str(ROOT / "scripts/serve.sh")],
        cwd=ROOT,
        env={**environ, "PORT": str(port)},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"serve.sh did not start:\n{log.read_text()}") from None
                time.sleep(0.3)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _head(data: bytes) -> tuple[int, dict[str, str]]:
    lines = data.decode("latin-1").split("\r\n")
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in lines[1:])
    }
    return int(lines[0].split(" ", 2)[1]), headers


def http_answer(sock: socket.socket, timeout: float) -> tuple[int, dict[str, str], bytes]:
    """Read one HTTP answer from a raw socket: status, headers (lower-case names), body."""
    sock.settimeout(timeout)
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
        head, separator, body = data.partition(b"\r\n\r\n")
        length = _head(head)[1].get("content-length") if separator else None
        if length is not None and len(body) >= int(length):
            break
    head, _, body = data.partition(b"\r\n\r\n")
    status, headers = _head(head)
    return status, headers, body
