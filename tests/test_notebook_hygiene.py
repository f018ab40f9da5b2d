"""The committed notebooks: clean (no outputs), valid, parameterised the same way, and thin.

"Thin" means the code cells only hold the parameters and calls into the package: after
the parameters cell, one set-up cell (``views.open_page`` with the parameters in order)
and then one ``page.<method>()`` call per cell, where the method exists on the page.
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
]
PAGE_KEYS = ["00", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "10"]
PARAMETERS = [
    ("year", "int", 2025),
    ("as_of", "str", "2025-12-31"),
    ("period", "str", "year"),
    ("data_dir", "str | None", None),
    ("units", "list | None", None),
    ("label_language", "str", "vi"),
    ("interactive", "bool", True),
]
MAX_CODE_LINES = 3
CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def _code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def test_the_eleven_notebooks_are_there():
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


def test_kernel_is_the_portable_python3(notebook):
    _, nb = notebook
    spec = nb.metadata["kernelspec"]
    assert spec["name"] == "python3"
    assert spec["language"] == "python"


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


def test_setup_cell_opens_the_page_with_the_parameters_in_order(notebook):
    path, nb = notebook
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


def test_other_code_cells_are_single_page_calls_to_existing_methods(notebook):
    path, nb = notebook
    cls = page_class(PAGE_KEYS[EXPECTED.index(path.stem)])
    for cell in _code_cells(nb)[2:]:
        lines = [line for line in cell.source.splitlines() if line.strip()]
        assert len(lines) <= MAX_CODE_LINES, cell.source
        tree = ast.parse(cell.source)
        assert len(tree.body) == 1, cell.source
        call = tree.body[0].value if isinstance(tree.body[0], ast.Expr) else None
        assert isinstance(call, ast.Call) and not call.args and not call.keywords, cell.source
        assert isinstance(call.func, ast.Attribute) and ast.unparse(call.func.value) == "page"
        assert callable(getattr(cls, call.func.attr, None)), call.func.attr


def test_no_logic_in_any_code_cell(notebook):
    _, nb = notebook
    banned = (
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.Lambda,
        ast.For,
        ast.While,
        ast.With,
        ast.ListComp,
        ast.DictComp,
        ast.SetComp,
        ast.GeneratorExp,
    )
    for cell in _code_cells(nb):
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, banned), cell.source
            if isinstance(node, ast.Import | ast.ImportFrom):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                assert module.startswith("tthc_analysis"), cell.source
        assert "pandas" not in cell.source and "pd." not in cell.source


def test_starts_with_a_vietnamese_title_and_text_is_nfc(notebook):
    _, nb = notebook
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    title = first.source.splitlines()[0]
    assert title.startswith("# ") and any(ord(c) > 127 for c in title)
    for cell in nb.cells:
        assert unicodedata.normalize("NFC", cell.source) == cell.source
    narrative = [c for c in nb.cells if c.cell_type == "markdown"]
    assert len(narrative) >= len(_code_cells(nb)) - 1  # text between the calls
