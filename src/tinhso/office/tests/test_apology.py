import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tinhso.dossiers.models import ApologyLetter
from tinhso.dossiers.tests.helpers import submit_online, walk_to_processing

pytestmark = pytest.mark.django_db


def test_an_overdue_dossier_gets_its_apology_letter_from_the_page(client, world):
    dossier = walk_to_processing(world, submit_online(world))
    url = reverse("office:dossier", args=[dossier.pk])
    client.force_login(world.specialist)
    assert 'id="action-apology"' not in client.get(url).content.decode()  # not late yet
    with time_machine.travel(dossier.due_at + dt.timedelta(hours=1), tick=False):
        assert 'id="action-apology"' in client.get(url).content.decode()
        new_day = timezone.localdate() + dt.timedelta(days=3)
        post = reverse("office:dossier_apology", args=[dossier.pk])
        response = client.post(post, {"apology-reason": "", "apology-new_due_on": str(new_day)})
        assert response.status_code == 400
        assert not ApologyLetter.objects.filter(status="issued").exists()
        response = client.post(
            post, {"apology-reason": "Chờ ý kiến cơ quan khác", "apology-new_due_on": str(new_day)}
        )
        assert response.status_code == 302
        letter = ApologyLetter.objects.get(dossier=dossier)
        assert letter.status == "issued" and letter.issued_by == world.specialist
        assert timezone.localtime(letter.new_due_at).date() == new_day
        body = client.get(url).content.decode()
        assert 'id="action-apology"' not in body
        assert "Chờ ý kiến cơ quan khác" in body  # in the history
        assert dossier.events.filter(action="apology").count() == 1


def test_another_agency_cannot_apologise(client, world):
    dossier = walk_to_processing(world, submit_online(world))
    client.force_login(world.other_specialist)
    with time_machine.travel(dossier.due_at + dt.timedelta(hours=1), tick=False):
        response = client.post(
            reverse("office:dossier_apology", args=[dossier.pk]),
            {"apology-reason": "Xin lỗi", "apology-new_due_on": "2099-01-05"},
        )
    assert response.status_code == 404
    assert not ApologyLetter.objects.exists()


def _apology_post(client, world, officer, new_day):
    """An overdue dossier at the specialist's step and ``officer``'s apology for it."""
    dossier = walk_to_processing(world, submit_online(world))
    client.force_login(officer)
    with time_machine.travel(dossier.due_at + dt.timedelta(hours=1), tick=False):
        response = client.post(
            reverse("office:dossier_apology", args=[dossier.pk]),
            {"apology-reason": "Xin lỗi", "apology-new_due_on": new_day or timezone.localdate()},
        )
    return dossier, response


def _nothing_written():
    from tinhso.core.models import AuditLog

    assert not ApologyLetter.objects.exists()
    assert not AuditLog.objects.filter(action="dossier.apology_draft").exists()


def test_an_appointment_in_the_year_9999_is_refused_and_leaves_nothing(client, world):
    dossier, response = _apology_post(client, world, world.specialist, "9999-12-31")
    assert response.status_code == 400
    assert "tối đa 90 ngày" in response.content.decode()
    _nothing_written()
    dossier.refresh_from_db()
    assert dossier.due_at.year != 9999


def test_an_officer_without_the_right_leaves_no_letter_and_no_audit_entry(client, world):
    # The one-stop clerk sees the dossier but may not apologise for it.
    _dossier, response = _apology_post(client, world, world.clerk, None)
    assert response.status_code == 400
    _nothing_written()
