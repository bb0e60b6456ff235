from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tinhso.catalog.models import Procedure
from tinhso.testing.factories import FieldFactory, procedure_create


@pytest.fixture
def catalogue(world):
    land = FieldFactory(code="DD", name="Đất đai")
    other = procedure_create(
        agency=world.ward,
        code="1.000003.000.00.00.H30",
        name="Đăng ký biến động đất đai",
        field=land,
        online_level=Procedure.OnlineLevel.NONE,
    )
    return world, other


def _names(response):
    return [p.name for p in response.context["page"].object_list]


@pytest.mark.parametrize(
    "query",
    ["dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "khai sinh", "Đăng ký khai sinh", "dang  KY khai"],
)
def test_search_ignores_diacritics(client, catalogue, query):
    response = client.get(reverse("portal:home"), {"q": query})
    assert response.status_code == 200
    assert _names(response) == ["Đăng ký khai sinh"]


def test_search_finds_the_field_without_accents(client, catalogue):
    names = _names(client.get(reverse("portal:home"), {"q": "ho tich"}))
    assert "Đăng ký khai sinh" in names
    assert "Đăng ký biến động đất đai" not in names
    assert _names(client.get(reverse("portal:home"), {"q": "dat dai"})) == [
        "Đăng ký biến động đất đai"
    ]


def test_search_folds_the_stored_name_too(client, world):
    procedure_create(agency=world.justice, code="1.000009.000.00.00.H30", name="Dang ky ket hon")
    response = client.get(reverse("portal:home"), {"q": "đăng ký kết hôn"})
    assert _names(response) == ["Dang ky ket hon"]


def test_search_by_field_agency_and_online(client, catalogue):
    world, other = catalogue
    home = reverse("portal:home")
    assert _names(client.get(home, {"field": other.field_id})) == [other.name]
    assert _names(client.get(home, {"agency": world.building.pk})) == ["Cấp giấy phép xây dựng"]
    assert other.name not in _names(client.get(home, {"online": "on"}))
    assert other.name in _names(client.get(home))


def test_search_shows_the_online_level_and_paginates(client, world):
    for n in range(25):
        procedure_create(
            agency=world.justice, code=f"2.{n:06d}.000.00.00.H30", name=f"Thủ tục số {n:02d}"
        )
    response = client.get(reverse("portal:home"), {"q": "thu tuc"})
    assert response.context["page"].paginator.count == 25
    assert len(_names(response)) == 20
    html = response.content.decode()
    assert "Toàn trình" in html or "Trực tuyến toàn trình" in html
    second = client.get(reverse("portal:home"), {"q": "thu tuc", "page": 2})
    assert len(_names(second)) == 5
    assert "q=thu+tuc&amp;page=1" in second.content.decode()


def test_no_result_says_so(client, world):
    response = client.get(reverse("portal:home"), {"q": "không có gì như thế"})
    assert _names(response) == []
    assert "Không tìm thấy thủ tục" in response.content.decode()


def test_procedure_page_tells_everything_needed_before_coming(client, world):
    world.center.address = "Số 1 đường Trần Hưng Đạo"
    world.center.phone = "0292 3800 000"
    world.center.save()
    procedure = world.procedure
    procedure.steps_description = "Bước 1: nộp hồ sơ."
    procedure.requirements = "Trẻ sinh ra tại tỉnh."
    procedure.save()
    procedure.fees.create(name="Lệ phí", amount=8000)
    doc = procedure.documents.first()
    doc.copies = 2
    doc.template.save("to-khai.pdf", ContentFile(b"%PDF-1.4 template"), save=True)
    response = client.get(reverse("portal:procedure", args=[procedure.pk]))
    html = response.content.decode()
    for text in [
        "Đăng ký khai sinh",
        "Sở Tư pháp",
        "Trung tâm Phục vụ hành chính công",
        "Số 1 đường Trần Hưng Đạo",
        "0292 3800 000",
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
        "2 bản sao",
        "8.000 đ",
        "5 ngày làm việc",
        "Bước 1: nộp hồ sơ.",
        "Trẻ sinh ra tại tỉnh.",
        "Giấy khai sinh",
        "Luật Hộ tịch 2014",
        "Nộp hồ sơ trực tuyến",
    ]:
        assert text in html, text
    template_url = reverse("portal:document_template", args=[procedure.pk, doc.pk])
    assert template_url in html
    download = client.get(template_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # The second document has no template file: no link, and no download either.
    other = procedure.documents.last()
    assert reverse("portal:document_template", args=[procedure.pk, other.pk]) not in html
    assert (
        client.get(reverse("portal:document_template", args=[procedure.pk, other.pk])).status_code
        == 404
    )


def test_procedure_not_online_has_no_submit_button(client, catalogue):
    _world, other = catalogue
    html = client.get(reverse("portal:procedure", args=[other.pk])).content.decode()
    assert "Nộp hồ sơ trực tuyến" not in html
    assert "Không trực tuyến" in html


def test_unpublished_procedure_is_404(client, world):
    Procedure.objects.filter(pk=world.procedure.pk).update(is_active=False)
    assert client.get(reverse("portal:procedure", args=[world.procedure.pk])).status_code == 404
    assert Decimal(world.procedure.processing_days) == Decimal("5")


def test_language_switch_shows_english(client, world):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("portal:home")}, follow=True
    )
    assert "Administrative procedures" in response.content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Thủ tục hành chính" in client.get(reverse("portal:home")).content.decode()


def test_manifest_makes_the_portal_installable(client, db):
    response = client.get(reverse("portal:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    data = response.json()
    assert data["display"] == "standalone"
    assert {icon["sizes"] for icon in data["icons"]} >= {"192x192", "512x512"}
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200
    assert reverse("portal:manifest") in client.get(reverse("portal:home")).content.decode()


def test_committed_icons_have_their_sizes():
    from PIL import Image

    from tinhso.portal.icons import OUT, SIZES

    for size in SIZES:
        with Image.open(OUT / f"icon-{size}.png") as image:
            assert image.size == (size, size)
            assert image.format == "PNG"


def test_the_procedure_code_is_not_called_a_verification_code(client, world):
    """The sign-in's one-time "Code" has its own context: the catalogue's "Code" stays "Mã"."""
    body = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert f"Mã {world.procedure.code}" in body
    assert "Mã xác thực" not in body
