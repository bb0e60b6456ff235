"""Every way text comes in ends in NFC, every search folds, codes are read as typed, names are
listed in Vietnamese order, on SQLite and PostgreSQL alike (ADR 8)."""

import io
import unicodedata

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tinhso.accounts.models import User
from tinhso.catalog.excel import PROCEDURES, catalog_export, catalog_import
from tinhso.catalog.models import Field, Procedure
from tinhso.catalog.selectors import procedure_list
from tinhso.catalog.services import procedure_version_publish
from tinhso.core.signals import text_normalize
from tinhso.core.text import vi_sort_key
from tinhso.dossiers import selectors
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests.api_helpers import api_client, submission
from tinhso.dossiers.tests.helpers import checklist, submit_online, walk_to_processing
from tinhso.org.models import Agency, Officer, Ward
from tinhso.testing.factories import FieldFactory, UserFactory, procedure_create
from tinhso.testing.files import pdf_upload, png_upload

pytestmark = pytest.mark.django_db

NAME = "Đặng Thị Thủy"
NAME_NFD = unicodedata.normalize("NFD", NAME)


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


# --- every channel stores NFC --------------------------------------------------------------------
def test_the_model_layer_composes_what_any_caller_saves(world):
    agency = Agency.objects.create(code="000.00.09.H30", name=NAME_NFD, kind="department")
    assert agency.name == NAME and Agency.objects.get(pk=agency.pk).name == NAME
    assert agency.name_sort == vi_sort_key(NAME) and agency.search_text.endswith("dang thi thuy")
    # bulk_create sends no signal: its callers compose first (``text_normalize``); the keys are
    # computed by the fields themselves.
    field = Field(code="X", name=NAME_NFD)
    text_normalize(field)
    Field.objects.bulk_create([field])
    stored = Field.objects.get(code="X")
    assert stored.name == NAME and stored.name_sort == vi_sort_key(NAME)


def test_a_partial_save_refreshes_the_keys_of_the_fields_it_writes(world):
    agency = world.justice
    agency.name = "Ô Môn"
    agency.save(update_fields=["name"])
    agency.refresh_from_db()
    assert agency.search_text == "000.00.02.h30 o mon"
    assert agency.name_sort == vi_sort_key("Ô Môn")


def test_portal_form(client, world):
    client.force_login(world.citizen)
    docs = world.procedure.current_version.documents
    data = {
        "applicant_kind": "citizen",
        "applicant_name": NAME_NFD,
        "organisation_name": "",
        "applicant_id_number": "092090001234",
        "applicant_phone": "0912345678",
        "applicant_email": "an@example.vn",
        "applicant_address": unicodedata.normalize("NFD", "12 đường Hòa Bình"),
        "applicant_ward": "",
        "summary": unicodedata.normalize("NFD", "Đăng ký khai sinh"),
        "delivery": "online",
        f"document_{docs[0]['id']}": pdf_upload("to-khai.pdf"),
        f"document_{docs[1]['id']}": png_upload("giay-chung-sinh.png"),
    }
    response = client.post(reverse("portal:submit", args=[world.procedure.pk]), data)
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.applicant_name == NAME
    assert is_nfc(dossier.applicant_address) and is_nfc(dossier.summary)
    assert dossier.search_text.startswith(dossier.code.lower()) and "dang thi thuy" in (
        dossier.search_text
    )


def test_office_form(client, world):
    client.force_login(world.clerk)
    procedure = world.procedure
    data = {
        "channel": 1,
        "applicant_kind": "citizen",
        "applicant_name": NAME_NFD,
        "applicant_id_number": "092190005678",
        "applicant_phone": "0987654321",
        "applicant_email": "",
        "applicant_address": "",
        "organisation_name": "",
        "summary": "",
        "delivery": "desk",
    }
    for doc in procedure.current_version.documents:
        data[f"file_{doc['id']}"] = pdf_upload(f"scan-{doc['id']}.pdf")
        data[f"checked_{doc['id']}"] = "on"
    response = client.post(reverse("office:desk_new") + f"?procedure={procedure.pk}", data)
    assert response.status_code == 302
    assert Dossier.objects.get().applicant_name == NAME


def test_api_json_and_multipart(world):
    client = api_client(world.citizen)
    response = client.post(
        "/api/v1/dossiers/",
        submission(world.procedure, applicant_name=NAME_NFD),
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert Dossier.objects.get().applicant_name == NAME
    # A JSON body: an action's comment, and the dossier found by a code typed in lower case.
    dossier = Dossier.objects.get()
    response = api_client(world.clerk).post(
        f"/api/v1/dossiers/{dossier.code.lower()}/actions/receive/",
        {
            "expected_version": dossier.version,
            "checklist": checklist(dossier),
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    response = api_client(world.clerk).post(
        f"/api/v1/dossiers/{dossier.code.replace('-', '–')}/actions/forward/",
        {
            "expected_version": response.json()["version"],
            "assignee": world.specialist.pk,
            "comment": NAME_NFD,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert dossier.events.get(action="forward").comment == NAME


def test_excel_import_and_the_management_command(world, tmp_path):
    book = catalog_export()
    sheet = book[PROCEDURES]
    column = [c.value for c in sheet[1]].index("name") + 1
    sheet.cell(3, column).value = NAME_NFD + " đăng ký"
    path = tmp_path / "catalogue.xlsx"
    book.save(path)
    with open(path, "rb") as file:
        catalog_import(file=file)
    code = sheet.cell(3, 1).value
    assert Procedure.objects.get(code=code).name == NAME + " đăng ký"
    sheet.cell(3, column).value = unicodedata.normalize("NFD", "Thủ tục nhập bằng lệnh")
    book.save(path)
    call_command("import_catalog", str(path), stdout=io.StringIO())
    assert Procedure.objects.get(code=code).name == "Thủ tục nhập bằng lệnh"


def test_admin(client, world):
    client.force_login(world.admin)
    user = User.objects.get(pk=world.admin.pk)
    user.is_staff = user.is_superuser = True
    user.save()
    response = client.post(reverse("admin:catalog_field_add"), {"code": "TP", "name": NAME_NFD})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Field.objects.get(code="TP").name == NAME


def test_the_query_string_is_composed_before_any_view(client, world):
    dossier = submit_online(world)
    Dossier.objects.filter(pk=dossier.pk).update(applicant_name=NAME)
    client.force_login(world.clerk)
    response = client.get(reverse("office:queue"), {"q": NAME_NFD, "box": "all"})
    assert response.status_code == 200
    assert is_nfc(response.wsgi_request.GET["q"])


# --- folded search -------------------------------------------------------------------------------
@pytest.fixture
def dossiers(world):
    made = {}
    for name, id_number in [
        ("Đặng Thị Thủy", "092090001111"),
        ("Nguyễn Văn Hoà", "092090002222"),
        ("Trần Minh", "092090003333"),
    ]:
        dossier = submit_online(world)
        dossier.applicant_name = name
        dossier.applicant_id_number = id_number
        dossier.save()
        made[name] = dossier
    return made


@pytest.mark.parametrize(
    "query",
    ["ĐẶNG", "Đặng", "dang", "DANG thuy", unicodedata.normalize("NFD", "Đặng"), "Thuỷ", "Thủy"],
)
def test_the_office_search_finds_every_spelling_of_a_name(world, dossiers, query):
    qs = selectors.dossier_search(selectors.dossier_list_for_officer(world.admin), query)
    assert [d.applicant_name for d in qs] == ["Đặng Thị Thủy"]


def test_the_office_search_finds_tone_placement_id_numbers_and_codes(world, dossiers):
    base = selectors.dossier_list_for_officer(world.admin)
    assert [d.applicant_name for d in selectors.dossier_search(base, "Hòa")] == ["Nguyễn Văn Hoà"]
    assert [d.applicant_name for d in selectors.dossier_search(base, "2222")] == ["Nguyễn Văn Hoà"]
    code = dossiers["Trần Minh"].code
    typed = code.lower().replace("-", " – ")
    assert [d.code for d in selectors.dossier_search(base, typed)] == [code]
    tail = code.split("-", 1)[1].replace("-", "–")
    assert [d.code for d in selectors.dossier_search(base, tail)] == [code]


def test_the_office_page_searches_folded(client, world, dossiers):
    client.force_login(world.admin)
    response = client.get(reverse("office:queue"), {"q": "ĐẶNG", "box": "all"})
    html = response.content.decode()
    assert "Đặng Thị Thủy" in html and "Trần Minh" not in html


def test_an_officer_search_still_sees_only_their_agency(world, dossiers):
    # The ward's clerk sees none of the justice department's dossiers, however they search.
    qs = selectors.dossier_list_for_officer(world.ward_clerk)
    assert not selectors.dossier_search(qs, "dang").exists()


def test_the_admin_finds_officers_and_users_folded(client, world):
    client.force_login(world.admin)
    user = User.objects.get(pk=world.admin.pk)
    user.is_staff = user.is_superuser = True
    user.save()
    for query in ["ĐẶNG", "dang ngoc", unicodedata.normalize("NFD", "Đặng")]:
        response = client.get(reverse("admin:org_officer_changelist"), {"q": query})
        officers = list(response.context["cl"].result_list)
        assert [o.user.username for o in officers] == ["docclerk"], query
        response = client.get(reverse("admin:accounts_user_changelist"), {"q": query})
        assert [u.username for u in response.context["cl"].result_list] == ["docclerk"]
    response = client.get(reverse("admin:org_agency_changelist"), {"q": "so tu phap"})
    assert [a.code for a in response.context["cl"].result_list] == [world.justice.code]


# --- codes typed by hand -------------------------------------------------------------------------
CODE_TYPINGS = [
    lambda c: c.lower(),
    lambda c: c.replace("-", "–"),
    lambda c: c.replace("-", " — "),
    lambda c: c.replace("-", "\u2212"),
    lambda c: f"\u00a0{c}\u00a0".replace("-", "\u00a0-\u00a0"),
]


@pytest.mark.parametrize("typing", CODE_TYPINGS)
def test_tracking_reads_a_code_as_typed_on_the_portal_and_the_api(client, world, typing):
    dossier = submit_online(world)
    typed = typing(dossier.code)
    response = client.get(reverse("portal:track"), {"code": typed})
    assert response.context["dossier"].pk == dossier.pk
    response = api_client().get(f"/api/v1/tracking/{typed}/")
    assert response.status_code == 200, response.content
    assert response.json()["code"] == dossier.code
    assert selectors.dossier_tracking_page_row(typed)["id"] == dossier.pk


def test_the_api_detail_and_the_procedure_read_codes_as_typed(world):
    dossier = submit_online(world)
    client = api_client(world.citizen)
    typed = dossier.code.lower().replace("-", "–")
    response = client.get(f"/api/v1/dossiers/{typed}/")
    assert response.status_code == 200
    code = world.procedure.code
    response = api_client().get(f"/api/v1/procedures/{code.lower()}/")
    assert response.status_code == 200 and response.json()["code"] == code
    response = client.get("/api/v1/dossiers/", {"procedure": f" {code.lower()} "})
    assert response.json()["count"] == 1


# --- Vietnamese order ----------------------------------------------------------------------------
ISSUE_NAMES = ["Văn hóa", "Đất đai", "Đường bộ", "Lý lịch", "Lưu thông", "Vị Tân", "Ô Môn"]
IN_ORDER = ["Đất đai", "Đường bộ", "Lưu thông", "Lý lịch", "Ô Môn", "Văn hóa", "Vị Tân"]


def test_fields_agencies_and_wards_are_listed_in_vietnamese_order(world):
    for i, name in enumerate(ISSUE_NAMES):
        FieldFactory(code=f"V{i}", name=name)
        Agency.objects.create(code=f"000.00.{i + 10}.H31", name=name, kind="department")
        Ward.objects.create(code=90000 + i, name=name, division_type="xã", province_code=99)
    fields = [f.name for f in Field.objects.filter(code__startswith="V")]
    assert fields == IN_ORDER
    agencies = [a.name for a in Agency.objects.filter(code__endswith=".H31")]
    assert agencies == IN_ORDER
    assert [w.name for w in Ward.objects.filter(province_code=99)] == IN_ORDER


def test_procedures_are_listed_in_vietnamese_order_in_the_portal_and_the_api(client, world):
    Procedure.objects.all().update(is_active=False)
    for i, name in enumerate(ISSUE_NAMES):
        procedure_create(agency=world.justice, code=f"9.00000{i}.000.00.00.H30", name=name)
    assert [p.name for p in procedure_list()] == IN_ORDER
    response = api_client().get("/api/v1/procedures/")
    assert [p["name"] for p in response.json()["results"]] == IN_ORDER


def test_officers_are_offered_in_vietnamese_order(world):
    for name in ["Vũ Văn Hải", "Đỗ Thị Lan", "Lý Văn Nam", "Lưu Thị Hoa", "Ông Văn Tư"]:
        UserFactory(full_name=name)
    new = User.objects.filter(officer__isnull=True).exclude(username__startswith="citizen")
    assert [u.full_name for u in new.order_by("name_sort")] == [
        "Đỗ Thị Lan",
        "Lưu Thị Hoa",
        "Lý Văn Nam",
        "Ông Văn Tư",
        "Vũ Văn Hải",
    ]
    officers = Officer.objects.order_by("user__name_sort").values_list("user__full_name", flat=True)
    assert list(officers)[:2] == ["Bùi Đức Long", "Đặng Ngọc Lan"]


def test_the_stored_keys_can_be_recomputed(world):
    Agency.objects.filter(pk=world.justice.pk).update(name_sort="", search_text="")
    out = io.StringIO()
    call_command("text_keys_refresh", stdout=out)
    justice = Agency.objects.get(pk=world.justice.pk)
    assert justice.search_text == "000.00.02.h30 so tu phap" and justice.name_sort
    assert "org.Agency: 1" in out.getvalue()


# --- Excel ---------------------------------------------------------------------------------------
HOSTILE = ['=HYPERLINK("http://evil.example","Bấm vào đây")', "+1", "-2", "@SUM(A1)", "=> Người"]


def test_the_statistics_export_writes_every_name_as_text(client, world, monkeypatch):
    monkeypatch.setenv("STATS_CACHE_SECONDS", "0")
    walk_to_processing(world, submit_online(world))
    Agency.objects.filter(pk=world.justice.pk).update(name=HOSTILE[0])
    client.force_login(world.admin)
    response = client.get(reverse("office:stats_export"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == HOSTILE[0]]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    assert sheet.column_dimensions["A"].width >= 20


def test_the_catalogue_round_trips_text_that_looks_like_a_formula(world):
    procedure = world.procedure
    procedure.requirements = HOSTILE[4] + " yêu cầu phải có mặt"
    procedure.legal_basis = HOSTILE[0]
    procedure.save()
    procedure_version_publish(procedure=procedure)
    data = io.BytesIO()
    catalog_export().save(data)
    book = load_workbook(io.BytesIO(data.getvalue()))
    assert not any(c.data_type == "f" for row in book[PROCEDURES].iter_rows() for c in row)
    result = catalog_import(file=io.BytesIO(data.getvalue()))
    assert result.updated == [] and result.versions == [] and result.created == []
    procedure = Procedure.objects.get(pk=world.procedure.pk)
    assert procedure.requirements == "=> Người yêu cầu phải có mặt"
    assert procedure.legal_basis == HOSTILE[0]


def test_the_importer_refuses_a_formula_with_its_row_and_column(world):
    from tinhso.catalog.excel import CatalogImportError

    book = catalog_export()
    sheet = book[PROCEDURES]
    column = [c.value for c in sheet[1]].index("requirements") + 1
    sheet.cell(3, column).value = "=A1&B1"  # typed in Excel: a real formula
    data = io.BytesIO()
    book.save(data)
    with pytest.raises(CatalogImportError) as raised:
        catalog_import(file=io.BytesIO(data.getvalue()))
    message = str(raised.value)
    letter = sheet.cell(3, column).column_letter
    assert f"dòng 3, cột {letter}" in message and "công thức" in message


TRICKY = [
    "an",
    "An",
    "ăn",
    "Ấn",
    "a b",
    "a-b",
    "ab",
    "Phường 2",
    "Phường 10",
    "Phường 1A",
    "Thuỷ",
    "Thủy",
    "Thuy",
    "Hoà Bình",
    "Hòa Bình",
    "Đà Nẵng",
    "Da Lat",
    "Zalo",
    "Yên",
    "Ω",
    "1 Tháng 5",
    "",
]


def test_the_database_orders_as_python_does(world):
    for i, name in enumerate(TRICKY):
        Ward.objects.create(code=91000 + i, name=name, division_type="xã", province_code=98)
    in_db = [w.name for w in Ward.objects.filter(province_code=98)]
    assert [vi_sort_key(n) for n in in_db] == sorted(vi_sort_key(n) for n in TRICKY)
    assert in_db.index("Đà Nẵng") > in_db.index("Da Lat")
