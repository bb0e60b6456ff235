"""A stacked bar chart as inline SVG, drawn on the server (no JavaScript library)."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from tinhso.core.numbers import number

# Fill colours with at least 3:1 contrast against white (WCAG 1.4.11, non-text contrast).
COLOURS = ("#146c2e", "#a3171d", "#5b6670")


def _n(value: float) -> str:
    return f"{value:.1f}"


def bar_chart(
    bars: list[tuple], *, series: list[str], title: str, width: int = 520, height: int = 240
) -> SafeString:
    """``bars``: (label, value of series 1, value of series 2, …). The table next to the chart
    carries the same numbers for screen readers; the chart has a title and a short description."""
    left, bottom, top = 40, 28, 14
    plot_h = height - bottom - top
    highest = max((sum(bar[1:]) for bar in bars), default=0) or 1
    step = (width - left) / max(len(bars), 1)
    bar_w = step * 0.7
    shapes = []
    for i, (label, *values) in enumerate(bars):
        x = left + i * step + (step - bar_w) / 2
        y = top + plot_h
        for colour, name, value in zip(COLOURS, series, values, strict=False):
            if not value:
                continue
            h = plot_h * value / highest
            y -= h
            shapes.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}: {} {}</title></rect>",
                    _n(x),
                    _n(y),
                    _n(bar_w),
                    _n(h),
                    colour,
                    label,
                    name,
                    number(value),
                )
            )
        shapes.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="16">{}</text>',
                _n(x + bar_w / 2),
                height - 6,
                label,
            )
        )
    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#4a5560"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="16">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" font-size="16">0</text>',
        left,
        top + plot_h,
        width,
        top + plot_h,
        left - 4,
        top + 10,
        number(highest),
        left - 4,
        top + plot_h,
    )
    legend = format_html_join(
        "",
        '<li><span class="swatch" style="background:{}"></span>{}</li>',
        zip(COLOURS, series, strict=False),
    )
    description = "; ".join(
        f"{label}: "
        + ", ".join(f"{name} {number(value)}" for name, value in zip(series, values, strict=False))
        for label, *values in bars
    )
    return format_html(
        '<figure class="chart"><svg viewBox="0 0 {} {}" role="img" aria-labelledby="chart-title '
        'chart-desc" preserveAspectRatio="xMidYMid meet"><title id="chart-title">{}</title>'
        '<desc id="chart-desc">{}</desc>{}{}</svg><figcaption><ul class="legend">{}</ul>'
        "</figcaption></figure>",
        width,
        height,
        title,
        description,
        axis,
        SafeString("".join(shapes)),
        legend,
    )
