"""Checking uploaded files by what they contain, not by what they are called."""

import hashlib
import io

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

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
        if b"%%EOF" not in content[-2048:]:
            raise ValidationError(
                _("“%(name)s” is not a complete PDF file.") % {"name": name}, code="bad_type"
            )
    else:
        try:
            with Image.open(io.BytesIO(content)) as image:
                image.verify()
        except Exception:
            raise ValidationError(
                _("“%(name)s” is not a readable image.") % {"name": name}, code="bad_type"
            ) from None
    return CheckedFile(content, name, mime, ALLOWED[mime])
