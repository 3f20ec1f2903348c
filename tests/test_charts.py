"""XmR charts as SVG: well-formed, accessible, faithful to the SPC result, and safe with any text."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from django.template.loader import render_to_string
from django.test import SimpleTestCase

from headway.lib.periods import next_period, period_label
from headway.metrics import charts, spc
from headway.metrics.models import Annotation, Metric
from headway.metrics.series import Series

SVG = "{http://www.w3.org/2000/svg}"
START = dt.date(2025, 1, 1)


def make_series(
    values: list[float | None],
    *,
    name: str = "Discharge summaries sent within 24 hours",
    unit: str = "%",
    direction: str = "increase",
    target: float | None = None,
    rebase_at: tuple[int, ...] = (),
    annotations: tuple[tuple[int, str, bool], ...] = (),
    kind: str = "outcome",
) -> Series:
    metric = Metric(
        name=name, unit=unit, kind=kind, improvement_direction=direction, target_value=target, frequency="monthly"
    )
    periods = [START]
    while len(periods) < len(values):
        periods.append(next_period(periods[-1], "monthly"))
    periods = periods[: len(values)]
    return Series(
        metric=metric,
        periods=periods,
        labels=[period_label(p, "monthly") for p in periods],
        values=values,
        notes=[""] * len(values),
        annotations=[Annotation(period=periods[i], text=text, starts_new_period=new) for i, text, new in annotations],
        rebase_at=list(rebase_at),
        result=spc.analyse(values, improvement_direction=direction, target=target, rebase_at=list(rebase_at)),  # type: ignore[arg-type]
    )


def parse(series: Series) -> ET.Element:
    return ET.fromstring(str(charts.xmr_svg(series)))


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


STEADY = [50.0, 52, 49, 51, 50, 48, 51, 50, 52, 49, 50, 51, 49, 50, 51]


class WellFormedTest(SimpleTestCase):
    def test_it_is_well_formed_svg_with_a_title_and_a_description_it_is_labelled_by(self):
        root = parse(make_series(STEADY))
        self.assertEqual(root.tag, f"{SVG}svg")
        self.assertEqual(root.get("role"), "img")
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and desc is not None
        self.assertEqual(root.get("aria-labelledby"), f"{title.get('id')} {desc.get('id')}")
        self.assertIn("Discharge summaries", title.text or "")
        self.assertIn("The latest value is 51%", desc.text or "")
        self.assertIn("process limits", desc.text or "")

    def test_every_text_names_its_font_so_a_pdf_renders_the_same(self):
        root = parse(make_series(STEADY, target=60))
        texts = list(root.iter(f"{SVG}text"))
        self.assertTrue(texts)
        for text in texts:
            self.assertIn("Arial", text.get("font-family") or "")

    def test_two_charts_of_one_metric_on_a_page_have_different_ids(self):
        series = make_series(STEADY)
        self.assertNotEqual(parse(series).get("aria-labelledby"), parse(series).get("aria-labelledby"))


class SpecialCauseTest(SimpleTestCase):
    def test_special_cause_points_get_the_class_and_shape_of_their_cause(self):
        # Higher is better: a jump above the upper limit is an improvement, a fall below the lower a concern.
        values = [*STEADY, 70.0, 50, 30.0]
        root = parse(make_series(values))
        improvement = by_class(root, "app-xmr__point--improvement")
        concern = by_class(root, "app-xmr__point--concern")
        common = by_class(root, "app-xmr__point--neither")
        self.assertEqual([p.get("data-index") for p in improvement], ["15"])
        self.assertEqual([p.get("data-index") for p in concern], ["17"])
        self.assertEqual(improvement[0].tag, f"{SVG}path")  # a square
        self.assertEqual(concern[0].tag, f"{SVG}path")  # a diamond
        self.assertNotEqual(improvement[0].get("d", "").count("L"), concern[0].get("d", "").count("L"))
        self.assertTrue(all(p.tag == f"{SVG}circle" for p in common))
        self.assertEqual(improvement[0].get("fill"), charts.IMPROVEMENT)
        self.assertEqual(concern[0].get("fill"), charts.CONCERN)

    def test_a_neutral_metric_marks_unusual_points_in_purple_triangles(self):
        root = parse(make_series([*STEADY, 90.0], direction="neutral"))
        [point] = by_class(root, "app-xmr__point--neutral_high")
        self.assertEqual(point.get("fill"), charts.NEUTRAL)

    def test_the_legend_names_the_kinds_of_point_shown(self):
        root = parse(make_series([*STEADY, 70.0]))
        legend = " ".join(t.text or "" for t in by_class(root, "app-xmr__legend")[0].iter(f"{SVG}text"))
        self.assertIn("Improvement", legend)
        self.assertIn("Common cause", legend)
        self.assertNotIn("Concern", legend)

    def test_its_colours_have_3_to_1_contrast_with_white(self):
        def luminance(colour: str) -> float:
            channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
            linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
            return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

        for colour in (charts.IMPROVEMENT, charts.CONCERN, charts.NEUTRAL, charts.COMMON, charts.DATA_LINE,
                       charts.TARGET_LINE, charts.LIMIT_LINE):
            self.assertGreaterEqual(1.05 / (luminance(colour) + 0.05), 3.0, colour)
        # White letters on the icons are text: 4.5 to 1.
        for colour in (charts.IMPROVEMENT, charts.CONCERN, charts.NEUTRAL, charts.COMMON):
            self.assertGreaterEqual(1.05 / (luminance(colour) + 0.05), 4.5, colour)


class LinesTest(SimpleTestCase):
    def test_a_rebase_splits_the_mean_and_limits_and_draws_a_break(self):
        values = [*STEADY, 70.0, 72, 69, 71, 70, 68, 71, 70, 72, 69, 70, 71, 69, 70]
        root = parse(make_series(values, rebase_at=(15,), annotations=((15, "New triage process", True),)))
        means = by_class(root, "app-xmr__mean")
        self.assertEqual(len(means), 2)
        self.assertLess(float(means[0].get("x2", 0)), float(means[1].get("x1", 0)))
        self.assertNotEqual(means[0].get("y1"), means[1].get("y1"))
        self.assertEqual(len(by_class(root, "app-xmr__upl")), 2)
        [line] = by_class(root, "app-xmr__break")
        self.assertEqual(line.get("stroke-dasharray"), "5 4")
        self.assertIn("New triage process", "".join(line.itertext()))

    def test_trial_limits_are_dashed_and_fixed_limits_are_not(self):
        short = parse(make_series(STEADY[:8]))
        self.assertTrue(all(e.get("stroke-dasharray") for e in by_class(short, "app-xmr__upl")))
        full = parse(make_series(STEADY))
        self.assertFalse(any(e.get("stroke-dasharray") for e in by_class(full, "app-xmr__upl")))

    def test_the_target_line_is_drawn_and_labelled_only_when_there_is_a_target(self):
        with_target = parse(make_series(STEADY, target=60))
        [target] = by_class(with_target, "app-xmr__target")
        self.assertIn("Target 60%", "".join(target.itertext()))
        self.assertEqual(by_class(parse(make_series(STEADY)), "app-xmr__target"), [])

    def test_the_icons_are_drawn_with_their_meaning_in_words(self):
        root = parse(make_series([*STEADY, 70.0], target=80))
        icons = {e.get("data-icon"): "".join(e.itertext()) for e in by_class(root, "app-xmr__icon")}
        self.assertEqual(set(icons), {"improvement_high", "fail"})
        self.assertIn("Special cause improvement", icons["improvement_high"])
        self.assertIn("miss the target", icons["fail"])

    def test_x_labels_are_thinned_but_the_latest_period_is_always_labelled(self):
        values = [50.0 + (i % 5) for i in range(60)]
        root = parse(make_series(values))
        labels = [e.text for e in by_class(root, "app-xmr__x")]
        self.assertLess(len(labels), 20)
        self.assertEqual(labels[-1], "Dec 2029")


class EdgeCaseTest(SimpleTestCase):
    def test_an_empty_series_says_there_is_no_data(self):
        root = parse(make_series([]))
        self.assertIn("No data yet", "".join(root.itertext()))
        desc = root.find(f"{SVG}desc")
        assert desc is not None
        self.assertIn("no data has been recorded yet", desc.text or "")

    def test_one_point_draws_the_point_without_limits(self):
        root = parse(make_series([42.0]))
        self.assertEqual(len(by_class(root, "app-xmr__point")), 1)
        self.assertEqual(by_class(root, "app-xmr__upl"), [])

    def test_all_missing_values_are_treated_as_no_data(self):
        root = parse(make_series([None, None, None]))
        self.assertIn("No data yet", "".join(root.itertext()))

    def test_gaps_break_the_data_line(self):
        root = parse(make_series([*STEADY[:6], None, *STEADY[6:]]))
        self.assertEqual(len(by_class(root, "app-xmr__data")), 2)

    def test_a_constant_series_and_extreme_or_negative_numbers_draw_without_error(self):
        for values, unit in (
            ([3.0] * 15, "patients"),
            ([1.2e9 + i * 1e7 for i in range(15)], "£"),
            ([0.000012 + i * 1e-7 for i in range(15)], "mg"),
            ([-5.0, -3, -8, -4, -6, -2, -7], "days"),
        ):
            root = parse(make_series(values, unit=unit))
            self.assertEqual(len(by_class(root, "app-xmr__point")), len(values))
            tick_text = [t.text or "" for t in by_class(root, "app-xmr__axis")[0].iter(f"{SVG}text")]
            self.assertEqual(len(tick_text), len(set(tick_text)), f"repeated tick labels for {values[:2]}")

    def test_large_numbers_are_shortened_on_the_axis(self):
        root = parse(make_series([1.2e9 + i * 1e7 for i in range(15)], unit="£"))
        ticks = [t.text or "" for t in by_class(root, "app-xmr__axis")[0].iter(f"{SVG}text")]
        self.assertTrue(any(t.endswith("bn") for t in ticks), ticks)


class EscapingTest(SimpleTestCase):
    def test_text_from_people_is_escaped(self):
        nasty = '<script>alert("x")</script> & Co'
        series = make_series(
            STEADY, name=nasty, unit="<b>", annotations=((3, nasty, False),), target=60
        )
        markup = str(charts.xmr_svg(series))
        self.assertNotIn("<script>", markup)
        self.assertNotIn("<b>", markup)
        root = ET.fromstring(markup)
        title = root.find(f"{SVG}title")
        assert title is not None
        self.assertIn(nasty, title.text or "")


class NumbersTest(SimpleTestCase):
    def test_numbers_read_as_a_board_member_writes_them(self):
        self.assertEqual(charts.format_number(1234567.0), "1,234,567")
        self.assertEqual(charts.format_number(87.456), "87.46")
        self.assertEqual(charts.format_number(80.0), "80")
        self.assertEqual(charts.format_number(-2.5), "-2.5")
        self.assertEqual(charts.format_number(0.000123), "0.000123")
        self.assertEqual(charts.with_unit("12", "£"), "£12")
        self.assertEqual(charts.with_unit("-12", "£"), "-£12")
        self.assertEqual(charts.with_unit("12", "minutes"), "12 minutes")

    def test_ticks_are_round_numbers_that_cover_the_range(self):
        ticks = charts.nice_ticks(3.2, 97.1)
        self.assertLessEqual(ticks[0], 3.2)
        self.assertGreaterEqual(ticks[-1], 97.1)
        self.assertIn(ticks[1] - ticks[0], (20.0, 25.0))


class ChartTemplateTest(SimpleTestCase):
    def test_the_template_shows_the_kind_the_icons_in_words_and_the_data(self):
        series = make_series([*STEADY, 70.0], kind="activity", target=80)
        html = render_to_string("metrics/_chart.html", {"chart": charts.chart(series)})
        self.assertIn("Activity — not a measure of impact", html)
        self.assertIn("Special cause improvement", html)
        self.assertIn("Show the data", html)
        self.assertIn("Special cause: improvement (a point outside the process limits)", html)
        self.assertEqual(html.count('<tr class="nhsuk-table__row">'), 1 + 16)

    def test_the_template_renders_nothing_without_a_chart(self):
        self.assertEqual(render_to_string("metrics/_chart.html", {}).strip(), "")
