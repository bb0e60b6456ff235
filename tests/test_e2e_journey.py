"""The whole journey of the issue in Chromium, through the real pages only.

A citizen finds a procedure and submits it online; the one-stop clerk asks for a supplement; the
citizen supplements; the officers process it through every step of the internal process; the
document clerk finishes it with the result; the clerk returns it online; the citizen downloads the
result and rates the service; and a third party, signed out, tracks it by code without seeing any
personal data.
"""

import re

import pytest
from django.utils import translation

from tinhso.dossiers.constants import Status
from tinhso.dossiers.models import Dossier
from tinhso.testing.factories import PASSWORD
from tinhso.testing.files import MINIMAL_PDF
from tinhso.testing.otp import browser_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def label(status) -> str:
    with translation.override("vi"):
        return str(Status(status).label)


def officer_session(page, live_server, user) -> None:
    """Officers sign in through the sign-in page and give the code of their authenticator."""
    browser_sign_in(page, user)


def office_act(page, action):
    page.locator(f"#action-{action} > summary").click()
    return page.locator(f"#action-{action} form")


def office_status(page) -> str:
    return page.locator("#dossier-status").inner_text()


def citizen_sign_in(page):
    page.context.clear_cookies()
    page.goto("/accounts/dang-nhap/")
    page.get_by_label("Số điện thoại hoặc địa chỉ thư điện tử").fill("0912345678")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    assert page.get_by_role("button", name="Đăng xuất").is_visible()


def test_the_whole_journey_of_a_dossier(page, live_server, world, tmp_path, browser):
    pdf = tmp_path / "giay-to.pdf"
    pdf.write_bytes(MINIMAL_PDF)

    # 1. The citizen finds the procedure (typed without accents) and submits it online.
    citizen_sign_in(page)
    page.goto("/")
    page.get_by_label("Tìm thủ tục").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name="Đăng ký khai sinh").click()
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.click()
    page.get_by_label("Số căn cước công dân (CCCD) hoặc mã số thuế").fill("092090001234")
    page.get_by_label("Nội dung yêu cầu").fill("Đăng ký khai sinh cho con trai")
    page.get_by_label("Tờ khai đăng ký khai sinh").set_input_files(pdf)
    page.get_by_label("Giấy chứng sinh").set_input_files(pdf)
    page.get_by_role("button", name="Nộp hồ sơ").click()
    code = re.search(
        r"\d{3}\.\d{2}\.\d{2}\.H30-\d{6}-\d{4}", page.locator(".messages").inner_text()
    )
    dossier = Dossier.objects.get(code=code.group(0))
    office_url = f"/office/dossiers/{dossier.pk}/"
    portal_url = f"/ho-so-cua-toi/{dossier.pk}/"

    # 2. The one-stop clerk asks for a supplement.
    officer_session(page, live_server, world.clerk)
    page.goto("/office/")
    page.get_by_role("link", name=dossier.code).click()
    assert office_status(page) == label(Status.NEW)
    form = office_act(page, "request_supplement")
    form.locator("textarea").first.fill("Bổ sung bản sao căn cước công dân của người cha")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert office_status(page) == label(Status.SUPPLEMENT_REQUESTED)

    # 3. The citizen sees what is asked and supplements.
    citizen_sign_in(page)
    page.goto(portal_url)
    assert "Bổ sung bản sao căn cước công dân" in page.content()
    page.get_by_label("Tệp bạn nộp bổ sung").set_input_files(pdf)
    page.get_by_role("button", name="Nộp bổ sung", exact=True).click()
    page.wait_for_load_state()
    assert label(Status.NEW) in page.content()

    # 4. The clerk receives it; every officer in turn handles their step.
    officer_session(page, live_server, world.clerk)
    page.goto(office_url)
    form = office_act(page, "receive")
    for box in form.locator("input[type=checkbox]").all():
        box.check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert office_status(page) == label(Status.RECEIVED)
    office_act(page, "forward").locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert office_status(page) == label(Status.PROCESSING)
    for officer in (world.specialist, world.head):
        officer_session(page, live_server, officer)
        page.goto(office_url)
        office_act(page, "forward").locator("button[type=submit]").click()
        page.wait_for_load_state()
    officer_session(page, live_server, world.leader)
    page.goto(office_url)
    office_act(page, "approve").locator("button[type=submit]").click()
    page.wait_for_load_state()
    officer_session(page, live_server, world.doc_clerk)
    page.goto(office_url)
    result = tmp_path / "giay-khai-sinh.pdf"
    result.write_bytes(MINIMAL_PDF)
    form = office_act(page, "finish")
    form.locator("input[type=file]").set_input_files(result)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert office_status(page) == label(Status.FINISHED)
    officer_session(page, live_server, world.clerk)
    page.goto(office_url)
    form = office_act(page, "return_result")
    form.locator("select").select_option("online")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert office_status(page) == label(Status.RETURNED)

    # 5. The citizen downloads the result and rates the service.
    citizen_sign_in(page)
    page.goto(portal_url)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("giay-khai-sinh.pdf")).click()
    downloaded = download_info.value.path()
    with open(downloaded, "rb") as handle:
        assert handle.read() == MINIMAL_PDF
    page.locator("input[name=score][value='5']").check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.wait_for_load_state()
    assert dossier.__class__.objects.get(pk=dossier.pk).rating.score == 5

    # 6. A third party, in a fresh browser, tracks it by code and sees no personal data.
    stranger = browser.new_context(base_url=live_server.url, locale="vi-VN")
    other = stranger.new_page()
    other.goto("/tra-cuu/")
    other.get_by_label("Mã hồ sơ").fill(dossier.code)
    other.get_by_role("button", name="Tra cứu").click()
    text = other.locator("section.card").inner_text()
    assert label(Status.RETURNED) in text and "Đăng ký khai sinh" in text
    html = other.content()
    for personal in ("Nguyễn Văn An", "092090001234", "0912345678", world.citizen.email):
        assert personal not in html
    stranger.close()

    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert list(dossier.events.values_list("action", flat=True)) == [
        "submit",
        "request_supplement",
        "supplement",
        "receive",
        "forward",
        "forward",
        "forward",
        "approve",
        "finish",
        "return_result",
    ]
