import pytest

from tinhso.catalog.models import Procedure
from tinhso.catalog.selectors import (
    agency_list,
    field_list,
    procedure_get,
    procedure_list,
    procedure_search_words,
)
from tinhso.catalog.services import procedure_version_publish
from tinhso.org.models import Agency
from tinhso.testing.factories import FieldFactory, procedure_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(world):
    """The world's two procedures plus a few with tricky names."""
    transport = FieldFactory(code="GT", name="Đường bộ")
    residence = FieldFactory(code="CT", name="Cư trú")
    w = world
    w.civil = procedure_create(
        agency=w.justice,
        code="1.000003.000.00.00.H30",
        name="Đăng ký kết hôn (hộ tịch có yếu tố nước ngoài)",
    )
    w.licence = procedure_create(
        agency=w.building,
        code="1.000004.000.00.00.H30",
        name="Đổi giấy phép lái xe",
        field=transport,
        online_level=Procedure.OnlineLevel.NONE,
    )
    w.typed_plain = procedure_create(
        agency=w.ward,
        code="1.000005.000.00.00.H30",
        name="Dang ky tam tru",  # typed without diacritics by whoever entered it
        field=residence,
        online_level=Procedure.OnlineLevel.PARTIAL,
    )
    return w


def names(qs):
    return sorted(p.name for p in qs)


def test_query_words_are_folded():
    assert procedure_search_words("  Đăng KÝ   hộ tịch đăng ") == ["dang", "ky", "ho", "tich"]
    assert procedure_search_words("") == []
    assert procedure_search_words(None) == []


@pytest.mark.parametrize("q", ["ho tich", "hộ tịch", "HỘ TỊCH", "Hộ Tich"])
def test_search_ignores_diacritics_and_case_both_ways(catalogue, q):
    # The world's procedures are all in the field "Hộ tịch"; "Đổi giấy phép lái xe" is not.
    assert names(procedure_list(q=q)) == [
        "Cấp giấy phép xây dựng",
        "Đăng ký khai sinh",
        "Đăng ký kết hôn (hộ tịch có yếu tố nước ngoài)",
    ]
    assert names(procedure_list(q=f"{q} nuoc ngoai")) == [
        "Đăng ký kết hôn (hộ tịch có yếu tố nước ngoài)"
    ]


@pytest.mark.parametrize("q", ["dang ky", "đăng ký", "Đăng Ký", "DANG KY"])
def test_search_matches_names_with_or_without_diacritics(catalogue, q):
    assert names(procedure_list(q=q)) == [
        "Dang ky tam tru",
        "Đăng ký khai sinh",
        "Đăng ký kết hôn (hộ tịch có yếu tố nước ngoài)",
    ]


@pytest.mark.parametrize("q", ["đổi", "ĐỔI", "doi", "dổi", "Đoi giay phep"])
def test_search_folds_d_with_stroke(catalogue, q):
    assert names(procedure_list(q=q)) == ["Đổi giấy phép lái xe"]


def test_every_word_must_occur(catalogue):
    assert names(procedure_list(q="đăng ký tạm trú")) == ["Dang ky tam tru"]
    assert names(procedure_list(q="đăng ký xây dựng")) == []
    assert names(procedure_list(q="khai sinh kết hôn")) == []


def test_search_finds_codes_fields_and_agencies(catalogue):
    assert names(procedure_list(q="1.000004")) == ["Đổi giấy phép lái xe"]
    assert names(procedure_list(q="duong bo")) == ["Đổi giấy phép lái xe"]
    assert names(procedure_list(q="so xay dung")) == [
        "Cấp giấy phép xây dựng",
        "Đổi giấy phép lái xe",
    ]
    assert names(procedure_list(q="phường ninh kiều")) == ["Dang ky tam tru"]


def test_an_empty_query_lists_every_published_procedure_by_name(catalogue):
    # Vietnamese alphabetical order: d before đ, "kết" before "khai" (e before h).
    assert [p.name for p in procedure_list()] == [
        "Cấp giấy phép xây dựng",
        "Dang ky tam tru",
        "Đăng ký kết hôn (hộ tịch có yếu tố nước ngoài)",
        "Đăng ký khai sinh",
        "Đổi giấy phép lái xe",
    ]


def test_filters_by_field_agency_and_online(catalogue):
    w = catalogue
    assert names(procedure_list(field_id=w.procedure.field_id)) == [
        "Cấp giấy phép xây dựng",
        "Đăng ký khai sinh",
        "Đăng ký kết hôn (hộ tịch có yếu tố nước ngoài)",
    ]
    assert names(procedure_list(agency_id=w.building.pk)) == [
        "Cấp giấy phép xây dựng",
        "Đổi giấy phép lái xe",
    ]
    online = names(procedure_list(online_only=True))
    assert "Đổi giấy phép lái xe" not in online and "Dang ky tam tru" in online
    assert len(online) == 4
    assert names(procedure_list(q="giay phep", agency_id=w.building.pk, online_only=True)) == [
        "Cấp giấy phép xây dựng"
    ]


def test_unpublished_procedures_are_not_listed(catalogue):
    w = catalogue
    Procedure.objects.filter(pk=w.licence.pk).update(is_active=False)
    Procedure.objects.filter(pk=w.civil.pk).update(current_version=None)
    listed = names(procedure_list())
    assert "Đổi giấy phép lái xe" not in listed
    assert "Đăng ký kết hôn (hộ tịch có yếu tố nước ngoài)" not in listed
    with pytest.raises(Procedure.DoesNotExist):
        procedure_get(code=w.licence.code)


def test_a_renamed_procedure_is_found_by_its_new_name_once_published(catalogue):
    w = catalogue
    Procedure.objects.filter(pk=w.licence.pk).update(name="Cấp đổi giấy phép lái xe")
    procedure_version_publish(procedure=w.licence)
    assert names(procedure_list(q="cap doi")) == ["Cấp đổi giấy phép lái xe"]


def test_listing_needs_one_query(catalogue, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = [
            (p.field.name, p.agency.desk.name, p.current_version.number)
            for p in procedure_list(q="giấy phép")
        ]
    assert len(rows) == 2


def test_procedure_get_by_pk_or_code_with_its_parts(catalogue, django_assert_num_queries):
    w = catalogue
    assert procedure_get(pk=w.procedure.pk) == w.procedure
    with django_assert_num_queries(4):  # procedure, documents, fees, steps (with roles)
        procedure = procedure_get(code="1.000001.000.00.00.H30")
        docs = [d.name for d in procedure.documents.all()]
        steps = [(s.order, s.role.name) for s in procedure.steps.all()]
        list(procedure.fees.all())
    assert docs == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert [order for order, _role in steps] == [1, 2, 3, 4, 5, 6]
    with pytest.raises(Procedure.DoesNotExist):
        procedure_get(code="9.999999.000.00.00.H30")
    with pytest.raises(TypeError):
        procedure_get()


def test_fields_and_agencies_count_published_procedures(catalogue):
    w = catalogue
    Procedure.objects.filter(pk=w.civil.pk).update(is_active=False)
    counts = {f.code: f.procedure_count for f in field_list()}
    assert counts == {"HT": 2, "GT": 1, "CT": 1}
    FieldFactory(code="DD", name="Đất đai")
    assert field_list().get(code="DD").procedure_count == 0
    assert "DD" not in {f.code for f in field_list(nonempty=True)}

    agencies = {a.code: a.procedure_count for a in agency_list()}
    assert agencies == {
        w.center.code: 0,
        w.justice.code: 1,
        w.building.code: 2,
        w.ward.code: 1,
    }
    assert w.center.code not in {a.code for a in agency_list(nonempty=True)}
    Agency.objects.filter(pk=w.ward.pk).update(is_active=False)
    assert w.ward.code not in {a.code for a in agency_list()}


def test_a_commune_committee_lists_and_counts_the_procedures_every_commune_carries_out(catalogue):
    """Filtering by a ward's People's Committee shows its own procedures and the commune ones
    (published once, carried out by every commune); a department's filter does not."""
    w = catalogue
    commune = procedure_create(
        agency=w.justice, code="2.000884.000.00.00.H30", name="Chứng thực chữ ký"
    )
    Procedure.objects.filter(pk=commune.pk).update(agency=None, at_communes=True)
    assert names(procedure_list(agency_id=w.ward.pk)) == ["Chứng thực chữ ký", "Dang ky tam tru"]
    assert "Chứng thực chữ ký" not in names(procedure_list(agency_id=w.justice.pk))
    counts = {a.code: a.procedure_count for a in agency_list()}
    assert counts[w.ward.code] == 2 and counts[w.justice.code] == 2
    assert names(procedure_list(q="chung thuc")) == ["Chứng thực chữ ký"]  # listed once


def test_the_words_side_by_side_in_the_name_come_first(catalogue):
    """A newcomer's search for "chung thuc chu ky" listed four other procedures before the one
    named "Chứng thực chữ ký…": the name that starts with the words as typed comes first, then a
    name holding them side by side, then one holding them apart."""
    w = catalogue
    for code, name in [
        ("2.000001.000.00.00.H30", "Cấp đổi chứng nhận có chữ ký số, thực hiện chứng thực lại"),
        ("2.000002.000.00.00.H30", "Thủ tục chứng thực chữ ký người dịch"),
        ("2.000003.000.00.00.H30", "Chứng thực chữ ký trong các giấy tờ, văn bản"),
    ]:
        procedure_create(agency=w.justice, code=code, name=name)
    assert [p.name for p in procedure_list(q="chung thuc chu ky")] == [
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "Thủ tục chứng thực chữ ký người dịch",
        "Cấp đổi chứng nhận có chữ ký số, thực hiện chứng thực lại",
    ]
