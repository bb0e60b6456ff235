import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from tinhso.catalog.excel import (
    COLUMNS,
    DOCUMENTS,
    FEES,
    PROCEDURES,
    STEPS,
    CatalogImportError,
    catalog_export,
    catalog_export_bytes,
    catalog_import,
)
from tinhso.catalog.models import Field, Procedure, ProcedureVersion, RequiredDocument
from tinhso.catalog.services import procedure_version_publish
from tinhso.core.models import AuditLog
from tinhso.dossiers.tests.helpers import submit_online
from tinhso.org import roles
from tinhso.testing.factories import procedure_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(world):
    """The world's procedures plus one with fees, a step at another agency and odd values."""
    w = world
    w.marriage = procedure_create(
        agency=w.justice,
        code="1.000003.000.00.00.H30",
        name="Đăng ký kết hôn có yếu tố nước ngoài",
        processing_days="10.5",
        online_level=Procedure.OnlineLevel.NONE,
        fees=(("Lệ phí đăng ký kết hôn", 1_000_000), ("Phí sao lục", 8_000)),
        steps=[
            ("Tiếp nhận", roles.ONE_STOP_CLERK, True, "0.25"),
            ("Thẩm định", roles.SPECIALIST, False, "5"),
            ("Xác minh", roles.SPECIALIST, False, "3.75"),
            ("Trả kết quả", roles.ONE_STOP_CLERK, True, "1.5"),
        ],
    )
    Procedure.objects.filter(pk=w.marriage.pk).update(
        applicants=Procedure.Applicants.CITIZEN,
        accepts_postal=False,
        steps_description="Bước 1: nộp hồ sơ.\nBước 2: nhận kết quả.",
        requirements="Hai bên đủ tuổi kết hôn",
    )
    step = w.marriage.steps.get(order=3)
    step.agency = w.building
    step.save()
    doc = w.marriage.documents.get(order=2)
    doc.copies, doc.originals, doc.is_required, doc.note = 2, 0, False, "Nếu có"
    doc.save()
    procedure_version_publish(procedure=w.marriage)
    return w


def described(procedure: Procedure) -> dict:
    """Everything the workbook carries about a procedure, without database ids."""
    procedure = Procedure.objects.get(pk=procedure.pk)
    plain = [
        "code",
        "name",
        "applicants",
        "processing_days",
        "online_level",
        "accepts_in_person",
        "accepts_postal",
        "steps_description",
        "requirements",
        "result_description",
        "legal_basis",
        "is_active",
    ]
    version = procedure.current_version
    assert version is not None
    return {
        **{name: getattr(procedure, name) for name in plain},
        "field": (procedure.field.code, procedure.field.name),
        "agency": procedure.agency.code if procedure.agency else "",
        "documents": list(
            procedure.documents.values_list(
                "order", "name", "originals", "copies", "is_required", "note"
            )
        ),
        "fees": list(procedure.fees.order_by("pk").values_list("name", "amount", "note")),
        "steps": list(
            procedure.steps.values_list(
                "order", "name", "role__name", "agency__code", "at_desk", "budget_days"
            )
        ),
        "version": {k: v for k, v in version.snapshot.items() if k != "documents"}
        | {
            "documents": [
                {k: v for k, v in d.items() if k != "id"} for d in version.snapshot["documents"]
            ],
            "field_id": None,
        },
    }


def everything():
    return {p.code: described(p) for p in Procedure.objects.all()}


def open_workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def to_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def set_cell(workbook, sheet: str, row: int, key: str, value) -> None:
    column = list(COLUMNS[sheet]).index(key) + 1
    workbook[sheet].cell(row=row, column=column).value = value


def row_of(workbook, sheet: str, code: str, key: str = "code") -> int:
    column = list(COLUMNS[sheet]).index(key)
    for number, cells in enumerate(workbook[sheet].iter_rows(values_only=True), start=1):
        if cells[column] == code:
            return number
    raise AssertionError(f"{code} not on {sheet}")


def empty_the_catalogue():
    Procedure.objects.update(current_version=None)
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    Field.objects.all().delete()


# --- export --------------------------------------------------------------------------------------
def test_the_export_has_a_key_row_a_header_row_and_one_row_per_thing(catalogue):
    workbook = open_workbook(catalog_export_bytes())
    assert workbook.sheetnames == [PROCEDURES, DOCUMENTS, FEES, STEPS]
    sheet = workbook[PROCEDURES]
    assert [c.value for c in sheet[1]] == list(COLUMNS[PROCEDURES])
    assert sheet["A2"].value == "Mã thủ tục"
    assert [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)] == [
        "1.000001.000.00.00.H30",
        "1.000002.000.00.00.H30",
        "1.000003.000.00.00.H30",
    ]
    assert workbook[DOCUMENTS].max_row == 2 + 6
    assert [r[1:3] for r in workbook[FEES].iter_rows(min_row=3, values_only=True)] == [
        ("Lệ phí đăng ký kết hôn", 1_000_000),
        ("Phí sao lục", 8_000),
    ]
    steps = list(workbook[STEPS].iter_rows(min_row=3, values_only=True))
    assert (
        "1.000003.000.00.00.H30",
        3,
        "Xác minh",
        "specialist",
        "000.00.03.H30",
        False,
        3.75,
    ) in (steps)


def test_export_of_selected_procedures_only(catalogue):
    workbook = catalog_export(Procedure.objects.filter(code="1.000003.000.00.00.H30"))
    for sheet in (PROCEDURES, DOCUMENTS, FEES, STEPS):
        codes = {row[0] for row in workbook[sheet].iter_rows(min_row=3, values_only=True)}
        assert codes == {"1.000003.000.00.00.H30"}


# --- import: round trip and idempotence --------------------------------------------------------
def test_a_round_trip_through_an_empty_catalogue_reproduces_the_procedures(catalogue, tmp_path):
    before = everything()
    path = tmp_path / "catalogue.xlsx"
    call_command("export_catalog", str(path), stdout=io.StringIO())
    empty_the_catalogue()
    assert not Procedure.objects.exists()

    out = io.StringIO()
    call_command("import_catalog", str(path), stdout=out)

    assert everything() == before
    assert all(p.current_version.number == 1 for p in Procedure.objects.all())
    assert "3 new versions" in out.getvalue() or "3 phiên bản" in out.getvalue()
    assert AuditLog.objects.filter(action="procedure.import").count() == 3


def test_reimporting_an_unchanged_workbook_creates_no_versions(catalogue):
    data = catalog_export_bytes()
    versions = ProcedureVersion.objects.count()
    doc_ids = sorted(RequiredDocument.objects.values_list("pk", flat=True))
    audit = AuditLog.objects.count()

    result = catalog_import(file=io.BytesIO(data))

    assert result.versions == [] and result.created == [] and result.updated == []
    assert len(result.unchanged) == 3
    assert ProcedureVersion.objects.count() == versions
    assert sorted(RequiredDocument.objects.values_list("pk", flat=True)) == doc_ids
    assert AuditLog.objects.count() == audit


def test_a_dossier_keeps_its_version_when_an_import_changes_the_procedure(catalogue):
    w = catalogue
    dossier = submit_online(w)
    assert dossier.procedure_version.number == 1
    workbook = open_workbook(catalog_export_bytes())
    row = row_of(workbook, PROCEDURES, w.procedure.code)
    set_cell(workbook, PROCEDURES, row, "processing_days", 7)
    set_cell(workbook, PROCEDURES, row, "name", "Đăng ký khai sinh (mới)")
    workbook[DOCUMENTS].append([w.procedure.code, 3, "Giấy tờ tùy thân"])
    # Documents answered by dossiers keep their ids.
    doc_ids = list(w.procedure.documents.values_list("pk", flat=True))

    result = catalog_import(file=io.BytesIO(to_bytes(workbook)))

    assert result.updated == [w.procedure.code]
    assert result.versions == [f"{w.procedure.code} v2"]
    procedure = Procedure.objects.get(pk=w.procedure.pk)
    assert procedure.current_version.number == 2
    assert procedure.current_version.snapshot["processing_days"] == "7.0"
    assert procedure.current_version.documents[2]["name"] == "Giấy tờ tùy thân"
    assert [d["id"] for d in procedure.current_version.documents[:2]] == doc_ids
    dossier.refresh_from_db()
    assert dossier.procedure_version.number == 1
    assert dossier.procedure_version.snapshot["processing_days"] == "5.0"
    assert len(dossier.procedure_version.documents) == 2
    # Other procedures did not change.
    marriage = Procedure.objects.get(code="1.000003.000.00.00.H30")
    assert marriage.current_version_id == w.marriage.versions.order_by("number").last().pk


def test_rows_missing_from_the_workbook_are_deleted_and_new_ones_created(catalogue):
    w = catalogue
    workbook = open_workbook(catalog_export_bytes())
    code = w.marriage.code
    fees = workbook[FEES]
    fees.delete_rows(row_of(workbook, FEES, "Phí sao lục", key="name"))
    steps = workbook[STEPS]
    steps.delete_rows(row_of(workbook, STEPS, "Xác minh", key="name"))
    workbook[PROCEDURES].append(
        ["1.000009.000.00.00.H30", "Chứng thực bản sao", "CT", "Chứng thực", w.justice.code]
        + [None, "both", "0.5", "full"]
    )
    workbook[STEPS].append(["1.000009.000.00.00.H30", 1, "Chứng thực", "Chuyên viên", None])
    set_cell(workbook, STEPS, workbook[STEPS].max_row, "budget_days", "0,5")
    set_cell(workbook, STEPS, workbook[STEPS].max_row, "at_desk", "có")
    workbook[FEES].append(["1.000009.000.00.00.H30", "Phí chứng thực", "2.000"])

    result = catalog_import(file=io.BytesIO(to_bytes(workbook)))

    assert result.created == ["1.000009.000.00.00.H30"]
    assert result.updated == [code]
    marriage = Procedure.objects.get(code=code)
    assert list(marriage.fees.values_list("name", flat=True)) == ["Lệ phí đăng ký kết hôn"]
    assert list(marriage.steps.values_list("order", flat=True)) == [1, 2, 4]
    new = Procedure.objects.get(code="1.000009.000.00.00.H30")
    assert new.field.name == "Chứng thực"  # a new field, created from its name
    assert new.current_version.number == 1
    step = new.steps.get()
    assert (step.role.name, step.at_desk, str(step.budget_days)) == ("specialist", True, "0.50")
    assert new.fees.get().amount == 2000
    assert new.documents.count() == 0


# --- import: bad workbooks ---------------------------------------------------------------------
def test_bad_rows_are_all_reported_and_nothing_is_written(catalogue):
    w = catalogue
    before = everything()
    versions, audit = ProcedureVersion.objects.count(), AuditLog.objects.count()
    workbook = open_workbook(catalog_export_bytes())
    good_row = row_of(workbook, PROCEDURES, w.procedure.code)
    set_cell(workbook, PROCEDURES, good_row, "name", "Tên mới hợp lệ")  # a valid change
    bad_agency = row_of(workbook, PROCEDURES, w.building_procedure.code)
    set_cell(workbook, PROCEDURES, bad_agency, "agency_code", "999.99.99.H99")
    negative = row_of(workbook, PROCEDURES, w.marriage.code)
    set_cell(workbook, PROCEDURES, negative, "processing_days", -3)
    set_cell(workbook, STEPS, 4, "role", "thu_ky")
    set_cell(workbook, FEES, 3, "amount", -1000)
    workbook[DOCUMENTS].append(["9.999999.000.00.00.H30", 1, "Tờ khai"])

    with pytest.raises(CatalogImportError) as caught:
        catalog_import(file=io.BytesIO(to_bytes(workbook)))

    errors = {(e.sheet, e.row): str(e) for e in caught.value.errors}
    assert set(errors) == {
        (PROCEDURES, bad_agency),
        (PROCEDURES, negative),
        (STEPS, 4),
        (FEES, 3),
        (DOCUMENTS, 9),
    }
    assert "999.99.99.H99" in errors[PROCEDURES, bad_agency]
    assert "processing_days" in errors[PROCEDURES, negative]
    assert "thu_ky" in errors[STEPS, 4]
    assert "9.999999.000.00.00.H30" in errors[DOCUMENTS, 9]
    for (sheet, row), message in errors.items():  # "<sheet>, row <n>: …" in the user's words
        assert sheet in message and str(row) in message
    assert everything() == before
    assert ProcedureVersion.objects.count() == versions
    assert AuditLog.objects.count() == audit


def test_the_command_lists_the_problems_and_fails(catalogue, tmp_path):
    workbook = open_workbook(catalog_export_bytes())
    set_cell(workbook, PROCEDURES, 3, "agency_code", "999.99.99.H99")
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_catalog", str(path), stdout=io.StringIO(), stderr=err)
    assert "999.99.99.H99" in err.getvalue()
    assert Procedure.objects.get(code="1.000001.000.00.00.H30").agency == catalogue.justice


@pytest.mark.parametrize(
    "sheet, key, value, fragment",
    [
        (PROCEDURES, "processing_days", "năm", "năm"),
        (PROCEDURES, "processing_days", 0.2, "0.5"),
        (PROCEDURES, "processing_days", 0.25, "1"),
        (PROCEDURES, "processing_days", 2.55, "1"),
        (PROCEDURES, "online_level", "mức 4", "mức 4"),
        (PROCEDURES, "name", None, "name"),
        (PROCEDURES, "name", "x" * 1501, "1500"),
        (PROCEDURES, "accepts_postal", "có lẽ", "có lẽ"),
        (DOCUMENTS, "order", 1.5, "1.5"),
        (DOCUMENTS, "copies", -1, "0"),
        (STEPS, "budget_days", 0, "0.05"),
        (STEPS, "agency_code", "000.00.99.H30", "000.00.99.H30"),
    ],
)
def test_each_kind_of_bad_cell_is_reported_on_its_row(catalogue, sheet, key, value, fragment):
    workbook = open_workbook(catalog_export_bytes())
    set_cell(workbook, sheet, 3, key, value)
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(file=io.BytesIO(to_bytes(workbook)))
    [error] = caught.value.errors
    assert (error.sheet, error.row) == (sheet, 3)
    assert fragment in str(error)


def test_an_unknown_field_needs_a_name_and_orders_are_unique(catalogue):
    workbook = open_workbook(catalog_export_bytes())
    set_cell(workbook, PROCEDURES, 3, "field_code", "ZZ")
    set_cell(workbook, PROCEDURES, 3, "field_name", None)
    set_cell(workbook, DOCUMENTS, 3, "order", 2)  # the procedure's next document is order 2
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(file=io.BytesIO(to_bytes(workbook)))
    errors = {(e.sheet, e.row): str(e) for e in caught.value.errors}
    assert set(errors) == {(PROCEDURES, 3), (DOCUMENTS, 4)}
    assert "ZZ" in errors[PROCEDURES, 3]
    assert "3" in errors[DOCUMENTS, 4]  # points at the row that already has order 2
    assert not Field.objects.filter(code="ZZ").exists()


def test_a_duplicate_procedure_code_is_reported(catalogue):
    workbook = open_workbook(catalog_export_bytes())
    set_cell(workbook, PROCEDURES, 4, "code", "1.000001.000.00.00.H30")
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(file=io.BytesIO(to_bytes(workbook)))
    errors = [(e.sheet, e.row) for e in caught.value.errors]
    assert (PROCEDURES, 4) in errors


def test_a_file_that_is_not_a_workbook_or_lacks_sheets_is_refused(catalogue):
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(file=io.BytesIO(b"%PDF-1.4 not a workbook"))
    assert len(caught.value.errors) == 1 and caught.value.errors[0].row is None

    workbook = Workbook()
    workbook.active.title = PROCEDURES
    workbook.active.append(["code", "name"])
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(file=io.BytesIO(to_bytes(workbook)))
    sheets = sorted(e.sheet for e in caught.value.errors)
    assert sheets == sorted([PROCEDURES, DOCUMENTS, FEES, STEPS])


def test_columns_are_found_by_key_in_any_order_and_labels_are_accepted(catalogue):
    w = catalogue
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = PROCEDURES
    sheet.append(["agency_code", "code", "processing_days", "name", "field_code", "online_level"])
    sheet.append([w.justice.code, "2.000001.000.00.00.H30", "3", "Thủ tục thử", "HT", "Toàn trình"])
    for title in (DOCUMENTS, FEES, STEPS):
        workbook.create_sheet(title).append(list(COLUMNS[title]))
    workbook[STEPS].append(
        ["2.000001.000.00.00.H30", 1, "Xử lý", "Một cửa", None, "x", 3]
    )  # neither a key nor a label
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(file=io.BytesIO(to_bytes(workbook)))
    assert [(e.sheet, e.row) for e in caught.value.errors] == [(PROCEDURES, 2), (STEPS, 2)]

    set_cell(workbook, STEPS, 2, "role", "Cán bộ một cửa")
    workbook[PROCEDURES].cell(row=2, column=6, value="full")
    result = catalog_import(file=io.BytesIO(to_bytes(workbook)))
    procedure = Procedure.objects.get(code="2.000001.000.00.00.H30")
    assert result.created == [procedure.code]
    assert procedure.online_level == Procedure.OnlineLevel.FULL
    assert procedure.steps.get().role.name == roles.ONE_STOP_CLERK


def test_the_export_command_can_pick_procedures_by_code(catalogue, tmp_path):
    path = tmp_path / "one.xlsx"
    out = io.StringIO()
    call_command("export_catalog", str(path), "--code", "1.000003.000.00.00.H30", stdout=out)
    workbook = load_workbook(path)
    codes = [row[0] for row in workbook[PROCEDURES].iter_rows(min_row=3, values_only=True)]
    assert codes == ["1.000003.000.00.00.H30"]
    assert out.getvalue().startswith("Wrote 1 procedure(s)")
    with pytest.raises(CommandError, match="9.999999"):
        call_command("export_catalog", str(path), "--code", "9.999999", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_catalog", str(tmp_path / "missing.xlsx"), stdout=io.StringIO())


def test_a_commune_procedure_round_trips_and_needs_an_agency_without_the_communes(world):
    procedure = world.procedure
    Procedure.objects.filter(pk=procedure.pk).update(agency=None, at_communes=True)
    procedure_version_publish(procedure=procedure)
    data = catalog_export_bytes()
    workbook = open_workbook(data)
    row = row_of(workbook, PROCEDURES, procedure.code)
    versions = ProcedureVersion.objects.count()
    result = catalog_import(file=io.BytesIO(data))
    assert procedure.code in result.unchanged and ProcedureVersion.objects.count() == versions
    set_cell(workbook, PROCEDURES, row, "at_communes", "không")
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(file=io.BytesIO(to_bytes(workbook)))
    assert any("agency_code" in str(e) or "Mã cơ quan" in str(e) for e in caught.value.errors)
    set_cell(workbook, PROCEDURES, row, "agency_code", world.justice.code)
    catalog_import(file=io.BytesIO(to_bytes(workbook)))
    procedure.refresh_from_db()
    assert procedure.agency == world.justice and not procedure.at_communes


# --- import: a workbook that unpacks too large (zip bomb) -------------------------------------
def _bomb(size: int = 3 * 1024 * 1024) -> bytes:
    """A small zip whose worksheet unpacks to ``size`` bytes (highly compressed)."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * size + b">")
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_read(catalogue, monkeypatch):
    import tinhso.catalog.excel as excel

    def never(*args, **kwargs):  # pragma: no cover - the point is it is not called
        raise AssertionError("the workbook was loaded")

    monkeypatch.setattr(excel, "load_workbook", never)
    data = _bomb()
    assert len(data) < 20_000
    with pytest.raises(CatalogImportError, match="nén hơn 200 lần") as caught:
        catalog_import(file=io.BytesIO(data))
    assert "xl/worksheets/sheet1.xml" in str(caught.value)


def test_a_workbook_larger_than_the_setting_is_refused(catalogue, settings, tmp_path):
    settings.CATALOG_XLSX_MAX_BYTES = 2048
    data = catalog_export_bytes()
    with pytest.raises(CatalogImportError, match="0.00195312 MiB"):
        catalog_import(file=io.BytesIO(data))
    path = tmp_path / "big.xlsx"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_catalog", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    settings.CATALOG_XLSX_MAX_BYTES = 50 * 1024 * 1024
    assert catalog_import(file=io.BytesIO(data)).unchanged


def test_the_import_page_shows_the_zip_bomb_error(client, catalogue):
    from django.urls import reverse

    from tinhso.testing.factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    buffer = io.BytesIO(_bomb())
    buffer.name = "bom.xlsx"
    response = client.post(reverse("admin:catalog_procedure_import"), {"workbook": buffer})
    assert response.status_code == 200
    assert "nén hơn 200 lần" in response.content.decode()
    assert not Procedure.objects.filter(name="").exists()
