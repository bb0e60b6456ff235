"""The files the demo's dossiers carry: a submitted declaration, a supplement and the result (a
decision of the People's Committee), real A4 PDFs in Vietnamese rendered with WeasyPrint, each
marked as a sample with no legal value.

``demo_pdf(kind)`` renders a kind once per process (about half a second each) and every demo
dossier points at the same stored bytes (``demo.dossiers._store``: files are stored under their
SHA-256), so the seed's time does not grow with the number of dossiers.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.template.loader import render_to_string

from tinhso.dossiers.slips import place_name

KINDS = ("submission", "supplement", "result")


def _context(kind: str) -> dict:
    province = settings.PROVINCE_NAME
    year = dt.date.today().year
    common = {"year": year, "place": place_name(), "upper": "", "stamp": False, "receiver": ""}
    if kind == "submission":
        return {
            **common,
            "issuer": "",
            "number_suffix": "TK",
            "title": "Tờ khai đề nghị giải quyết thủ tục hành chính",
            "subtitle": f"Kính gửi: Trung tâm Phục vụ hành chính công {province}",
            "paragraphs": [
                "Họ và tên người đề nghị: Nguyễn Văn Mẫu. Ngày sinh: 01/01/1990.",
                "Số định danh cá nhân: 0920xxxxxxxx. Nơi cư trú: phường Ninh Kiều, "
                + province
                + ".",
                "Tôi đề nghị cơ quan có thẩm quyền xem xét, giải quyết hồ sơ kèm theo tờ khai "
                "này. Tôi cam đoan những nội dung khai trên là đúng sự thật và chịu trách nhiệm "
                "trước pháp luật về nội dung đã khai.",
            ],
            "signer_title": "Người đề nghị",
            "signer_name": "Nguyễn Văn Mẫu",
        }
    if kind == "supplement":
        return {
            **common,
            "issuer": "",
            "number_suffix": "BS",
            "title": "Văn bản bổ sung hồ sơ",
            "subtitle": "Theo phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu số 02)",
            "paragraphs": [
                "Thực hiện phiếu yêu cầu bổ sung, hoàn thiện hồ sơ của cơ quan tiếp nhận, tôi "
                "xin nộp bổ sung các giấy tờ còn thiếu: bản sao giấy tờ chứng minh nơi cư trú "
                "và bản sao có chứng thực giấy chứng nhận quyền sử dụng đất.",
                "Kính đề nghị quý cơ quan tiếp tục giải quyết hồ sơ theo quy định.",
            ],
            "signer_title": "Người nộp bổ sung",
            "signer_name": "Nguyễn Văn Mẫu",
        }
    if kind == "result":
        return {
            **common,
            "upper": f"ỦY BAN NHÂN DÂN {province.upper()}",
            "issuer": "SỞ TƯ PHÁP",
            "number_suffix": "QĐ-STP",
            "title": "Quyết định",
            "subtitle": "Về việc giải quyết hồ sơ thủ tục hành chính",
            "paragraphs": [
                "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
                "Căn cứ Nghị định số 118/2025/NĐ-CP ngày 09 tháng 6 năm 2025 của Chính phủ về "
                "thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông tại Bộ "
                "phận Một cửa và Cổng Dịch vụ công quốc gia;",
                "Xét hồ sơ đề nghị của ông Nguyễn Văn Mẫu và đề nghị của Trưởng phòng chuyên môn,",
                "QUYẾT ĐỊNH:",
                "Điều 1. Chấp thuận đề nghị của ông Nguyễn Văn Mẫu theo hồ sơ đã nộp; cấp giấy "
                "chứng nhận kèm theo Quyết định này.",
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Người có tên tại Điều 1 và "
                "các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này.",
            ],
            "signer_title": "GIÁM ĐỐC",
            "signer_name": "Trần Văn Mẫu",
            "stamp": True,
            "receiver": "Như Điều 2; Lưu: VT.",
        }
    raise ValueError(f"no demo file of kind {kind!r}")


@functools.cache
def demo_pdf(kind: str) -> bytes:
    """The demo file of ``kind`` ("submission", "supplement" or "result") as PDF bytes.

    Raises ``ValueError`` for another kind. Rendered once per process and province.
    """
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("demo/sample_file.html", _context(kind))
    # Nothing is fetched while rendering: the page is self-contained.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
