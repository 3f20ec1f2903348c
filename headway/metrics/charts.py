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
chart; the palette, text, lines, axes and the accessible opening come from the kit every chart
shares (`headway/lib/svg.py`), and what is Making Data Count's own (markers, icons, limits) is
drawn here, one function per layer.

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

from headway.lib import svg
from headway.metrics import spc

if TYPE_CHECKING:
    from headway.metrics.series import Series

# The kit's palette under the names of the marks Making Data Count draws with it.
TEXT, SECONDARY_TEXT, AXIS = svg.TEXT, svg.SECONDARY_TEXT, svg.AXIS
DATA_LINE = svg.GREY
COMMON = svg.DARK_GREY  # common cause points and icon
IMPROVEMENT = svg.BLUE
CONCERN = svg.ORANGE
NEUTRAL = svg.PURPLE
MEAN_LINE = svg.TEXT
LIMIT_LINE = svg.SLATE
TARGET_LINE = svg.RED
PERIOD_BREAK = svg.SLATE
TARGET_DASH = "10 4 2 4"

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
    "pass": (
        "P",
        IMPROVEMENT,
        "Will consistently meet the target: the target is outside the process limits, on the side it passes",
    ),
    "fail": (
        "F",
        CONCERN,
        "Will consistently miss the target unless something changes: the target is outside "
        "the process limits, on the side it fails",
    ),
    "inconsistent": (
        "?",
        COMMON,
        "Will sometimes meet and sometimes miss the target: the target lies between the process limits",
    ),
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


def with_unit(text: str, unit: str) -> str:
    """A number already written as text, with the metric's unit: 72%, -£5, 14 minutes. The one
    place a metric's unit is attached, for pages and charts alike."""
    if not text or not unit:
        return text
    if unit == "%":
        return text + unit
    if unit in svg.PREFIX_UNITS:
        return f"-{unit}{text[1:]}" if text.startswith("-") else f"{unit}{text}"
    return f"{text} {unit}"


nice_ticks = svg.nice_ticks


# Drawing ---------------------------------------------------------------------------------------


def _marker(cause: str, x: float, y: float, size: float, *, attrs: str = "", title: str = "") -> str:
    """Common cause: a small circle. Improvement: a square. Concern: a diamond. Neutral: a triangle."""
    n = svg.num
    colour = POINT_COLOURS.get(cause, COMMON)
    if cause == "improvement":
        s = size * 0.95
        tag, shape = "path", f'd="M{n(x - s)} {n(y - s)}h{n(2 * s)}v{n(2 * s)}h{n(-2 * s)}Z"'
    elif cause == "concern":
        s = size * 1.35
        tag, shape = "path", f'd="M{n(x)} {n(y - s)}L{n(x + s)} {n(y)}L{n(x)} {n(y + s)}L{n(x - s)} {n(y)}Z"'
    elif cause in ("neutral_high", "neutral_low"):
        s = size * 1.3
        tag, shape = "path", (f'd="M{n(x)} {n(y - s)}L{n(x + s)} {n(y + s * 0.8)}L{n(x - s)} {n(y + s * 0.8)}Z"')
    else:
        tag, shape = "circle", f'cx="{n(x)}" cy="{n(y)}" r="{n(size * 0.7)}"'
    outline = ' stroke="#ffffff" stroke-width="1"' if tag == "path" else ""
    opening = f'<{tag} {shape} fill="{colour}"{outline}{attrs}'
    if title:
        return f"{opening}>{svg.title(title)}</{tag}>"
    return f"{opening}/>"


def _badge(cx: float, cy: float, r: float, letter: str, colour: str, words: str, kind: str, icon: str) -> str:
    n = svg.num
    parts = [
        f'<g class="app-xmr__icon app-xmr__icon--{kind}" data-icon="{escape(icon)}">',
        svg.title(words),
        f'<circle cx="{n(cx)}" cy="{n(cy)}" r="{n(r)}" fill="{colour}"/>',
        f'<circle cx="{n(cx)}" cy="{n(cy)}" r="{n(r - 3)}" fill="none" stroke="#ffffff" stroke-width="1.5"/>',
    ]
    if letter:
        parts.append(svg.text(cx, cy + r * 0.36, letter, size=r * 1.05, anchor="middle", fill="#ffffff", bold=True))
    else:
        # Common cause: a level wavy line, "nothing out of the ordinary".
        w = r * 0.55
        parts.append(
            f'<path d="M{n(cx - w)} {n(cy)}q{n(w / 2)} {n(-w / 2)} {n(w)} 0t{n(w)} 0" fill="none" '
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
    """The series as an XmR chart in SVG markup, safe to put in a template as it is.

    Drawn in layers, each its own function below: the frame (title, description, background),
    the axes, annotations and period breaks, the mean and limits, the target, the data line, the
    points with their markers, the icons and the legend."""
    plot = _plot(series, width, height)
    uid = f"xmr-{series.metric.pk or 'new'}-{next(_ids)}"
    chart_title = title or f"{series.metric.name}: XmR chart"
    out = svg.document("xmr", uid, width, height, chart_title, summary(series), f' data-points="{len(plot.known)}"')
    if plot.unit:
        out.append(svg.text(8, 24, plot.unit, anchor="start", fill=SECONDARY_TEXT))  # above the y-axis labels
    if not plot.known:
        out += _no_data(plot.layout)
    else:
        out += _axes(plot, series.labels, width)
        out += _annotations(annotation_marks(series), plot.layout)
        out += _limits(plot.periods, plot.layout)
        out += _target(plot)
        out += _data_line(plot)
        out += _points(plot, series)
        out += _icons(series.result, width)
        out += _legend(plot, height)
    out.append("</svg>")
    return mark_safe("".join(out))  # every piece of text is escaped by the kit


@dataclass(frozen=True)
class _Plot:
    """What every layer of one XmR chart reads: the series' numbers made safe to draw, the legend
    and the layout they set."""

    values: list[float | None]
    known: list[float]
    causes: list[str | None]
    rules: list[str | None]
    periods: list[spc.Period]
    trial: bool
    target: float | None
    unit: str
    legend: list[tuple[str, str]]  # (kind:name, words)
    legend_widths: list[float]
    legend_rows: list[list[int]]
    legend_height: float
    ticks: list[float]
    tick_labels: list[str]
    layout: _Layout


LEGEND_SIZE = 12.0


def _plot(series: Series, width: int, height: int) -> _Plot:
    metric = series.metric
    result = series.result
    values = _values(series)
    n = len(values)
    known = [v for v in values if v is not None]
    unit = metric.unit or ""
    target = metric.target_value if _finite(metric.target_value) else None
    causes = _point_list(result, "special_cause", n)
    periods = [p for p in (getattr(result, "periods", ()) or ()) if 0 <= p.first_index <= p.last_index < max(n, 1)]
    trial = any(p.trial for p in periods)
    present = {c for c, v in zip(causes, values, strict=True) if v is not None}
    legend = _legend_items(present, periods, trial, target, unit, bool(series.rebase_at))
    widths = [26 + svg.text_width(words, LEGEND_SIZE) + 12 for _, words in legend]
    rows = svg.legend_rows(widths, width - 16)
    legend_height = 20 * len(rows) + 6 if known else 0
    ticks = _value_ticks(known, periods, target)
    labels = svg.tick_labels(ticks)
    left = 14 + max(svg.text_width(t, 12) for t in labels)
    left = max(left, 12 + svg.text_width(unit, 12) / 2) if unit else left
    layout = _Layout(
        left=left, right=width - 16, top=46, bottom=height - 30 - legend_height, low=ticks[0], high=ticks[-1], count=n
    )
    return _Plot(
        values=values,
        known=known,
        causes=causes,
        rules=_point_list(result, "special_cause_rule", n),
        periods=periods,
        trial=trial,
        target=target,
        unit=unit,
        legend=legend,
        legend_widths=widths,
        legend_rows=rows,
        legend_height=legend_height,
        ticks=ticks,
        tick_labels=labels,
        layout=layout,
    )


def _legend_items(
    present: set[str | None], periods: Sequence[spc.Period], trial: bool, target: float | None, unit: str, breaks: bool
) -> list[tuple[str, str]]:
    """Only the marks the chart shows, so the legend never explains what is not there."""
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
    if breaks:
        legend.append(("line:break", "Limits recalculated"))
    return legend


def _value_ticks(known: Sequence[float], periods: Sequence[spc.Period], target: float | None) -> list[float]:
    """The y scale covers the data, the limits and the target."""
    extent = list(known)
    for p in periods:
        extent += [v for v in (p.mean, p.lpl, p.upl) if v is not None and _finite(v)]
    if target is not None and known:
        extent.append(target)
    if not extent:
        return [0.0, 1.0]
    # A little headroom, so the target's label and the highest point clear the top line.
    pad = (max(extent) - min(extent)) * 0.04
    return svg.nice_ticks(min(extent) - pad, max(extent) + pad)


def _no_data(layout: _Layout) -> list[str]:
    return [
        f'<rect x="{svg.num(layout.left)}" y="{svg.num(layout.top)}" width="{svg.num(layout.right - layout.left)}" '
        f'height="{svg.num(max(layout.bottom - layout.top, 10))}" fill="#f0f4f5"/>',
        svg.text(
            (layout.left + layout.right) / 2,
            (layout.top + layout.bottom) / 2 + 5,
            "No data yet",
            size=16,
            anchor="middle",
            fill=SECONDARY_TEXT,
        ),
    ]


def _axes(plot: _Plot, labels: Sequence[str], width: int) -> list[str]:
    """Gridlines with the value labels, the baseline, and the period labels along the bottom."""
    layout = plot.layout
    out = ['<g class="app-xmr__axis">']
    out += svg.gridlines(plot.ticks, plot.tick_labels, layout.left, layout.right, layout.y)
    out.append(svg.line(layout.left, layout.bottom, layout.right, layout.bottom, AXIS, 1))
    xs = [layout.x(i) for i in range(min(layout.count, len(labels)))]
    out += svg.x_labels(xs, labels, bottom=layout.bottom, width=width, css_class="app-xmr__x")
    out.append("</g>")
    return out


def _annotations(marks: Sequence[tuple[int, int, str, bool]], layout: _Layout) -> list[str]:
    """Period breaks (limits recalculated) and other annotations, numbered as in the notes below
    the chart."""
    out = ['<g class="app-xmr__annotations">']
    for number, index, words, rebase in marks:
        x = (layout.x(index - 0.5) if index > 0 else layout.x(0)) if rebase else layout.x(index)
        if rebase:
            out.append(
                f'<line class="app-xmr__break" x1="{svg.num(x)}" y1="{svg.num(layout.top - 6)}" x2="{svg.num(x)}" '
                f'y2="{svg.num(layout.bottom)}" stroke="{PERIOD_BREAK}" stroke-width="1.5" stroke-dasharray="5 4">'
                f"{svg.title(words)}</line>"
            )
        out.append(
            f'<g class="app-xmr__note">{svg.title(f"Note {number}: {words}")}'
            f'<rect x="{svg.num(x - 8)}" y="{svg.num(layout.top - 26)}" width="16" height="16" rx="2" fill="#ffffff" '
            f'stroke="{PERIOD_BREAK}"/>'
            + svg.text(x, layout.top - 14, str(number), size=11, anchor="middle", fill=TEXT)
            + "</g>"
        )
    out.append("</g>")
    return out


def _limits(periods: Sequence[spc.Period], layout: _Layout) -> list[str]:
    """The mean and the process limits, one set per period; trial limits are dashed."""
    out = ['<g class="app-xmr__limits">']
    for period in periods:
        x1, x2 = layout.x(period.first_index), layout.x(period.last_index)
        if period.first_index == period.last_index:
            x1, x2 = x1 - 6, x2 + 6
        limit_dash = "6 4" if period.trial else ""
        trial_class = " app-xmr__trial" if period.trial else ""
        for value, css, colour, stroke, dash in (
            (period.upl, f"upl{trial_class}", LIMIT_LINE, 1.5, limit_dash),
            (period.lpl, f"lpl{trial_class}", LIMIT_LINE, 1.5, limit_dash),
            (period.mean, "mean", MEAN_LINE, 1.75, ""),
        ):
            if value is None or not _finite(value):
                continue
            y = layout.y(value)
            out.append(svg.line(x1, y, x2, y, colour, stroke, dash, f' class="app-xmr__{css}"'))
    out.append("</g>")
    return out


def _target(plot: _Plot) -> list[str]:
    if plot.target is None:
        return []
    layout = plot.layout
    y = layout.y(plot.target)
    label = f"Target {with_unit(format_number(plot.target), plot.unit)}"
    # Above the line unless that would leave the plot.
    label_y = y - 5 if y - 16 > layout.top else y + 14
    return [
        '<g class="app-xmr__target">'
        + svg.line(layout.left, y, layout.right, y, TARGET_LINE, 2, TARGET_DASH)
        + svg.text(layout.right - 2, label_y, label, size=11, anchor="end", fill=TARGET_LINE)
        + "</g>"
    ]


def _data_line(plot: _Plot) -> list[str]:
    """The data line, broken at missing periods so that a gap is not drawn as data."""
    runs: list[list[tuple[float, float]]] = [[]]
    for index, value in enumerate(plot.values):
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((plot.layout.x(index), plot.layout.y(value)))
    out = []
    for run in runs:
        if len(run) > 1:
            points = " ".join(f"{svg.num(x)},{svg.num(y)}" for x, y in run)
            out.append(
                f'<polyline class="app-xmr__data" points="{points}" fill="none" stroke="{DATA_LINE}" '
                f'stroke-width="1.75" stroke-linejoin="round"/>'
            )
    return out


def _points(plot: _Plot, series: Series) -> list[str]:
    """Each point as its marker, with its value and cause as a tooltip; special causes last so
    they sit on top."""
    layout, values, causes = plot.layout, plot.values, plot.causes
    n = layout.count
    size = max(2.5, min(5.0, (layout.right - layout.left) / max(n, 1) / 2.2))
    order = sorted(
        (i for i in range(n) if values[i] is not None), key=lambda i: (causes[i] not in (None, "neither"), i)
    )
    out = ['<g class="app-xmr__points">']
    for index in order:
        value = values[index]
        assert value is not None
        cause = causes[index] or "neither"
        label = series.labels[index] if index < len(series.labels) else ""
        tip = f"{label}: {with_unit(format_number(value), plot.unit)}. {special_cause_words(cause, plot.rules[index])}."
        note = series.notes[index] if index < len(series.notes) else ""
        if note:
            tip += f" {note}"
        attrs = f' class="app-xmr__point app-xmr__point--{escape(cause)}" data-index="{index}"'
        out.append(_marker(cause, layout.x(index), layout.y(value), size, attrs=attrs, title=tip))
    out.append("</g>")
    return out


def _icons(result: spc.SPCResult, width: int) -> list[str]:
    """The assurance icon in the top-right corner, and the variation icon to its left."""
    out = []
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
    return out


def _legend(plot: _Plot, height: int) -> list[str]:
    out = ['<g class="app-xmr__legend">']
    y = height - plot.legend_height + 10
    for row in plot.legend_rows:
        x = 8.0
        for index in row:
            key, words = plot.legend[index]
            kind, name = key.split(":")
            if kind == "point":
                out.append(_marker(name, x + 11, y, 4.5))
            elif name == "mean":
                out.append(svg.line(x, y, x + 22, y, MEAN_LINE, 1.75))
            elif name == "limits":
                out.append(svg.line(x, y, x + 22, y, LIMIT_LINE, 1.5, "6 4" if plot.trial else ""))
            elif name == "target":
                out.append(svg.line(x, y, x + 22, y, TARGET_LINE, 2, TARGET_DASH))
            else:
                out.append(svg.line(x + 11, y - 8, x + 11, y + 8, PERIOD_BREAK, 1.5, "4 3"))
            out.append(svg.text(x + 26, y + 4, words, size=LEGEND_SIZE, fill=TEXT))
            x += plot.legend_widths[index]
        y += 20
    out.append("</g>")
    return out


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
