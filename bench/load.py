"""Load benchmarks against the real server, each compared with a baseline in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tinhso_bench .venv/bin/python bench/load.py

Needs a database filled by ``bench/generate.py`` and ``wrk`` (``apt-get install -y wrk``). Starts
the server the way ``make demo`` does (granian WSGI with WEB_WORKERS/WEB_THREADS, the task worker
beside it, DEBUG off) with ``DJANGO_SETTINGS_MODULE=bench.settings``, which adds the baseline
views of ``bench/baselines.py`` at /bench/ to the product's URLs, then measures with wrk, alternating baseline and real runs so that the machine's noise hits both:

  a. online submission (POST /api/v1/dossiers/, multipart, token, Idempotency-Key) vs a view that
     only inserts the same dossier, event and file rows;
  b. tracking by code (GET /api/v1/tracking/{code}/ and /tra-cuu/?code=) vs one indexed SELECT;
  c. the work queue /office/ of officers of the biggest agency and of the provincial desk;
  d. the agency's monthly statistics (selector in-process, and the /office/stats/ page).

Prints the table and writes it to bench/RESULTS.md. Rows written during the run (the dossiers
submitted, their files) are removed afterwards so that runs can be repeated on the same data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
WRK_DIR = BENCH / "wrk"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhso.settings")

# DRF's throttles keep the timestamps of every request within the period in one cached list, so
# a per-minute limit high enough for one load generator makes that list (pickled on every
# request) tens of thousands long: give DRF a per-second limit. TRACKING_RATE_LIMIT is a
# fixed-window counter (tinhso.core.ratelimit), whose cost does not grow with the limit.
RATE_ENV = {
    "RATE_TRACKING": "1000000/s",
    "RATE_SUBMISSION": "1000000/s",
    "RATE_ANON": "1000000/s",
    "TRACKING_RATE_LIMIT": "1000000/m",
}
BOUNDARY = "----tinhsobench7c1e"
OFFICERS: dict[str, str] = {}  # role in the bench -> username, set by prepare()
TOKENS = 64  # citizens who submit through the API, each with a token issued by prepare()
TOKEN_NAME = "bench load run"
LOAD: dict[str, float] = {}  # the machine's 1-minute load average before and after the run


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sample_pdf() -> bytes:
    """A small valid PDF (what upload_check accepts)."""
    text = b"BT /F1 12 Tf 72 720 Td (Don de nghi - bench) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    # Some size, as a comment after the header (nothing may follow the last startxref).
    out = bytearray(b"%PDF-1.4\n% padding " + b"x" * 2000 + b"\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]) -> bytes:
    body = bytearray()
    for name, value in fields:
        body += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        body += value.encode() + b"\r\n"
    for name, filename, content in files:
        body += (
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name="
            f'"{name}"; filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        body += content + b"\r\n"
    body += f"--{BOUNDARY}--\r\n".encode()
    return bytes(body)


# --- preparing -----------------------------------------------------------------------------------
def prepare(args) -> dict:
    """Codes, tokens, the submission body and signed-in sessions, as files for wrk."""
    from base import BIG_AGENCY_CODE, CENTER_CODE
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tinhso.accounts.models import ApiToken, User
    from tinhso.accounts.services import PASSWORD_BACKEND
    from tinhso.accounts.tokens import token_issue
    from tinhso.catalog.models import Procedure
    from tinhso.dossiers.models import Dossier

    OUT.mkdir(exist_ok=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code FROM dossiers_dossier TABLESAMPLE SYSTEM (5) REPEATABLE (7) LIMIT 20000"
        )
        codes = [row[0] for row in cursor.fetchall()]
    if len(codes) < 1000:
        sys.exit("The database has too few dossiers: run bench/generate.py first.")
    (OUT / "codes.txt").write_text("\n".join(codes) + "\n")
    # Keys are stored hashed: each run issues its own tokens (cleanup() deletes them).
    citizens = User.objects.filter(username__startswith="bench_citizen_").order_by("username")
    keys = [
        token_issue(user=user, actor=user, name=TOKEN_NAME, kind=ApiToken.Kind.PERSONAL)[1]
        for user in citizens[:TOKENS]
    ]
    (OUT / "tokens.txt").write_text("\n".join(keys) + "\n")
    # A procedure of the biggest agency with a single required document, submitted online.
    procedure = next(
        p
        for p in Procedure.objects.filter(
            agency__code=BIG_AGENCY_CODE, current_version__isnull=False, online_level="full"
        ).order_by("code")
        if len([d for d in p.current_version.documents if d["required"]]) == 1
    )
    document = procedure.current_version.documents[0]
    body = multipart(
        [
            ("procedure", procedure.code),
            ("applicant_kind", "citizen"),
            ("applicant_name", "Nguyễn Văn Bench"),
            ("applicant_phone", "0912345678"),
            ("summary", "Đề nghị điều chỉnh thông tin"),
            ("delivery", "desk"),
            ("document_ids", str(document["id"])),
        ],
        [("documents", "don-de-nghi.pdf", sample_pdf())],
    )
    (OUT / "submit-body.bin").write_bytes(body)

    def session_for(username: str) -> str:
        user = User.objects.get(username=username)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = PASSWORD_BACKEND
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        # Officers' sessions have given the second factor (their bench authenticator).
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    suffix = BIG_AGENCY_CODE.split(".")[2]
    OFFICERS.update(
        specialist=f"bench_d{suffix}_specialist",
        leader=f"bench_d{suffix}_agency_leader",
        desk_clerk="bench_center_clerk",
    )
    return {
        "procedure": procedure.code,
        "max_dossier_id": Dossier.objects.order_by("-pk").values_list("pk", flat=True).first(),
        "cookies": {name: session_for(username) for name, username in OFFICERS.items()},
        "big_agency": BIG_AGENCY_CODE,
        "center": CENTER_CODE,
        "codes": len(codes),
        "tokens": len(keys),
    }


def cleanup(max_dossier_id: int) -> int:
    """Remove what the run wrote: its dossiers (with their events, files, keys) and sessions."""
    from django.contrib.sessions.models import Session

    from tinhso.accounts.models import ApiToken
    from tinhso.dossiers.models import Dossier

    deleted = Dossier.objects.filter(pk__gt=max_dossier_id).count()
    Dossier.objects.filter(pk__gt=max_dossier_id).delete()
    ApiToken.objects.filter(name=TOKEN_NAME).delete()
    Session.objects.filter(expire_date__lt=time_now()).delete()
    shutil.rmtree(OUT / "media", ignore_errors=True)
    return deleted


def tasks_drain(timeout: float = 120) -> float:
    """Wait for the task worker to finish what the submissions queued, so that its work does not
    land on the next scenario; return the seconds waited."""
    from django.db import connection

    start = time.monotonic()
    while time.monotonic() - start < timeout:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                "WHERE status IN ('READY', 'RUNNING')"
            )
            if cursor.fetchone()[0] == 0:
                break
        time.sleep(1)
    connection.close()
    return time.monotonic() - start


def time_now():
    from django.utils import timezone

    return timezone.now()


# --- the server ----------------------------------------------------------------------------------
class Server:
    """granian + the task worker, as scripts/serve.sh starts them."""

    def __init__(self, port: int, workers: int, threads: int):
        self.port = port
        self.env = {
            **os.environ,
            **RATE_ENV,
            # The product's settings plus the baselines at /bench/; `bench` is imported from ROOT.
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(ROOT), str(ROOT / "src"), os.environ.get("PYTHONPATH")])
            ),
            "DEBUG": "0",
            "STATIC_MANIFEST": "0",
            "MEDIA_ROOT": str(OUT / "media"),
        }
        self.command = [
            str(ROOT / ".venv/bin/granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--static-path-route",
            "/static",
            "--static-path-mount",
            "var/static",
            "tinhso.wsgi:application",
        ]
        self.worker_command = [
            str(ROOT / ".venv/bin/python"),
            "manage.py",
            "run_worker",
            "--queue-name",
            "*",
        ]
        self.processes: list[subprocess.Popen] = []

    def start(self, probe: str) -> None:
        log = open(OUT / "server.log", "w")  # noqa: SIM115 - closed with the process
        for command in (self.worker_command, self.command):
            self.processes.append(
                subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{probe}", timeout=5):
                    return
            except OSError:
                time.sleep(0.5)
        self.stop()
        sys.exit(f"The server did not answer {probe}; see {OUT / 'server.log'}")

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.processes = []


# --- wrk -----------------------------------------------------------------------------------------
def wrk(url: str, *, script: str, connections: int, duration: int, threads: int, env: dict):
    command = [
        "wrk",
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_DIR / script),
        url,
    ]
    result = subprocess.run(
        command,
        env={**os.environ, "WRK_DIR": str(WRK_DIR), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("JSON "))
    data = json.loads(line[5:])
    data["rate"] = data["requests"] / (data["duration_us"] / 1e6)
    data["command"] = " ".join(command)
    return data


def combine(runs: list[dict]) -> dict:
    requests = sum(r["requests"] for r in runs)
    seconds = sum(r["duration_us"] for r in runs) / 1e6
    return {
        "rate": requests / seconds,
        "requests": requests,
        "non2xx": sum(r["non2xx"] for r in runs),
        "socket_errors": sum(r["socket_errors"] for r in runs),
        # The worst round: a target must hold in every round.
        "p95_ms": max(r["p95_us"] for r in runs) / 1000,
        "p99_ms": max(r["p99_us"] for r in runs) / 1000,
        "p50_ms": statistics.median(r["p50_us"] for r in runs) / 1000,
    }


def compare(base_url, variants, *, rounds, **kwargs) -> dict:
    """Alternate the baseline and each variant ``rounds`` times; combine each side's runs."""
    runs: dict[str, list] = {"baseline": [], **{name: [] for name in variants}}
    for _ in range(rounds):
        runs["baseline"].append(wrk(base_url(), **kwargs_for(kwargs, "baseline")))
        for name, url in variants.items():
            runs[name].append(wrk(url(), **kwargs_for(kwargs, name)))
    return {name: combine(items) for name, items in runs.items()}


def kwargs_for(kwargs: dict, name: str) -> dict:
    result = dict(kwargs)
    result["env"] = {**kwargs.get("env", {}), "RUN_ID": f"{name}-{uuid.uuid4().hex[:12]}"}
    return result


# --- statistics in-process -----------------------------------------------------------------------
def time_statistics(username: str, repeat: int = 7) -> dict:
    from django.utils import timezone

    from tinhso.accounts.models import User
    from tinhso.office.selectors import statistics_dossiers

    user = User.objects.get(username=username)
    year = timezone.localdate().year
    statistics_dossiers(user, year=year)  # warm the caches, as a running server would be
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        statistics_dossiers(user, year=year)
        timings.append((time.perf_counter() - start) * 1000)
    return {"median_ms": statistics.median(timings), "max_ms": max(timings)}


def time_page(username: str, path: str, repeat: int = 30) -> dict:
    """The page's own cost, one request at a time through the whole stack (no HTTP server)."""
    from django.test import Client

    from tinhso.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    for _ in range(3):
        client.get(path)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    timings.sort()
    return {"median_ms": statistics.median(timings), "p95_ms": timings[int(0.95 * len(timings))]}


# --- report --------------------------------------------------------------------------------------
def git_commit() -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return commit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="baseline/real alternations")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", 2)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", 2)))
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument(
        "--only", default="submit,track,office,stats", help="comma-separated scenarios"
    )
    parser.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    args = parser.parse_args()
    only = set(args.only.split(","))
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to the PostgreSQL database filled by bench/generate.py.")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")

    import django

    django.setup()
    from django.db import connection

    started = dt.datetime.now(dt.UTC)
    LOAD["before"] = os.getloadavg()[0]
    info = prepare(args)
    connection.close()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = Server(port, args.workers, args.threads)
    first_code = (OUT / "codes.txt").read_text().split("\n", 1)[0]
    server.start(f"/bench/track/{first_code}/")
    common = {"duration": args.duration, "threads": args.wrk_threads}
    track_env = {"CODES": str(OUT / "codes.txt")}
    submit_env = {
        "TOKENS": str(OUT / "tokens.txt"),
        "BODY": str(OUT / "submit-body.bin"),
        "BOUNDARY": BOUNDARY,
    }
    results: list[dict] = []
    raw: dict = {}
    try:
        # Warm every endpoint (imports, connections, caches) before measuring.
        for path_fmt in ("/bench/track/%s/", "/api/v1/tracking/%s/", "/tra-cuu/?code=%s"):
            wrk(
                base + "/",
                script="track.lua",
                connections=8,
                duration=2,
                threads=2,
                env={**track_env, "PATH_FMT": path_fmt},
            )
        if "submit" in only:
            runs = compare(
                lambda: base + "/bench/submit/",
                {"api": lambda: base + "/api/v1/dossiers/"},
                rounds=args.rounds,
                script="submit.lua",
                connections=8,
                env=submit_env,
                **common,
            )
            raw["submit"] = runs
            raw["submit"]["tasks_drained_s"] = tasks_drain()
            ratio = runs["api"]["rate"] / runs["baseline"]["rate"]
            results.append(
                row(
                    "a. Online submission, POST /api/v1/dossiers/ (8 conn.)",
                    f"{runs['api']['rate']:.0f} req/s vs baseline {runs['baseline']['rate']:.0f}"
                    f" = {ratio:.0%}; p99 {runs['api']['p99_ms']:.0f} ms",
                    "≥ 50% of baseline",
                    ratio >= 0.5,
                    runs,
                )
            )
        if "track" in only:
            paths = {
                "baseline": "/bench/track/%s/",
                "api": "/api/v1/tracking/%s/",
                "portal": "/tra-cuu/?code=%s",
            }
            runs = {name: [] for name in paths}
            for _ in range(args.rounds):
                for name, path_fmt in paths.items():
                    runs[name].append(
                        wrk(
                            base + "/",
                            script="track.lua",
                            connections=32,
                            env={**track_env, "PATH_FMT": path_fmt},
                            **common,
                        )
                    )
            runs = {name: combine(items) for name, items in runs.items()}
            raw["track"] = runs
            for name, label in (
                ("api", "b. Tracking, GET /api/v1/tracking/{code}/ (32 conn.)"),
                ("portal", "b. Tracking, portal /tra-cuu/?code= (32 conn.)"),
            ):
                ratio = runs[name]["rate"] / runs["baseline"]["rate"]
                results.append(
                    row(
                        label,
                        f"{runs[name]['rate']:.0f} req/s vs baseline "
                        f"{runs['baseline']['rate']:.0f} = {ratio:.0%}; "
                        f"p99 {runs[name]['p99_ms']:.1f} ms",
                        "≥ 50% of baseline, p99 < 50 ms",
                        ratio >= 0.5 and runs[name]["p99_ms"] < 50,
                        {name: runs[name], "baseline": runs["baseline"]},
                    )
                )
        if "office" in only:
            for who, label in (
                ("specialist", f"specialist of the biggest agency ({info['big_agency']})"),
                ("desk_clerk", f"clerk of the provincial desk ({info['center']})"),
            ):
                runs = combine(
                    [
                        wrk(
                            base + "/office/",
                            script="get.lua",
                            connections=4,
                            env={"COOKIE": info["cookies"][who]},
                            **common,
                        )
                        for _ in range(args.rounds)
                    ]
                )
                raw[f"office_{who}"] = runs
                runs["in_process"] = time_page(OFFICERS[who], "/office/")
                results.append(
                    row(
                        f"c. Work queue /office/, {label} (4 conn.)",
                        f"p95 {runs['p95_ms']:.0f} ms (p50 {runs['p50_ms']:.0f}; "
                        f"{runs['rate']:.0f} req/s); alone in-process: median "
                        f"{runs['in_process']['median_ms']:.0f}, p95 "
                        f"{runs['in_process']['p95_ms']:.0f} ms",
                        "p95 < 150 ms",
                        runs["p95_ms"] < 150,
                        runs,
                    )
                )
        if "stats" in only:
            suffix = info["big_agency"].split(".")[2]
            timing = time_statistics(f"bench_d{suffix}_agency_leader")
            raw["stats_selector"] = timing
            results.append(
                row(
                    "d. Monthly statistics selector, leader of the biggest agency (in-process)",
                    f"median {timing['median_ms']:.0f} ms, max {timing['max_ms']:.0f} ms",
                    "< 300 ms",
                    timing["max_ms"] < 300,
                    timing,
                )
            )
            runs = combine(
                [
                    wrk(
                        base + "/office/stats/",
                        script="get.lua",
                        connections=1,
                        env={"COOKIE": info["cookies"]["leader"]},
                        **common,
                    )
                ]
            )
            raw["stats_page"] = runs
            results.append(
                row(
                    "d. Statistics page /office/stats/, same leader (1 conn.; the view caches it for minutes)",
                    f"p95 {runs['p95_ms']:.0f} ms (p50 {runs['p50_ms']:.0f})",
                    "< 300 ms",
                    runs["p95_ms"] < 300,
                    runs,
                )
            )
    finally:
        server.stop()
        removed = cleanup(info["max_dossier_id"] or 0)
    report(args, info, results, raw, started, removed)


def row(name, measured, target, ok, runs) -> dict:
    bad = 0
    sides = runs.values() if isinstance(runs, dict) and "rate" not in runs else [runs]
    for side in sides:
        if isinstance(side, dict) and (side.get("non2xx") or side.get("socket_errors")):
            bad += side.get("non2xx", 0) + side.get("socket_errors", 0)
    verdict = ("PASS" if ok else "FAIL") + (f" (!{bad} errors)" if bad else "")
    return {"name": name, "measured": measured, "target": target, "verdict": verdict}


def report(args, info, results, raw, started, removed) -> None:
    LOAD["after"] = os.getloadavg()[0]
    width = max(len(r["name"]) for r in results) if results else 10
    lines = [f"{'Scenario':<{width}}  {'Measured':<58}  {'Target':<30}  Result"]
    for r in results:
        lines.append(
            f"{r['name']:<{width}}  {r['measured']:<58}  {r['target']:<30}  {r['verdict']}"
        )
    print("\n".join(lines))
    print(f"(removed the {removed} dossiers written during the run)")
    (OUT / "results.json").write_text(json.dumps({"info": info, "raw": raw}, indent=1))
    if args.no_write:
        return
    argv = " ".join(sys.argv[1:])
    table = [
        "| Scenario | Measured | Target | Result |",
        "|---|---|---|---|",
        *(f"| {r['name']} | {r['measured']} | {r['target']} | {r['verdict']} |" for r in results),
    ]
    text = f"""# Benchmark results

Date: {started:%Y-%m-%d %H:%M} UTC · commit `{git_commit()}` · machine: {os.cpu_count()} cores,
shared (load average {LOAD["before"]:.1f} before the run, {LOAD["after"]:.1f} after; speeds are
ratios to a baseline measured in the same command, alternating {args.rounds} × {args.duration} s
runs).

Data: {info["codes"]:,} dossier codes sampled from the generated database; the API submits
`{info["procedure"]}` with one PDF as {info["tokens"]} citizens with tokens. Server: granian WSGI,
{args.workers} workers × {args.threads} threads, DEBUG off, task worker running, rate limits
raised through RATE_TRACKING / RATE_SUBMISSION / RATE_ANON / TRACKING_RATE_LIMIT.

{chr(10).join(table)}

Baselines (`bench/baselines.py`, mounted at /bench/ by `bench.settings`): submission =
the same inserts as a real submission by plain ORM create with no checks (token lookup, the day's
counter, dossier, event, file row with the file in storage, audit row, Idempotency-Key row;
until 2026-11-29 also a notification task row, which submissions no longer write); tracking = one indexed SELECT by code returned as JSON. p95/p99 are the
worst round's.

## Commands

```sh
apt-get install -y wrk
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/tinhso_bench
.venv/bin/python bench/generate.py --dossiers 1000000
.venv/bin/python bench/load.py {argv}
```
"""
    notes = BENCH / "NOTES.md"
    if notes.exists():
        text += "\n" + notes.read_text()
    (BENCH / "RESULTS.md").write_text(text)
    print(f"wrote {BENCH / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
