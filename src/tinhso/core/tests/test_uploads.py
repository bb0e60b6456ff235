"""Uploads are checked by what they are: real PDFs and images only, nothing that runs."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from tinhso.core.uploads import download_name, upload_check
from tinhso.testing.files import MINIMAL_PDF, png_bytes

SIGNED = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "signatures"


def _upload(content: bytes, name: str = "to-khai.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _codes(content: bytes, name: str = "to-khai.pdf") -> str | None:
    with pytest.raises(ValidationError) as refused:
        upload_check(_upload(content, name))
    return refused.value.code


@pytest.mark.skipif(not SIGNED.exists(), reason="shared/data is beside the project in CI")
def test_real_signed_government_pdfs_are_accepted():
    for path in sorted(SIGNED.glob("*.signed.pdf")):
        checked = upload_check(_upload(path.read_bytes(), path.name))
        assert checked.content_type == "application/pdf" and checked.extension == ".pdf"


def test_an_html_page_dressed_as_a_pdf_is_refused():
    polyglot = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n"
    assert _codes(polyglot, "to-khai.html") == "bad_type"


def _pdf_with(**catalog) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    for key, value in catalog.items():
        writer._root_object[NameObject(f"/{key}")] = value
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_that_runs_javascript_when_opened_is_refused():
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )
    assert _codes(_pdf_with(OpenAction=action)) == "active_content"


def test_a_pdf_that_launches_a_program_is_refused():
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    )
    assert _codes(_pdf_with(OpenAction=action)) == "active_content"


def test_a_plain_generated_pdf_is_accepted():
    assert upload_check(_upload(_pdf_with())).extension == ".pdf"
    assert upload_check(_upload(MINIMAL_PDF)).extension == ".pdf"


def test_an_image_too_large_to_decode_is_refused_from_its_header(settings):
    settings.UPLOAD_MAX_PIXELS = 10_000
    assert _codes(png_bytes((200, 200)), "anh.png") == "too_many_pixels"
    settings.UPLOAD_MAX_PIXELS = 40_000_000
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")  # small file, 144 megapixels
    assert _codes(out.getvalue(), "anh.png") == "too_many_pixels"


def test_downloads_carry_the_checked_types_extension():
    assert download_name("to-khai.html", ".pdf") == "to-khai.pdf"
    assert download_name("ảnh chụp CCCD.PNG", ".png") == "ảnh chụp CCCD.png"
    assert download_name('a"b;c.exe', ".jpg") == "abc.jpg"
    assert download_name("", ".pdf") == "tep.pdf"
    assert download_name("../../etc/passwd", ".pdf") == "passwd.pdf"
