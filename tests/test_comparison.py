"""PAKN and 766 figures "so với cùng kỳ năm trước" (issue 18), across the merger (issue 13).

Official reports state every headline figure against the same period of the previous
year. Besides the dossier figures and form 06 totals (tests/test_report_docx.py), the PAKN
figures (VII.1 handled within 15 working days, VII.2 published within 2: DVCQG rules,
settings.pakn) and the published 766 totals (calendar months, domain.md §0) are compared,
each only when the previous year's data hold it. A comparison of a period after
01/07/2025 with one before (NQ 202/2025/QH15: Bình Phước merged into Đồng Nai) is flagged.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from tthc_analysis.config import SAMPLE_DIR
from tthc_analysis.document import build_report
from tthc_analysis.evaluation.comparison import (
    add_previous_year,
    index766_comparison,
    pakn_comparison,
)
from tthc_analysis.evaluation.evaluate import evaluate
from tthc_analysis.loading.ingest import load_tables
from tthc_analysis.text import format_number
from tthc_analysis.views import report_text

BP = "Sở Giáo dục và Đào tạo tỉnh Bình Phước"
DN = "Sở Giáo dục và Đào tạo tỉnh Đồng Nai"


def _scores(rows) -> pd.DataFrame:
    """Canonical 766 rows (period, unit, group, score, max) from (period, total) pairs."""
    return pd.DataFrame(
        [(p, unit, "TONG", total, 100.0) for p, unit, total in rows],
        columns=["period", "unit", "group_code", "score", "max_score"],
    )


# --- by hand ---------------------------------------------------------------------------------


def test_pakn_comparison_by_hand():
    current = {"n_received_in_period": 8, "n_handled": 6, "on_time_rate": 5 / 6}
    current["published_on_time_rate"] = 1.0
    previous = {"n_received_in_period": 5, "n_handled": 4, "on_time_rate": 0.75}
    previous["published_on_time_rate"] = 0.5
    table = pakn_comparison(current, previous).set_index("key")
    # 8 − 5 = 3, 3 ÷ 5 = 60 %; 5/6 − 3/4 = 1/12 = 8,3 percentage points
    assert table.loc["pakn_received", "change"] == 3
    assert table.loc["pakn_received", "change_rel"] == pytest.approx(0.6)
    assert table.loc["pakn_on_time_rate", "change"] == pytest.approx(1 / 12)
    lines = report_text.comparison_lines(None, table.reset_index()).set_index("content")
    assert lines.loc["PAKN tiếp nhận trong kỳ", "change"] == "tăng 3 (60,0%)"
    assert lines.loc["Tỷ lệ PAKN xử lý đúng hạn", "change"] == "tăng 8,3 điểm phần trăm"
    assert lines.loc["Tỷ lệ PAKN đã xử lý được công khai đúng hạn", "change"] == (
        "tăng 50,0 điểm phần trăm"
    )


def test_index766_comparison_compares_only_months_published_in_both_years():
    current = _scores([("2025-07", DN, 86.0), ("2025-08", DN, 88.0), ("2025-09", DN, 90.0)])
    # 09/2024 not published: only 07 and 08 are compared (like with like)
    previous = _scores([("2024-07", BP, 70.0), ("2024-08", BP, 74.0), ("2024-06", BP, 50.0)])
    table, months = index766_comparison(current, previous, ["2025-07", "2025-08", "2025-09"])
    assert months == ["2025-07", "2025-08"]
    rows = table.set_index("key")
    # mean (86 + 88) / 2 = 87 against (70 + 74) / 2 = 72: +15 points
    assert (
        rows.loc["index766_total_mean", "current"],
        rows.loc["index766_total_mean", "previous"],
    ) == (87.0, 72.0)
    assert rows.loc["index766_total_mean", "change"] == 15.0
    assert rows.loc["index766_total_mean", "label_vi"] == (
        "Bộ chỉ số 766: tổng điểm bình quân tháng (2 tháng, 07/2025–08/2025)"
    )
    # the last month compared: 08/2025 88 against 08/2024 74
    assert rows.loc["index766_total_latest", "change"] == 14.0
    lines = report_text.comparison_lines(None, table).set_index("content")
    assert lines.loc["Bộ chỉ số 766: tổng điểm tháng 08/2025", "change"] == "tăng 14,00 điểm"
    assert lines.loc["Bộ chỉ số 766: tổng điểm tháng 08/2025", "previous"] == "74,00"
    empty, none = index766_comparison(current, _scores([]), ["2025-07"])
    assert none == [] and not len(empty)


# --- the sample ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tables():
    return load_tables(SAMPLE_DIR)


@pytest.fixture(scope="module")
def ev_q3(tables):
    return add_previous_year(evaluate(tables, 2025, period="q3"), tables)


def test_pakn_figures_equal_an_evaluation_of_the_previous_year(tables, ev_q3):
    previous = evaluate(tables, 2024, period="q3").feedback_summary
    rows = ev_q3.comparison.set_index("key")
    assert rows.loc["pakn_received", "previous"] == previous["n_received_in_period"] == 6
    assert rows.loc["pakn_handled", "previous"] == previous["n_handled"]
    assert rows.loc["pakn_on_time_rate", "previous"] == pytest.approx(previous["on_time_rate"])
    assert rows.loc["pakn_received", "current"] == ev_q3.feedback_summary["n_received_in_period"]


def test_766_figures_are_the_published_totals_of_the_same_calendar_months(ev_q3):
    wide = ev_q3.index766.set_index("period")["total"]
    rows = ev_q3.comparison.set_index("key")
    # Q3 = calendar months 07–09 (the portal scores calendar months)
    cur = wide[["2025-07", "2025-08", "2025-09"]].mean()
    prev = wide[["2024-07", "2024-08", "2024-09"]].mean()
    assert rows.loc["index766_total_mean", "current"] == pytest.approx(cur)
    assert rows.loc["index766_total_mean", "previous"] == pytest.approx(prev)
    assert rows.loc["index766_total_latest", "current"] == pytest.approx(wide["2025-09"])
    assert rows.loc["index766_total_latest", "previous"] == pytest.approx(wide["2024-09"])


def test_a_comparison_across_the_merger_is_flagged(tables, ev_q3):
    assert ev_q3.comparison_note == (
        "Lưu ý: so sánh qua mốc thay đổi tổ chức 01/07/2025: số liệu cùng kỳ năm trước là của "
        f"{BP}, số liệu kỳ này là của {DN}; chỉ để tham khảo."
    )
    q1 = add_previous_year(evaluate(tables, 2025, period="q1"), tables)
    assert q1.comparison_note == ""  # Q1/2025 and Q1/2024 are both Bình Phước's


def test_without_previous_pakn_and_scores_the_note_says_which_part_is_missing(tables):
    bare = SimpleNamespace(**vars(tables))
    bare.feedback = tables.feedback.loc[tables.feedback["received_on"] >= "2025-01-01"]
    bare.index766 = tables.index766.loc[tables.index766["period"] >= "2025-01"]
    ev = add_previous_year(evaluate(bare, 2025, period="q3"), bare)
    keys = set(ev.comparison["key"])
    assert "n_in_scope" in keys and not {k for k in keys if k.startswith(("pakn", "index766"))}
    assert "Phản ánh, kiến nghị: dữ liệu không có PAKN tiếp nhận trong Quý III/2024" in (
        ev.comparison_note
    )
    assert "Bộ chỉ số 766: dữ liệu không có điểm công bố của cùng tháng năm 2024" in (
        ev.comparison_note
    )


def test_the_draft_and_the_year_end_page_show_pakn_and_766_against_last_year(tables, ev_q3):
    from tthc_analysis.views.context import ReviewParams, compute_context
    from tthc_analysis.views.year_end import YearEndPage

    doc = build_report(ev_q3, "quarter")
    document = doc
    comparison = [t for t in document.tables if t.cell(0, 1).text == "Quý III/2025"][0]
    got = {r.cells[0].text: r.cells[2].text for r in comparison.rows[1:]}
    rows = ev_q3.comparison.set_index("key")
    assert got["PAKN tiếp nhận trong kỳ"] == format_number(rows.loc["pakn_received", "previous"])
    label = rows.loc["index766_total_latest", "label_vi"]
    assert got[label] == format_number(rows.loc["index766_total_latest", "previous"], 2)
    texts = [p.text for p in document.paragraphs]
    assert ev_q3.comparison_note in texts  # the flag follows the table
    # the review's context (HTML review, year-end notebook) adds the comparison itself
    ctx = compute_context(ReviewParams.resolve(2025, "2025-12-31", "year"))
    html = YearEndPage(ctx).comparison().text()
    assert "Tỷ lệ PAKN xử lý đúng hạn" in html and "Bộ chỉ số 766: tổng điểm tháng 11/2025" in html
    assert "so sánh qua mốc thay đổi tổ chức 01/07/2025" in html


def test_the_year_end_series_of_766_is_one_unit_across_the_merger(tables):
    ev = evaluate(tables, 2025)
    wide = ev.index766
    assert "unit" not in wide.columns  # Bình Phước's months rolled into Đồng Nai
    assert len(wide) == 23 and wide["period"].iloc[-1] == "2025-11"
    assert ev.organisation.unit_notes[DN] == (
        f"Gồm số liệu của {BP} đến 30/06/2025 (đơn vị được sắp xếp lại)"
    )
    assert any(f"{DN}: gồm số liệu của {BP}" in w for w in ev.warnings)


def test_a_score_is_attributed_to_the_body_in_force_on_its_month_and_rolled():
    from tthc_analysis.config import load_settings
    from tthc_analysis.loading.organisation import attribute_scores, body_spans

    spans = body_spans(load_settings())  # settings.yaml: BP to 30/06/2025, then DN
    assert spans[BP].successor == DN and str(spans[BP].valid_to) == "2025-06-30"
    assert spans[DN].successor is None
    # 08/2025 still exported under the old name: the unit in force on 31/08/2025 is DN;
    # 06/2025 is BP's (in force on 30/06), rolled into DN for the year series.
    scores = _scores([("2025-06", BP, 80.0), ("2025-08", BP, 85.0), ("2025-09", DN, 86.0)])
    rolled, notes = attribute_scores(scores, spans)
    assert rolled["unit"].tolist() == [DN, DN, DN]
    assert notes == {DN: f"Gồm số liệu của {BP} đến 30/06/2025 (đơn vị được sắp xếp lại)"}
    # only the new body: nothing rolled, nothing to say
    same, none = attribute_scores(scores.iloc[[2]], spans)
    assert same["unit"].tolist() == [DN] and none == {}
