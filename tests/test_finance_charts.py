"""Forecast charts as SVG (headway.finance.charts): well-formed, accessible, saying the numbers in words,
and faithful to the forecast they draw."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from headway.finance.charts import fan_chart, format_amount, histogram
from headway.finance.forecast import PlannedItem, simulate_portfolio

SVG = "{http://www.w3.org/2000/svg}"
YEARS = ["2026/27", "2027/28", "2028/29", "2029/30 and later"]
PLAN = [2_100_000.0, 3_400_000.0, 1_250_000.0, 0.0]
BANDS = {
    10: [1_800_000.0, 2_900_000.0, 1_000_000.0, 20_000.0],
    50: [2_050_000.0, 3_700_000.0, 1_600_000.0, 150_000.0],
    80: [2_400_000.0, 4_300_000.0, 2_100_000.0, 600_000.0],
    90: [2_650_000.0, 4_900_000.0, 2_600_000.0, 1_100_000.0],
}


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def accessible_name_and_description(root: ET.Element) -> tuple[str, str]:
    """What a screen reader announces: the elements that aria-labelledby points at."""
    ids = (root.get("aria-labelledby") or "").split()
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    assert len(ids) == 2 and all(i in by_id for i in ids)
    title, desc = (by_id[i] for i in ids)
    assert title.tag == f"{SVG}title" and desc.tag == f"{SVG}desc"
    return title.text or "", desc.text or ""


def points(element: ET.Element) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (p.split(",") for p in (element.get("points") or "").split())]


def assert_no_script(root: ET.Element) -> None:
    for element in root.iter():
        assert element.tag != f"{SVG}script"
        assert not any(name.lower().startswith("on") for name in element.attrib)


# --------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "£0"),
        (950, "£950"),
        (350_000, "£350k"),
        (999_960, "£1m"),
        (1_234_567, "£1.2m"),
        (12_000_000, "£12m"),
        (123_456_789, "£123m"),
        (2_500_000_000, "£2.5bn"),
        (-1_200_000, "−£1.2m"),
    ],
)
def test_amounts_read_as_a_board_paper_writes_them(value, text):
    assert format_amount(value) == text


def test_amounts_in_other_units_follow_the_number():
    assert format_amount(14.5, "months") == "14.5 months"


# --------------------------------------------------------------------------- fan chart


def test_a_fan_chart_is_an_image_with_a_name_and_a_description_in_words():
    root = ET.fromstring(fan_chart(YEARS, PLAN, BANDS, "Portfolio cost by financial year"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    name, desc = accessible_name_and_description(root)
    assert name == "Portfolio cost by financial year"
    assert_no_script(root)
    # Every year's plan, P50 and P80 are in the words, formatted as on the axis.
    for index, year in enumerate(YEARS):
        assert (
            f"{year}: plan {format_amount(PLAN[index])}; P50 {format_amount(BANDS[50][index])}; "
            f"P80 {format_amount(BANDS[80][index])}; P10 to P90 {format_amount(BANDS[10][index])} to "
            f"{format_amount(BANDS[90][index])}."
        ) in desc
    assert "do not add up" in desc


def test_a_fan_chart_draws_both_bands_the_p50_line_and_the_plan_one_point_per_year():
    root = ET.fromstring(fan_chart(YEARS, PLAN, BANDS, "Cost"))
    (outer,) = by_class(root, "app-fan__band--outer")
    (inner,) = by_class(root, "app-fan__band--inner")
    (p50,) = by_class(root, "app-fan__p50")
    (plan,) = by_class(root, "app-fan__plan")
    assert len(points(outer)) == len(points(inner)) == 2 * len(YEARS)
    assert len(points(p50)) == len(points(plan)) == len(YEARS)
    assert plan.get("stroke-dasharray")  # told apart from the P50 line by more than colour
    # SVG's y grows downwards: in every year the P90 edge is above the P50 line, which is above P10.
    outer_points = points(outer)
    for year, (_, y50) in enumerate(points(p50)):
        y90 = outer_points[year][1]
        y10 = outer_points[-1 - year][1]
        assert y90 < y50 < y10
    # The highest value is drawn highest.
    assert min(points(p50), key=lambda p: p[1])[0] == points(p50)[1][0]
    legend = [t.text for t in by_class(root, "app-fan__legend")[0].iter(f"{SVG}text")]
    assert legend == ["Plan", "P50 (middle outcome)", "P50 to P80", "P10 to P90"]


def test_money_on_the_axis_is_written_in_millions():
    root = ET.fromstring(fan_chart(YEARS, PLAN, BANDS, "Cost"))
    labels = [t.text or "" for t in by_class(root, "app-fan__axis")[0].iter(f"{SVG}text")]
    money = [label for label in labels if label.startswith("£")]
    assert money[0] == "£0"
    assert len(money) >= 3 and all(re.fullmatch(r"£\d+(\.\d+)?m", label) for label in money[1:])
    assert YEARS[-1] in labels  # the last year ("and later") is always labelled


def test_a_fan_chart_draws_only_the_bands_it_is_given():
    root = ET.fromstring(fan_chart(YEARS, PLAN, {50: BANDS[50]}, "Cost"))
    assert not by_class(root, "app-fan__band")
    assert len(by_class(root, "app-fan__p50")) == 1
    _, desc = accessible_name_and_description(root)
    assert "P10" not in desc.split("P50 is the middle")[0]


def test_a_fan_chart_of_one_year_still_shows_its_bands():
    root = ET.fromstring(fan_chart(["2026/27"], [100.0], {10: [80.0], 50: [110.0], 80: [130.0], 90: [150.0]}, "One"))
    (outer,) = by_class(root, "app-fan__band--outer")
    xs = {x for x, _ in points(outer)}
    assert len(xs) == 2  # a band with width


def test_text_in_a_fan_chart_is_escaped():
    svg = fan_chart(["<b>2026</b>"], [1.0], {50: [1.0]}, 'Cost & "risk" <script>')
    root = ET.fromstring(svg)
    name, desc = accessible_name_and_description(root)
    assert name == 'Cost & "risk" <script>'
    assert "<b>2026</b>: plan" in desc
    assert_no_script(root)


@pytest.mark.parametrize(
    ("labels", "planned", "bands", "message"),
    [
        ([], [], {}, "at least one year"),
        (YEARS, PLAN[:3], BANDS, "planned has 3 values"),
        (YEARS, PLAN, {50: [1.0]}, r"bands\[50\] has 1 values"),
        (YEARS, [1.0, math.nan, 1.0, 1.0], BANDS, "finite"),
    ],
)
def test_a_fan_chart_refuses_data_that_do_not_line_up(labels, planned, bands, message):
    with pytest.raises(ValueError, match=message):
        fan_chart(labels, planned, bands, "Cost")


# --------------------------------------------------------------------------- histogram


def forecast_samples() -> tuple[np.ndarray, dict[str, float]]:
    items = [
        PlannedItem(f"item {i}", [100_000.0 * (1 + i % 7), 50_000.0], [], planned_months=18, group=f"g{i % 4}")
        for i in range(60)
    ]
    forecast = simulate_portfolio(items, trials=4_000, seed=12)
    marks = {"Plan": forecast.planned_total_cost, "P50": forecast.total_cost[50], "P80": forecast.total_cost[80]}
    return forecast.total_cost_samples, marks


def test_a_histogram_says_the_plan_p50_and_p80_and_how_often_the_plan_held():
    samples, marks = forecast_samples()
    root = ET.fromstring(histogram(samples, marks, "Total cost across 4,000 trials"))
    assert root.get("role") == "img"
    name, desc = accessible_name_and_description(root)
    assert name == "Total cost across 4,000 trials"
    assert_no_script(root)
    assert f"P50 {format_amount(marks['P50'])}" in desc
    assert f"P80 {format_amount(marks['P80'])}" in desc
    assert f"Plan {format_amount(marks['Plan'])}" in desc
    within = round(100 * float(np.mean(samples <= marks["Plan"])))
    assert f"{within}% of trials came in at or below the plan" in desc
    assert "4,000 trials" in desc


def test_every_trial_is_counted_in_a_bar_even_beyond_the_axis():
    samples, marks = forecast_samples()
    samples = np.append(samples, samples.max() * 10)  # one extreme trial
    root = ET.fromstring(histogram(samples, marks, "Total", bins=30))
    bars = by_class(root, "app-histogram__bar")
    assert 1 < len(bars) <= 30
    assert sum(int(bar.get("data-count") or 0) for bar in bars) == len(samples)
    _, desc = accessible_name_and_description(root)
    assert "counted in the last bar" in desc


def test_marks_are_drawn_in_order_of_value_with_their_names_and_the_plan_dashed():
    samples, marks = forecast_samples()
    root = ET.fromstring(histogram(samples, marks, "Total"))
    drawn = by_class(root, "app-histogram__mark")
    assert {m.get("data-label") for m in drawn} == set(marks)
    xs = {m.get("data-label"): float(m.find(f"{SVG}line").get("x1")) for m in drawn}  # type: ignore[union-attr]
    assert sorted(marks, key=marks.__getitem__) == sorted(xs, key=xs.__getitem__)
    texts = {m.get("data-label"): m.find(f"{SVG}text").text for m in drawn}  # type: ignore[union-attr]
    assert texts["P80"] == f"P80 {format_amount(marks['P80'])}"
    plan_line = next(m for m in drawn if m.get("data-label") == "Plan").find(f"{SVG}line")
    assert plan_line is not None and plan_line.get("stroke-dasharray")


def test_a_mark_named_planned_is_treated_as_the_plan():
    samples = np.linspace(90.0, 130.0, 41)
    root = ET.fromstring(histogram(samples, {"Planned": 100.0}, "Total", unit="months"))
    _, desc = accessible_name_and_description(root)
    assert "27% of trials came in at or below the plan" in desc  # 11 of 41
    (mark,) = by_class(root, "app-histogram__mark")
    line = mark.find(f"{SVG}line")
    assert line is not None and line.get("stroke-dasharray")


def test_a_right_skewed_total_is_described_as_lopsided():
    rng = np.random.default_rng(1)
    skewed = np.exp(rng.normal(0, 0.8, 5_000)) * 1e6
    symmetric = rng.normal(10e6, 1e6, 5_000)
    assert "lopsided" in accessible_name_and_description(ET.fromstring(histogram(skewed, {}, "T")))[1]
    assert "lopsided" not in accessible_name_and_description(ET.fromstring(histogram(symmetric, {}, "T")))[1]


def test_a_histogram_of_identical_trials_is_one_bar():
    root = ET.fromstring(histogram([5e6] * 100, {"Plan": 5e6}, "Certain"))
    bars = by_class(root, "app-histogram__bar")
    assert [int(bar.get("data-count") or 0) for bar in bars] == [100]


@pytest.mark.parametrize(
    ("samples", "marks", "bins", "message"),
    [
        ([], {}, 40, "at least one sample"),
        ([1.0, math.nan], {}, 40, "finite"),
        ([1.0, 2.0], {"Plan": math.inf}, 40, "finite"),
        ([1.0, 2.0], {}, 0, "bins"),
    ],
)
def test_a_histogram_refuses_samples_it_cannot_draw(samples, marks, bins, message):
    with pytest.raises(ValueError, match=message):
        histogram(samples, marks, "Total", bins=bins)
