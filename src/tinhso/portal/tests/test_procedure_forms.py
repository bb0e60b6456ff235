"""A procedure page names the published forms of each document and offers the ones the province
uploaded; the published processing time and the cases are shown as published."""

import pytest
from django.core.files.base import ContentFile

from tinhso.catalog.models import Procedure
from tinhso.catalog.services import procedure_version_publish

pytestmark = pytest.mark.django_db


def test_the_page_names_the_forms_and_offers_the_uploaded_ones(client, world):
    procedure = world.procedure
    first, second = procedure.documents.order_by("order")
    first.forms, first.case = "Mẫu số 01.docx", "Trường hợp đăng ký lần đầu:"
    first.save()
    second.forms = "Mẫu số 02.docx"
    second.template.save("mau-02.docx", ContentFile(b"blank form"), save=True)
    Procedure.objects.filter(pk=procedure.pk).update(
        processing_time_text="Trực tiếp: 5 Ngày làm việc\nTrực tuyến: 5 Ngày làm việc"
    )
    procedure_version_publish(procedure=procedure)

    page = client.get(f"/thu-tuc/{procedure.pk}/").content.decode()
    assert "Mẫu: Mẫu số 01.docx" in page and "tỉnh chưa tải lên" in page
    assert "Trường hợp đăng ký lần đầu:" in page
    assert "Theo công bố: Trực tiếp: 5 Ngày làm việc<br>Trực tuyến: 5 Ngày làm việc" in page
    link = f"/thu-tuc/{procedure.pk}/mau/{second.pk}/"
    assert "Mẫu: Mẫu số 02.docx" in page and link in page
    response = client.get(link)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"blank form"
    assert client.get(f"/thu-tuc/{procedure.pk}/mau/{first.pk}/").status_code == 404
