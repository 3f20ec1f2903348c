"""XmR charts as SVG, drawn in the manner of NHS England's "Making Data Count" (MDC).

Board members already read MDC charts, so the conventions are theirs: a grey data line with its
points; a solid centre line (the mean) and process limits for each period, broken where the
limits were recalculated; a red dashed target line; points showing special cause variation in
blue (improvement), orange (concern) or purple (a change where neither direction is better);
and the variation and assurance icons in the top-right corner. The icons are our own drawings of
what the MDC icons mean, not copies of them.

Colours are darker than MDC's own so that every mark has at least 3:1 contrast with the white
chart background (WCAG 2.2, 1.4.11) and the icons' white letters at least 4.5:1 (1.4.3). Colour
is never the only cue: special-cause points also differ in shape, a legend names every mark, and
the chart carries a sentence in words (`<desc>`) and a companion data table (`chart()` and
`templates/metrics/_chart.html`).

SVG, not a script-drawn canvas, so that the page and a future PDF (WeasyPrint) show the same
chart; every text element names its font family for the same reason.

`xmr_svg` and `chart` are pure: they read a `Series` (already analysed by `spc.analyse`) and
issue no database queries.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from headway.metrics import spc

if TYPE_CHECKING:
    from headway.metrics.series import Series

FONT = "'Frutiger W01', Arial, Helvetica, sans-serif"

# Colours (contrast with white in brackets).
TEXT = "#212b32"  # NHS black (14.4:1)
SECONDARY_TEXT = "#4c6272"  # NHS dark grey (6.4:1)
GRID = "#e8edee"  # gridlines are decoration, not information
AXIS = "#aeb7bd"
DATA_LINE = "#7f7f7f"  # MDC grey (4.0:1)
COMMON = "#6b6b6b"  # common cause points and icon (5.3:1)
IMPROVEMENT = "#1d70b8"  # MDC blue darkened from #289de0 (3.0:1) to 5.2:1
CONCERN = "#b35900"  # MDC orange darkened from #fab428 (1.8:1) to 4.8:1
NEUTRAL = "#490092"  # purple (12.4:1)
MEAN_LINE = TEXT
LIMIT_LINE = "#425563"  # NHS grey 1 (7.8:1)
TARGET_LINE = "#d5281b"  # NHS red (5.1:1)
PERIOD_BREAK = "#425563"

POINT_COLOURS = {
    "improvement": IMPROVEMENT,
    "concern": CONCERN,
    "neutral_high": NEUTRAL,
    "neutral_low": NEUTRAL,
    "neither": COMMON,
}

SPECIAL_CAUSE_WORDS = {
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral_high": "Special cause: unusually high",
    "neutral_low": "Special cause: unusually low",
    "neither": "Common cause",
}

RULE_WORDS = {
    "astronomical": "a point outside the process limits",
    "trend": "7 points in a row rising or falling",
    "two_in_three": "2 of 3 points close to a limit",
    "shift": "7 points in a row on one side of the mean",
}

# (letter on the icon, colour, what it means in words).
VARIATION_ICONS: dict[str, tuple[str, str, str]] = {
    "common_cause": ("", COMMON, "Common cause variation: no sign of a real change"),
    "improvement_high": ("H", IMPROVEMENT, "Special cause improvement: unusually high, and higher is better"),
    "improvement_low": ("L", IMPROVEMENT, "Special cause improvement: unusually low, and lower is better"),
    "concern_high": ("H", CONCERN, "Special cause concern: unusually high, and lower is better"),
    "concern_low": ("L", CONCERN, "Special cause concern: unusually low, and higher is better"),
    "neutral_high": ("H", NEUTRAL, "Special cause variation: unusually high (neither direction is better)"),
    "neutral_low": ("L", NEUTRAL, "Special cause variation: unusually low (neither direction is better)"),
}
ASSURANCE_ICONS: dict[str, tuple[str, str, str]] = {
    "pass": ("P", IMPROVEMENT, "Will consistently meet the target: the target is outside the process limits, "
             "on the side it passes"),
    "fail": ("F", CONCERN, "Will consistently miss the target unless something changes: the target is outside "
             "the process limits, on the side it fails"),
    "inconsistent": ("?", COMMON, "Will sometimes meet and sometimes miss the target: the target lies between "
                     "the process limits"),
}

KIND_LABELS = {
    "outcome": "Outcome",
    "adoption": "Adoption",
    "experience": "Experience",
    "financial": "Financial",
    "activity": "Activity — not a measure of impact",
}

_ids = itertools.count(1)


# Words -----------------------------------------------------------------------------------------


def variation_words(icon: str | None) -> str:
    if not icon:
        return "Variation not assessed: there is not enough data yet"
    return VARIATION_ICONS.get(icon, ("", COMMON, icon.replace("_", " ").capitalize()))[2]


def assurance_words(icon: str | None, target: float | None) -> str:
    if icon:
        return ASSURANCE_ICONS.get(icon, ("", COMMON, icon.capitalize()))[2]
    if target is None:
        return "No target set, so no assurance icon"
    return "Assurance not assessed"


def special_cause_words(cause: str | None, rule: str | None = None) -> str:
    if cause is None:
        return ""
    words = SPECIAL_CAUSE_WORDS.get(cause, cause.replace("_", " ").capitalize())
    if cause != "neither" and rule:
        words += f" ({RULE_WORDS.get(rule, rule.replace('_', ' '))})"
    return words


# Numbers ---------------------------------------------------------------------------------------


def _finite(value: float | None) -> bool:
    return value is not None and isinstance(value, int | float) and math.isfinite(value)


def format_number(value: float | None) -> str:
    """A value as a board member would write it: thousands separated, no needless decimals."""
    if value is None or not _finite(value):
        return ""
    size = abs(value)
    if size >= 100_000 or (size >= 1000 and float(value).is_integer()):
        return f"{value:,.0f}"
    if size >= 1000:
        return f"{value:,.1f}"
    if size >= 1 or size == 0:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    text = f"{value:.3g}"
    return text


_PREFIX_UNITS = {"£", "$", "€"}


def with_unit(text: str, unit: str) -> str:
    if not text or not unit:
        return text
    if unit == "%":
        return f"{text}%"
    if unit in _PREFIX_UNITS:
        return f"-{unit}{text[1:]}" if text.startswith("-") else f"{unit}{text}"
    return f"{text} {unit}"


def _decimals(step: float) -> int:
    for places in range(0, 12):
        if abs(round(step, places) - step) <= abs(step) * 1e-9:
            return places
    return 12


def _tick_text(value: float, step: float, scale: float, suffix: str) -> str:
    places = _decimals(step / scale)
    number = value / scale
    if abs(number) < (step / scale) / 1e6:
        number = 0.0  # -0.0 and floating dust read as zero
    return f"{number:,.{places}f}{suffix}"


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
    n = round((last - first) / step)
    return [first + i * step for i in range(n + 1)]


def _tick_labels(ticks: Sequence[float]) -> list[str]:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    largest = max(abs(t) for t in ticks)
    scale, suffix = 1.0, ""
    if largest >= 1e9:
        scale, suffix = 1e9, "bn"
    elif largest >= 1e6:
        scale, suffix = 1e6, "m"
    return [_tick_text(t, step, scale, suffix) for t in ticks]


_NARROW = set("ijlt.,:;'|!()[] ")
_WIDE = set("mwMW%@")


def _text_width(text: str, size: float) -> float:
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


# Drawing ---------------------------------------------------------------------------------------


def _f(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _text(
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
        f'<text x="{_f(x)}" y="{_f(y)}" font-family="{FONT}" font-size="{_f(size)}" fill="{fill}" '
        f'text-anchor="{anchor}"{weight}{attrs}>{escape(content)}</text>'
    )


def _marker(cause: str, x: float, y: float, size: float, *, attrs: str = "", title: str = "") -> str:
    """Common cause: a small circle. Improvement: a square. Concern: a diamond. Neutral: a triangle."""
    colour = POINT_COLOURS.get(cause, COMMON)
    if cause == "improvement":
        s = size * 0.95
        tag, shape = "path", f'd="M{_f(x - s)} {_f(y - s)}h{_f(2 * s)}v{_f(2 * s)}h{_f(-2 * s)}Z"'
    elif cause == "concern":
        s = size * 1.35
        tag, shape = "path", f'd="M{_f(x)} {_f(y - s)}L{_f(x + s)} {_f(y)}L{_f(x)} {_f(y + s)}L{_f(x - s)} {_f(y)}Z"'
    elif cause in ("neutral_high", "neutral_low"):
        s = size * 1.3
        tag, shape = "path", (
            f'd="M{_f(x)} {_f(y - s)}L{_f(x + s)} {_f(y + s * 0.8)}L{_f(x - s)} {_f(y + s * 0.8)}Z"'
        )
    else:
        tag, shape = "circle", f'cx="{_f(x)}" cy="{_f(y)}" r="{_f(size * 0.7)}"'
    outline = ' stroke="#ffffff" stroke-width="1"' if tag == "path" else ""
    opening = f'<{tag} {shape} fill="{colour}"{outline}{attrs}'
    if title:
        return f"{opening}><title>{escape(title)}</title></{tag}>"
    return f"{opening}/>"


def _legend_line(x: float, y: float, colour: str, dash: str, width: float = 2) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_f(x)}" y1="{_f(y)}" x2="{_f(x + 22)}" y2="{_f(y)}" stroke="{colour}" '
        f'stroke-width="{_f(width)}"{dash_attr}/>'
    )


def _badge(cx: float, cy: float, r: float, letter: str, colour: str, words: str, kind: str, icon: str) -> str:
    parts = [
        f'<g class="app-xmr__icon app-xmr__icon--{kind}" data-icon="{escape(icon)}">',
        f"<title>{escape(words)}</title>",
        f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(r)}" fill="{colour}"/>',
        f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(r - 3)}" fill="none" stroke="#ffffff" stroke-width="1.5"/>',
    ]
    if letter:
        parts.append(_text(cx, cy + r * 0.36, letter, size=r * 1.05, anchor="middle", fill="#ffffff", bold=True))
    else:
        # Common cause: a level wavy line, "nothing out of the ordinary".
        w = r * 0.55
        parts.append(
            f'<path d="M{_f(cx - w)} {_f(cy)}q{_f(w / 2)} {_f(-w / 2)} {_f(w)} 0t{_f(w)} 0" fill="none" '
            f'stroke="#ffffff" stroke-width="2" stroke-linecap="round"/>'
        )
    parts.append("</g>")
    return "".join(parts)


@dataclass(frozen=True)
class _Layout:
    left: float
    right: float
    top: float
    bottom: float
    low: float
    high: float
    count: int

    def x(self, index: float) -> float:
        if self.count <= 1:
            return (self.left + self.right) / 2
        inset = min(12.0, (self.right - self.left) / (2 * self.count))
        return self.left + inset + index * (self.right - self.left - 2 * inset) / (self.count - 1)

    def y(self, value: float) -> float:
        return self.bottom - (value - self.low) * (self.bottom - self.top) / (self.high - self.low)


def _index_of(periods: Sequence[Any], when: Any) -> int | None:
    """The index of the first period on or after `when`; None if it is after the last."""
    for index, period in enumerate(periods):
        if period >= when:
            return index
    return None


def _values(series: Series) -> list[float | None]:
    return [v if _finite(v) else None for v in series.values]


def _point_list(result: Any, name: str, count: int) -> list[Any]:
    values = list(getattr(result, name, ()) or ())
    return values + [None] * (count - len(values)) if len(values) < count else values[:count]


def summary(series: Series) -> str:
    """The chart in a few sentences: what a screen reader says, and the figure's description."""
    metric = series.metric
    unit = metric.unit or ""
    values = _values(series)
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if not known:
        return f"{metric.name}: no data has been recorded yet."
    result = series.result
    last_index, last_value = known[-1]
    label = series.labels[last_index] if last_index < len(series.labels) else ""
    sentences = [
        f"{metric.name}: {len(known)} point{'s' if len(known) != 1 else ''}"
        + (f" from {series.labels[known[0][0]]} to {label}." if len(known) > 1 else f" ({label}).")
    ]
    sentences.append(f"The latest value is {with_unit(format_number(last_value), unit)} ({label}).")
    periods = list(getattr(result, "periods", ()) or ())
    if periods:
        current = periods[-1]
        if _finite(current.mean):
            text = f"The mean is {with_unit(format_number(current.mean), unit)}"
            if _finite(current.lpl) and _finite(current.upl):
                text += (
                    f" and the process limits are {with_unit(format_number(current.lpl), unit)} "
                    f"to {with_unit(format_number(current.upl), unit)}"
                )
            sentences.append(text + (" (trial limits: too few points to be sure)." if current.trial else "."))
        if len(periods) > 1:
            times = {2: "once", 3: "twice"}.get(len(periods), f"{len(periods) - 1} times")
            sentences.append(f"The limits were recalculated {times}.")
    if metric.target_value is not None:
        sentences.append(f"The target is {with_unit(format_number(metric.target_value), unit)}.")
    causes = _point_list(result, "special_cause", len(values))
    unusual = sum(1 for c, v in zip(causes, values, strict=True) if v is not None and c not in (None, "neither"))
    if unusual:
        sentences.append(f"{unusual} point{'s show' if unusual != 1 else ' shows'} special cause variation.")
    sentences.append(variation_words(getattr(result, "variation_icon", None)) + ".")
    assurance = getattr(result, "assurance_icon", None)
    if assurance or metric.target_value is not None:
        sentences.append(assurance_words(assurance, metric.target_value) + ".")
    return " ".join(sentences)


def xmr_svg(series: Series, *, width: int = 720, height: int = 300, title: str | None = None) -> SafeString:
    """The series as an XmR chart in SVG markup, safe to put in a template as it is."""
    metric = series.metric
    result = series.result
    values = _values(series)
    n = len(values)
    known = [v for v in values if v is not None]
    unit = metric.unit or ""
    target = metric.target_value if _finite(metric.target_value) else None
    causes = _point_list(result, "special_cause", n)
    rules = _point_list(result, "special_cause_rule", n)
    periods = [p for p in (getattr(result, "periods", ()) or ()) if 0 <= p.first_index <= p.last_index < max(n, 1)]
    trial = any(p.trial for p in periods)
    uid = f"xmr-{metric.pk or 'new'}-{next(_ids)}"
    chart_title = title or f"{metric.name}: XmR chart"

    # Legend entries first: their rows set the plot's height.
    present = {c for c, v in zip(causes, values, strict=True) if v is not None}
    legend: list[tuple[str, str]] = [("point:neither", "Common cause")]
    if "improvement" in present:
        legend.append(("point:improvement", "Improvement"))
    if "concern" in present:
        legend.append(("point:concern", "Concern"))
    if present & {"neutral_high", "neutral_low"}:
        legend.append(("point:neutral_high", "Unusual (neither better nor worse)"))
    if any(_finite(p.mean) for p in periods):
        legend.append(("line:mean", "Mean"))
    if any(_finite(p.upl) or _finite(p.lpl) for p in periods):
        legend.append(("line:limits", "Trial process limits" if trial else "Process limits"))
    if target is not None:
        legend.append(("line:target", f"Target {with_unit(format_number(target), unit)}"))
    if series.rebase_at:
        legend.append(("line:break", "Limits recalculated"))
    legend_size = 12.0
    item_widths = [26 + _text_width(text, legend_size) + 12 for _, text in legend]
    rows: list[list[int]] = [[]]
    used = 0.0
    for index, item_width in enumerate(item_widths):
        if rows[-1] and used + item_width > width - 16:
            rows.append([])
            used = 0.0
        rows[-1].append(index)
        used += item_width
    legend_height = 20 * len(rows) + 6 if known else 0

    # The y scale covers the data, the limits and the target.
    extent = list(known)
    for p in periods:
        extent += [v for v in (p.mean, p.lpl, p.upl) if _finite(v)]
    if target is not None and known:
        extent.append(target)
    if extent:
        # A little headroom, so the target's label and the highest point clear the top line.
        pad = (max(extent) - min(extent)) * 0.04
        ticks = nice_ticks(min(extent) - pad, max(extent) + pad)
    else:
        ticks = [0.0, 1.0]
    tick_labels = _tick_labels(ticks)
    left = 14 + max(_text_width(t, 12) for t in tick_labels)
    left = max(left, 12 + _text_width(unit, 12) / 2) if unit else left
    layout = _Layout(
        left=left,
        right=width - 16,
        top=46,
        bottom=height - 30 - legend_height,
        low=ticks[0],
        high=ticks[-1],
        count=n,
    )

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-xmr" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{uid}-title {uid}-desc" '
        f'font-family="{FONT}" data-points="{len(known)}">',
        f'<title id="{uid}-title">{escape(chart_title)}</title>',
        f'<desc id="{uid}-desc">{escape(summary(series))}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]

    # Unit, above the y-axis labels.
    if unit:
        out.append(_text(8, 24, unit, anchor="start", fill=SECONDARY_TEXT))

    if not known:
        out.append(
            f'<rect x="{_f(layout.left)}" y="{_f(layout.top)}" width="{_f(layout.right - layout.left)}" '
            f'height="{_f(max(layout.bottom - layout.top, 10))}" fill="#f0f4f5"/>'
        )
        out.append(
            _text((layout.left + layout.right) / 2, (layout.top + layout.bottom) / 2 + 5, "No data yet", size=16,
                  anchor="middle", fill=SECONDARY_TEXT)
        )
        out.append("</svg>")
        return mark_safe("".join(out))  # every piece of text above is escaped

    # Gridlines and y-axis labels.
    out.append('<g class="app-xmr__axis">')
    for tick, label in zip(ticks, tick_labels, strict=True):
        y = layout.y(tick)
        out.append(
            f'<line x1="{_f(layout.left)}" y1="{_f(y)}" x2="{_f(layout.right)}" y2="{_f(y)}" stroke="{GRID}" '
            f'stroke-width="1"/>'
        )
        out.append(_text(layout.left - 8, y + 4, label, anchor="end"))
    out.append(
        f'<line x1="{_f(layout.left)}" y1="{_f(layout.bottom)}" x2="{_f(layout.right)}" y2="{_f(layout.bottom)}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )
    # x-axis labels, thinned so they never overlap; the latest period is always labelled.
    label_width = max((_text_width(t, 12) for t in series.labels), default=40) + 12
    spacing = (layout.x(1) - layout.x(0)) if n > 1 else label_width
    every = max(1, math.ceil(label_width / max(spacing, 1e-9)))
    edge = math.inf
    x_labels: list[str] = []
    for index in range(min(n, len(series.labels)) - 1, -1, -every):
        text = series.labels[index]
        half = _text_width(text, 12) / 2
        x = layout.x(index)
        centre = min(max(x, half + 2), width - half - 2)
        if centre + half + 6 > edge:
            continue
        edge = centre - half
        x_labels.append(
            f'<line x1="{_f(x)}" y1="{_f(layout.bottom)}" x2="{_f(x)}" y2="{_f(layout.bottom + 4)}" stroke="{AXIS}"/>'
            + _text(centre, layout.bottom + 18, text, anchor="middle", attrs=' class="app-xmr__x"')
        )
    out.extend(reversed(x_labels))
    out.append("</g>")

    # Period breaks (limits recalculated) and other annotations, numbered as in the table.
    marks = annotation_marks(series)
    out.append('<g class="app-xmr__annotations">')
    for number, index, text, rebase in marks:
        x = (layout.x(index - 0.5) if index > 0 else layout.x(0)) if rebase else layout.x(index)
        if rebase:
            out.append(
                f'<line class="app-xmr__break" x1="{_f(x)}" y1="{_f(layout.top - 6)}" x2="{_f(x)}" '
                f'y2="{_f(layout.bottom)}" stroke="{PERIOD_BREAK}" stroke-width="1.5" stroke-dasharray="5 4">'
                f"<title>{escape(text)}</title></line>"
            )
        out.append(
            f'<g class="app-xmr__note"><title>{escape(f"Note {number}: {text}")}</title>'
            f'<rect x="{_f(x - 8)}" y="{_f(layout.top - 26)}" width="16" height="16" rx="2" fill="#ffffff" '
            f'stroke="{PERIOD_BREAK}"/>'
            + _text(x, layout.top - 14, str(number), size=11, anchor="middle", fill=TEXT)
            + "</g>"
        )
    out.append("</g>")

    # Mean and process limits, one set per period.
    out.append('<g class="app-xmr__limits">')
    for period in periods:
        x1, x2 = layout.x(period.first_index), layout.x(period.last_index)
        if period.first_index == period.last_index:
            x1, x2 = x1 - 6, x2 + 6
        limit_dash = ' stroke-dasharray="6 4"' if period.trial else ""
        for value, cls, colour, stroke, dash in (
            (period.upl, "upl", LIMIT_LINE, 1.5, limit_dash),
            (period.lpl, "lpl", LIMIT_LINE, 1.5, limit_dash),
            (period.mean, "mean", MEAN_LINE, 1.75, ""),
        ):
            if not _finite(value):
                continue
            y = layout.y(value)
            out.append(
                f'<line class="app-xmr__{cls}{" app-xmr__trial" if period.trial and cls != "mean" else ""}" '
                f'x1="{_f(x1)}" y1="{_f(y)}" x2="{_f(x2)}" y2="{_f(y)}" stroke="{colour}" '
                f'stroke-width="{stroke}"{dash}/>'
            )
    out.append("</g>")

    # Target.
    if target is not None:
        y = layout.y(target)
        label = f"Target {with_unit(format_number(target), unit)}"
        out.append(
            f'<g class="app-xmr__target"><line x1="{_f(layout.left)}" y1="{_f(y)}" x2="{_f(layout.right)}" '
            f'y2="{_f(y)}" stroke="{TARGET_LINE}" stroke-width="2" stroke-dasharray="10 4 2 4"/>'
        )
        # Above the line unless that would leave the plot.
        label_y = y - 5 if y - 16 > layout.top else y + 14
        out.append(_text(layout.right - 2, label_y, label, size=11, anchor="end", fill=TARGET_LINE) + "</g>")

    # The data line, broken at missing periods.
    runs: list[list[tuple[float, float]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((layout.x(index), layout.y(value)))
    for run in runs:
        if len(run) > 1:
            points = " ".join(f"{_f(x)},{_f(y)}" for x, y in run)
            out.append(
                f'<polyline class="app-xmr__data" points="{points}" fill="none" stroke="{DATA_LINE}" '
                f'stroke-width="1.75" stroke-linejoin="round"/>'
            )

    # Points, special causes last so they sit on top.
    size = max(2.5, min(5.0, (layout.right - layout.left) / max(n, 1) / 2.2))
    order = sorted(
        (i for i in range(n) if values[i] is not None), key=lambda i: (causes[i] not in (None, "neither"), i)
    )
    out.append('<g class="app-xmr__points">')
    for index in order:
        value = values[index]
        assert value is not None
        cause = causes[index] or "neither"
        label = series.labels[index] if index < len(series.labels) else ""
        words = special_cause_words(cause, rules[index])
        tip = f"{label}: {with_unit(format_number(value), unit)}. {words}."
        note = series.notes[index] if index < len(series.notes) else ""
        if note:
            tip += f" {note}"
        out.append(
            _marker(
                cause,
                layout.x(index),
                layout.y(value),
                size,
                attrs=f' class="app-xmr__point app-xmr__point--{escape(cause)}" data-index="{index}"',
                title=tip,
            )
        )
    out.append("</g>")

    # Icons, top right.
    r = 15.0
    cx = width - 16 - r
    assurance = getattr(result, "assurance_icon", None)
    if assurance in ASSURANCE_ICONS:
        letter, colour, words = ASSURANCE_ICONS[assurance]
        out.append(_badge(cx, 4 + r, r, letter, colour, "Assurance: " + words, "assurance", assurance))
        cx -= 2 * r + 10
    variation = getattr(result, "variation_icon", None)
    if variation in VARIATION_ICONS:
        letter, colour, words = VARIATION_ICONS[variation]
        out.append(_badge(cx, 4 + r, r, letter, colour, "Variation: " + words, "variation", variation))

    # Legend.
    out.append('<g class="app-xmr__legend">')
    y = height - legend_height + 10
    for row in rows:
        x = 8.0
        for index in row:
            key, text = legend[index]
            kind, name = key.split(":")
            if kind == "point":
                out.append(_marker(name, x + 11, y, 4.5))
            elif name == "mean":
                out.append(_legend_line(x, y, MEAN_LINE, "", 1.75))
            elif name == "limits":
                out.append(_legend_line(x, y, LIMIT_LINE, "6 4" if trial else "", 1.5))
            elif name == "target":
                out.append(_legend_line(x, y, TARGET_LINE, "10 4 2 4"))
            else:
                out.append(
                    f'<line x1="{_f(x + 11)}" y1="{_f(y - 8)}" x2="{_f(x + 11)}" y2="{_f(y + 8)}" '
                    f'stroke="{PERIOD_BREAK}" stroke-width="1.5" stroke-dasharray="4 3"/>'
                )
            out.append(_text(x + 26, y + 4, text, size=legend_size, fill=TEXT))
            x += item_widths[index]
        y += 20
    out.append("</g>")
    out.append("</svg>")
    return mark_safe("".join(out))  # every piece of text above is escaped


def annotation_marks(series: Series) -> list[tuple[int, int, str, bool]]:
    """(number, point index, text, starts a new period) for each annotation within the chart."""
    marks: list[tuple[int, int, str, bool]] = []
    for annotation in series.annotations:
        index = _index_of(series.periods, annotation.period)
        if index is None:
            continue
        rebase = bool(annotation.starts_new_period) and index in series.rebase_at
        marks.append((len(marks) + 1, index, annotation.text, rebase))
    return marks


# For the template ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    mean: str
    lpl: str
    upl: str
    special_cause: str
    cause: str  # the code, for styling
    note: str


@dataclass(frozen=True)
class Chart:
    """Everything `templates/metrics/_chart.html` shows for one series."""

    series: Series
    svg: SafeString
    summary: str
    rows: list[Row]
    kind_label: str
    is_activity: bool
    variation_icon: str
    variation: str
    assurance_icon: str
    assurance: str
    trial_limits: bool
    notes: list[tuple[int, str, str, bool]]  # (number, period label, text, starts a new period)

    @property
    def metric(self) -> Any:
        return self.series.metric

    @property
    def has_data(self) -> bool:
        return any(row.value for row in self.rows)

    @property
    def target_text(self) -> str:
        return with_unit(format_number(self.metric.target_value), self.metric.unit or "")

    @property
    def min_points(self) -> int:
        return spc.TRIAL_BELOW


def chart(series: Series, *, width: int = 720, height: int = 300) -> Chart:
    """The SVG, its words and its data table, for `templates/metrics/_chart.html`."""
    metric = series.metric
    unit = metric.unit or ""
    values = _values(series)
    n = len(values)
    result = series.result
    causes = _point_list(result, "special_cause", n)
    rules = _point_list(result, "special_cause_rule", n)
    means, lpls, upls = (_point_list(result, name, n) for name in ("mean", "lpl", "upl"))
    rows = []
    for index, value in enumerate(values):
        rows.append(
            Row(
                label=series.labels[index] if index < len(series.labels) else "",
                value=with_unit(format_number(value), unit) if value is not None else "",
                mean=with_unit(format_number(means[index]), unit),
                lpl=with_unit(format_number(lpls[index]), unit),
                upl=with_unit(format_number(upls[index]), unit),
                special_cause=special_cause_words(causes[index], rules[index]) if value is not None else "No data",
                cause=(causes[index] or "") if value is not None else "",
                note=series.notes[index] if index < len(series.notes) else "",
            )
        )
    variation = getattr(result, "variation_icon", None) or ""
    assurance = getattr(result, "assurance_icon", None) or ""
    return Chart(
        series=series,
        svg=xmr_svg(series, width=width, height=height),
        summary=summary(series),
        rows=rows,
        kind_label=KIND_LABELS.get(metric.kind, str(metric.kind).capitalize()),
        is_activity=metric.kind == "activity",
        variation_icon=variation,
        variation=variation_words(variation or None),
        assurance_icon=assurance,
        assurance=assurance_words(assurance or None, metric.target_value),
        trial_limits=bool(getattr(result, "trial_limits", True)),
        notes=[
            (number, series.labels[index] if index < len(series.labels) else "", text, rebase)
            for number, index, text, rebase in annotation_marks(series)
        ],
    )
