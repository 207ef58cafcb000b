"""A report's charts as SVG: horizontal bars, one row per label, one bar per series. The same
markup is drawn in the panel (inline, no script, no style sheet needed) and placed in the PDF
(fpdf2 draws SVG with the bundled font), so both show the same chart.

Colours are the Okabe–Ito ones the check-in chart uses (told apart by colour-blind readers too),
and every series also differs by pattern: the second series is drawn as an outline. A value
not shown (a suppressed count) gets its reason in words where its bar would be.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from markupsafe import Markup, escape

__all__ = ["FACES", "Series", "bar_chart"]

_WIDTH = 640
_LABEL_WIDTH = 190
_ROW = 30
_BAR = 20
_TOP = 12
_FONT = "Atkinson Hyperlegible, Atkinson, sans-serif"
_ids = count(1)


_EYES = '<circle cx="8.8" cy="9.5" r="1.3" fill="#111111" stroke="none"/>' \
    '<circle cx="15.2" cy="9.5" r="1.3" fill="#111111" stroke="none"/>'
#: The feedback faces as the tablets draw them (facilitator/static/tablet.js, face_*), on a
#: 24 x 24 grid, so the report shows the same faces as the tablets did.
FACES = {
    "good": '<circle cx="12" cy="12" r="9.5"/>' + _EYES +
            '<path d="M7.5 14c1.1 2 2.7 3 4.5 3s3.4-1 4.5-3"/>',
    "okay": '<circle cx="12" cy="12" r="9.5"/>' + _EYES + '<path d="M8 15.5h8"/>',
    "hard": '<circle cx="12" cy="12" r="9.5"/>' + _EYES +
            '<path d="M7.5 17c1.1-2 2.7-3 4.5-3s3.4 1 4.5 3"/>',
}


@dataclass(frozen=True)
class Series:
    """One series of bars: its name (for the legend), its values by row (None: not shown)."""

    name: str
    values: Sequence[float | None]
    colour: str = "#0072B2"
    outline: bool = False
    notes: Sequence[str] = ()
    """Per row, what to write where a value is not shown (default: the chart's
    ``hidden_text``)."""


def _plain(label: str) -> str:
    """A label without emoji (the PDF's font has none; the words say the same)."""
    return " ".join("".join(c for c in label if ord(c) <= 0xFFFF and c != "\ufe0f").split())


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def bar_chart(title: str, description: str, labels: Sequence[str], series: Sequence[Series],
              *, maximum: float | None = None, hidden_text: str = "",
              number: object = None, pictures: Sequence[str] = ()) -> Markup:
    """An SVG bar chart. ``maximum`` fixes the scale (10 for check-in scores), else the
    largest value sets it; ``hidden_text`` is written where a value is not shown; ``number``
    formats a value (default: whole numbers, one decimal otherwise); ``pictures`` are drawings
    on a 24 x 24 grid (such as :data:`FACES`), one per label, drawn beside its words."""
    chart_id = f"chart-{next(_ids)}"
    fmt = number if callable(number) else _number
    rows = len(labels) * len(series)
    legend = 26 if len(series) > 1 else 0
    height = _TOP + rows * _ROW + (len(labels) - 1) * 8 + legend + 10
    largest = maximum or max([v for s in series for v in s.values if v is not None] or [1])
    span = _WIDTH - _LABEL_WIDTH - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" viewBox="0 0 {_WIDTH} {height}" '
        f'width="{_WIDTH}" height="{height}" font-family="{_FONT}" font-size="14">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{_WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    y = _TOP
    for row, label in enumerate(labels):
        block = len(series) * _ROW
        picture = pictures[row] if row < len(pictures) else ""
        if picture:
            parts.append(f'<g transform="translate({_LABEL_WIDTH - 32} {y + block / 2 - 12:.1f})"'
                         f' fill="none" stroke="#111111" stroke-width="1.8" '
                         f'stroke-linecap="round">{picture}</g>')
        parts.append(f'<text x="{_LABEL_WIDTH - (38 if picture else 8)}" '
                     f'y="{y + block / 2 + 5:.1f}" text-anchor="end" fill="#111111">'
                     f'{escape(_plain(label)[:28])}</text>')
        for one in series:
            value = one.values[row] if row < len(one.values) else None
            if value is None:
                note = one.notes[row] if row < len(one.notes) else hidden_text
                parts.append(f'<text x="{_LABEL_WIDTH + 4}" y="{y + _BAR / 2 + 5:.1f}" '
                             f'fill="#444444">{escape(note)}</text>')
            else:
                width = max(0.0, span * min(float(value), largest) / largest)
                fill = "#ffffff" if one.outline else one.colour
                parts.append(f'<rect x="{_LABEL_WIDTH}" y="{y}" width="{width:.1f}" '
                             f'height="{_BAR}" fill="{fill}" stroke="{one.colour}" '
                             f'stroke-width="2"/>')
                parts.append(f'<text x="{_LABEL_WIDTH + width + 6:.1f}" '
                             f'y="{y + _BAR / 2 + 5:.1f}" fill="#111111">'
                             f'{escape(fmt(value))}</text>')
            y += _ROW
        y += 8
    parts.append(f'<line x1="{_LABEL_WIDTH}" y1="{_TOP - 4}" x2="{_LABEL_WIDTH}" '
                 f'y2="{y - 8}" stroke="#555555" stroke-width="1"/>')
    if legend:
        x = _LABEL_WIDTH
        for one in series:
            fill = "#ffffff" if one.outline else one.colour
            parts.append(f'<rect x="{x}" y="{y + 4}" width="16" height="16" fill="{fill}" '
                         f'stroke="{one.colour}" stroke-width="2"/>')
            parts.append(f'<text x="{x + 22}" y="{y + 17}" fill="#111111">'
                         f'{escape(_plain(one.name))}</text>')
            x += 30 + 8 * len(one.name)
    parts.append("</svg>")
    return Markup("".join(parts))
