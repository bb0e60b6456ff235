"""WCAG 2.1 AA, checked by axe-core in Chromium on the pages citizens and officers use most, at
phone width and on a desktop: the portal home, a procedure, the submission form (empty, then sent
back with its errors), my dossiers, a dossier whose timeline holds a supplement request and an
issued apology letter, the notification settings, tracking with a result, the office queue, the
office dossier with every action form open, and the statistics."""

import pytest
import time_machine

from tinhso.accounts.tokens import token_issue
from tinhso.dossiers import services
from tinhso.dossiers.tests.helpers import checklist, submit_online
from tinhso.dossiers.tests.test_apology import LATE
from tinhso.dossiers.tests.test_slips import at
from tinhso.testing.axe import assert_accessible
from tinhso.testing.factories import PASSWORD
from tinhso.testing.files import pdf_upload
from tinhso.testing.otp import browser_sign_in, enrol_code, otp_device

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def sign_in(page, live_server, user) -> None:
    """Through the real sign-in page, and for officers the code of their authenticator."""
    browser_sign_in(page, user)


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
def ask_for_a_code(page) -> None:
    """A new password: the page that takes the code, with the demo's copy of the message."""
    page.fill("#id_login", "0912 345 678")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".demo-message").first.is_visible()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_main_pages_meet_wcag_21_aa(page, live_server, world, viewport, settings):
    settings.NOTIFY_DEMO_IN_PAGE = True  # the code pages as `make demo` shows them (DEMO_MODE)
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
    check("/accounts/dang-nhap/", send_empty)
    check("/accounts/dang-ky/")
    check("/accounts/quen-mat-khau/", ask_for_a_code)
    sign_in(page, live_server, world.citizen)
    check(f"/thu-tuc/{world.procedure.pk}/nop-truc-tuyen/")
    check(f"/thu-tuc/{world.procedure.pk}/nop-truc-tuyen/", send_empty)
    check("/ho-so-cua-toi/")
    check(f"/ho-so-cua-toi/{late.pk}/", open_details)
    check("/tai-khoan/thong-bao/")
    check("/accounts/tai-khoan/")
    check("/accounts/tai-khoan/", send_empty)

    sign_in(page, live_server, world.clerk)
    check("/office/")
    check(f"/office/dossiers/{new.pk}/", open_details)
    check(f"/office/dossiers/{late.pk}/", open_details)
    sign_in(page, live_server, world.specialist)
    check(f"/office/dossiers/{late.pk}/", open_details)
    sign_in(page, live_server, world.admin)
    check("/office/stats/")
    assert not failures, "\n\n".join(failures)


def _submit_first_form(page) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def _password_step(page, user) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/dang-nhap/")
    page.locator("#id_login").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    _submit_first_form(page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_second_factor_and_token_pages_meet_wcag_21_aa(page, live_server, world, viewport):
    """Enrolment (QR code and key, then the backup codes), the code step with its error, and
    the API token page with a new key shown."""
    page.set_viewport_size(viewport)
    failures = []

    def check(context):
        try:
            assert_accessible(page, context=context)
        except AssertionError as failure:
            failures.append(str(failure))

    _password_step(page, world.clerk)  # no authenticator yet: enrolment
    assert "/accounts/xac-thuc/thiet-lap/" in page.url, page.url
    check("enrolment")
    _submit_first_form(page)  # no code: the error summary
    assert page.locator(".error-summary").is_visible()
    check("enrolment with an error")
    page.locator("#id_code").fill(enrol_code(page.locator("#otp-secret").inner_text()))
    _submit_first_form(page)
    assert page.locator(".backup-codes li").count() == 10
    check("backup codes")

    otp_device(world.specialist)
    _password_step(page, world.specialist)
    assert "/accounts/xac-thuc/" in page.url, page.url
    check("verification")
    page.locator("#id_code").fill("12")
    _submit_first_form(page)
    assert page.locator(".error-summary").is_visible()
    check("verification with a wrong code")

    token_issue(user=world.citizen, actor=world.citizen, name="Ứng dụng trên điện thoại")
    sign_in(page, live_server, world.citizen)
    page.goto("/tai-khoan/ma-truy-cap/")
    check("API tokens")
    page.locator("#id_name").fill("Phần mềm kế toán")
    page.locator("#id_scopes_0").check()
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#token-create button[type=submit]").click()
    assert page.locator("#issued-key").is_visible()
    check("API tokens with a new key")
    with page.expect_navigation():
        page.locator(".token-list a.btn-danger").first.click()
    check("revoking a token")
    assert not failures, "\n\n".join(failures)
