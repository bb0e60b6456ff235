"""Load a benchmark database with a province's year of dossiers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tinhso_bench \
        .venv/bin/python bench/generate.py --dossiers 1000000

Creates the database if needed, migrates, makes the base (``seed_demo`` when that command
exists, then the bench agencies, procedures, officers and citizens of ``bench/base.py``), empties
the dossier tables, and loads ``--dossiers`` dossiers submitted over the last ``--months`` months.
Each dossier's life is played through the services' own effects (``tinhso.dossiers.effects``, as
the demo seed does) on a light stand-in for the model, one step at a time as the internal
process allows: receive, forward before the result step, approve (or reject) at the deciding
step, finish at the result step (the dossier goes to the desk's return step), return; some are
refused, withdrawn, paused for a supplement, late, or still in progress. The events, and the
files the services require (every required document of an online submission, the supplement,
the result), are what the services would have written; ``dossiers/tests/test_bench_generator.py``
replays a sample through the services to prove it. Rows go in with PostgreSQL COPY in batches
while secondary indexes and foreign keys are dropped; they are rebuilt afterwards, the tables
analysed, the id sequences and the per-day ``DossierCounter`` rows set so real submissions
continue the numbering. Audit-log rows are not generated (nothing measured reads them).

Deadlines use the real working calendar (national holidays and the province's own days) with
the office window of settings, precomputed in ``WorkClock`` and handed to the effects through
``Calendar``, so "late", "due soon" and "overdue" mean what they mean in the app.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import queue
import random
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NULL = "\\N"
DAY = 86400

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hoàng", "Quốc", "Thu", "Hữu", "Kim"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc"]
REFUSE_REASONS = ["Hồ sơ không thuộc thẩm quyền giải quyết", "Hồ sơ không đúng thủ tục"]
ORIGINAL_NAMES = {
    "submission": "tep-dinh-kem.pdf",
    "supplement": "bo-sung.pdf",
    "result": "ket-qua.pdf",
}
REJECT_REASONS = ["Không đủ điều kiện theo quy định", "Nội dung đề nghị không phù hợp quy hoạch"]


def database_ensure(url: str) -> None:
    """Create the database named by ``url`` if it does not exist."""
    import psycopg
    from dj_database_url import parse

    config = parse(url)
    name = config["NAME"]
    with psycopg.connect(
        dbname="postgres",
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def raw_connect():
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname=db["NAME"],
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
    )


# --- time: UTC epoch seconds, working time counted like tinhso.core.calendar -----------------
class WorkClock:
    """Working-time arithmetic on a precomputed table of working days.

    ``w(ts)`` maps a moment to "office seconds since the first working day of the table"; ``ts(w)``
    maps back. N working days after a moment is ``ts(w(moment) + N * day_seconds)``, which is how
    ``WorkingCalendar.add_working_days`` counts.
    """

    def __init__(self, first_day: dt.date, last_day: dt.date, calendar, offset: int):
        self.offset = offset
        self.open = calendar.office_open.hour * 3600 + calendar.office_open.minute * 60
        self.window = calendar.day_seconds
        self.first = first_day.toordinal()
        self.days = []  # ordinal -> (is_working, index of first working day >= it)
        self.working = []  # working index -> local day number (days since the epoch)
        epoch = dt.date(1970, 1, 1).toordinal()
        day = first_day
        pending = []
        while day <= last_day:
            working = calendar.is_working_day(day)
            pending.append(working)
            if working:
                self.working.append(day.toordinal() - epoch)
            day += dt.timedelta(days=1)
        count = 0
        for working in pending:
            self.days.append((working, count))
            count += working
        self.epoch_first = self.first - epoch

    def is_working(self, local_day: int) -> bool:
        return self.days[local_day - self.epoch_first][0]

    def w(self, ts: float) -> float:
        local = ts + self.offset
        day = int(local // DAY)
        working, index = self.days[day - self.epoch_first]
        if not working:
            return index * self.window
        tod = local - day * DAY - self.open
        if tod < 0:
            tod = 0
        elif tod > self.window:
            tod = self.window
        return index * self.window + tod

    def ts(self, w: float, *, end: bool = False) -> float:
        """The moment at office time ``w``. On a boundary between two working days it is the
        next day's opening (where counting starts), or with ``end`` the earlier day's closing
        (where adding office time lands, as ``WorkingCalendar.add_working_time`` does)."""
        index = int(w // self.window)
        rest = w - index * self.window
        if end and rest == 0 and index > 0:
            index, rest = index - 1, self.window
        return self.working[index] * DAY + self.open + rest - self.offset


class Formatter:
    """COPY text of moments (epoch seconds, or aware datetimes), cut to whole seconds."""

    def __init__(self):
        self._days: dict[int, str] = {}
        self._times = [
            f" {h:02d}:{m:02d}:{s:02d}+00" for h in range(24) for m in range(60) for s in range(60)
        ]

    def ts(self, value: float | None) -> str:
        if value is None:
            return NULL
        day, rest = divmod(int(value), DAY)
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()
        return text + self._times[rest]

    def at(self, value: dt.datetime | None) -> str:
        return NULL if value is None else self.ts(value.timestamp())


def data_json(data: dict) -> str:
    """An event's data as JSON in COPY text; the common cases (one number, word or list of
    numbers) without the encoder."""
    if len(data) != 1:
        return copy_escape(json.dumps(data, ensure_ascii=False)) if data else "{}"
    ((key, value),) = data.items()
    kind = type(value)
    if kind is int:
        return f'{{"{key}": {value}}}'
    if isinstance(value, str) and value.isascii() and value.isidentifier():
        return f'{{"{key}": "{value}"}}'
    if kind is list and all(type(item) is int for item in value):
        return f'{{"{key}": [{", ".join(map(str, value))}]}}'
    return copy_escape(json.dumps(data, ensure_ascii=False))


def copy_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def opt(value) -> str:
    return NULL if value is None else str(value)


# --- the plan: procedures, officers, who does which step -------------------------------------
def chain_build(steps: list[dict], deciding_roles: set[int], *, reject: bool) -> list[tuple]:
    """The action that ends each step of the internal process, up to the result, as the
    services allow them (``dossiers.actions``' step rules; the demo seed's ``_chain``): forward
    before the result step, approve (or reject) at a deciding step (its role holds
    ``dossiers.approve_dossier``), finish at the result step."""
    from tinhso.dossiers import effects

    chain = []
    last = effects.result_index(steps)
    for index in range(last + 1):
        deciding = steps[index].get("role_id") in deciding_roles
        if deciding and reject:
            chain.append((index, "reject"))
            break
        if index == last:
            chain.append((index, "finish"))
        else:
            chain.append((index, "approve" if deciding else "forward"))
    return chain


class ProcedurePlan:
    def __init__(self, procedure, weight, officers, deciding_roles):
        from tinhso.org import roles

        version = procedure.current_version
        self.id = procedure.pk
        self.version = version  # the effects read its snapshot and steps
        self.version_id = version.pk
        self.agency_id = procedure.agency_id
        desk = procedure.agency.desk
        self.desk_id = desk.pk
        self.desk_code = desk.code
        self.days = float(version.snapshot["processing_days"])
        self.online = procedure.online_level != "none"
        self.fee = sum(fee["amount"] for fee in version.snapshot.get("fees", []))
        self.documents = [doc["id"] for doc in version.documents if doc["required"]]
        # Online, every required document is attached (the services refuse less).
        self.submitted = [doc for doc in version.documents if doc["required"]]
        self.submitted = self.submitted or version.documents[:1]
        self.document_names = [doc["name"] for doc in version.documents]
        self.weight = weight
        self.summary = copy_escape(procedure.name[:500])
        self.steps = []
        for step in version.steps:
            if step.get("agency_id"):
                agency = step["agency_id"]
            else:
                agency = self.desk_id if step.get("at_desk") else self.agency_id
            actors = officers.get((agency, step["role"])) or officers.get((agency, None)) or [None]
            self.steps.append({"name": copy_escape(step["name"]), "actors": actors})
        self.desk_clerks = officers.get((self.desk_id, roles.ONE_STOP_CLERK)) or [None]
        self.chain = chain_build(version.steps, deciding_roles, reject=False)
        rejecting = chain_build(version.steps, deciding_roles, reject=True)
        self.reject_chain = rejecting if rejecting[-1][1] == "reject" else None


def plans_build(extra_weights: dict[str, float]):
    from django.contrib.auth.models import Group

    from tinhso.catalog.models import Procedure
    from tinhso.org.models import Officer

    officers: dict = {}
    for officer in Officer.objects.prefetch_related("user__groups"):
        for group in officer.user.groups.all():
            officers.setdefault((officer.agency_id, group.name), []).append(officer.user_id)
        officers.setdefault((officer.agency_id, None), []).append(officer.user_id)
    deciding_roles = set(
        Group.objects.filter(
            permissions__codename="approve_dossier",
            permissions__content_type__app_label="dossiers",
        ).values_list("pk", flat=True)
    )
    procedures = [
        procedure
        for procedure in Procedure.objects.filter(is_active=True, current_version__isnull=False)
        .select_related("agency__served_by", "current_version")
        # A fixed order (the code points of the names, as before lists sorted in Vietnamese):
        # the seed gives the same dossiers whatever the catalogue's display order.
        .order_by("name", "pk")
        if procedure.current_version.steps  # a dossier without a process is never finished
    ]
    per_agency: dict[int, int] = {}
    for procedure in procedures:
        per_agency[procedure.agency_id] = per_agency.get(procedure.agency_id, 0) + 1
    plans = []
    for index, procedure in enumerate(procedures):
        agency_weight = extra_weights.get(procedure.agency.code, 1.0)
        # Some procedures are far more popular than others within an agency.
        popularity = (1.0, 0.5, 2.0, 0.7, 0.3, 0.2)[index % 6]
        weight = agency_weight * popularity / per_agency[procedure.agency_id]
        plans.append(ProcedurePlan(procedure, weight, officers, deciding_roles))
    return plans


# --- the workflow: the services' own effects on a light dossier ------------------------------
def utc(ts: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, dt.UTC)


class Calendar:
    """The three ``WorkingCalendar`` methods the effects call, counted on the ``WorkClock``:
    aware datetimes in and out, as the effects want them."""

    def __init__(self, clock: WorkClock):
        self.clock = clock
        self.day_seconds = clock.window

    def add_working_time(self, moment: dt.datetime, seconds: float) -> dt.datetime:
        clock = self.clock
        return utc(clock.ts(clock.w(moment.timestamp()) + seconds, end=seconds > 0))

    def add_working_days(self, moment: dt.datetime, days) -> dt.datetime:
        return self.add_working_time(moment, float(days) * self.day_seconds)

    def working_seconds_between(self, start: dt.datetime, end: dt.datetime) -> float:
        return self.clock.w(end.timestamp()) - self.clock.w(start.timestamp())


class Row:
    """The fields of a ``Dossier`` that ``tinhso.dossiers.effects`` read and write, without a
    model instance (far cheaper to make a million of). ``assignee`` holds a user id."""

    __slots__ = (
        "procedure_version",
        "steps",
        "receiving_agency_id",
        "agency_id",
        "current_agency_id",
        "status",
        "status_before_pause",
        "step_index",
        "assignee",
        "received_at",
        "due_at",
        "original_due_at",
        "new_due_at",
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
        "delivery",
    )

    def __init__(self, plan: ProcedurePlan, status: int, delivery: str):
        self.procedure_version = plan.version
        self.steps = plan.version.steps
        self.receiving_agency_id = self.current_agency_id = plan.desk_id
        self.agency_id = plan.agency_id
        self.status = status
        self.status_before_pause = None
        self.step_index = 0
        self.assignee = None
        self.received_at = self.due_at = self.step_due_at = self.paused_at = None
        self.original_due_at = self.new_due_at = None
        self.finished_at = self.returned_at = self.closed_at = self.fee_paid_at = None
        self.supplement_count = 0
        self.decision = ""
        self.timeliness = ""
        self.fee_amount = plan.fee
        self.delivery = delivery

    @property
    def assignee_id(self):
        return self.assignee


# --- one dossier's life ------------------------------------------------------------------------
class Generator:
    def __init__(self, *, plans, clock, citizens, now, seed, first_ids):
        from tinhso.dossiers import effects
        from tinhso.dossiers.constants import Channel, Decision, Status

        self.S = type("S", (), {m.name: int(m.value) for m in Status})
        self.C = type("C", (), {m.name: int(m.value) for m in Channel})
        # Statuses in which an event names the step (``Dossier.current_step``).
        self.at_step = {Status.RECEIVED, Status.PROCESSING, Status.FINANCIAL_OBLIGATION}
        self.approved, self.rejected = Decision.APPROVED, Decision.REJECTED
        from tinhso.org.models import Officer

        self.fx = effects
        # The agency each officer works for: an event names the agency of whoever acted.
        self.agency_of = dict(Officer.objects.values_list("user_id", "agency_id"))
        self.plans = plans
        self.clock = clock
        self.cal = Calendar(clock)
        self.citizens = citizens
        self.now = now
        self.rnd = random.Random(seed)
        self.fmt = Formatter()
        self.dossier_id, self.event_id, self.file_id = first_ids
        self.counters: dict[tuple[int, int], int] = {}
        total = 0.0
        self.cum = []
        for plan in plans:
            total += plan.weight
            self.cum.append(total)

    def day_dossiers(self, local_day: int, count: int, until: float | None):
        """``count`` dossiers submitted on one local day, in time order."""
        rnd = self.rnd
        clock = self.clock
        working = clock.is_working(local_day)
        start = local_day * DAY - clock.offset
        moments = []
        for plan in rnd.choices(self.plans, cum_weights=self.cum, k=count):
            r = rnd.random()
            if not plan.online:
                channel = self.C.IN_PERSON
            elif r < 0.55 or not working:
                channel = self.C.ONLINE
            elif r < 0.95:
                channel = self.C.IN_PERSON
            else:
                channel = self.C.POSTAL
            if channel == self.C.ONLINE and (not working or rnd.random() < 0.3):
                second = rnd.uniform(6 * 3600, 23 * 3600)
            else:
                second = clock.open + rnd.uniform(0, clock.window)
            moment = start + second
            if until is not None and moment > until:
                moment = start + rnd.uniform(0, max(1, until - start))
            moments.append((int(moment), plan, channel))
        moments.sort(key=lambda item: item[0])
        return moments

    def code(self, plan, local_day: int) -> str:
        key = (plan.desk_id, local_day)
        number = self.counters.get(key, 0) + 1
        self.counters[key] = number
        day = self.fmt.ts(local_day * DAY)  # the local day, written as a UTC date
        return f"{plan.desk_code}-{day[2:4]}{day[5:7]}{day[8:10]}-{number:04d}"

    def dossier(self, submitted: int, plan, channel, local_day: int, out_d, out_e, out_f):
        """One dossier submitted at ``submitted`` (whole epoch seconds): its row, its events and
        its files, appended as COPY lines."""
        rnd = self.rnd
        fmt = self.fmt.ts
        at = self.fmt.at
        dossier_id = self.dossier_id
        self.dossier_id += 1
        online = channel == self.C.ONLINE
        applicant = rnd.choice(self.citizens) if online else None
        clerk = rnd.choice(plan.desk_clerks)
        delivery = "online" if online and rnd.random() < 0.4 else "desk"
        row = Row(plan, self.S.NEW, delivery)
        steps = plan.steps
        at_step = self.at_step
        events = []
        last = [submitted]

        def record(moment, action, actor, from_status, comment="", data=None, files=()):
            """The event of what an effect just did, as ``services._record`` writes it."""
            event_id = self.event_id
            self.event_id += 1
            status = row.status
            index = row.step_index
            if status in at_step and index < len(steps):
                step, step_name = str(index), steps[index]["name"]
            else:
                step, step_name = NULL, ""
            events.append(
                f"{event_id}\t{dossier_id}\t{fmt(moment)}\t{action}\t{opt(actor)}\t"
                f"{opt(self.agency_of.get(actor))}\t{opt(from_status)}\t{status}\t{step}\t"
                f"{step_name}\t"
                f"{comment}\t{data_json(data)}"
            )
            for kind, doc in files:
                self._file(out_f, dossier_id, event_id, kind, doc, actor, moment)
            last[0] = moment

        record(
            submitted,
            "submit",
            applicant if online else clerk,
            None,
            data={"channel": int(channel)},
            files=[("submission", doc) for doc in plan.submitted] if online else (),
        )
        self._life(row, submitted, plan, channel, applicant, clerk, record, rnd)
        name = f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
        out_d.append(
            "\t".join(
                (
                    str(dossier_id),
                    fmt(submitted),
                    fmt(last[0]),
                    self.code(plan, local_day),
                    str(plan.id),
                    str(plan.version_id),
                    str(plan.desk_id),
                    str(plan.agency_id),
                    str(row.current_agency_id),
                    str(row.status),
                    opt(row.status_before_pause),
                    str(int(channel)),
                    str(row.step_index),
                    opt(row.assignee),
                    opt(applicant),
                    "citizen",
                    name,
                    f"0{rnd.randrange(10**10, 10**11)}",  # a citizen ID number: 12 digits
                    f"09{rnd.randrange(10**7, 9 * 10**7)}",
                    "",
                    "Cần Thơ",
                    NULL,
                    "",
                    plan.summary,
                    str(row.delivery),
                    at(row.received_at),
                    at(row.due_at),
                    at(row.original_due_at),
                    at(row.step_due_at),
                    at(row.paused_at),
                    at(row.finished_at),
                    at(row.returned_at),
                    at(row.closed_at),
                    str(row.supplement_count),
                    str(row.decision),
                    str(row.timeliness),
                    str(row.fee_amount),
                    at(row.fee_paid_at),
                    str(len(events)),  # the version: one more per change after the submission
                )
            )
        )
        out_e.extend(events)

    def _file(self, out_f, dossier_id, event_id, kind, doc, uploader, moment) -> None:
        digest = f"{self.rnd.getrandbits(256):064x}"
        uploaded = self.fmt.ts(moment)
        month = uploaded[:7].replace("-", "/")
        if doc:
            document = f"{doc['id']}\t{copy_escape(doc['name'])}"
        else:
            document = f"{NULL}\t"
        out_f.append(
            f"{self.file_id}\t{dossier_id}\t{event_id}\t{kind}\t{document}\t"
            f"dossiers/{month}/{digest[:2]}/{digest}.pdf\t{ORIGINAL_NAMES[kind]}\t"
            f"application/pdf\t.pdf\t{self.rnd.randrange(40_000, 900_000)}\t{digest}\t"
            f"{opt(uploader)}\t{uploaded}"
        )
        self.file_id += 1

    def _life(self, row, submitted, plan, channel, applicant, clerk, record, rnd) -> None:
        """Play the dossier's life up to ``now`` through the services' own effects
        (``tinhso.dossiers.effects``), one step at a time as the internal process allows
        (``plan.chain``), recording each event as the services would."""
        S, fx, cal, clock, now = self.S, self.fx, self.cal, self.clock, self.now
        window = clock.window
        # In person the clerk receives it in the same request; otherwise within a working day.
        if channel == self.C.IN_PERSON:
            t = submitted
        else:
            t = int(clock.ts(clock.w(submitted) + rnd.uniform(0.05, 1.0) * window))
        if t > now:
            return
        if channel != self.C.IN_PERSON and rnd.random() < 0.03:
            data = fx.close(row, at=utc(t), status=S.REFUSED)
            record(t, "refuse", clerk, S.NEW, rnd.choice(REFUSE_REASONS), data)
            return
        data = fx.receive(row, at=utc(t), cal=cal, checklist=plan.documents, clerk=clerk)
        record(t, "receive", clerk, S.NEW, "", data)
        # How long the work takes, in working time: most early or on time, some late.
        r = rnd.random()
        factor = rnd.uniform(0.2, 0.95) if r < 0.9 else rnd.uniform(1.02, 1.8)
        total = plan.days * window * factor
        rejected = plan.reject_chain is not None and rnd.random() < 0.02
        chain = plan.reject_chain if rejected else plan.chain
        n = len(chain)
        supplement_at = 1 if (rnd.random() < 0.05 and n > 2) else None
        withdraw_at = rnd.randrange(1, n + 1) if rnd.random() < 0.01 else None
        w = clock.w(t)
        for k, (index, action) in enumerate(chain, start=1):
            w += total / n * rnd.uniform(0.6, 1.4)
            t = int(clock.ts(w))
            if t > now:
                return
            from_status = row.status
            if k == withdraw_at:
                data = fx.close(row, at=utc(t), status=S.WITHDRAWN)
                record(t, "withdraw", applicant or clerk, from_status, "", data)
                return
            actor = rnd.choice(plan.steps[index]["actors"])
            comment, files = "", ()
            if action == "forward":
                data = fx.advance(row, at=utc(t), cal=cal, assignee=None)
            elif action == "approve":
                row.decision = self.approved
                data = fx.advance(row, at=utc(t), cal=cal, assignee=None)
            elif action == "reject":
                data = fx.finish(row, at=utc(t), decision=self.rejected)
                comment = rnd.choice(REJECT_REASONS)
            else:
                data = fx.finish(row, at=utc(t), decision=row.decision or self.approved)
                files = (("result", None),)
            record(t, action, actor, from_status, comment, data, files)
            if k == supplement_at:
                w = self._supplement(row, w, plan, applicant or clerk, record, rnd)
                if w is None:
                    return
        # The desk returns the result; online only when there is an electronic one.
        t = int(clock.ts(w + rnd.uniform(0.1, 4.0) * window))
        if t > now:
            return
        delivery = "desk" if rejected and row.delivery == "online" else row.delivery
        data = fx.return_result(row, at=utc(t), delivery=delivery)
        record(t, "return_result", rnd.choice(plan.desk_clerks), S.FINISHED, "", data)

    def _supplement(self, row, w, plan, applicant, record, rnd) -> float | None:
        """A specialist asks for a supplement; the applicant (or the desk for them) answers
        after some days. The working time the plan resumes from, or ``None`` if ``now`` comes
        first."""
        S, fx, clock = self.S, self.fx, self.clock
        window = clock.window
        w_ask = w + rnd.uniform(0.05, 0.5) * window
        t = int(clock.ts(w_ask))
        if t > self.now:
            return None
        actor = rnd.choice(plan.steps[row.step_index]["actors"])
        from_status = row.status
        names = [rnd.choice(plan.document_names)] if plan.document_names else []
        data = fx.request_supplement(row, at=utc(t), document_names=names)
        record(t, "request_supplement", actor, from_status, "Bổ sung bản sao giấy tờ", data)
        w_back = w_ask + rnd.uniform(0.5, 6.0) * window
        t = int(clock.ts(w_back))
        if t > self.now:
            return None
        data = fx.supplement(row, at=utc(t), cal=self.cal)
        files = (("supplement", None),)
        record(t, "supplement", applicant, S.SUPPLEMENT_REQUESTED, "", data, files)
        return w_back


# --- loading -----------------------------------------------------------------------------------
DOSSIER_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "code",
    "procedure_id",
    "procedure_version_id",
    "receiving_agency_id",
    "agency_id",
    "current_agency_id",
    "status",
    "status_before_pause",
    "channel",
    "step_index",
    "assignee_id",
    "applicant_id",
    "applicant_kind",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "applicant_ward_id",
    "organisation_name",
    "summary",
    "delivery",
    "received_at",
    "due_at",
    "original_due_at",
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
]
EVENT_COLUMNS = [
    "id",
    "dossier_id",
    "at",
    "action",
    "actor_id",
    "agency_id",
    "from_status",
    "to_status",
    "step_index",
    "step_name",
    "comment",
    "data",
]
FILE_COLUMNS = [
    "id",
    "dossier_id",
    "event_id",
    "kind",
    "document_id",
    "document_name",
    "file",
    "original_name",
    "content_type",
    "extension",
    "size",
    "sha256",
    "uploaded_by_id",
    "uploaded_at",
]
# submitted_at goes with created_at (same moment): added below so the column order above stays
# readable.
TABLES = {
    "dossiers_dossier": DOSSIER_COLUMNS,
    "dossiers_dossierevent": EVENT_COLUMNS,
    "dossiers_dossierfile": FILE_COLUMNS,
}


def extra_columns(model, known: list[str]) -> list[tuple[str, str]]:
    """Columns other helpers may have added to a model since: (column, constant COPY text)."""
    from django.db import connection

    extras = []
    for field in model._meta.concrete_fields:
        if field.column in known:
            continue
        value = field.get_db_prep_save(field.get_default(), connection)
        if isinstance(value, dict | list):
            value = json.dumps(value)
        elif hasattr(value, "dumps"):  # a psycopg Jsonb wrapper
            value = json.dumps(value.obj)
        text = NULL if value is None else copy_escape(str(value))
        if isinstance(value, bool):
            text = "t" if value else "f"
        extras.append((field.column, text))
    return extras


def constraints_drop(cursor, table: str) -> list[str]:
    """Drop the foreign keys, unique constraints and secondary indexes of ``table``; return the
    statements that recreate them."""
    restore = []
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
        [table],
    )
    for name, definition in cursor.fetchall():
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        [table],
    )
    for name, definition in cursor.fetchall():
        cursor.execute(f'DROP INDEX "{name}"')
        restore.insert(0, definition)  # indexes first: foreign keys validate faster after
    return restore


def writer(conn, jobs: queue.Queue, errors: list, bar_rows) -> None:
    try:
        while True:
            job = jobs.get()
            if job is None:
                return
            with conn.cursor() as cursor:
                for table, columns, lines in job:
                    if not lines:
                        continue
                    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                    with cursor.copy(sql) as copy:
                        chunk = []
                        size = 0
                        for line in lines:
                            chunk.append(line)
                            size += len(line)
                            if size > 1 << 20:
                                copy.write("\n".join(chunk) + "\n")
                                chunk, size = [], 0
                        if chunk:
                            copy.write("\n".join(chunk) + "\n")
            conn.commit()
            bar_rows(sum(len(lines) for _t, _c, lines in job))
    except Exception as exc:  # pragma: no cover - reported by the main thread
        errors.append(exc)
        while jobs.get() is not None:
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--batch", type=int, default=20_000, help="dossiers per COPY batch")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-seed-demo", action="store_true", help="skip manage.py seed_demo")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhso.settings")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://…/tinhso_bench")
    started = time.monotonic()
    database_ensure(url)

    import django

    django.setup()
    from base import agency_weights, base_ensure
    from django.core.management import call_command, get_commands
    from django.db import connection
    from django.utils import timezone
    from tqdm import tqdm

    from tinhso.accounts.models import User
    from tinhso.core.calendar import get_calendar
    from tinhso.dossiers.models import Dossier, DossierEvent, DossierFile

    call_command("migrate", interactive=False, verbosity=0)
    if "seed_demo" in get_commands() and not args.no_seed_demo:
        try:
            call_command("seed_demo", dossiers=0, verbosity=0)  # its base only: we load ours
        except Exception as exc:  # the bench base below is enough on its own
            print(f"seed_demo failed ({exc!r}); going on with the bench base only")
    print("base:", base_ensure())
    plans = plans_build(agency_weights())
    citizens = list(
        User.objects.filter(username__startswith="bench_citizen_").values_list("pk", flat=True)
    )
    calendar = get_calendar()
    now_local = timezone.localtime()
    offset = int(now_local.utcoffset().total_seconds())
    now = time.time()
    today = now_local.date()
    first = today - dt.timedelta(days=round(args.months * 30.44))
    clock = WorkClock(
        first - dt.timedelta(days=10), today + dt.timedelta(days=400), calendar, offset
    )

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE dossiers_dossierfile, dossiers_dossierevent, dossiers_dossier, "
            "dossiers_dossiercounter RESTART IDENTITY CASCADE"
        )
        restore = []
        for table in TABLES:
            restore += constraints_drop(cursor, table)
    print(
        f"plans: {len(plans)} procedures; {len(citizens)} citizens; dropped {len(restore)} "
        "indexes/constraints for the load"
    )

    extras = {
        "dossiers_dossier": extra_columns(Dossier, DOSSIER_COLUMNS + ["submitted_at"]),
        "dossiers_dossierevent": extra_columns(DossierEvent, EVENT_COLUMNS),
        "dossiers_dossierfile": extra_columns(DossierFile, FILE_COLUMNS),
    }

    # Dossiers per local day: working days get the bulk, days off a trickle of online ones;
    # today only up to now.
    epoch = dt.date(1970, 1, 1).toordinal()
    days = []
    day = first
    while day <= today:
        local_day = day.toordinal() - epoch
        weight = 1.0 if clock.is_working(local_day) else 0.08
        if day == today:
            elapsed = (now + offset - local_day * DAY - clock.open) / clock.window
            weight *= min(1.0, max(0.02, elapsed))
        days.append((local_day, weight))
        day += dt.timedelta(days=1)
    total_weight = sum(w for _d, w in days)
    counts, carry = [], 0.0
    for local_day, weight in days:
        exact = args.dossiers * weight / total_weight + carry
        count = int(exact)
        carry = exact - count
        counts.append((local_day, count))
    counts[-1] = (counts[-1][0], counts[-1][1] + args.dossiers - sum(c for _d, c in counts))

    gen = Generator(
        plans=plans, clock=clock, citizens=citizens, now=now, seed=args.seed, first_ids=(1, 1, 1)
    )
    conn = raw_connect()
    conn.execute("SET synchronous_commit = off")
    jobs: queue.Queue = queue.Queue(maxsize=2)
    errors: list = []
    rows = {"n": 0}

    def count_rows(n):
        rows["n"] += n

    thread = threading.Thread(target=writer, args=(conn, jobs, errors, count_rows), daemon=True)
    thread.start()

    def columns(table):
        base = TABLES[table] + (["submitted_at"] if table == "dossiers_dossier" else [])
        return base + [column for column, _v in extras[table]]

    def tail(table):
        values = [value for _c, value in extras[table]]
        return ("\t" + "\t".join(values)) if values else ""

    d_tail, e_tail, f_tail = (tail(t) for t in TABLES)
    load_started = time.monotonic()
    out_d, out_e, out_f = [], [], []

    def flush():
        nonlocal out_d, out_e, out_f
        if errors:
            raise errors[0]
        # submitted_at equals created_at, the second column.
        lines_d = [line + "\t" + line.split("\t", 2)[1] + d_tail for line in out_d]
        lines_e = [line + e_tail for line in out_e] if e_tail else out_e
        lines_f = [line + f_tail for line in out_f] if f_tail else out_f
        jobs.put(
            [
                ("dossiers_dossier", columns("dossiers_dossier"), lines_d),
                ("dossiers_dossierevent", columns("dossiers_dossierevent"), lines_e),
                ("dossiers_dossierfile", columns("dossiers_dossierfile"), lines_f),
            ]
        )
        out_d, out_e, out_f = [], [], []

    with tqdm(total=args.dossiers, unit="dossier", unit_scale=True, smoothing=0.05) as bar:
        for local_day, count in counts:
            until = now if local_day == counts[-1][0] else None
            for moment, plan, channel in gen.day_dossiers(local_day, count, until):
                gen.dossier(moment, plan, channel, local_day, out_d, out_e, out_f)
                if len(out_d) >= args.batch:
                    bar.update(len(out_d))
                    bar.set_postfix(rows_copied=f"{rows['n']:,}", refresh=False)
                    flush()
        bar.update(len(out_d))
        flush()
        jobs.put(None)
        thread.join()
    if errors:
        raise errors[0]
    loaded = time.monotonic() - load_started
    print(
        f"loaded {gen.dossier_id - 1:,} dossiers, {gen.event_id - 1:,} events, "
        f"{gen.file_id - 1:,} files in {loaded:.0f} s"
    )

    with conn.cursor() as cursor:
        with cursor.copy("COPY dossiers_dossiercounter (agency_id, day, last) FROM STDIN") as copy:
            for (agency_id, local_day), last in gen.counters.items():
                day = dt.date(1970, 1, 1) + dt.timedelta(days=local_day)
                copy.write_row((agency_id, day, last))
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
    conn.commit()

    index_started = time.monotonic()
    conn.execute("SET maintenance_work_mem = '512MB'")
    for statement in tqdm(restore, desc="indexes and constraints", unit="stmt"):
        conn.execute(statement)
        conn.commit()
    conn.autocommit = True
    for table in (*TABLES, "dossiers_dossiercounter"):
        conn.execute(f"VACUUM (ANALYZE) {table}")
    conn.execute("ANALYZE")  # the small tables too (agencies, procedures, users)
    conn.close()
    print(f"indexes, constraints and analyse: {time.monotonic() - index_started:.0f} s")
    print(f"total: {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
