"""The bench generator (``bench/generate.py``) writes what the services would: its dossiers go
through the internal process as the law allows (forward before the result step and never at a
deciding step, approve only at a deciding step before the result step, finish only at the result
step and then on to the return desk step), and replaying a sample of their histories through
``tinhso.dossiers.services`` at the same moments, by the same actors, gives the same fields and
the same events. The rows are generated in memory (no COPY, no PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import time
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.catalog.models import Procedure
from tinhso.core.calendar import get_calendar
from tinhso.dossiers import effects, services
from tinhso.dossiers.actions import SPECS, ParamKind
from tinhso.dossiers.constants import Status
from tinhso.dossiers.models import Dossier
from tinhso.testing.files import pdf_upload

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parents[4] / "bench"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _generate(gen_module, base_module, days: int, per_day: int):
    """Dossiers submitted over the last ``days`` days, as ``generate.main`` makes them, parsed
    back from their COPY lines."""
    base_module.base_ensure(citizens=20)
    plans = gen_module.plans_build(base_module.agency_weights())
    citizens = list(
        User.objects.filter(username__startswith="bench_citizen_").values_list("pk", flat=True)
    )
    now_local = timezone.localtime()
    offset = int((now_local.utcoffset() or dt.timedelta()).total_seconds())
    today = now_local.date()
    first = today - dt.timedelta(days=days)
    clock = gen_module.WorkClock(
        first - dt.timedelta(days=10), today + dt.timedelta(days=400), get_calendar(), offset
    )
    now = time.time()
    gen = gen_module.Generator(
        plans=plans, clock=clock, citizens=citizens, now=now, seed=7, first_ids=(1, 1, 1)
    )
    out_d: list[str] = []
    out_e: list[str] = []
    out_f: list[str] = []
    epoch = dt.date(1970, 1, 1).toordinal()
    for offset_days in range(days, -1, -1):
        local_day = (today - dt.timedelta(days=offset_days)).toordinal() - epoch
        until = now if offset_days == 0 else None
        for moment, plan, channel in gen.day_dossiers(local_day, per_day, until):
            gen.dossier(moment, plan, channel, local_day, out_d, out_e, out_f)

    def rows(lines, columns):
        null = gen_module.NULL
        return [
            dict(zip(columns, (None if v == null else v for v in line.split("\t")), strict=True))
            for line in lines
        ]

    dossiers = rows(out_d, gen_module.DOSSIER_COLUMNS)
    events = rows(out_e, gen_module.EVENT_COLUMNS)
    files = rows(out_f, gen_module.FILE_COLUMNS)
    by_dossier: dict[str, list[dict]] = {d["id"]: [] for d in dossiers}
    for event in events:
        event["files"] = []
        by_dossier[event["dossier_id"]].append(event)
    by_id = {event["id"]: event for event in events}
    for file in files:
        by_id[file["event_id"]]["files"].append(file)
    for dossier in dossiers:
        dossier["events"] = by_dossier[dossier["id"]]
    return dossiers, gen.fmt


def _deciding_roles() -> set[int]:
    perm = Permission.objects.get(content_type__app_label="dossiers", codename="approve_dossier")
    return set(perm.group_set.values_list("pk", flat=True))


def _check_law(dossier: dict, steps: list[dict], deciding: set[int]) -> None:
    """Every step-ending action taken where the internal process allows it, no step skipped."""
    result = effects.result_index(steps)
    back = effects.return_index(steps)
    at = 0  # the step the dossier is at (the first, once received)
    for event in dossier["events"]:
        action, data = event["action"], json.loads(event["data"])
        step = int(event["step_index"]) if event["step_index"] is not None else None
        if action == "receive":
            assert step == 0
        elif action in {"forward", "approve"}:
            assert data["from_step"] == at < result and step == at + 1, (action, at)
            assert (steps[at].get("role_id") in deciding) == (action == "approve"), (action, at)
        elif action == "reject":
            assert steps[at].get("role_id") in deciding and at <= result
        elif action == "finish":
            assert at == result, (at, result)
        elif action == "request_supplement":
            assert "document_names" in data and "documents" not in data
        if step is not None:
            at = step
    final = dossier["events"][-1]["action"]
    if final in {"finish", "reject", "return_result"}:
        assert int(dossier["step_index"]) == (back if back is not None else at)
        assert dossier["current_agency_id"] == dossier["receiving_agency_id"]


def _params(event: dict) -> dict:
    data = json.loads(event["data"])
    params = {}
    for param in SPECS[event["action"]].params:
        if param.kind in {ParamKind.REASON, ParamKind.COMMENT}:
            params[param.name] = event["comment"]
        elif param.kind == ParamKind.FILES:
            params[param.name] = [pdf_upload() for _f in event["files"]]
        elif param.kind == ParamKind.OFFICER_NEXT:
            params[param.name] = None  # the generator assigns nobody when it hands on
        elif param.name in data:
            params[param.name] = data[param.name]
    return params


def _replay(generated: dict):
    procedure = Procedure.objects.get(pk=generated["procedure_id"])
    users = {u.pk: u for u in User.objects.filter(pk__in=_actor_ids(generated))}
    channel = int(generated["channel"])
    dossier: Dossier | None = None
    for event in generated["events"]:
        moment = dt.datetime.fromtimestamp(_epoch(event["at"]), dt.UTC)
        actor = users[int(event["actor_id"])]
        with time_machine.travel(moment, tick=False):
            if event["action"] == "submit":
                checklist: list[int] = next(
                    (
                        json.loads(e["data"])["checklist"]
                        for e in generated["events"]
                        if e["action"] == "receive"
                    ),
                    [],
                )
                dossier = services.dossier_submit(
                    procedure=procedure,
                    channel=channel,
                    actor=actor,
                    applicant_name=generated["applicant_name"],
                    applicant_id_number=generated["applicant_id_number"],
                    applicant_phone=generated["applicant_phone"],
                    delivery=generated["delivery"]
                    if generated["status"] != str(Status.RETURNED)
                    else "desk",
                    documents=[
                        (pdf_upload(), {"document_id": int(f["document_id"])})
                        for f in event["files"]
                    ],
                    checklist=checklist,
                )
                continue
            assert dossier is not None
            if event["action"] == "receive" and dossier.status != Status.NEW:
                continue  # received in the same request as the in-person submission
            dossier = services.dossier_act(
                dossier=dossier, action=event["action"], actor=actor, **_params(event)
            )
    assert dossier is not None
    dossier.refresh_from_db()
    return dossier


def _actor_ids(generated: dict) -> set[int]:
    return {int(e["actor_id"]) for e in generated["events"]}


def _epoch(text: str) -> int:
    return int(dt.datetime.fromisoformat(text.replace("+00", "+00:00")).timestamp())


FIELDS = [
    "status",
    "status_before_pause",
    "step_index",
    "current_agency_id",
    "assignee_id",
    "received_at",
    "due_at",
    "step_due_at",
    "paused_at",
    "finished_at",
    "returned_at",
    "closed_at",
    "supplement_count",
    "decision",
    "timeliness",
    "fee_amount",
    "fee_paid_at",
    "version",
    "procedure_version_id",
]


def _text(fmt, value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return fmt.at(value)
    return str(value)


def _sample(dossiers: list[dict]) -> list[dict]:
    """A few of every final status, and of every kind of life (supplement, rejection, channel)."""
    picked: dict[str, dict] = {}

    def take(key, predicate, count=2):
        matches = [d for d in dossiers if predicate(d) and d["id"] not in picked]
        for d in matches[:count]:
            picked[d["id"]] = d

    for status in {d["status"] for d in dossiers}:
        take(f"status {status}", lambda d, s=status: d["status"] == s)
    actions = lambda d: {e["action"] for e in d["events"]}  # noqa: E731
    for action in ("supplement", "request_supplement", "reject", "withdraw", "refuse"):
        take(action, lambda d, a=action: a in actions(d))
    for channel in ("1", "2", "3"):
        take(f"channel {channel}", lambda d, c=channel: d["channel"] == c)
    take("ward", lambda d: len(d["events"]) > 3 and d["receiving_agency_id"] == d["agency_id"])
    return list(picked.values())


def test_generated_dossiers_obey_the_process_and_replay_identically_through_the_services():
    generate, base = _load("generate"), _load("base")
    dossiers, fmt = _generate(generate, base, days=40, per_day=12)
    assert len(dossiers) >= 400
    versions = {
        p.current_version_id: p.current_version.steps
        for p in Procedure.objects.select_related("current_version")
    }
    deciding = _deciding_roles()
    actions = set()
    for dossier in dossiers:
        _check_law(dossier, versions[int(dossier["procedure_version_id"])], deciding)
        actions |= {e["action"] for e in dossier["events"]}
    assert {"forward", "approve", "finish", "return_result", "supplement"} <= actions
    assert {"reject", "refuse", "withdraw"} <= actions

    sample = _sample(dossiers)
    assert len(sample) >= 15
    for generated in sample:
        replayed = _replay(generated)
        for name in FIELDS:
            assert _text(fmt, getattr(replayed, name)) == generated[name], (generated["id"], name)
        if generated["status"] == str(Status.RETURNED):
            assert replayed.delivery == generated["delivery"]
        ours = [
            (
                e["at"],
                e["action"],
                e["actor_id"],
                e["agency_id"],
                e["from_status"],
                e["to_status"],
                e["step_index"],
                e["step_name"],
                e["comment"],
                json.loads(e["data"]),
                sorted(f["kind"] for f in e["files"]),
            )
            for e in generated["events"]
        ]
        theirs = [
            (
                fmt.at(e.at),
                e.action,
                _text(fmt, e.actor_id),
                _text(fmt, e.agency_id),
                _text(fmt, e.from_status),
                _text(fmt, e.to_status),
                _text(fmt, e.step_index),
                e.step_name,
                e.comment,
                e.data,
                sorted(f.kind for f in e.files.all()),
            )
            for e in replayed.events.order_by("at", "pk")
        ]
        assert theirs == ours, generated["id"]
