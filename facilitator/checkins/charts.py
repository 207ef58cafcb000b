"""The radar chart of a member's check-ins: pure geometry in SVG user units, which the
member's page template draws (no drawing library, no script)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

__all__ = ["radar_chart"]

#: Geometry in SVG user units: the centre, the 10-ring's radius, the canvas.
_WIDTH, _HEIGHT, _CX, _CY, _RADIUS = 640, 470, 320, 235, 160


def _wrap(label: str, width: int = 13) -> list[str]:
    """A long axis label on two lines, split at the space nearest its middle."""
    if len(label) <= width or " " not in label:
        return [label]
    spaces = [i for i, c in enumerate(label) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return [label[:cut], label[cut + 1:]]


def _point(index: int, count: int, value: float, clamp: bool = True) -> tuple[float, float]:
    """Where ``value`` (0 at the centre, 10 on the outer ring) lies on axis ``index``; the
    first axis points straight up, the rest follow clockwise."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    radius = _RADIUS * (max(0.0, min(value, 10.0)) if clamp else value) / 10
    return (round(_CX + radius * math.cos(angle), 1), round(_CY + radius * math.sin(angle), 1))


def radar_chart(labels: Sequence[str],
                series: Sequence[Sequence[float | None]]) -> dict[str, Any] | None:
    """The geometry of a radar chart with one axis per label and 0–10 rings; the template
    draws it. Each series gives a value (or None) per axis; a missing value is left out of
    its polygon. Fewer than three axes make no radar: None."""
    count = len(labels)
    if count < 3:
        return None
    rings = []
    for value in (2, 4, 6, 8, 10):
        points = [_point(i, count, value) for i in range(count)]
        rings.append({"value": value, "points": " ".join(f"{x},{y}" for x, y in points),
                      "label_y": round(_CY - _RADIUS * value / 10, 1)})
    axes = []
    for index, label in enumerate(labels):
        x, y = _point(index, count, 10)
        lx, ly = _point(index, count, 11.2, clamp=False)  # labels just outside the rings
        cos = math.cos(-math.pi / 2 + 2 * math.pi * index / count)
        anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
        lines = _wrap(label)
        if ly < _CY - _RADIUS * 0.8:  # above the chart: grow upwards
            ly -= 18 * (len(lines) - 1)
        elif ly > _CY + _RADIUS * 0.8:  # below: the first line's cap height
            ly += 12
        else:
            ly += 6 - 9 * (len(lines) - 1)
        axes.append({"x": x, "y": y, "label_x": lx, "label_y": round(ly, 1),
                     "anchor": anchor, "lines": lines})
    drawn = []
    for values in series:
        dots = [{"x": x, "y": y, "value": v, "axis": i}
                for i, v in enumerate(values) if v is not None
                for x, y in [_point(i, count, v)]]
        drawn.append({"points": " ".join(f"{d['x']},{d['y']}" for d in dots), "dots": dots})
    return {"width": _WIDTH, "height": _HEIGHT, "cx": _CX, "cy": _CY, "rings": rings,
            "axes": axes, "series": drawn}
