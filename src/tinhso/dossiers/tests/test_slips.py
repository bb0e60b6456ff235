"""The PDF slips (forms 01–05): what they say, and when they exist."""

import datetime as dt
import io
import unicodedata
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from tinhso.dossiers import services
from tinhso.dossiers.slips import (
    SlipUnavailable,
    place_name,
    slip_available,
    slip_html,
    slip_pdf,
    slips_available,
    step_visits,
    vn_date,
    vn_datetime,
)
from tinhso.dossiers.tests.helpers import checklist, submit_online
from tinhso.testing.files import pdf_upload

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in November 2026, local time (2 November is a Monday)."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=TZ)


def pdf_text(data: bytes) -> str:
    """The text of a PDF, NFC-normalised with white space collapsed."""
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def received(world):
    with time_machine.travel(at(2, 9), tick=False):
        dossier = submit_online(world)
        return services.dossier_receive(
            dossier=dossier, actor=world.clerk, checklist=checklist(dossier)
        )


def test_vietnamese_dates_are_in_local_time():
    moment = dt.datetime(2026, 11, 1, 20, 5, tzinfo=dt.UTC)  # 03:05 on 2 November in Vietnam
    assert vn_date(moment) == "ngày 02 tháng 11 năm 2026"
    assert vn_datetime(moment) == "03 giờ 05 phút, ngày 02 tháng 11 năm 2026"
    assert vn_date(None) == "ngày … tháng … năm …"


def test_the_place_is_the_province_without_its_kind(settings):
    assert place_name() == "Cần Thơ"
    settings.PROVINCE_NAME = "Tỉnh Hậu Giang"
    assert place_name() == "Hậu Giang"


def test_receipt_shows_code_applicant_documents_and_appointment(world):
    dossier = received(world)
    text = pdf_text(slip_pdf(dossier, "01"))
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả".upper() in text.upper()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" in text
    assert "Cần Thơ, ngày 02 tháng 11 năm 2026" in text
    assert dossier.code in text
    assert "Nguyễn Văn An" in text
    assert "Đăng ký khai sinh" in text
    assert "Tờ khai đăng ký khai sinh" in text and "Giấy chứng sinh" in text
    assert "09 giờ 00 phút, ngày 02 tháng 11 năm 2026" in text  # received
    assert "09 giờ 00 phút, ngày 09 tháng 11 năm 2026" in text  # 5 working days later
    assert world.clerk.display_name in text
    assert "/tra-cuu/?code=" in text


def test_receipt_lists_only_the_documents_checked_at_the_desk(world):
    from tinhso.catalog.models import RequiredDocument
    from tinhso.catalog.services import procedure_version_publish

    RequiredDocument.objects.create(
        procedure=world.procedure, order=3, name="Giấy tờ tùy chọn", is_required=False
    )
    procedure_version_publish(procedure=world.procedure)
    world.procedure.refresh_from_db()
    dossier = submit_online(world)
    wanted = [d["id"] for d in dossier.procedure_version.documents if d["required"]]
    dossier = services.dossier_receive(dossier=dossier, actor=world.clerk, checklist=wanted)
    text = pdf_text(slip_pdf(dossier, "01"))
    assert "Giấy chứng sinh" in text
    assert "Giấy tờ tùy chọn" not in text


def test_slip_carries_a_qr_code_to_the_tracking_page(world):
    dossier = received(world)
    html = slip_html(dossier, "01")
    assert 'src="data:image/svg+xml' in html
    assert f"/tra-cuu/?code={dossier.code}" in html


def test_no_receipt_before_the_dossier_is_received(world):
    dossier = submit_online(world)
    assert not slip_available(dossier, "01")
    with pytest.raises(SlipUnavailable):
        slip_pdf(dossier, "01")
    with pytest.raises(SlipUnavailable):
        slip_pdf(dossier, "99")


def test_supplement_request_shows_the_reason(world):
    dossier = submit_online(world)
    assert not slip_available(dossier, "02")
    dossier = services.dossier_request_supplement(
        dossier=dossier,
        actor=world.clerk,
        reason="Giấy chứng sinh bị mờ, đề nghị nộp bản rõ nét.",
        document_names=["Giấy chứng sinh"],
    )
    text = pdf_text(slip_pdf(dossier, "02"))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text.upper()
    assert "Giấy chứng sinh bị mờ, đề nghị nộp bản rõ nét." in text
    assert "Nguyễn Văn An" in text and dossier.code in text


def test_refusal_shows_the_reason(world):
    dossier = submit_online(world)
    assert not slip_available(dossier, "03")
    dossier = services.dossier_refuse(
        dossier=dossier, actor=world.clerk, reason="Không thuộc thẩm quyền giải quyết của Sở."
    )
    assert slip_available(dossier, "03")
    text = pdf_text(slip_pdf(dossier, "03"))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text.upper()
    assert "Không thuộc thẩm quyền giải quyết của Sở." in text


def test_control_sheet_marks_each_step_early_on_time_or_late(world):
    dossier = received(world)  # Monday 09:00; reception step due 14:00
    with time_machine.travel(at(2, 10), tick=False):
        dossier = services.dossier_forward(dossier=dossier, actor=world.clerk)  # on time
    with time_machine.travel(at(2, 15), tick=False):  # step due Wednesday 10:00
        dossier = services.dossier_forward(dossier=dossier, actor=world.specialist)  # early
    with time_machine.travel(at(4, 8), tick=False):  # step due Tuesday 15:00
        dossier = services.dossier_forward(dossier=dossier, actor=world.head)  # late
    with time_machine.travel(at(4, 9), tick=False):
        rows = step_visits(dossier)
        text = pdf_text(slip_pdf(dossier, "05"))
    assert [row["result"] for row in rows] == ["on_time", "early", "late", "in_progress"]
    assert [row["name"] for row in rows] == [
        "Tiếp nhận hồ sơ",
        "Thẩm định hồ sơ",
        "Xem xét, trình ký",
        "Phê duyệt",
    ]
    assert rows[0]["agency"] == world.center.name and rows[1]["agency"] == world.justice.name
    assert rows[1]["due_at"] == "10:00 04/11/2026"
    assert rows[1]["done_at"] == "15:00 02/11/2026"
    with time_machine.travel(at(4, 14), tick=False):  # the leader's half day has run out
        assert step_visits(dossier)[-1]["result"] == "overdue"
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text.upper()
    for words in ("Đúng hạn", "Trước hạn", "Quá hạn", "Đang xử lý", "Sở Tư pháp"):
        assert words in text


def test_control_sheet_does_not_count_the_wait_for_a_supplement(world):
    dossier = received(world)
    with time_machine.travel(at(2, 10), tick=False):
        dossier = services.dossier_forward(dossier=dossier, actor=world.clerk)
    with time_machine.travel(at(2, 11), tick=False):
        dossier = services.dossier_request_supplement(
            dossier=dossier, actor=world.specialist, reason="Thiếu bản sao."
        )
    with time_machine.travel(at(3, 11), tick=False):  # one working day later
        dossier = services.dossier_supplement(
            dossier=dossier, actor=world.citizen, files=[pdf_upload()]
        )
        rows = step_visits(dossier)
    assert len(rows) == 2
    assert rows[1]["due_at"] == "10:00 05/11/2026"  # Wednesday 10:00 + one day


def test_control_sheet_shows_a_step_twice_when_sent_back(world):
    dossier = received(world)
    dossier = services.dossier_forward(dossier=dossier, actor=world.clerk)
    dossier = services.dossier_forward(dossier=dossier, actor=world.specialist)
    dossier = services.dossier_send_back(
        dossier=dossier, actor=world.head, to_step=1, comment="Thẩm định lại."
    )
    names = [row["name"] for row in step_visits(dossier)]
    assert names == ["Tiếp nhận hồ sơ", "Thẩm định hồ sơ", "Xem xét, trình ký", "Thẩm định hồ sơ"]


def test_control_sheet_of_a_finished_dossier_ends_with_the_return(world):
    dossier = received(world)
    for actor in (world.clerk, world.specialist, world.head):
        dossier = services.dossier_forward(dossier=dossier, actor=actor)
    dossier = services.dossier_approve(dossier=dossier, actor=world.leader)
    dossier = services.dossier_finish(
        dossier=dossier, actor=world.doc_clerk, files=[pdf_upload("ket-qua.pdf")]
    )
    dossier = services.dossier_return_result(dossier=dossier, actor=world.clerk, delivery="desk")
    rows = step_visits(dossier)
    assert [row["name"] for row in rows][-1] == "Trả kết quả"
    assert all(row["done_at"] for row in rows)


def test_slips_on_offer_depend_on_the_viewer(world):
    dossier = received(world)
    assert slips_available(dossier, world.citizen) == ["01"]
    assert slips_available(dossier, world.clerk) == ["01", "05"]


def test_what_applicants_type_is_text_not_markup(world):
    dossier = submit_online(world)
    dossier = services.dossier_refuse(dossier=dossier, actor=world.clerk, reason="<b>Sai</b>")
    dossier.applicant_name = '<img src="file:///etc/passwd">Lê Thị Hoa'  # not saved
    html = slip_html(dossier, "03")
    assert '<img src="file' not in html and "&lt;b&gt;Sai&lt;/b&gt;" in html
    assert "Lê Thị Hoa" in pdf_text(slip_pdf(dossier, "03"))
