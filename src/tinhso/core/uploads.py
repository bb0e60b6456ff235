"""Checking uploaded files by what they contain, not by what they are called.

A PDF must parse as a PDF (pypdf) with at least one page and no script or launch action; an
image must decode (Pillow) within ``UPLOAD_MAX_PIXELS``. Whatever a file was called, it is
stored and downloaded under the extension of its checked type (``download_name``).
"""

import hashlib
import io
import logging
from typing import Any

import filetype
import pypdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a broken upload is our error to report

# Actions that run something when a PDF is opened or clicked (ISO 32000 §12.6.4).
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/ResetForm"}
_ACTIVE_MARKERS = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/XFA")

ALLOWED = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}


class CheckedFile:
    def __init__(self, content: bytes, name: str, content_type: str, extension: str):
        self.content = content
        self.name = name
        self.content_type = content_type
        self.extension = extension
        self.size = len(content)
        self.sha256 = hashlib.sha256(content).hexdigest()


def upload_check(upload, *, max_bytes: int | None = None) -> CheckedFile:
    """Read an uploaded file and accept it only if it really is a PDF, JPEG or PNG."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    name = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][:200]
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s MB.")
            % {"name": name, "limit": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s MB.")
            % {"name": name, "limit": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    if not content:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    kind = filetype.guess(content)
    mime = kind.mime if kind else ""
    if mime not in ALLOWED:
        raise ValidationError(
            _("“%(name)s” is not a PDF, JPEG or PNG file.") % {"name": name}, code="bad_type"
        )
    if mime == "application/pdf":
        _pdf_check(content, name)
    else:
        _image_check(content, name)
    return CheckedFile(content, name, mime, ALLOWED[mime])


def _pdf_check(content: bytes, name: str) -> None:
    """A real PDF: it parses, has pages, and carries no script, launch action or attachment."""
    not_pdf = ValidationError(
        _("“%(name)s” is not a complete PDF file.") % {"name": name}, code="bad_type"
    )
    if b"%%EOF" not in content[-2048:]:
        raise not_pdf
    if any(marker in content for marker in _ACTIVE_MARKERS):
        raise _active_pdf(name)
    try:
        reader = pypdf.PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("“%(name)s” is protected by a password: upload it without one.") % {"name": name},
                code="encrypted",
            )
        if len(reader.pages) < 1:
            raise not_pdf
        if _has_active_content(reader):
            raise _active_pdf(name)
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds on broken files: all mean "not a PDF"
        raise not_pdf from None


def _active_pdf(name: str) -> ValidationError:
    return ValidationError(
        _(
            "“%(name)s” contains scripts or attachments, which are not accepted. Print it to PDF again."
        )
        % {"name": name},
        code="active_content",
    )


def _has_active_content(reader: Any) -> bool:
    """Scripts or launch actions in the catalogue, the pages or their annotations (objects
    inside compressed streams, which a byte scan cannot see)."""
    root = reader.trailer["/Root"]
    if (
        "/JavaScript" in (root.get("/Names") or {})
        or "/AcroForm" in root
        and "/XFA" in (root["/AcroForm"] or {})
    ):
        return True
    actions = [root.get("/OpenAction"), *(root.get("/AA") or {}).values()]
    for page in reader.pages:
        actions.extend((page.get("/AA") or {}).values())
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            actions.append(annotation.get("/A"))
            actions.extend((annotation.get("/AA") or {}).values())
    for action in actions:
        action = action.get_object() if hasattr(action, "get_object") else action
        if isinstance(action, dict) and action.get("/S") in _ACTIVE_ACTIONS:
            return True
    return False


def _image_check(content: bytes, name: str) -> None:
    """A real image, small enough to open: its size is read from the header first."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            if width * height > settings.UPLOAD_MAX_PIXELS:
                raise ValidationError(
                    _("“%(name)s” is too large an image (%(width)s×%(height)s pixels).")
                    % {"name": name, "width": width, "height": height},
                    code="too_many_pixels",
                )
            image.verify()
    except ValidationError:
        raise
    except Exception:
        raise ValidationError(
            _("“%(name)s” is not a readable image.") % {"name": name}, code="bad_type"
        ) from None


def download_name(original: str, extension: str) -> str:
    """The name a stored file is downloaded under: the uploaded name's stem with the extension of
    its checked type, so ``to-khai.html`` that was checked as a PDF downloads as ``to-khai.pdf``."""
    stem = (original or "tep").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = "".join(ch for ch in stem if ch.isprintable() and ch not in '"\\;') or "tep"
    return f"{stem[:150]}{extension}"
