"""Rate limits (django-ratelimit) counted in the cache every server process shares."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.test import RequestFactory

from tinhso.core.cache import CounterCache, DatabaseCache
from tinhso.core.ratelimit import rate_limit_hit, ratelimit

pytestmark = pytest.mark.django_db
PROJECT = Path(__file__).resolve().parents[4]


def _request(address="10.0.0.1"):
    return RequestFactory().get("/", REMOTE_ADDR=address)


def test_rate_limit_counts_per_key():
    assert [rate_limit_hit(_request(), group="a", rate="2/m") for _ in range(2)] == [0, 0]
    wait = rate_limit_hit(_request(), group="a", rate="2/m")
    assert 1 <= wait <= 60  # the seconds until the window ends
    assert rate_limit_hit(_request("10.0.0.2"), group="a", rate="2/m") == 0
    assert rate_limit_hit(_request(), group="b", rate="2/m") == 0


def test_rate_limit_window_resets():
    with time_machine.travel(1_800_000_000, tick=False) as traveller:
        assert not rate_limit_hit(_request(), group="w", rate="1/m")
        assert rate_limit_hit(_request(), group="w", rate="1/m")
        traveller.shift(61)
        assert not rate_limit_hit(_request(), group="w", rate="1/m")


def test_decorator_answers_429_only_for_the_methods_named():
    @ratelimit(rate="1/m", methods=("POST",))
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()
    assert view(factory.post("/")).status_code == 200
    limited = view(factory.post("/"))
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert view(factory.get("/")).status_code == 200
    assert view(factory.post("/", REMOTE_ADDR="10.9.9.9")).status_code == 200


def test_the_default_cache_is_shared_when_nothing_is_configured():
    assert "REDIS_URL" not in os.environ or not os.environ["REDIS_URL"]
    assert isinstance(caches["default"], DatabaseCache)


def test_two_cache_clients_count_one_limit():
    """Two processes each open their own cache client on the same store: their hits add up."""
    first, second = caches.create_connection("default"), caches.create_connection("default")
    assert first is not second
    first.add("hits", 0, 60)
    first.incr("hits")
    second.add("hits", 0, 60)  # already there: a no-op
    assert second.incr("hits") == 2
    assert first.get("hits") == 2


def test_incr_keeps_the_expiry():
    """Django's incr() rewrites the entry with the default timeout: a window would move."""
    cache = caches["default"]
    with time_machine.travel(1_800_000_000, tick=False) as traveller:
        cache.add("window", 0, 900)
        traveller.shift(600)
        cache.incr("window")
        traveller.shift(299)
        assert cache.get("window") == 1
        traveller.shift(2)
        assert cache.get("window") is None


def test_the_rate_limits_count_in_their_own_table_when_nothing_is_configured():
    assert settings.RATELIMIT_USE_CACHE == "ratelimit"
    assert isinstance(caches["ratelimit"], CounterCache)


def test_a_counter_is_one_statement_per_hit(django_assert_num_queries, monkeypatch):
    """Issue 7: the pickled cache took a transaction of four statements holding the row lock."""
    cache = caches["ratelimit"]
    monkeypatch.setattr(cache, "PRUNE_ONE_IN", 10**9)  # no pruning in this count
    with django_assert_num_queries(1):
        assert cache.add("hits", 1, 60) is True
    with django_assert_num_queries(1):
        assert cache.add("hits", 1, 60) is False
    with django_assert_num_queries(1):
        assert cache.incr("hits") == 2


def test_a_rate_limit_hit_is_one_statement(django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(caches["ratelimit"], "PRUNE_ONE_IN", 10**9)
    with django_assert_num_queries(1):
        assert rate_limit_hit(_request(), group="one", rate="1/m") == 0
    with django_assert_num_queries(1):
        assert 1 <= rate_limit_hit(_request(), group="one", rate="1/m") <= 60


def test_a_counter_keeps_its_window_and_a_new_window_replaces_an_expired_one():
    cache = caches["ratelimit"]
    with time_machine.travel(1_800_000_000, tick=False) as traveller:
        assert cache.add("window", 1, 900)
        traveller.shift(600)
        assert cache.incr("window", 2) == 3
        traveller.shift(299)
        assert cache.get("window") == 3
        traveller.shift(2)
        assert cache.get("window") is None
        with pytest.raises(ValueError, match="not found"):
            cache.incr("window")
        assert cache.add("window", 1, 60) is True and cache.get("window") == 1
        cache.set("window", 7, 60)
        assert cache.get("window") == 7 and cache.delete("window") and cache.get("x", 0) == 0
    with pytest.raises(TypeError):
        cache.set("text", "abc", 60)


def test_two_counter_clients_count_one_limit():
    first, second = caches.create_connection("ratelimit"), caches.create_connection("ratelimit")
    first.add("hits", 1, 60)
    second.add("hits", 1, 60)  # already there: a no-op
    assert second.incr("hits") == 2 and first.incr("hits") == 3


HITS = """
from django.test import RequestFactory
from tinhso.core.ratelimit import rate_limit_hit
request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")
print(sum(bool(rate_limit_hit(request, group="shared", rate="{rate}")) for _ in range({hits})))
"""


def _environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        TINHSO_VAR_DIR=str(tmp_path / "var"),
        DJANGO_SETTINGS_MODULE="tinhso.settings",
    )
    return env


SHARED_DATABASE_CACHE = pytest.mark.skipif(
    settings.CACHES["default"]["BACKEND"] != "tinhso.core.cache.DatabaseCache",
    reason="REDIS_URL is set: the processes would share Redis, not this database",
)


def _manage(env, *args):
    return [sys.executable, str(PROJECT / "manage.py"), *args]


@SHARED_DATABASE_CACHE
def test_two_server_processes_share_one_count(tmp_path):
    """Two processes (two granian workers) count against one limit: 3 hits each, 5 allowed."""
    env = _environment(tmp_path)
    subprocess.run(_manage(env, "migrate", "-v", "0"), env=env, check=True, timeout=300)
    script = HITS.format(rate="5/h", hits=3)
    refused = [
        subprocess.run(
            _manage(env, "shell", "--no-imports", "-c", script),
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout.strip()
        for _ in range(2)
    ]
    assert refused == ["0", "1"]


@SHARED_DATABASE_CACHE
def test_processes_counting_at_the_same_time_lose_no_hit(tmp_path):
    """40 hits from each of two processes at once against a limit of 50: exactly 30 refused."""
    env = _environment(tmp_path)
    subprocess.run(_manage(env, "migrate", "-v", "0"), env=env, check=True, timeout=300)
    script = HITS.format(rate="50/h", hits=40)
    runs = [
        subprocess.Popen(
            _manage(env, "shell", "--no-imports", "-c", script),
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    refused = sum(int(run.communicate(timeout=120)[0].strip()) for run in runs)
    assert refused == 30


def test_counters_of_past_windows_are_pruned(monkeypatch):
    cache = caches["ratelimit"]
    with time_machine.travel(1_800_000_000, tick=False) as traveller:
        cache.set("old", 1, 60)
        traveller.shift(120)
        monkeypatch.setattr(cache, "PRUNE_ONE_IN", 1)  # every hit prunes
        assert cache.hit("new", 60) == 1
    from tinhso.core.models import RateCounter

    assert list(RateCounter.objects.values_list("key", flat=True)) == [":1:new"]
