import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tinhso.dossiers import services
from tinhso.dossiers.models import Dossier, DossierCounter
from tinhso.dossiers.tests.helpers import submit_online
from tinhso.testing.files import fake_pdf_upload

CODE = re.compile(r"^000\.00\.01\.H30-\d{6}-(\d{4})$")


@pytest.mark.django_db
def test_codes_follow_the_national_pattern_and_restart_per_agency(world):
    first = submit_online(world)
    second = submit_online(world, procedure=world.building_procedure)
    assert CODE.match(first.code) and CODE.match(second.code)
    assert (first.code[-4:], second.code[-4:]) == ("0001", "0002")  # same desk, same day


@pytest.mark.django_db
def test_a_failed_submission_does_not_use_up_a_number(world):
    submit_online(world)
    with pytest.raises(ValidationError, match="PDF, JPEG or PNG|PDF, JPEG hoặc PNG"):
        services.dossier_submit(
            procedure=world.procedure,
            channel=2,
            actor=world.citizen,
            applicant_name="Nguyễn Văn An",
            documents=[fake_pdf_upload()],
        )
    assert submit_online(world).code.endswith("-0002")
    assert DossierCounter.objects.get().last == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent sessions")
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_unique_gap_free_codes(world):
    threads, errors = 12, []
    barrier = threading.Barrier(threads)

    def submit():
        try:
            barrier.wait(timeout=10)
            submit_online(world)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=submit) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert errors == []
    numbers = sorted(
        int(CODE.match(code).group(1)) for code in Dossier.objects.values_list("code", flat=True)
    )
    assert numbers == list(range(1, threads + 1))
