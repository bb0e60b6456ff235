"""Issue 7, a next step on every page, at the services: what a payment request tells the
applicant and who may record the payment; the apology's new date as the appointment while the
statistics keep the first one; the timeline's agency; the ward kept with the address; what the
desk is told when it has not ticked the checklist."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tinhso.core.calendar import get_calendar
from tinhso.core.errors import TransitionError
from tinhso.core.models import AuditLog
from tinhso.dossiers import selectors, services
from tinhso.dossiers.constants import Channel, Status, Timeliness
from tinhso.dossiers.models import Dossier, DossierEvent
from tinhso.dossiers.tests.api_helpers import api_client
from tinhso.dossiers.tests.helpers import (
    payment_requested,
    submit_online,
    walk_to_processing,
    ward_create,
)
from tinhso.testing.files import pdf_upload

pytestmark = pytest.mark.django_db

REQUEST = {"amount": 150_000, "purpose": "Lệ phí đăng ký", "pay_within_days": 3}


def _requested(world, **overrides):
    return payment_requested(world, **{**REQUEST, **overrides})


# --- the payment request ------------------------------------------------------------------------
def test_the_request_says_how_much_what_for_where_and_by_when(world):
    before = timezone.localtime()
    dossier = _requested(world, bank_details="STK 0123 - Vietcombank")
    assert dossier.status == Status.FINANCIAL_OBLIGATION
    assert dossier.fee_amount == 150_000  # the amount asked, not the procedure's standard fee
    request = selectors.payment_request_open(dossier.pk, dossier.status)
    assert request["amount"] == 150_000 and request["purpose"] == "Lệ phí đăng ký"
    # By default at the receiving desk, with its name.
    assert dossier.receiving_agency.name in request["pay_at"]
    assert request["bank_details"] == "STK 0123 - Vietcombank"
    # Three working days on the calendar (never a weekend or a holiday), to the day's close.
    expected = get_calendar().add_working_days(before, 3)
    pay_by = timezone.localtime(request["pay_by"])
    assert pay_by.date() == timezone.localtime(expected).date()
    assert pay_by.time() == get_calendar().office_close
    event = dossier.events.get(action="request_payment")
    assert event.data["pay_at"] == request["pay_at"]
    assert AuditLog.objects.filter(action="dossier.request_payment").exists()


def test_a_date_to_pay_by_means_the_end_of_office_hours_and_must_be_ahead(world):
    dossier = _requested(world, pay_within_days=None, pay_by=dt.date(2099, 1, 5))
    request = selectors.payment_request_open(dossier.pk, dossier.status)
    close = get_calendar().office_close
    assert timezone.localtime(request["pay_by"]).date() == dt.date(2099, 1, 5)
    assert timezone.localtime(request["pay_by"]).time() == close
    other = walk_to_processing(world, submit_online(world))
    for bad in (
        {"pay_within_days": None, "pay_by": dt.date(2000, 1, 1)},
        {"pay_within_days": None},
        {"pay_within_days": 0},
        {"purpose": "  "},
    ):
        with pytest.raises(ValidationError):
            services.dossier_request_payment(
                dossier=other, actor=world.specialist, **{**REQUEST, **bad}
            )
    assert Dossier.objects.get(pk=other.pk).status == Status.PROCESSING


def test_the_desk_records_the_payment_and_the_clock_runs_again(world):
    dossier = _requested(world)
    with pytest.raises(ValidationError):  # less than asked
        services.dossier_confirm_payment(
            dossier=dossier, actor=world.clerk, amount=100_000, method="cash", reference="BL1"
        )
    with pytest.raises(ValidationError):  # no receipt number
        services.dossier_confirm_payment(
            dossier=dossier, actor=world.clerk, amount=150_000, method="cash", reference=" "
        )
    dossier = services.dossier_confirm_payment(
        dossier=dossier, actor=world.clerk, amount=150_000, method="cash", reference="BL0042"
    )
    assert dossier.status == Status.PROCESSING and dossier.fee_paid_at
    assert dossier.current_agency == world.procedure.agency  # processing goes on where it was
    paid = selectors.payment_received(dossier)
    assert (paid["amount"], paid["method"], paid["reference"]) == (150_000, "cash", "BL0042")
    assert selectors.payment_request_open(dossier.pk, dossier.status) is None
    audit = AuditLog.objects.get(action="dossier.confirm_payment")
    assert audit.actor == world.clerk and audit.data["reference"] == "BL0042"
    assert audit.data["amount"] == 150_000 and audit.data["method"] == "cash"


def test_who_may_not_request_or_record_a_payment(world):
    dossier = walk_to_processing(world, submit_online(world))
    # An officer of another agency, even with the same role.
    with pytest.raises(PermissionDenied):
        services.dossier_request_payment(dossier=dossier, actor=world.other_specialist, **REQUEST)
    with pytest.raises(PermissionDenied):
        services.dossier_request_payment(dossier=dossier, actor=world.citizen, **REQUEST)
    dossier = services.dossier_request_payment(dossier=dossier, actor=world.specialist, **REQUEST)
    paid = {"amount": 150_000, "method": "cash", "reference": "BL1"}
    for actor in (world.citizen, world.other_specialist, world.ward_clerk, world.specialist):
        with pytest.raises(PermissionDenied):
            services.dossier_confirm_payment(dossier=dossier, actor=actor, **paid)
        assert "confirm_payment" not in services.dossier_allowed_actions(
            dossier=dossier, actor=actor
        )
    assert "confirm_payment" in services.dossier_allowed_actions(dossier=dossier, actor=world.clerk)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.FINANCIAL_OBLIGATION


def test_the_desk_sees_the_dossiers_waiting_for_a_payment_in_its_queue(world):
    dossier = _requested(world)
    queue = selectors.dossier_queue(world.clerk, box="agency")
    assert dossier in queue
    assert dossier not in selectors.dossier_queue(world.ward_clerk, box="agency")


# --- the apology's new appointment ------------------------------------------------------------
def test_the_new_date_of_an_apology_is_the_appointment_but_the_statistics_keep_the_first(world):
    start = timezone.make_aware(dt.datetime(2026, 11, 2, 9))
    with time_machine.travel(start, tick=False):
        dossier = walk_to_processing(world, submit_online(world))
    first = dossier.due_at
    assert dossier.original_due_at == first
    late = first + dt.timedelta(days=3)
    with time_machine.travel(late, tick=False):
        with pytest.raises(PermissionDenied):  # another agency's officer
            letter = services.apology_draft(dossier=dossier)
            services.apology_issue(
                letter=letter,
                actor=world.other_specialist,
                reason="x",
                new_due_at=late + dt.timedelta(days=5),
            )
        letter = services.apology_draft(dossier=dossier)
        with pytest.raises(PermissionDenied):  # the applicant
            services.apology_issue(
                letter=letter, actor=world.citizen, reason="x", new_due_at=late.date()
            )
        new = late + dt.timedelta(days=5)
        services.apology_issue(letter=letter, actor=world.specialist, reason="Chờ", new_due_at=new)
        dossier = Dossier.objects.get(pk=dossier.pk)
        assert dossier.due_at == dossier.new_due_at == new
        assert dossier.original_due_at == first and not dossier.is_overdue
        assert dossier not in selectors.dossier_queue(world.specialist, box="overdue")
        assert dossier in selectors.dossier_queue(world.specialist, box="agency")
    with time_machine.travel(late + dt.timedelta(days=1), tick=False):
        dossier = services.dossier_forward(dossier=dossier, actor=world.specialist)
        dossier = services.dossier_forward(dossier=dossier, actor=world.head)
        dossier = services.dossier_approve(dossier=dossier, actor=world.leader)
        dossier = services.dossier_finish(
            dossier=dossier, actor=world.doc_clerk, files=[pdf_upload()]
        )
    # Finished before the new date, yet late against the appointment of form 01.
    assert dossier.finished_at < dossier.due_at
    assert dossier.timeliness == Timeliness.LATE


def test_waiting_for_a_payment_pushes_every_appointment_back(world):
    dossier = walk_to_processing(world, submit_online(world))
    due, original = dossier.due_at, dossier.original_due_at
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        dossier = services.dossier_request_payment(
            dossier=dossier, actor=world.specialist, **REQUEST
        )
    with time_machine.travel(now + dt.timedelta(days=7), tick=False):
        dossier = services.dossier_confirm_payment(
            dossier=dossier, actor=world.clerk, amount=150_000, method="cash", reference="BL1"
        )
    assert dossier.due_at > due and dossier.original_due_at > original
    assert dossier.due_at == dossier.original_due_at  # no apology: one appointment


# --- the timeline names who acted ---------------------------------------------------------------
def test_each_event_names_the_agency_of_the_officer_who_acted(world):
    dossier = walk_to_processing(world, submit_online(world))  # the desk forwards to Justice
    events = {e.action: e for e in DossierEvent.objects.filter(dossier=dossier)}
    assert events["submit"].agency is None  # the applicant
    assert events["receive"].agency == world.clerk.officer.agency
    # The clerk of the desk handed it on: the desk acted, though it now sits at Justice.
    assert events["forward"].agency == world.clerk.officer.agency
    assert dossier.current_agency != world.clerk.officer.agency
    timeline = selectors.dossier_timeline_for_applicant(dossier)
    assert timeline[-1]["agency"] == world.clerk.officer.agency.name


# --- the ward and the address -------------------------------------------------------------------
def test_the_ward_is_kept_with_the_address_and_shown_after_it(world):
    ward = ward_create()
    dossier = services.dossier_submit(
        procedure=world.procedure,
        channel=Channel.IN_PERSON,
        actor=world.clerk,
        applicant_name="Nguyễn Văn An",
        applicant_phone="0912345678",
        applicant_address="12 đường 30/4",
        applicant_ward=ward,
        checklist=[d["id"] for d in world.procedure.current_version.documents],
    )
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.applicant_ward == ward and dossier.applicant_address == "12 đường 30/4"
    assert dossier.applicant_full_address == "12 đường 30/4, Phường Ninh Kiều"
    dossier.applicant_address = "12 đường 30/4, phường Ninh Kiều"  # named already: not twice
    assert dossier.applicant_full_address == "12 đường 30/4, phường Ninh Kiều"
    body = api_client(world.clerk).get(f"/api/v1/dossiers/{dossier.code}/").json()
    assert body["applicant"]["ward"] == ward.pk
    assert body["applicant"]["ward_name"] == "Phường Ninh Kiều"
    assert body["applicant"]["full_address"] == "12 đường 30/4, Phường Ninh Kiều"


# --- reception without the checklist ------------------------------------------------------------
def test_receiving_without_ticking_says_to_tick_the_documents(world):
    dossier = submit_online(world)
    with pytest.raises(ValidationError) as caught:
        services.dossier_receive(dossier=dossier, actor=world.clerk, checklist=[])
    message = " ".join(caught.value.messages)
    assert "đánh dấu" in message or "Tick" in message
    with pytest.raises(TransitionError):
        services.dossier_confirm_payment(
            dossier=dossier, actor=world.clerk, amount=1, method="cash", reference="x"
        )
