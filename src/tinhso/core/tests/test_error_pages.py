"""Error pages speak the visitor's language, sit in the site's layout and say where to go next;
the API keeps its JSON envelope (issue 7)."""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from tinhso.core.api import server_error
from tinhso.dossiers.tests.helpers import submit_online

pytestmark = pytest.mark.django_db


def _in_the_layout(body: str) -> bool:
    return 'class="site-header"' in body and 'action="/i18n/setlang/"' in body


def _language_next(body: str) -> str:
    match = re.search(r'<input name="next" type="hidden" value="([^"]*)">', body)
    assert match, body
    return match.group(1)


def test_a_missing_page_says_so_in_vietnamese_with_a_way_on(client):
    response = client.get("/khong-co-trang-nay/", HTTP_ACCEPT_LANGUAGE="vi")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'lang="vi"' in body and "Không tìm thấy trang" in body
    assert _in_the_layout(body)
    assert 'href="/tra-cuu/"' in body and 'href="/"' in body


def test_the_error_page_links_back_to_the_page_before_only_on_this_site(client):
    response = client.get(
        "/khong-co/", HTTP_REFERER="http://testserver/tra-cuu/?code=X", HTTP_HOST="testserver"
    )
    assert 'href="/tra-cuu/?code=X"' in response.content.decode()
    response = client.get("/khong-co/", HTTP_REFERER="https://evil.example/phish")
    assert "evil.example" not in response.content.decode()


def test_an_officer_is_offered_their_work_queue(client, world):
    client.force_login(world.clerk)
    body = client.get("/khong-co/").content.decode()
    assert f'href="{reverse("office:queue")}"' in body and "Hàng việc của bạn" in body
    client.force_login(world.citizen)
    body = client.get("/khong-co/").content.decode()
    assert reverse("office:queue") not in body and 'href="/ho-so-cua-toi/"' in body


def test_an_expired_form_explains_that_nothing_was_saved():
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="vi")
    response = client.post("/accounts/dang-nhap/", {"username": "x", "password": "y"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in body and "không có gì được lưu" in body
    assert _in_the_layout(body)


def test_a_page_that_takes_only_a_form_answers_a_get_with_the_405_page(client, world):
    dossier = submit_online(world)
    client.force_login(world.clerk)
    response = client.get(reverse("office:dossier_action", args=[dossier.pk, "receive"]))
    body = response.content.decode()
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert _in_the_layout(body) and "Không thể mở trang này theo cách này" in body
    assert f'href="{reverse("office:queue")}"' in body


def test_a_page_shown_in_answer_to_a_form_switches_language_back_to_the_form_page(client, world):
    """Issue 7: the menu used to send the person back to the POST-only address: a blank 405."""
    dossier = submit_online(world)
    client.force_login(world.clerk)
    page = reverse("office:dossier", args=[dossier.pk])
    response = client.post(
        reverse("office:dossier_action", args=[dossier.pk, "refuse"]),
        {"refuse-expected_version": dossier.version, "refuse-reason": ""},
        HTTP_REFERER=f"http://testserver{page}",
    )
    assert response.status_code == 400
    assert _language_next(response.content.decode()) == page
    switched = client.post(reverse("set_language"), {"language": "en", "next": page})
    assert switched.status_code == 302 and switched["Location"] == page
    assert client.get(page).status_code == 200
    # Without a Referer (a privacy setting): the start, never the POST-only address.
    response = client.post(
        reverse("office:dossier_action", args=[dossier.pk, "refuse"]),
        {"refuse-expected_version": dossier.version, "refuse-reason": ""},
    )
    assert _language_next(response.content.decode()) == "/"


def test_a_page_reached_by_get_switches_language_back_to_itself(client):
    body = client.get("/tra-cuu/?code=ABC").content.decode()
    assert _language_next(body) == "/tra-cuu/?code=ABC"


def test_the_language_menu_does_not_submit_itself():
    """WCAG 3.2.2 On Input: a select plus a button, and no script that submits on change."""
    from django.contrib.staticfiles import finders

    body = Client().get("/").content.decode()
    assert "data-autosubmit" not in body
    form = body[body.index('class="lang"') : body.index("</form>", body.index('class="lang"'))]
    assert '<select id="lang-select" name="language">' in form
    assert '<button type="submit" class="lang-go">' in form
    script = open(finders.find("tinhso/site.js")).read()  # noqa: PTH123
    assert "submit()" not in script and "change" not in script


def test_a_nul_in_the_query_of_a_page_is_the_html_400_page_for_every_client(client):
    for accept in ("text/html", "*/*", ""):
        response = client.get("/?q=%00", HTTP_ACCEPT=accept)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        body = response.content.decode()
        assert _in_the_layout(body) and "Địa chỉ có ký tự không hợp lệ" in body


def test_the_api_still_answers_json(client, world):
    response = client.get("/api/v1/khong-co/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    response = client.get("/api/v1/procedures/?q=%00", HTTP_ACCEPT="text/html")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"
    response = client.delete("/api/v1/tracking/X/")
    assert response.status_code == 405 and response.json()["error"]["code"]


def test_a_server_error_is_a_page_in_the_layout(rf, world):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/thu-tuc/1/")
    request.user = AnonymousUser()
    response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500 and _in_the_layout(body)
    assert "Đã có lỗi xảy ra" in body or "Something went wrong" not in body


def test_a_server_error_whose_layout_fails_is_still_a_page(rf, monkeypatch):
    from tinhso.core import error_pages

    def broken(*args, **kwargs):
        raise RuntimeError("layout")

    monkeypatch.setattr(error_pages, "error_page", broken)
    response = server_error(rf.get("/thu-tuc/1/"))
    assert response.status_code == 500
    assert b"<h1>" in response.content and b"<main>" in response.content


def test_favicon_and_robots_are_served(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots["Content-Type"].startswith("text/plain")
    text = robots.content.decode()
    assert "User-agent: *" in text and "Disallow: /office/" in text and "Disallow: /api/" in text


OPEN_REDIRECTS = [
    "http://testserver//evil.com/x",
    "http://testserver/\\/evil.com",
    "http://testserver/\\evil.com",
    "http://testserver/\t/evil.com",
    "http://testserver/x\n",
    "//evil.com/x",
    "/\\/evil.com",
    "/\\evil.com",
    "\\\\evil.com",
    "///evil.com",
    "https://evil.com/",
    "javascript:alert(1)",
    "evil.com",
]


@pytest.mark.parametrize("referer", OPEN_REDIRECTS)
def test_the_error_page_never_links_back_to_a_path_read_as_another_host(client, referer):
    body = client.get("/khong-co/", HTTP_REFERER=referer).content.decode()
    assert "evil.com" not in body and "javascript:" not in body
    assert "Quay lại trang trước" not in body


@pytest.mark.parametrize("candidate", OPEN_REDIRECTS)
def test_local_path_refuses_every_way_to_another_host(rf, candidate):
    from tinhso.core.error_pages import local_path

    assert local_path(candidate, rf.get("/")) is None


def test_local_path_keeps_a_path_of_this_site(rf):
    from tinhso.core.error_pages import local_path

    request = rf.get("/")
    assert local_path("http://testserver/tra-cuu/?code=X", request) == "/tra-cuu/?code=X"
    assert local_path("/office/", request) == "/office/"
    assert local_path("http://testserver", request) == "/"


def test_a_page_at_a_double_slash_address_switches_language_back_to_the_start(client):
    body = client.get("//evil.com/x").content.decode()
    assert "evil.com" not in body


def test_a_form_page_switches_language_never_to_a_double_slash_referer(client, world):
    from tinhso.core.error_pages import language_next

    request = RequestFactory().post("/x/", HTTP_REFERER="http://testserver//evil.com/x")
    assert language_next(request) == "/"
