"""Password guessing against a running server: how many guesses each way in lets through, per
account and per client address (issue 6). Not a test; bounded in time and requests; it only
talks to the server given, which must be on this machine (loopback).

    # a server with 2 workers, as `make demo` runs it
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tinhso_bf .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python bench/bruteforce.py --prepare
    DATABASE_URL=... PORT=8071 WEB_WORKERS=2 scripts/serve.sh &
    .venv/bin/python bench/bruteforce.py --url http://127.0.0.1:8071 --seconds 60

Two attacks, each guess with a forged, random ``X-Forwarded-For``, rotating the ways in: the
portal's sign-in form, the admin's (``/admin/login/`` sends it to the same form, with
``next=/admin/``) and the API's ``POST /api/v1/auth/token/``:

- ``account``: every guess at the same account (the administrator made by ``--prepare``, named
  by its user name, its phone in two notations and its e-mail in capitals), each from another
  loopback source address (127.0.1.x): the per-account limit;
- ``address``: every guess at another (unknown) account, all from 127.0.0.1: the per-address
  limit.

A guess is *checked* when the server compared the password (axes records it; the run reads
the server's database, so give it the server's ``DATABASE_URL``) and *refused* when it answered
429 without checking. The figures are checked guesses per minute in the run and sustained over
the cool-off (``SIGNIN_COOLOFF_MINUTES``, 15 by default): a longer run only adds refusals until
the cool-off ends.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import sys
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VICTIM = {"username": "bench-admin", "phone": "0900999990", "email": "bench-admin@example.vn"}
PASSWORD = "bench-Bruteforce-12345"  # noqa: S105
MAX_REQUESTS = 20_000


def django_setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhso.settings")
    import django

    django.setup()


class Recorded:
    """Wrong passwords the server checked, as the limiter recorded them (a refused guess is not
    recorded), read from the server's database (the same DATABASE_URL). Axes keeps one row per
    account, address and browser, and deletes rows older than the cool-off: polled often, the
    largest count seen of each row adds up to every failure recorded."""

    def __init__(self) -> None:
        self.seen: dict[int, int] = {}
        self.poll()
        self.before = sum(self.seen.values())

    def poll(self) -> None:
        from axes.models import AccessAttempt

        rows = AccessAttempt.objects.filter(ip_address__startswith="127.")
        for pk, failures in rows.values_list("pk", "failures_since_start"):
            self.seen[pk] = max(failures, self.seen.get(pk, 0))

    def checked(self) -> int:
        self.poll()
        return sum(self.seen.values()) - self.before


def prepare() -> None:
    """The account to attack: a staff administrator with a phone and an e-mail."""
    django_setup()
    from tinhso.accounts.models import User

    user, _created = User.objects.update_or_create(
        username=VICTIM["username"],
        defaults={
            "phone": VICTIM["phone"],
            "email": VICTIM["email"],
            "is_staff": True,
            "is_superuser": True,
        },
    )
    user.set_password(PASSWORD)
    user.save()
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()  # start from no counts
    print(f"prepared {VICTIM['username']} and emptied the sign-in counts")


def forged() -> str:
    return ".".join(str(random.randrange(1, 255)) for _ in range(4))


class Client:
    """One HTTP connection per request from a chosen loopback source address."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        assert self.host in {"127.0.0.1", "localhost", "::1"}, "only a server on this machine"

    def request(self, source, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=30, source_address=(source, 0)
        )
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            cookies = "; ".join(response.headers.get_all("Set-Cookie") or [])
            return response.status, cookies, response.read().decode()
        finally:
            connection.close()

    def form_guess(self, source: str, login: str, next_url: str = "") -> int:
        xff = forged()
        status, cookies, html = self.request(
            source, "GET", "/accounts/dang-nhap/", headers={"X-Forwarded-For": xff}
        )
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        cookie = re.search(r"csrftoken=([^;]+)", cookies)
        assert status == 200 and token and cookie, f"no sign-in form ({status})"
        fields = {
            "csrfmiddlewaretoken": token.group(1),
            "login": login,
            "password": f"guess-{random.randrange(10**9)}",
        }
        if next_url:
            fields["next"] = next_url
        status, _cookies, _html = self.request(
            source,
            "POST",
            "/accounts/dang-nhap/",
            body=urllib.parse.urlencode(fields),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie.group(1)}",
                "X-Forwarded-For": forged(),
            },
        )
        return status

    def api_guess(self, source: str, login: str) -> int:
        body = json.dumps({"username": login, "password": f"guess-{random.randrange(10**9)}"})
        status, _cookies, text = self.request(
            source,
            "POST",
            "/api/v1/auth/token/",
            body=body,
            headers={
                "Content-Type": "application/json",
                "Accept-Language": "en",
                "X-Forwarded-For": forged(),
            },
        )
        if status == 429 and "failed sign-ins" not in text:
            return 4290  # DRF's own per-address throttle, not the sign-in limiter
        return status


WAYS = ("portal", "admin", "api")


def attack(client: Client, kind: str, seconds: float, cooloff: float, limit: int) -> dict:
    """Guess for ``seconds`` (at most ``limit`` guesses); count answers per way in."""
    recorded = Recorded()
    logins = [VICTIM["username"], "0900 999 990", "+84900999990", VICTIM["email"].upper()]
    counts: dict[str, Counter] = {way: Counter() for way in WAYS}
    started = time.monotonic()
    n = 0
    while time.monotonic() - started < seconds and n < limit:
        way = WAYS[n % len(WAYS)]
        if kind == "account":
            source, login = f"127.0.1.{n % 250 + 1}", logins[n % len(logins)]
        else:
            source, login = "127.0.0.1", f"09{random.randrange(10**7, 10**8)}"
        if way == "api":
            status = client.api_guess(source, login)
        else:
            status = client.form_guess(source, login, "/admin/" if way == "admin" else "")
        counts[way][status] += 1
        n += 1
        if n % 10 == 0:
            recorded.poll()
    elapsed = time.monotonic() - started
    # The guess that reaches a limit is checked (wrong) and answered 429 with the lock.
    checked = recorded.checked()
    return {
        "kind": kind,
        "seconds": round(elapsed, 1),
        "guesses": n,
        "passwords_checked": checked,
        "answered_wrong_password": sum(c[200] + c[400] for c in counts.values()),
        "answered_429_by_the_limiter": sum(c[429] for c in counts.values()),
        "answered_429_by_drf_throttle": sum(c[4290] for c in counts.values()),
        "signed_in": sum(c[302] for c in counts.values()),
        "checked_per_minute_in_the_run": round(checked / (elapsed / 60), 2),
        # The limits hold per cool-off: what a patient attacker gets in the long run.
        "checked_per_minute_sustained": round(checked / max(cooloff, elapsed / 60), 2),
        "per_way": {way: dict(c) for way, c in counts.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8071")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--prepare", action="store_true", help="make the account, then stop")
    parser.add_argument("--only", choices=["account", "address"])
    parser.add_argument("--requests", type=int, default=2000, help="at most this many guesses")
    args = parser.parse_args()
    if args.prepare:
        prepare()
        return
    django_setup()  # to read what the limiter recorded, and the cool-off
    from django.conf import settings

    client = Client(args.url)
    for kind in [args.only] if args.only else ["account", "address"]:
        result = attack(
            client,
            kind,
            min(args.seconds, 600),
            settings.SIGNIN_COOLOFF_MINUTES,
            min(args.requests, MAX_REQUESTS),
        )
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
