"""The colour pairs of the stylesheet meet WCAG 2.1 AA (4.5:1 for text)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS = Path(settings.BASE_DIR) / "core" / "static" / "tinhso" / "site.css"


def _luminance(hex_colour: str) -> float:
    hex_colour = hex_colour.lstrip("#")
    if len(hex_colour) == 3:
        hex_colour = "".join(c * 2 for c in hex_colour)
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _variables() -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})", CSS.read_text()))


def test_contrast_formula():
    assert round(contrast("#000", "#fff"), 1) == 21.0
    assert contrast("#777777", "#ffffff") < 4.5


@pytest.mark.parametrize(
    ("fg", "bg"),
    [
        ("fg", "bg"),
        ("muted", "bg"),
        ("muted", "soft"),
        ("link", "bg"),
        ("link", "soft"),
        ("brand-fg", "brand"),
        ("brand-fg", "brand-dark"),
        ("bad", "bg"),
        ("ok", "bg"),
        ("warn", "bg"),
    ],
)
def test_text_colours_meet_aa(fg, bg):
    colours = _variables()
    assert contrast(colours[fg], colours[bg]) >= 4.5


@pytest.mark.parametrize(
    ("fg", "bg"),
    [
        ("#146c2e", "#e6f4ea"),  # badge-ok
        ("#8a5300", "#fff4e0"),  # badge-soon
        ("#a3171d", "#fde8e8"),  # badge-late
        ("#0b57a4", "#e8f0fa"),  # badge-info
        ("#5f6b76", "#ffffff"),  # placeholders
        ("#4a5560", "#e6e8eb"),  # disabled buttons
    ],
)
def test_badge_colours_meet_aa(fg, bg):
    assert fg.lower() in CSS.read_text().lower()
    assert contrast(fg, bg) >= 4.5
