"""Numbers, money and durations in the reader's language (``core.numbers``), everywhere they are
shown: pages, PDF slips, messages, the admin and spreadsheets. Vietnamese: 200.000 đ, 0,5 ngày
làm việc; English: 200,000 VND, 0.5 working days / 1 working day; never "10.0" nor "0,50"."""

import io
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tinhso.core.numbers import number, vnd, working_days
from tinhso.dossiers import services
from tinhso.dossiers.slips import slip_pdf
from tinhso.dossiers.tests.helpers import checklist, submit_online
from tinhso.dossiers.tests.test_slips import pdf_text
from tinhso.notify.models import Delivery
from tinhso.notify.services import preference_set
from tinhso.testing.factories import STANDARD_STEPS, procedure_create


# --- the helpers ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, vi, en",
    [
        (200000, "200.000", "200,000"),
        (1234567, "1.234.567", "1,234,567"),
        (0, "0", "0"),
        (Decimal("0.50"), "0,5", "0.5"),
        (Decimal("10.0"), "10", "10"),
        ("0.25", "0,25", "0.25"),  # snapshots keep strings
        (-1500.5, "-1.500,5", "-1,500.5"),
        (None, "", ""),
        ("", "", ""),
        ("abc", "", ""),
    ],
)
def test_number_in_both_languages(value, vi, en):
    with translation.override("vi"):
        assert number(value) == vi
    with translation.override("en"):
        assert number(value) == en


def test_number_rounds_to_the_places_asked_and_drops_trailing_zeros():
    with translation.override("vi"):
        assert number(95.0, 1) == "95"
        assert number(95.45, 1) == "95,5"  # half up
        assert number(2 / 3, 1) == "0,7"
        assert number(Decimal("199999.6"), 0) == "200.000"


def test_money_and_working_days_in_both_languages():
    with translation.override("vi"):
        assert vnd(200000) == "200.000 đ"
        assert vnd(None) == ""
        assert working_days(Decimal("0.5")) == "0,5 ngày làm việc"
        assert working_days(Decimal("10.0")) == "10 ngày làm việc"
        assert working_days("0.50") == "0,5 ngày làm việc"
    with translation.override("en"):
        assert vnd(200000) == "200,000 VND"
        assert working_days(1) == "1 working day"
        assert working_days(Decimal("1.0")) == "1 working day"
        assert working_days(Decimal("0.5")) == "0.5 working days"
        assert working_days(15) == "15 working days"


def test_the_template_filters():
    template = Template(
        "{% load vn %}{{ fee|vnd }} · {{ days|working_days }} · {{ rate|number:1 }}%"
    )
    context = Context({"fee": 200000, "days": Decimal("0.50"), "rate": 87.25})
    with translation.override("vi"):
        assert template.render(context) == "200.000 đ · 0,5 ngày làm việc · 87,3%"
    with translation.override("en"):
        assert template.render(context) == "200,000 VND · 0.5 working days · 87.3%"


# --- where people read them ----------------------------------------------------------------------
@pytest.fixture
def paid_procedure(world):
    return procedure_create(
        agency=world.justice,
        code="1.000009.000.00.00.H30",
        name="Chứng thực bản sao",
        processing_days="0.5",
        steps=STANDARD_STEPS[:1],
        fees=(("Lệ phí chứng thực", 200000),),
    )


def _page(client, url, language):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_the_portal_procedure_page(client, paid_procedure):
    url = reverse("portal:procedure", args=[paid_procedure.pk])
    page = _page(client, url, "vi")
    assert "Lệ phí chứng thực: 200.000 đ" in page
    assert "0,5 ngày làm việc" in page
    assert "200000" not in page and "0.5" not in page
    page = _page(client, url, "en")
    assert "200,000 VND" in page
    assert "0.5 working days" in page


def test_the_portal_home_page_lists_processing_times(client, world, paid_procedure):
    page = _page(client, reverse("portal:home"), "vi")
    assert "0,5 ngày làm việc" in page
    assert "5 ngày làm việc" in page  # the standard procedure, not "5,0"


def test_the_office_dossier_page(client, world, paid_procedure):
    dossier = submit_online(world, procedure=paid_procedure)
    client.force_login(world.clerk)
    url = reverse("office:dossier", args=[dossier.pk])
    page = _page(client, url, "vi")
    assert "200.000 đ" in page
    assert "0,5 ngày làm việc" in page
    assert "0,50" not in page
    page = _page(client, url, "en")
    assert "200,000 VND" in page
    assert "0.5 working days" in page


def test_the_receipt_slip_shows_half_a_day_with_a_comma(world, paid_procedure):
    dossier = submit_online(world, procedure=paid_procedure)
    dossier = services.dossier_receive(
        dossier=dossier, actor=world.clerk, checklist=checklist(dossier)
    )
    with translation.override("en"):  # the slips are Vietnamese whatever the officer reads
        text = pdf_text(slip_pdf(dossier, "01"))
        control = pdf_text(slip_pdf(dossier, "05"))
    assert "Thời gian giải quyết hồ sơ theo quy định là: 0,5 ngày làm việc" in text
    assert "0,5 ngày làm việc" in control


def _payment_requested(world, act, amount):
    dossier = act(submit_online, world=world)
    dossier = act(
        services.dossier_receive, dossier=dossier, actor=world.clerk, checklist=checklist(dossier)
    )
    dossier = act(services.dossier_forward, dossier=dossier, actor=world.clerk)
    return act(
        services.dossier_request_payment,
        dossier=dossier,
        actor=world.specialist,
        amount=amount,
        purpose="Lệ phí chứng thực",
        pay_within_days=5,
    )


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


def _payment_message() -> str:
    deliveries = Delivery.objects.filter(event="dossier.payment_requested", channel="email")
    last = deliveries.order_by("pk").last()
    assert last is not None
    return last.body


def test_the_payment_message_in_both_languages(world, act):
    _payment_requested(world, act, 1250000)
    assert "1.250.000 đồng" in _payment_message()

    preference_set(user=world.citizen, language="en")
    with translation.override("vi"):  # the officer's language does not matter
        _payment_requested(world, act, 1250000)
    assert "1,250,000 VND" in _payment_message()


# --- the admin and spreadsheets ------------------------------------------------------------------
def test_a_fee_reads_in_the_vietnamese_format(paid_procedure):
    fee = paid_procedure.fees.get()
    with translation.override("vi"):
        assert str(fee) == "Lệ phí chứng thực: 200.000 đ"


def test_the_admin_procedure_list_shows_processing_times_without_trailing_zeros(client, world):
    world.admin.is_staff = True
    world.admin.save()
    client.force_login(world.admin)
    page = _page(client, reverse("admin:catalog_procedure_changelist"), "vi")
    assert '<td class="field-processing_time">5</td>' in page
    assert "5,0" not in page


def test_the_catalogue_export_keeps_amounts_as_numbers(world, paid_procedure):
    from tinhso.catalog.excel import catalog_export_bytes

    book = load_workbook(io.BytesIO(catalog_export_bytes()))
    fees = book["Fees"]
    amount = next(row[2] for row in fees.iter_rows(min_row=3) if row[1].value)
    assert amount.value == 200000
    assert amount.number_format == "#,##0"
    procedures = book["Procedures"]
    days = [row[7].value for row in procedures.iter_rows(min_row=3)]
    assert 0.5 in days and all(isinstance(value, int | float) for value in days)


def test_the_statistics_export_keeps_counts_and_rates_as_numbers(client, world):
    submit_online(world)
    client.force_login(world.admin)
    response = client.get(reverse("office:stats_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    total = list(sheet.iter_rows(min_row=sheet.max_row))[0]
    assert isinstance(total[1].value, int)
    assert total[1].number_format == "#,##0"
    assert total[-1].number_format == "#,##0.0"
