"""The kit every Headway chart is drawn with: palette, font, text, lines, axes and the accessible
`<svg>` opening (pure; no Django).

One kit so that an XmR chart and a forecast fan chart on the same board pack page look like one
product, and so that the accessibility rules are kept in one place:

- every mark has at least 3:1 contrast with the white background (WCAG 2.2, 1.4.11) and text at
  least 4.5:1 (1.4.3); the palette below gives each colour's ratio and `tests/test_svg.py` checks
  them;
- every chart opens with `role="img"`, a `<title>` and a `<desc>` it is labelled by, so a screen
  reader announces the chart's name and its numbers in words;
- every text element names its font family, so the page and the PDF (WeasyPrint) set it alike.

Everything that takes text escapes it, so the caller can mark the finished string as safe.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

FONT = "'Frutiger W01', Arial, Helvetica, sans-serif"
BACKGROUND = "#ffffff"

# The palette (contrast with white in brackets). The Making Data Count colours are darkened where
# needed to reach 3:1.
TEXT = "#212b32"  # NHS black (14.4:1)
SECONDARY_TEXT = "#4c6272"  # NHS dark grey (6.4:1)
GRID = "#e8edee"  # gridlines are decoration, not information
AXIS = "#aeb7bd"
GREY = "#7f7f7f"  # MDC grey (4.0:1)
DARK_GREY = "#6b6b6b"  # (5.3:1)
BLUE = "#1d70b8"  # MDC blue darkened from #289de0 (3.0:1) to 5.2:1
ORANGE = "#b35900"  # MDC orange darkened from #fab428 (1.8:1) to 4.8:1
PURPLE = "#490092"  # (12.4:1)
RED = "#d5281b"  # NHS red (5.1:1)
SLATE = "#425563"  # NHS grey 1 (7.8:1)

#: Units written before the number (£12), not after it (12 minutes).
PREFIX_UNITS = frozenset({"£", "$", "€"})

_NARROW = set("ijlt.,:;'|!()[] ")
_WIDE = set("mwMW%@")


def num(number: float) -> str:
    """A coordinate to one decimal place, without a needless ".0"."""
    return f"{number:.1f}".rstrip("0").rstrip(".")


def text_width(text: str, size: float) -> float:
    """Roughly how wide Arial sets `text`, erring wide: labels must not collide when the real font
    (Frutiger on screen, whatever WeasyPrint finds) is a little wider."""
    ems = 0.0
    for char in text:
        if char in _NARROW:
            ems += 0.3
        elif char in _WIDE:
            ems += 0.85
        elif char.isupper():
            ems += 0.68
        else:
            ems += 0.52
    return ems * size


def text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = 12,
    anchor: str = "start",
    fill: str = SECONDARY_TEXT,
    bold: bool = False,
    attrs: str = "",
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{num(x)}" y="{num(y)}" font-family="{FONT}" font-size="{num(size)}" fill="{fill}" '
        f'text-anchor="{anchor}"{weight}{attrs}>{escape(content)}</text>'
    )


def line(
    x1: float, y1: float, x2: float, y2: float, colour: str, width: float = 1, dash: str = "", attrs: str = ""
) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" stroke="{colour}" '
        f'stroke-width="{width:g}"{dash_attr}{attrs}/>'
    )


def title(content: str) -> str:
    """A tooltip (and accessible name) for the element it is placed in."""
    return f"<title>{escape(content)}</title>"


def document(kind: str, uid: str, width: int, height: int, chart_title: str, desc: str, extra: str = "") -> list[str]:
    """The opening of an accessible chart: the `<svg>` labelled by its title and description, and
    a white background (the contrast ratios are measured against it). Close it with "</svg>"."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-{kind}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{uid}-title {uid}-desc" '
        f'font-family="{FONT}"{extra}>',
        f'<title id="{uid}-title">{escape(chart_title)}</title>',
        f'<desc id="{uid}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="{BACKGROUND}"/>',
    ]


# Scales ------------------------------------------------------------------------------------------


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round-numbered ticks (1, 2, 2.5 or 5 × a power of ten) covering low..high."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    if high < low:
        low, high = high, low
    if high == low:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * 0.999)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    return [first + i * step for i in range(round((last - first) / step) + 1)]


def _decimals(step: float) -> int:
    for places in range(0, 12):
        if abs(round(step, places) - step) <= abs(step) * 1e-9:
            return places
    return 12


def tick_labels(ticks: Sequence[float], *, unit: str = "") -> list[str]:
    """Labels with one scale and enough decimals for the step, so that they read as a set (0, 2.5m,
    5m). A prefix unit (£) is written on each label and scales by thousands too (£0, £250k, £500k);
    other units are left to the axis title. Negative numbers take a true minus sign, which screen
    readers say as "minus"."""
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    largest = max(abs(t) for t in ticks)
    money = unit in PREFIX_UNITS
    scale, suffix = 1.0, ""
    if largest >= 1e9:
        scale, suffix = 1e9, "bn"
    elif largest >= 1e6:
        scale, suffix = 1e6, "m"
    elif largest >= 1e3 and money:
        scale, suffix = 1e3, "k"
    places = _decimals(step / scale)
    labels = []
    for tick in ticks:
        number = tick / scale
        if abs(number) < (step / scale) / 1e6:
            number = 0.0  # -0.0 and floating dust read as zero
        sign = "−" if number < 0 else ""
        digits = f"{abs(number):,.{places}f}"
        if money:
            labels.append(f"{sign}{unit}{digits}{suffix if number else ''}")
        else:
            labels.append(f"{sign}{digits}{suffix}")
    return labels


# Axes and legends ----------------------------------------------------------------------------------


def gridlines(
    ticks: Sequence[float], labels: Sequence[str], left: float, right: float, y_of: Callable[[float], float]
) -> list[str]:
    """A light gridline and a label at each tick of the value axis."""
    out = []
    for tick, label in zip(ticks, labels, strict=True):
        y = y_of(tick)
        out.append(line(left, y, right, y, GRID, 1))
        out.append(text(left - 8, y + 4, label, anchor="end"))
    return out


def x_labels(
    xs: Sequence[float], labels: Sequence[str], *, bottom: float, width: float, css_class: str, gap: float = 12
) -> list[str]:
    """Tick marks and labels along the bottom, thinned so that they never overlap, counting back
    from the last so that the latest is always labelled."""
    count = min(len(xs), len(labels))
    if not count:
        return []
    label_width = max(text_width(t, 12) for t in labels[:count]) + gap
    spacing = (xs[1] - xs[0]) if count > 1 else label_width
    every = max(1, math.ceil(label_width / max(spacing, 1e-9)))
    edge = math.inf
    out: list[str] = []
    for index in range(count - 1, -1, -every):
        half = text_width(labels[index], 12) / 2
        x = xs[index]
        centre = min(max(x, half + 2), width - half - 2)
        if centre + half + 6 > edge:
            continue
        edge = centre - half
        out.append(
            line(x, bottom, x, bottom + 4, AXIS, 1)
            + text(centre, bottom + 18, labels[index], anchor="middle", attrs=f' class="{css_class}"')
        )
    return list(reversed(out))


def legend_rows(widths: Sequence[float], available: float) -> list[list[int]]:
    """The legend's items (by index) in rows that fit the width, in order."""
    rows: list[list[int]] = [[]]
    used = 0.0
    for index, item_width in enumerate(widths):
        if rows[-1] and used + item_width > available:
            rows.append([])
            used = 0.0
        rows[-1].append(index)
        used += item_width
    return rows


# Contrast ----------------------------------------------------------------------------------------


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first: str, second: str = BACKGROUND) -> float:
    """The WCAG contrast ratio of two colours given as #rrggbb."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
