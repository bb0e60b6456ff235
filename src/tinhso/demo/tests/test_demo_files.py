"""The demo's dossiers carry real PDFs in Vietnamese: the result a finished dossier hands back
is a decision, not a placeholder (issue 7)."""

from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from tinhso.demo.documents import KINDS, demo_pdf
from tinhso.dossiers.constants import FileKind
from tinhso.dossiers.models import DossierFile


def _text(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    return " ".join(page.extract_text() for page in reader.pages)


def test_each_kind_is_a_valid_pdf_in_vietnamese():
    texts = {}
    for kind in KINDS:
        data = demo_pdf(kind)
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
        texts[kind] = _text(data)
        assert "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in texts[kind]
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts[kind]
    assert "QUYẾT ĐỊNH" in texts["result"] and "Điều 1." in texts["result"]
    assert "Tờ khai".upper() in texts["submission"].upper()
    with pytest.raises(ValueError):
        demo_pdf("other")


@pytest.mark.django_db
def test_seeded_results_are_the_decision_and_the_sign_ins_are_not_printed_twice():
    out = StringIO()
    call_command("seed_demo", dossiers=60, stdout=out, stderr=StringIO())
    assert out.getvalue().count("motcua") == 0  # serve.sh prints the sign-ins once
    assert "--print-logins" in out.getvalue()
    result = DossierFile.objects.filter(kind=FileKind.RESULT).first()
    assert result is not None
    with result.file.open("rb") as handle:
        data = handle.read()
    assert data == demo_pdf("result") and "QUYẾT ĐỊNH" in _text(data)
