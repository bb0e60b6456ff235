"""Form 04: apology letters for overdue dossiers, drafted by a task and issued by an officer."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from tinhso.core.errors import TransitionError
from tinhso.core.models import AuditLog
from tinhso.dossiers import services, tasks
from tinhso.dossiers.constants import Status
from tinhso.dossiers.models import ApologyLetter
from tinhso.dossiers.slips import slip_available
from tinhso.dossiers.tests.helpers import checklist, submit_online
from tinhso.dossiers.tests.test_slips import at, pdf_text

pytestmark = pytest.mark.django_db

LATE = at(10, 9)  # the Tuesday after the appointment (Monday 9 November, 09:00)


def at_justice(world, applicant=None):
    """Received Monday 2 November 09:00 (due 9 November 09:00), at the specialist's step."""
    with time_machine.travel(at(2, 9), tick=False):
        dossier = submit_online(world, actor=applicant)
        dossier = services.dossier_receive(
            dossier=dossier, actor=world.clerk, checklist=checklist(dossier)
        )
    with time_machine.travel(at(2, 10), tick=False):
        return services.dossier_forward(dossier=dossier, actor=world.clerk)


@pytest.fixture
def overdue(world):
    return at_justice(world)


@pytest.fixture
def late():
    with time_machine.travel(LATE, tick=False):
        yield


def test_draft_proposes_the_remaining_working_days(world, overdue, late):
    letter = services.apology_draft(dossier=overdue)
    assert letter.status == ApologyLetter.Status.DRAFT
    # The specialist's step is spent; 1 + 0.5 + 0.5 + 0.5 days remain, rounded up to 3.
    assert letter.new_due_at == at(13, 9)
    assert AuditLog.objects.filter(action="dossier.apology_draft").count() == 1


def test_draft_proposes_at_least_one_working_day(world, overdue):
    overdue.procedure_version.snapshot["steps"] = overdue.steps[:2]
    overdue.procedure_version.save()
    with time_machine.travel(at(13, 16), tick=False):  # Friday afternoon
        letter = services.apology_draft(dossier=overdue)
    assert letter.new_due_at == at(16, 16)  # Monday


def test_draft_is_idempotent(world, overdue, late):
    first = services.apology_draft(dossier=overdue)
    second = services.apology_draft(dossier=overdue)
    assert first.pk == second.pk
    assert ApologyLetter.objects.filter(dossier=overdue).count() == 1


def test_no_draft_for_a_dossier_on_time(world, overdue):
    with time_machine.travel(at(5, 9), tick=False):
        with pytest.raises(TransitionError):
            services.apology_draft(dossier=overdue)
    assert not ApologyLetter.objects.exists()


def issue(letter, actor, **kwargs):
    params = {"reason": "Cần xác minh thêm thông tin.", "new_due_at": at(16, 16), **kwargs}
    return services.apology_issue(letter=letter, actor=actor, **params)


def test_officer_of_the_handling_agency_issues_it(world, overdue, late):
    due_before = overdue.due_at
    letter = issue(services.apology_draft(dossier=overdue), world.specialist)
    assert letter.status == ApologyLetter.Status.ISSUED
    assert letter.issued_by == world.specialist and letter.issued_at == LATE
    assert letter.new_due_at == at(16, 16)
    overdue.refresh_from_db()
    # The new date is the appointment now; the statistics keep the one of form 01.
    assert overdue.due_at == overdue.new_due_at == at(16, 16)
    assert overdue.original_due_at == due_before
    assert not overdue.is_overdue and overdue.status == Status.PROCESSING
    # Idempotent while the letter is in force: no second letter is drafted.
    assert services.apology_draft(dossier=overdue).pk == letter.pk
    event = overdue.events.get(action="apology")
    assert event.data["new_due_at"] == at(16, 16).isoformat()
    assert event.comment == "Cần xác minh thêm thông tin."
    assert event.actor == world.specialist
    assert AuditLog.objects.filter(action="dossier.apology", object_id=str(overdue.pk)).exists()


def test_a_date_means_the_end_of_office_hours(world, overdue, late):
    letter = issue(
        services.apology_draft(dossier=overdue), world.head, new_due_at=dt.date(2026, 11, 16)
    )
    assert letter.new_due_at == at(16, 17)


@pytest.mark.parametrize("who", ["other_specialist", "citizen", "clerk", "ward_clerk"])
def test_others_may_not_issue_it(world, overdue, late, who):
    letter = services.apology_draft(dossier=overdue)
    with pytest.raises(PermissionDenied):
        issue(letter, getattr(world, who))
    letter.refresh_from_db()
    assert letter.status == ApologyLetter.Status.DRAFT
    assert not overdue.events.filter(action="apology").exists()


def test_anonymous_may_not_issue_it(world, overdue, late):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        issue(services.apology_draft(dossier=overdue), AnonymousUser())


def test_province_admin_may_issue_it(world, overdue, late):
    assert issue(services.apology_draft(dossier=overdue), world.admin).status == "issued"


@pytest.mark.parametrize(
    ("reason", "new_due_at"), [("", at(16, 16)), ("   ", at(16, 16)), ("Lý do.", at(9, 9))]
)
def test_bad_input_is_refused(world, overdue, late, reason, new_due_at):
    letter = services.apology_draft(dossier=overdue)
    with pytest.raises(ValidationError):
        issue(letter, world.specialist, reason=reason, new_due_at=new_due_at)
    letter.refresh_from_db()
    assert letter.status == ApologyLetter.Status.DRAFT


def test_a_letter_is_issued_once(world, overdue, late):
    letter = issue(services.apology_draft(dossier=overdue), world.specialist)
    with pytest.raises(TransitionError):
        issue(letter, world.specialist)
    assert overdue.events.filter(action="apology").count() == 1


def test_no_new_draft_until_the_new_appointment_is_missed(world, overdue):
    with time_machine.travel(LATE, tick=False):
        issued = issue(services.apology_draft(dossier=overdue), world.specialist)
        assert services.apology_draft(dossier=overdue).pk == issued.pk
    with time_machine.travel(at(17, 9), tick=False):  # the new appointment has passed too
        second = services.apology_draft(dossier=overdue)
    assert second.pk != issued.pk and second.status == ApologyLetter.Status.DRAFT


def test_task_and_command_draft_for_every_overdue_dossier(world, overdue):
    second = at_justice(world, applicant=world.other_citizen)
    with time_machine.travel(at(4, 9), tick=False):
        on_time = submit_online(world)
        on_time = services.dossier_receive(
            dossier=on_time, actor=world.clerk, checklist=checklist(on_time)
        )
    with time_machine.travel(LATE, tick=False):
        result = tasks.apologies_draft_overdue.enqueue()
        assert result.return_value == 2
        out = StringIO()
        call_command("draft_apologies", stdout=out)
    assert "0 apology letter(s) drafted" in out.getvalue()
    drafted = set(ApologyLetter.objects.values_list("dossier_id", flat=True))
    assert drafted == {overdue.pk, second.pk}


def test_the_apology_slip_shows_the_reason_and_the_new_appointment(client, world, overdue, late):
    letter = services.apology_draft(dossier=overdue)
    client.force_login(world.citizen)
    url = reverse("dossiers:slip", args=[overdue.pk, "04"])
    assert client.get(url).status_code == 404  # a draft is for officers only
    client.force_login(world.specialist)
    draft = pdf_text(client.get(url).content)
    assert "DỰ THẢO" in draft
    issue(letter, world.specialist)
    assert slip_available(overdue, "04")
    client.force_login(world.citizen)
    response = client.get(url)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text.upper()
    assert "DỰ THẢO" not in text
    assert "Cần xác minh thêm thông tin." in text
    assert "16 giờ 00 phút, ngày 16 tháng 11 năm 2026" in text  # the new appointment
    assert "09 giờ 00 phút, ngày 09 tháng 11 năm 2026" in text  # the one missed
    assert "Nguyễn Văn An" in text and overdue.code in text
    assert "SỞ TƯ PHÁP" in text
    client.force_login(world.other_citizen)
    assert client.get(url).status_code == 404


def test_refusals_speak_vietnamese(world, overdue, late):
    from django.utils import translation

    letter = services.apology_draft(dossier=overdue)
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        issue(letter, world.specialist, reason="")
    assert error.value.messages == ["Vui lòng nêu lý do chậm trễ."]
    with translation.override("vi"), pytest.raises(PermissionDenied) as denied:
        issue(letter, world.other_specialist)
    assert "cơ quan" in str(denied.value).lower()


@pytest.mark.parametrize(
    "new_due_at", [dt.date(9999, 12, 31), dt.date(2027, 2, 9), at(9, 8), at(10, 8)]
)
def test_the_new_appointment_is_bounded(world, overdue, late, new_due_at):
    """Not before now or the current appointment, at most APOLOGY_MAX_DAYS (90) days ahead."""
    letter = services.apology_draft(dossier=overdue)
    with pytest.raises(ValidationError):
        issue(letter, world.specialist, new_due_at=new_due_at)
    letter.refresh_from_db()
    assert letter.status == ApologyLetter.Status.DRAFT


def test_the_new_appointment_may_be_the_last_day_allowed(world, overdue, late, settings):
    assert (
        issue(
            services.apology_draft(dossier=overdue),
            world.specialist,
            new_due_at=dt.date(2027, 2, 8),
        ).status
        == ApologyLetter.Status.ISSUED
    )
    settings.APOLOGY_MAX_DAYS = 10
    with pytest.raises(ValidationError, match="10 ngày"):
        services.apology_draft_issue(
            dossier=at_justice(world),
            actor=world.specialist,
            reason="Lý do.",
            new_due_at=dt.date(2026, 11, 21),
        )


@pytest.mark.parametrize("who", ["other_specialist", "citizen", "clerk", "ward_clerk"])
def test_a_refused_officer_leaves_no_letter_and_no_audit_entry(world, overdue, late, who):
    with pytest.raises(PermissionDenied):
        services.apology_draft_issue(
            dossier=overdue, actor=getattr(world, who), reason="Lý do.", new_due_at=at(16, 16)
        )
    assert not ApologyLetter.objects.exists()
    assert not AuditLog.objects.filter(action="dossier.apology_draft").exists()


def test_a_refused_date_leaves_no_letter(world, overdue, late):
    with pytest.raises(ValidationError):
        services.apology_draft_issue(
            dossier=overdue,
            actor=world.specialist,
            reason="Lý do.",
            new_due_at=dt.date(9999, 12, 31),
        )
    assert not ApologyLetter.objects.exists()
    assert not AuditLog.objects.filter(action="dossier.apology_draft").exists()
