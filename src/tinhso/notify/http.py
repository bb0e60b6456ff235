"""The one place notification plugins speak HTTP (stdlib ``urllib``: no extra dependency).

Tests replace ``urlopen`` here with recorded gateway answers, so the plugins themselves run
unchanged and no test touches the network.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen


class HttpError(Exception):
    """The gateway could not be reached or did not answer JSON."""


def post_json(
    url: str, payload: dict[str, Any], *, headers: dict[str, str] | None = None, timeout: int = 15
) -> dict[str, Any]:
    """POST ``payload`` as JSON and return the decoded JSON answer (also of a 4xx/5xx answer,
    which gateways use for their error codes)."""
    if not url.startswith("https://") and not url.startswith("http://"):
        raise HttpError("Only http(s) gateway URLs are allowed.")
    request = Request(  # noqa: S310  (the scheme is checked above)
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"}
        | (headers or {}),
        method="POST",
    )
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read()
    except HTTPError as error:
        raw = error.read() or b""
        if not raw:
            raise HttpError(f"HTTP {error.code} with an empty answer") from None
    except (URLError, TimeoutError, OSError) as error:
        raise HttpError(f"Gateway unreachable: {error.__class__.__name__}") from None
    try:
        answer = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise HttpError("The gateway did not answer JSON.") from None
    if not isinstance(answer, dict):
        raise HttpError("The gateway answered an unexpected JSON value.")
    return answer
