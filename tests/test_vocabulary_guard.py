"""Financial years, quarters and pounds are read and written in one place: headway/lib.

This test reads every Python file of Headway (apps, commands, the demo and the bench) and fails
on code that parses or formats them itself, naming the file and line, so a second copy of the
rule cannot creep back in. Words such as "£250,000" in a hint are fine; code that builds a year
label, a pounds string or a year/quarter regular expression is not.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = [ROOT / "headway", ROOT / "bench"]
HOME = ROOT / "headway" / "lib"

# Each is a sign of code doing what headway/lib does.
SIGNS = {
    "a financial-year pattern": re.compile(r"\\d\{4\}\s*/|\\d\{4\}\)/"),
    "a financial-year label built by hand": re.compile(r"\+\s*1\)\s*%\s*100"),
    "a start year cut from a label": re.compile(r"\[:4\]\)"),
    "a quarter pattern": re.compile(r"Q\(?\[1-4\]"),
    "a financial quarter worked out by hand": re.compile(r"month\s*-\s*4\)\s*%\s*12"),
    "pounds formatted by hand": re.compile(r"""f["'][^"']*£\{"""),
    "a percentage formatted by hand": re.compile(r"""\*\s*100\s*:[^}]*\}\s*%|:[,.\d]*f\}%["']"""),
    "pounds parsed by hand": re.compile(r"""\[£|replace\(\s*["']£"""),
}


def offences() -> list[str]:
    found = []
    for folder in SCANNED:
        for path in sorted(folder.rglob("*.py")):
            if HOME in path.parents or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                for sign, pattern in SIGNS.items():
                    if pattern.search(line):
                        found.append(f"{path.relative_to(ROOT)}:{number}: {sign}: {line.strip()}")
    return found


def test_no_module_outside_lib_parses_or_formats_years_quarters_or_pounds_itself() -> None:
    assert offences() == [], "Use headway.lib (financial_years, quarters, money) instead:\n" + "\n".join(offences())


def test_the_guard_finds_a_hand_made_year_label(tmp_path: Path) -> None:
    # The guard must be able to fail: each sign matches the code it is meant to catch.
    samples = {
        "a financial-year pattern": r'FY = re.compile(r"^(\d{4})/(\d{2})$")',
        "a financial-year label built by hand": 'label = f"{start}/{(start + 1) % 100:02d}"',
        "a start year cut from a label": "start = int(label[:4])",
        "a quarter pattern": r'QUARTER = re.compile(r"Q([1-4])")',
        "a financial quarter worked out by hand": 'number = ((day.month - 4) % 12) // 3 + 1',
        "pounds formatted by hand": 'text = f"{name} costs £{amount:,}"',
        "a percentage formatted by hand": 'text = f"{fraction * 100:.1f}%"',
        "pounds parsed by hand": r'cleaned = re.sub(r"[£,\s]", "", text)',
    }
    for sign, code in samples.items():
        assert SIGNS[sign].search(code), sign
    assert not any(p.search('hint = "For example: 2026/27 | £250,000 | £40,000"') for p in SIGNS.values())
