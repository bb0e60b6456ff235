"""The demo catalogue: real procedure names, fields, documents, fees and legal bases, with
internal processes (quy trình nội bộ) whose step budgets sum to the processing time.

National codes have the shape of the national procedure database
(``<kind>.<six digits>.<publishing agency code>``, e.g. ``1.001193.000.00.00.H13``); the numbers,
fees, time limits and legal bases were written from public sources for the demo and must be
checked against csdl.dichvucong.gov.vn and the province's own announcement before real use.
Ward-level procedures are published once per demo ward, under that ward's agency code.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction

from tinhso.catalog.models import Field, Procedure, ProcessStep, RequiredDocument
from tinhso.catalog.services import procedure_version_publish
from tinhso.core.text import vi_sort_key
from tinhso.demo.agencies import PROVINCE_SUFFIX, ward_keys
from tinhso.org import roles
from tinhso.org.models import Agency

FIELDS = {
    "hotich": "Hộ tịch",
    "chungthuc": "Chứng thực",
    "lltp": "Lý lịch tư pháp",
    "congchung": "Công chứng",
    "datdai": "Đất đai",
    "moitruong": "Môi trường",
    "xaydung": "Hoạt động xây dựng",
    "duongbo": "Đường bộ",
    "doanhnghiep": "Thành lập và hoạt động doanh nghiệp",
    "hokinhdoanh": "Thành lập và hoạt động của hộ kinh doanh",
    "thuongmai": "Lưu thông hàng hóa trong nước",
    "giaoduc": "Giáo dục và Đào tạo",
    "khambenh": "Khám bệnh, chữa bệnh",
    "duoc": "Dược phẩm",
    "laodong": "Lao động",
    "vieclam": "Việc làm",
    "vanhoa": "Văn hóa",
    "dulich": "Du lịch",
    "khcn": "Hoạt động khoa học và công nghệ",
    "nongsan": "Quản lý chất lượng nông lâm sản và thủy sản",
    "xuatnhapcanh": "Quản lý xuất nhập cảnh",
    "pccc": "Phòng cháy, chữa cháy",
}

L_HOTICH = (
    "Luật Hộ tịch số 60/2014/QH13; Nghị định số 123/2015/NĐ-CP; Thông tư số 04/2020/TT-BTP; "
    "Thông tư số 85/2019/TT-BTC (lệ phí)."
)
L_CHUNGTHUC = (
    "Nghị định số 23/2015/NĐ-CP; Thông tư số 01/2020/TT-BTP; Thông tư số 226/2016/TT-BTC (phí)."
)
L_LLTP = (
    "Luật Lý lịch tư pháp số 28/2009/QH12; Nghị định số 111/2010/NĐ-CP; "
    "Thông tư số 244/2016/TT-BTC (phí)."
)
L_DATDAI = "Luật Đất đai số 31/2024/QH15; Nghị định số 101/2024/NĐ-CP; Nghị định số 103/2024/NĐ-CP."
L_XAYDUNG = (
    "Luật Xây dựng số 50/2014/QH13, sửa đổi bởi Luật số 62/2020/QH14; Nghị định số 175/2024/NĐ-CP."
)
L_DN = "Luật Doanh nghiệp số 59/2020/QH14; Nghị định số 168/2025/NĐ-CP; Thông tư số 47/2019/TT-BTC."
L_DUONGBO = (
    "Luật Trật tự, an toàn giao thông đường bộ số 36/2024/QH15; Luật Đường bộ số 35/2024/QH15."
)

WARD = "ward"  # published at every demo ward


@dataclass
class P:
    nid: str
    name: str
    field: str
    agency: str
    days: str
    online: str = Procedure.OnlineLevel.FULL
    applicants: str = Procedure.Applicants.CITIZEN
    # dataclasses.field: the attribute ``field`` above hides the bare name in this class body.
    docs: list = dataclasses.field(default_factory=list)
    fees: list = dataclasses.field(default_factory=list)
    result: str = ""
    legal: str = ""
    inter: tuple | None = None  # (agency key, step name): a step done at another agency
    obligation: bool = False  # may carry a financial obligation (land levy, registration fee)
    weight: int = 2  # how common its dossiers are in the demo

    @property
    def kind(self) -> str:
        return "ward" if self.agency == WARD else "department"


def d(name, originals=1, copies=0):
    return (name, originals, copies)


FULL, PARTIAL, NONE = (
    Procedure.OnlineLevel.FULL,
    Procedure.OnlineLevel.PARTIAL,
    Procedure.OnlineLevel.NONE,
)
CIT, ORG, BOTH = (
    Procedure.Applicants.CITIZEN,
    Procedure.Applicants.ORGANISATION,
    Procedure.Applicants.BOTH,
)
TO_KHAI = "Tờ khai theo mẫu"
CCCD = "Căn cước/Căn cước công dân hoặc giấy tờ tùy thân (xuất trình)"

PROCEDURES = [
    # --- Hộ tịch (ward) ---------------------------------------------------------------------
    P("1.001193", "Đăng ký khai sinh", "hotich", WARD, "1", FULL, CIT,
      [d("Tờ khai đăng ký khai sinh"), d("Giấy chứng sinh"), d(CCCD, 1)],
      [], "Giấy khai sinh (bản chính), bản sao Giấy khai sinh nếu có yêu cầu", L_HOTICH, weight=9),
    P("1.000894", "Đăng ký kết hôn", "hotich", WARD, "1", PARTIAL, CIT,
      [d("Tờ khai đăng ký kết hôn"), d("Giấy xác nhận tình trạng hôn nhân (nếu đăng ký ở nơi khác)"),
       d(CCCD, 2)],
      [], "Giấy chứng nhận kết hôn", L_HOTICH, weight=5),
    P("1.000656", "Đăng ký khai tử", "hotich", WARD, "1", FULL, CIT,
      [d("Tờ khai đăng ký khai tử"), d("Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử")],
      [], "Trích lục khai tử", L_HOTICH, weight=4),
    P("2.000635", "Cấp bản sao trích lục hộ tịch", "hotich", WARD, "0.5", FULL, CIT,
      [d("Tờ khai cấp bản sao trích lục hộ tịch")],
      [("Phí cấp bản sao trích lục hộ tịch", 8000, "8.000 đồng/bản sao trích lục")],
      "Bản sao trích lục hộ tịch", L_HOTICH, weight=6),
    P("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", "hotich", WARD, "3", FULL, CIT,
      [d("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"), d(CCCD)],
      [], "Giấy xác nhận tình trạng hôn nhân", L_HOTICH, weight=5),
    P("1.004859", "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", "hotich", WARD, "3",
      PARTIAL, CIT,
      [d("Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch"),
       d("Giấy tờ làm căn cứ cho việc thay đổi, cải chính", 0, 1)],
      [("Lệ phí đăng ký thay đổi, cải chính hộ tịch", 15000, "")],
      "Trích lục thay đổi, cải chính hộ tịch", L_HOTICH, weight=2),
    P("1.004884", "Đăng ký lại khai sinh", "hotich", WARD, "5", PARTIAL, CIT,
      [d("Tờ khai đăng ký lại khai sinh"), d("Bản sao giấy tờ chứng minh nội dung khai sinh", 0, 1)],
      [], "Giấy khai sinh (bản chính)", L_HOTICH, weight=1),
    P("1.000689", "Đăng ký nhận cha, mẹ, con", "hotich", WARD, "3", PARTIAL, CIT,
      [d("Tờ khai đăng ký nhận cha, mẹ, con"), d("Văn bản xác nhận quan hệ cha con/mẹ con")],
      [], "Trích lục đăng ký nhận cha, mẹ, con", L_HOTICH, weight=1),
    P("1.001022", "Đăng ký kết hôn có yếu tố nước ngoài", "hotich", WARD, "10", PARTIAL, CIT,
      [d("Tờ khai đăng ký kết hôn"), d("Giấy xác nhận tình trạng hôn nhân của người nước ngoài"),
       d("Giấy xác nhận của tổ chức y tế về sức khỏe tâm thần"), d("Bản sao hộ chiếu", 0, 1)],
      [("Lệ phí đăng ký kết hôn có yếu tố nước ngoài", 1500000, "")],
      "Giấy chứng nhận kết hôn", L_HOTICH, weight=1),
    # --- Chứng thực (ward) ------------------------------------------------------------------
    P("2.000908", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của "
      "Việt Nam cấp hoặc chứng nhận", "chungthuc", WARD, "0.5", NONE, BOTH,
      [d("Bản chính giấy tờ, văn bản làm cơ sở chứng thực"), d("Bản sao cần chứng thực", 0, 1)],
      [("Phí chứng thực bản sao từ bản chính", 2000,
        "2.000 đ/trang; từ trang thứ ba 1.000 đ/trang, tối đa 200.000 đ/bản")],
      "Bản sao được chứng thực từ bản chính", L_CHUNGTHUC, weight=10),
    P("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", "chungthuc", WARD, "0.5", NONE,
      CIT, [d("Giấy tờ, văn bản cần chứng thực chữ ký"), d(CCCD)],
      [("Phí chứng thực chữ ký", 10000, "10.000 đ/trường hợp")],
      "Giấy tờ, văn bản được chứng thực chữ ký", L_CHUNGTHUC, weight=4),
    P("2.001035", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng "
      "đất, nhà ở", "chungthuc", WARD, "2", NONE, CIT,
      [d("Dự thảo hợp đồng, giao dịch"), d(CCCD), d("Giấy chứng nhận quyền sử dụng đất", 0, 1)],
      [("Phí chứng thực hợp đồng, giao dịch", 50000, "50.000 đ/hợp đồng, giao dịch")],
      "Hợp đồng, giao dịch được chứng thực", L_CHUNGTHUC, weight=3),
    P("2.001019", "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", "chungthuc",
      WARD, "2", NONE, CIT, [d("Dự thảo văn bản sửa đổi, bổ sung, hủy bỏ"), d(CCCD)],
      [("Phí chứng thực", 30000, "30.000 đ/hợp đồng, giao dịch")],
      "Văn bản được chứng thực", L_CHUNGTHUC, weight=1),
    # --- Hộ kinh doanh, xây dựng nhà ở, môi trường (ward) -----------------------------------
    P("2.000720", "Đăng ký thành lập hộ kinh doanh", "hokinhdoanh", WARD, "3", FULL, CIT,
      [d("Giấy đề nghị đăng ký hộ kinh doanh"), d("Bản sao giấy tờ pháp lý của chủ hộ", 0, 1)],
      [("Lệ phí đăng ký hộ kinh doanh", 100000, "Miễn khi nộp trực tuyến")],
      "Giấy chứng nhận đăng ký hộ kinh doanh", L_DN, weight=4),
    P("1.001612", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "hokinhdoanh", WARD, "3",
      FULL, CIT, [d("Thông báo thay đổi nội dung đăng ký hộ kinh doanh")],
      [("Lệ phí đăng ký hộ kinh doanh", 100000, "")],
      "Giấy chứng nhận đăng ký hộ kinh doanh", L_DN, weight=2),
    P("2.000575", "Tạm ngừng hoạt động hộ kinh doanh", "hokinhdoanh", WARD, "3", FULL, CIT,
      [d("Thông báo về việc tạm ngừng hoạt động hộ kinh doanh")],
      [], "Giấy xác nhận về việc hộ kinh doanh tạm ngừng hoạt động", L_DN, weight=1),
    P("1.009994", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "xaydung", WARD, "15", PARTIAL, CIT,
      [d("Đơn đề nghị cấp giấy phép xây dựng"), d("Giấy tờ chứng minh quyền sử dụng đất", 0, 1),
       d("Bản vẽ thiết kế xây dựng", 2)],
      [("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ", 75000, "")],
      "Giấy phép xây dựng", L_XAYDUNG, weight=4),
    P("1.010728", "Đăng ký môi trường", "moitruong", WARD, "15", FULL, BOTH,
      [d("Văn bản đăng ký môi trường theo mẫu")],
      [], "Văn bản tiếp nhận đăng ký môi trường",
      "Luật Bảo vệ môi trường số 72/2020/QH14; Nghị định số 08/2022/NĐ-CP.", weight=1),
    # --- Sở Tư pháp -------------------------------------------------------------------------
    P("2.000488", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú "
      "tại Việt Nam", "lltp", "stp", "10", FULL, CIT,
      [d("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"), d("Bản chụp giấy tờ tùy thân", 0, 1),
       d("Bản chụp giấy tờ chứng minh nơi cư trú", 0, 1)],
      [("Phí cung cấp thông tin lý lịch tư pháp", 200000,
        "Sinh viên, người có công với cách mạng: 100.000 đ/lần")],
      "Phiếu lý lịch tư pháp", L_LLTP,
      inter=("ca", "Tra cứu, xác minh thông tin lý lịch tư pháp về án tích"), weight=12),
    P("2.000505", "Cấp Phiếu lý lịch tư pháp cho cơ quan nhà nước, cơ quan tiến hành tố tụng",
      "lltp", "stp", "10", PARTIAL, ORG,
      [d("Văn bản yêu cầu cấp Phiếu lý lịch tư pháp")],
      [], "Phiếu lý lịch tư pháp", L_LLTP, weight=1),
    P("1.008925", "Đăng ký hành nghề và cấp Thẻ công chứng viên", "congchung", "stp", "10",
      PARTIAL, CIT,
      [d("Đơn đề nghị đăng ký hành nghề công chứng"), d("Quyết định bổ nhiệm công chứng viên", 0, 1),
       d("Ảnh chân dung 2x3", 1)],
      [], "Thẻ công chứng viên", "Luật Công chứng số 46/2024/QH15.", weight=1),
    P("1.008930", "Đăng ký hoạt động Văn phòng công chứng", "congchung", "stp", "10", PARTIAL,
      ORG, [d("Đơn đề nghị đăng ký hoạt động"), d("Quyết định cho phép thành lập", 0, 1)],
      [("Phí thẩm định điều kiện hoạt động Văn phòng công chứng", 1000000, "")],
      "Giấy đăng ký hoạt động Văn phòng công chứng", "Luật Công chứng số 46/2024/QH15.", weight=1),
    # --- Sở Nông nghiệp và Môi trường --------------------------------------------------------
    P("1.012756", "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng "
      "đất, quyền sở hữu tài sản gắn liền với đất lần đầu", "datdai", "snnmt", "20", PARTIAL, BOTH,
      [d("Đơn đăng ký đất đai, tài sản gắn liền với đất"), d("Giấy tờ về quyền sử dụng đất", 0, 1),
       d("Sơ đồ hoặc mảnh trích đo bản đồ địa chính thửa đất")],
      [("Lệ phí cấp Giấy chứng nhận", 100000, "Mức thu theo Nghị quyết của HĐND thành phố")],
      "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", L_DATDAI,
      inter=("sxd", "Xác nhận sự phù hợp với quy hoạch xây dựng"), obligation=True, weight=6),
    P("1.012765", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do "
      "chuyển nhượng, tặng cho, thừa kế", "datdai", "snnmt", "8", PARTIAL, BOTH,
      [d("Đơn đăng ký biến động đất đai, tài sản gắn liền với đất"),
       d("Hợp đồng, văn bản về việc chuyển quyền đã công chứng, chứng thực"),
       d("Giấy chứng nhận đã cấp")],
      [("Lệ phí đăng ký biến động", 50000, "")],
      "Giấy chứng nhận hoặc xác nhận biến động trên Giấy chứng nhận đã cấp", L_DATDAI,
      obligation=True, weight=6),
    P("1.012778", "Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
      "datdai", "snnmt", "7", PARTIAL, BOTH,
      [d("Đơn đề nghị cấp đổi Giấy chứng nhận"), d("Giấy chứng nhận đã cấp")],
      [("Lệ phí cấp đổi Giấy chứng nhận", 50000, "")],
      "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", L_DATDAI,
      weight=3),
    P("1.012790", "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất", "datdai",
      "snnmt", "1", FULL, BOTH,
      [d("Phiếu yêu cầu đăng ký thế chấp"), d("Hợp đồng thế chấp", 1), d("Giấy chứng nhận đã cấp")],
      [("Lệ phí đăng ký biện pháp bảo đảm", 80000, "")],
      "Giấy chứng nhận có nội dung đăng ký thế chấp", L_DATDAI, weight=4),
    P("1.012801", "Chuyển mục đích sử dụng đất", "datdai", "snnmt", "15", PARTIAL, BOTH,
      [d("Đơn xin chuyển mục đích sử dụng đất"), d("Giấy chứng nhận đã cấp")],
      [], "Quyết định cho phép chuyển mục đích sử dụng đất", L_DATDAI, obligation=True, weight=2),
    P("1.010734", "Cấp giấy phép môi trường", "moitruong", "snnmt", "30", PARTIAL, ORG,
      [d("Văn bản đề nghị cấp giấy phép môi trường"), d("Báo cáo đề xuất cấp giấy phép môi trường")],
      [("Phí thẩm định cấp giấy phép môi trường", 30000000, "Theo Nghị quyết của HĐND thành phố")],
      "Giấy phép môi trường",
      "Luật Bảo vệ môi trường số 72/2020/QH14; Nghị định số 08/2022/NĐ-CP.", weight=1),
    P("1.010732", "Thẩm định báo cáo đánh giá tác động môi trường", "moitruong", "snnmt", "25",
      PARTIAL, ORG, [d("Văn bản đề nghị thẩm định"), d("Báo cáo đánh giá tác động môi trường")],
      [], "Quyết định phê duyệt kết quả thẩm định báo cáo đánh giá tác động môi trường",
      "Luật Bảo vệ môi trường số 72/2020/QH14; Nghị định số 08/2022/NĐ-CP.", weight=1),
    P("1.003360", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông, lâm, thủy sản",
      "nongsan", "snnmt", "15", FULL, BOTH,
      [d("Đơn đề nghị cấp Giấy chứng nhận"), d("Bản thuyết minh về cơ sở vật chất, trang thiết bị")],
      [("Phí thẩm định cấp Giấy chứng nhận", 700000, "")],
      "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
      "Luật An toàn thực phẩm số 55/2010/QH12; Nghị định số 15/2018/NĐ-CP.", weight=1),
    # --- Sở Xây dựng (xây dựng, đường bộ) ---------------------------------------------------
    P("1.009972", "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II",
      "xaydung", "sxd", "20", PARTIAL, ORG,
      [d("Đơn đề nghị cấp giấy phép xây dựng"), d("Giấy tờ chứng minh quyền sử dụng đất", 0, 1),
       d("Bản vẽ thiết kế xây dựng", 2), d("Văn bản thẩm duyệt thiết kế về phòng cháy, chữa cháy")],
      [("Lệ phí cấp giấy phép xây dựng công trình", 150000, "")],
      "Giấy phép xây dựng", L_XAYDUNG,
      inter=("ca", "Lấy ý kiến về phòng cháy, chữa cháy"), weight=2),
    P("1.009975", "Cấp điều chỉnh giấy phép xây dựng", "xaydung", "sxd", "20", PARTIAL, BOTH,
      [d("Đơn đề nghị điều chỉnh giấy phép xây dựng"), d("Bản chính giấy phép xây dựng đã cấp")],
      [("Lệ phí cấp giấy phép xây dựng", 150000, "")],
      "Giấy phép xây dựng điều chỉnh", L_XAYDUNG, weight=1),
    P("1.009976", "Gia hạn giấy phép xây dựng", "xaydung", "sxd", "5", FULL, BOTH,
      [d("Đơn đề nghị gia hạn giấy phép xây dựng"), d("Bản chính giấy phép xây dựng đã cấp")],
      [], "Giấy phép xây dựng được gia hạn", L_XAYDUNG, weight=1),
    P("1.009986", "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III", "xaydung", "sxd",
      "20", FULL, CIT,
      [d("Đơn đề nghị cấp chứng chỉ hành nghề"), d("Văn bằng do cơ sở đào tạo hợp pháp cấp", 0, 1),
       d("Ảnh màu cỡ 4x6 cm", 1)],
      [("Lệ phí cấp chứng chỉ hành nghề", 300000, "")],
      "Chứng chỉ hành nghề hoạt động xây dựng", L_XAYDUNG, weight=2),
    P("1.002856", "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô", "duongbo", "sxd", "5", FULL,
      ORG, [d("Giấy đề nghị cấp Giấy phép kinh doanh"), d("Phương án kinh doanh vận tải")],
      [("Lệ phí cấp giấy phép kinh doanh vận tải", 200000, "")],
      "Giấy phép kinh doanh vận tải bằng xe ô tô", L_DUONGBO, weight=2),
    P("1.002859", "Cấp phù hiệu xe ô tô kinh doanh vận tải", "duongbo", "sxd", "2", FULL, ORG,
      [d("Giấy đề nghị cấp phù hiệu"), d("Giấy đăng ký xe ô tô", 0, 1)],
      [], "Phù hiệu xe ô tô kinh doanh vận tải", L_DUONGBO, weight=2),
    P("1.001777", "Cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn trên đường bộ",
      "duongbo", "sxd", "2", FULL, BOTH,
      [d("Đơn đề nghị cấp giấy phép lưu hành xe"), d("Giấy đăng ký xe", 0, 1)],
      [], "Giấy phép lưu hành xe", L_DUONGBO, weight=1),
    # --- Sở Tài chính (doanh nghiệp) --------------------------------------------------------
    P("2.001610", "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên", "doanhnghiep",
      "stc", "3", FULL, ORG,
      [d("Giấy đề nghị đăng ký doanh nghiệp"), d("Điều lệ công ty"),
       d("Bản sao giấy tờ pháp lý của chủ sở hữu", 0, 1)],
      [("Lệ phí đăng ký doanh nghiệp", 50000, "Miễn khi đăng ký qua mạng"),
       ("Phí công bố nội dung đăng ký doanh nghiệp", 100000, "")],
      "Giấy chứng nhận đăng ký doanh nghiệp", L_DN, weight=4),
    P("2.002042", "Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên",
      "doanhnghiep", "stc", "3", FULL, ORG,
      [d("Giấy đề nghị đăng ký doanh nghiệp"), d("Điều lệ công ty"), d("Danh sách thành viên")],
      [("Lệ phí đăng ký doanh nghiệp", 50000, "Miễn khi đăng ký qua mạng"),
       ("Phí công bố nội dung đăng ký doanh nghiệp", 100000, "")],
      "Giấy chứng nhận đăng ký doanh nghiệp", L_DN, weight=2),
    P("2.002044", "Đăng ký thành lập công ty cổ phần", "doanhnghiep", "stc", "3", FULL, ORG,
      [d("Giấy đề nghị đăng ký doanh nghiệp"), d("Điều lệ công ty"),
       d("Danh sách cổ đông sáng lập")],
      [("Lệ phí đăng ký doanh nghiệp", 50000, "Miễn khi đăng ký qua mạng"),
       ("Phí công bố nội dung đăng ký doanh nghiệp", 100000, "")],
      "Giấy chứng nhận đăng ký doanh nghiệp", L_DN, weight=2),
    P("2.002035", "Đăng ký thành lập doanh nghiệp tư nhân", "doanhnghiep", "stc", "3", FULL, CIT,
      [d("Giấy đề nghị đăng ký doanh nghiệp"), d("Bản sao giấy tờ pháp lý của chủ doanh nghiệp")],
      [("Lệ phí đăng ký doanh nghiệp", 50000, "Miễn khi đăng ký qua mạng")],
      "Giấy chứng nhận đăng ký doanh nghiệp", L_DN, weight=1),
    P("2.002050", "Đăng ký thay đổi nội dung đăng ký doanh nghiệp", "doanhnghiep", "stc", "3",
      FULL, ORG, [d("Thông báo thay đổi nội dung đăng ký doanh nghiệp"), d("Nghị quyết, quyết định")],
      [("Lệ phí đăng ký doanh nghiệp", 50000, "Miễn khi đăng ký qua mạng")],
      "Giấy chứng nhận đăng ký doanh nghiệp", L_DN, weight=3),
    P("2.002073", "Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn",
      "doanhnghiep", "stc", "3", FULL, ORG, [d("Thông báo tạm ngừng kinh doanh")],
      [], "Giấy xác nhận về việc doanh nghiệp đăng ký tạm ngừng kinh doanh", L_DN, weight=1),
    P("2.002080", "Giải thể doanh nghiệp", "doanhnghiep", "stc", "5", FULL, ORG,
      [d("Thông báo về giải thể doanh nghiệp"), d("Báo cáo thanh lý tài sản doanh nghiệp")],
      [], "Thông báo về việc giải thể doanh nghiệp", L_DN, weight=1),
    # --- Sở Công Thương ---------------------------------------------------------------------
    P("2.000620", "Cấp Giấy phép bán lẻ sản phẩm rượu", "thuongmai", "sct", "10", FULL, BOTH,
      [d("Đơn đề nghị cấp Giấy phép bán lẻ rượu"), d("Bản sao Giấy chứng nhận đăng ký doanh nghiệp")],
      [("Phí thẩm định cấp giấy phép bán lẻ rượu", 1200000, "")],
      "Giấy phép bán lẻ sản phẩm rượu", "Nghị định số 105/2017/NĐ-CP.", weight=1),
    P("2.000633", "Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu", "thuongmai", "sct",
      "15", PARTIAL, ORG,
      [d("Đơn đề nghị cấp Giấy chứng nhận"), d("Bản kê trang thiết bị của cửa hàng")],
      [("Phí thẩm định điều kiện kinh doanh xăng dầu", 1200000, "")],
      "Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu", "Nghị định số 83/2014/NĐ-CP.",
      weight=1),
    P("2.000176", "Cấp Giấy phép bán lẻ sản phẩm thuốc lá", "thuongmai", "sct", "15", FULL, BOTH,
      [d("Đơn đề nghị cấp Giấy phép"), d("Bản sao hợp đồng mua bán với thương nhân phân phối")],
      [("Phí thẩm định", 1200000, "")],
      "Giấy phép bán lẻ sản phẩm thuốc lá", "Nghị định số 67/2013/NĐ-CP.", weight=1),
    # --- Sở Giáo dục và Đào tạo -------------------------------------------------------------
    P("1.005092", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "giaoduc", "sgd", "1", FULL, CIT,
      [d("Đơn đề nghị cấp bản sao văn bằng, chứng chỉ từ sổ gốc"), d(CCCD)],
      [("Phí cấp bản sao", 3000, "3.000 đ/bản")],
      "Bản sao văn bằng, chứng chỉ từ sổ gốc",
      "Luật Giáo dục số 43/2019/QH14; Thông tư số 21/2019/TT-BGDĐT.", weight=3),
    P("1.005085", "Chỉnh sửa nội dung văn bằng, chứng chỉ", "giaoduc", "sgd", "5", PARTIAL, CIT,
      [d("Đơn đề nghị chỉnh sửa văn bằng, chứng chỉ"), d("Văn bằng, chứng chỉ đề nghị chỉnh sửa")],
      [], "Quyết định chỉnh sửa văn bằng, chứng chỉ",
      "Thông tư số 21/2019/TT-BGDĐT.", weight=1),
    P("1.001000", "Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục", "giaoduc", "sgd",
      "20", PARTIAL, ORG, [d("Tờ trình đề nghị cho phép hoạt động"), d("Quyết định thành lập", 0, 1)],
      [], "Quyết định cho phép hoạt động giáo dục",
      "Nghị định số 125/2024/NĐ-CP.", weight=1),
    # --- Sở Y tế ----------------------------------------------------------------------------
    P("1.004616", "Cấp Chứng chỉ hành nghề dược", "duoc", "syt", "10", PARTIAL, CIT,
      [d("Đơn đề nghị cấp Chứng chỉ hành nghề dược"), d("Bản sao văn bằng chuyên môn", 0, 1),
       d("Giấy xác nhận thời gian thực hành chuyên môn")],
      [("Phí thẩm định cấp Chứng chỉ hành nghề dược", 500000, "")],
      "Chứng chỉ hành nghề dược", "Luật Dược số 105/2016/QH13; Nghị định số 54/2017/NĐ-CP.",
      weight=2),
    P("1.004604", "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược cho cơ sở bán lẻ thuốc",
      "duoc", "syt", "20", PARTIAL, BOTH,
      [d("Đơn đề nghị cấp Giấy chứng nhận"), d("Tài liệu kỹ thuật về địa điểm, trang thiết bị")],
      [("Phí thẩm định điều kiện kinh doanh thuốc", 1000000, "")],
      "Giấy chứng nhận đủ điều kiện kinh doanh dược",
      "Luật Dược số 105/2016/QH13; Nghị định số 54/2017/NĐ-CP.", weight=1),
    P("1.012268", "Cấp giấy phép hành nghề khám bệnh, chữa bệnh", "khambenh", "syt", "20",
      PARTIAL, CIT,
      [d("Đơn đề nghị cấp giấy phép hành nghề"), d("Bản sao văn bằng chuyên môn", 0, 1),
       d("Giấy chứng nhận đủ sức khỏe hành nghề")],
      [("Phí thẩm định cấp giấy phép hành nghề", 360000, "")],
      "Giấy phép hành nghề khám bệnh, chữa bệnh",
      "Luật Khám bệnh, chữa bệnh số 15/2023/QH15; Nghị định số 96/2023/NĐ-CP.", weight=1),
    P("1.012283", "Cấp giấy phép hoạt động đối với phòng khám", "khambenh", "syt", "30", PARTIAL,
      ORG, [d("Đơn đề nghị cấp giấy phép hoạt động"), d("Danh sách người hành nghề")],
      [("Phí thẩm định cấp giấy phép hoạt động", 4300000, "")],
      "Giấy phép hoạt động khám bệnh, chữa bệnh",
      "Luật Khám bệnh, chữa bệnh số 15/2023/QH15; Nghị định số 96/2023/NĐ-CP.", weight=1),
    # --- Sở Nội vụ (lao động, việc làm) -----------------------------------------------------
    P("1.000105", "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
      "laodong", "snv", "5", FULL, ORG,
      [d("Văn bản đề nghị cấp giấy phép lao động"), d("Giấy chứng nhận sức khỏe"),
       d("Phiếu lý lịch tư pháp"), d("Bản sao hộ chiếu", 0, 1)],
      [("Lệ phí cấp giấy phép lao động", 600000, "")],
      "Giấy phép lao động", "Bộ luật Lao động số 45/2019/QH14; Nghị định số 219/2025/NĐ-CP.",
      weight=2),
    P("1.000026", "Đăng ký nội quy lao động", "laodong", "snv", "7", FULL, ORG,
      [d("Văn bản đề nghị đăng ký nội quy lao động"), d("Nội quy lao động")],
      [], "Thông báo đăng ký nội quy lao động", "Bộ luật Lao động số 45/2019/QH14.", weight=1),
    P("1.001978", "Giải quyết hưởng trợ cấp thất nghiệp", "vieclam", "snv", "20", FULL, CIT,
      [d("Đề nghị hưởng trợ cấp thất nghiệp"), d("Quyết định thôi việc hoặc chấm dứt hợp đồng", 0, 1),
       d("Sổ bảo hiểm xã hội")],
      [], "Quyết định hưởng trợ cấp thất nghiệp",
      "Luật Việc làm số 38/2013/QH13; Nghị định số 28/2015/NĐ-CP.", weight=4),
    P("1.001865", "Cấp giấy phép hoạt động dịch vụ việc làm", "vieclam", "snv", "10", PARTIAL,
      ORG, [d("Văn bản đề nghị cấp giấy phép"), d("Giấy chứng nhận ký quỹ")],
      [], "Giấy phép hoạt động dịch vụ việc làm", "Nghị định số 23/2021/NĐ-CP.", weight=1),
    # --- Sở Văn hóa, Thể thao và Du lịch ----------------------------------------------------
    P("1.001029", "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", "vanhoa", "svh", "5",
      PARTIAL, BOTH,
      [d("Đơn đề nghị cấp giấy phép"), d("Bản sao Giấy chứng nhận đủ điều kiện về an ninh, trật tự")],
      [("Phí thẩm định cấp giấy phép kinh doanh karaoke", 4000000, "Từ 01 đến 03 phòng")],
      "Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", "Nghị định số 54/2019/NĐ-CP.",
      inter=("ca", "Kiểm tra điều kiện về an ninh, trật tự"), weight=1),
    P("1.004628", "Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa", "dulich", "svh", "10",
      FULL, ORG,
      [d("Đơn đề nghị cấp giấy phép"), d("Giấy chứng nhận ký quỹ kinh doanh dịch vụ lữ hành")],
      [("Phí thẩm định cấp giấy phép", 3000000, "")],
      "Giấy phép kinh doanh dịch vụ lữ hành nội địa", "Luật Du lịch số 09/2017/QH14.", weight=1),
    P("1.001432", "Cấp thẻ hướng dẫn viên du lịch nội địa", "dulich", "svh", "10", FULL, CIT,
      [d("Đơn đề nghị cấp thẻ"), d("Giấy chứng nhận sức khỏe"), d("Ảnh chân dung 3x4", 2)],
      [("Phí thẩm định cấp thẻ hướng dẫn viên du lịch", 650000, "")],
      "Thẻ hướng dẫn viên du lịch nội địa", "Luật Du lịch số 09/2017/QH14.", weight=2),
    P("1.009397", "Tiếp nhận thông báo tổ chức biểu diễn nghệ thuật", "vanhoa", "svh", "5", FULL,
      BOTH, [d("Văn bản thông báo tổ chức biểu diễn nghệ thuật")],
      [], "Văn bản xác nhận tiếp nhận thông báo", "Nghị định số 144/2020/NĐ-CP.", weight=1),
    # --- Sở Khoa học và Công nghệ -----------------------------------------------------------
    P("1.004477", "Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", "khcn", "skhcn",
      "15", FULL, ORG, [d("Đơn đăng ký hoạt động khoa học và công nghệ"), d("Quyết định thành lập")],
      [], "Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",
      "Luật Khoa học và Công nghệ số 29/2013/QH13; Nghị định số 08/2014/NĐ-CP.", weight=1),
    P("1.004398", "Cấp giấy phép tiến hành công việc bức xạ - sử dụng thiết bị X-quang chẩn đoán "
      "trong y tế", "khcn", "skhcn", "15", PARTIAL, ORG,
      [d("Đơn đề nghị cấp giấy phép"), d("Báo cáo đánh giá an toàn bức xạ")],
      [("Phí thẩm định an toàn bức xạ", 2000000, "")],
      "Giấy phép tiến hành công việc bức xạ",
      "Luật Năng lượng nguyên tử số 18/2008/QH12; Nghị định số 142/2020/NĐ-CP.", weight=1),
    # --- Công an thành phố ------------------------------------------------------------------
    P("1.002804", "Cấp đổi giấy phép lái xe", "duongbo", "ca", "5", FULL, CIT,
      [d("Đơn đề nghị đổi giấy phép lái xe"), d("Giấy khám sức khỏe của người lái xe"),
       d("Bản chính giấy phép lái xe")],
      [("Lệ phí cấp giấy phép lái xe", 135000, "")],
      "Giấy phép lái xe",
      L_DUONGBO + " Từ 01/3/2025 việc cấp, đổi giấy phép lái xe do Công an thực hiện.", weight=6),
    P("1.002809", "Cấp lại giấy phép lái xe", "duongbo", "ca", "5", PARTIAL, CIT,
      [d("Đơn đề nghị cấp lại giấy phép lái xe"), d("Giấy khám sức khỏe của người lái xe")],
      [("Lệ phí cấp giấy phép lái xe", 135000, "")],
      "Giấy phép lái xe", L_DUONGBO, weight=2),
    P("2.001643", "Cấp hộ chiếu phổ thông ở trong nước", "xuatnhapcanh", "ca", "8", FULL, CIT,
      [d("Tờ khai đề nghị cấp hộ chiếu"), d("Ảnh chân dung 4x6", 2)],
      [("Lệ phí cấp hộ chiếu", 200000, "")],
      "Hộ chiếu phổ thông",
      "Luật Xuất cảnh, nhập cảnh của công dân Việt Nam số 49/2019/QH14.", weight=4),
    P("1.012345", "Thẩm định thiết kế về phòng cháy và chữa cháy", "pccc", "ca", "10", PARTIAL,
      ORG, [d("Văn bản đề nghị thẩm định"), d("Hồ sơ thiết kế kỹ thuật", 2)],
      [], "Giấy chứng nhận thẩm định thiết kế về phòng cháy và chữa cháy",
      "Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ số 55/2024/QH15.", weight=1),
]  # fmt: skip

# Internal processes: (name, role, at desk, share of the processing time).
DEPARTMENT_STEPS = [
    ("Tiếp nhận hồ sơ, chuyển xử lý", roles.ONE_STOP_CLERK, True, 0.05),
    ("Thẩm định hồ sơ, đề xuất", roles.SPECIALIST, False, None),
    ("Xem xét, trình lãnh đạo", roles.DEPARTMENT_HEAD, False, 0.15),
    ("Phê duyệt, ký kết quả", roles.AGENCY_LEADER, False, 0.15),
    ("Vào sổ, đóng dấu, phát hành", roles.DOCUMENT_CLERK, False, 0.1),
    ("Trả kết quả", roles.ONE_STOP_CLERK, True, 0.05),
]
WARD_STEPS = [
    ("Tiếp nhận hồ sơ, chuyển xử lý", roles.ONE_STOP_CLERK, True, 0.1),
    ("Thẩm định, giải quyết hồ sơ", roles.SPECIALIST, False, None),
    ("Ký duyệt kết quả", roles.AGENCY_LEADER, False, 0.2),
    ("Vào sổ, đóng dấu", roles.DOCUMENT_CLERK, False, 0.1),
    ("Trả kết quả", roles.ONE_STOP_CLERK, True, 0.1),
]
INTER_SHARE = 0.3

MIN_BUDGET = Decimal("0.05")


def _quantise(value: float) -> Decimal:
    return max(MIN_BUDGET, Decimal(round(value * 20)) / 20)


def process_for(spec: P, agencies: dict[str, Agency]) -> list[tuple]:
    """The internal process of ``spec``: (name, role, at desk, other agency, budget)."""
    template = WARD_STEPS if spec.kind == "ward" else DEPARTMENT_STEPS
    rows: list[tuple[str, str, bool, Agency | None, float | None]] = [
        (name, role, at_desk, None, share) for name, role, at_desk, share in template
    ]
    if spec.inter:
        key, name = spec.inter
        rows.insert(2, (name, roles.SPECIALIST, False, agencies[key], INTER_SHARE))
    days = Decimal(spec.days)
    budgets = [None if share is None else _quantise(float(days) * share) for *_, share in rows]
    rest = days - sum(b for b in budgets if b is not None)
    if rest < MIN_BUDGET:  # pragma: no cover - guarded by the data
        raise ValueError(f"{spec.name}: steps exceed the processing time")
    budgets = [rest if b is None else b for b in budgets]
    return [(*row[:4], budget) for row, budget in zip(rows, budgets, strict=True)]


@dataclass
class SeededProcedure:
    procedure: Procedure
    spec: P


def _wanted_children(spec: P, steps: list[tuple], groups) -> tuple[list, list, list]:
    documents = [
        (order, name, originals, copies, True)
        for order, (name, originals, copies) in enumerate(spec.docs, start=1)
    ]
    process = [
        (order, name, groups[role].pk, at_desk, agency.pk if agency else None, budget)
        for order, (name, role, at_desk, agency, budget) in enumerate(steps, start=1)
    ]
    fees = [(name, amount, note) for name, amount, note in spec.fees]
    return documents, process, fees


def _current_children(procedure: Procedure) -> tuple[list, list, list]:
    documents = [
        (d.order, d.name, d.originals, d.copies, d.is_required) for d in procedure.documents.all()
    ]
    process = [
        (s.order, s.name, s.role_id, s.at_desk, s.agency_id, s.budget_days)
        for s in procedure.steps.all()
    ]
    fees = [(f.name, f.amount, f.note) for f in procedure.fees.all()]
    return documents, process, fees


def _sync_children(procedure: Procedure, wanted: tuple[list, list, list]) -> None:
    """Make the procedure's documents, steps and fees the wanted ones, keeping the rows (and so
    the ids the published snapshot refers to) of documents that stay."""
    documents, process, fees = wanted
    for order, name, originals, copies, required in documents:
        RequiredDocument.objects.update_or_create(
            procedure=procedure,
            order=order,
            defaults={
                "name": name,
                "originals": originals,
                "copies": copies,
                "is_required": required,
            },
        )
    procedure.documents.filter(order__gt=len(documents)).delete()
    for order, name, role_id, at_desk, agency_id, budget in process:
        ProcessStep.objects.update_or_create(
            procedure=procedure,
            order=order,
            defaults={
                "name": name,
                "role_id": role_id,
                "at_desk": at_desk,
                "agency_id": agency_id,
                "budget_days": budget,
            },
        )
    procedure.steps.filter(order__gt=len(process)).delete()
    procedure.fees.exclude(name__in=[name for name, _amount, _note in fees]).delete()
    for name, amount, note in fees:
        procedure.fees.update_or_create(name=name, defaults={"amount": amount, "note": note})


@transaction.atomic
def procedures_seed(agencies: dict[str, Agency]) -> list[SeededProcedure]:
    """Create or update the demo catalogue and publish what changed (a procedure gets a new
    version only when its rules changed). A second run only reads."""
    fields = {}
    for code, name in FIELDS.items():
        fields[code], _created = Field.objects.get_or_create(code=code, defaults={"name": name})
        if fields[code].name != name:
            Field.objects.filter(pk=fields[code].pk).update(name=name, name_sort=vi_sort_key(name))
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ROLE_LABELS)}
    existing = {
        procedure.code: procedure
        for procedure in Procedure.objects.select_related(
            "agency__served_by", "agency__ward", "current_version"
        ).prefetch_related("documents", "steps", "fees")
    }
    seeded = []
    for spec in PROCEDURES:
        if spec.agency == WARD:
            targets = [agencies[key] for key in ward_keys(agencies)]
        else:
            targets = [agencies[spec.agency]]
        for agency in targets:
            publisher = agency.code if spec.agency == WARD else f"000.00.00.{PROVINCE_SUFFIX}"
            code = f"{spec.nid}.{publisher}"
            values = {
                "name": spec.name,
                "field_id": fields[spec.field].pk,
                "agency_id": agency.pk,
                "applicants": spec.applicants,
                "processing_days": Decimal(spec.days),
                "online_level": spec.online,
                "accepts_in_person": True,
                "accepts_postal": spec.online != NONE,
                "steps_description": (
                    "Nộp hồ sơ tại Bộ phận Một cửa, qua dịch vụ bưu chính công ích"
                    + (" hoặc trực tuyến trên Cổng dịch vụ công." if spec.online != NONE else ".")
                ),
                "result_description": spec.result,
                "legal_basis": spec.legal,
                "is_active": True,
            }
            wanted = _wanted_children(spec, process_for(spec, agencies), groups)
            procedure = existing.get(code)
            changed = procedure is None or procedure.current_version_id is None
            if procedure is None:
                procedure = Procedure.objects.create(code=code, **values)
            elif any(getattr(procedure, name) != value for name, value in values.items()):
                Procedure.objects.filter(pk=procedure.pk).update(
                    **values, name_sort=vi_sort_key(spec.name)
                )
                changed = True
            if changed or _current_children(procedure) != wanted:
                _sync_children(procedure, wanted)
                changed = True
            if changed:
                procedure_version_publish(procedure=procedure)
                procedure = Procedure.objects.select_related(
                    "agency__served_by", "agency__ward", "current_version"
                ).get(pk=procedure.pk)
            seeded.append(SeededProcedure(procedure, spec))
    return seeded
