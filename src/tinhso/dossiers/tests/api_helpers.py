"""Helpers shared by the API tests."""

from rest_framework.test import APIClient

from tinhso.testing.files import pdf_upload


def api_client(user=None, language: str = "vi") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_authenticate(user)
    return client


def submission(procedure, /, **overrides) -> dict:
    """A complete multipart submission for ``procedure``: one PDF per required document."""
    documents = procedure.current_version.documents
    data = {
        "procedure": procedure.code,
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "092090001234",
        "applicant_phone": "0912345678",
        "applicant_email": "an@example.vn",
        "applicant_address": "12 Hòa Bình, Ninh Kiều",
        "summary": "Đăng ký khai sinh cho con",
        "documents": [pdf_upload(f"giay-{doc['id']}.pdf") for doc in documents],
        "document_ids": [doc["id"] for doc in documents],
    }
    data.update(overrides)
    return data
