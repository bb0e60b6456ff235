"""The national catalogue import (``catalog.national``): the real file once (per database the
suite runs on), and small hand-made records for each rule."""

import copy
import gzip
import json
import unicodedata
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from tinhso.catalog.models import (
    NationalAgency,
    NationalRecord,
    Procedure,
    ProcedureVersion,
    RequiredDocument,
)
from tinhso.catalog.national import (
    NationalImportError,
    national_catalog_import,
    national_records_read,
    processing_days,
)
from tinhso.catalog.selectors import procedure_list
from tinhso.core.text import fold
from tinhso.org import roles
from tinhso.org.models import Agency, Ward

pytestmark = pytest.mark.django_db
REAL_FILE = settings.NATIONAL_CATALOGUE_FILE


def process_for(procedure):
    """A two-step process within the implementing agency."""
    clerk, leader = (Group.objects.get(name=n) for n in (roles.ONE_STOP_CLERK, roles.AGENCY_LEADER))
    half = procedure.processing_days / 2
    return [
        {"name": "Tiếp nhận", "role": clerk, "at_desk": True, "budget_days": half},
        {"name": "Giải quyết", "role": leader, "at_desk": False, "budget_days": half},
    ]


@pytest.fixture
def province(db):
    city = Agency.objects.create(
        code="000.00.00.H13", name="Ủy ban nhân dân thành phố", kind="ubnd"
    )
    stc = Agency.objects.create(
        code="000.00.05.H13", name="Sở Tài chính", kind="department", parent=city
    )
    ward = Ward.objects.create(
        code=31117, name="Phường Ninh Kiều", division_type="phường", province_code=92
    )
    committee = Agency.objects.create(
        code="000.01.30.H13", name="Ủy ban nhân dân phường Ninh Kiều", kind="ward", ward=ward
    )
    NationalAgency.objects.create(name="Sở Tài chính các tỉnh, thành phố", agency=stc)
    NationalAgency.objects.create(name="Thuế tỉnh, thành phố", agency=None)
    return {"city": city, "stc": stc, "ward": ward, "committee": committee}


def record(code="9.000001", **changes):
    """A small record in the national shape (data pack README §1)."""
    base = {
        "MATTHC": code,
        "TENTTHC": "Chứng thực chữ ký",
        "CAPTHUCHIEN": [{"TENCAPTHUCHIEN": "Cấp xã"}],
        "LINHVUCTHUCHIEN": [{"MALINHVUC": None, "TENLINHVUC": "Chứng thực"}],
        "DOITUONGTHUCHIEN": [{"MADOITUONG": None, "TENDOITUONG": "Công dân Việt Nam"}],
        "COQUANTHUCHIEN": [{"MADONVI": None, "TENDONVI": "Ủy ban nhân dân cấp xã"}],
        "MOTACOQUANTHUCHIEN": "Ủy ban nhân dân cấp xã",
        "TRINHTUTHUCHIEN": [{"TRUONGHOP": None, "TRINHTU": [{"TENTRINHTU": "Bước 1: Nộp"}]}],
        "CACHTHUCTHUCHIEN": [
            {
                "KENH": 1,
                "TENKENH": "Trực tiếp",
                "THOIGIAN": [
                    {
                        "THOIGIANGIAIQUYET": 2,
                        "DONVITINH": "Ngày làm việc",
                        "THOIGIAN_TEXT": "2 Ngày làm việc",
                        "PHILEPHI": [
                            {"MAPHILEPHI": None, "SOTIEN": 10000, "DONVI": "VNĐ", "MOTA": "/việc"}
                        ],
                        "PHILEPHI_TEXT": "10,000 VNĐ",
                        "MOTA": None,
                    }
                ],
            }
        ],
        "THANHPHANHOSO": [
            {
                "TRUONGHOP": None,
                "GIAYTO": [
                    {
                        "MAGIAYTO": None,
                        "TENGIAYTO": "Giấy tờ cần chứng thực",
                        "MAUDON": [{"TENMAUDON": "Mẫu 01.docx", "URL": None}],
                        "SOBANCHINH": 1,
                        "SOBANSAO": 0,
                        "SOLUONG_TEXT": "1 bản chính",
                    }
                ],
            }
        ],
        "CANCUPHAPLY": [{"TENVANBAN": "Nghị định về chứng thực", "SOVANBAN": "23/2015/NĐ-CP"}],
        "YEUCAU": None,
        "KETQUATHUCHIEN": [{"MAKETQUA": "KQ.1", "TENKETQUA": "Giấy tờ được chứng thực"}],
        "TUKHOA": None,
        "MOTA": None,
    }
    base.update(changes)
    return base


def _time(value, unit):
    rec = record()
    row = rec["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]
    row["THOIGIANGIAIQUYET"], row["DONVITINH"] = value, unit
    return processing_days(rec)


def test_processing_time_is_converted_to_working_days():
    assert _time(15, "Ngày làm việc") == Decimal(15)
    assert _time(2, None) == Decimal(2)  # a bare number: working days, as the portal means
    assert _time(7, "Ngày") == Decimal(5)  # calendar days: 5 in 7
    assert _time(30, "Ngày") == Decimal("21.5")
    assert _time(4, "Giờ") == Decimal("0.5")
    assert _time(24, "Giờ") == Decimal(3)
    assert _time(1, "Tháng") == Decimal(22)
    assert _time(None, None) is None


def test_a_commune_record_becomes_one_procedure_every_commune_carries_out(province):
    report = national_catalog_import([record()], process_for=process_for)
    assert report.created == ["9.000001"] and not report.skipped and not report.unpublished
    procedure = Procedure.objects.get()
    assert procedure.code == "9.000001.000.00.00.H13"
    assert procedure.agency is None and procedure.at_communes and procedure.is_active
    assert procedure.processing_days == 2 and procedure.processing_time_text == (
        "Trực tiếp: 2 Ngày làm việc"
    )
    assert procedure.online_level == Procedure.OnlineLevel.NONE
    assert procedure.accepts_in_person and not procedure.accepts_postal
    doc = procedure.documents.get()
    assert (doc.name, doc.forms, doc.originals, doc.copies, doc.is_required) == (
        "Giấy tờ cần chứng thực",
        "Mẫu 01.docx",
        1,
        0,
        True,
    )
    fee = procedure.fees.get()
    assert (fee.amount, fee.note, fee.channel) == (10000, "/việc", 1)
    assert procedure.legal_basis == "Nghị định về chứng thực (23/2015/NĐ-CP)"
    assert procedure.current_version.number == 1 and procedure.steps.count() == 2
    assert NationalRecord.objects.get().record == record()  # kept as published


def test_with_no_time_on_any_channel_the_steps_text_gives_it(province):
    rec = record()
    rec["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0].update(
        THOIGIANGIAIQUYET=None, DONVITINH=None, THOIGIAN_TEXT="Không có thông tin"
    )
    rec["TRINHTUTHUCHIEN"][0]["TRINHTU"] = [
        {"TENTRINHTU": "Bước 2: Trong thời hạn 03 ngày làm việc, cơ quan cấp giấy"}
    ]
    report = national_catalog_import([rec], process_for=process_for)
    procedure = Procedure.objects.get()
    assert procedure.processing_days == 3 and procedure.is_active and not report.unpublished
    assert procedure.processing_time_text == "Trực tiếp: Không có thông tin"


def test_dry_run_reports_and_saves_nothing(province):
    report = national_catalog_import([record()], dry_run=True, process_for=process_for)
    assert report.created == ["9.000001"] and report.dry_run
    assert not Procedure.objects.exists() and not NationalRecord.objects.exists()


def test_unmapped_province_procedures_are_skipped_with_the_reason_and_names_listed(province):
    customs = record(
        "9.000002",
        CAPTHUCHIEN=[{"TENCAPTHUCHIEN": "Cấp tỉnh"}],
        COQUANTHUCHIEN=[{"MADONVI": None, "TENDONVI": "Chi cục Hải quan khu vực"}],
    )
    tax = record(
        "9.000003",
        CAPTHUCHIEN=[{"TENCAPTHUCHIEN": "Cấp tỉnh"}],
        COQUANTHUCHIEN=[{"MADONVI": None, "TENDONVI": "Thuế tỉnh, thành phố."}],
    )
    finance = record(
        "9.000004",
        CAPTHUCHIEN=[{"TENCAPTHUCHIEN": "Cấp tỉnh"}, {"TENCAPTHUCHIEN": "Cấp xã"}],
        COQUANTHUCHIEN=[{"MADONVI": None, "TENDONVI": "Sở Tài  chính các tỉnh, thành phố"}],
    )
    report = national_catalog_import([customs, tax, finance], process_for=process_for)
    assert [code for code, _reason in report.skipped] == ["9.000002", "9.000003"]
    assert "Chi cục Hải quan khu vực" in report.skipped[0][1]
    assert report.new_agency_names == ["Chi cục Hải quan khu vực"]
    assert NationalAgency.objects.get(name="Chi cục Hải quan khu vực").agency is None
    both = Procedure.objects.get()
    assert both.agency == province["stc"] and both.at_communes


def test_no_processing_time_or_no_process_is_imported_unpublished(province):
    rec = record()
    rec["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0].update(
        THOIGIANGIAIQUYET=None, DONVITINH=None, THOIGIAN_TEXT="Không có thông tin"
    )
    other = record("9.000005")
    report = national_catalog_import([rec, other])  # no process_for: no internal process
    assert report.unpublished == [
        ("9.000001", "no processing time; no internal process"),
        ("9.000005", "no internal process"),
    ]
    assert not Procedure.objects.filter(is_active=True).exists()
    assert not procedure_list().exists()


def test_text_is_normalised_to_nfc_with_the_mis_encoded_d(province):
    nfd = unicodedata.normalize("NFD", "Chứng thực bản sao")
    rec = record(TENTTHC=nfd + " \u00d0ăng ký")
    national_catalog_import([rec], process_for=process_for)
    procedure = Procedure.objects.get()
    assert procedure.name == "Chứng thực bản sao Đăng ký"
    assert list(procedure_list(q="chung thuc ban sao dang ky")) == [procedure]
    assert NationalRecord.objects.get().record["TENTTHC"] == rec["TENTTHC"]


def test_reimport_changes_only_what_changed_and_keeps_uploaded_forms(province):
    national_catalog_import([record()], process_for=process_for)
    procedure = Procedure.objects.get()
    doc = procedure.documents.get()
    doc.template.save("mau-01.docx", ContentFile(b"form"), save=True)
    again = national_catalog_import([record()], process_for=process_for)
    assert again.unchanged == ["9.000001"] and not again.created and not again.changed
    assert ProcedureVersion.objects.count() == 1

    changed = record()
    changed["THANHPHANHOSO"][0]["GIAYTO"].append(
        {
            "MAGIAYTO": None,
            "TENGIAYTO": "Căn cước",
            "MAUDON": [],
            "SOBANCHINH": 0,
            "SOBANSAO": 1,
            "SOLUONG_TEXT": "0 bản chính,1 bản sao",
        }
    )
    changed["TENTTHC"] = "Chứng thực chữ ký trong giấy tờ"
    report = national_catalog_import([changed], process_for=process_for)
    assert report.changed == ["9.000001"]
    procedure.refresh_from_db()
    assert procedure.name == "Chứng thực chữ ký trong giấy tờ"
    assert procedure.current_version.number == 2 and ProcedureVersion.objects.count() == 2
    kept = RequiredDocument.objects.get(pk=doc.pk)
    assert kept.template.name and kept.order == 1
    assert procedure.documents.count() == 2


def test_a_mapping_edited_in_the_admin_moves_the_procedure_on_the_next_import(province):
    rec = record("9.000006", CAPTHUCHIEN=[{"TENCAPTHUCHIEN": "Cấp tỉnh"}])
    rec["COQUANTHUCHIEN"] = [{"MADONVI": None, "TENDONVI": "Thuế tỉnh, thành phố"}]
    assert national_catalog_import([rec], process_for=process_for).skipped
    NationalAgency.objects.filter(name="Thuế tỉnh, thành phố").update(agency=province["stc"])
    report = national_catalog_import([rec], process_for=process_for)
    assert report.created == ["9.000006"]
    assert Procedure.objects.get().agency == province["stc"]


def test_bad_files_are_refused_with_the_reason():
    with pytest.raises(NationalImportError, match="không phải JSON"):
        national_records_read(b"<html>")
    with pytest.raises(NationalImportError, match="result"):
        national_records_read(b'{"records": []}')
    with pytest.raises(NationalImportError, match="bản ghi 1 .*TENTTHC"):
        national_records_read(gzip.compress(b'{"result": [{"MATTHC": "1"}]}'))


def test_a_repeated_code_or_a_missing_province_committee_imports_nothing(db, province):
    with pytest.raises(NationalImportError, match="twice"):
        national_catalog_import([record(), record()], process_for=process_for)
    Agency.objects.filter(kind="ubnd").update(kind="other")
    with pytest.raises(NationalImportError, match="People's Committee"):
        national_catalog_import([record()], process_for=process_for)
    assert not Procedure.objects.exists()


def test_the_command_prints_the_report_and_refuses_a_bad_file(province, tmp_path):
    path = tmp_path / "export.json.gz"
    path.write_bytes(gzip.compress(json.dumps({"result": [record()]}).encode()))
    out = StringIO()
    call_command("import_national_catalog", str(path), "--dry-run", stdout=out, stderr=StringIO())
    assert "Dry run, nothing saved. 1 records: 1 created" in out.getvalue()
    assert "unpublished 9.000001: no internal process" in out.getvalue()
    assert not Procedure.objects.exists()
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"[]")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_national_catalog", str(bad), stdout=StringIO(), stderr=StringIO())


# --- the real file, once ------------------------------------------------------------------------
def _levels(rec):
    return {unicodedata.normalize("NFC", x["TENCAPTHUCHIEN"]) for x in rec["CAPTHUCHIEN"]}


def _nfc(text):
    return unicodedata.normalize("NFC", text).replace("\u00d0", "Đ").strip() if text else ""


def test_the_real_national_catalogue_imports_checks_out_and_reimports_unchanged(province):
    records = national_records_read(REAL_FILE.read_bytes())
    assert len(records) == 1601
    report = national_catalog_import(records, process_for=process_for)

    # Counts: every commune procedure, and the province ones of the one mapped agency.
    commune = {r["MATTHC"] for r in records if "Cấp xã" in _levels(r)}
    finance = {
        r["MATTHC"]
        for r in records
        if "Cấp tỉnh" in _levels(r)
        and any(
            fold(_nfc(a["TENDONVI"])) == "so tai chinh cac tinh, thanh pho"
            for a in r["COQUANTHUCHIEN"]
        )
    }
    assert len(commune) >= 306 + 141 + 90  # the README's level counts (Cấp xã in each)
    assert set(report.created) == commune | finance
    assert len(report.skipped) == 1601 - len(commune | finance)
    assert Procedure.objects.count() == NationalRecord.objects.count() == len(commune | finance)
    assert Procedure.objects.filter(at_communes=True).count() == len(commune)
    assert Procedure.objects.filter(agency=province["stc"]).count() == len(finance)
    assert ProcedureVersion.objects.count() == len(report.created)
    no_time = {code for code, reason in report.unpublished if "no processing time" in reason}
    assert Procedure.objects.filter(is_active=True).count() == len(report.created) - len(no_time)

    # A hand-checked record, field by field against the file.
    by_code = {r["MATTHC"]: r for r in records}
    src = by_code["2.001610"]
    dn = Procedure.objects.get(code="2.001610.000.00.00.H13")
    assert dn.name == src["TENTTHC"] == "Đăng ký thành lập doanh nghiệp tư nhân"
    assert dn.field.name == "Thành lập và hoạt động của doanh nghiệp"
    assert dn.agency == province["stc"] and not dn.at_communes
    assert dn.applicants == Procedure.Applicants.BOTH
    assert dn.processing_days == 3 and dn.online_level == Procedure.OnlineLevel.FULL
    assert dn.accepts_in_person and dn.accepts_postal
    assert dn.processing_time_text.splitlines() == [
        "Trực tuyến: 3 Ngày làm việc",
        "Dịch vụ bưu chính: 3 Ngày làm việc",
        "Trực tiếp: 3 Ngày làm việc",
    ]
    assert [(f.amount, f.channel) for f in dn.fees.order_by("pk")] == [
        (100, 2),  # as published (a data-entry slip for 100.000 đồng)
        (100000, 3),
        (100000, 1),
    ]
    assert dn.fees.first().note.startswith("Phí công bố nội dung đăng ký doanh nghiệp")
    wanted = [
        (_nfc(case["TRUONGHOP"]), _nfc(doc["TENGIAYTO"]), doc["SOBANCHINH"], doc["SOBANSAO"])
        for case in src["THANHPHANHOSO"]
        for doc in case["GIAYTO"]
    ]
    got = [(d.case, d.name, d.originals, d.copies) for d in dn.documents.order_by("order")]
    assert got == wanted and len(src["THANHPHANHOSO"]) > 1
    assert got[0] == (
        "Trường hợp đăng ký doanh nghiệp xã hội:",
        "Bản sao giấy tờ pháp lý của cá nhân đối với chủ doanh nghiệp tư nhân",
        0,
        1,
    )
    assert not any(d.is_required for d in dn.documents.all())  # one case among several
    assert dn.result_description.splitlines() == [r["TENKETQUA"] for r in src["KETQUATHUCHIEN"]]
    assert "Luật Doanh nghiệp (59/2020/QH14)" in dn.legal_basis.splitlines()
    assert dn.requirements == ""  # YEUCAU null

    signature = Procedure.objects.get(code="2.000884.000.00.00.H13")
    src = by_code["2.000884"]
    assert signature.agency is None and signature.at_communes
    assert signature.name == _nfc(src["TENTTHC"])
    forms = [
        "; ".join(_nfc(m["TENMAUDON"]) for m in doc["MAUDON"])
        for case in src["THANHPHANHOSO"]
        for doc in case["GIAYTO"]
    ]
    assert [d.forms for d in signature.documents.order_by("order")] == forms

    # Every NFD record reads in NFC; a search without accents finds it.
    nfd = [r for r in records if r["TENTTHC"] != unicodedata.normalize("NFC", r["TENTTHC"])]
    imported_nfd = [r for r in nfd if r["MATTHC"] in set(report.created)]
    assert imported_nfd
    for rec in imported_nfd[:5]:
        procedure = Procedure.objects.get(national_record__code=rec["MATTHC"])
        assert procedure.name == unicodedata.normalize("NFC", procedure.name)
        assert "\u00d0" not in procedure.name
    # The form names (MAUDON) are kept on the documents.
    created = set(report.created)
    with_forms = sum(
        1
        for r in records
        if r["MATTHC"] in created
        for case in r["THANHPHANHOSO"]
        for doc in case["GIAYTO"]
        if doc["MAUDON"]
    )
    assert RequiredDocument.objects.exclude(forms="").count() == with_forms > 200

    # What people type.
    ranked = list(procedure_list(q="đăng ký kinh doanh"))
    found = {p.code.split(".000.")[0] for p in ranked}
    assert "2.001610" in found  # enterprise registration (its results name "đăng ký kinh doanh")
    # The words side by side in the name first, then every word in the name, then the words
    # together elsewhere (ranks 0–3), then the rest.
    assert [p.search_rank for p in ranked] == sorted(p.search_rank for p in ranked)
    assert all(
        all(w in fold(p.name) for w in ("dang", "ky", "kinh", "doanh"))
        for p in ranked
        if p.search_rank <= 2
    )
    assert next(p for p in ranked if p.pk == dn.pk).search_rank == 3
    household = {
        p.code.split(".000.")[0]
        for p in procedure_list(q="dang ky ho kinh doanh")
        if fold(p.name).startswith("dang ky thanh lap ho kinh doanh")
    }
    assert household
    assert household <= found
    # "Chứng thực chữ ký" publishes no time: imported, left for the province to complete.
    assert ("2.000884", "no processing time") in report.unpublished
    Procedure.objects.filter(pk=signature.pk).update(is_active=True)
    signatures = list(procedure_list(q="chứng thực chữ ký"))
    assert signature in signatures
    assert len({p.pk for p in signatures}) == len(signatures)  # each procedure once

    # A second import of the same file changes nothing and publishes no version.
    versions = ProcedureVersion.objects.count()
    again = national_catalog_import(copy.deepcopy(records), process_for=process_for)
    assert not again.created and not again.changed
    assert len(again.unchanged) == len(report.created)
    assert ProcedureVersion.objects.count() == versions


def test_the_admin_previews_then_imports_and_lists_the_names_to_map(client, province, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tinhso.testing.factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:catalog_procedure_import_national")
    payload = gzip.compress(json.dumps({"result": [record()]}).encode())

    def upload(**extra):
        file = SimpleUploadedFile("export.json.gz", payload, "application/gzip")
        return client.post(url, {"file": file, **extra})

    preview = upload(dry_run="on")
    assert preview.status_code == 200 and preview.context["report"].created == ["9.000001"]
    assert not Procedure.objects.exists()
    applied = upload()
    assert applied.status_code == 200 and not applied.context["report"].dry_run
    assert Procedure.objects.get().national_record.code == "9.000001"
    change = client.get(
        reverse("admin:catalog_procedure_change", args=[Procedure.objects.get().pk])
    )
    assert change.status_code == 200 and "9.000001" in change.content.decode()
    settings.DEMO_MODE = True
    change = client.get(
        reverse("admin:catalog_procedure_change", args=[Procedure.objects.get().pk])
    )
    assert (
        "quy trình nội bộ (các bước, vai trò, thời gian) được sinh tự động"
        in change.content.decode()
    )
    bad = client.post(url, {"file": SimpleUploadedFile("x.json", b"nope")})
    assert bad.status_code == 200 and "không phải JSON" in bad.context["error"]
    names = client.get(reverse("admin:catalog_nationalagency_changelist"))
    assert names.status_code == 200 and "Thuế tỉnh, thành phố" in names.content.decode()


def test_the_national_import_page_is_for_catalogue_editors_only(client, province):
    from django.urls import reverse

    from tinhso.testing.factories import UserFactory

    client.force_login(UserFactory(username="viewer", is_staff=True))
    response = client.get(reverse("admin:catalog_procedure_import_national"))
    assert response.status_code == 403


# --- damaged files: refused with the reason, never a 500 or a traceback ---------------------------
def _admin_upload(client, payload: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tinhso.testing.factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    file = SimpleUploadedFile("export.json.gz", payload, "application/gzip")
    url = reverse("admin:catalog_procedure_import_national")
    return client.post(url, {"file": file, "dry_run": "on"})


def test_a_gzip_bomb_stops_at_the_limit(client, province, settings, tmp_path):
    settings.NATIONAL_CATALOGUE_MAX_BYTES = 4096
    good = json.dumps({"result": [record()]}).encode()
    assert len(good) < 4096 and national_records_read(gzip.compress(good))
    bomb = gzip.compress(b'{"result": [' + b" " * 20_000_000 + b"]}")
    assert len(bomb) < 100_000
    with pytest.raises(NationalImportError, match="giải nén ra hơn 0.00390625 MiB"):
        national_records_read(bomb)
    with pytest.raises(NationalImportError, match="giải nén ra hơn"):
        national_records_read(b" " * 5000)  # not packed: the same limit
    path = tmp_path / "bomb.json.gz"
    path.write_bytes(bomb)
    with pytest.raises(CommandError, match="giải nén ra hơn .*nothing was imported"):
        call_command("import_national_catalog", str(path), stdout=StringIO(), stderr=StringIO())
    response = _admin_upload(client, bomb)
    assert response.status_code == 200 and "giải nén ra hơn" in response.context["error"]
    assert 'class="errornote"' in response.content.decode()


def _damaged(path, value):
    rec = record()
    if path == "nested":
        return None  # built as text below
    target = rec
    *parents, last = path
    for key in parents:
        target = target[key]
    target[last] = value
    return rec


TIME = ("CACHTHUCTHUCHIEN", 0, "THOIGIAN", 0)
DAMAGED = {
    # name: (path in the record, value, the field the message names)
    "not a list": (("CAPTHUCHIEN",), "notalist", "CAPTHUCHIEN"),
    "time as string": ((*TIME, "THOIGIANGIAIQUYET"), "5", "THOIGIANGIAIQUYET"),
    "fee as string": ((*TIME, "PHILEPHI", 0, "SOTIEN"), "100000", "SOTIEN"),
    "lone surrogate": (("TENTTHC",), "Chứng thực \ud800", "TENTTHC"),
    "NUL": (("TENTTHC",), "Chứng\u0000 thực", "TENTTHC"),
    "NUL in a document": (
        ("THANHPHANHOSO", 0, "GIAYTO", 0, "TENGIAYTO"),
        "Giấy\u0000",
        "TENGIAYTO",
    ),
    "huge fee": ((*TIME, "PHILEPHI", 0, "SOTIEN"), 10**20, "SOTIEN"),
    "huge copies": (("THANHPHANHOSO", 0, "GIAYTO", 0, "SOBANSAO"), 99999999999, "SOBANSAO"),
    "long code": (("MATTHC",), "1" * 600, "MATTHC"),
    "infinite time": ((*TIME, "THOIGIANGIAIQUYET"), float("inf"), "THOIGIANGIAIQUYET"),
    "channel as text": (("CACHTHUCTHUCHIEN", 0, "KENH"), "1", "KENH"),
}


def _payload(name: str) -> bytes:
    if name == "nested":
        deep = '{"a": ' * 100_000 + "1" + "}" * 100_000
        text = json.dumps({"result": [record()]}).replace('"MOTA": null}]', f'"MOTA": {deep}}}]', 1)
        return gzip.compress(text.encode())
    if name == "nested a little":
        rec = record(EXTRA=json.loads('{"a": ' * 50 + "1" + "}" * 50))
        return gzip.compress(json.dumps({"result": [rec]}).encode())
    path, value, _field = DAMAGED[name]
    text = json.dumps({"result": [_damaged(path, value)]}, ensure_ascii=True)
    return gzip.compress(text.encode())


@pytest.mark.parametrize("name", [*DAMAGED, "nested", "nested a little"])
def test_a_damaged_record_is_refused_naming_the_record_and_field(client, province, tmp_path, name):
    payload = _payload(name)
    field = DAMAGED[name][2] if name in DAMAGED else {"nested": "JSON"}.get(name, "EXTRA")
    with pytest.raises(NationalImportError) as caught:
        national_records_read(payload)
    message = str(caught.value)
    assert field in message
    if name not in {"nested", "long code"}:
        assert "bản ghi 1 (9.000001)" in message
    response = _admin_upload(client, payload)
    assert response.status_code == 200 and response.context["report"] is None
    assert field in response.context["error"]
    assert 'class="errornote"' in response.content.decode()
    path = tmp_path / "damaged.json.gz"
    path.write_bytes(payload)
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_national_catalog", str(path), stdout=StringIO(), stderr=StringIO())
    if name in DAMAGED:  # straight to the import (not through the reader): the same refusal
        with pytest.raises(NationalImportError, match=field):
            national_catalog_import([_damaged(*DAMAGED[name][:2])], process_for=process_for)
    assert not Procedure.objects.exists() and not NationalRecord.objects.exists()
