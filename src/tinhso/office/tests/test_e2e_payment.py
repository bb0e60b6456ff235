"""One journey in Chromium through a fee (issue 7): the specialist signs in and lands on the
work queue, asks the applicant to pay a fee with what it is for and by when; the citizen sees
the amount, how, where and by when on the portal; the desk clerk records the payment with its
receipt; processing goes on. axe-core checks every page the issue added to or changed.

A department-level procedure of the test world (not a commune-level one), so the journey does
not depend on how commune procedures are submitted."""

import re

import pytest
from django.urls import reverse

from tinhso.dossiers.constants import Status
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests.helpers import submit_online, walk_to_processing
from tinhso.testing.axe import assert_accessible
from tinhso.testing.otp import browser_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def open_action(page, action):
    page.locator(f"#action-{action} > summary").click()
    return page.locator(f"#action-{action} form")


def submit(form):
    with form.page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_a_fee_is_requested_seen_paid_at_the_desk_and_processing_goes_on(page, world):
    world.center.address = "Số 2 đường Hòa Bình, phường Ninh Kiều"
    world.center.save()
    dossier = walk_to_processing(world, submit_online(world))  # at the specialist's step
    office_url = reverse("office:dossier", args=[dossier.pk])

    # The specialist lands on the work queue and sees who is signed in.
    browser_sign_in(page, world.specialist)
    assert page.url.endswith(reverse("office:queue")), page.url
    assert "Đang đăng nhập: Phạm Văn Minh · Sở Tư pháp" in page.content()
    assert_accessible(page, context="the queue")
    page.goto(office_url)
    form = open_action(page, "request_payment")
    assert "Bộ phận một cửa" in form.locator("textarea[name$=pay_at]").input_value()
    form.locator("input[name$=amount]").fill("250000")
    form.locator("input[name$=purpose]").fill("Lệ phí đăng ký")
    form.locator("textarea[name$=bank_details]").fill("STK 0123 456 789 - Vietcombank")
    form.locator("input[name$=pay_within_days]").fill("3")
    assert_accessible(page, context="the payment request form")
    submit(form)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.FINANCIAL_OBLIGATION
    assert "250.000 đ" in page.content()
    assert_accessible(page, context="the office dossier waiting for payment")

    # The citizen reads what to pay, how, where and by when.
    browser_sign_in(page, world.citizen)
    assert page.url.endswith(reverse("portal:home")), page.url  # a citizen lands at home
    page.goto(reverse("portal:dossier", args=[dossier.pk]))
    card = page.locator("#payment-heading").locator("xpath=..")
    text = card.inner_text()
    assert "250.000 đ" in text and "Lệ phí đăng ký" in text
    assert "Số 2 đường Hòa Bình" in text and "STK 0123 456 789" in text
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", text), text
    assert_accessible(page, context="the portal dossier with a fee to pay")
    page.goto(reverse("portal:track") + f"?code={dossier.code}")
    assert "250.000 đ" in page.content() and "Nguyễn Văn An" not in page.content()
    assert_accessible(page, context="tracking a dossier with a fee to pay")

    # The desk records the payment with its receipt.
    browser_sign_in(page, world.clerk)
    page.goto(office_url)
    form = open_action(page, "confirm_payment")
    assert form.locator("input[name$=amount]").input_value() == "250000"
    form.locator("input[value=cash]").check()
    form.locator("input[name$=reference]").fill("BL-0042")
    assert_accessible(page, context="the payment record form")
    submit(form)
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == Status.PROCESSING and dossier.fee_paid_at
    assert "BL-0042" in page.content()

    # Processing goes on at the specialist's step.
    browser_sign_in(page, world.specialist)
    page.goto(office_url)
    submit(open_action(page, "forward"))
    assert Dossier.objects.get(pk=dossier.pk).step_index == dossier.step_index + 1
