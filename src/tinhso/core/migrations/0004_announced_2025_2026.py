"""The Government's announced days off and make-up working days for 2025 and 2026.

Checked day by day against the announcements; the data stays editable in the admin. The numbers
of the documents are the ones published; where a fact could not be checked against the text
itself, the source says so ("cần kiểm tra").
"""

import datetime as dt

from django.db import migrations

LABOUR_CODE = "Bộ luật Lao động số 45/2019/QH14, Điều 112"
IN_LIEU = "Bộ luật Lao động số 45/2019/QH14, Điều 111 khoản 3 và Điều 112"
TB_6150 = (
    "Thông báo số 6150/TB-LĐTBXH năm 2024 của Bộ Lao động - Thương binh và Xã hội về lịch nghỉ "
    "Tết Âm lịch 2025, theo Công văn số 8726/VPCP-KGVX ngày 26/11/2024 của Văn phòng Chính phủ"
)
TB_6150_URL = (
    "https://thuvienphapluat.vn/van-ban/EN/Lao-dong-Tien-luong/"
    "Announcement-6150-TB-BLDTBXH-2024-Lunar-New-Year-in-2025-of-officials-public-employees/"
    "634997/tieng-anh.aspx"
)
VPCP_8726 = (
    "Công văn số 8726/VPCP-KGVX ngày 26/11/2024 của Văn phòng Chính phủ (nghỉ Tết Âm lịch và "
    "một số dịp nghỉ lễ năm 2025)"
)
VPCP_12729 = (
    "Công văn số 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ (nghỉ Tết Dương lịch "
    "2026) và thông báo của Bộ Nội vụ cùng ngày"
)
TB_9441 = (
    "Thông báo số 9441/TB-BNV ngày 16/10/2025 của Bộ Nội vụ về lịch nghỉ Tết Âm lịch và Quốc "
    "khánh năm 2026"
)
NQ_80 = (
    "Chủ trương tại Nghị quyết số 80-NQ/TW của Bộ Chính trị (Ngày Văn hóa Việt Nam, nghỉ hưởng "
    "nguyên lương); văn bản sửa Bộ luật Lao động chưa được đối chiếu - cần kiểm tra"
)

# (date, kind, name, source, source_url)
DAYS = {
    2025: [
        ((2025, 1, 1), "holiday", "Tết Dương lịch", LABOUR_CODE, ""),
        ((2025, 1, 27), "in_lieu", "Nghỉ bù Tết Âm lịch (mùng 4 Tết trùng thứ Bảy 01/02)",
         TB_6150, TB_6150_URL),
        ((2025, 1, 28), "holiday", "Tết Âm lịch (29 tháng Chạp)", TB_6150, TB_6150_URL),
        ((2025, 1, 29), "holiday", "Tết Âm lịch (mùng 1)", TB_6150, TB_6150_URL),
        ((2025, 1, 30), "holiday", "Tết Âm lịch (mùng 2)", TB_6150, TB_6150_URL),
        ((2025, 1, 31), "holiday", "Tết Âm lịch (mùng 3)", TB_6150, TB_6150_URL),
        ((2025, 2, 1), "holiday", "Tết Âm lịch (mùng 4)", TB_6150, TB_6150_URL),
        ((2025, 4, 7), "holiday", "Giỗ Tổ Hùng Vương (10/3 âm lịch)", LABOUR_CODE, ""),
        ((2025, 4, 26), "make_up", "Làm bù cho thứ Sáu 02/05/2025", VPCP_8726, ""),
        ((2025, 4, 30), "holiday", "Ngày Chiến thắng (30/4)", LABOUR_CODE, ""),
        ((2025, 5, 1), "holiday", "Ngày Quốc tế Lao động (1/5)", LABOUR_CODE, ""),
        ((2025, 5, 2), "swapped", "Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)", VPCP_8726, ""),
        ((2025, 9, 1), "holiday", "Quốc khánh (ngày liền trước 2/9)", VPCP_8726, ""),
        ((2025, 9, 2), "holiday", "Quốc khánh (2/9)", LABOUR_CODE, ""),
    ],
    2026: [
        ((2026, 1, 1), "holiday", "Tết Dương lịch", LABOUR_CODE, ""),
        ((2026, 1, 2), "swapped", "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)", VPCP_12729, ""),
        ((2026, 1, 10), "make_up", "Làm bù cho thứ Sáu 02/01/2026", VPCP_12729, ""),
        ((2026, 2, 16), "holiday", "Tết Âm lịch (29 tháng Chạp)", TB_9441, ""),
        ((2026, 2, 17), "holiday", "Tết Âm lịch (mùng 1)", TB_9441, ""),
        ((2026, 2, 18), "holiday", "Tết Âm lịch (mùng 2)", TB_9441, ""),
        ((2026, 2, 19), "holiday", "Tết Âm lịch (mùng 3)", TB_9441, ""),
        ((2026, 2, 20), "holiday", "Tết Âm lịch (mùng 4)", TB_9441, ""),
        ((2026, 4, 26), "holiday", "Giỗ Tổ Hùng Vương (10/3 âm lịch, Chủ nhật)", LABOUR_CODE, ""),
        ((2026, 4, 27), "in_lieu", "Nghỉ bù Giỗ Tổ Hùng Vương", IN_LIEU, ""),
        ((2026, 4, 30), "holiday", "Ngày Chiến thắng (30/4)", LABOUR_CODE, ""),
        ((2026, 5, 1), "holiday", "Ngày Quốc tế Lao động (1/5)", LABOUR_CODE, ""),
        ((2026, 8, 22), "make_up", "Làm bù cho thứ Hai 31/08/2026", TB_9441, ""),
        ((2026, 8, 31), "swapped", "Nghỉ hoán đổi (làm bù thứ Bảy 22/08/2026)", TB_9441, ""),
        ((2026, 9, 1), "holiday", "Quốc khánh (ngày liền trước 2/9)", TB_9441, ""),
        ((2026, 9, 2), "holiday", "Quốc khánh (2/9)", LABOUR_CODE, ""),
        ((2026, 11, 24), "holiday", "Ngày Văn hóa Việt Nam", NQ_80, ""),
    ],
}
NOTES = {
    2025: "Tết Ất Tỵ: nghỉ từ thứ Bảy 25/01 đến hết Chủ nhật 02/02/2025. "
    "30/4-1/5: nghỉ từ 30/04 đến hết 04/05/2025. Quốc khánh: nghỉ từ 30/08 đến hết 02/09/2025.",
    2026: "Tết Dương lịch: nghỉ từ 01/01 đến hết 04/01/2026. Tết Bính Ngọ: nghỉ từ thứ Bảy 14/02 "
    "đến hết Chủ nhật 22/02/2026. Giỗ Tổ: nghỉ bù thứ Hai 27/04. Quốc khánh: nghỉ từ 29/08 đến "
    "hết 02/09/2026.",
}


def load(apps, schema_editor):
    AnnouncedYear = apps.get_model("core", "AnnouncedYear")
    AnnouncedDay = apps.get_model("core", "AnnouncedDay")
    for year, days in DAYS.items():
        announced, _ = AnnouncedYear.objects.get_or_create(
            year=year, defaults={"complete": True, "note": NOTES[year]}
        )
        for (y, m, d), kind, name, source, url in days:
            AnnouncedDay.objects.get_or_create(
                date=dt.date(y, m, d),
                defaults={
                    "year": announced,
                    "kind": kind,
                    "name": name,
                    "source": source,
                    "source_url": url,
                },
            )


def unload(apps, schema_editor):
    apps.get_model("core", "AnnouncedYear").objects.filter(year__in=DAYS).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_announced_calendar")]

    operations = [migrations.RunPython(load, unload)]
