"""Issue 7 in the browser at phone size: the error pages sit in the layout with a way on, and
the language menu changes the language only when its button is pressed (WCAG 3.2.2 On Input),
returning to a page that can be opened again, even from a page shown in answer to a form."""

import pytest

from tinhso.dossiers.tests.helpers import submit_online
from tinhso.testing.axe import assert_accessible
from tinhso.testing.otp import browser_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_missing_page_is_in_the_layout_with_a_way_on(page, world):
    response = page.goto("/khong-co-trang-nay/")
    assert response.status == 404
    assert page.locator("h1").inner_text().startswith("Không tìm thấy trang")
    assert page.locator("header.site-header").is_visible()
    assert page.get_by_role("link", name="Về trang chủ").is_visible()
    assert_accessible(page, context="404")
    # Nothing sticks out of a phone's width.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_choosing_a_language_waits_for_the_button(page, world):
    page.goto("/tra-cuu/")
    menu = page.locator("#lang-select")
    menu.focus()
    page.keyboard.press("ArrowDown")  # used to switch (and reload) at once
    page.wait_for_timeout(500)
    assert page.url.endswith("/tra-cuu/") and page.locator("html").get_attribute("lang") == "vi"
    menu.select_option("en")
    page.wait_for_timeout(300)
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator(".lang-go").is_visible()
    with page.expect_navigation():
        page.locator(".lang-go").click()
    assert page.url.endswith("/tra-cuu/") and page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page, context="after the switch")


def test_switching_language_on_a_page_shown_after_a_form_never_ends_on_a_405(page, world):
    dossier = submit_online(world)
    browser_sign_in(page, world.clerk)
    page.goto(f"/office/dossiers/{dossier.pk}/")
    # Refuse without a reason: the page comes back with the error, at the form's POST address.
    page.evaluate(
        "() => { document.querySelectorAll('details').forEach((d) => { d.open = true; });"
        " document.querySelectorAll('form').forEach((f) => { f.noValidate = true; }); }"
    )
    form = page.locator("form[action$='/act/refuse/']")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url.endswith("/act/refuse/")
    page.locator("#lang-select").select_option("en")
    with page.expect_navigation():
        page.locator(".lang-go").click()
    assert page.url.endswith(f"/office/dossiers/{dossier.pk}/"), page.url
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").count() and "405" not in page.title()
    # An address that only takes a form, opened directly: the 405 page, with the queue.
    response = page.goto(f"/office/dossiers/{dossier.pk}/act/refuse/")
    assert response.status == 405
    assert page.get_by_role("link", name="Your work queue").is_visible()
    assert_accessible(page, context="405")
