"""The broken-input corpus (``tests/corpus/``): every hostile export gives either a clean
load with its problems in the rejected rows, or one clear Vietnamese error naming the
file (and column) and what to do; never a traceback, and no row is ever lost.

Each case of ``tests/corpus/expected.yaml`` is loaded twice: with the command line
(``tthc ingest CASE --out TMP``, through its entry point) and with the API
(:func:`tthc_analysis.loading.load`). For a case that loads, the rows read of every file
(manifest) equal kept + rejected (distinct rows) + superseded (an older state of a
dossier found in a newer export) and equal the data rows counted here independently with
the csv module / python-calamine / lxml, less the lines below the table (total row,
signature block); the rejected-rows lines are exactly the expected ones. A file that
cannot be loaded is refused with its reason (the other files are still loaded) and the
command exits with status 2.
"""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from python_calamine import CalamineWorkbook

from tthc_analysis.cli import main
from tthc_analysis.errors import InputFileError
from tthc_analysis.loading import load
from tthc_analysis.loading.ingest import read_output

CORPUS = Path(__file__).parent / "corpus"
EXPECTED: dict[str, dict] = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))[
    "cases"
]
CASES = sorted(EXPECTED)
NOT_INPUTS = {"expected.yaml", "make_corpus.py"}


def _run_cli(args: list[str]) -> int:
    """Exit code of ``tthc ARGS`` run in this process (0 when it returns)."""
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


# --- Independent row counts -------------------------------------------------------------------


def _blank(row) -> bool:
    return all(str(cell).strip() in ("", "None") for cell in row)


def _source_rows(case: Path, spec: dict) -> int:
    """Data rows of a source file, counted without the package: the non-blank rows below
    the ``header_rows`` first rows (records of a CSV file, rows of a worksheet or of an
    HTML table)."""
    path = case / spec["path"]
    if path.read_bytes()[:1] == b"<":
        from lxml import html

        table = html.fromstring(path.read_bytes()).xpath("//table")[0]
        rows = [[c.text_content() for c in tr.xpath("./td|./th")] for tr in table.xpath(".//tr")]
    elif path.suffix in (".xlsx", ".xls"):
        with CalamineWorkbook.from_path(str(path)) as workbook:
            rows = workbook.get_sheet_by_name(spec["sheet"]).to_python(skip_empty_area=False)
    else:
        text = path.read_bytes().decode(spec.get("encoding", "utf-8-sig"))
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=spec.get("delimiter", ",")))
    return sum(1 for row in rows[spec["header_rows"] :] if not _blank(row))


def _inputs(case: Path) -> list[Path]:
    return sorted(p for p in case.rglob("*") if p.is_file())


# --- Comparisons ----------------------------------------------------------------------------------


def _plain(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _check_problems(rejected: pd.DataFrame, expected: list, where: str) -> None:
    lines = [
        (r.source_file, int(r.source_row), r.column, r.reason)
        for r in rejected.itertuples(index=False)
    ]
    assert len(lines) == len(expected), f"{where}: {lines}"
    for file, row, column, fragment in expected:
        hits = [line for line in lines if line[:3] == (file, row, column) and fragment in line[3]]
        assert len(hits) == 1, f"{where}: no line {file}:{row} {column} «{fragment}» in {lines}"


def _check_warnings(warnings: pd.DataFrame, expected: list, where: str) -> None:
    found = list(zip(warnings["source_file"], warnings["message"], strict=True))
    for file, fragment in expected:
        assert any(f == file and fragment in m for f, m in found), f"{where}: {found}"


def _check_frames(frames: dict[str, pd.DataFrame], spec: dict, where: str) -> None:
    for key, values in spec.get("values", {}).items():
        dataset, column = key.split(".")
        assert [_plain(v) for v in frames[dataset][column]] == values, f"{where}: {key}"
    for key, lengths in spec.get("lengths", {}).items():
        dataset, column = key.split(".")
        assert frames[dataset][column].str.len().tolist() == lengths, f"{where}: {key}"


def _check_error(error: InputFileError, spec: dict) -> None:
    assert spec["message"] in error.message
    assert error.file == spec["file"]
    if "column" in spec:
        assert error.column == spec["column"]
    assert error.hint and spec["hint"] in error.hint  # always says what to do


# --- The corpus ---------------------------------------------------------------------------------


def test_every_case_folder_has_an_expected_outcome():
    folders = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert folders == CASES
    assert len(CASES) >= 30


def test_the_corpus_stays_small():
    size = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    assert size < 300_000


@pytest.mark.parametrize("name", CASES)
def test_case_gives_the_expected_outcome(name, tmp_path, capsys):
    spec = EXPECTED[name]
    case = CORPUS / name
    out = tmp_path / "out"
    code = _run_cli(["ingest", str(case), "--out", str(out)])
    printed = capsys.readouterr()
    assert "Traceback" not in printed.out + printed.err
    if "error" in spec:
        error = spec["error"]
        assert code == 2, printed
        assert printed.err.startswith("Lỗi: ") and error["message"] in printed.err
        assert f"Tệp: {error['file']}" in printed.err and "Cách xử lý: " in printed.err
        refused = load(case).refused  # refused with its reason, never raised
        assert refused["source_file"].tolist() == [error["file"]]
        assert error["message"] in refused["detail"].iat[0]
        assert error["hint"] in refused["detail"].iat[0]  # always says what to do
        if "column" in error:
            assert refused["column"].iat[0] == error["column"]
        return
    assert code == 0, printed.err

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    by_path = {f["path"]: f for f in manifest["files"]}
    assert sorted(by_path) == sorted(f["path"] for f in spec["files"])
    for expected in spec["files"]:
        entry = by_path[expected["path"]]
        counted = _source_rows(case, expected)
        assert counted == expected["rows"], expected["path"]  # the hand count
        assert entry["dataset"] == expected["dataset"]
        footer = expected.get("footer", 0)
        assert entry["footer_rows"] == footer
        assert entry["rows_read"] == counted - footer  # nothing lost on reading
        assert (entry["rows_kept"], entry["rows_rejected"], entry["rows_superseded"]) == (
            expected["kept"],
            expected["rejected"],
            expected.get("superseded", 0),
        ), expected["path"]
        assert (
            entry["rows_kept"] + entry["rows_rejected"] + entry["rows_superseded"]
            == entry["rows_read"]
        )
    cli_rejected = pd.read_parquet(out / "rejected_rows.parquet")
    _check_problems(cli_rejected, spec["problems"], f"{name} (CLI)")
    distinct = cli_rejected.drop_duplicates(["source_file", "source_row"])
    for expected in spec["files"]:
        assert (distinct["source_file"] == expected["path"]).sum() == expected["rejected"]
    cli_frames = {d: read_output(out, d) for d in manifest["datasets"]}
    for dataset, info in manifest["datasets"].items():
        assert len(cli_frames[dataset]) == info["rows"]
    _check_frames(cli_frames, spec, f"{name} (CLI)")
    _check_warnings(pd.read_parquet(out / "warnings.parquet"), spec.get("warnings", []), name)

    loaded = load(case)
    _check_problems(loaded.rejected_rows, spec["problems"], f"{name} (API)")
    _check_frames(loaded.frames, spec, f"{name} (API)")
    _check_warnings(loaded.warnings, spec.get("warnings", []), f"{name} (API)")
    files = loaded.files.set_index("file")
    for expected in spec["files"]:
        row = files.loc[expected["path"]]
        assert (row["rows_read"], row["rows_kept"], row["rows_rejected"]) == (
            expected["rows"] - expected.get("footer", 0),
            expected["kept"],
            expected["rejected"],
        )


def test_no_row_is_lost_over_the_whole_corpus(tmp_path, capsys):
    """The closing count: inputs tried, outcomes as expected, rows lost."""
    inputs = [p for name in CASES for p in _inputs(CORPUS / name)]
    rows_in_sources = rows_accounted = errors = loads = 0
    for name in CASES:
        spec = EXPECTED[name]
        if "error" in spec:
            assert len(load(CORPUS / name).refused) == 1, name
            errors += 1
            continue
        loaded = load(CORPUS / name)
        loads += 1
        rows_in_sources += sum(_source_rows(CORPUS / name, f) for f in spec["files"])
        files = loaded.files
        rows_accounted += int(
            files["rows_kept"].sum()
            + files["rows_rejected"].sum()
            + files["rows_superseded"].sum()
            + files["footer_rows"].sum()
        )
        kept = sum(len(frame) for frame in loaded.frames.values())
        distinct = len(loaded.rejected_rows.drop_duplicates(["source_file", "source_row"]))
        superseded = int(files["rows_superseded"].sum())
        assert kept + distinct + superseded == int(files["rows_read"].sum()), name
    assert rows_in_sources - rows_accounted == 0  # rows lost
    assert errors + loads == len(CASES)
    with capsys.disabled():
        print(
            f"\ncorpus: {len(CASES)} cases, {len(inputs)} input files, {errors} clear errors, "
            f"{loads} loads, {rows_in_sources} data rows, rows lost: "
            f"{rows_in_sources - rows_accounted}"
        )


@pytest.mark.parametrize(
    ("name", "code"), [("pdf_named_xlsx", 2), ("title_rows_and_merged_header", 0)]
)
def test_the_installed_command_never_shows_a_traceback(name, code, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tthc_analysis", "ingest", str(CORPUS / name)]
        + ["--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    if code:
        assert result.stderr.startswith("Lỗi: ")
