"""Demo dossiers: a year of the province's work, written straight to the database.

Each dossier is played through a small simulator whose transitions mirror
``tinhso.dossiers.services`` field by field (and reuse its clock helpers), so the rows look
exactly like what the services produce: the same statuses, steps, assignees, deadlines pushed by
pauses, timeliness, history events with their data, files and audit entries. Writing rows in bulk
instead of calling the services one transition at a time keeps 2,000 dossiers well under a minute.

A dossier's life is planned in *extended working time* ``E``: working seconds after it was
received, counting the applicant's pauses. The plan is then cut where the wanted status holds
(now, for dossiers still open; a moment in the past year otherwise) and laid on the calendar.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from tinhso.catalog.models import Procedure, ProcedureVersion
from tinhso.core.calendar import WorkingCalendar, get_calendar
from tinhso.core.models import AuditLog
from tinhso.demo.documents import demo_pdf
from tinhso.demo.people import person_name
from tinhso.demo.procedures import SeededProcedure
from tinhso.dossiers import effects
from tinhso.dossiers.constants import (
    ACTIVE_STATUSES,
    ApplicantKind,
    Channel,
    Decision,
    Delivery,
    FileKind,
    Status,
)
from tinhso.dossiers.effects import step_agency_id
from tinhso.dossiers.models import Dossier, DossierCounter, DossierEvent, DossierFile, Rating
from tinhso.dossiers.services import document_name_short
from tinhso.org import roles
from tinhso.org.models import Ward

S = Status
# Share of each final status among the dossiers created (the rest are returned results).
STATUS_SHARES = {
    S.NEW: 0.03,
    S.RECEIVED: 0.02,
    S.REFUSED: 0.02,
    S.PROCESSING: 0.10,
    S.SUPPLEMENT_REQUESTED: 0.03,
    S.FINANCIAL_OBLIGATION: 0.02,
    S.WITHDRAWN: 0.02,
    S.STOPPED: 0.015,
    S.FINISHED: 0.05,
}
OPEN_TARGETS = {S.NEW, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED}
OPEN_TARGETS |= {S.FINANCIAL_OBLIGATION, S.FINISHED}
# How the plan ends against the appointment; short procedures drift from "early" to "on time",
# so the finished dossiers come out near 60% early, 25% on time and 15% late.
OUTCOMES = [("early", 0.72), ("on_time", 0.14), ("late", 0.14)]
# Dossiers still open lean late, so that some are overdue now.
OPEN_OUTCOMES = [("early", 0.35), ("on_time", 0.2), ("late", 0.45)]

REFUSE_REASONS = [
    "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan.",
    "Thành phần hồ sơ không đúng quy định; đề nghị nộp lại theo hướng dẫn.",
    "Người nộp không đủ điều kiện thực hiện thủ tục theo quy định.",
]
SUPPLEMENT_REASONS = [
    "Bản chụp giấy tờ không rõ nét, đề nghị bổ sung bản chụp rõ hơn.",
    "Tờ khai thiếu chữ ký của người yêu cầu, đề nghị bổ sung.",
    "Thông tin trên tờ khai chưa khớp với giấy tờ tùy thân, đề nghị điều chỉnh.",
    "Thiếu giấy tờ chứng minh theo quy định, đề nghị bổ sung.",
]
REJECT_REASONS = [
    "Không đủ điều kiện theo quy định; cơ quan có văn bản trả lời nêu rõ lý do.",
    "Nội dung đề nghị không phù hợp quy hoạch được phê duyệt.",
]
STOP_REASONS = [
    "Quá thời hạn bổ sung hồ sơ nhưng người nộp không bổ sung.",
    "Có văn bản của cơ quan có thẩm quyền đề nghị tạm dừng giải quyết.",
]
WITHDRAW_REASONS = ["Tôi không còn nhu cầu giải quyết.", "Xin rút để nộp lại hồ sơ khác.", ""]
STREETS = ["30 Tháng 4", "Trần Hưng Đạo", "Nguyễn Văn Cừ", "Mậu Thân", "Hùng Vương", "3 Tháng 2"]
STREETS += ["Lê Lợi", "Nguyễn Trãi", "Trần Phú", "Võ Văn Kiệt", "Cách Mạng Tháng 8"]
COMPANY_WORDS = ["Mekong", "Tây Đô", "Phương Nam", "Sông Hậu", "An Phát", "Hưng Thịnh"]
COMPANY_WORDS += ["Đại Lộc", "Minh Phát", "Cửu Long", "Thành Công", "Nam Bộ", "Bình An"]
COMPANY_KINDS = ["Công ty TNHH", "Công ty TNHH MTV", "Công ty Cổ phần", "Doanh nghiệp tư nhân"]
COMPANY_TRADES = ["Thương mại", "Xây dựng", "Dịch vụ", "Nông sản", "Vận tải", "Du lịch"]
RATING_COMMENTS = ["", "", "Cán bộ hướng dẫn tận tình.", "Trả kết quả sớm, cảm ơn.", ""]


# --- the PDFs the demo files point at (demo.documents) ------------------------------------------
@dataclass
class StoredFile:
    name: str
    size: int
    sha256: str


def _store(kind: str) -> StoredFile:
    content = demo_pdf(kind)
    digest = hashlib.sha256(content).hexdigest()
    name = f"dossiers/demo/{digest[:2]}/{digest}.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(content))
    return StoredFile(name=name, size=len(content), sha256=digest)


# --- the calendar backwards ----------------------------------------------------------------------
def _window(cal: WorkingCalendar, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.combine(day, cal.office_open, tzinfo=cal.tz),
        dt.datetime.combine(day, cal.office_close, tzinfo=cal.tz),
    )


def _previous_working_day(cal: WorkingCalendar, day: dt.date) -> dt.date:
    for _ in range(400):
        day -= dt.timedelta(days=1)
        if cal.is_working_day(day):
            return day
    raise ValueError("no working day within a year")  # pragma: no cover


def clamp_back(cal: WorkingCalendar, moment: dt.datetime) -> dt.datetime:
    """The last moment of office time at or before ``moment``."""
    local = moment.astimezone(cal.tz)
    if cal.is_working_day(local.date()):
        start, end = _window(cal, local.date())
        if start <= local <= end:
            return local
        if local > end:
            return end
    return _window(cal, _previous_working_day(cal, local.date()))[1]


def sub_working_time(cal: WorkingCalendar, moment: dt.datetime, seconds: float) -> dt.datetime:
    """The moment ``seconds`` of office time before ``moment`` (the inverse of
    ``WorkingCalendar.add_working_time``)."""
    current = clamp_back(cal, moment)
    remaining = float(seconds)
    while True:
        start, _end = _window(cal, current.date())
        available = (current - start).total_seconds()
        if remaining <= available:
            return current - dt.timedelta(seconds=remaining)
        remaining -= available
        current = _window(cal, _previous_working_day(cal, current.date()))[1]


# --- the simulator -------------------------------------------------------------------------------
@dataclass
class Context:
    cal: WorkingCalendar
    now: dt.datetime
    rng: random.Random
    people: dict
    wards: list[Ward]
    submission_file: StoredFile
    supplement_file: StoredFile
    result_file: StoredFile
    persona_dossiers: int = 0
    _agencies: dict | None = None

    def agency_of(self, user) -> int | None:
        """The agency a demo officer works for (``None`` for a citizen), as the services'
        history records it (``DossierEvent.agency``: the agency of whoever acted)."""
        if self._agencies is None:
            self._agencies = {
                u.pk: int(key.split(":")[0])
                for key, users in self.people.items()
                if ":" in key
                for u in users
            }
        return self._agencies.get(getattr(user, "pk", None))

    def officer(self, agency_id: int, role: str):
        users = self.people.get(f"{agency_id}:{role}")
        if not users:
            raise LookupError(f"no demo officer with role {role} at agency {agency_id}")
        return users[0] if self.rng.random() < 0.75 else self.rng.choice(users)


@dataclass
class Sim:
    """One dossier played through the workflow, as the services would write it."""

    ctx: Context
    seeded: SeededProcedure
    dossier: Dossier
    events: list = field(default_factory=list)  # (DossierEvent, [file kinds])
    rating: Rating | None = None

    @property
    def steps(self) -> list[dict]:
        return self.dossier.procedure_version.steps

    # -- bookkeeping, as services._save / services._record ---------------------------------
    def _save(self) -> None:
        self.dossier.version += 1

    def _record(self, at, action, actor, from_status, comment="", files=(), **data) -> None:
        d = self.dossier
        step = d.current_step
        event = DossierEvent(
            dossier=d,
            at=at,
            action=action,
            actor=actor,
            agency_id=self.ctx.agency_of(actor),
            from_status=from_status,
            to_status=d.status,
            step_index=d.step_index if step else None,
            step_name=step["name"] if step else "",
            comment=comment,
            data=data,
        )
        self.events.append((event, list(files)))

    def _step_officer(self, index: int | None = None):
        d = self.dossier
        step = self.steps[d.step_index if index is None else index]
        return self.ctx.officer(d.current_agency_id, step["role"])

    def _desk_officer(self):
        return self.ctx.officer(self.dossier.receiving_agency_id, roles.ONE_STOP_CLERK)

    def _applicant_or_desk(self):
        return self.dossier.applicant or self._desk_officer()

    # -- transitions: the services' own effects (dossiers/effects.py) --------------------------
    def _apply(self, at, action, actor, data, comment="", files=()) -> None:
        from_status = self.events[-1][0].to_status if self.events else None
        self._save()
        self._record(at, action, actor, from_status, comment=comment, files=files, **data)

    def submit(self, at, actor) -> None:
        d = self.dossier
        d.submitted_at = d.created_at = at
        files = []
        if d.channel == Channel.ONLINE:
            files = [("submission", doc) for doc in d.procedure_version.documents]
        self._record(at, "submit", actor, None, files=files, channel=int(d.channel))

    def receive(self, at) -> None:
        d = self.dossier
        # In person the clerk who registers the dossier receives it in the same request.
        actor = self.events[0][0].actor if d.channel == Channel.IN_PERSON else None
        actor = actor or self._desk_officer()
        checklist = [doc["id"] for doc in d.procedure_version.documents]
        data = effects.receive(d, at=at, cal=self.ctx.cal, checklist=checklist, clerk=actor)
        self._apply(at, "receive", actor, data)

    def refuse(self, at) -> None:
        d = self.dossier
        data = effects.close(d, at=at, status=S.REFUSED)
        reason = self.ctx.rng.choice(REFUSE_REASONS)
        self._apply(at, "refuse", self._desk_officer(), data, comment=reason)

    def request_supplement(self, at) -> None:
        d = self.dossier
        step_index = d.step_index if d.current_step else 0
        actor = self.ctx.officer(d.current_agency_id, self.steps[step_index]["role"])
        documents = d.procedure_version.documents  # _plan asks only when there are some
        names = [self.ctx.rng.choice(documents)["name"]] if documents else []
        data = effects.request_supplement(d, at=at, document_names=names)
        reason = self.ctx.rng.choice(SUPPLEMENT_REASONS)
        self._apply(at, "request_supplement", actor, data, comment=reason)

    def supplement(self, at) -> None:
        d = self.dossier
        data = effects.supplement(d, at=at, cal=self.ctx.cal)
        comment = "Đã bổ sung theo yêu cầu."
        files = [("supplement", None)]
        self._apply(at, "supplement", self._applicant_or_desk(), data, comment, files)

    def forward(self, at) -> None:
        d = self.dossier
        actor = self._step_officer()
        nxt = d.step_index + 1
        assignee = self.ctx.officer(step_agency_id(d, nxt), self.steps[nxt]["role"])
        data = effects.advance(d, at=at, cal=self.ctx.cal, assignee=assignee)
        self._apply(at, "forward", actor, data)

    def approve(self, at) -> None:
        d = self.dossier
        actor = self._step_officer()
        d.decision = Decision.APPROVED
        data = effects.advance(d, at=at, cal=self.ctx.cal, assignee=None)
        self._apply(at, "approve", actor, data)

    def reject(self, at) -> None:
        d = self.dossier
        actor = self._step_officer()
        data = effects.finish(d, at=at, decision=Decision.REJECTED)
        self._apply(at, "reject", actor, data, comment=self.ctx.rng.choice(REJECT_REASONS))

    def finish(self, at) -> None:
        d = self.dossier
        actor = self._step_officer()
        data = effects.finish(d, at=at, decision=d.decision or Decision.APPROVED)
        self._apply(at, "finish", actor, data, files=[("result", None)])

    def request_payment(self, at) -> None:
        d = self.dossier
        actor = self._step_officer()
        amount = self.ctx.rng.randrange(2, 120) * 500_000
        desk = d.receiving_agency
        data = effects.request_payment(
            d,
            at=at,
            amount=amount,
            purpose="Tiền sử dụng đất, lệ phí trước bạ",
            pay_at=f"Tại Bộ phận một cửa: {', '.join(p for p in (desk.name, desk.address) if p)}.",
            bank_details="",
            pay_by=self.ctx.cal.add_working_days(at, 5),
        )
        comment = "Thông báo nộp tiền sử dụng đất, lệ phí trước bạ theo thông báo của cơ quan thuế."
        self._apply(at, "request_payment", actor, data, comment=comment)

    def confirm_payment(self, at) -> None:
        d = self.dossier
        actor = self._desk_officer()
        reference = f"BL{self.ctx.rng.randrange(10**7, 10**8)}"
        method = self.ctx.rng.choice(["cash", "cash", "bank_transfer"])
        data = effects.confirm_payment(
            d, at=at, cal=self.ctx.cal, amount=d.fee_amount, method=method, reference=reference
        )
        self._apply(at, "confirm_payment", actor, data)

    def withdraw(self, at) -> None:
        d = self.dossier
        data = effects.close(d, at=at, status=S.WITHDRAWN)
        comment = self.ctx.rng.choice(WITHDRAW_REASONS)
        self._apply(at, "withdraw", self._applicant_or_desk(), data, comment=comment)

    def stop(self, at) -> None:
        d = self.dossier
        actor = self.ctx.officer(d.current_agency_id, roles.AGENCY_LEADER)
        data = effects.close(d, at=at, status=S.STOPPED)
        self._apply(at, "stop", actor, data, comment=self.ctx.rng.choice(STOP_REASONS))

    def return_result(self, at) -> None:
        d = self.dossier
        actor = self._desk_officer()
        rng = self.ctx.rng
        if d.channel == Channel.POSTAL:
            delivery = Delivery.POST
        elif d.channel == Channel.ONLINE and d.decision == Decision.APPROVED:
            delivery = Delivery.ONLINE if rng.random() < 0.7 else Delivery.DESK
        else:
            delivery = Delivery.DESK if rng.random() < 0.9 else Delivery.POST
        data = effects.return_result(d, at=at, delivery=delivery)
        self._apply(at, "return_result", actor, data)
        if d.applicant_id and rng.random() < 0.45:
            score = rng.choices([5, 4, 3, 2, 1], weights=[60, 25, 8, 4, 3])[0]
            rated_at = at + dt.timedelta(hours=rng.uniform(0.2, 48))
            if rated_at < self.ctx.now:
                self.rating = Rating(
                    dossier=d, score=score, comment=rng.choice(RATING_COMMENTS), at=rated_at
                )


# --- planning ------------------------------------------------------------------------------------
def _chain(steps: list[dict], reject: bool) -> list[tuple[int, str]]:
    """The action that ends each step of the internal process, up to the result, as the
    services allow them (``dossiers.actions``): forward before the result step, approve (or
    reject) at the leader's deciding step, finish at the result step."""
    chain = []
    last = effects.result_index(steps)
    for index in range(last + 1):
        deciding = steps[index]["role"] == roles.AGENCY_LEADER  # the demo's deciding role
        if deciding and reject:
            chain.append((index, "reject"))
            break
        if index == last:
            chain.append((index, "finish"))
        else:
            chain.append((index, "approve" if deciding else "forward"))
    return chain


@dataclass
class Plan:
    items: list  # (E, action)
    marks: dict  # name -> E, or (start E, end E) of an interval, to place the cut


def _plan(
    ctx: Context, sim: Sim, *, pre_supplement, mid_supplement, payment, reject, outcomes=OUTCOMES
) -> Plan:
    rng, ds = ctx.rng, ctx.cal.day_seconds
    d = sim.dossier
    days = float(Decimal(d.procedure_version.snapshot["processing_days"]))
    total = days * ds
    items: list[tuple[float, str]] = []
    marks: dict = {}
    if not d.procedure_version.documents:  # nothing to ask for: no supplement request
        pre_supplement = mid_supplement = False
    # Before the desk receives it (online and postal dossiers wait in the desk's queue).
    if d.channel == Channel.IN_PERSON:
        items.append((0.0, "submit"))
    else:
        wait = rng.uniform(0.05, 0.9) * ds
        if pre_supplement:
            pause = rng.randint(1, 5) * ds
            first_wait = rng.uniform(0.05, 0.6) * ds
            items.append((-(first_wait + pause + wait), "submit"))
            items.append((-(pause + wait), "request_supplement"))
            marks["pre_pause"] = (-(pause + wait), -wait)
            items.append((-wait, "supplement"))
        else:
            items.append((-wait, "submit"))
        marks["new"] = (items[0][0], items[1][0] if len(items) > 1 else 0.0)
    items.append((0.0, "receive"))
    # The internal process, in clock time w (pauses excluded), then laid out in E.
    outcome = rng.choices([o for o, _ in outcomes], weights=[w for _, w in outcomes])[0]
    if outcome == "early":
        finish_w = (
            rng.uniform(0.3 * total, total - ds) if total - ds > 0.3 * total else
            rng.uniform(0.05, 0.6) * total
        )  # fmt: skip
    elif outcome == "on_time":
        finish_w = total - rng.uniform(0.0, min(0.4 * ds, 0.5 * total))
    else:
        finish_w = total + ds * rng.uniform(0.1, min(5.0, 0.5 * days + 0.5))
    chain = _chain(sim.steps, reject)
    budgets = [float(sim.steps[index]["budget_days"]) * rng.uniform(0.5, 1.5) for index, _ in chain]
    scale = finish_w / sum(budgets)
    ends, running = [], 0.0
    for budget in budgets:
        running += budget * scale
        ends.append(running)
    pauses = []  # (w, action, resuming action, length, mark)
    if mid_supplement and len(ends) > 2:
        w = ends[0] + rng.uniform(0.2, 0.8) * (ends[1] - ends[0])
        pauses.append((w, "request_supplement", "supplement", rng.randint(1, 6) * ds, "pause"))
    heads = [k for k, (i, _a) in enumerate(chain) if sim.steps[i]["role"] == roles.DEPARTMENT_HEAD]
    if payment and heads and heads[0] > 0:
        k = heads[0]  # the department head sends the tax notice before submitting for signature
        w = ends[k - 1] + rng.uniform(0.2, 0.8) * (ends[k] - ends[k - 1])
        pauses.append((w, "request_payment", "confirm_payment", rng.randint(1, 5) * ds, "payment"))
    shift = 0.0
    events: list[tuple[float, str, str | None, float, str | None]] = [
        (end, action, None, 0.0, None) for end, (_i, action) in zip(ends, chain, strict=True)
    ]
    events += pauses
    events.sort(key=lambda item: item[0])
    marks["forward0"] = None
    for w, action, resume, length, mark in events:
        items.append((w + shift, action))
        if resume:
            marks[mark] = (w + shift, w + shift + length)
            shift += length
            items.append((w + shift, resume))
        if marks["forward0"] is None and action == "forward":
            marks["forward0"] = w + shift
        if action in {"finish", "reject"}:
            marks["finish"] = w + shift
    marks["return"] = marks["finish"] + rng.uniform(0.05, 2.5) * ds
    items.append((marks["return"], "return_result"))
    return Plan(items=items, marks=marks)


def _pick_cut(ctx: Context, target: int, plan: Plan) -> tuple[float, str | None] | None:
    """Where the plan is cut for ``target`` (E) and the closing action played there, if any."""
    rng, m = ctx.rng, plan.marks
    if target == S.NEW:
        if "new" not in m or "pre_pause" in m:
            return None
        start, end = m["new"]
        return start + rng.uniform(0.05, 0.95) * (end - start), None
    if target == S.RECEIVED:
        return rng.uniform(0.02, 0.98) * m["forward0"], None
    if target == S.PROCESSING:  # rather late in the process: some are overdue by now
        return m["forward0"] + rng.random() ** 0.5 * (m["finish"] - m["forward0"]), None
    if target == S.SUPPLEMENT_REQUESTED:
        key = "pause" if "pause" in m else "pre_pause"
        if key not in m:
            return None
        start, end = m[key]
        return start + rng.uniform(0.02, 0.98) * (end - start), None
    if target == S.FINANCIAL_OBLIGATION:
        if "payment" not in m:
            return None
        start, end = m["payment"]
        return start + rng.uniform(0.02, 0.98) * (end - start), None
    if target == S.FINISHED:
        return m["finish"] + rng.uniform(0.02, 0.98) * (m["return"] - m["finish"]), None
    if target == S.RETURNED:
        return m["return"], None
    if target == S.REFUSED:
        return 0.0, "refuse"
    if target == S.WITHDRAWN:
        options = [key for key in ("new", "pause", "pre_pause") if key in m]
        key = rng.choice([*options, "processing"])
        if key == "processing":
            return rng.uniform(m["forward0"], m["finish"]), "withdraw"
        start, end = m[key]
        return start + rng.uniform(0.1, 0.95) * (end - start), "withdraw"
    if target == S.STOPPED:
        key = "pause" if "pause" in m else "pre_pause"
        if key in m:
            start, end = m[key]
            return start + rng.uniform(0.7, 0.99) * (end - start), "stop"
        return rng.uniform(m["forward0"], m["finish"]), "stop"
    raise ValueError(target)  # pragma: no cover


def _play(ctx: Context, sim: Sim, plan: Plan, cut: float, closing: str | None, anchor) -> None:
    cal = ctx.cal
    if cut >= 0:
        received = sub_working_time(cal, anchor, cut)
    else:
        received = cal.add_working_time(anchor, -cut)

    def real(e: float) -> dt.datetime:
        if e >= 0:
            return cal.add_working_time(received, e)
        return sub_working_time(cal, received, -e)

    d = sim.dossier
    last: dt.datetime | None = None
    for e, action in plan.items:
        if e > cut or (closing == "refuse" and action == "receive"):
            break
        at = real(e)
        if action == "submit":
            if d.channel == Channel.IN_PERSON:  # received in the same request as submitted
                actor = sim._desk_officer()
            else:
                actor = d.applicant or sim._desk_officer()
                if d.channel == Channel.ONLINE:  # citizens file online at any hour
                    at = at - dt.timedelta(hours=ctx.rng.uniform(0, 10))
            sim.submit(at, actor)
        else:
            getattr(sim, action)(at)
        last = at
    if closing:
        # Every cut falls after the submission, so the loop has played at least that.
        at = max(anchor, cast(dt.datetime, last) + dt.timedelta(minutes=1))
        getattr(sim, closing)(at)


# --- the batch -----------------------------------------------------------------------------------
def _quotas(count: int) -> list[Status]:
    quotas = {status: int(share * count) for status, share in STATUS_SHARES.items()}
    if count >= 20:
        quotas = {status: max(1, n) for status, n in quotas.items()}
    quotas[S.RETURNED] = max(0, count - sum(quotas.values()))
    targets = [status for status, n in quotas.items() for _ in range(n)]
    return targets[:count]


def _applicant(ctx: Context, spec, channel, ward: Ward | None) -> dict:
    rng = ctx.rng
    citizens = ctx.people["citizens"]
    user = None
    if channel == Channel.ONLINE:
        # The persona citizen (congdan) files a handful: their first online dossiers.
        if ctx.persona_dossiers < 6 or rng.random() < 0.03:
            user = citizens[0]
            ctx.persona_dossiers += 1
        else:
            user = rng.choice(citizens[1:] or citizens)
    organisation = spec.applicants == Procedure.Applicants.ORGANISATION or (
        spec.applicants == Procedure.Applicants.BOTH and rng.random() < 0.3
    )
    ward = ward or rng.choice(ctx.wards)
    address = f"Số {rng.randint(1, 250)}, đường {rng.choice(STREETS)}, {ward.name}"
    data = {
        "applicant": user,
        "applicant_kind": ApplicantKind.ORGANISATION if organisation else ApplicantKind.CITIZEN,
        "applicant_name": user.full_name if user else person_name(rng),
        # 091…–098…: mobile ranges in use (099 is partly unassigned).
        "applicant_phone": user.phone if user else f"09{rng.randrange(10**7, 9 * 10**7)}",
        "applicant_email": user.email if user else "",
        "applicant_address": f"{address}, {settings.PROVINCE_NAME}",
        "applicant_ward": ward,
        "applicant_id_number": (user.national_id if user else f"0920{rng.randrange(10**7, 10**8)}"),
    }
    if organisation:
        data["organisation_name"] = (
            f"{rng.choice(COMPANY_KINDS)} {rng.choice(COMPANY_TRADES)} {rng.choice(COMPANY_WORDS)}"
        )
        data["applicant_id_number"] = f"18{rng.randrange(10**7, 10**8)}"
    return data


def _new_sim(ctx: Context, seeded: SeededProcedure, target: int) -> Sim:
    rng = ctx.rng
    procedure, spec = seeded.procedure, seeded.spec
    version = cast(ProcedureVersion, procedure.current_version)  # seeded procedures are published
    online_ok = procedure.online_level != Procedure.OnlineLevel.NONE
    if target in {S.NEW, S.REFUSED}:  # waiting at the desk: online or by post only
        if online_ok and (rng.random() < 0.8 or not procedure.accepts_postal):
            channel = Channel.ONLINE
        else:
            channel = Channel.POSTAL if procedure.accepts_postal else Channel.IN_PERSON
    else:
        roll = rng.random()
        if online_ok and roll < 0.5:
            channel = Channel.ONLINE
        elif roll < 0.9 or not procedure.accepts_postal:
            channel = Channel.IN_PERSON
        else:
            channel = Channel.POSTAL
    implementer = rng.choice(seeded.agencies)
    ward = implementer.ward if implementer.ward_id else None
    applicant = _applicant(ctx, spec, channel, ward)
    delivery = {
        Channel.IN_PERSON: Delivery.DESK,
        Channel.POSTAL: Delivery.POST,
        Channel.ONLINE: Delivery.ONLINE if rng.random() < 0.6 else Delivery.DESK,
    }[channel]
    desk = implementer.desk
    dossier = Dossier(
        procedure=procedure,
        procedure_version=version,
        receiving_agency=desk,
        agency=implementer,
        current_agency=desk,
        status=S.NEW,
        channel=channel,
        delivery=delivery,
        fee_amount=sum(
            fee["amount"]
            for fee in version.snapshot.get("fees", [])
            if fee.get("channel") in (None, int(channel))
        ),
        version=1,
        **applicant,
    )
    return Sim(ctx=ctx, seeded=seeded, dossier=dossier)


def _anchor(ctx: Context, target: int) -> dt.datetime:
    if target in OPEN_TARGETS:
        return ctx.now
    moment = ctx.now - dt.timedelta(days=ctx.rng.uniform(0.3, 350))
    moment = clamp_back(ctx.cal, moment)
    start, end = _window(ctx.cal, moment.date())
    if moment >= end:  # not everything at closing time
        moment = end - dt.timedelta(minutes=ctx.rng.uniform(5, 300))
    return moment


def _documents(seeded: SeededProcedure) -> list[dict]:
    """The required documents of the procedure's published version (may be none)."""
    version = seeded.procedure.current_version
    return list(version.documents) if version is not None else []


def _simulate(ctx: Context, catalogue: list[SeededProcedure], target: int) -> Sim:
    rng = ctx.rng
    weights = [item.spec.weight for item in catalogue]
    for _attempt in range(30):
        if target == S.FINANCIAL_OBLIGATION:
            pool = [item for item in catalogue if item.spec.obligation] or catalogue
            seeded = rng.choice(pool)
        elif target == S.SUPPLEMENT_REQUESTED:  # a supplement names one of the documents
            pool = [item for item in catalogue if _documents(item)] or catalogue
            seeded = rng.choices(pool, weights=[item.spec.weight for item in pool])[0]
        else:
            seeded = rng.choices(catalogue, weights=weights)[0]
        sim = _new_sim(ctx, seeded, target)
        if target in {S.NEW, S.REFUSED} and sim.dossier.channel == Channel.IN_PERSON:
            continue
        online_first = sim.dossier.channel != Channel.IN_PERSON
        plan = _plan(
            ctx,
            sim,
            pre_supplement=online_first
            and (rng.random() < (0.5 if target == S.SUPPLEMENT_REQUESTED else 0.04)),
            mid_supplement=rng.random()
            < (0.8 if target in {S.SUPPLEMENT_REQUESTED, S.STOPPED} else 0.07),
            payment=seeded.spec.obligation
            and (target == S.FINANCIAL_OBLIGATION or rng.random() < 0.6),
            reject=target in {S.RETURNED, S.FINISHED} and rng.random() < 0.04,
            outcomes=OPEN_OUTCOMES if target in OPEN_TARGETS - {S.FINISHED} else OUTCOMES,
        )
        cut = _pick_cut(ctx, target, plan)
        if cut is None:
            continue
        _play(ctx, sim, plan, *cut, anchor=_anchor(ctx, target))
        year_ago = ctx.now - dt.timedelta(days=365)
        if sim.dossier.status == target and sim.dossier.submitted_at >= year_ago:
            return sim
    raise RuntimeError(f"could not plan a dossier with status {target}")  # pragma: no cover


def _allocate_codes(sims: list[Sim]) -> list[DossierCounter]:
    counters = {(c.agency_id, c.day): c.last for c in DossierCounter.objects.all()}
    taken = set(Dossier.objects.values_list("code", flat=True))
    touched = {}
    for sim in sorted(sims, key=lambda s: s.dossier.submitted_at):
        d = sim.dossier
        day = timezone.localtime(d.submitted_at).date()
        key = (d.receiving_agency_id, day)
        number = counters.get(key, 0)
        while True:
            number += 1
            code = f"{d.receiving_agency.code}-{day:%y%m%d}-{number:04d}"
            if code not in taken:
                break
        counters[key] = number
        touched[key] = number
        d.code = code
        taken.add(code)
    return [
        DossierCounter(agency_id=agency_id, day=day, last=last)
        for (agency_id, day), last in touched.items()
    ]


def _file(sim: Sim, event: DossierEvent, kind: str, doc: dict | None, ctx: Context):
    stored = {
        "submission": ctx.submission_file,
        "supplement": ctx.supplement_file,
        "result": ctx.result_file,
    }[kind]
    if kind == "submission":
        original = f"tai-lieu-{cast(dict, doc)['id']}.pdf"  # a submitted file has its document
        file_kind = FileKind.SUBMISSION
    elif kind == "supplement":
        original, file_kind = "bo-sung.pdf", FileKind.SUPPLEMENT
    else:
        original, file_kind = "ket-qua.pdf", FileKind.RESULT
    record = DossierFile(
        dossier=sim.dossier,
        event=event,
        kind=file_kind,
        document_id=doc["id"] if doc else None,
        document_name=document_name_short(doc["name"]) if doc else "",
        original_name=original,
        content_type="application/pdf",
        extension=".pdf",
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=event.actor,
        uploaded_at=event.at,
    )
    record.file.name = stored.name
    return record


def dossiers_seed(
    *, count: int, catalogue: list[SeededProcedure], people: dict, progress=None
) -> dict:
    """Top the dossiers up to ``count``; return a few numbers about what was made."""
    existing = Dossier.objects.count()
    missing = max(0, count - existing)
    if missing == 0:
        return {"created": 0}
    cal = get_calendar()
    ctx = Context(
        cal=cal,
        now=timezone.localtime(timezone.now()),
        rng=random.Random(f"tinhso-demo-dossiers-{existing}"),
        people=people,
        wards=list(Ward.objects.filter(province_code=settings.PROVINCE_CODE)),
        submission_file=_store("submission"),
        supplement_file=_store("supplement"),
        result_file=_store("result"),
    )
    targets = _quotas(missing)
    ctx.rng.shuffle(targets)
    sims = []
    for target in targets:
        sims.append(_simulate(ctx, catalogue, target))
        if progress:
            progress(1)
    with transaction.atomic():
        counters = _allocate_codes(sims)
        dossiers = [sim.dossier for sim in sims]
        Dossier.objects.bulk_create(dossiers, batch_size=500)
        for sim in sims:  # updated_at is auto_now: set it to the last change afterwards
            sim.dossier.updated_at = sim.events[-1][0].at
        Dossier.objects.bulk_update(dossiers, ["updated_at"], batch_size=500)
        events = [event for sim in sims for event, _files in sim.events]
        DossierEvent.objects.bulk_create(events, batch_size=1000)
        files = [
            _file(sim, event, kind, doc, ctx)
            for sim in sims
            for event, kinds in sim.events
            for kind, doc in kinds
        ]
        DossierFile.objects.bulk_create(files, batch_size=1000)
        ratings = [sim.rating for sim in sims if sim.rating]
        Rating.objects.bulk_create(ratings, batch_size=1000)
        audit = [
            AuditLog(
                at=event.at,
                actor=event.actor,
                action=f"dossier.{event.action}",
                object_type="dossiers.dossier",
                object_id=str(event.dossier.pk),
                object_repr=event.dossier.code,
                data={"from_status": event.from_status, "to_status": event.to_status, **event.data},
            )
            for event in events
        ]
        audit += [
            AuditLog(
                at=rating.at,
                actor=rating.dossier.applicant,
                action="dossier.rate",
                object_type="dossiers.dossier",
                object_id=str(rating.dossier.pk),
                object_repr=rating.dossier.code,
                data={"score": rating.score},
            )
            for rating in ratings
        ]
        AuditLog.objects.bulk_create(audit, batch_size=1000)
        DossierCounter.objects.bulk_create(
            counters, update_conflicts=True, unique_fields=["agency", "day"], update_fields=["last"]
        )
    now = ctx.now
    statuses = Counter(d.status for d in dossiers)
    soon = cal.add_working_days(now, settings.DUE_SOON_WORKING_DAYS)
    due = [d.due_at for d in dossiers if d.status in ACTIVE_STATUSES and d.due_at]
    return {
        "created": len(dossiers),
        "events": len(events),
        "statuses": dict(sorted(statuses.items())),
        "timeliness": dict(Counter(d.timeliness for d in dossiers if d.timeliness)),
        "channels": dict(Counter(int(d.channel) for d in dossiers)),
        "overdue": sum(1 for due_at in due if due_at < now),
        "due_soon": sum(1 for due_at in due if now < due_at <= soon),
    }
