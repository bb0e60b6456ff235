"""Delivery reports from the SMS gateways.

Neither eSMS nor SpeedSMS signs its callbacks, so each URL carries a secret token
(``channels.callback_token``), compared in constant time, and the report must name a message id
that gateway gave us. A wrong token answers 403, an unknown message 404; neither changes
anything. Answers are JSON, rate-limited per client address, and never a 500.
"""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tinhso.core.ratelimit import client_ip, rate_limit_hit
from tinhso.notify.channels import callback_token
from tinhso.notify.services import delivery_report_record

logger = logging.getLogger("tinhso.notify")

# eSMS SendStatus: 5 sent to the handset; 4 rejected; 1, 2, 7 still on the way.
ESMS_DELIVERED = {"5"}
ESMS_FAILED = {"4"}


def _answer(status: int, code: str) -> JsonResponse:
    return JsonResponse({"ok": status == 200, "code": code}, status=status)


def _guard(request: HttpRequest, provider: str, token: str) -> JsonResponse | None:
    if rate_limit_hit(request, group="notify-report", rate=settings.NOTIFY_CALLBACK_RATE_LIMIT):
        return _answer(429, "throttled")
    expected = callback_token(provider)
    if not expected:  # no secret to check against (see channels.callback_token)
        return _answer(403, "not_configured")
    if not hmac.compare_digest(token.encode(), expected.encode()):
        logger.warning("Forged %s delivery report from %s", provider, client_ip(request))
        return _answer(403, "forbidden")
    return None


def _record(provider: str, message_id: str, delivered: bool | None, status: str) -> JsonResponse:
    if not message_id or len(message_id) > 64 or "\x00" in message_id + status:
        return _answer(404, "unknown_message")
    try:
        delivery = delivery_report_record(
            backend=provider,
            provider_message_id=message_id,
            delivered=delivered,
            provider_status=status,
        )
    except DatabaseError:  # the gateway retries a report that was not answered 200
        logger.exception("Could not record a %s delivery report", provider)
        return _answer(503, "try_again")
    if delivery is None:
        return _answer(404, "unknown_message")
    return _answer(200, "recorded")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def esms_report(request: HttpRequest, token: str) -> JsonResponse:
    """eSMS calls ``CallbackUrl`` with GET ``SMSID``, ``SendStatus``… (up to 5 retries)."""
    refused = _guard(request, "esms", token)
    if refused:
        return refused
    params = request.GET if request.method == "GET" else request.POST
    status = str(params.get("SendStatus", ""))[:32]
    delivered = True if status in ESMS_DELIVERED else False if status in ESMS_FAILED else None
    return _record("esms", str(params.get("SMSID", "")).strip(), delivered, status)


@csrf_exempt
@require_http_methods(["POST"])
def speedsms_report(request: HttpRequest, token: str) -> JsonResponse:
    """SpeedSMS posts JSON ``{"type": "report", "tranId": …, "phone": …, "status": …}`` to the
    URL set in its dashboard; status 0 is delivered, any other code failed [?: confirm]."""
    refused = _guard(request, "speedsms", token)
    if refused:
        return refused
    try:
        report = json.loads(request.body or b"{}")
    except (UnicodeDecodeError, ValueError, RecursionError):  # deeply nested JSON included
        return _answer(400, "invalid")
    if not isinstance(report, dict) or report.get("type", "report") != "report":
        return _answer(400, "invalid")
    status = str(report.get("status", ""))[:32]
    delivered = None if status == "" else status == "0"
    return _record("speedsms", str(report.get("tranId", "")).strip(), delivered, status)
