"""Profile one URL in-process through the whole Django stack (middleware included).

    DATABASE_URL=… .venv/bin/python bench/profile_view.py /api/v1/tracking/{code}/ -n 300
    DATABASE_URL=… .venv/bin/python bench/profile_view.py /office/ --user bench_d03_specialist

``{code}`` is replaced by a random dossier code for every request. Prints the mean time per request,
the number of SQL queries and the cProfile functions with the most cumulative time.
"""

import argparse
import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhso.settings")
for name in ("RATE_TRACKING", "RATE_SUBMISSION", "RATE_ANON", "TRACKING_RATE_LIMIT"):
    os.environ.setdefault(name, "1000000/m" if name == "TRACKING_RATE_LIMIT" else "1000000/s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--user", help="sign in as this username first")
    parser.add_argument("--post", help="POST this multipart body file (bench/out/submit-body.bin)")
    parser.add_argument("--token", action="store_true", help="authenticate with a bench token")
    parser.add_argument("--top", type=int, default=35, help="0: time only, no profiler")
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tinhso.accounts.models import User
    from tinhso.dossiers.models import Dossier
    from tinhso.testing.otp import VerifiedClient

    client = VerifiedClient()  # an officer's session also gives the second factor
    if args.user:
        client.force_login(User.objects.get(username=args.user))
    codes = list(Dossier.objects.order_by("?").values_list("code", flat=True)[:2000])

    extra = {}
    if args.token:
        from tinhso.accounts.tokens import token_issue

        user = User.objects.filter(username__startswith="bench_citizen_").first()
        _token, key = token_issue(user=user, actor=user, name="bench profile_view")
        extra["HTTP_AUTHORIZATION"] = f"Token {key}"
    body = Path(args.post).read_bytes() if args.post else None
    counter = iter(range(10**9))

    def once():
        path = args.path.replace("{code}", random.choice(codes))
        if body is None:
            response = client.get(path, **extra)
        else:
            response = client.generic(
                "POST",
                path,
                body,
                content_type="multipart/form-data; boundary=----tinhsobench7c1e",
                HTTP_IDEMPOTENCY_KEY=f"profile-{time.time()}-{next(counter)}",
                **extra,
            )
        assert response.status_code in (200, 201), (response.status_code, response.content[:500])

    for _ in range(5):
        once()
    with CaptureQueriesContext(connection) as queries:
        once()
    for query in queries.captured_queries:
        print(f"{query['time']:>6} {query['sql'][:400]}")
    profiler = cProfile.Profile()
    start = time.perf_counter()
    if args.top:
        profiler.enable()
    for _ in range(args.n):
        once()
    profiler.disable()
    elapsed = time.perf_counter() - start
    print(f"{args.path}: {elapsed / args.n * 1000:.2f} ms/request, {len(queries)} queries")
    if args.top:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
