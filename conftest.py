"""Fixtures shared by every test: the fixed personas of STYLE.md, built per test."""

import os
from types import SimpleNamespace

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in live tests


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Rate limits and throttles count in the cache: no test inherits another's requests. The
    # default cache is a database table (core.cache), rolled back with each test's transaction;
    # any other (Redis, when REDIS_URL is set) is emptied here.
    from django.core.cache import caches
    from django.core.cache.backends.db import BaseDatabaseCache

    if not isinstance(caches["default"], BaseDatabaseCache):
        caches["default"].clear()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Tests travel through days with an officer signed in: the idle timeout is off unless a
    # test of it turns it on (tinhso/accounts/tests/test_idle_timeout.py).
    settings.OFFICER_IDLE_TIMEOUT_MINUTES = 0


@pytest.fixture
def client():
    """pytest-django's ``client``, whose ``force_login`` also gives an officer's or an
    administrator's second factor (``force_login(user, otp_verified=False)`` does not)."""
    from tinhso.testing.otp import VerifiedClient

    return VerifiedClient()


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's ``admin_client``, signed in with the second factor."""
    from tinhso.testing.otp import VerifiedClient

    client = VerifiedClient()
    client.force_login(admin_user)
    return client


@pytest.fixture
def world(db):
    """Two agencies served by one desk, officers for every role, a citizen and a procedure.

    Officers have fixed names, none a part of another's, so a page can be searched for one.
    """
    from tinhso.org import roles
    from tinhso.org.models import Agency
    from tinhso.testing.factories import UserFactory, officer_create, procedure_create

    center = Agency.objects.create(
        code="000.00.01.H30", name="Trung tâm Phục vụ hành chính công", kind="center"
    )
    justice = Agency.objects.create(
        code="000.00.02.H30", name="Sở Tư pháp", kind="department", served_by=center
    )
    building = Agency.objects.create(
        code="000.00.03.H30", name="Sở Xây dựng", kind="department", served_by=center
    )
    ward = Agency.objects.create(code="000.30.01.H30", name="UBND phường Ninh Kiều", kind="ward")
    w = SimpleNamespace(center=center, justice=justice, building=building, ward=ward)
    w.clerk = officer_create(
        username="clerk", full_name="Lê Thị Thu", agency=center, role=roles.ONE_STOP_CLERK
    )
    w.specialist = officer_create(
        username="specialist", full_name="Phạm Văn Minh", agency=justice, role=roles.SPECIALIST
    )
    w.head = officer_create(
        username="head", full_name="Trần Quốc Huy", agency=justice, role=roles.DEPARTMENT_HEAD
    )
    w.leader = officer_create(
        username="leader", full_name="Võ Thanh Tùng", agency=justice, role=roles.AGENCY_LEADER
    )
    w.doc_clerk = officer_create(
        username="docclerk", full_name="Đặng Ngọc Lan", agency=justice, role=roles.DOCUMENT_CLERK
    )
    w.other_specialist = officer_create(
        username="specialist_b", full_name="Bùi Đức Long", agency=building, role=roles.SPECIALIST
    )
    w.ward_clerk = officer_create(
        username="ward_clerk", full_name="Hồ Thị Mai", agency=ward, role=roles.ONE_STOP_CLERK
    )
    w.admin = officer_create(
        username="admin", full_name="Ngô Minh Quân", agency=center, role=roles.PROVINCE_ADMIN
    )
    w.citizen = UserFactory(username="citizen", full_name="Nguyễn Văn An", phone="0912345678")
    w.other_citizen = UserFactory(username="citizen2", full_name="Trần Thị Bình")
    w.procedure = procedure_create(agency=justice)
    w.building_procedure = procedure_create(
        agency=building,
        code="1.000002.000.00.00.H30",
        name="Cấp giấy phép xây dựng",
        processing_days="15",
    )
    return w


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser build)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page in Vietnamese; ``page.base_url`` is the live server."""
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
