"""One citizen journey in Chromium at phone size: sign in, find a procedure typed without
accents, submit it online with two PDFs, see the code, then track it signed out and see no
personal data. With SCREENSHOTS=1 it also saves the home and dossier pages for the docs."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from tinhso.dossiers.constants import Channel, Status
from tinhso.dossiers.models import Dossier
from tinhso.testing.factories import PASSWORD
from tinhso.testing.files import MINIMAL_PDF

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR).parent.parent / "docs" / "screenshots"


def screenshot(page, name: str) -> None:
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


# Every visible form control has a label, and nothing is wider than a small phone. A page
# still being replaced after a click answers null, and wait_for_function asks again.
CHECK_PAGE = """() => {
  if (document.readyState !== "complete" || !document.documentElement) return null;
  const unlabelled = [...document.querySelectorAll("input, select, textarea")]
    .filter((el) => el.type !== "hidden" && (!el.labels || el.labels.length === 0))
    .map((el) => el.name || el.id);
  return {unlabelled, overflow: document.documentElement.scrollWidth > window.innerWidth};
}"""


def check_page(page) -> None:
    page.wait_for_load_state()
    result = page.wait_for_function(CHECK_PAGE).json_value()
    assert result == {"unlabelled": [], "overflow": False}, page.url


def test_a_citizen_submits_online_and_tracks_the_dossier(page, world, tmp_path):
    world.center.address = "Số 2 đường Hòa Bình, phường Ninh Kiều"
    world.center.phone = "0292 3 820 000"
    world.center.save()
    files = []
    for name in ("to-khai.pdf", "giay-chung-sinh.pdf"):
        path = tmp_path / name
        path.write_bytes(MINIMAL_PDF)
        files.append(path)

    # Sign in with the phone number.
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto("/")
    check_page(page)
    page.get_by_role("link", name="Đăng nhập").click()
    check_page(page)
    page.get_by_label("Số điện thoại hoặc địa chỉ thư điện tử").fill("0912345678")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    assert page.get_by_role("button", name="Đăng xuất").is_visible()
    screenshot(page, "portal-home.png")

    # Find the procedure typed without accents.
    page.get_by_label("Tìm thủ tục").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    assert "Tìm thấy 1 thủ tục" in page.locator("#results-heading").inner_text()
    page.get_by_role("link", name="Đăng ký khai sinh").click()
    assert "Số 2 đường Hòa Bình" in page.content()
    check_page(page)

    # Submit online: the form is prefilled from the account.
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.click()
    assert page.get_by_label("Họ và tên người nộp").input_value() == "Nguyễn Văn An"
    check_page(page)
    page.get_by_label("Số căn cước công dân (CCCD) hoặc mã số thuế").fill("092090001234")
    page.get_by_label("Nội dung yêu cầu").fill("Đăng ký khai sinh cho con gái")
    page.get_by_label("Tờ khai đăng ký khai sinh").set_input_files(files[0])
    page.get_by_label("Giấy chứng sinh").set_input_files(files[1])
    page.get_by_role("button", name="Nộp hồ sơ").click()

    message = page.locator(".messages").inner_text()
    assert "Hồ sơ của bạn đã được nộp" in message
    code = re.search(r"\d{3}\.\d{2}\.\d{2}\.H30-\d{6}-\d{4}", message).group(0)
    dossier = Dossier.objects.get(code=code)
    assert dossier.channel == Channel.ONLINE
    assert dossier.status == Status.NEW
    assert dossier.files.count() == 2
    assert code in page.locator("h1").inner_text()
    check_page(page)
    screenshot(page, "portal-dossier.png")

    # From my dossiers, choose how to be told: no SMS; required messages cannot be unticked.
    page.get_by_role("link", name="Hồ sơ của tôi").first.click()
    page.get_by_role("link", name="Cách bạn nhận thông báo").click()
    check_page(page)
    assert page.get_by_role("checkbox", name="Yêu cầu bổ sung hồ sơ").is_disabled()
    page.get_by_label("Bằng tin nhắn (SMS)").uncheck()
    page.get_by_label("Hồ sơ đã được tiếp nhận").uncheck()
    page.get_by_role("button", name="Lưu lựa chọn").click()
    assert "Đã lưu lựa chọn nhận thông báo" in page.locator(".messages").inner_text()
    preference = world.citizen.notification_preference
    assert not preference.sms_enabled and preference.opted_out_events == ["dossier.received"]
    check_page(page)

    # Signed out, tracking by code shows progress but nothing personal.
    page.get_by_role("button", name="Đăng xuất").click()
    assert page.get_by_role("link", name="Đăng nhập").is_visible()
    page.get_by_role("link", name="Tra cứu hồ sơ").first.click()
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    result = page.locator("section.card")
    assert code in result.inner_text()
    assert "Mới đăng ký" in result.inner_text()
    assert "Đăng ký khai sinh" in result.inner_text()
    html = page.content()
    for personal in ("Nguyễn Văn An", "092090001234", "0912345678", world.citizen.email):
        assert personal not in html
    assert page.get_by_role("link", name="Xem toàn bộ hồ sơ").count() == 0
    check_page(page)
