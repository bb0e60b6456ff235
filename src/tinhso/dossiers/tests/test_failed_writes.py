"""A write that fails after its files reached storage leaves no file behind, in every channel.

The failure is injected where a real one can happen once the files are stored: the audit row
written in the same transaction. Each test first proves the files were on disk at that moment.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tinhso.dossiers import services
from tinhso.dossiers.models import Dossier, DossierCounter, DossierFile
from tinhso.dossiers.tests.api_helpers import api_client, submission
from tinhso.dossiers.tests.helpers import submit_online, walk_to_processing
from tinhso.testing.files import pdf_upload


def media_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


class Failing:
    """Makes the next audit row fail, once; ``seen`` holds how many new files were on disk then."""

    def __init__(self, monkeypatch, settings):
        self.monkeypatch, self.settings = monkeypatch, settings
        self.seen: list[int] = []
        self.before: list = []

    def arm(self):
        real = services.audit_log_write
        self.before = media_files(self.settings)

        def fail(*args, **kwargs):
            self.monkeypatch.setattr(services, "audit_log_write", real)
            self.seen.append(len(media_files(self.settings)) - len(self.before))
            raise ValidationError("Lỗi thử nghiệm sau khi lưu tệp.")

        self.monkeypatch.setattr(services, "audit_log_write", fail)


@pytest.fixture
def failing(monkeypatch, settings):
    return Failing(monkeypatch, settings)


def _assert_rolled_back(settings, failing, files_before):
    assert failing.seen and failing.seen[0] > 0, "the failure came before any file was stored"
    assert media_files(settings) == files_before


def test_api_submission(world, settings, failing):
    failing.arm()
    response = api_client(world.citizen).post(
        "/api/v1/dossiers/",
        submission(world.procedure),
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert response.status_code == 400
    _assert_rolled_back(settings, failing, [])
    assert not Dossier.objects.exists() and not DossierCounter.objects.exists()


def test_desk_registration(client, world, settings, failing):
    from tinhso.office.tests.test_desk import form_data

    client.force_login(world.clerk)
    failing.arm()
    response = client.post(
        reverse("office:desk_new") + f"?procedure={world.procedure.pk}",
        form_data(world.procedure, channel=1),
    )
    assert response.status_code == 400  # the form again, with the error
    _assert_rolled_back(settings, failing, [])
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()


def test_desk_registration_refused_at_reception_after_storing(client, world, settings, monkeypatch):
    """The desk receives at once: if receiving fails, the submission's files go too."""
    from tinhso.office.tests.test_desk import form_data

    client.force_login(world.clerk)
    seen = []

    def refuse(**kwargs):
        seen.append(len(media_files(settings)))
        raise ValidationError("Thiếu giấy tờ.")

    monkeypatch.setattr(services, "dossier_receive", refuse)
    client.post(
        reverse("office:desk_new") + f"?procedure={world.procedure.pk}",
        form_data(world.procedure, channel=1),
    )
    assert seen and seen[0] > 0
    assert media_files(settings) == []
    assert not Dossier.objects.exists()


def test_portal_submission(client, world, settings, failing):
    from tinhso.portal.tests.test_dossiers import _form_data

    client.force_login(world.citizen)
    failing.arm()
    response = client.post(reverse("portal:submit", args=[world.procedure.pk]), _form_data(world))
    assert response.status_code == 400
    _assert_rolled_back(settings, failing, [])
    assert not Dossier.objects.exists()


def test_service_submission(world, settings, failing):
    failing.arm()
    with pytest.raises(ValidationError):
        submit_online(world)
    _assert_rolled_back(settings, failing, [])


def _ready_to_finish(world):
    dossier = walk_to_processing(world, submit_online(world))
    dossier = services.dossier_forward(dossier=dossier, actor=world.specialist)
    dossier = services.dossier_forward(dossier=dossier, actor=world.head)
    dossier = services.dossier_approve(dossier=dossier, actor=world.leader)
    dossier.refresh_from_db()
    return dossier


def test_office_finish_with_a_result_file(client, world, settings, failing):
    dossier = _ready_to_finish(world)
    client.force_login(world.doc_clerk)
    before = media_files(settings)
    failing.arm()
    client.post(
        reverse("office:dossier_action", args=[dossier.pk, "finish"]),
        {
            "finish-expected_version": dossier.version,
            "finish-files": pdf_upload("ket-qua.pdf"),
            "finish-comment": "",
        },
    )
    _assert_rolled_back(settings, failing, before)
    assert not DossierFile.objects.filter(dossier=dossier, kind="result").exists()


def test_api_finish_with_a_result_file(world, settings, failing):
    dossier = _ready_to_finish(world)
    before = media_files(settings)
    failing.arm()
    response = api_client(world.doc_clerk).post(
        f"/api/v1/dossiers/{dossier.code}/actions/finish/",
        {"expected_version": dossier.version, "files": [pdf_upload("ket-qua.pdf")]},
        format="multipart",
    )
    assert response.status_code == 400
    _assert_rolled_back(settings, failing, before)


def test_portal_supplement(client, world, settings, failing):
    dossier = walk_to_processing(world, submit_online(world))
    dossier = services.dossier_request_supplement(
        dossier=dossier, actor=world.specialist, reason="Thiếu bản sao."
    )
    client.force_login(world.citizen)
    before = media_files(settings)
    failing.arm()
    client.post(
        reverse("portal:supplement", args=[dossier.pk]),
        {"expected_version": dossier.version, "files": [pdf_upload("bo-sung.pdf")], "comment": ""},
    )
    _assert_rolled_back(settings, failing, before)
    assert not DossierFile.objects.filter(dossier=dossier, kind="supplement").exists()
