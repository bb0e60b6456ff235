from django.test import override_settings
from django.urls import reverse

from tinhso.dossiers.tests.helpers import submit_online, walk_to_processing

PERSONAL = ["Nguyễn Văn An", "092090001234", "0912345678", "an@example.vn"]


def test_anonymous_tracking_shows_progress_and_never_personal_data(client, world):
    dossier = walk_to_processing(world, submit_online(world))
    response = client.get(reverse("portal:track"), {"code": dossier.code})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đăng ký khai sinh" in html
    assert "Đang xử lý" in html
    assert "Trung tâm Phục vụ hành chính công" in html
    assert "Sở Tư pháp" in html
    assert dossier.received_at.astimezone().strftime("%d/%m/%Y") in html
    for value in PERSONAL:
        assert value not in html, value
    assert reverse("portal:dossier", args=[dossier.pk]) not in html


def test_tracking_links_the_applicant_to_the_full_page(client, world):
    dossier = submit_online(world)
    client.force_login(world.citizen)
    html = client.get(reverse("portal:track"), {"code": f"  {dossier.code} "}).content.decode()
    assert reverse("portal:dossier", args=[dossier.pk]) in html


def test_tracking_gives_another_citizen_no_link(client, world):
    dossier = submit_online(world)
    client.force_login(world.other_citizen)
    html = client.get(reverse("portal:track"), {"code": dossier.code}).content.decode()
    assert "Xem toàn bộ hồ sơ" not in html
    for value in PERSONAL:
        assert value not in html


def test_tracking_an_unknown_code_says_not_found(client, world):
    response = client.get(reverse("portal:track"), {"code": "000.00.01.H30-200101-9999"})
    assert response.status_code == 200
    assert "Không có hồ sơ nào có mã này" in response.content.decode()


def test_tracking_without_a_code_just_shows_the_form(client, db):
    response = client.get(reverse("portal:track"))
    assert response.status_code == 200
    assert "Không có hồ sơ nào" not in response.content.decode()


@override_settings(TRACKING_RATE_LIMIT="3/m")
def test_tracking_is_rate_limited_per_address(client, world):
    dossier = submit_online(world)
    for _ in range(3):
        assert client.get(reverse("portal:track"), {"code": dossier.code}).status_code == 200
    response = client.get(reverse("portal:track"), {"code": dossier.code})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    html = response.content.decode()
    assert "Quá nhiều yêu cầu" in html
    assert "Đăng ký khai sinh" not in html  # nothing about the dossier
    other = client.get(reverse("portal:track"), {"code": dossier.code}, REMOTE_ADDR="10.1.1.1")
    assert other.status_code == 200


def test_tracking_links_an_officer_of_the_agency_to_the_back_office(client, world):
    dossier = submit_online(world)
    client.force_login(world.clerk)
    html = client.get(reverse("portal:track"), {"code": dossier.code}).content.decode()
    assert reverse("office:dossier", args=[dossier.pk]) in html
    client.force_login(world.other_specialist)  # another agency: no link
    html = client.get(reverse("portal:track"), {"code": dossier.code}).content.decode()
    assert reverse("office:dossier", args=[dossier.pk]) not in html


def test_tracking_accepts_a_code_typed_in_lower_case(client, world):
    dossier = submit_online(world)
    response = client.get(reverse("portal:track"), {"code": dossier.code.lower()})
    assert response.context["dossier"].pk == dossier.pk


def test_the_hint_names_this_provinces_codes(client, world):
    """Issue 7: the example said H30 whatever the province; it is built from the desk's code."""
    from django.utils import timezone

    from tinhso.org.models import Agency

    html = client.get(reverse("portal:track")).content.decode()
    today = timezone.localdate().strftime("%y%m%d")
    assert f"ví dụ 000.00.01.H30-{today}-0001." in html
    Agency.objects.filter(pk=world.center.pk).update(code="000.00.01.H13")
    world.center.refresh_from_db()
    world.center.save()  # an agency saved: the example is read again
    html = client.get(reverse("portal:track")).content.decode()
    assert f"ví dụ 000.00.01.H13-{today}-0001." in html


def test_the_demo_messages_use_the_text_font_not_a_monospace_one():
    """Monospace fonts lack or misplace Vietnamese diacritics: the demo box uses the site's."""
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "core" / "static" / "tinhso" / "site.css").read_text()
    rule = next(line for line in css.splitlines() if line.startswith(".demo-message {"))
    assert "font-family: inherit" in rule
