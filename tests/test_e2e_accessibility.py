"""WCAG 2.1 AA, checked by axe-core in Chromium on the pages citizens and officers use most, at
phone width and on a desktop: the portal home, a procedure, the submission form (empty, then sent
back with its errors), my dossiers, a dossier whose timeline holds a supplement request and an
issued apology letter, the notification settings, tracking with a result, the office queue, the
office dossier with every action form open, and the statistics."""

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from tinhso.dossiers import services
from tinhso.dossiers.tests.helpers import checklist, submit_online
from tinhso.dossiers.tests.test_apology import LATE
from tinhso.dossiers.tests.test_slips import at
from tinhso.testing.axe import assert_accessible
from tinhso.testing.files import pdf_upload

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def apologised(world):
    """Supplemented, received, overdue with an issued apology letter, then forwarded."""
    with time_machine.travel(at(2, 9), tick=False):
        dossier = submit_online(world)
        dossier = services.dossier_request_supplement(
            dossier=dossier, actor=world.clerk, reason="Bổ sung bản sao giấy chứng sinh"
        )
        dossier = services.dossier_supplement(
            dossier=dossier, actor=world.citizen, files=[pdf_upload()], comment="Đã bổ sung"
        )
        dossier = services.dossier_receive(
            dossier=dossier, actor=world.clerk, checklist=checklist(dossier)
        )
    with time_machine.travel(LATE, tick=False):
        letter = services.apology_draft(dossier=dossier)
        services.apology_issue(
            letter=letter,
            actor=world.clerk,
            reason="Chờ xác minh của cơ quan khác",
            new_due_at=at(20, 9).date(),
        )
        dossier.refresh_from_db()
        return services.dossier_forward(dossier=dossier, actor=world.clerk)


def open_details(page) -> None:
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")


def send_empty(page) -> None:
    """Send the form as it is, to check the page with its error summary and field errors."""
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()


def test_a_violation_fails_with_its_rule_impact_and_target(browser):
    page = browser.new_page()
    page.set_content(
        '<html lang="vi"><head><title>t</title></head><body><main>'
        '<img src="x.png" id="logo"><input type="text" name="q"></main></body></html>'
    )
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    page.close()
    message = str(failure.value)
    assert "image-alt (critical)" in message and "    #logo" in message, message
    assert "label (critical)" in message and "    input" in message, message


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_main_pages_meet_wcag_21_aa(page, live_server, world, viewport):
    page.set_viewport_size(viewport)
    late = apologised(world)
    new = submit_online(world)
    failures = []

    def check(url, then=None):
        response = page.goto(url)
        assert response.ok and page.url.endswith(url), (url, response.status, page.url)
        if then:
            then(page)
        try:
            assert_accessible(page)
        except AssertionError as failure:  # report every page, not only the first
            failures.append(str(failure))

    check("/")
    check(f"/thu-tuc/{world.procedure.pk}/")
    check(f"/tra-cuu/?code={late.code}", lambda page: page.locator("section.card").wait_for())
    sign_in(page, live_server, world.citizen)
    check(f"/thu-tuc/{world.procedure.pk}/nop-truc-tuyen/")
    check(f"/thu-tuc/{world.procedure.pk}/nop-truc-tuyen/", send_empty)
    check("/ho-so-cua-toi/")
    check(f"/ho-so-cua-toi/{late.pk}/", open_details)
    check("/tai-khoan/thong-bao/")

    sign_in(page, live_server, world.clerk)
    check("/office/")
    check(f"/office/dossiers/{new.pk}/", open_details)
    check(f"/office/dossiers/{late.pk}/", open_details)
    sign_in(page, live_server, world.specialist)
    check(f"/office/dossiers/{late.pk}/", open_details)
    sign_in(page, live_server, world.admin)
    check("/office/stats/")
    assert not failures, "\n\n".join(failures)
