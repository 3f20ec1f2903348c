"""The SVG kit every chart is drawn with (headway.lib.svg), without Django or a database."""

import ast
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path

import pytest

from headway.lib import svg

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parent.parent


def test_every_colour_that_carries_information_has_3_to_1_contrast_with_the_background():
    for colour in (svg.GREY, svg.DARK_GREY, svg.BLUE, svg.ORANGE, svg.PURPLE, svg.RED, svg.SLATE):
        assert svg.contrast(colour) >= 3.0, colour


def test_text_colours_have_4_5_to_1_contrast_with_the_background():
    for colour in (svg.TEXT, svg.SECONDARY_TEXT):
        assert svg.contrast(colour) >= 4.5, colour


def test_the_contrast_of_black_on_white_is_21_and_of_a_colour_with_itself_is_1():
    assert svg.contrast("#000000") == pytest.approx(21.0)
    assert svg.contrast(svg.BLUE, svg.BLUE) == pytest.approx(1.0)


def test_a_document_is_an_image_labelled_by_its_title_and_description():
    markup = "".join(svg.document("demo", "demo-1", 300, 200, "Beds <free>", "Ten & rising")) + "</svg>"
    root = ET.fromstring(markup)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "demo-1-title demo-1-desc"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Beds <free>" and title.get("id") == "demo-1-title"
    assert desc is not None and desc.text == "Ten & rising" and desc.get("id") == "demo-1-desc"
    assert "Arial" in (root.get("font-family") or "")


def test_text_is_escaped_and_names_its_font():
    element = ET.fromstring(f'<svg xmlns="http://www.w3.org/2000/svg">{svg.text(1, 2, "<script>&")}</svg>')[0]
    assert element.text == "<script>&"
    assert "Arial" in (element.get("font-family") or "")


def test_a_line_gives_its_width_exactly_and_its_dash_only_when_asked():
    assert 'stroke-width="1.75"' in svg.line(0, 0, 1, 1, svg.TEXT, 1.75)
    assert "dasharray" not in svg.line(0, 0, 1, 1, svg.TEXT)
    assert 'stroke-dasharray="6 4"' in svg.line(0, 0, 1, 1, svg.TEXT, 1, "6 4")


def test_ticks_are_round_numbers_covering_the_range():
    ticks = svg.nice_ticks(3.2, 97.1)
    assert ticks[0] <= 3.2 and ticks[-1] >= 97.1
    assert ticks == [0, 25, 50, 75, 100]
    assert svg.nice_ticks(float("nan"), 1) == [0.0, 1.0]


def test_tick_labels_share_one_scale_and_money_is_written_with_its_unit():
    assert svg.tick_labels([0, 2_500_000, 5_000_000]) == ["0.0m", "2.5m", "5.0m"]
    assert svg.tick_labels([0, 250_000, 500_000], unit="£") == ["£0", "£250k", "£500k"]
    assert svg.tick_labels([-5, 0, 5]) == ["−5", "0", "5"]
    assert svg.tick_labels([0, 500, 1000], unit="minutes") == ["0", "500", "1,000"]


def test_x_labels_never_overlap_and_the_last_is_always_labelled():
    labels = [f"Month {i}" for i in range(60)]
    xs = [10 + i * 6.0 for i in range(60)]
    drawn = svg.x_labels(xs, labels, bottom=100, width=400, css_class="x")
    root = ET.fromstring(f'<svg xmlns="http://www.w3.org/2000/svg">{"".join(drawn)}</svg>')
    texts = list(root.iter(f"{SVG}text"))
    assert texts[-1].text == "Month 59"
    spans = sorted(
        (
            float(t.get("x") or 0) - svg.text_width(t.text or "", 12) / 2,
            float(t.get("x") or 0) + svg.text_width(t.text or "", 12) / 2,
        )
        for t in texts
    )
    assert all(left >= right for (_, right), (left, _) in pairwise(spans))


def test_legend_items_wrap_into_rows_that_fit():
    assert svg.legend_rows([100, 100, 100], 250) == [[0, 1], [2]]
    assert svg.legend_rows([300], 250) == [[0]]  # an item wider than the row still gets a row


@pytest.mark.parametrize("path", ["headway/lib/svg.py", "headway/metrics/spc.py", "headway/metrics/improvement.py"])
def test_the_pure_modules_import_no_django(path):
    tree = ast.parse((ROOT / path).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name == "django" or name.startswith("django.") for name in imported), path
    # Nor through another Headway module that does.
    for name in imported:
        if name.startswith("headway.") and name not in ("headway.lib", "headway.metrics"):
            module = ROOT / (name.replace(".", "/") + ".py")
            assert "django" not in module.read_text(), name
