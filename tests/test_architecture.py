"""The layout's rules, checked on the source: import direction, I/O at the edges, types.

Layers (CONTRIBUTING.md), each importing only from its own layer or lower ones:
foundations <- vocabulary <- loading/plan <- metrics <- evaluation <- charts/views <-
review/cli/sample.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tthc_analysis"

LAYERS = {
    "_lazy": 0,
    "errors": 0,
    "text": 0,
    "config": 0,
    "periods": 0,
    "workdays": 0,
    "status": 0,
    "xlsx": 0,
    "organisation": 0,
    "outputs": 0,
    "archives": 0,
    "typed": 0,
    "fields": 1,
    "privacy": 1,
    "schemas": 1,
    "labels": 1,
    "loading": 2,
    "plan": 2,
    "metrics": 3,
    "evaluation": 4,
    "charts": 5,
    "views": 5,
    "review": 6,
    "cli": 6,
    "sample": 6,
    "document": 6,
    "__main__": 7,
}
"""Layer of each top-level module or subpackage of the package."""

_READERS_WRITERS = {
    "open",
    "read_csv",
    "read_excel",
    "read_parquet",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "to_csv",
    "to_parquet",
    "to_excel",
    "mkdir",
    "load_settings",
    "read_reference_csv",
    "unit_reference",
    "write_xlsx",
}
"""Calls that read or write files (directly, or by loading settings/reference files)."""


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        out.append((".".join(parts), path))
    return out


def _layer(name: str) -> int | None:
    """Layer of ``name``, a module path relative to the package (``metrics.rates``)."""
    return LAYERS.get(name.split(".")[0])


def _imported(tree: ast.AST) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "tthc_analysis":
                found += [(a.name, node.lineno) for a in node.names if a.name != "__version__"]
            elif node.module.startswith("tthc_analysis."):
                found.append((node.module.removeprefix("tthc_analysis."), node.lineno))
        elif isinstance(node, ast.Import):
            found += [
                (a.name.removeprefix("tthc_analysis."), node.lineno)
                for a in node.names
                if a.name.startswith("tthc_analysis.")
            ]
    return found


def test_every_module_has_a_layer():
    unknown = [name for name, _ in _modules() if name != "__init__" and _layer(name) is None]
    assert unknown == []


def test_no_module_imports_from_a_higher_layer():
    upward = []
    for name, path in _modules():
        if name == "__init__":
            continue  # the package's lazy exports name every layer
        mine = _layer(name)
        for other, line in _imported(ast.parse(path.read_text(encoding="utf-8"))):
            theirs = _layer(other)
            assert theirs is not None, f"{name}:{line} imports unknown {other}"
            if mine is not None and theirs > mine:
                upward.append(f"{name}:{line} -> {other}")
    assert upward == []


def test_the_layer_check_sees_an_upward_import():
    tree = ast.parse("from tthc_analysis.review.build import build_review\n")
    ((other, _),) = _imported(tree)
    assert _layer(other) > _layer("metrics.rates")


@pytest.mark.parametrize("package", ["metrics", "evaluation"])
def test_metrics_and_evaluation_do_no_file_io(package):
    calls = []
    for path in sorted((PACKAGE / package).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in _READERS_WRITERS:
                calls.append(f"{path.name}:{node.lineno} {name}")
    assert calls == []


_BUNDLED_VOCABULARY = {
    ("plan.units", "_load"),
    ("loading.organisation", "_unit_spans"),
}
"""Readers of the bundled unit table (``data/reference/units.csv``, package data read once and
cached): the unit names and their dates are vocabulary, like :mod:`tthc_analysis.fields`, so a
unit lookup from the evaluation is not a hidden read of the analyst's files."""


def _import_names(tree: ast.Module) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Names a module imports: function name -> ``(module, name)``; alias -> module."""
    imported: dict[str, tuple[str, str]] = {}
    modules: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            source = node.module.removeprefix("tthc_analysis.")
            for alias in node.names:
                if node.module == "tthc_analysis":
                    modules[alias.asname or alias.name] = alias.name
                else:
                    imported[alias.asname or alias.name] = (source, alias.name)
                    modules[alias.asname or alias.name] = f"{source}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                modules[alias.asname or alias.name] = alias.name.removeprefix("tthc_analysis.")
    return imported, modules


def _calls_of(module: str, tree: ast.Module) -> dict[str, set[tuple[str, str]]]:
    """Module-level function -> the functions it calls, as ``(module, name)``.

    A bare name is the module's own function or the imported one; ``alias.name`` is a
    function of an imported package module; the readers and writers of
    :data:`_READERS_WRITERS` (``open``, ``path.read_text``, ``frame.to_csv``...) are
    ``("io", name)`` whatever they are called on.
    """
    own = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    imported, modules = _import_names(tree)
    out: dict[str, set[tuple[str, str]]] = {}
    for func in tree.body:
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        calls = out.setdefault(func.name, set())
        for node in ast.walk(func):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if name in _READERS_WRITERS:
                calls.add(("io", name))
            elif isinstance(f, ast.Name):
                calls.add((module, name) if name in own else imported.get(name, ("", name)))
            elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
                calls.add((modules.get(f.value.id, ""), name))
    return out


def _file_readers() -> set[tuple[str, str]]:
    """Package functions that read or write a file, directly or through other ones."""
    graph = {}
    for name, path in _modules():
        for func, calls in _calls_of(name, ast.parse(path.read_text(encoding="utf-8"))).items():
            graph[(name, func)] = calls
    readers = {key for key, calls in graph.items() if any(m == "io" for m, _ in calls)}
    readers -= _BUNDLED_VOCABULARY
    changed = True
    while changed:
        changed = False
        for key, calls in graph.items():
            if key not in readers and key not in _BUNDLED_VOCABULARY and calls & readers:
                readers.add(key)
                changed = True
    return readers


@pytest.mark.parametrize("package", ["metrics", "evaluation"])
def test_metrics_and_evaluation_reach_no_file_through_other_functions(package):
    # Hidden I/O: a default like ``calendar or default_calendar()`` reads the settings and
    # the overrides file; the calendar and the reference tables must be passed in.
    readers = _file_readers()
    hidden = sorted(
        f"{module}.{func} -> {target[0]}.{target[1]}"
        for (module, func), calls in _graph_of(package).items()
        for target in calls
        if target in readers
    )
    assert hidden == []


def _graph_of(package: str) -> dict[tuple[str, str], set[tuple[str, str]]]:
    graph = {}
    for name, path in _modules():
        if name.split(".")[0] == package:
            for func, calls in _calls_of(name, ast.parse(path.read_text(encoding="utf-8"))).items():
                graph[(name, func)] = calls
    return graph


def test_the_hidden_io_check_sees_a_default_calendar():
    readers = _file_readers()
    assert ("workdays", "default_calendar") in readers  # settings + overrides file
    assert ("loading.reference", "load_references") in readers
    assert ("config", "load_settings") in readers
    tree = ast.parse(
        "from tthc_analysis.workdays import default_calendar\n"
        "def rate(frame, calendar=None):\n"
        "    return (calendar or default_calendar()).count_working_days(1, 2)\n"
    )
    assert _calls_of("metrics.example", tree)["rate"] & readers == {
        ("workdays", "default_calendar")
    }


def test_evaluate_only_orchestrates_in_under_60_lines():
    tree = ast.parse((PACKAGE / "evaluation" / "evaluate.py").read_text(encoding="utf-8"))
    (func,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "evaluate"]
    assert func.end_lineno - func.lineno + 1 < 60


def test_no_function_takes_an_untyped_evaluation():
    untyped = []
    for name, path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
                untyped += [
                    f"{name}:{node.lineno} {node.name}({a.arg})"
                    for a in args
                    if a.arg in {"ev", "evaluation"} and a.annotation is None
                ]
    assert untyped == []


def test_the_evaluation_is_typed():
    from typing import get_type_hints

    from tthc_analysis.evaluation.evaluate import Evaluation

    hints = get_type_hints(Evaluation)
    assert hints["params"].__name__ == "EvaluationParams"
    assert hints["plan"].__name__ == "Plan"
    assert not [name for name, hint in hints.items() if hint in (dict, object)] or all(
        name in {"summary"} for name, hint in hints.items() if hint in (dict, object)
    )
