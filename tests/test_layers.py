"""The layers hold: no two apps import each other (even by way of others), the shared modules sit
below the apps, and the pure modules import nothing from Django.

Read from the source with `ast`, so it sees imports inside functions as well as at the top of a
module, and needs no database.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADWAY = ROOT / "headway"

# Below the apps: used by them, and using none of them but accounts (who the person is, which
# organisation they work in and what their role allows), which every app already sits on.
SHARED = {"forms", "confirm", "history", "views", "lib", "concurrency", "derived"}
SHARED_MAY_USE = {"accounts"}
# Above everything: they put the apps together.
ROOTS = {"settings", "urls", "wsgi", "asgi", "admin_site", "apps", "__init__"}

# Maths and vocabulary with no Django in them, tested without a database. Each must import no
# Django, directly or through another Headway module.
PURE = [
    "headway/lib/*.py",
    "headway/metrics/spc.py",
    "headway/metrics/improvement.py",
    "headway/prioritisation/selection.py",
    "headway/prioritisation/scoring.py",
    "headway/prioritisation/problem.py",
    "headway/prioritisation/robustness.py",
    "headway/prioritisation/costs.py",
    "headway/prioritisation/changes.py",
    "headway/prioritisation/results.py",
    "headway/finance/forecast.py",
    "headway/assurance/pitfalls.py",
    "headway/assurance/ratings.py",
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in HEADWAY.rglob("*.py") if "migrations" not in path.parts}


def imports_of(path: Path, name: str) -> set[str]:
    """Every module this one imports, at the top or inside a function, as absolute names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            # `from headway.metrics import charts` imports the module headway.metrics.charts.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def layer(module: str) -> str | None:
    """The app (or shared module) a Headway module belongs to: headway.metrics.spc → "metrics"."""
    parts = module.split(".")
    if parts[0] != "headway" or len(parts) < 2:
        return None
    return parts[1]


def graph() -> dict[str, dict[str, set[str]]]:
    """app → app it imports → the modules that do it, for the apps and shared modules of Headway."""
    known = modules()
    edges: dict[str, dict[str, set[str]]] = {}
    for name, path in known.items():
        source = layer(name)
        if source is None or source in ROOTS:
            continue
        for imported in imports_of(path, name):
            target = layer(imported)
            if target is None or target == source or target in ROOTS:
                continue
            edges.setdefault(source, {}).setdefault(target, set()).add(name)
    return edges


def app_graph(edges: dict[str, dict[str, set[str]]]) -> dict[str, dict[str, set[str]]]:
    """app → app, seeing through the shared modules: an app that imports headway.views, which
    imports another app, depends on that app. An app's use of a shared module that uses the app
    itself (accounts → headway.views → accounts) is no loop between apps."""
    apps: dict[str, dict[str, set[str]]] = {}
    for source, targets in edges.items():
        if source in SHARED:
            continue
        pending = [(target, names) for target, names in targets.items()]
        seen: set[str] = set()
        while pending:
            target, names = pending.pop()
            if target in SHARED:
                if target not in seen:
                    seen.add(target)
                    pending.extend((further, names | via) for further, via in edges.get(target, {}).items())
            elif target != source:
                apps.setdefault(source, {}).setdefault(target, set()).update(names)
    return apps


def cycles(edges: dict[str, dict[str, set[str]]]) -> list[list[str]]:
    """The strongly connected groups of more than one node (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    nodes = set(edges) | {target for targets in edges.values() for target in targets}
    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return groups


def describe(edges: dict[str, dict[str, set[str]]], group: list[str]) -> list[str]:
    return [
        f"{source} → {target} ({', '.join(sorted(edges[source][target]))})"
        for source in group
        for target in sorted(edges.get(source, {}))
        if target in group
    ]


def test_the_import_reader_sees_imports_inside_functions_and_relative_ones(tmp_path):
    source = tmp_path / "views.py"
    source.write_text("from . import models\ndef f():\n    from headway.metrics import charts\n    import json\n")
    found = imports_of(source, "headway.portfolio.views")
    assert {"headway.portfolio.models", "headway.metrics.charts", "json"} <= found


def test_the_cycle_finder_finds_a_cycle_by_way_of_a_third_app():
    edges = {"a": {"b": {"a.x"}}, "b": {"c": {"b.y"}}, "c": {"a": {"c.z"}}, "d": {"a": {"d.w"}}}
    assert cycles(edges) == [["a", "b", "c"]]
    assert describe(edges, ["a", "b", "c"]) == ["a → b (a.x)", "b → c (b.y)", "c → a (c.z)"]


def test_the_app_graph_sees_through_the_shared_modules():
    edges = {"a": {"views": {"a.v"}}, "views": {"b": {"views"}}, "accounts": {"views": {"accounts.v"}}}
    edges["views"]["accounts"] = {"views"}
    assert app_graph(edges) == {
        "a": {"b": {"a.v", "views"}, "accounts": {"a.v", "views"}},
        "accounts": {"b": {"accounts.v", "views"}},  # but not accounts → accounts
    }


def test_no_app_imports_an_app_that_imports_it_back_even_by_way_of_others():
    edges = app_graph(graph())
    assert "portfolio" in edges, "no imports found: the check would pass vacuously"
    found = [describe(edges, group) for group in cycles(edges)]
    assert found == [], "Apps that import each other (break each loop at one of these imports):\n" + "\n".join(
        line for group in found for line in group
    )


def test_the_shared_modules_use_no_app_but_accounts():
    edges = graph()
    found = [
        f"{source} → {target} ({', '.join(sorted(names))})"
        for source in sorted(SHARED)
        for target, names in sorted(edges.get(source, {}).items())
        if target not in SHARED | SHARED_MAY_USE
    ]
    assert found == [], "Shared modules must sit below the apps:\n" + "\n".join(found)


# At the top of the app order: it reads every app to export and import an organisation (ADR 35).
TOP = "transfer"


def test_no_app_or_shared_module_imports_the_app_at_the_top():
    edges = graph()
    found = [
        f"{source} → {TOP} ({', '.join(sorted(targets[TOP]))})"
        for source, targets in sorted(edges.items())
        if TOP in targets
    ]
    assert TOP in {layer(name) for name in modules()}, "the top app is missing: the check would pass vacuously"
    assert found == [], f"Nothing may import {TOP}, which sits above every app:\n" + "\n".join(found)


def test_the_library_imports_nothing_of_headway_but_itself():
    found = [
        f"{name} imports {imported}"
        for name, path in sorted(modules().items())
        if name.startswith("headway.lib")
        for imported in sorted(imports_of(path, name))
        if imported.startswith("headway.") and not imported.startswith("headway.lib")
    ]
    assert found == []


def pure_modules() -> list[str]:
    paths = sorted({path for pattern in PURE for path in ROOT.glob(pattern)})
    return [module_name(path) for path in paths if path.name != "__init__.py"]


def test_the_pure_modules_listed_are_there():
    names = pure_modules()
    for expected in ("headway.lib.weeks", "headway.metrics.spc", "headway.prioritisation.selection"):
        assert expected in names


def test_no_pure_module_imports_django_even_through_another_headway_module():
    known = modules()
    found = []
    for start in pure_modules():
        seen: set[str] = set()
        # (module, how it was reached), walked through Headway's own modules only.
        # Importing headway.metrics.spc first runs headway/__init__.py and headway/metrics/__init__.py.
        parts = start.split(".")
        pending = [(start, [start])] + [
            (".".join(parts[:n]), [start, ".".join(parts[:n])]) for n in range(1, len(parts))
        ]
        while pending:
            name, route = pending.pop()
            if name in seen or name not in known:
                continue
            seen.add(name)
            for imported in sorted(imports_of(known[name], name)):
                if imported == "django" or imported.startswith("django."):
                    found.append(" → ".join([*route, imported]))
                elif imported.startswith("headway."):
                    pieces = imported.split(".")
                    for n in range(2, len(pieces) + 1):
                        pending.append((".".join(pieces[:n]), [*route, ".".join(pieces[:n])]))
    assert found == [], "Pure modules must not reach Django:\n" + "\n".join(found)


def test_the_imports_sit_above_every_app_and_no_app_imports_them():
    """The imports write through every app's actions (ADR 33), so no app may use them: only the
    project's root modules (settings, urls) name them."""
    users = {source for source, targets in app_graph(graph()).items() if "imports" in targets}
    assert users == set(), f"these apps import headway.imports: {sorted(users)}"
    assert {"portfolio", "metrics", "finance"} <= set(app_graph(graph()).get("imports", {}))


def test_the_api_sits_at_the_top_and_no_app_uses_it_but_the_demo():
    """The API (ADR 31) may use every app; only the demo loader (its demo token) reaches into it."""
    users = {source for source, targets in app_graph(graph()).items() if "api" in targets}
    assert users <= {"demo"}, f"These import headway.api, which sits above every app: {sorted(users - {'demo'})}"
    assert {"portfolio", "metrics", "assurance"} <= set(app_graph(graph()).get("api", {}))
