"""The committed notebooks: clean (no outputs), valid, parameterised the same way, and thin.

"Thin" means an analyst can read and adapt every cell without reading the package: no
function or class definitions, no loops (comprehensions included), no private names
(``_x``); keyword arguments (``page.overdue(unit=..., top=5)``) and pandas expressions
(``.data.groupby("status").size()``) are welcome. The report notebooks open their page
after the parameters cell, call one existing page method per cell, and follow each call
with a short cell tagged ``workbench`` and ``remove-cell`` (run in the test suite and in
JupyterLab, skipped by a review build and hidden in the report) showing how to reach the
data of what was shown. The exploration notebook (``kham_pha_du_lieu``) is free-form within the
same rules.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from pathlib import Path

import nbformat
import pytest

from tthc_analysis.config import NOTEBOOKS_DIR
from tthc_analysis.views.page import page_class

EXPECTED = [
    "00_tong_quan",
    "01_chi_tieu_cai_cach",
    "02_kiem_soat_quy_dinh",
    "03_nghiep_vu",
    "04_cong_bo_cong_khai",
    "05_ra_soat_don_gian_hoa",
    "06_mot_cua",
    "07_phan_anh_kien_nghi",
    "08_bao_cao",
    "09_chuyen_doi_so",
    "10_tong_ket_nam",
    "kham_pha_du_lieu",
]
REPORT_NOTEBOOKS = EXPECTED[:11]
PAGE_KEYS = ["00", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "10"]
PARAMETERS = [
    ("year", "int", 2025),
    ("as_of", "str | None", None),
    ("period", "str", "year"),
    ("data_dir", "str | None", None),
    ("units", "list | None", None),
    ("label_language", "str", "vi"),
    ("interactive", "bool", True),
]
MAX_CODE_LINES = 3
CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
WORKBENCH = "workbench"
KERNEL = {"name": "tthc-analysis", "display_name": "Python (tthc-analysis)"}
ALLOWED_IMPORTS = ("tthc_analysis", "pandas")


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def _code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def _is_report(path: Path) -> bool:
    return path.stem in REPORT_NOTEBOOKS


def _workbench(cell) -> bool:
    return WORKBENCH in cell.metadata.get("tags", [])


def test_the_report_notebooks_and_the_exploration_notebook_are_there():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.stem)
def notebook(request):
    return request.param, _read(request.param)


def test_valid_nbformat_45_with_stable_unique_ids(notebook):
    _, nb = notebook
    nbformat.validate(nb)
    assert (nb.nbformat, nb.nbformat_minor) >= (4, 5)
    ids = [c.get("id") for c in nb.cells]
    assert all(isinstance(i, str) and CELL_ID.match(i) for i in ids), ids
    assert len(set(ids)) == len(ids)


def test_committed_without_outputs_or_execution_counts(notebook):
    _, nb = notebook
    for cell in _code_cells(nb):
        assert cell.outputs == [], cell.source[:60]
        assert cell.execution_count is None, cell.source[:60]
    for key in ("widgets", "papermill"):
        assert key not in nb.metadata


def test_kernel_is_the_projects_kernel_registered_by_make_lab(notebook):
    _, nb = notebook
    spec = nb.metadata["kernelspec"]
    assert {k: spec[k] for k in KERNEL} == KERNEL
    assert spec["language"] == "python"
    # `tthc lab` registers it for every install (venv, conda, Windows); `make env` calls it
    from tthc_analysis.cli.dev import KERNEL_DISPLAY_NAME, KERNEL_NAME

    assert (KERNEL["name"], KERNEL["display_name"]) == (KERNEL_NAME, KERNEL_DISPLAY_NAME)
    makefile = (NOTEBOOKS_DIR.parent / "Makefile").read_text(encoding="utf-8")
    assert "$(BIN)/tthc lab --setup-only" in makefile


def test_exactly_one_parameters_cell_first_among_code_cells(notebook):
    _, nb = notebook
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert _code_cells(nb)[0] is tagged[0]
    assert tagged[0]["id"] == "parameters"


def test_parameters_have_the_agreed_names_annotations_and_defaults(notebook):
    _, nb = notebook
    tree = ast.parse(_code_cells(nb)[0].source)
    found = []
    for node in tree.body:
        assert isinstance(node, ast.AnnAssign), ast.dump(node)[:80]
        found.append((node.target.id, ast.unparse(node.annotation), ast.literal_eval(node.value)))
    assert found == PARAMETERS


def test_parameters_document_their_valid_values_in_vietnamese(notebook):
    _, nb = notebook
    source = _code_cells(nb)[0].source
    for name, _annotation, _default in PARAMETERS:
        line = next(x for x in source.splitlines() if x.startswith(f"{name}:"))
        assert "#" in line, line  # a comment on every parameter
    for value in ('"q1"', '"h1"', '"9m"', '"year"', '"YYYY-MM"', "None = ngày cuối của kỳ"):
        assert value in source, value
    explained = [c.source for c in nb.cells if c.cell_type == "markdown" and "Tham số" in c.source]
    assert explained and "Giá trị hợp lệ" in explained[0]


def test_setup_cell_opens_the_page_with_the_parameters_in_order(notebook):
    path, nb = notebook
    if not _is_report(path):
        pytest.skip("the exploration notebook opens what it needs")
    setup = _code_cells(nb)[1]
    tree = ast.parse(setup.source)
    assert isinstance(tree.body[0], ast.ImportFrom)
    assert tree.body[0].module == "tthc_analysis"
    call = tree.body[1].value
    assert ast.unparse(call.func) == "views.open_page"
    key = ast.literal_eval(call.args[0])
    assert key == PAGE_KEYS[EXPECTED.index(path.stem)]
    assert [a.id for a in call.args[1:]] == [name for name, _, _ in PARAMETERS]
    page_class(key)  # the page exists


def test_page_cells_call_existing_methods_each_followed_by_its_data_cell(notebook):
    path, nb = notebook
    if not _is_report(path):
        pytest.skip("the exploration notebook is free-form")
    cls = page_class(PAGE_KEYS[EXPECTED.index(path.stem)])
    cells = _code_cells(nb)[2:]
    for i, cell in enumerate(cells):
        lines = [line for line in cell.source.splitlines() if line.strip()]
        assert len(lines) <= MAX_CODE_LINES, cell.source
        tree = ast.parse(cell.source)
        assert len(tree.body) == 1, cell.source
        call = tree.body[0].value if isinstance(tree.body[0], ast.Expr) else None
        if _workbench(cell):
            # page.<method>(...).data... : the same method as the page cell above
            assert "remove-cell" in cell.metadata["tags"]  # hidden in the report
            above = ast.parse(cells[i - 1].source).body[0].value
            called = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
            names = {ast.unparse(n.func) for n in called}
            assert ast.unparse(above.func) in names, cell.source
            assert ".data" in cell.source or ".frames" in cell.source, cell.source
            continue
        assert isinstance(call, ast.Call) and not call.args and not call.keywords, cell.source
        assert isinstance(call.func, ast.Attribute) and ast.unparse(call.func.value) == "page"
        assert callable(getattr(cls, call.func.attr, None)), call.func.attr
        following = cells[i + 1] if i + 1 < len(cells) else None
        if call.func.attr != "signature":  # the signature block has no data
            assert following is not None and _workbench(following), cell.source


BANNED = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Lambda,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.ListComp,
    ast.DictComp,
    ast.SetComp,
    ast.GeneratorExp,
    ast.Global,
    ast.Nonlocal,
)


def _problems(source: str) -> list[str]:
    """What breaks the notebook rules in a cell's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, BANNED):
            found.append(type(node).__name__)
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = (
                [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            )
            found += [f"import {m}" for m in modules if not m.startswith(ALLOWED_IMPORTS)]
            found += [f"private {a.name}" for a in node.names if a.name.startswith("_")]
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            found.append(f"private {node.id}")
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            found.append(f"private .{node.attr}")
    return found


def test_no_definitions_loops_or_private_names_in_any_code_cell(notebook):
    _, nb = notebook
    for cell in _code_cells(nb):
        assert _problems(cell.source) == [], cell.source


def test_the_rules_allow_keywords_and_pandas_and_forbid_logic():
    allowed = (
        'page.overdue(unit="Phòng Giáo dục Trung học", top=5).data.head()',
        'import pandas as pd\nds = tables.dossiers\nds.loc[ds["channel"] == "online"]',
        'page.heatmap(by="field").data.groupby("field")["on_time_rate"].mean()',
    )
    for source in allowed:
        assert _problems(source) == [], source
    assert _problems("def f(x):\n    return x") == ["FunctionDef"]
    assert _problems("for x in y:\n    print(x)") == ["For"]
    assert _problems("[x for x in y]") == ["ListComp"]
    assert _problems("page._frames") == ["private ._frames"]
    assert _problems("from tthc_analysis.views.page import _esc") == ["private _esc"]
    assert _problems("import os") == ["import os"]


def test_starts_with_a_vietnamese_title_and_text_is_nfc(notebook):
    path, nb = notebook
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    title = first.source.splitlines()[0]
    assert title.startswith("# ") and any(ord(c) > 127 for c in title)
    for cell in nb.cells:
        assert unicodedata.normalize("NFC", cell.source) == cell.source
    narrative = [c for c in nb.cells if c.cell_type == "markdown"]
    calls = [c for c in _code_cells(nb) if not _workbench(c)]
    if _is_report(path):
        assert len(narrative) >= len(calls) - 1  # text between the calls
    else:
        assert len(narrative) >= len(calls) // 2  # each step explained
