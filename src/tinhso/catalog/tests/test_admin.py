import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tinhso.catalog.excel import PROCEDURES, catalog_export_bytes
from tinhso.catalog.models import Procedure, ProcedureVersion
from tinhso.catalog.selectors import procedure_list
from tinhso.core.models import AuditLog
from tinhso.dossiers.tests.helpers import submit_online
from tinhso.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:catalog_procedure_changelist"


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def staff(world):
    """The province administrator, let into the admin."""
    world.admin.is_staff = True
    world.admin.save()
    return world.admin


def change_url(procedure):
    return reverse("admin:catalog_procedure_change", args=[procedure.pk])


def form_data(response) -> dict:
    """What the browser would post back unchanged: the main form and every inline formset."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False or (name == "template"):
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def test_every_catalogue_page_opens(client, superuser, world):
    client.force_login(superuser)
    version = world.procedure.current_version
    for url in [
        reverse(CHANGELIST),
        reverse("admin:catalog_procedure_add"),
        change_url(world.procedure),
        reverse("admin:catalog_field_changelist"),
        reverse("admin:catalog_procedureversion_changelist"),
        reverse("admin:catalog_procedureversion_change", args=[version.pk]),
        reverse("admin:catalog_procedure_import"),
    ]:
        assert client.get(url).status_code == 200, url


def test_saving_a_procedure_with_changed_steps_publishes_a_new_version(client, staff, world):
    client.force_login(staff)
    dossier = submit_online(world)
    url = change_url(world.procedure)
    data = form_data(client.get(url))
    data["processing_days"] = "7"
    data["steps-1-budget_days"] = "3"  # the specialist gets a day more
    data["fees-TOTAL_FORMS"] = "1"
    data["fees-0-name"] = "Lệ phí"
    data["fees-0-amount"] = "8000"

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    procedure = Procedure.objects.get(pk=world.procedure.pk)
    version = procedure.current_version
    assert version.number == 2
    assert version.snapshot["processing_days"] == "7.0"
    assert version.steps[1]["budget_days"] == "3.00"
    assert version.snapshot["fees"] == [
        {"name": "Lệ phí", "amount": 8000, "note": "", "channel": None}
    ]
    dossier.refresh_from_db()
    assert dossier.procedure_version.number == 1
    assert AuditLog.objects.filter(action="procedure.version_publish", actor=staff).exists()


def test_saving_an_unchanged_procedure_publishes_nothing(client, staff, world):
    client.force_login(staff)
    url = change_url(world.procedure)
    response = client.post(url, form_data(client.get(url)))
    assert response.status_code == 302
    assert world.procedure.versions.count() == 1


def test_adding_a_procedure_publishes_version_one(client, superuser, world):
    client.force_login(superuser)
    add = reverse("admin:catalog_procedure_add")
    data = form_data(client.get(add))
    data.update(
        code="1.000007.000.00.00.H30",
        name="Chứng thực chữ ký",
        field=str(world.procedure.field_id),
        agency=str(world.justice.pk),
        processing_days="0.5",
    )
    data["documents-TOTAL_FORMS"] = "1"
    data.update({"documents-0-order": "1", "documents-0-name": "Giấy tờ cần chứng thực"})
    data["documents-0-originals"], data["documents-0-copies"] = "1", "0"
    data["documents-0-is_required"] = "on"
    response = client.post(add, data)
    assert response.status_code == 302
    procedure = Procedure.objects.get(code="1.000007.000.00.00.H30")
    assert procedure.current_version.number == 1
    assert procedure.current_version.documents[0]["name"] == "Giấy tờ cần chứng thực"
    assert procedure.search_text == "chung thuc chu ky 1.000007.000.00.00.h30 ho tich so tu phap"


def test_versions_are_read_only(client, superuser, world):
    client.force_login(superuser)
    version = world.procedure.current_version
    url = reverse("admin:catalog_procedureversion_change", args=[version.pk])
    response = client.get(url)
    assert b'name="_save"' not in response.content
    assert client.post(url, {"number": 9}).status_code == 403
    assert client.get(reverse("admin:catalog_procedureversion_add")).status_code == 403
    delete = reverse("admin:catalog_procedureversion_delete", args=[version.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    version.refresh_from_db()
    assert version.number == 1


def test_admin_search_ignores_diacritics(client, superuser, world):
    client.force_login(superuser)
    response = client.get(reverse(CHANGELIST), {"q": "dang ky khai sinh"})
    assert [p.code for p in response.context["cl"].result_list] == [world.procedure.code]
    response = client.get(reverse(CHANGELIST), {"q": "GIẤY PHÉP"})
    assert [p.code for p in response.context["cl"].result_list] == [world.building_procedure.code]


def test_renaming_a_field_updates_the_search_but_not_the_versions(client, superuser, world):
    client.force_login(superuser)
    field = world.procedure.field
    url = reverse("admin:catalog_field_change", args=[field.pk])
    response = client.post(url, {"code": field.code, "name": "Hộ tịch, chứng thực"})
    assert response.status_code == 302
    found = procedure_list(q="chung thuc")
    assert {p.code for p in found} == {world.procedure.code, world.building_procedure.code}
    assert ProcedureVersion.objects.count() == 2


def test_export_the_selected_procedures(client, staff, world):
    client.force_login(staff)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "export_selected", "_selected_action": [world.building_procedure.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    codes = [row[0] for row in workbook[PROCEDURES].iter_rows(min_row=3, values_only=True)]
    assert codes == [world.building_procedure.code]

    everything = client.get(reverse("admin:catalog_procedure_export"))
    workbook = load_workbook(io.BytesIO(everything.content))
    assert workbook[PROCEDURES].max_row == 4


def test_import_page_reports_problems_and_writes_nothing(client, staff, world):
    client.force_login(staff)
    workbook = load_workbook(io.BytesIO(catalog_export_bytes()))
    workbook[PROCEDURES]["E3"] = "999.99.99.H99"  # agency_code of the first procedure
    workbook[PROCEDURES]["B4"] = "Tên mới"
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "danh-muc.xlsx"

    response = client.post(reverse("admin:catalog_procedure_import"), {"workbook": buffer})

    assert response.status_code == 200
    assert response.context["form"].errors == {}
    assert [(e.sheet, e.row) for e in response.context["errors"]] == [(PROCEDURES, 3)]
    assert "999.99.99.H99" in response.content.decode()
    assert Procedure.objects.get(pk=world.building_procedure.pk).name == "Cấp giấy phép xây dựng"


def test_import_page_imports_a_good_workbook(client, staff, world):
    client.force_login(staff)
    workbook = load_workbook(io.BytesIO(catalog_export_bytes()))
    workbook[PROCEDURES]["B4"] = "Cấp giấy phép xây dựng nhà ở riêng lẻ"
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "danh-muc.xlsx"

    response = client.post(
        reverse("admin:catalog_procedure_import"), {"workbook": buffer}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse(CHANGELIST)
    procedure = Procedure.objects.get(pk=world.building_procedure.pk)
    assert procedure.name == "Cấp giấy phép xây dựng nhà ở riêng lẻ"
    assert procedure.current_version.number == 2
    assert ProcedureVersion.objects.count() == 3


def test_import_refuses_something_that_is_not_a_workbook(client, staff, world):
    client.force_login(staff)
    upload = io.BytesIO(b"code,name\n1,2\n")
    upload.name = "danh-muc.xlsx"
    response = client.post(reverse("admin:catalog_procedure_import"), {"workbook": upload})
    assert response.status_code == 200
    assert len(response.context["errors"]) == 1


def test_staff_without_catalogue_rights_cannot_import_or_export(client, world):
    world.clerk.is_staff = True
    world.clerk.save()
    client.force_login(world.clerk)
    assert client.get(reverse("admin:catalog_procedure_import")).status_code == 403
    assert client.get(reverse("admin:catalog_procedure_export")).status_code == 403
    assert client.get(reverse(CHANGELIST)).status_code == 403
