"""System checks that stop a server that would be unsafe to start.

The public default ``SECRET_KEY`` signs sessions, device cookies and password-reset state that
anyone could then forge; ``DEMO_MODE`` shows every code sent on the next page. Neither may run
where people other than the operator can reach the site.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver"}


def _public_hosts() -> list[str]:
    """The host names in ``ALLOWED_HOSTS`` that are not this machine (``*`` is public)."""
    return [host for host in settings.ALLOWED_HOSTS if host not in LOCAL_HOSTS]


@register()
def secret_key_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """tinhso.E001: the public default ``SECRET_KEY`` on a site served to other hosts (not
    ``DEBUG``); tinhso.E002: ``DEMO_MODE`` there. Run by every ``manage.py`` command that
    checks (``runserver``, ``migrate``, ``check --deploy``) and by the test below."""
    if settings.DEBUG or not _public_hosts():
        return []
    errors = []
    if settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY:
        errors.append(
            Error(
                "SECRET_KEY is the public default while ALLOWED_HOSTS names other hosts.",
                hint="Set SECRET_KEY (or SECRET_KEY_FILE) to a long random value.",
                id="tinhso.E001",
            )
        )
    if settings.DEMO_MODE or settings.NOTIFY_DEMO_IN_PAGE:
        errors.append(
            Error(
                "DEMO_MODE (or NOTIFY_DEMO_IN_PAGE) shows every code sent on the next page, "
                "while ALLOWED_HOSTS names other hosts.",
                hint="Unset DEMO_MODE and NOTIFY_DEMO_IN_PAGE outside a local demo.",
                id="tinhso.E002",
            )
        )
    return errors
