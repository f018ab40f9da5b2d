"""Cached ingest: outputs, manifest, reuse by hashes, corruption, CLI, load_tables."""

from __future__ import annotations

import json
import threading

import pandas as pd
import pytest
from loading_fixtures import DOSSIER_HEADERS, dossier_row, write_csv, write_xlsx
from python_calamine import CalamineWorkbook

from tthc_analysis.cli import main
from tthc_analysis.config import SAMPLE_DIR
from tthc_analysis.fields import DATASETS, personal_columns
from tthc_analysis.loading import ingest as ingest_module
from tthc_analysis.loading.ingest import (
    MANIFEST_NAME,
    Tables,
    default_processed_dir,
    ingest,
    load_tables,
    read_output,
)
from tthc_analysis.schemas import frame_dtypes

OUTPUTS = {f"{name}.parquet" for name in DATASETS} | {
    "dossiers_personal.parquet",
    "feedback_personal.parquet",
    "rejected_rows.parquet",
    "warnings.parquet",
    "load_facts.parquet",
    "rejected_rows.xlsx",
    MANIFEST_NAME,
}


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    write_csv(
        folder / "dossiers" / "2025_01.csv", [dossier_row("A"), dossier_row("B", code="1005092")]
    )
    # "A" again with another receipt date: conflicting facts, not a progression (rejected)
    write_xlsx(
        folder / "dossiers" / "2025_02.xlsx",
        [dossier_row("C"), dossier_row("A", received="04/02/2025 08:00")],
    )
    write_csv(
        folder / "pakn.csv",
        [["P1", "02/02/2025", "Đã xử lý"]],
        headers=["Mã PAKN", "Ngày tiếp nhận", "Trạng thái"],
    )
    (folder / "README.md").write_text("Dữ liệu thử", encoding="utf-8")
    (folder / "ghi_chu.docx").write_bytes(b"not data")
    return folder


def test_ingest_writes_tables_rejected_rows_and_a_manifest(raw, tmp_path):
    out = tmp_path / "out"
    manifest = ingest(raw, out)
    assert not manifest.reused
    assert {p.name for p in out.iterdir()} >= OUTPUTS
    content = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert content["package_version"] and len(content["schema_version"]) == 16
    files = {f["path"]: f for f in content["files"]}
    assert list(files) == ["dossiers/2025_01.csv", "dossiers/2025_02.xlsx", "pakn.csv"]
    assert files["pakn.csv"]["dataset"] == "feedback"
    assert (
        files["dossiers/2025_01.csv"]["rows_read"],
        files["dossiers/2025_01.csv"]["rows_kept"],
    ) == (2, 1)
    assert (
        files["dossiers/2025_02.xlsx"]["rows_read"],
        files["dossiers/2025_02.xlsx"]["rows_rejected"],
    ) == (2, 1)
    assert len(files["pakn.csv"]["sha256"]) == 64
    assert files["pakn.csv"]["size"] == (raw / "pakn.csv").stat().st_size
    assert files["dossiers/2025_01.csv"]["columns"]["dossier_id"] == "Mã hồ sơ"
    assert content["skipped_files"] == [
        {"path": "ghi_chu.docx", "reason": "không phải tệp dữ liệu (.docx)"}
    ]
    assert (
        content["totals"]["rows_read"]
        == 5
        == content["totals"]["rows_kept"] + content["totals"]["rows_rejected"]
    )
    dossiers = read_output(out, "dossiers")
    assert dossiers["dossier_id"].tolist() == ["A", "C"]
    assert {c: str(t) for c, t in dossiers.dtypes.items()} == frame_dtypes("dossiers")
    # personal data are kept apart in the cache, same rows in the same order
    main = pd.read_parquet(out / "dossiers.parquet")
    personal = pd.read_parquet(out / "dossiers_personal.parquet")
    assert not set(main.columns) & personal_columns("dossiers")
    assert set(personal.columns) == personal_columns("dossiers")
    assert len(main) == len(personal) == 2
    rejected = pd.read_parquet(out / "rejected_rows.parquet")
    assert rejected[["source_file", "source_row", "column"]].values.tolist() == [
        ["dossiers/2025_01.csv", 3, "procedure_code"],
        ["dossiers/2025_02.xlsx", 3, "dossier_id"],
    ]
    with CalamineWorkbook.from_path(str(out / "rejected_rows.xlsx")) as workbook:
        assert workbook.sheet_names == ["Dòng bị loại", "Tệp đã đọc", "Cảnh báo"]
        cells = workbook.get_sheet_by_index(0).to_python()
    assert ["Bộ dữ liệu", "Tệp", "Dòng", "Cột", "Tiêu đề trong tệp", "Giá trị", "Lý do"] in cells
    assert any(row[1] == "dossiers/2025_01.csv" and row[5] == "1005092" for row in cells)


def test_manifest_and_tables_are_byte_identical_across_runs(raw, tmp_path):
    ingest(raw, tmp_path / "one")
    ingest(raw, tmp_path / "two")
    for name in OUTPUTS:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), (
            name
        )


def test_unchanged_inputs_reuse_the_cache_without_parsing(raw, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = ingest(raw, out)

    def fail(*args, **kwargs):
        raise AssertionError("the raw files were parsed again")

    monkeypatch.setattr(ingest_module, "parse_files", fail)
    again = ingest(raw, out)
    assert again.reused and again.content == first.content
    tables = load_tables(raw, out)
    assert tables.dossiers["dossier_id"].tolist() == ["A", "C"]


def test_changed_input_forced_run_and_damaged_cache_are_rebuilt(raw, tmp_path):
    out = tmp_path / "out"
    ingest(raw, out)
    assert not ingest(raw, out, force=True).reused
    write_csv(raw / "dossiers" / "2025_01.csv", [dossier_row("A"), dossier_row("B")])
    rebuilt = ingest(raw, out)
    assert not rebuilt.reused and rebuilt.totals["rows_kept"] == 4
    # a hand-edited table is detected by its hash and rebuilt
    frame = pd.read_parquet(out / "dossiers.parquet")
    frame.iloc[:1].to_parquet(out / "dossiers.parquet")
    assert not ingest(raw, out).reused
    assert len(pd.read_parquet(out / "dossiers.parquet")) == 3  # A, B, C
    # so are a missing output and a broken manifest
    (out / "warnings.parquet").unlink()
    assert not ingest(raw, out).reused
    (out / MANIFEST_NAME).write_text("{broken", encoding="utf-8")
    assert not ingest(raw, out).reused
    assert ingest(raw, out).reused


def test_concurrent_ingests_do_not_corrupt_the_outputs(raw, tmp_path):
    out = tmp_path / "out"
    errors = []

    def run():
        try:
            ingest(raw, out, force=True)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ingest(raw, out).reused
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_bad_file_is_refused_with_its_name_and_the_others_are_ingested(raw, tmp_path, capsys):
    headers = [h for h in DOSSIER_HEADERS if h != "Ngày hẹn trả"]
    write_csv(
        raw / "dossiers" / "2025_03.csv",
        [["D", "1.005092", "Trực tuyến", "03/03/2025", "", "x"]],
        headers=headers,
    )
    manifest = ingest(raw, tmp_path / "out")
    [refused] = manifest.refused
    assert refused["path"] == "dossiers/2025_03.csv"
    assert "«Hạn xử lý»" in refused["hint"] and "Ngày hẹn trả" in refused["message"]
    assert manifest.totals["files"] == 3 and manifest.totals["refused_files"] == 1
    assert read_output(tmp_path / "out", "dossiers")["dossier_id"].tolist() == ["A", "C"]
    facts = read_output(tmp_path / "out", "load_facts")
    assert facts.loc[facts["kind"] == "refused_file", "source_file"].tolist() == [
        "dossiers/2025_03.csv"
    ]
    # the command line lists it and exits with status 2
    with pytest.raises(SystemExit) as info:
        main(["ingest", str(raw), "--out", str(tmp_path / "out2")])
    assert info.value.code == 2
    printed = capsys.readouterr()
    assert "Tệp: dossiers/2025_03.csv" in printed.err and "dossiers/2025_01.csv" in printed.out


def test_load_tables_contract(raw, tmp_path):
    tables = load_tables(raw, tmp_path / "out")
    assert isinstance(tables, Tables)
    for name in DATASETS:
        frame = getattr(tables, name)
        assert {c: str(t) for c, t in frame.dtypes.items()} == frame_dtypes(name), name
    assert tables.feedback["feedback_id"].tolist() == ["P1"]
    assert tables.procedures.empty
    assert list(tables.rejected_rows.columns) == [
        "dataset",
        "source_file",
        "source_row",
        "column",
        "header",
        "value",
        "reason",
    ]
    assert list(tables.warnings.columns) == ["dataset", "source_file", "message"]
    assert tables.raw_dir == raw and tables.is_sample is False
    assert tables.manifest["totals"]["rows_read"] == 5
    assert tables.plan is not None
    reloaded = load_tables(raw, tmp_path / "out")
    assert reloaded.manifest == tables.manifest
    pd.testing.assert_frame_equal(reloaded.dossiers, tables.dossiers)
    pd.testing.assert_frame_equal(reloaded.rejected_rows, tables.rejected_rows)


def test_is_sample_and_default_processed_dirs(raw, tmp_path, monkeypatch):
    (raw / "SAMPLE.json").write_text('{"synthetic": true}', encoding="utf-8")
    assert load_tables(raw, tmp_path / "out").is_sample
    assert default_processed_dir(SAMPLE_DIR) == SAMPLE_DIR.resolve() / ".cache"
    monkeypatch.setattr(ingest_module, "PROCESSED_ROOT", tmp_path / "processed")
    default = default_processed_dir(raw)
    assert default.parent == tmp_path / "processed" and default.name.startswith("raw-")
    assert default != default_processed_dir(tmp_path)
    tables = load_tables(raw)
    assert (default / MANIFEST_NAME).is_file() and len(tables.dossiers) == 2


def test_header_aliases_from_tthc_yaml_in_the_raw_folder(tmp_path):
    raw = tmp_path / "raw"
    headers = ["Mã biên nhận", *DOSSIER_HEADERS[1:]]
    write_csv(raw / "dossiers" / "a.csv", [dossier_row("X1")], headers=headers)
    assert ingest(raw, tmp_path / "out").refused[0]["path"] == "dossiers/a.csv"
    (raw / "tthc.yaml").write_text(
        "header_aliases:\n  dossiers:\n    dossier_id: ['Mã biên nhận']\n", encoding="utf-8"
    )
    tables = load_tables(raw, tmp_path / "out")
    assert tables.dossiers["dossier_id"].tolist() == ["X1"]


# --- CLI ----------------------------------------------------------------------------------------


def test_cli_prints_per_file_counts_and_outputs(raw, tmp_path, capsys):
    out = tmp_path / "out"
    main(["ingest", str(raw), "--out", str(out)])
    text = capsys.readouterr().out
    assert "dossiers/2025_01.csv" in text and "Hồ sơ TTHC" in text
    assert "Tổng: 3 tệp, đọc 5 dòng, giữ 3, loại 2" in text
    assert str(out / "rejected_rows.xlsx") in text
    main(["ingest", str(raw), "--out", str(out)])
    assert "dùng lại kết quả" in capsys.readouterr().out


def test_cli_config_option(tmp_path, capsys):
    raw = tmp_path / "raw"
    write_csv(
        raw / "dossiers" / "a.csv",
        [dossier_row("X1")],
        headers=["Mã biên nhận", *DOSSIER_HEADERS[1:]],
    )
    config = tmp_path / "cau_hinh.yaml"
    config.write_text(
        "header_aliases:\n  dossiers:\n    dossier_id: ['Mã biên nhận']\n", encoding="utf-8"
    )
    main(["ingest", str(raw), "--out", str(tmp_path / "out"), "--config", str(config)])
    assert "giữ 1" in capsys.readouterr().out


def test_cli_file_error_exits_2_without_traceback(tmp_path, capsys):
    raw = tmp_path / "raw"
    (raw / "dossiers").mkdir(parents=True)
    (raw / "dossiers" / "hong.xlsx").write_bytes(b"this is not a workbook")
    with pytest.raises(SystemExit) as info:
        main(["ingest", str(raw), "--out", str(tmp_path / "out")])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "dossiers/hong.xlsx" in err and "Traceback" not in err


# --- the bundled synthetic sample ------------------------------------------------------------


def test_planted_row_defects_of_the_sample_are_rejected(tmp_path):
    sample = pytest.importorskip("tthc_analysis.sample")
    planted = pytest.importorskip("tthc_analysis.sample.planted")
    raw = tmp_path / "sample"
    sample.write_sample(raw, scale="small", seed=2025)
    tables = load_tables(raw, tmp_path / "out")
    assert tables.is_sample
    found = {
        (row.source_file, row.source_row, row.column) for row in tables.rejected_rows.itertuples()
    }
    facts = tables.load_facts
    set_missing = {
        (row.source_file, row.source_row, row.column)
        for row in facts[facts["kind"] == "value_set_missing"].itertuples()
    }
    # An unknown value in an optional coded column (the channel) is set missing and the
    # row kept (issue 11: optional means optional); every other defect rejects its row.
    optional = [d for d in planted.DEFECTS if d.kind == "unknown_code" and d.column == "channel"]
    # A dossier repeated in the next month's export is the same dossier seen twice (issue
    # 12 rule 4): one of the two rows supersedes the other, it is not an error.
    repeated = [d for d in planted.DEFECTS if d.kind == "duplicate_id"]
    superseded = facts[facts["kind"] == "superseded"]
    # The procedure code is optional: an empty one is filled from the catalogue by name.
    no_code = [d for d in planted.DEFECTS if d.column == "procedure_code" and not d.value]
    coded = facts[facts["kind"].isin(["procedure_code_filled", "procedure_code_missing"])]
    optional += no_code
    for defect in planted.DEFECTS:
        month = defect.month.replace("-", "_")
        if defect in no_code:
            assert coded["source_file"].str.contains(month).any(), defect
            continue
        if defect in repeated:
            here = superseded["source_file"].str.contains(month) & (
                superseded["source_row"] == defect.row
            )
            there = superseded["detail"].str.contains(f"dòng {defect.row} của tệp") & superseded[
                "detail"
            ].str.contains(month)
            assert (here | there).sum() == 1, defect
            continue
        where = set_missing if defect in optional else found
        matches = {f for f, r, c in where if month in f and r == defect.row and c == defect.column}
        assert matches, defect
    assert tables.manifest["totals"]["rows_rejected"] == len(planted.DEFECTS) - len(optional) - len(
        repeated
    )
    assert tables.manifest["totals"]["rows_superseded"] == len(repeated)


def test_a_worker_re_running_the_callers_script_gets_a_clear_error(raw, tmp_path, monkeypatch):
    import multiprocessing

    from tthc_analysis.errors import TthcError

    monkeypatch.setattr(multiprocessing.current_process(), "_inheriting", True, raising=False)
    with pytest.raises(TthcError, match="__main__"):
        ingest(raw, tmp_path / "out")


def test_an_output_folder_that_cannot_be_written_is_a_clear_error(raw, tmp_path):
    from tthc_analysis.errors import TthcError

    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(TthcError, match="Không ghi được"):
        ingest(raw, blocker / "out")
