"""A server for other hosts refuses to start with the public SECRET_KEY or with DEMO_MODE, and
the demo's in-page codes depend on DEMO_MODE only, never on which SECRET_KEY is set."""

import runpy
from pathlib import Path

import pytest
from django.core import checks

from tinhso.core.checks import secret_key_check

ROOT = Path(__file__).resolve().parents[4]


def _ids() -> set[str | None]:
    # The check alone: running every check (URLs, templates…) leaves state other tests see.
    assert secret_key_check in checks.registry.registry.get_checks()
    return {message.id for message in secret_key_check() if message.is_serious()}


def test_the_public_secret_key_stops_a_public_site(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEFAULT_SECRET_KEY
    settings.DEMO_MODE = settings.NOTIFY_DEMO_IN_PAGE = False
    settings.ALLOWED_HOSTS = ["localhost", "dichvucong.cantho.gov.vn"]
    assert "tinhso.E001" in _ids()
    settings.SECRET_KEY = "a-real-random-key-" + "x" * 40
    assert "tinhso.E001" not in _ids()
    settings.DEMO_MODE = True
    assert "tinhso.E002" in _ids()


@pytest.mark.parametrize("hosts", [["127.0.0.1", "localhost", "[::1]", "testserver"]])
def test_the_local_demo_starts_with_nothing_configured(settings, hosts):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEFAULT_SECRET_KEY
    settings.DEMO_MODE = settings.NOTIFY_DEMO_IN_PAGE = True
    settings.ALLOWED_HOSTS = hosts
    assert not {"tinhso.E001", "tinhso.E002"} & _ids()


def _setting(monkeypatch, name: str, **env: str):
    """``name`` as ``tinhso/settings.py`` computes it from ``env`` (run in a fresh namespace,
    not the settings in use)."""
    with monkeypatch.context() as patch:
        for key in ("SECRET_KEY", "DEMO_MODE", "NOTIFY_DEMO_IN_PAGE"):
            patch.delenv(key, raising=False)
        for key, value in env.items():
            patch.setenv(key, value)
        return runpy.run_path(str(ROOT / "src/tinhso/settings.py"))[name]


def test_the_in_page_codes_follow_demo_mode_not_the_secret_key(monkeypatch):
    assert _setting(monkeypatch, "NOTIFY_DEMO_IN_PAGE") is False  # the public key alone: no
    assert _setting(monkeypatch, "NOTIFY_DEMO_IN_PAGE", DEMO_MODE="1") is True
    assert _setting(monkeypatch, "NOTIFY_DEMO_IN_PAGE", DEMO_MODE="1", SECRET_KEY="k" * 50)


def test_make_demo_turns_demo_mode_on():
    makefile = (ROOT / "Makefile").read_text()
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "DEMO_MODE=1" in demo and "scripts/serve.sh" in demo
