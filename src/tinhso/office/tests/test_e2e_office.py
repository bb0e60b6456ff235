"""One journey through the back office in Chromium: the clerk receives a dossier with its
checklist, each officer in turn forwards it along the internal process, the document clerk
finishes it with the result PDF and the clerk returns it."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tinhso.dossiers.constants import Status
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests.helpers import submit_online
from tinhso.testing.files import MINIMAL_PDF
from tinhso.testing.otp import browser_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR).parent.parent / "docs" / "screenshots"


def sign_in(page, live_server, user):
    """Through the real sign-in page and the second factor (the code computed from the
    officer's authenticator key)."""
    browser_sign_in(page, user)


def label(status) -> str:
    with translation.override("vi"):
        return str(Status(status).label)


def act(page, action):
    page.locator(f"#action-{action} > summary").click()
    return page.locator(f"#action-{action} form")


def submit(form):
    form.locator("button[type=submit]").click()


def expect_status(page, status):
    assert page.locator("#dossier-status").inner_text() == label(status)


def test_an_officer_journey_from_reception_to_return(page, live_server, world, tmp_path):
    dossier = submit_online(world)
    for _ in range(3):  # neighbours in the queue
        submit_online(world, procedure=world.building_procedure)
    url = f"/office/dossiers/{dossier.pk}/"
    shots = os.environ.get("SCREENSHOTS") == "1"

    sign_in(page, live_server, world.clerk)
    page.goto("/office/")
    assert dossier.code in page.content()
    if shots:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "office-queue.png"), full_page=True)
    page.get_by_role("link", name=dossier.code).click()
    page.wait_for_url(f"**{url}")
    expect_status(page, Status.NEW)

    form = act(page, "receive")
    for box in form.locator("input[type=checkbox]").all():
        box.check()
    submit(form)
    page.wait_for_load_state()
    expect_status(page, Status.RECEIVED)

    form = act(page, "forward")
    form.locator("select").select_option(str(world.specialist.pk))
    form.locator("textarea").fill("Chuyển chuyên viên thẩm định")
    submit(form)
    page.wait_for_load_state()
    expect_status(page, Status.PROCESSING)

    for officer in (world.specialist, world.head):
        sign_in(page, live_server, officer)
        page.goto(url)
        submit(act(page, "forward"))
        page.wait_for_load_state()
        expect_status(page, Status.PROCESSING)

    sign_in(page, live_server, world.leader)
    page.goto(url)
    if shots:
        page.screenshot(path=str(SCREENSHOTS / "office-dossier.png"), full_page=True)
    submit(act(page, "approve"))
    page.wait_for_load_state()
    expect_status(page, Status.PROCESSING)

    sign_in(page, live_server, world.doc_clerk)
    page.goto(url)
    result = tmp_path / "ket-qua.pdf"
    result.write_bytes(MINIMAL_PDF)
    form = act(page, "finish")
    form.locator("input[type=file]").set_input_files(str(result))
    submit(form)
    page.wait_for_load_state()
    expect_status(page, Status.FINISHED)

    sign_in(page, live_server, world.clerk)
    page.goto(url)
    form = act(page, "return_result")
    form.locator("select").select_option("desk")
    submit(form)
    page.wait_for_load_state()
    expect_status(page, Status.RETURNED)
    assert "ket-qua.pdf" in page.content()

    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == Status.RETURNED
    assert list(dossier.events.values_list("action", flat=True)) == [
        "submit",
        "receive",
        "forward",
        "forward",
        "forward",
        "approve",
        "finish",
        "return_result",
    ]
