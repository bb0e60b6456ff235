"""Every action the office records reaches the applicant as its spec says, on the portal's
timeline and in the API: the citizen's label, the comment only when it is public, and the link
to the slip it produced; and the same files (not the officers' internal attachments). (The kind of
the apology bug: the office recorded ``apology``, the portal looked for ``apologise``, and the
citizen never saw the reason nor the letter; and of the API that showed the applicant an internal
note and ``internal-memo.pdf`` the portal hid.)

One place decides: the specs (``dossiers.actions``) for the history and
``selectors.file_shown_to_applicant`` for files. The comparison is run again with every spec's
rule turned around, and with the internal attachments allowed, so that a page or an API that
decided on its own would disagree with the other and fail."""

import dataclasses
import html

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from tinhso.dossiers import selectors, services
from tinhso.dossiers.actions import SPECS, Action
from tinhso.dossiers.constants import FileKind
from tinhso.dossiers.models import Dossier, DossierEvent
from tinhso.dossiers.tests.api_helpers import api_client
from tinhso.dossiers.tests.helpers import checklist, submit_online
from tinhso.dossiers.tests.test_apology import LATE, at
from tinhso.testing.files import pdf_upload

pytestmark = pytest.mark.django_db


INTERNAL = "to-trinh-noi-bo.pdf"  # an officer's attachment to a forward
RESULT = "ket-qua.pdf"


def _comment(action: str) -> str:
    return f"Ghi chú của cán bộ cho thao tác {action}"


def _lives(world) -> list[Dossier]:
    """Dossiers whose histories hold every action of the specs at least once."""
    w = world
    a = submit_online(w)
    a = services.dossier_request_supplement(dossier=a, actor=w.clerk, reason=_comment("rs"))
    a = services.dossier_supplement(
        dossier=a, actor=w.citizen, files=[pdf_upload()], comment=_comment("supplement")
    )
    a = services.dossier_receive(dossier=a, actor=w.clerk, checklist=checklist(a))
    a = services.dossier_forward(
        dossier=a, actor=w.clerk, comment=_comment("forward"), files=[pdf_upload(INTERNAL)]
    )
    a = services.dossier_reassign(
        dossier=a, actor=w.head, assignee=w.specialist, comment=_comment("reassign")
    )
    a = services.dossier_forward(dossier=a, actor=w.specialist, comment=_comment("forward"))
    a = services.dossier_send_back(dossier=a, actor=w.head, to_step=1, comment=_comment("back"))
    a = services.dossier_forward(dossier=a, actor=w.specialist)
    a = services.dossier_request_payment(
        dossier=a,
        actor=w.head,
        amount=50_000,
        purpose="Lệ phí",
        pay_within_days=5,
        comment=_comment("request_payment"),
    )
    a = services.dossier_confirm_payment(
        dossier=a, actor=w.clerk, amount=50_000, method="cash", reference="BL1"
    )
    a = services.dossier_forward(dossier=a, actor=w.head)
    a = services.dossier_approve(dossier=a, actor=w.leader, comment=_comment("approve"))
    a = services.dossier_finish(
        dossier=a, actor=w.doc_clerk, files=[pdf_upload(RESULT)], comment=_comment("finish")
    )
    a = services.dossier_return_result(
        dossier=a, actor=w.clerk, delivery="online", comment=_comment("return_result")
    )
    services.dossier_rate(dossier=a, actor=w.citizen, score=5)

    refused = services.dossier_refuse(
        dossier=submit_online(w), actor=w.clerk, reason=_comment("refuse")
    )
    withdrawn = services.dossier_withdraw(
        dossier=submit_online(w), actor=w.citizen, reason=_comment("withdraw")
    )
    rejected = submit_online(w)
    rejected = services.dossier_receive(
        dossier=rejected, actor=w.clerk, checklist=checklist(rejected)
    )
    for actor in (w.clerk, w.specialist, w.head):
        rejected = services.dossier_forward(dossier=rejected, actor=actor)
    rejected = services.dossier_reject(dossier=rejected, actor=w.leader, reason=_comment("rej"))

    with time_machine.travel(at(2, 9), tick=False):
        late = submit_online(w)
        late = services.dossier_receive(dossier=late, actor=w.clerk, checklist=checklist(late))
    with time_machine.travel(LATE, tick=False):
        letter = services.apology_draft(dossier=late)
        services.apology_issue(
            letter=letter, actor=w.clerk, reason=_comment("apology"), new_due_at=at(20, 9).date()
        )
        stopped = services.dossier_stop(dossier=late, actor=w.admin, reason=_comment("stop"))
    return [a, refused, withdrawn, rejected, stopped]


def _turn_around(monkeypatch, rule: str) -> None:
    """Change what the applicant is shown, in the one place that decides it."""
    for name, spec in list(SPECS.items()):
        if rule == "comments":
            spec = dataclasses.replace(spec, public_comment=not spec.public_comment)
        elif rule == "labels":
            spec = dataclasses.replace(spec, citizen_label=f"Nhãn thử cho {name}")
        monkeypatch.setitem(SPECS, name, spec)
    if rule == "files":
        monkeypatch.setattr(selectors, "APPLICANT_FILE_KINDS", frozenset(FileKind))


@pytest.mark.parametrize("rule", ["as specified", "comments", "labels", "files"])
def test_every_recorded_action_reaches_the_applicant_as_its_spec_says(
    world, client, monkeypatch, rule
):
    dossiers = _lives(world)
    recorded = set(
        DossierEvent.objects.filter(dossier__in=dossiers).values_list("action", flat=True)
    )
    assert recorded == set(Action.values) - {Action.RATE}, "a spec is not exercised"
    _turn_around(monkeypatch, rule)
    client.force_login(world.citizen)
    api = api_client(world.citizen)
    seen = set()
    for dossier in dossiers:
        with translation.override("vi"):
            page = html.unescape(client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode())
        detail = api.get(f"/api/v1/dossiers/{dossier.code}/").json()
        history = detail["history"]
        events = list(dossier.events.order_by("at", "pk"))
        assert [row["action"] for row in history] == [e.action for e in events]
        for event, row in zip(events, history, strict=True):
            spec = SPECS[event.action]
            with translation.override("vi"):
                label = str(spec.citizen_label)
            assert label in page, (event.action, label)
            assert row["label"] == label
            assert row["comment"] == (event.comment if spec.public_comment else "")
            if event.comment:
                assert event.comment.startswith("Ghi chú"), "a comment the page check misses"
                assert (event.comment in page) == spec.public_comment, event.action
            if spec.slip:
                assert row["slip_url"] and row["slip_url"].endswith(f"/{spec.slip}/"), row
                assert f"/{spec.slip}/" in page
                assert client.get(row["slip_url"]).status_code == 200
            else:
                assert row["slip_url"] is None
            seen.add(event.action)
        # The same files on the page and in the API, each downloadable by the applicant; the
        # officers' internal attachments nowhere (unless the rule itself allows them).
        files = detail["files"]
        for file in files:
            assert file["original_name"] in page, file["original_name"]
            assert client.get(file["download_url"]).status_code == 200
        internal = dossier.files.filter(original_name=INTERNAL).first()
        if internal is not None:
            shown = rule == "files"
            assert (INTERNAL in page) == shown
            assert (INTERNAL in [f["original_name"] for f in files]) == shown
            download = client.get(reverse("dossiers:file", args=[dossier.pk, internal.pk]))
            assert download.status_code == (200 if shown else 404)
        for name in {f.original_name for f in dossier.files.all()} - {INTERNAL}:
            assert name in page and name in [f["original_name"] for f in files], name
    assert "apology" in seen and INTERNAL in {
        f.original_name for d in dossiers for f in d.files.all()
    }


def test_officers_read_every_comment_in_the_api(world):
    dossier = submit_online(world)
    dossier = services.dossier_receive(
        dossier=dossier, actor=world.clerk, checklist=checklist(dossier)
    )
    dossier = services.dossier_forward(dossier=dossier, actor=world.clerk, comment="Nội bộ")
    officer = api_client(world.clerk).get(f"/api/v1/dossiers/{dossier.code}/").json()
    citizen = api_client(world.citizen).get(f"/api/v1/dossiers/{dossier.code}/").json()
    assert officer["history"][-1]["comment"] == "Nội bộ"
    assert citizen["history"][-1]["comment"] == ""


def test_the_new_appointment_of_an_apology_reaches_the_applicant_and_the_public(world, client):
    with time_machine.travel(at(2, 9), tick=False):
        late = submit_online(world)
        late = services.dossier_receive(dossier=late, actor=world.clerk, checklist=checklist(late))
    with time_machine.travel(LATE, tick=False):
        letter = services.apology_draft(dossier=late)
        services.apology_issue(
            letter=letter, actor=world.clerk, reason="Chờ xác minh", new_due_at=at(20, 9).date()
        )
    late = Dossier.objects.get(pk=late.pk)
    assert late.new_due_at is not None and late.due_at == late.new_due_at
    assert late.original_due_at < late.new_due_at
    assert late.new_due_at.date().isoformat() == "2026-11-20"
    client.force_login(world.citizen)
    assert "20/11/2026" in client.get(f"/ho-so-cua-toi/{late.pk}/").content.decode()
    assert "20/11/2026" in client.get("/ho-so-cua-toi/").content.decode()
    client.logout()
    assert "20/11/2026" in client.get("/tra-cuu/", {"code": late.code}).content.decode()
    tracked = api_client().get(f"/api/v1/tracking/{late.code}/").json()
    assert tracked["new_due_at"].startswith("2026-11-20")
    # The new date is the appointment everywhere: due_at too (the API's appointment).
    assert tracked["due_at"] == tracked["new_due_at"]
    detail = api_client(world.citizen).get(f"/api/v1/dossiers/{late.code}/").json()
    assert detail["due_at"].startswith("2026-11-20")
    assert detail["original_due_at"] < detail["due_at"]
