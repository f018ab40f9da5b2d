"""Row rules: every row kept or rejected with its file, row, column, value and reason."""

from __future__ import annotations

import string

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loading_fixtures import DOSSIER_HEADERS, dossier_row, write_csv, write_xlsx

from tthc_analysis.config import Settings
from tthc_analysis.errors import TthcError
from tthc_analysis.fields import DATASETS
from tthc_analysis.loading import REJECTED_COLUMNS, load
from tthc_analysis.loading.datasets import discover
from tthc_analysis.schemas import frame_dtypes


def reasons(loaded, row=None):
    table = loaded.rejected_rows
    if row is not None:
        table = table[table["source_row"] == row]
    return dict(zip(table["column"], table["reason"], strict=True))


def test_each_row_error_is_rejected_with_a_vietnamese_reason(tmp_path):
    rows = [
        dossier_row("H1"),  # row 2: kept
        dossier_row("H2", received="31/02/2025"),  # impossible date
        dossier_row("H3", due="01/02/2025"),  # due before receipt (03/02)
        dossier_row("H4", channel="Fax"),  # unknown channel (optional column): kept
        dossier_row("H5", completed="02/02/2025 10:00"),  # completed before receipt
        dossier_row("H1"),  # duplicated id (row 2)
        dossier_row(""),  # missing required value
        dossier_row("H8", code="1.0050"),  # pattern violation
        dossier_row("H9", received="01/02/25"),  # two-digit year
        dossier_row("H10", received="hôm nay"),  # unreadable date
    ]
    write_csv(tmp_path / "dossiers" / "t02.csv", rows)
    loaded = load(tmp_path)
    kept = loaded["dossiers"]
    assert kept["dossier_id"].tolist() == ["H1", "H4"]
    assert kept["source_row"].tolist() == [2, 5]
    assert kept["channel"].isna().tolist() == [False, True]
    assert reasons(loaded, 3) == {
        "received_at": "Ngày không hợp lệ: ngày 31/02/2025 không tồn tại (tháng 2 năm 2025 có 28 ngày)"
    }
    assert reasons(loaded, 4) == {
        "due_at": "Ngày hẹn trả (01/02/2025) trước ngày tiếp nhận (03/02/2025 08:00)"
    }
    assert reasons(loaded, 5) == {}
    facts = loaded.facts[loaded.facts["kind"] == "value_set_missing"]
    assert facts[["source_file", "source_row", "column", "value"]].values.tolist() == [
        ["dossiers/t02.csv", 5, "channel", "Fax"]
    ]
    assert any("«Fax»" in m and "Kênh nộp" in m for m in loaded.warnings["message"])
    assert reasons(loaded, 6) == {
        "completed_at": "Ngày hoàn thành (02/02/2025 10:00) trước ngày tiếp nhận (03/02/2025 08:00)"
    }
    assert reasons(loaded, 7)["dossier_id"].startswith(
        "Trùng mã hồ sơ «H1» với dòng 2 của tệp dossiers/t02.csv"
    )
    assert reasons(loaded, 8) == {"dossier_id": "Thiếu giá trị bắt buộc ở cột Mã hồ sơ"}
    assert reasons(loaded, 9)["procedure_code"].startswith(
        "Giá trị không đúng định dạng của cột Mã TTHC"
    )
    assert "2 chữ số" in reasons(loaded, 10)["received_at"]
    assert "không đọc được ngày" in reasons(loaded, 11)["received_at"]
    table = loaded.rejected_rows
    assert list(table.columns) == REJECTED_COLUMNS
    assert set(table["source_file"]) == {"dossiers/t02.csv"}
    assert table.loc[table["source_row"] == 9, "value"].tolist() == ["1.0050"]
    assert table.loc[table["source_row"] == 9, "header"].tolist() == ["Mã TTHC"]
    assert loaded.files.to_dict("records") == [
        {
            "file": "dossiers/t02.csv",
            "dataset": "dossiers",
            "rows_read": 10,
            "rows_kept": 2,
            "rows_rejected": 8,
            "rows_superseded": 0,
            "footer_rows": 0,
        }
    ]


def test_a_row_with_several_problems_counts_once(tmp_path):
    rows = [dossier_row("H1", received="31/02/2025", due="", code="x"), dossier_row("H2")]
    write_csv(tmp_path / "hs.csv", rows)
    loaded = load(tmp_path, dataset="dossiers")
    assert sorted(reasons(loaded, 2)) == ["due_at", "procedure_code", "received_at"]
    assert loaded.files.loc[0, "rows_rejected"] == 1
    assert loaded.files.loc[0, "rows_kept"] == 1


def test_conflicting_duplicates_across_monthly_files_keep_the_first(tmp_path):
    # Two different receipt dates are conflicting facts, not a progression (issue 12
    # rule 4): the first row is kept and the other rejected, as for any duplicated id.
    write_csv(tmp_path / "dossiers" / "2025_01.csv", [dossier_row("A"), dossier_row("B")])
    write_xlsx(
        tmp_path / "dossiers" / "2025_02.xlsx",
        [dossier_row("C"), dossier_row("A", received="04/02/2025 08:00")],
    )
    loaded = load(tmp_path)
    assert loaded["dossiers"]["dossier_id"].tolist() == ["A", "B", "C"]
    assert loaded["dossiers"]["source_file"].tolist() == [
        "dossiers/2025_01.csv",
        "dossiers/2025_01.csv",
        "dossiers/2025_02.xlsx",
    ]
    line = loaded.rejected_rows.iloc[0]
    assert (line["source_file"], line["source_row"], line["column"]) == (
        "dossiers/2025_02.xlsx",
        3,
        "dossier_id",
    )
    assert "dòng 2 của tệp dossiers/2025_01.csv" in line["reason"]


def test_the_first_occurrence_without_other_problems_is_kept(tmp_path):
    rows = [dossier_row("A", received="31/02/2025"), dossier_row("A")]
    write_csv(tmp_path / "hs.csv", rows)
    loaded = load(tmp_path, dataset="dossiers")
    assert loaded["dossiers"]["source_row"].tolist() == [3]
    assert set(loaded.rejected_rows["column"]) == {"received_at", "dossier_id"}
    assert "dòng 3" in reasons(loaded, 2)["dossier_id"]


def test_dd_mm_is_never_read_month_first(tmp_path):
    write_csv(tmp_path / "hs.csv", [dossier_row("H1", received="01/02/2025", due="12/02/2025")])
    frame = load(tmp_path, dataset="dossiers")["dossiers"]
    assert frame["received_at"].tolist() == [pd.Timestamp("2025-02-01")]
    assert frame["due_at"].tolist() == [pd.Timestamp("2025-02-12")]


def test_personal_values_never_reach_the_rejected_rows(tmp_path):
    secret = "Trần Thị Bí Mật"
    path = tmp_path / "hs.csv"
    lines = [
        ",".join(DOSSIER_HEADERS),
        ",".join(dossier_row("H1", name=secret, code="1.0050")),
        f"H2,1.005092,{secret}",  # malformed row: only three cells
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = load(tmp_path, dataset="dossiers")
    assert len(loaded.rejected_rows) == 2
    assert (
        not loaded.rejected_rows.apply(lambda col: col.astype(str).str.contains("Bí Mật"))
        .any()
        .any()
    )


def test_a_problem_in_a_personal_column_hides_the_value():
    import numpy as np

    from tthc_analysis.loading.datasets import _typed
    from tthc_analysis.loading.headers import match_headers
    from tthc_analysis.loading.readers import RawTable
    from tthc_analysis.loading.values import cells_from_python

    match = match_headers(["Mã PAKN", "Ngày tiếp nhận", "Trạng thái", "Người gửi"], "feedback")
    raw = RawTable(
        "pakn.csv",
        "csv",
        None,
        1,
        match,
        np.array([2]),
        {
            "feedback_id": cells_from_python(["P1"]),
            "received_on": cells_from_python(["01/02/2025"]),
            "status": cells_from_python(["Đã xử lý"]),
            "sender_name": cells_from_python([pd.Timestamp("2025-01-01").to_pydatetime()]),
        },
    )
    frame, problems, _, _ = _typed(raw, "feedback", None)
    assert problems.empty  # a date in a text column is read as text, never an error
    assert frame["sender_name"].tolist() == ["01/01/2025"]


def test_folder_of_files_recognised_by_folder_and_by_headers(tmp_path):
    write_csv(tmp_path / "dossiers" / "a.csv", [dossier_row("H1")])
    write_csv(tmp_path / "loose.csv", [dossier_row("H2")])
    write_csv(
        tmp_path / "pakn.csv",
        [["P1", "02/02/2025", "Đã xử lý", "Hỏi về văn bằng"]],
        headers=["Mã PAKN", "Ngày tiếp nhận", "Trạng thái", "Nội dung"],
    )
    (tmp_path / "README.md").write_text("not data", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"x")
    (tmp_path / "~$a.xlsx").write_bytes(b"lock")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "x.csv").write_text("ignored", encoding="utf-8")
    files, skipped = discover(tmp_path)
    assert [(f.rel, f.dataset) for f in files] == [
        ("dossiers/a.csv", "dossiers"),
        ("loose.csv", None),
        ("pakn.csv", None),
    ]
    assert [s.rel for s in skipped] == ["notes.docx", "~$a.xlsx"]
    loaded = load(tmp_path)
    assert loaded["dossiers"]["dossier_id"].tolist() == ["H1", "H2"]
    assert loaded["feedback"]["status"].tolist() == ["handled"]
    assert loaded["procedures"].empty
    assert any("notes.docx" in m for m in loaded.warnings["message"])


def test_frames_have_exactly_the_canonical_columns_and_dtypes(tmp_path):
    write_xlsx(tmp_path / "dossiers" / "a.xlsx", [dossier_row("H1")])
    loaded = load(tmp_path)
    for name in DATASETS:
        frame = loaded[name]
        assert {c: str(t) for c, t in frame.dtypes.items()} == frame_dtypes(name), name
    assert loaded["dossiers"]["is_digitized"].isna().all()  # optional column absent


def test_value_aliases_from_settings(tmp_path):
    write_csv(tmp_path / "hs.csv", [dossier_row("H1", channel="Nộp qua Cổng DVC")])
    settings = Settings(value_aliases={"channel": {"online": ["Nộp qua Cổng DVC"]}})
    assert load(tmp_path, "dossiers", settings)["dossiers"]["channel"].tolist() == ["online"]
    wrong = Settings(value_aliases={"channel": {"fax": ["Fax"]}})
    with pytest.raises(TthcError, match="fax"):
        load(tmp_path, "dossiers", wrong)


# --- property: every row is kept or rejected ---------------------------------------------------

BAD_CELLS = {
    1: ["", "2.005", "abc"],  # procedure code
    2: ["Fax", "", "??"],  # channel
    3: ["31/02/2025", "", "02/13/2025", "x"],  # received
    4: ["01/01/2025", "31/04/2025", ""],  # due (before receipt, impossible, missing)
    5: ["01/01/2020", "30/02/2025"],  # completed
}

cell_choice = st.tuples(st.integers(1, 5), st.integers(0, 3))
row_spec = st.tuples(
    st.sampled_from(["A", "B", "C", "D", "E", "F", "G"]),
    st.lists(cell_choice, max_size=2),
    st.text(alphabet=string.ascii_letters + "ăơưđ ", max_size=8),
)


@given(st.lists(row_spec, min_size=1, max_size=25))
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_rows_read_equal_rows_kept_plus_rows_rejected(tmp_path_factory, specs):
    folder = tmp_path_factory.mktemp("prop")
    rows = []
    for dossier_id, bad, name in specs:
        row = dossier_row(dossier_id, received="03/02/2025", due="10/02/2025", name=name)
        for column, choice in bad:
            options = BAD_CELLS[column]
            row[column] = options[choice % len(options)]
        rows.append(row)
    write_csv(folder / "dossiers" / "x.csv", rows)
    loaded = load(folder)
    kept = loaded["dossiers"]
    rejected_rows = set(loaded.rejected_rows["source_row"])
    kept_rows = set(kept["source_row"])
    assert kept_rows.isdisjoint(rejected_rows)
    assert kept_rows | rejected_rows == set(range(2, len(rows) + 2))
    stats = loaded.files.iloc[0]
    assert stats["rows_read"] == len(rows) == stats["rows_kept"] + stats["rows_rejected"]
    assert stats["rows_kept"] == len(kept)
    assert kept["dossier_id"].is_unique


def test_parallel_parsing_gives_the_same_result_and_errors(tmp_path):
    from tthc_analysis.loading.datasets import parse_files

    for month in (1, 2):
        write_xlsx(tmp_path / "dossiers" / f"x{month}.xlsx", [dossier_row(f"X{month}")])
        write_csv(tmp_path / "dossiers" / f"c{month}.csv", [dossier_row(f"C{month}")])
    files, _ = discover(tmp_path)
    sequential = parse_files(files, workers=1)
    parallel = parse_files(files, workers=2)
    assert [r.rel for r in parallel] == [r.rel for r in sequential]
    for a, b in zip(parallel, sequential, strict=True):
        pd.testing.assert_frame_equal(a.frame, b.frame)
    (tmp_path / "dossiers" / "x1.xlsx").write_bytes(b"broken")
    (tmp_path / "dossiers" / "x2.xlsx").write_bytes(b"broken too")
    with pytest.raises(TthcError) as info:
        parse_files(files, workers=2)
    assert "dossiers/x1.xlsx" in str(info.value)  # the first bad file in path order


def test_without_rows_cuts_few_or_many_rows():
    from tthc_analysis.loading.datasets import _without_rows

    frame = pd.DataFrame(
        {"a": pd.array([str(i) for i in range(3000)], dtype="str"), "b": range(3000)}
    )
    few = _without_rows(frame, np.array([0, 5, 2999]))
    assert len(few) == 2997 and few["b"].tolist()[:5] == [1, 2, 3, 4, 6]
    many = _without_rows(frame, np.arange(0, 3000, 2))
    assert many["b"].tolist() == list(range(1, 3000, 2))
    assert many.index.tolist() == list(range(1500))
    assert _without_rows(frame, np.arange(3000)).empty
