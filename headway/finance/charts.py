"""Charts of forecast ranges as SVG: a fan chart by financial year and a histogram of totals.

Drawn with the kit in headway/lib/svg.py, like the XmR charts: the same NHS palette (darkened
where needed so that every line and outline has at least 3:1 contrast with the white background,
WCAG 2.2 1.4.11), the same font and the same accessible opening. Colour is never the only cue:
lines differ in dash pattern, each mark on the histogram carries its name and value, a legend
names every band, and the chart's `<desc>` says the numbers in words for screen readers and for
anyone reading the page without the picture.

Pure: no Django, so the board pack's PDF (WeasyPrint) and the page draw from the same code. Every
piece of text is escaped here, so the returned string can be marked safe by the caller.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from html import escape

import numpy as np
import numpy.typing as npt

from headway.lib import svg
from headway.lib.percentages import points

# The kit's palette under the names this module's marks use.
TEXT, BLUE, ORANGE, PURPLE, RED = svg.TEXT, svg.BLUE, svg.ORANGE, svg.PURPLE, svg.RED
OUTER_BAND = "#d2e2f1"  # BLUE at about 20% on white: an area, bounded by BLUE edge lines
INNER_BAND = "#8fb8dd"  # BLUE at about 50% on white
BAR_FILL = "#bcd4eb"  # bars are outlined in BLUE, which carries the contrast

# Dash patterns by mark, so that the lines differ by more than colour.
PLAN_DASH = "8 5"
#: Histogram marks drawn (and described) as the plan.
PLAN_NAMES = ("plan", "planned")
MARK_STYLES: tuple[tuple[str, str], ...] = ((TEXT, ""), (ORANGE, "10 4 2 4"), (PURPLE, "2 3"), (BLUE, "12 4"))

_ids = itertools.count(1)


# Numbers ---------------------------------------------------------------------------------------


def format_amount(value: float, unit: str = "£") -> str:
    """An amount as a board paper writes it: £1.2m, £350k, £2.5bn, £950; other units follow the number
    (14.5 months)."""
    if not math.isfinite(value):
        return ""
    scales = [(1e9, "bn"), (1e6, "m")] + ([(1e3, "k")] if unit in svg.PREFIX_UNITS else []) + [(1.0, "")]
    for scale, suffix in scales:
        number = abs(value) / scale
        places = 0 if number >= 100 or (scale == 1 and unit in svg.PREFIX_UNITS) else 1
        text = f"{number:,.{places}f}"
        if places:
            text = text.rstrip("0").rstrip(".")
        # 999,960 rounds to "1,000k": say £1m instead.
        if scale == 1 or round(number, places) >= 1:
            if suffix and scale < 1e9 and round(number, places) >= 1000:
                continue
            break
    if text == "0":
        suffix = ""
    sign = "−" if value < 0 and text != "0" else ""
    if unit in svg.PREFIX_UNITS:
        return f"{sign}{unit}{text}{suffix}"
    return f"{sign}{text}{suffix} {unit}".rstrip()


# Drawing ---------------------------------------------------------------------------------------


def _numbers(name: str, values: Sequence[float] | npt.ArrayLike) -> list[float]:
    try:
        array = np.asarray(values, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers.") from None
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must all be finite numbers.")
    return [float(v) for v in array]


# Fan chart -------------------------------------------------------------------------------------


def _fan_summary(
    title: str, labels: Sequence[str], planned: Sequence[float], bands: dict[int, list[float]], unit: str
) -> str:
    def money(value: float) -> str:
        return format_amount(value, unit)

    sentences = [f"{title}."]
    if len(labels) > 1:
        sentences.append(f"Financial years {labels[0]} to {labels[-1]}.")
    levels = sorted(bands)
    for index, label in enumerate(labels):
        parts = [f"plan {money(planned[index])}"]
        for q in levels:
            if q in (10, 90) and 10 in bands and 90 in bands:
                continue
            parts.append(f"P{q} {money(bands[q][index])}")
        if 10 in bands and 90 in bands:
            parts.append(f"P10 to P90 {money(bands[10][index])} to {money(bands[90][index])}")
        sentences.append(f"{label}: " + "; ".join(parts) + ".")
    sentences.append(
        "P50 is the middle outcome and P80 the figure not exceeded in four trials out of five. Each year's "
        "percentiles are of that year alone, so they do not add up to a total's percentiles."
    )
    return " ".join(sentences)


def fan_chart(
    years_labels: Sequence[str],
    planned: Sequence[float],
    bands: dict[int, list[float]],
    title: str,
    unit: str = "£",
    *,
    width: int = 720,
    height: int = 320,
) -> str:
    """A fan chart by financial year: the P10–P90 band, the P50–P80 band, the P50 line and the plan.

    `bands` maps a percentile to one value per year (as in a `PortfolioForecast`); whichever of
    10, 50, 80 and 90 are present are drawn. The `<desc>` lists each year's plan and percentiles.
    """
    labels = [str(label) for label in years_labels]
    count = len(labels)
    if count == 0:
        raise ValueError("A fan chart needs at least one year.")
    plan = _numbers("planned", planned)
    if len(plan) != count:
        raise ValueError(f"planned has {len(plan)} values but there are {count} years.")
    levels: dict[int, list[float]] = {}
    for q, values in bands.items():
        numbers = _numbers(f"bands[{q}]", values)
        if len(numbers) != count:
            raise ValueError(f"bands[{q}] has {len(numbers)} values but there are {count} years.")
        levels[int(q)] = numbers

    legend: list[tuple[str, str]] = [("plan", "Plan")]
    if 50 in levels:
        legend.append(("p50", "P50 (middle outcome)"))
    if 50 in levels and 80 in levels:
        legend.append(("inner", "P50 to P80"))
    if 10 in levels and 90 in levels:
        legend.append(("outer", "P10 to P90"))
    legend_size = 12.0
    item_widths = [34 + svg.text_width(text, legend_size) + 14 for _, text in legend]
    legend_height = 28.0

    extent = plan + [v for values in levels.values() for v in values]
    low = min(0.0, *extent)
    ticks = svg.nice_ticks(low, max(extent) * 1.04 if max(extent) > 0 else 1.0)
    tick_labels = svg.tick_labels(ticks, unit=unit)
    left = 16 + max(svg.text_width(t, 12) for t in tick_labels)
    right = width - 16.0
    top = 24.0
    bottom = height - 34 - legend_height

    def x_of(index: float) -> float:
        if count == 1:
            return (left + right) / 2
        inset = min(28.0, (right - left) / (2 * count))
        return left + inset + index * (right - left - 2 * inset) / (count - 1)

    def y_of(value: float) -> float:
        return bottom - (value - ticks[0]) * (bottom - top) / (ticks[-1] - ticks[0])

    xs = [x_of(i) for i in range(count)]
    xs_band = [xs[0] - 24, xs[0] + 24] if count == 1 else xs  # one year's band needs width to be seen

    def band_path(lower: list[float], upper: list[float]) -> str:
        if count == 1:
            lower, upper = lower * 2, upper * 2
        points = [f"{svg.num(x)},{svg.num(y_of(v))}" for x, v in zip(xs_band, upper, strict=True)]
        points += [f"{svg.num(x)},{svg.num(y_of(v))}" for x, v in zip(reversed(xs_band), reversed(lower), strict=True)]
        return " ".join(points)

    def polyline(values: list[float]) -> str:
        if count == 1:
            values = values * 2
        return " ".join(f"{svg.num(x)},{svg.num(y_of(v))}" for x, v in zip(xs_band, values, strict=True))

    desc = _fan_summary(title, labels, plan, levels, unit)
    out = svg.document("fan", f"app-fan-{next(_ids)}", width, height, title, desc, f' data-years="{count}"')
    out.append('<g class="app-fan__axis">')
    out.extend(svg.gridlines(ticks, tick_labels, left, right, y_of))
    out.append(svg.line(left, bottom, right, bottom, svg.AXIS, 1))
    out.extend(svg.x_labels(xs, labels, bottom=bottom, width=width, css_class="app-fan__x", gap=10))
    out.append("</g>")

    if 10 in levels and 90 in levels:
        out.append(
            f'<polygon class="app-fan__band app-fan__band--outer" points="{band_path(levels[10], levels[90])}" '
            f'fill="{OUTER_BAND}" stroke="none"/>'
        )
    if 50 in levels and 80 in levels:
        out.append(
            f'<polygon class="app-fan__band app-fan__band--inner" points="{band_path(levels[50], levels[80])}" '
            f'fill="{INNER_BAND}" stroke="none"/>'
        )
    # Thin edges in the forecast's colour give the bands their contrast with the background.
    for q in (10, 80, 90):
        if q in levels:
            out.append(
                f'<polyline class="app-fan__edge" data-percentile="{q}" points="{polyline(levels[q])}" fill="none" '
                f'stroke="{BLUE}" stroke-width="1" stroke-opacity="0.9"/>'
            )
    out.append(
        f'<polyline class="app-fan__plan" points="{polyline(plan)}" fill="none" stroke="{RED}" stroke-width="2" '
        f'stroke-dasharray="{PLAN_DASH}"/>'
    )
    if 50 in levels:
        out.append(
            f'<polyline class="app-fan__p50" points="{polyline(levels[50])}" fill="none" stroke="{BLUE}" '
            'stroke-width="2.5" stroke-linejoin="round"/>'
        )
    # Points with their numbers as tooltips, for pointer users.
    out.append('<g class="app-fan__points">')
    for index, x in enumerate(xs):
        words = [f"{labels[index]}: plan {format_amount(plan[index], unit)}"]
        words += [f"P{q} {format_amount(levels[q][index], unit)}" for q in sorted(levels)]
        value = levels[50][index] if 50 in levels else plan[index]
        out.append(
            f'<circle cx="{svg.num(x)}" cy="{svg.num(y_of(value))}" r="3.5" fill="{BLUE if 50 in levels else RED}">'
            + svg.title("; ".join(words))
            + "</circle>"
        )
    out.append("</g>")

    out.append('<g class="app-fan__legend">')
    x = 8.0
    y = height - legend_height / 2 - 2
    for (key, text), item_width in zip(legend, item_widths, strict=True):
        if key == "plan":
            out.append(svg.line(x, y, x + 28, y, RED, 2, PLAN_DASH))
        elif key == "p50":
            out.append(svg.line(x, y, x + 28, y, BLUE, 2.5))
        else:
            fill = INNER_BAND if key == "inner" else OUTER_BAND
            out.append(
                f'<rect x="{svg.num(x)}" y="{svg.num(y - 7)}" width="28" height="14" fill="{fill}" stroke="{BLUE}" '
                'stroke-width="1"/>'
            )
        out.append(svg.text(x + 34, y + 4, text, size=legend_size, fill=TEXT))
        x += item_width
    out.append("</g>")
    out.append("</svg>")
    return "".join(out)


# Histogram -------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> str:
    share = 100 * part / whole
    if 0 < share < 1:
        return "under 1%"
    if 99 < share < 100:
        return "over 99%"
    return points(share, 0)


def histogram(
    samples: npt.ArrayLike,
    marks: dict[str, float],
    title: str,
    bins: int = 40,
    unit: str = "£",
    *,
    width: int = 720,
    height: int = 300,
) -> str:
    """How often each outcome came up across the trials, with named marks (Plan, P50, P80 …).

    The x-axis ends at the 99.5th percentile (or the furthest mark) so that one extreme trial does not
    squash the rest; trials beyond it are counted in the last bar and the `<desc>` says how many.
    """
    values = np.asarray(_numbers("samples", samples), dtype=np.float64)
    if values.size == 0:
        raise ValueError("A histogram needs at least one sample.")
    if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
        raise ValueError(f"bins must be a whole number of at least 1, not {bins!r}.")
    named = {str(name): value for name, value in zip(marks, _numbers("marks", list(marks.values())), strict=True)}

    low = min(float(values.min()), *named.values()) if named else float(values.min())
    high = max(float(np.percentile(values, 99.5)), *named.values()) if named else float(np.percentile(values, 99.5))
    if high <= low:
        pad = abs(low) * 0.05 or 1.0
        low, high = low - pad, high + pad
    edges = np.linspace(low, high, bins + 1)
    beyond = int((values > high).sum())
    counts, _ = np.histogram(np.clip(values, low, high), bins=edges)
    total = int(values.size)
    shares = counts / total

    ticks = svg.nice_ticks(low, high)
    ticks = [t for t in ticks if low - 1e-9 * abs(high - low) <= t <= high + 1e-9 * abs(high - low)] or [low, high]
    tick_labels = svg.tick_labels(ticks, unit=unit) if len(ticks) > 1 else [format_amount(ticks[0], unit)]
    y_ticks = svg.nice_ticks(0.0, float(shares.max()) * 1.08, 4)
    # The shared tick rule gives the whole axis one number of decimals (0.5%, 1.0%, 1.5%).
    y_labels = [label + "%" for label in svg.tick_labels([t * 100 for t in y_ticks])]

    # Mark labels sit in rows above the plot, each in the first row where it does not overlap.
    left = 16 + max(svg.text_width(t, 12) for t in y_labels)
    right = width - 16.0
    label_rows: list[float] = []
    placed: list[tuple[str, float, int, str]] = []

    def x_of(value: float) -> float:
        return left + (value - low) * (right - left) / (high - low)

    for name, value in sorted(named.items(), key=lambda pair: pair[1]):
        text = f"{name} {format_amount(value, unit)}"
        half = svg.text_width(text, 11) / 2
        centre = min(max(x_of(value), left + half), right - half)
        row = next((r for r, edge in enumerate(label_rows) if centre - half > edge + 6), None)
        if row is None:
            label_rows.append(0.0)
            row = len(label_rows) - 1
        label_rows[row] = centre + half
        placed.append((name, value, row, text))
    top = 20.0 + 16 * max(len(label_rows), 1)
    bottom = height - 48.0

    def y_of(share: float) -> float:
        return bottom - share * (bottom - top) / y_ticks[-1]

    desc = _histogram_summary(title, values, named, unit, beyond, high)
    out = svg.document(
        "histogram", f"app-histogram-{next(_ids)}", width, height, title, desc, f' data-trials="{total}"'
    )
    out.append('<g class="app-histogram__axis">')
    out.extend(svg.gridlines(y_ticks, y_labels, left, right, y_of))
    out.append(svg.line(left, bottom, right, bottom, svg.AXIS, 1))
    for tick, label in zip(ticks, tick_labels, strict=True):
        x = x_of(tick)
        out.append(svg.line(x, bottom, x, bottom + 4, svg.AXIS, 1))
        out.append(svg.text(x, bottom + 18, label, anchor="middle", attrs=' class="app-histogram__x"'))
    out.append(svg.text(right, height - 10, f"Total ({unit})" if unit else "Total", anchor="end"))
    out.append(svg.text(8, height - 10, "Bar height: share of trials", anchor="start"))
    out.append("</g>")

    out.append('<g class="app-histogram__bars">')
    for index, share in enumerate(shares):
        if counts[index] == 0:
            continue
        x1, x2 = x_of(edges[index]), x_of(edges[index + 1])
        y = y_of(float(share))
        last = index == bins - 1 and beyond
        words = (
            f"{format_amount(edges[index], unit)} to {format_amount(edges[index + 1], unit)}"
            + (" and above" if last else "")
            + f": {counts[index]:,} trials ({_share(int(counts[index]), total)})"
        )
        out.append(
            f'<rect class="app-histogram__bar" data-count="{counts[index]}" x="{svg.num(x1)}" y="{svg.num(y)}" '
            f'width="{svg.num(max(x2 - x1, 0.5))}" height="{svg.num(bottom - y)}" fill="{BAR_FILL}" stroke="{BLUE}" '
            'stroke-width="1">' + svg.title(words) + "</rect>"
        )
    out.append("</g>")

    out.append('<g class="app-histogram__marks">')
    others = itertools.cycle(MARK_STYLES)
    for name, value, row, text in placed:
        colour, dash = (RED, PLAN_DASH) if name.lower() in PLAN_NAMES else next(others)
        x = x_of(value)
        label_y = 20.0 + 16 * row
        half = svg.text_width(text, 11) / 2
        centre = min(max(x, left + half), right - half)
        out.append(
            f'<g class="app-histogram__mark" data-label="{escape(name)}" data-value="{value!r}">'
            + svg.line(x, label_y + 4, x, bottom, colour, 2, dash)
            + svg.text(
                centre, label_y, text, size=11, anchor="middle", fill=colour if colour != BLUE else TEXT, bold=True
            )
            + "</g>"
        )
    out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def _histogram_summary(
    title: str, values: npt.NDArray[np.float64], marks: dict[str, float], unit: str, beyond: int, high: float
) -> str:
    total = int(values.size)
    sentences = [f"{title}: {total:,} trials."]
    if marks:
        sentences.append("; ".join(f"{name} {format_amount(value, unit)}" for name, value in marks.items()) + ".")
    plan = next((value for name, value in marks.items() if name.lower() in PLAN_NAMES), None)
    if plan is not None:
        within = int((values <= plan).sum())
        sentences.append(f"{_share(within, total).capitalize()} of trials came in at or below the plan.")
    p10, p50, p90 = (float(v) for v in np.percentile(values, [10, 50, 90]))
    sentences.append(f"Eight trials in ten fall between {format_amount(p10, unit)} and {format_amount(p90, unit)}.")
    if p90 - p50 > 1.5 * (p50 - p10) and p90 > p50:
        sentences.append(
            "The spread is lopsided: outcomes above the middle reach much further than those below it, "
            "the mark of a few very large overruns."
        )
    if beyond:
        sentences.append(
            f"{beyond:,} trial{'s' if beyond != 1 else ''} above {format_amount(high, unit)} "
            f"{'are' if beyond != 1 else 'is'} counted in the last bar."
        )
    return " ".join(sentences)
