"""Failures mid-build and damaged caches.

A kernel that dies, an interrupted build (Ctrl-C) or an interruption while the new
report is swapped in leave the previous complete report untouched and no partial one;
two builds into the same folder at once leave one complete, consistent report. A cached
ingest that was damaged or edited by hand (tables or manifest) is detected by its hashes
and rebuilt from the raw files. Complements ``test_review_build.py`` (failing cell,
Ctrl-C without a previous report) and ``test_ingest.py`` (rows cut from a table, missing
output, unreadable manifest).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from tthc_analysis.errors import BuildError
from tthc_analysis.loading import ingest as ingest_module
from tthc_analysis.loading.ingest import MANIFEST_NAME, ingest, load_tables
from tthc_analysis.review import build as build_module
from tthc_analysis.review.build import build_review

DATA = Path(__file__).parent / "data"
RAW = DATA / "review_raw"
NOTEBOOKS = DATA / "notebooks" / "report"
SLOW = DATA / "notebooks" / "slow"
CORPUS = Path(__file__).parent / "corpus"


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _assert_complete(report: Path) -> None:
    """The folder is one whole report: exactly the files of its manifest, unaltered."""
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    expected = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    found = _snapshot(report)
    assert sorted(found) == sorted([*expected, "manifest.json"])
    assert all(found[path] == digest for path, digest in expected.items())


@pytest.fixture(scope="module")
def previous_report(tmp_path_factory) -> Path:
    """A complete report of the fixture notebooks (copied by the tests that need one)."""
    out = tmp_path_factory.mktemp("previous") / "2025"
    return build_review(
        data_dir=RAW, out_dir=out, notebooks_dir=NOTEBOOKS, jobs=2, progress=False
    ).out_dir


def _copy(report: Path, target: Path) -> dict[str, str]:
    shutil.copytree(report, target)
    return _snapshot(target)


# --- Builds -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_kernel_that_dies_names_the_notebook_and_cell_and_keeps_the_report(
    previous_report, tmp_path
):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(NOTEBOOKS / "00_tong_quan.ipynb", notebooks)
    nb = nbformat.read(NOTEBOOKS / "01_phan_anh.ipynb", as_version=4)
    kill = nbformat.v4.new_code_cell("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    kill["id"] = "kernel-killed"
    nb.cells.insert(2, kill)
    nbformat.write(nb, notebooks / "01_kernel_chet.ipynb")
    out = tmp_path / "2025"
    before = _copy(previous_report, out)
    with pytest.raises(BuildError) as error:
        build_review(data_dir=RAW, out_dir=out, notebooks_dir=notebooks, jobs=2, progress=False)
    message = str(error.value)
    assert "Kernel của notebook «01_kernel_chet» đã dừng đột ngột ở ô số 3" in message
    assert "«import os, signal»" in message
    assert "Tệp: " in message and "01_kernel_chet.ipynb" in message
    assert error.value.exit_code == 1
    assert _snapshot(out) == before  # the previous report, untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025", "notebooks"]  # no temp left


@pytest.mark.slow
@pytest.mark.serial
@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix", reason="POSIX signals")
def test_ctrl_c_keeps_the_previous_report(previous_report, tmp_path, interruptible):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    out = tmp_path / "out"
    before = _copy(previous_report, out)
    command = [sys.executable, "-m", "tthc_analysis", "review", "--data", str(raw)]
    command += ["--out", str(out), "--no-progress", "--notebooks", str(SLOW)]
    build = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **interruptible
    )
    flag = tmp_path / "kernel-started.flag"  # written by the slow notebook once it runs
    deadline = time.monotonic() + 120
    while not flag.exists() and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert flag.exists(), build.communicate(timeout=30)
    build.send_signal(signal.SIGINT)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 130, err.decode()
    assert "Đã dừng theo yêu cầu." in err.decode() and "Traceback" not in err.decode()
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kernel-started.flag", "out", "raw"]


def test_an_interruption_between_the_two_renames_puts_the_previous_report_back(
    tmp_path, monkeypatch
):
    out = tmp_path / "2025"
    out.mkdir()
    (out / "manifest.json").write_text(
        json.dumps({"generator": {"command": "tthc review"}}), encoding="utf-8"
    )
    (out / "index.html").write_text("cũ", encoding="utf-8")
    work = tmp_path / ".2025.tmp-x"
    work.mkdir()
    (work / "index.html").write_text("mới", encoding="utf-8")
    rename = Path.rename

    def interrupted(self, target):
        if self == work:
            raise KeyboardInterrupt
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_module._install(work, out)
    monkeypatch.undo()
    assert (out / "index.html").read_text(encoding="utf-8") == "cũ"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".2025.tmp-x", "2025"]


@pytest.mark.slow
def test_two_builds_into_the_same_folder_leave_one_complete_report(previous_report, tmp_path):
    out = tmp_path / "2025"
    _copy(previous_report, out)
    command = [sys.executable, "-m", "tthc_analysis", "review", "--data", str(RAW)]
    command += ["--out", str(out), "--no-progress", "--notebooks", str(NOTEBOOKS), "--jobs", "1"]
    builds = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(b.wait(timeout=300), *b.communicate()) for b in builds]
    for code, _, err in results:
        assert code in (0, 1), err
        assert "Traceback" not in err
        if code:
            assert err.startswith("Lỗi: ")
    assert any(code == 0 for code, _, _ in results)
    _assert_complete(out)
    assert _snapshot(out) == _snapshot(previous_report)  # same inputs, same bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025"]


# --- The ingest cache -----------------------------------------------------------------------------

CASE = CORPUS / "duplicate_ids_across_months"
"""A small raw folder (two monthly dossier files, 6 kept rows, 2 rejected)."""


@pytest.fixture
def cached(tmp_path) -> Path:
    out = tmp_path / "cache"
    assert not ingest(CASE, out).reused
    assert ingest(CASE, out).reused
    return out


def _ids(out: Path) -> list[str]:
    return pd.read_parquet(out / "dossiers.parquet")["dossier_id"].tolist()


EXPECTED_IDS = ["HS-DU-001", "HS-DU-002", "HS-DU-003", "HS-DU-004", "HS-DU-005", "HS-DU-006"]


def test_a_value_changed_in_a_cached_table_is_not_trusted(cached):
    frame = pd.read_parquet(cached / "dossiers.parquet")
    frame.loc[0, "dossier_id"] = "HS-SUA-TAY"
    frame.to_parquet(cached / "dossiers.parquet", index=False)
    assert len(pd.read_parquet(cached / "dossiers.parquet")) == 6  # same shape
    tables = load_tables(CASE, cached)
    assert tables.dossiers["dossier_id"].tolist() == EXPECTED_IDS
    assert _ids(cached) == EXPECTED_IDS
    assert ingest(CASE, cached).reused


def test_a_hand_edited_manifest_is_not_trusted(cached):
    path = cached / MANIFEST_NAME
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["files"][0]["rows_kept"] = 3
    manifest["totals"]["rows_kept"] = 5
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    rebuilt = ingest(CASE, cached)
    assert not rebuilt.reused
    assert rebuilt.files["rows_kept"].tolist() == [
        2,
        4,
    ]  # the older rows of HS-DU-003/004 are superseded
    assert rebuilt.totals["rows_kept"] == 6


def test_a_table_edited_with_its_hash_updated_in_the_manifest_is_not_trusted(cached):
    frame = pd.read_parquet(cached / "dossiers.parquet").iloc[:2]
    frame.to_parquet(cached / "dossiers.parquet", index=False)
    path = cached / MANIFEST_NAME
    manifest = json.loads(path.read_text(encoding="utf-8"))
    data = (cached / "dossiers.parquet").read_bytes()
    manifest["outputs"]["dossiers.parquet"]["sha256"] = hashlib.sha256(data).hexdigest()
    manifest["outputs"]["dossiers.parquet"]["size"] = len(data)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    assert not ingest(CASE, cached).reused
    assert _ids(cached) == EXPECTED_IDS


@pytest.mark.parametrize(
    "name",
    ["dossiers.parquet", "dossiers_personal.parquet", "rejected_rows.parquet", "manifest.json"],
)
def test_a_truncated_cache_file_is_rebuilt(cached, name):
    path = cached / name
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    tables = load_tables(CASE, cached)
    assert tables.dossiers["dossier_id"].tolist() == EXPECTED_IDS
    facts = tables.load_facts
    assert (facts["kind"] == "superseded").sum() == 2  # issue 12 rule 4: not errors
    assert ingest(CASE, cached).reused


def test_rows_rejected_as_in_the_future_are_judged_again_another_day(tmp_path, monkeypatch):
    case = CORPUS / "future_dates"
    out = tmp_path / "cache"
    first = ingest(case, out)
    assert first.content["future_dates_checked_on"] == dt.date.today().isoformat()
    assert ingest(case, out).reused  # same day: same judgement

    class Tomorrow(dt.date):
        @classmethod
        def today(cls):
            return dt.date.today() + dt.timedelta(days=1)

    monkeypatch.setattr(ingest_module, "date", Tomorrow)
    assert not ingest(case, out).reused
    assert "future_dates_checked_on" not in ingest(CORPUS / "nfd_text", tmp_path / "b").content
