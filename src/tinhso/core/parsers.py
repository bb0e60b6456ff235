"""Request parsers of the API (a module of its own: DRF's settings import it at start-up).

Each puts the text it parses in NFC (ADR 8), so the API reads "Đặng" the same however the
client's keyboard composed it."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers

from tinhso.core.text import nfc_data, nfc_querydict


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing (400) a body nested too deeply for Python to read instead of
    failing with a ``RecursionError`` (a server error)."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            return nfc_data(super().parse(stream, media_type, parser_context))
        except RecursionError:
            raise exceptions.ParseError(_("The JSON body is nested too deeply.")) from None


class FormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        return nfc_querydict(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        result = super().parse(stream, media_type, parser_context)
        return parsers.DataAndFiles(nfc_querydict(result.data), result.files)
