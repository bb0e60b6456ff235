"""Slow clients against the site as ``scripts/serve.sh`` runs it: do the other pages still answer?

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/tinhso_bench
    .venv/bin/python bench/slow_clients.py                  # ~2 minutes; the figures of issue 6
    .venv/bin/python bench/slow_clients.py --proxy          # the same through nginx (deploy/)
    .venv/bin/python bench/slow_clients.py --threads 2      # the granian threads of before

Migrates the database and loads the demo province when it has no procedure. Starts
``scripts/serve.sh`` (granian with its workers and threads, the task worker and the scheduler)
on a free port; with ``--proxy`` also nginx with the repository's configuration
(``deploy/nginx``, through ``tinhso.testing.nginx``) in front of it.

In one run, alternating ``--rounds`` times, each phase ``--duration`` seconds:

- **alone**: one normal visitor fetches the home page, the catalogue search, a procedure page and
  a tracking page in turn, each on a new connection, one after the other;
- **attacked**: the same visitor while ``--slow`` clients send a request body at ``--rate`` bytes
  a second to pages that read it (half to the API's token endpoint, half to the sign-in form
  with its CSRF cookie and token), and ``--slowloris`` clients send request headers one line
  every 5 s; each starts again as soon as it is cut off.

Prints p50/p99 of the visitor in each phase, their ratios, how the slow clients were answered
and how long each was held; ``--markdown`` prints the row for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

# The rate limits would answer 429 before a body is read: raise them, so that the slow clients
# hold what they can (the worst case) and the visitor is never limited.
RATE_ENV = {
    "RATE_TRACKING": "1000000/s",
    "RATE_ANON": "1000000/s",
    "RATE_AUTH": "1000000/s",
    "TRACKING_RATE_LIMIT": "1000000/m",
    "LOGIN_RATE_LIMIT_IP": "1000000/1m",
    "LOGIN_RATE_LIMIT_LOGIN": "1000000/1m",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(port: int, path: str = "/", timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"Nothing answered on port {port}")


def prepare(env: dict[str, str]) -> tuple[int, str]:
    """Migrate and seed when needed; a procedure id and a dossier code to fetch."""
    python = str(ROOT / ".venv/bin/python")
    subprocess.run([python, "manage.py", "createdb"], cwd=ROOT, env=env, check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(  # noqa: S603
        [python, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    probe = (
        "from tinhso.catalog.models import Procedure; from tinhso.dossiers.models import Dossier;"
        "p = Procedure.objects.filter(current_version__isnull=False).order_by('pk').first();"
        "d = Dossier.objects.order_by('pk').first();"
        "print(p.pk if p else '', d.code if d else '')"
    )
    out = subprocess.run(  # noqa: S603
        [python, "manage.py", "shell", "-c", probe],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=True,
    ).stdout.split()
    if len(out) < 2:
        subprocess.run([python, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True)  # noqa: S603
        return prepare(env)
    return int(out[0]), out[1]


class Site:
    """scripts/serve.sh in its own process group (granian, the worker, the scheduler)."""

    def __init__(self, port: int, env: dict[str, str], log: Path):
        self.process = subprocess.Popen(  # noqa: S603
            [str(ROOT / "scripts/serve.sh")],
            cwd=ROOT,
            env={**env, "PORT": str(port)},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=40)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)


# --- the clients ---------------------------------------------------------------------------------
class Attackers:
    """Slow-body and slowloris clients, each in a thread, each starting again when cut off."""

    def __init__(self, port: int, *, slow: int, slowloris: int, rate: float):
        self.port, self.rate = port, rate
        self.stop = threading.Event()
        self.answers: Counter[str] = Counter()
        self.held: list[float] = []
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self.slow_body, args=(i,), daemon=True) for i in range(slow)
        ] + [threading.Thread(target=self.slowloris, daemon=True) for _ in range(slowloris)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=10)

    def _note(self, answer: str, held: float) -> None:
        with self.lock:
            self.answers[answer] += 1
            self.held.append(held)

    def _sign_in_form(self) -> tuple[str, str]:
        """The sign-in form's CSRF cookie and token, as a browser would have them."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("GET", "/accounts/dang-nhap/")
        response = conn.getresponse()
        page = response.read().decode()
        cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        conn.close()
        return (cookie.group(1) if cookie else "", token.group(1) if token else "")

    def slow_body(self, index: int) -> None:
        while not self.stop.is_set():
            if index % 2:
                cookie, token = self._sign_in_form()
                body = f"csrfmiddlewaretoken={token}&username=congdan&password=".encode()
                body += b"x" * 4000
                head = (
                    "POST /accounts/dang-nhap/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    f"Cookie: csrftoken={cookie}\r\nReferer: http://127.0.0.1/accounts/\r\n"
                    "Content-Type: application/x-www-form-urlencoded\r\n"
                )
            else:
                body = b'{"username": "congdan", "password": "' + b"x" * 4000 + b'"}'
                head = (
                    "POST /api/v1/auth/token/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Content-Type: application/json\r\n"
                )
            head += f"Content-Length: {len(body)}\r\n\r\n"
            self._trickle(head.encode(), body)

    def _trickle(self, head: bytes, body: bytes) -> None:
        started = time.monotonic()
        answer = "none"
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
                sock.sendall(head)
                sock.settimeout(1 / self.rate)
                for byte in body:
                    if self.stop.is_set():
                        break
                    try:
                        data = sock.recv(64)
                    except TimeoutError:
                        sock.sendall(bytes([byte]))
                        continue
                    answer = data.split(b"\r\n", 1)[0].decode(errors="replace")[9:12] or "closed"
                    break
        except OSError as error:
            answer = type(error).__name__
        self._note(f"slow body: {answer}", time.monotonic() - started)

    def slowloris(self) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            answer = "none"
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
                    sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    sock.settimeout(5)
                    line = 0
                    while not self.stop.is_set():
                        try:
                            data = sock.recv(64)
                        except TimeoutError:
                            line += 1
                            sock.sendall(f"X-Wait-{line}: {line}\r\n".encode())
                            continue
                        answer = data.split(b"\r\n", 1)[0].decode(errors="replace")[9:12]
                        answer = answer or "closed"
                        break
            except OSError as error:
                answer = type(error).__name__
            self._note(f"slowloris: {answer}", time.monotonic() - started)


def visitor(port: int, paths: list[str], duration: float) -> tuple[list[float], Counter[int]]:
    """One visitor fetching ``paths`` in turn, a new connection each; latencies in seconds."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    deadline = time.monotonic() + duration
    index = 0
    while time.monotonic() < deadline:
        path = paths[index % len(paths)]
        index += 1
        started = time.monotonic()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", path, headers={"Accept-Language": "vi"})
            response = conn.getresponse()
            response.read()
            statuses[response.status] += 1
            conn.close()
        except OSError:
            statuses[0] += 1
        latencies.append(time.monotonic() - started)
    return latencies, statuses


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--slow", type=int, default=8)
    parser.add_argument("--slowloris", type=int, default=8)
    parser.add_argument("--rate", type=float, default=10, help="bytes a second")
    parser.add_argument("--workers", type=int, default=None, help="WEB_WORKERS of serve.sh")
    parser.add_argument("--threads", type=int, default=None, help="WEB_THREADS of serve.sh")
    parser.add_argument("--proxy", action="store_true", help="through nginx (deploy/nginx)")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL=postgres://… (a database of its own).")
    env = {**os.environ, **RATE_ENV, "DEBUG": "0", "LOG_LEVEL": "WARNING"}
    if args.workers:
        env["WEB_WORKERS"] = str(args.workers)
    if args.threads:
        env["WEB_THREADS"] = str(args.threads)
    procedure, code = prepare(env)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    app_port = free_port()
    site = Site(app_port, env, out / "slow_clients-server.log")
    proxy = None
    try:
        wait_http(app_port)
        port = app_port
        if args.proxy:
            from tinhso.testing.nginx import Nginx

            # The zones' rates raised: one visitor asking 30 pages a second from 127.0.0.1
            # would be limited (429); the sizes, timeouts and buffering are production's.
            proxy = Nginx(
                upstream_port=app_port, static_root=ROOT / "var" / "static", rate_limits=False
            )
            proxy.start()
            port = proxy.port
            wait_http(port)
        paths = [
            "/",
            "/?q=khai+sinh",
            f"/thu-tuc/{procedure}/",
            f"/tra-cuu/?code={urllib.parse.quote(code)}",
        ]
        visitor(port, paths, 3)  # warm up every worker's caches
        alone: list[float] = []
        attacked: list[float] = []
        statuses: Counter[int] = Counter()
        attackers_all = Attackers(port, slow=0, slowloris=0, rate=args.rate)
        for _ in range(args.rounds):
            latencies, seen = visitor(port, paths, args.duration)
            alone += latencies
            statuses += seen
            attackers = Attackers(port, slow=args.slow, slowloris=args.slowloris, rate=args.rate)
            attackers.start()
            time.sleep(2)  # let them take hold
            latencies, seen = visitor(port, paths, args.duration)
            attackers.finish()
            attacked += latencies
            statuses += seen
            attackers_all.answers += attackers.answers
            attackers_all.held += attackers.held
    finally:
        if proxy is not None:
            proxy.stop()
        site.stop()

    p50a, p99a = percentile(alone, 0.5), percentile(alone, 0.99)
    p50b, p99b = percentile(attacked, 0.5), percentile(attacked, 0.99)
    front = "nginx → granian" if args.proxy else "granian"
    setup = f"{front}, {env.get('WEB_WORKERS', 2)} workers × {env.get('WEB_THREADS', 8)} threads"
    print(
        f"Setup: {setup}; {args.slow} slow bodies at {args.rate:g} B/s, {args.slowloris} "
        f"slowloris; {args.rounds} × {args.duration:g} s per phase"
    )
    print(
        f"Visitor alone:    {len(alone)} requests, p50 {p50a * 1000:.0f} ms, "
        f"p99 {p99a * 1000:.0f} ms"
    )
    print(
        f"Visitor attacked: {len(attacked)} requests, p50 {p50b * 1000:.0f} ms, "
        f"p99 {p99b * 1000:.0f} ms, max {max(attacked) * 1000:.0f} ms"
    )
    print(f"Ratios attacked/alone: p50 {p50b / p50a:.2f}, p99 {p99b / p99a:.2f}")
    print(f"Visitor statuses: {dict(statuses)}")
    held = attackers_all.held
    if held:
        print(
            f"Attackers: {dict(attackers_all.answers)}; held median "
            f"{statistics.median(held):.1f} s, max {max(held):.1f} s"
        )
    if args.markdown:
        verdict = "PASS" if p99b < 1 else "FAIL"
        print(
            f"| {setup} | {p50a * 1000:.0f} / {p99a * 1000:.0f} ms | "
            f"{p50b * 1000:.0f} / {p99b * 1000:.0f} ms | {p50b / p50a:.2f} / {p99b / p99a:.2f} | "
            f"{verdict} |"
        )


if __name__ == "__main__":
    main()
