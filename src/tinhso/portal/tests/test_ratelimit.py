import pytest
import time_machine
from django.http import HttpResponse
from django.test import RequestFactory

from tinhso.core.ratelimit import rate_limit_hit, rate_parse, ratelimit


def test_rate_parse():
    assert rate_parse("30/m") == (30, 60)
    assert rate_parse("5/15m") == (5, 900)
    assert rate_parse("1000/d") == (1000, 86400)
    with pytest.raises(ValueError):
        rate_parse("lots")


def test_rate_limit_counts_per_key():
    assert not any(rate_limit_hit("a", "2/m") for _ in range(2))
    assert rate_limit_hit("a", "2/m")
    assert rate_limit_hit("a", "2/m", increment=False)
    assert not rate_limit_hit("b", "2/m", increment=False)


def test_rate_limit_window_resets():
    with time_machine.travel(1_800_000_000, tick=False) as traveller:
        assert not rate_limit_hit("w", "1/m")
        assert rate_limit_hit("w", "1/m")
        traveller.shift(61)
        assert not rate_limit_hit("w", "1/m")


def test_decorator_answers_429_only_for_the_methods_named():
    @ratelimit(rate="1/m", methods=("POST",))
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()
    assert view(factory.post("/")).status_code == 200
    assert view(factory.post("/")).status_code == 429
    assert view(factory.get("/")).status_code == 200
    assert view(factory.post("/", REMOTE_ADDR="10.9.9.9")).status_code == 200
