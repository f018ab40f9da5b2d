"""The pages behind the notebooks and the "what to do next" lists.

On the bundled sample the expected items are the planted gaps of
``tthc_analysis.sample.planted`` (and the hand-written evidence of
``tthc_analysis.sample.evidence``); the rules themselves are also checked on small
hand-made evaluation-like objects. Every chart of every page is drawn to a PNG (in the
test's tmp dir, and in ``$TTHC_CHART_DIR`` when set) and checked for missing glyphs.
"""

from __future__ import annotations

import dataclasses
import os
import re
import warnings
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.lines import Line2D

from tthc_analysis.charts import figure_to_png_bytes, missing_glyphs
from tthc_analysis.views import View, actions, blocks, open_page, summaries
from tthc_analysis.views.common import format_target, name_list, procedure_label
from tthc_analysis.views.context import ReviewParams, compute_context
from tthc_analysis.views.widgets import DossierExplorer, FilteredTable

CHART_DIR = os.environ.get("TTHC_CHART_DIR")  # read at import (conftest clears TTHC_*)

PAGE_METHODS = {
    "00": ["header", "summary", "sections", "headline", "timeline", "late", "explorer",
           "data_quality", "next_steps"],
    "I": ["summary", "tasks", "indicators", "index766_trend", "index766_groups",
          "index766_compare", "notices", "evidence", "explorer", "next_steps"],
    "II": ["summary", "tasks", "indicators", "evidence", "catalogue_changes",
           "regulation_feedback", "explorer", "next_steps"],
    "III": ["summary", "tasks", "indicators", "trainings", "explorer", "next_steps"],
    "IV": ["summary", "tasks", "indicators", "compliance", "non_compliant", "evidence",
           "explorer", "next_steps"],
    "V": ["summary", "tasks", "indicators", "deadlines", "online_services", "evidence",
          "explorer", "next_steps"],
    "VI": ["summary", "tasks", "indicators", "on_time_trend", "heatmap", "form06",
           "intake_refusals", "overdue", "digitisation", "online_levels", "explorer",
           "next_steps"],
    "VII": ["summary", "tasks", "indicators", "feedback_summary", "late_feedback",
            "communication", "explorer", "next_steps"],
    "VIII": ["summary", "tasks", "indicators", "reports", "explorer", "next_steps"],
    "IX": ["summary", "tasks", "indicators", "full_online_trend", "coverage",
           "digitisation_trends", "heatmap", "explorer", "next_steps"],
    "10": ["introduction", "targets", "sections_review", "figures", "form06", "monthly",
           "conclusions", "signature"],
}  # fmt: skip


@pytest.fixture(scope="module")
def ctx():
    return compute_context(ReviewParams.resolve(2025, "2025-12-31", "year"))


@pytest.fixture(scope="module")
def ev(ctx):
    return ctx.evaluation


@pytest.fixture
def low_dpi(monkeypatch):
    """Charts embedded at a low resolution (drawing is what is tested, not sharpness)."""
    monkeypatch.setattr(blocks, "CHART_DPI", 20)


def _page(ctx, key, interactive=False, **kwargs):
    return open_page(key, context=ctx, interactive=interactive, **kwargs)


def _html(shown) -> str:
    return shown.to_html() if isinstance(shown, View) else shown.static_html()


# --- next steps on the sample ---------------------------------------------------------------


def test_intake_refusals_are_shown_apart_on_the_one_stop_page(ctx, ev):
    # issue 12 rule 1: the sample plants 12 refusals at the counter and 6 dossiers only
    # registered online (sample/dossiers.py); none of them is in form 06.
    html = _html(_page(ctx, "VI").intake_refusals())
    assert "18 hồ sơ không được tiếp nhận trong kỳ" in html
    assert "12 hồ sơ bị từ chối tiếp nhận" in html
    assert int(ev.intake_refusals["n_not_received"].sum()) == 18
    assert ev.form06["received_total"].iloc[-1] == ev.totals["n_in_scope"].iloc[0]


def test_missing_august_notice_is_the_first_step_of_section_i(ev):
    steps = actions.next_steps(ev, "I")
    assert steps[0] == (
        "Ban hành thông báo kết quả thực hiện Bộ chỉ số 766 tháng 08/2025 (nhiệm vụ I.4)."
    )
    assert not any("07/2025" in s or "09/2025" in s for s in steps)


def test_late_nine_month_report_is_named_with_its_working_days(ev):
    assert actions.next_steps(ev, "VIII") == [
        "Báo cáo 9 tháng năm 2025 gửi trễ 4 ngày làm việc (hạn 18/09/2025, gửi 24/09/2025): "
        "rút kinh nghiệm, bảo đảm gửi các kỳ báo cáo sau đúng hạn."
    ]


def test_eligible_procedures_not_full_online_are_named(ctx, ev):
    steps = actions.next_steps(ev, "IX", ctx.tables.procedures)
    line = next(s for s in steps if s.startswith("Cung cấp dịch vụ công trực tuyến toàn trình"))
    assert "cho 3 TTHC đủ điều kiện" in line
    positions = [line.index(code) for code in ("1.005093", "3.000181", "1.000485")]
    assert positions == sorted(positions)  # catalogue order
    none = next(s for s in steps if s.startswith("Rà soát khả năng cung cấp"))
    assert "cho 2 TTHC" in none and "1.005145" in none and "1.004499" in none


def test_the_evaluation_alone_names_the_eligible_procedures_not_full_online(ctx, ev):
    with_catalogue = actions.next_steps(ev, "IX", ctx.tables.procedures)
    assert actions.next_steps(ev, "IX") == with_catalogue  # ev.procedures has the flag


def test_without_the_eligibility_flag_only_the_number_of_eligible_procedures_is_given(ev):
    compliance = ev.procedures.drop(columns="eligible_full_online")
    bare = dataclasses.replace(
        ev, procedure_result=dataclasses.replace(ev.procedure_result, compliance=compliance)
    )
    steps = actions.next_steps(bare, "IX")
    assert "Cung cấp dịch vụ công trực tuyến toàn trình cho 3 TTHC đủ điều kiện còn lại." in steps


def test_full_online_gap_and_projection_are_stated(ev):
    line = next(s for s in actions.next_steps(ev, "IX") if "hoàn toàn trực tuyến từ" in s)
    assert "lên tối thiểu 80%" in line
    assert "dự báo đến 31/12/2025 chỉ đạt" in line


def test_publication_gaps_name_each_procedure(ev):
    steps = actions.next_steps(ev, "IV")
    assert len(steps) == 3
    assert "1.004831" in steps[0] and "(2 ngày làm việc)" in steps[0]
    assert "19/06/2025" in steps[0] and "23/06/2025" in steps[0]
    assert "1.012870" in steps[1] and "công khai ngày 26/09/2025" in steps[1]
    assert steps[2].startswith("Tham mưu phê duyệt quy trình nội bộ giải quyết TTHC cho 2 TTHC")
    assert "1.000481" in steps[2] and "1.000483" in steps[2]


def test_communication_gap_and_late_pakn_in_section_vii(ev):
    steps = actions.next_steps(ev, "VII")
    # issue 13: VII.3's Quý III without a poster is no shortfall (no period in the plan)
    assert not any(s.startswith("Nhiệm vụ VII.3") for s in steps)
    assert any(
        s.startswith("Rút kinh nghiệm việc xử lý chậm PAKN-2025-0018 (Phòng Giáo dục Trung học)")
        for s in steps
    )


def test_sections_without_gaps_have_no_steps(ev):
    assert actions.next_steps(ev, "III") == []


def test_actions_by_section_covers_every_section_in_plan_order(ev):
    by_section = actions.actions_by_section(ev)
    assert list(by_section) == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]


# --- next steps on hand-made inputs -------------------------------------------------------


def _tasks(*rows) -> pd.DataFrame:
    columns = ["task_id", "section_id", "content_short", "status", "evidence_cadence",
               "evidence_source", "deadline", "missing_periods"]  # fmt: skip
    return pd.DataFrame([dict(zip(columns, r, strict=True)) for r in rows])


def _ev(tasks=None, indicators=None, **frames):
    empty_ind = pd.DataFrame(
        columns=["task_id", "indicator_id", "name_vi", "value", "target", "direction", "unit",
                 "met", "projection", "target_date", "counts_for_status"]
    )  # fmt: skip
    return SimpleNamespace(
        tasks=tasks if tasks is not None else _tasks(),
        indicators=indicators if indicators is not None else empty_ind,
        settings=None,
        params=SimpleNamespace(year=2025),
        as_of=date(2025, 12, 31),
        **frames,
    )


def test_task_rules_on_hand_made_tasks():
    tasks = _tasks(
        ("X.1", "X", "Thông báo hằng tháng", "behind", "monthly", "activities", pd.NaT,
         ["03/2025", "04/2025"]),
        ("X.2", "X", "Tờ trình đơn giản hóa", "overdue", "deadline", "activities",
         pd.Timestamp("2025-06-30"), []),
        ("X.3", "X", "Báo cáo rà soát", "not_due", "deadline", "activities",
         pd.Timestamp("2026-03-31"), []),
        ("X.4", "X", "Văn bản đôn đốc", "no_data", "ongoing", "activities", pd.NaT, []),
        ("X.5", "X", "Họp giao ban", "behind", "ongoing", "activities", pd.NaT, ["Quý II/2025"]),
        ("X.6", "X", "Văn bản đôn đốc", "on_track", "ongoing", "activities", pd.NaT, []),
        ("Y.1", "Y", "Nhiệm vụ phần khác", "overdue", "deadline", "activities",
         pd.Timestamp("2025-01-31"), []),
    )  # fmt: skip
    assert actions.next_steps(_ev(tasks), "X") == [
        "Ban hành thông báo hằng tháng tháng 03/2025 (nhiệm vụ X.1).",
        "Ban hành thông báo hằng tháng tháng 04/2025 (nhiệm vụ X.1).",
        "Nhiệm vụ X.2 đã quá hạn (hạn 30/06/2025): khẩn trương hoàn thành tờ trình đơn giản "
        "hóa và cập nhật minh chứng.",
        "Chuẩn bị hoàn thành báo cáo rà soát trước hạn 31/03/2026 (nhiệm vụ X.3).",
        "Nhiệm vụ X.4: chưa có dữ liệu để đánh giá; cập nhật minh chứng, số liệu (văn bản đôn "
        "đốc).",
        "Nhiệm vụ X.5: chưa có minh chứng họp giao ban Quý II/2025; cập nhật minh chứng nếu đã "
        "thực hiện, hoặc tổ chức thực hiện bù trong kỳ tới.",
    ]


def test_indicator_rule_gives_gap_projection_and_lowest_units():
    tasks = _tasks(("Z.1", "Z", "Toàn trình", "below_target", "none", "none", pd.NaT, []))
    indicators = pd.DataFrame(
        [
            {"task_id": "Z.1", "indicator_id": "digitisation_rate",
             "name_vi": "Tỷ lệ hồ sơ số hóa", "value": 0.5, "target": 0.8, "direction": "min",
             "unit": "rate", "met": False, "projection": 0.65,
             "target_date": pd.Timestamp("2025-12-31"), "counts_for_status": True},
            {"task_id": "Z.1", "indicator_id": "overdue_count", "name_vi": "Số hồ sơ quá hạn",
             "value": 7.0, "target": 0.0, "direction": "max", "unit": "count", "met": False,
             "projection": float("nan"), "target_date": pd.NaT, "counts_for_status": True},
            {"task_id": "Z.1", "indicator_id": "notice_months", "name_vi": "Số tháng",
             "value": 3.0, "target": 4.0, "direction": "min", "unit": "count", "met": False,
             "projection": float("nan"), "target_date": pd.NaT, "counts_for_status": False},
            {"task_id": "Z.1", "indicator_id": "e_result_rate", "name_vi": "Tỷ lệ kết quả",
             "value": 0.9, "target": float("nan"), "direction": "min", "unit": "rate",
             "met": pd.NA, "projection": float("nan"), "target_date": pd.NaT,
             "counts_for_status": True},
        ]
    )  # fmt: skip
    by_unit = pd.DataFrame(
        {"unit": ["Phòng A", "Phòng B", "Phòng C"], "digitisation_rate": [0.7, 0.4, 0.9]}
    )
    assert actions.next_steps(_ev(tasks, indicators, by_unit=by_unit), "Z") == [
        "Nâng tỷ lệ hồ sơ số hóa từ 50% lên tối thiểu 80% (còn thiếu 30,0 điểm phần trăm); "
        "theo xu hướng các tháng, dự báo đến 31/12/2025 chỉ đạt 65%; ưu tiên các đơn vị có "
        "tỷ lệ thấp nhất: Phòng B (40,0%), Phòng A (70,0%).",
        "Giảm số hồ sơ quá hạn từ 7 xuống 0 (còn thiếu 7).",
    ]


def test_overdue_dossiers_by_unit_with_apology_letters():
    tasks = _tasks(("VI.3", "VI", "Đúng hạn", "below_target", "none", "none", pd.NaT, []))
    overdue = pd.DataFrame(
        {
            "dossier_id": ["H1", "H2", "H3", "H4"],
            "unit": ["Phòng A", "Phòng B", "Phòng B", None],
            "has_apology": pd.array([True, False, pd.NA, False], dtype="boolean"),
            "outcome": ["overdue", "pending_overdue", "overdue", "overdue"],
        }
    )
    assert actions.next_steps(_ev(tasks, overdue=overdue), "VI") == [
        "Gửi thư xin lỗi và hẹn lại ngày trả kết quả cho 3 hồ sơ quá hạn chưa có thư xin lỗi "
        "(Nghị định 61/2018/NĐ-CP, Điều 19 khoản 9).",
        "Giải quyết dứt điểm 1 hồ sơ đang quá hạn tại ngày chốt số liệu.",
        "Phòng B: 2 hồ sơ quá hạn (trong đó 2 hồ sơ chưa có thư xin lỗi, 1 hồ sơ chưa giải "
        "quyết xong); rà soát nguyên nhân, chấn chỉnh.",
        "Chưa xác định đơn vị: 1 hồ sơ quá hạn (trong đó 1 hồ sơ chưa có thư xin lỗi); rà soát "
        "nguyên nhân, chấn chỉnh.",
        "Phòng A: 1 hồ sơ quá hạn; rà soát nguyên nhân, chấn chỉnh.",
    ]


def test_reports_overdue_and_coming_due():
    tasks = _tasks(("VIII.1", "VIII", "Báo cáo", "overdue", "deadline", "report_submissions",
                    pd.NaT, []))  # fmt: skip
    reports = pd.DataFrame(
        {
            "name_vi": ["Quý I/2025", "Năm 2025", "9 tháng năm 2025"],
            "effective_due_on": pd.to_datetime(["2025-03-18", "2025-12-18", "2025-09-18"]),
            "submitted_on": pd.to_datetime([None, None, None]),
            "days_late_wd": [float("nan")] * 3,
            "status": ["overdue", "not_due", "not_due"],
        }
    )
    ev = _ev(tasks, reports=reports)
    ev.as_of = date(2025, 6, 30)
    assert actions.next_steps(ev, "VIII") == [
        "Gửi ngay báo cáo Quý I/2025 (quá hạn từ 18/03/2025).",
        "Chuẩn bị báo cáo 9 tháng năm 2025, hạn gửi 18/09/2025.",
    ]


# --- helpers ---------------------------------------------------------------------------------


def test_targets_and_names_are_formatted_for_reading():
    assert format_target(1.0, "rate") == "100%"
    assert format_target(0.8, "rate") == "≥ 80%"
    assert format_target(0.0, "count", "max") == "≤ 0"
    assert format_target(float("nan"), "rate") == "–"
    assert name_list([f"T{i}" for i in range(10)], "TTHC", limit=3) == "T0; T1; T2 và 7 TTHC khác"
    long_name = "Cấp giấy chứng nhận " + "đăng ký hoạt động " * 6
    label = procedure_label("1.000485", long_name)
    assert label.startswith("1.000485 «Cấp giấy chứng nhận") and label.endswith("…»")
    assert len(label) < 100 and " …" not in label


# --- summaries -------------------------------------------------------------------------------


def test_section_paragraphs_state_the_planted_facts(ev):
    assert "Đã gửi 4/4 báo cáo định kỳ đến hạn, trong đó 3 báo cáo đúng hạn." in (
        summaries.section_paragraph(ev, "VIII")
    )
    assert "Đã tham gia 4 lượt tập huấn nghiệp vụ kiểm soát TTHC với 43 lượt người tham dự." in (
        summaries.section_paragraph(ev, "III")
    )
    text_i = summaries.section_paragraph(ev, "I")
    assert text_i.startswith("Phần I có 6 nhiệm vụ:")
    assert "tháng 08/2025" in text_i
    text_v = summaries.section_paragraph(ev, "V")
    assert "trễ 11 ngày làm việc so với hạn 30/06/2025" in text_v


def test_overall_paragraph_counts_24_tasks(ev):
    text = summaries.overall_paragraph(ev)
    assert text.startswith("Tính đến ngày 31/12/2025, kế hoạch có 24 nhiệm vụ:")
    assert "I.4" in text and "1 nhiệm vụ chưa có dữ liệu để đánh giá" in text  # I.6


# --- pages ------------------------------------------------------------------------------------


def test_header_names_the_plan_period_cut_off_and_sample(ctx):
    text = _page(ctx, "IV").header().text()
    assert "Sở Giáo dục và Đào tạo tỉnh Bình Phước" in text
    assert "Thực hiện Công văn số 655/SGDĐT-VP ngày 27/02/2025" in text
    assert "Phần IV của kế hoạch" in text
    assert "Kỳ đánh giá: Năm 2025 (15/12/2024 – 14/12/2025)" in text
    assert "Số liệu chốt đến ngày 31/12/2025." in text
    assert "Đơn vị: tất cả các phòng" in text
    assert "Dữ liệu mẫu giả lập, không phải số liệu thật" in text
    assert "synthetic" not in text  # no English in the page


def test_header_in_a_review_build_leaves_provenance_to_the_report(ctx, monkeypatch):
    monkeypatch.setenv("TTHC_REVIEW_BUILD", "1")
    text = _page(ctx, "IV").header().text()
    assert "Phần IV của kế hoạch" in text and "Đơn vị: tất cả các phòng" in text
    assert "655/SGDĐT-VP" not in text and "Số liệu chốt" not in text
    assert "giả lập" not in text  # the report header carries the sample banner


def test_unsupported_label_language_keeps_vietnamese_with_a_note(ctx):
    text = _page(ctx, "00", label_language="en").header().text()
    assert "Ngôn ngữ nhãn «en» chưa được hỗ trợ; các nhãn hiển thị bằng tiếng Việt." in text


def test_notice_calendar_of_task_i4(ctx):
    rows = _page(ctx, "I").notice_rows()
    states = dict(zip(rows["month"], rows["state"], strict=True))
    assert "Thiếu" in states["08/2025"]
    assert "Chưa đến hạn" in states["12/2025"]
    issued = [m for m, s in states.items() if "Đã ban hành" in s]
    assert issued == [f"{m:02d}/2025" for m in (1, 2, 3, 4, 5, 6, 7, 9, 10, 11)]
    assert rows.loc[rows["month"] == "08/2025", "due"].iloc[0] == pd.Timestamp("2025-09-10")


def test_trainings_by_quarter(ctx):
    rows = _page(ctx, "III").training_rows()
    assert rows.to_dict("list") == {
        "quarter": ["Quý I/2025", "Quý II/2025", "Quý III/2025", "Quý IV/2025"],
        "n": [1, 1, 1, 1],
        "participants": [6, 12, 15, 10],
    }


def test_every_section_page_shows_at_least_one_chart(ctx, low_dpi):
    for key in ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"):
        page = _page(ctx, key)
        n_figures = 0
        for name in PAGE_METHODS[key]:
            shown = getattr(page, name)()
            if isinstance(shown, View):
                n_figures += len(shown.figures)
        assert n_figures >= 1, key


def test_sections_without_targets_chart_evidence_and_monitored_values(ctx, low_dpi):
    # II: II.1 (ongoing) has one proposal a quarter; the requirement is 1 a quarter.
    figs = _page(ctx, "II").evidence().figures
    assert len(figs) == 1
    bars = {p.get_gid(): p.get_height() for p in figs[0].axes[0].patches if p.get_gid()}
    assert [bars[f"evidence:II.1:2025-Q{q}"] for q in range(1, 5)] == [1, 1, 1, 1]
    assert [ln.get_gid() for ln in figs[0].findobj(Line2D)].count("target") == 1
    # III: trainings 6, 12, 15, 10 people by quarter (no target), then trainings per quarter.
    figs = _page(ctx, "III").trainings().figures
    assert len(figs) == 2
    assert [p.get_height() for p in figs[0].axes[0].patches if p.get_gid() == "value"] == [
        6, 12, 15, 10
    ]  # fmt: skip
    assert "Chỉ tiêu: không quy định" in [t.get_text() for t in figs[0].legends[0].get_texts()]
    # V: V.1 done 15/07 after its deadline 30/06 is marked at Quý II; V.3 done on time.
    fig = _page(ctx, "V").evidence().figures[0]
    gids = {p.get_gid() for p in fig.axes[0].patches}
    assert "missing:V.1:2025-Q2" in gids and "missing:V.3:2025-Q2" not in gids
    # V's only indicator (share of online services with dossiers, 100%) has no target.
    fig = _page(ctx, "V").indicators().figures[0]
    assert fig.axes[0].patches[1].get_width() == 1.0
    assert [ln for ln in fig.findobj(Line2D) if ln.get_gid() == "target"] == []
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["Chỉ để theo dõi (chỉ tiêu: không quy định)"]


def test_evidence_periods_mark_the_missing_periods_of_the_evaluation(ctx, ev):
    # I.4's missing August notice (month view) and VII.3's missing Quý III (quarter view).
    rows = _page(ctx, "I").evidence_periods()
    assert rows.loc[rows["is_missing"], ["task_id", "period"]].values.tolist() == [
        ["I.4", "2025-08"]
    ]
    # issue 13: VII.3 needs one item in the year, so its empty Quý III is not missing
    rows = _page(ctx, "VII").evidence_periods()
    assert rows.loc[rows["is_missing"], "period_label"].tolist() == []
    assert ev.tasks.set_index("task_id").loc["VII.3", "missing_periods"] == []


def test_reports_show_the_delay_in_working_days(ctx):
    rows = _page(ctx, "VIII").report_rows()
    assert list(rows["delay"]) == ["Đúng hạn", "Đúng hạn", "Trễ 4 ngày làm việc", "Đúng hạn"]


def test_non_compliant_procedures_of_section_iv(ctx):
    rows = _page(ctx, "IV").non_compliant_rows()
    assert sorted(rows["procedure_code"]) == ["1.000481", "1.000483", "1.004831", "1.012870"]
    issues = dict(zip(rows["procedure_code"], rows["issues"], strict=True))
    assert issues["1.004831"] == "công bố chậm (trước ngày hiệu lực 2 ngày làm việc)"
    assert issues["1.000481"] == "chưa có quy trình nội bộ được phê duyệt"


def test_coverage_gaps_of_section_ix(ctx):
    missing, none = _page(ctx, "IX").coverage_gaps()
    assert sorted(missing["procedure_code"]) == ["1.000485", "1.005093", "3.000181"]
    assert sorted(none["procedure_code"]) == ["1.004499", "1.005145"]
    assert set(missing["online_level"]) == {"partial"}  # codes; the table shows labels
    page_text = _page(ctx, "IX").coverage().text()
    assert "Một phần" in page_text and "partial" not in page_text


def test_projection_line_reaches_december_and_matches_the_evaluation(ctx, ev):
    frame = _page(ctx, "IX").projection_frame()
    assert frame["month"].iloc[-1] == "2025-12"
    december = frame.loc[frame["month"] == "2025-12", "trend"].iloc[0]
    assert december == pytest.approx(ev.summary["full_online_projection"])


def test_overview_section_chart_marks_the_100_percent_requirement(ctx, low_dpi):
    (fig,) = _page(ctx, "00").sections().figures
    targets = [a for a in fig.axes[0].get_children() if a.get_gid() == "target"]
    assert len(targets) == 1
    assert list(targets[0].get_xdata()) == [1.0, 1.0]  # a vertical line at 100%
    assert targets[0].get_label() == "Chỉ tiêu 100%"
    plt.close(fig)


def test_late_list_is_worst_first(ctx):
    text = _page(ctx, "00").late().text()
    assert text.index("I.4") < text.index("IV.1")  # behind before below target


def test_year_end_review_reads_as_an_official_summary(ctx):
    page = _page(ctx, "10")
    review = page.sections_review().text()
    for sid in ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"):
        assert f"Phần {sid}. " in review
    signature = page.signature().text()
    assert "GIÁM ĐỐC" in signature and "Nơi nhận:" in signature
    # issue 13: the year-end review is issued by the merged Sở (Đồng Nai)
    assert "Đồng Nai, ngày" in signature
    conclusions = page.conclusions().text()
    assert "Kết luận" in conclusions and "Kiến nghị, đề xuất" in conclusions
    assert "Phần VIII: Báo cáo 9 tháng năm 2025 gửi trễ 4 ngày làm việc" in conclusions
    figures = page.figures().text()
    assert "Tổng số hồ sơ nhận giải quyết" in figures


def _headers(view) -> list[str]:
    return re.findall(r'<th class="tthc-\w+" scope="col">([^<]*)</th>', view.to_html())


def test_tables_name_columns_and_codes_as_their_own_dataset(ctx):
    evidence = _page(ctx, "I").evidence()
    assert "Đơn vị thực hiện" in _headers(evidence)  # evidence: not the dossiers' "xử lý"
    assert "Hoàn thành" in evidence.text() and ">done<" not in evidence.to_html()
    changes = _page(ctx, "II").catalogue_changes()
    assert "Tình trạng" in _headers(changes) and "Sửa đổi" in changes.text()
    late = _page(ctx, "VII").late_feedback()
    assert {"Kết quả xử lý", "Ngày công khai"} <= set(_headers(late))
    assert "Ngày QĐ công bố" not in _headers(late)
    overdue = _page(ctx, "VI").overdue()
    assert "Kết quả giải quyết" in _headers(overdue)
    assert "Đang giải quyết quá hạn" in overdue.text()
    assert ">nan<" not in overdue.to_html()  # a missing reason is "–", not "nan"


def test_indicator_notes_name_the_source_of_each_target_in_vietnamese(ctx):
    text = _page(ctx, "IX").indicators().text()
    assert "Kế hoạch 655/SGDĐT-VP (100% TTHC đủ điều kiện đến hết năm 2025)" in text
    assert (
        # 77,8%: issue 12 (eligible dossiers as the denominator) after issue 11 (the dossiers
        # with an unknown channel or a code filled by name are kept)
        "Dự báo 31/12/2025: 77,8%. Nguồn chỉ tiêu: Kế hoạch 655/SGDĐT-VP "
        "(tối thiểu 80% hồ sơ đến hết năm 2025)"
    ) in text
    assert "plan text" not in text and "domain default" not in text


def test_heatmaps_read_the_unit_by_month_table_of_the_evaluation(ctx, ev):
    for key in ("VI", "IX"):
        assert _page(ctx, key).unit_month() is ev.unit_month


def test_year_end_conclusions_name_the_task_of_each_target(ctx):
    text = _page(ctx, "10").conclusions().text()
    # the digitisation level is an UNCONFIRMED setting (assumed_targets.digitisation_rate)
    assert "(chỉ tiêu ≥ 80%, mức chưa xác nhận; nhiệm vụ VI.1)" in text
    assert "(chỉ tiêu ≥ 80%, mức chưa xác nhận; nhiệm vụ IX.3)" in text  # the other task


def test_untrusted_feedback_text_is_escaped(ctx):
    # PAKN-2025-0014 (planted G12) holds a <script>, an <img onerror> and a javascript: link.
    pages = [
        _page(ctx, "VII").explorer().static_html(),
        _page(ctx, "II").regulation_feedback().to_html(),
        _page(ctx, "II").explorer().static_html(),
    ]
    for html_text in pages:
        assert "PAKN-2025-0014" in html_text
        assert "<script>alert(" not in html_text
        assert "<img src=x" not in html_text
        assert '<a href="javascript:' not in html_text
        assert "&lt;script&gt;alert(" in html_text


def test_explorers_are_static_without_widgets_and_interactive_with_them(ctx, ev):
    static = _page(ctx, "VI").explorer()
    assert isinstance(static, DossierExplorer) and static.widget is None
    assert static.result is ev.monthly  # the evaluation's own figures, not recomputed
    assert 'src="data:image/png;base64,' in static.static_html()

    live = _page(ctx, "VI", interactive=True).explorer()
    assert live.widget is not None
    unit = "Phòng Kế hoạch - Tài chính"
    live.panel.controls["unit"].value = unit
    n_unit = int(ev.by_unit.loc[ev.by_unit["unit"] == unit, "n_received"].iloc[0])
    assert int(live.result["n_received"].sum()) == n_unit

    tasks = _page(ctx, "00", interactive=True).explorer()
    assert isinstance(tasks, FilteredTable)
    tasks.panel.controls["status"].value = "behind"
    assert list(tasks.current_frame["task_id"]) == ["I.4"]


def test_a_view_shows_each_chart_once(ctx, low_dpi):
    view = _page(ctx, "VI").digitisation()
    assert len(view.figures) == 1
    assert view.to_html().count('<img class="tthc-chart"') == 1
    assert view.to_html() is view.to_html()  # drawn once, then cached


def test_every_page_method_renders_and_every_chart_has_its_glyphs(ctx, tmp_path):
    plt.close("all")
    out_dirs = [tmp_path] + ([Path(CHART_DIR)] if CHART_DIR else [])
    for folder in out_dirs:
        folder.mkdir(parents=True, exist_ok=True)
    n_charts = 0
    for key, methods in PAGE_METHODS.items():
        page = _page(ctx, key)
        for name in methods:
            shown = getattr(page, name)()
            assert isinstance(shown, View | FilteredTable | DossierExplorer), (key, name)
            if not isinstance(shown, View):
                assert _html(shown)
                continue
            if not shown.figures:
                assert shown.to_html()
            for i, fig in enumerate(shown.figures):
                with warnings.catch_warnings():
                    warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
                    png = figure_to_png_bytes(fig, dpi=100)
                assert missing_glyphs(fig) == [], (key, name)
                stem = re.sub(r"[^A-Za-z0-9]+", "_", f"{key}_{name}_{i}")
                for folder in out_dirs:
                    (folder / f"{stem}.png").write_bytes(png)
                n_charts += 1
    assert n_charts >= 25
    assert plt.get_fignums() == []  # no figure left for the inline backend to show again


@pytest.mark.parametrize(
    ("period", "as_of", "units"),
    [("q2", None, None), ("year", "2025-12-31", ["Phòng Tổ chức cán bộ"])],
    ids=["q2", "one-unit"],
)
def test_pages_build_for_another_period_and_a_unit_filter(period, as_of, units):
    ctx = compute_context(ReviewParams.resolve(2025, as_of, period, None, units))
    for key, methods in PAGE_METHODS.items():
        page = open_page(key, context=ctx, interactive=False)
        for name in methods:
            shown = getattr(page, name)()
            if not isinstance(shown, View) or not shown.figures:
                assert _html(shown)
    header = open_page("00", context=ctx).header().text()
    assert ("Phòng Tổ chức cán bộ" in header) == bool(units)


@pytest.mark.parametrize("section", ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"])
def test_every_section_page_shows_the_rule_of_its_tasks(ctx, section):
    # issue 13: a reviewer can dispute a status against the reading of the plan text
    text = _page(ctx, section).tasks().text()
    assert "Quy tắc đánh giá từng nhiệm vụ" in text
    assert "Cách hiểu nội dung kế hoạch" in text
    if section == "III":
        assert "quý không có tập huấn không phải thiếu sót của Sở" in text
    if section == "I":
        # I.6's reason says what evidence would show it
        assert "minh chứng cần có: văn bản yêu cầu của cấp trên" in text


# --- The data behind every view (issue 14) ---------------------------------------------


def test_every_page_method_returns_a_view_with_its_data_and_help(ctx):
    """Every method a notebook calls carries its data, its chart, and says how in help()."""
    for key, methods in PAGE_METHODS.items():
        page = _page(ctx, key)
        for name in methods:
            method = getattr(page, name)
            doc = method.__doc__ or ""
            assert len(doc.strip()) > 20, (key, name)
            if name == "signature":
                continue
            shown = method()
            assert isinstance(shown.data, pd.DataFrame), (key, name)
            if isinstance(shown, View):
                assert shown.figure is (shown.figures[0] if shown.figures else None)
                assert "Returns:" in doc, (key, name)


def test_overdue_view_carries_its_tables_with_canonical_and_vietnamese_names(ctx, tmp_path):
    import openpyxl

    page = _page(ctx, "VI")
    view = page.overdue(unit="Phòng Giáo dục Trung học", top=3)
    assert view.choices == {"unit": "Phòng Giáo dục Trung học", "field": None,
                            "procedure": None, "top": 3}  # fmt: skip
    assert len(view.data) == 3 and set(view.data["unit"]) == {"Phòng Giáo dục Trung học"}
    late = view.data["days_late_wd"].tolist()
    assert late == sorted(late, reverse=True)  # the most overdue first
    assert set(view.frames) == {"data", "by_unit"}
    assert view.frames["by_unit"]["n"].tolist() == [3]
    assert "Mã hồ sơ" in view.data_vi.columns and "dossier_id" in view.data.columns
    assert set(view.data_vi["Kết quả giải quyết"]) <= {
        "Đang giải quyết quá hạn",
        "Đã giải quyết quá hạn",
    }
    assert not set(view.data.columns) & {"applicant_name", "applicant_phone"}
    book = openpyxl.load_workbook(view.to_excel(tmp_path / "qua_han.xlsx"))
    assert book.sheetnames == ["Dữ liệu", "Theo đơn vị"]
    assert book["Dữ liệu"].max_row == 4  # header + 3 dossiers


def test_a_misspelt_name_is_an_error_listing_the_valid_names(ctx):
    from tthc_analysis.errors import ParameterError

    page = _page(ctx, "VI")
    with pytest.raises(ParameterError) as error:
        page.overdue(unit="Phòng Giáo dục Trung hoc X")
    message = str(error.value)
    assert "Không có đơn vị «Phòng Giáo dục Trung hoc X»" in message
    assert "«Phòng Giáo dục Trung học»" in message and "«Văn phòng»" in message
    # capitals, spaces and diacritics do not matter
    assert len(page.overdue(unit="phong giao duc  trung hoc").data) == len(
        page.overdue(unit="Phòng Giáo dục Trung học").data
    )
    with pytest.raises(ParameterError, match="lĩnh vực"):
        page.on_time_trend(field="Không có lĩnh vực này")
    with pytest.raises(ParameterError, match="tỷ lệ"):
        page.heatmap(metric="on_time")
    with pytest.raises(ParameterError, match="by"):
        page.heatmap(by="region")


def test_heatmap_by_field_is_computed_from_the_dossiers(ctx, ev):
    from tthc_analysis.metrics.rates import dossier_rates

    page = _page(ctx, "VI")
    view = page.heatmap(by="field", metric="digitisation_rate")
    expected = dossier_rates(page.frames["dossiers"], page.catalogue, ev.period, ["field", "month"])
    pd.testing.assert_frame_equal(view.data, expected)
    assert view.figure is not None
    title = view.figure.get_suptitle() or view.figure.axes[0].get_title()
    assert "Tỷ lệ số hóa hồ sơ theo lĩnh vực và tháng" in title
    default = page.heatmap()  # the report's map: the evaluation's unit × month table
    pd.testing.assert_frame_equal(default.data, ev.unit_month.reset_index(drop=True))


def test_on_time_trend_of_one_unit_counts_only_its_dossiers(ctx):
    page = _page(ctx, "VI")
    unit = "Phòng Giáo dục Trung học"
    view = page.on_time_trend(unit=unit)
    dossiers = page.frames["dossiers"]
    mine = view.data["n_received"].sum()
    everyone = page.on_time_trend().data["n_received"].sum()
    assert 0 < mine < everyone
    assert (dossiers["unit"] == unit).sum() >= mine


def test_units_are_checked_against_the_data():
    from tthc_analysis.errors import ParameterError

    with pytest.raises(ParameterError, match="Không có đơn vị «Phòng Không Tồn Tại»"):
        compute_context(
            ReviewParams.resolve(2025, "2025-03-14", "q1", units=["Phòng Không Tồn Tại"])
        )


def test_period_without_as_of_takes_the_end_of_the_period():
    """q1 without as_of: cut-off 14/03/2025 (official window), header and counts follow."""
    ctx_q1 = compute_context(ReviewParams.resolve(2025, None, "q1"))
    page = open_page("VI", context=ctx_q1, interactive=False)
    assert ctx_q1.params.as_of == date(2025, 3, 14)
    text = page.header().text()
    assert "Quý I/2025 (15/12/2024 – 14/03/2025)" in text
    assert "Số liệu chốt đến ngày 14/03/2025" in text
    ev_q1 = ctx_q1.evaluation
    assert ev_q1.summary["index766_latest_period"] <= "2025-03"
    assert page.header().data["as_of"].iloc[0] == pd.Timestamp("2025-03-14")
    assert (page.overdue().data["received_at"] <= pd.Timestamp("2025-03-15")).all()
