"""Error pages speak the visitor's language and say where to go next."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_so_in_vietnamese_with_a_way_on(client):
    response = client.get("/khong-co-trang-nay/", HTTP_ACCEPT_LANGUAGE="vi")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'lang="vi"' in body and "Không tìm thấy trang" in body
    assert 'href="/tra-cuu/"' in body


def test_an_expired_form_explains_that_nothing_was_saved():
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="vi")
    response = client.post("/accounts/dang-nhap/", {"username": "x", "password": "y"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in body and "không có gì được lưu" in body


def test_the_api_still_answers_json_when_nothing_matches(client):
    response = client.get("/api/v1/khong-co/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
