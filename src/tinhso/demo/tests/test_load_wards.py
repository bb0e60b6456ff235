from io import StringIO

import pytest
from django.core.management import call_command

from tinhso.org.models import Ward


@pytest.mark.django_db
def test_load_wards_loads_the_configured_province_once(settings):
    settings.PROVINCE_CODE = 92
    Ward.objects.create(code=31135, name="Tên cũ", division_type="xã", province_code=92)
    out = StringIO()
    call_command("load_wards", stdout=out)
    call_command("load_wards", stdout=out)
    wards = Ward.objects.filter(province_code=92)
    assert wards.count() == 103
    assert Ward.objects.count() == 103
    ninh_kieu = Ward.objects.get(code=31135)
    assert (ninh_kieu.name, ninh_kieu.division_type) == ("Phường Ninh Kiều", "phường")
    # No doubled spaces from the source data survive.
    assert not wards.filter(name__contains="  ").exists()
    assert "103 wards (0 created, 0 updated)" in out.getvalue()


@pytest.mark.django_db
def test_load_wards_takes_another_province_from_the_option():
    call_command("load_wards", province=1, stdout=StringIO())
    assert Ward.objects.filter(province_code=1).count() > 50
    assert not Ward.objects.filter(province_code=92).exists()
