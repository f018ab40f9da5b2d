"""The text of the report on TTHC control: one source for the year-end page and the Word draft.

The year-end notebook (:mod:`tthc_analysis.views.year_end`) and the Word draft
(:mod:`tthc_analysis.document.report`) both call these functions, so the two never
disagree: the introduction, the figures of the period, each task's result and evidence,
the targets achieved and missed, the comparison with the same period of the previous
year, the shortcomings ("Tồn tại, hạn chế"), their causes ("Nguyên nhân"), the next
steps ("Phương hướng, nhiệm vụ"), the recipients and the signature block.

Every figure comes from the evaluation and is formatted with :mod:`tthc_analysis.text`;
nothing is typed by hand. The three drafted parts are built from what the data shows
(late, behind, below target, missing) and are meant to be edited by the officer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from tthc_analysis.fields import DATASET_LABELS_VI
from tthc_analysis.labels import RATE_LABELS_VI
from tthc_analysis.text import format_date, format_number, nfc
from tthc_analysis.views import actions
from tthc_analysis.views.common import (
    format_target,
    indicator_value,
    lower_first,
    plan_reference,
    section_order,
)

if TYPE_CHECKING:
    from tthc_analysis.evaluation.evaluate import Evaluation

__all__ = [
    "DRAFT_NOTE",
    "RECIPIENTS",
    "UNCONFIRMED_MARK",
    "causes",
    "comparison_lines",
    "comparison_note",
    "directions",
    "indicator_rows",
    "introduction_text",
    "key_figure_rows",
    "shortcomings",
    "target_line",
    "targets_by_result",
    "task_line",
]

DRAFT_NOTE = (
    "[DỰ THẢO – nội dung do công cụ lập từ số liệu, đề nghị cán bộ rà soát, chỉnh sửa "
    "trước khi trình ký]"
)
"""The mark put on the drafted parts (shortcomings, causes, next steps)."""

RECIPIENTS = (
    "UBND tỉnh (để báo cáo);",
    "Văn phòng UBND tỉnh (để báo cáo);",
    "Giám đốc, các Phó Giám đốc Sở;",
    "Các phòng thuộc Sở;",
    "Lưu: VT, VP.",
)
"""The usual "Nơi nhận" of the report (editable in the draft)."""

_PROBLEM_STATUSES = ("overdue", "behind", "done_late")


def _pct(value) -> str:
    return indicator_value(value, "rate")


def _num(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def introduction_text(ev: Evaluation) -> str:
    """The opening paragraph: which plan, which period, which data."""
    meta = ev.plan.meta
    reference = plan_reference(meta) or "Kế hoạch kiểm soát thủ tục hành chính"
    issuer = getattr(meta, "issuer", "") or "Sở Giáo dục và Đào tạo"
    subject = getattr(meta, "subject", "") or (
        "thực hiện kế hoạch hoạt động kiểm soát thủ tục hành chính"
    )
    return (
        f"Thực hiện {reference} của {issuer} về việc {nfc(subject)}, trên cơ sở số "
        f"liệu giải quyết thủ tục hành chính, phản ánh, kiến nghị, Bộ chỉ số 766 và minh "
        f"chứng thực hiện nhiệm vụ của các phòng, kết quả thực hiện {lower_first(ev.period.name_vi)}"
        f" (số liệu chốt đến ngày {format_date(ev.as_of)}) được tổng hợp như sau."
    )


def key_figure_rows(ev: Evaluation) -> pd.DataFrame:
    """The figures of the period as (content, figure, note) rows, missing ones left out."""
    rows: list[tuple[str, str, str]] = []
    totals = ev.totals
    if len(totals) and int(totals.iloc[0].get("n_in_scope", 0) or 0):
        t = totals.iloc[0]
        n = format_number
        rows += [
            ("Tổng số hồ sơ nhận giải quyết", n(t["n_in_scope"]),
             f"{n(t['n_received'])} hồ sơ tiếp nhận mới, {n(t['n_carried_over'])} hồ sơ "
             "từ kỳ trước chuyển sang"),
            ("Hồ sơ nộp trực tuyến", n(t["n_online"]), f"{_pct(t['online_share'])} hồ sơ tiếp nhận"),
            ("Hồ sơ xử lý hoàn toàn trực tuyến", n(t["n_full_online_eligible"]),
             f"{_pct(t['full_online_share'])} hồ sơ của TTHC đủ điều kiện toàn trình"),
            ("Hồ sơ đã giải quyết", n(t["n_finished"]),
             f"trước hạn {n(t['n_finished_early'])}, đúng hạn {n(t['n_finished_on_time'])}, "
             f"quá hạn {n(t['n_finished_overdue'])}"),
            ("Hồ sơ đang giải quyết", n(t["n_pending"]),
             f"trong hạn {n(t['n_pending_in_time'])}, quá hạn {n(t['n_pending_overdue'])}"),
            (RATE_LABELS_VI["on_time_rate"], _pct(t["on_time_rate"]),
             f"{n(t['n_on_time'])}/{n(t['n_in_scope'])} hồ sơ"),
            (RATE_LABELS_VI["digitisation_rate"], _pct(t["digitisation_rate"]), ""),
            (RATE_LABELS_VI["e_result_rate"], _pct(t["e_result_rate"]), ""),
            (RATE_LABELS_VI["reuse_rate"], _pct(t["reuse_rate"]), ""),
            (RATE_LABELS_VI["online_payment_rate"], _pct(t["online_payment_rate"]), ""),
            ("Thời gian giải quyết bình quân", f"{format_number(t['avg_processing_wd'], 1)} ngày "
             "làm việc", ""),
        ]  # fmt: skip
    cov = ev.online_coverage
    if len(cov):
        c = cov.iloc[0]
        rows.append(
            ("TTHC đang hiệu lực", format_number(c["n_in_force"]),
             f"toàn trình {format_number(c['n_full'])}, một phần {format_number(c['n_partial'])}, "
             f"chưa có DVCTT {format_number(c['n_none'])}")
        )  # fmt: skip
    fb = ev.feedback_summary
    if fb.get("n_items"):
        rows.append(
            ("Phản ánh, kiến nghị", format_number(fb["n_items"]),
             f"xử lý đúng hạn {_pct(fb['on_time_rate'])}, công khai đúng hạn "
             f"{_pct(fb['published_on_time_rate'])}")
        )  # fmt: skip
    latest = ev.summary.get("index766_latest_period")
    total = ev.summary.get("index766_latest_total")
    if latest and total is not None and not pd.isna(total):
        rows.append(
            (f"Tổng điểm Bộ chỉ số 766 (tháng {latest[5:7]}/{latest[:4]})",
             f"{format_number(total, 2)}/100", "")
        )  # fmt: skip
    rs = ev.reports_summary
    if rs.get("n_reports"):
        rows.append(
            ("Báo cáo định kỳ gửi đúng hạn", f"{format_number(rs['n_on_time'])}/"
             f"{format_number(rs['n_due'])}", "")
        )  # fmt: skip
    return pd.DataFrame(rows, columns=["content", "figure", "note"])


def indicator_rows(ev: Evaluation, task_ids=None) -> pd.DataFrame:
    """Indicators with ``shown_value`` and ``shown_target`` (all tasks, or ``task_ids``)."""
    table = ev.indicators
    rows = table.loc[table["task_id"].isin(set(task_ids))] if task_ids is not None else table
    rows = rows.copy()
    records = rows.to_dict("records")
    rows["shown_value"] = [indicator_value(r["value"], r["unit"]) for r in records]
    rows["shown_target"] = [format_target(r["target"], r["unit"], r["direction"]) for r in records]
    return rows


UNCONFIRMED_MARK = "CHƯA XÁC NHẬN"
"""Written in a target's source while its level is unconfirmed (domain.md: a setting)."""


def target_line(row: dict) -> str:
    """``"Tỷ lệ …: 89,6% (chỉ tiêu ≥ 80%; nhiệm vụ VI.1)"``, one line per task.

    An indicator shared by two tasks is two lines, as it is counted twice in the tally.
    A level whose source says it is unconfirmed (:data:`UNCONFIRMED_MARK`, e.g. the
    setting ``assumed_targets.digitisation_rate``) is marked "mức chưa xác nhận".
    """
    source = str(row.get("target_source") or "")
    assumed = ", mức chưa xác nhận" if UNCONFIRMED_MARK in source else ""
    return (
        f"{nfc(row['name_vi'])}: {row['shown_value']} "
        f"(chỉ tiêu {row['shown_target']}{assumed}; nhiệm vụ {row['task_id']})"
    )


def targets_by_result(
    ev: Evaluation, rows: pd.DataFrame | None = None
) -> tuple[list[str], list[str]]:
    """(Lines of the targets achieved, lines of the targets missed), in plan order."""
    rows = indicator_rows(ev) if rows is None else rows
    rows = rows.loc[rows["target"].notna() & rows["met"].notna()].copy()
    rows["_order"] = [section_order(t.split(".")[0]) for t in rows["task_id"]]
    records = rows.sort_values("_order", kind="stable").to_dict("records")
    achieved = [target_line(r) for r in records if bool(r["met"])]
    missed = [target_line(r) for r in records if not bool(r["met"])]
    return achieved, missed


def task_line(row: dict) -> str:
    """One task's result for the report: status, then its evidence or indicator basis."""
    text = f"Nhiệm vụ {row['task_id']} ({nfc(str(row['content_short'])).rstrip('.…')}): "
    text += f"{lower_first(str(row['status_vi']))}"
    reason = nfc(str(row.get("reason_vi") or "")).strip().rstrip(".")
    if reason:
        text += f" – {lower_first(reason)}"
    evidence = nfc(str(row.get("evidence_vi") or "")).strip().rstrip(".")
    if evidence and evidence not in reason:
        text += f"; minh chứng: {evidence}"
    summary = nfc(str(row.get("indicator_summary_vi") or "")).strip().rstrip(".")
    if summary and summary not in reason:
        text += f"; {lower_first(summary)}"
    return text + "."


# --- comparison with the same period of the previous year --------------------------------


def _figure(kind: str, value: float) -> str:
    if pd.isna(value):
        return "–"
    if kind == "points":  # 766 scores (two decimals, as the portal publishes them)
        return format_number(value, 2)
    return _pct(value) if kind == "rate" else format_number(value)


def _change(kind: str, change: float, rel: float) -> str:
    if pd.isna(change):
        return "–"
    if change == 0:
        return "không thay đổi"
    word = "tăng" if change > 0 else "giảm"
    if kind == "rate":
        return f"{word} {format_number(abs(change) * 100, 1)} điểm phần trăm"
    if kind == "points":
        return f"{word} {format_number(abs(change), 2)} điểm"
    text = f"{word} {format_number(abs(change))}"
    if not pd.isna(rel):
        text += f" ({format_number(abs(rel) * 100, 1)}%)"
    return text


def comparison_note(ev: Evaluation) -> str:
    """Why the comparison is missing (empty when it is available)."""
    return str(getattr(ev, "comparison_note", "") or "")


def comparison_lines(ev: Evaluation | None, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The comparison as display rows: content, this period, same period last year, change.

    Empty when the comparison is not available (see :func:`comparison_note`).
    """
    table = getattr(ev, "comparison", None) if table is None else table
    columns = ["content", "current", "previous", "change"]
    if table is None or not len(table):
        return pd.DataFrame(columns=columns)
    rows = [
        (
            r["label_vi"],
            _figure(r["kind"], r["current"]),
            _figure(r["kind"], r["previous"]),
            _change(r["kind"], r["change"], r["change_rel"]),
        )
        for r in table.to_dict("records")
    ]
    return pd.DataFrame(rows, columns=columns)


# --- the drafted parts ---------------------------------------------------------------------


def shortcomings(ev: Evaluation) -> list[str]:
    """Shortcomings ("Tồn tại, hạn chế"): tasks late or behind, targets missed, overdue dossiers, no data."""
    out = []
    tasks = ev.tasks
    for r in tasks.loc[tasks["status"].isin(_PROBLEM_STATUSES)].to_dict("records"):
        out.append(
            f"Nhiệm vụ {r['task_id']} ({lower_first(str(r['status_vi']))}): "
            f"{lower_first(nfc(str(r['reason_vi'])).rstrip('.'))}."
        )
    _, missed = targets_by_result(ev)
    out += [f"Chưa đạt chỉ tiêu – {line}." for line in missed]
    totals = ev.totals
    if len(totals):
        t = totals.iloc[0]
        n_overdue = int(_num(t.get("n_overdue")) or 0)
        if n_overdue:
            out.append(
                f"Còn {format_number(n_overdue)} hồ sơ giải quyết quá hạn "
                f"({format_number(t['n_finished_overdue'])} đã giải quyết quá hạn, "
                f"{format_number(t['n_pending_overdue'])} đang giải quyết đã quá hạn)."
            )
    no_data = tasks.loc[tasks["status"] == "no_data", "task_id"].tolist()
    if no_data:
        out.append(
            f"{format_number(len(no_data))} nhiệm vụ chưa có dữ liệu, minh chứng để đánh giá "
            f"({', '.join(no_data)})."
        )
    return out


def causes(ev: Evaluation) -> list[str]:
    """Causes ("Nguyên nhân"): the recorded causes of overdue dossiers, missing evidence and data."""
    out = []
    overdue = ev.overdue
    if len(overdue) and "overdue_reason" in overdue:
        reasons = overdue["overdue_reason"].dropna().map(lambda s: nfc(str(s)).strip())
        reasons = reasons[reasons != ""]
        counts = reasons.value_counts()
        counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
        for reason, n in counts.head(5).items():
            out.append(f"{reason} ({format_number(n)} hồ sơ quá hạn ghi nhận nguyên nhân này).")
        unexplained = len(overdue) - len(reasons)
        if unexplained:
            out.append(
                f"{format_number(unexplained)} hồ sơ quá hạn chưa được ghi nhận nguyên nhân "
                "trên hệ thống."
            )
    tasks = ev.tasks
    missing = tasks.loc[
        tasks["status"].isin(_PROBLEM_STATUSES)
        & tasks["evidence_status"].isin(_PROBLEM_STATUSES + ("no_data",))
    ]
    if len(missing):
        out.append(
            "Việc cập nhật minh chứng thực hiện nhiệm vụ chưa kịp thời, đầy đủ (nhiệm vụ "
            f"{', '.join(missing['task_id'])})."
        )
    quality = getattr(ev, "data_quality", None)
    if quality is not None and len(quality):
        empty = quality.loc[quality["n_rows"] == 0, "dataset"].tolist()
        if empty:
            names = [DATASET_LABELS_VI.get(d, d) for d in empty]
            out.append(f"Chưa có dữ liệu: {', '.join(names)}.")
    return out


def directions(ev: Evaluation, catalogue: pd.DataFrame | None = None) -> list[str]:
    """Next steps ("Phương hướng, nhiệm vụ"): the next steps of every section, drawn from the data."""
    return [
        f"Phần {sid}: {item}"
        for sid, lines in actions.actions_by_section(ev, catalogue).items()
        for item in lines
    ]
