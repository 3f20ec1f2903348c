"""A cheap check that fails the build on an unscoped query in a view.

Views reach organisation data only through `request.organisation`: either the access helpers
(`<app>/access.py`), a `.for_organisation(...)` queryset, or a related manager of an object
already fetched through them. A bare `Model.objects.filter(...)` in a view is how one trust's
data leaks into another's page, so it is refused here.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "headway"
# Models that are not organisation data, or that views may look up globally on purpose.
ALLOWED_MANAGER_CALLS = {"for_organisation"}
API_NOT_VIEWS = {"auth", "access", "actions", "models", "apps", "__init__"}


def unscoped_calls(source: str) -> list[tuple[int, str]]:
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
            manager = node.value
            if manager.attr == "objects" and node.attr not in ALLOWED_MANAGER_CALLS:
                problems.append((node.lineno, f"{ast.unparse(manager)}.{node.attr}"))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "get_object_or_404":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Name):
                problems.append((node.lineno, f"get_object_or_404({first.id}, …)"))
    return problems


def test_the_check_spots_an_unscoped_query():
    assert unscoped_calls("Initiative.objects.filter(pk=1)") == [(1, "Initiative.objects.filter")]
    assert unscoped_calls("get_object_or_404(Risk, pk=1)") == [(1, "get_object_or_404(Risk, …)")]
    assert unscoped_calls("Initiative.objects.for_organisation(org).filter(pk=1)") == []


def test_no_view_queries_organisation_data_without_the_organisation():
    # Every module of views: views.py, and the ones split out of it (pack_views.py and so on).
    views = sorted(ROOT.glob("*/*views.py")) + sorted(ROOT.glob("*/views/*.py"))
    # The API's routers are views too; its token and membership look-ups (auth.py, access.py,
    # actions.py) are of the person, not of an organisation's data, so are left to their tests.
    views += [path for path in sorted((ROOT / "api").glob("*.py")) if path.stem not in API_NOT_VIEWS]
    assert views, "no views found: the check would pass vacuously"
    found = {
        f"{path.relative_to(ROOT.parent)}:{line}": call
        for path in views
        for line, call in unscoped_calls(path.read_text())
    }
    assert found == {}, f"Scope these through request.organisation or an access helper: {found}"
