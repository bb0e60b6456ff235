"""The portal's home-screen icons, drawn with Pillow (no third-party artwork).

Regenerate the committed PNGs with ``.venv/bin/python -m tinhso.portal.icons``.
"""

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZES = (180, 192, 512)
RED = (163, 23, 29)
GOLD = (255, 205, 0)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
OUT = Path(__file__).resolve().parent.parent / "core" / "static" / "tinhso" / "icons"


def _star(cx: float, cy: float, outer: float) -> list[tuple[float, float]]:
    inner = outer * 0.382
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def icon_draw(size: int) -> Image.Image:
    """A gold star over "TS" on the province red; the motif stays inside the maskable safe zone."""
    scale = 4  # draw large, then shrink: smooth edges
    big = size * scale
    image = Image.new("RGB", (big, big), RED)
    draw = ImageDraw.Draw(image)
    draw.polygon(_star(big / 2, big * 0.40, big * 0.20), fill=GOLD)
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    try:
        font = ImageFont.truetype(FONT, big * 0.15)
        label = "TỈNH SỐ"
    except OSError:  # no DejaVu: the built-in font has no Vietnamese letters
        font = ImageFont.load_default(size=big * 0.17)
        label = "TS"
    draw.text((big / 2, big * 0.72), label, fill="white", font=font, anchor="mm")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def icons_write(directory: Path = OUT) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for size in SIZES:
        path = directory / f"icon-{size}.png"
        icon_draw(size).save(path, optimize=True)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in icons_write():
        print(path)
