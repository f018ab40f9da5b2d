"""``tthc form06``: options, outputs and Vietnamese errors.

The command loads data through ``tthc_analysis.loading.ingest.load_tables`` (contract 2). These
tests put a stand-in ``tthc_analysis.loading.ingest`` module returning the hand-checked fixture,
so they check the command itself; ``test_end_to_end_with_the_sample`` runs the real
ingest on a generated sample when that module is available.
"""

from __future__ import annotations

import sys
import types

import pandas as pd
import pytest
from dossier_cases import dossiers, procedures
from python_calamine import CalamineWorkbook

from tthc_analysis.cli import main


@pytest.fixture
def fake_ingest(monkeypatch):
    calls = []

    def load_tables(raw_dir=None, processed_dir=None, settings=None):
        calls.append(raw_dir)
        return types.SimpleNamespace(
            dossiers=dossiers(),
            procedures=procedures(),
            rejected_rows=pd.DataFrame(
                {
                    "dataset": ["dossiers", "dossiers", "procedures"],
                    "source_file": ["hs_01.xlsx", "hs_01.xlsx", "tthc.xlsx"],
                    "source_row": [7, 7, 3],
                    "column": ["due_at", "channel", "online_level"],
                    "value": ["", "?", "?"],
                    "reason": ["Thiếu", "Không hợp lệ", "Không hợp lệ"],
                }
            ),
            warnings=pd.DataFrame(columns=["dataset", "source_file", "message"]),
            is_sample=True,
        )

    module = types.ModuleType("tthc_analysis.loading.ingest")
    module.load_tables = load_tables
    monkeypatch.setitem(sys.modules, "tthc_analysis.loading.ingest", module)
    return calls


def _run(argv, capsys):
    try:
        main(argv)
        code = 0
    except SystemExit as stop:
        code = stop.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_writes_xlsx_with_the_period_dates(fake_ingest, tmp_path, capsys):
    out = tmp_path / "bieu06_q1.xlsx"
    code, stdout, _ = _run(
        ["form06", "--data", str(tmp_path), "--year", "2025", "--period", "q1", "--out", str(out)],
        capsys,
    )
    assert code == 0
    assert fake_ingest == [tmp_path]
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Biểu 06").to_python()
    assert rows[2][0] == "Kỳ báo cáo: Quý I/2025 (Từ ngày 15/12/2024 đến ngày 14/03/2025)"
    assert rows[12][1:] == ["Tổng cộng", 12, 5, 6, 1, 9, 2, 3, 4, 3, 2, 1]
    assert "Quý I/2025 (15/12/2024 – 14/03/2025)" in stdout
    assert "nhận giải quyết 12" in stdout and "quá hạn 4" in stdout
    assert "1 dòng hồ sơ bị loại" in stdout  # one row (two problems) of hs_01.xlsx
    assert "dữ liệu mẫu" in stdout
    assert str(out) in stdout


def test_writes_csv_for_a_month_on_the_calendar_window(fake_ingest, tmp_path, capsys):
    out = tmp_path / "bieu06_03.csv"
    argv = ["form06", "--data", str(tmp_path), "--period", "2025-03", "--window", "calendar"]
    code, _, _ = _run([*argv, "--out", str(out)], capsys)
    assert code == 0
    # 13 official columns, then the period: calendar March 2025
    assert len(pd.read_csv(out, encoding="utf-8-sig").columns) == 16
    # March 2025, 01–31/03: received D04 (post), D08 (online), D13 (in person), D14
    # (online); carried over D05. Finished: D04 overdue (18/03 > 17/03), D08 early,
    # D13 overdue; pending at 31/03: D05 and D14, both overdue.
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[-1] == ",Tổng cộng,5,2,2,1,3,1,0,2,2,0,2,Tháng 03/2025,01/03/2025,31/03/2025"


def test_by_unit(fake_ingest, tmp_path, capsys):
    out = tmp_path / "units.csv"
    code, _, _ = _run(
        ["form06", "--period", "q1", "--by", "unit", "--out", str(out)],
        capsys,
    )
    assert code == 0
    assert fake_ingest == [None]  # no --data: the bundled sample
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("STT,Đơn vị giải quyết,")


def test_invalid_period_is_a_vietnamese_error(fake_ingest, tmp_path, capsys):
    code, _, stderr = _run(["form06", "--period", "q5", "--out", str(tmp_path / "x.xlsx")], capsys)
    assert code == 2
    assert "Không hiểu kỳ «q5»" in stderr and "Traceback" not in stderr
    assert fake_ingest == []  # nothing loaded


def test_bad_output_extension(fake_ingest, tmp_path, capsys):
    code, _, stderr = _run(["form06", "--period", "q1", "--out", str(tmp_path / "x.pdf")], capsys)
    assert code == 2 and ".xlsx hoặc .csv" in stderr


def test_missing_data_folder(fake_ingest, tmp_path, capsys):
    missing = tmp_path / "khong_co"
    argv = ["form06", "--data", str(missing), "--period", "q1", "--out", str(tmp_path / "x.csv")]
    code, _, stderr = _run(argv, capsys)
    assert code == 2 and "Không tìm thấy thư mục dữ liệu" in stderr


def test_end_to_end_with_the_sample(tmp_path, capsys):
    pytest.importorskip("tthc_analysis.loading.ingest")
    sample = pytest.importorskip("tthc_analysis.sample")
    raw = sample.write_sample(tmp_path / "raw", scale="small", seed=2025)
    out = tmp_path / "bieu06_year.csv"
    code, _, stderr = _run(
        ["form06", "--data", str(raw), "--period", "year", "--out", str(out)], capsys
    )
    assert code == 0, stderr
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert set(table["Kỳ báo cáo"]) == {"Năm 2025"}
    assert set(table["Từ ngày"]) == {"15/12/2024"} and set(table["Đến ngày"]) == {"14/12/2025"}
    counts = table.iloc[:, 2:13].to_numpy()
    # the sample plants a channel outside the vocabulary («Fax»): set missing at loading,
    # so that dossier is counted apart (issue 11), in (3) but not in (4) or (5)
    unknown = table["Chưa rõ kênh nộp (ngoài biểu; đã tính ở cột 3, không ở cột 4, 5)"]
    assert unknown.iloc[-1] >= 1
    assert (counts[:, 0] == counts[:, 1] + counts[:, 2] + counts[:, 3] + unknown).all()
    assert (counts[:, 0] == counts[:, 4] + counts[:, 8]).all()
    assert (counts[:-1].sum(axis=0) == counts[-1]).all()


def test_says_how_many_dossiers_it_could_not_place_by_channel(monkeypatch, tmp_path, capsys):
    # issue 11: a one-stop list without a channel column; the unknown channel is never
    # guessed. Q1 of dossier_cases: 11 dossiers received in the window (THI 4, VB 6,
    # no field 1), D06 carried over.
    def load_tables(raw_dir=None, processed_dir=None, settings=None):
        return types.SimpleNamespace(
            dossiers=dossiers().drop(columns=["channel"]),
            procedures=procedures(),
            rejected_rows=pd.DataFrame(columns=["dataset", "source_file", "source_row"]),
            warnings=pd.DataFrame(columns=["dataset", "source_file", "message"]),
            is_sample=False,
        )

    module = types.ModuleType("tthc_analysis.loading.ingest")
    module.load_tables = load_tables
    monkeypatch.setitem(sys.modules, "tthc_analysis.loading.ingest", module)
    out = tmp_path / "bieu06.csv"
    code, stdout, _ = _run(
        ["form06", "--data", str(tmp_path), "--period", "q1", "--out", str(out)], capsys
    )
    assert code == 0
    assert "Lưu ý: 11 hồ sơ tiếp nhận trong kỳ chưa rõ kênh nộp" in stdout
    assert "(3) = (4) + (5) + (6) + 11" in stdout
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[-1] == ",Tổng cộng,12,0,0,1,9,2,3,4,3,2,1,Quý I/2025,15/12/2024,14/03/2025,11"


BP = "Sở Giáo dục và Đào tạo tỉnh Bình Phước"
DN = "Sở Giáo dục và Đào tạo tỉnh Đồng Nai"


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        # Q1/2025 (15/12/2024–14/03/2025): before the merger, Bình Phước's Department
        ("q1", BP),
        # Q3/2025 (15/06–14/09/2025) crosses 01/07/2025 (NQ 202/2025/QH15): the body in
        # force on the last day, naming the body whose figures run to 30/06/2025
        ("q3", f"{DN} (số liệu đến 30/06/2025 của {BP})"),
        # a month after the merger: Đồng Nai only
        ("2025-08", DN),
    ],
)
def test_agency_is_the_body_in_force_by_the_period_dates(
    fake_ingest, tmp_path, capsys, period, expected
):
    """Issue 13: without --agency, the form is headed by the body of settings by date."""
    from tthc_analysis.config import load_settings
    from tthc_analysis.loading.organisation import form06_agency
    from tthc_analysis.periods import parse_period

    out = tmp_path / "bieu06.xlsx"
    argv = ["form06", "--data", str(tmp_path), "--year", "2025", "--period", period]
    code, _, _ = _run([*argv, "--out", str(out)], capsys)
    assert code == 0
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Biểu 06").to_python()
    assert rows[1][0] == expected
    # one source with the review's form 06 (review.build._form06_agency calls it)
    p = parse_period(period, 2025, load_settings().report_window)
    assert form06_agency(p.start, p.end, load_settings(), "x") == expected


def test_agency_option_overrides_the_body_by_date(fake_ingest, tmp_path, capsys):
    out = tmp_path / "bieu06.xlsx"
    argv = ["form06", "--data", str(tmp_path), "--year", "2025", "--period", "q3"]
    code, _, _ = _run([*argv, "--agency", "Văn phòng Sở", "--out", str(out)], capsys)
    assert code == 0
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Biểu 06").to_python()
    assert rows[1][0] == "Văn phòng Sở"
