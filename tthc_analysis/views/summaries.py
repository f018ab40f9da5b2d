"""Vietnamese sentences summing up the evaluation: the plan as a whole and each section.

Used by the section pages ("Tóm tắt") and by the year-end review, where each section
gets a short paragraph an official summary can quote. Every figure comes from the
evaluation and is formatted with :mod:`tthc_analysis.text` (``1.234``, ``85,3%``,
``dd/mm/yyyy``); a fact whose data is missing is left out rather than shown as zero.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from tthc_analysis.text import format_date, format_number, nfc
from tthc_analysis.views.common import indicator_value, lower_first

if TYPE_CHECKING:
    from tthc_analysis.evaluation.evaluate import Evaluation

__all__ = ["indicator_tally", "overall_paragraph", "section_facts", "section_paragraph"]


def _frame(ev: Evaluation, name: str) -> pd.DataFrame:
    value = getattr(ev, name, None)
    return value if isinstance(value, pd.DataFrame) else pd.DataFrame()


def _num(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _has(value) -> bool:
    number = _num(value)
    return number == number


def _indicator(ev: Evaluation, indicator_id: str) -> dict | None:
    table = _frame(ev, "indicators")
    if not len(table):
        return None
    rows = table.loc[table["indicator_id"] == indicator_id]
    return rows.iloc[0].to_dict() if len(rows) else None


def _pct(value) -> str:
    """A rate for prose: ``97%``, ``96,3%``."""
    return indicator_value(value, "rate")


def _target(ev: Evaluation, indicator_id: str) -> str:
    """``"chỉ tiêu 80%"`` (``"chỉ tiêu không quá 0"``) for an indicator with a target."""
    row = _indicator(ev, indicator_id)
    if row is None or not _has(row.get("target")):
        return ""
    value = indicator_value(row["target"], row["unit"])
    return f"chỉ tiêu {'không quá ' if row['direction'] == 'max' else ''}{value}"


def _measured(ev: Evaluation, indicator_id: str, value, detail: str = "") -> str:
    """``"93,3% (14/15 TTHC; chỉ tiêu 100%)"``: a rate with its count and target."""
    inside = "; ".join(t for t in (detail, _target(ev, indicator_id)) if t)
    return f"{_pct(value)} ({inside})" if inside else _pct(value)


def indicator_tally(ev: Evaluation) -> tuple[int, int]:
    """(indicators with a target that are met, indicators with a target judged)."""
    table = _frame(ev, "indicators")
    if not len(table):
        return 0, 0
    judged = table.loc[table["target"].notna() & table["met"].notna()]
    return int(judged["met"].astype(bool).sum()), len(judged)


def overall_paragraph(ev: Evaluation) -> str:
    """The plan as a whole at the as-of date: tasks done or on track, problems, targets."""
    overall = getattr(ev, "overall", {}) or {}
    n = int(overall.get("n_tasks", 0))
    if not n:
        return "Không có nhiệm vụ nào của kế hoạch trong phạm vi đánh giá."
    good = int(overall.get("n_done", 0)) + int(overall.get("n_on_track", 0))
    text = (
        f"Tính đến ngày {format_date(ev.as_of)}, kế hoạch có {format_number(n)} nhiệm vụ: "
        f"{format_number(good)} nhiệm vụ ({_pct(good / n)}) đã hoàn thành hoặc đang "
        f"thực hiện đúng tiến độ, trong đó {format_number(overall.get('n_done', 0))} nhiệm vụ "
        "đã hoàn thành hoặc đạt chỉ tiêu"
    )
    problems = list(overall.get("problem_tasks", []))
    if problems:
        text += f"; {format_number(len(problems))} nhiệm vụ cần chú ý ({', '.join(problems)})"
    if int(overall.get("n_no_data", 0)):
        text += f"; {format_number(overall['n_no_data'])} nhiệm vụ chưa có dữ liệu để đánh giá"
    met, judged = indicator_tally(ev)
    if judged:
        text += (
            f". Về các chỉ tiêu định lượng, {format_number(met)}/{format_number(judged)} "
            "chỉ tiêu đã đạt"
        )
    return text + "."


def _tasks_sentence(ev: Evaluation, section_id: str) -> str:
    sections = _frame(ev, "sections")
    rows = sections.loc[sections["section_id"] == section_id] if len(sections) else sections
    if not len(rows) or not int(rows.iloc[0]["n_tasks"]):
        return "Không có nhiệm vụ nào của phần này trong phạm vi đánh giá."
    sec = rows.iloc[0]
    parts = []
    for key, words in (
        ("n_done", "đã hoàn thành hoặc đạt chỉ tiêu"),
        ("n_on_track", "đúng tiến độ"),
        ("n_problem", "cần chú ý"),
        ("n_no_data", "chưa có dữ liệu"),
    ):
        if int(sec[key]):
            parts.append(f"{format_number(sec[key])} {words}")
    return (
        f"Phần {section_id} có {format_number(sec['n_tasks'])} nhiệm vụ: " + ", ".join(parts) + "."
    )


_EVIDENCE_PROBLEMS = {"overdue", "behind", "done_late", "no_data"}
"""Statuses whose reason a summary repeats (the figures do not show them)."""


def _problem_sentences(ev: Evaluation, section_id: str, with_targets: bool) -> list[str]:
    tasks = _frame(ev, "tasks")
    if not len(tasks):
        return []
    rows = tasks.loc[(tasks["section_id"] == section_id)]
    out = []
    below = []
    for rec in rows.to_dict("records"):
        if rec["status"] == "below_target":
            below.append(rec["task_id"])
            if not with_targets:
                continue
        elif rec["status"] not in _EVIDENCE_PROBLEMS:
            continue
        reason = nfc(str(rec.get("reason_vi") or "")).rstrip(".")
        out.append(
            f"Nhiệm vụ {rec['task_id']} ({lower_first(rec['status_vi'])}): {lower_first(reason)}."
        )
    if below and not with_targets:
        out.append(f"Chưa đạt chỉ tiêu: nhiệm vụ {', '.join(below)}.")
    return out


# --- facts per section ---------------------------------------------------------------


def _facts_i(ev: Evaluation) -> list[str]:
    summary = getattr(ev, "summary", {}) or {}
    out = []
    latest, total = summary.get("index766_latest_period"), summary.get("index766_latest_total")
    if latest and _has(total):
        text = (
            f"Tổng điểm Bộ chỉ số 766 tháng {latest[5:7]}/{latest[:4]} đạt "
            f"{format_number(total, 2)}/100 điểm"
        )
        mean = summary.get("index766_prev_year_mean")
        if _has(mean) and mean is not None:
            word = "cao hơn" if total >= mean else "thấp hơn"
            text += f", {word} bình quân năm {ev.as_of.year - 1} ({format_number(mean, 2)} điểm)"
        below = _indicator(ev, "index766_months_below_prev_year_mean")
        if below is not None and _has(below.get("value")):
            n = int(below["value"])
            text += (
                "; không có tháng nào thấp hơn bình quân năm trước"
                if n == 0
                else f"; {format_number(n)} tháng thấp hơn bình quân năm trước"
            )
        out.append(text + ".")
    notices = _indicator(ev, "notice_months")
    if notices is not None and _has(notices.get("value")):
        out.append(
            f"Đã ban hành thông báo kết quả Bộ chỉ số 766 cho {format_number(notices['value'])} "
            "tháng."
        )
    return out


def _facts_ii(ev: Evaluation) -> list[str]:
    out = []
    row = _indicator(ev, "proposals_count")
    if row is not None and _has(row.get("value")):
        out.append(
            f"Có {format_number(row['value'])} văn bản đề xuất, kiến nghị sửa đổi, bổ sung "
            "quy định, TTHC."
        )
    fb = getattr(ev, "feedback_summary", {}) or {}
    if fb.get("n_items"):
        out.append(
            f"Trong kỳ tiếp nhận {format_number(fb.get('n_regulation', 0))} PAKN về quy định "
            "hành chính, là nguồn thông tin để rà soát, kiến nghị sửa đổi quy định."
        )
    return out


def _facts_iii(ev: Evaluation) -> list[str]:
    count, people = _indicator(ev, "trainings_count"), _indicator(ev, "training_participants")
    if count is None or not _has(count.get("value")):
        return []
    text = f"Đã tham gia {format_number(count['value'])} lượt tập huấn nghiệp vụ kiểm soát TTHC"
    if people is not None and _has(people.get("value")) and people["value"] > 0:
        text += f" với {format_number(people['value'])} lượt người tham dự"
    return [text + "."]


def _facts_iv(ev: Evaluation) -> list[str]:
    p = getattr(ev, "procedures_summary", {}) or {}
    if not p.get("n_in_force"):
        return []
    out = []
    if p.get("n_published_judged"):
        out.append(
            f"Trong kỳ có {format_number(p['n_published_judged'])} TTHC được công bố: tỷ lệ "
            "công bố đúng hạn "
            + _measured(
                ev,
                "publication_on_time_share",
                p["publication_on_time_share"],
                f"{format_number(p['n_published_on_time'])}/"
                f"{format_number(p['n_published_judged'])} TTHC",
            )
            + ", tỷ lệ công khai trên CSDLQG đúng hạn "
            + _measured(
                ev,
                "csdlqg_on_time_share",
                p["csdlqg_on_time_share"],
                f"{format_number(p['n_public_on_time'])}/{format_number(p['n_public_judged'])} TTHC",
            )
            + "."
        )
    out.append(
        "Tỷ lệ TTHC đang hiệu lực có quy trình nội bộ được phê duyệt "
        + _measured(
            ev,
            "internal_process_share",
            p["internal_process_share"],
            f"{format_number(p['n_internal_process'])}/{format_number(p['n_in_force'])} TTHC",
        )
        + "; tỷ lệ TTHC công khai đầy đủ nội dung "
        + _measured(
            ev,
            "publicly_listed_share",
            p["publicly_listed_share"],
            f"{format_number(p['n_listed'])}/{format_number(p['n_listed_judged'])} TTHC",
        )
        + "."
    )
    return out


def _facts_v(ev: Evaluation) -> list[str]:
    services = _frame(ev, "online_services")
    if not len(services):
        return []
    n_with = int(services["has_online_dossier"].astype(bool).sum())
    return [
        f"{format_number(n_with)}/{format_number(len(services))} dịch vụ công trực tuyến có "
        f"phát sinh hồ sơ trực tuyến trong kỳ ({_pct(n_with / len(services))})."
    ]


def _facts_vi(ev: Evaluation) -> list[str]:
    totals = _frame(ev, "totals")
    if not len(totals) or not int(totals.iloc[0].get("n_in_scope", 0) or 0):
        return []
    t = totals.iloc[0]
    out = [
        f"Tiếp nhận {format_number(t['n_received'])} hồ sơ, trong đó "
        f"{format_number(t['n_online'])} hồ sơ trực tuyến ({_pct(t['online_share'])})"
        f"; {format_number(t['n_carried_over'])} hồ sơ từ kỳ trước chuyển sang; đã giải quyết "
        f"{format_number(t['n_finished'])} hồ sơ, đang giải quyết {format_number(t['n_pending'])}"
        " hồ sơ.",
        "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn "
        + _measured(ev, "on_time_rate", t["on_time_rate"])
        + f"; {format_number(t['n_overdue'])} hồ sơ quá hạn.",
    ]
    apology = _indicator(ev, "overdue_without_apology")
    if apology is not None and _has(apology.get("value")) and apology["value"] > 0:
        out[-1] = out[-1][:-1] + (
            f", trong đó {format_number(apology['value'])} hồ sơ chưa có thư xin lỗi."
        )
    out.append(
        "Tỷ lệ số hóa hồ sơ "
        + _measured(ev, "digitisation_rate", t["digitisation_rate"])
        + f", tỷ lệ cấp kết quả điện tử {_pct(t['e_result_rate'])}."
    )
    return out


def _facts_vii(ev: Evaluation) -> list[str]:
    fb = getattr(ev, "feedback_summary", {}) or {}
    if not fb.get("n_items"):
        return ["Không có phản ánh, kiến nghị nào trong kỳ."] if fb else []
    text = (
        f"Tiếp nhận {format_number(fb['n_items'])} PAKN "
        f"({format_number(fb.get('n_regulation', 0))} về quy định hành chính, "
        f"{format_number(fb.get('n_conduct', 0))} về hành vi hành chính)"
    )
    if fb.get("n_judged"):
        text += (
            f"; xử lý đúng thời hạn {format_number(fb['n_on_time'])}/"
            f"{format_number(fb['n_judged'])} PAKN ({_pct(fb['on_time_rate'])})"
        )
    if fb.get("n_publish_due"):
        text += (
            f"; công khai kết quả đúng hạn {format_number(fb['n_published_on_time'])}/"
            f"{format_number(fb['n_publish_due'])} PAKN "
            f"({_pct(fb['published_on_time_rate'])})"
        )
    return [text + "."]


def _facts_viii(ev: Evaluation) -> list[str]:
    rs = getattr(ev, "reports_summary", {}) or {}
    if not rs.get("n_reports"):
        return []
    sent = int(rs.get("n_on_time", 0)) + int(rs.get("n_late", 0))
    return [
        f"Đã gửi {format_number(sent)}/{format_number(rs['n_due'])} báo cáo định kỳ đến hạn, "
        f"trong đó {format_number(rs['n_on_time'])} báo cáo đúng hạn."
    ]


def _facts_ix(ev: Evaluation) -> list[str]:
    cov = _frame(ev, "online_coverage")
    out = []
    if len(cov):
        c = cov.iloc[0]
        if int(c["n_eligible"]):
            out.append(
                "Tỷ lệ TTHC đủ điều kiện được cung cấp dịch vụ công trực tuyến toàn trình "
                + _measured(
                    ev,
                    "eligible_full_online_coverage",
                    c["full_online_coverage"],
                    f"{format_number(c['n_eligible_full'])}/{format_number(c['n_eligible'])} TTHC",
                )
                + "."
            )
        out.append(
            "Tỷ lệ TTHC có dịch vụ công trực tuyến (một phần hoặc toàn trình) "
            + _measured(
                ev,
                "online_service_share",
                c["online_service_share"],
                f"{format_number(c['n_full'] + c['n_partial'])}/{format_number(c['n_in_force'])}"
                " TTHC",
            )
            + "."
        )
    full = _indicator(ev, "full_online_share")
    if full is not None and _has(full.get("value")):
        text = "Tỷ lệ hồ sơ được xử lý hoàn toàn trực tuyến " + _measured(
            ev, "full_online_share", full["value"]
        )
        if _has(full.get("projection")):
            text += (
                f"; theo xu hướng các tháng, dự báo đến 31/12/{ev.as_of.year} đạt "
                f"{_pct(full['projection'])}"
            )
        out.append(text + ".")
    reuse = _indicator(ev, "reuse_rate")
    if reuse is not None and _has(reuse.get("value")):
        out.append(
            "Tỷ lệ hồ sơ tái sử dụng dữ liệu số hóa "
            + _measured(ev, "reuse_rate", reuse["value"])
            + "."
        )
    return out


_FACTS: dict[str, Callable] = {
    "I": _facts_i,
    "II": _facts_ii,
    "III": _facts_iii,
    "IV": _facts_iv,
    "V": _facts_v,
    "VI": _facts_vi,
    "VII": _facts_vii,
    "VIII": _facts_viii,
    "IX": _facts_ix,
}


def section_facts(ev: Evaluation, section_id: str) -> list[str]:
    """The key figures of a section as sentences (empty when the data is missing)."""
    rule = _FACTS.get(section_id)
    return rule(ev) if rule else []


def section_paragraph(ev: Evaluation, section_id: str) -> str:
    """One paragraph on a section: its tasks, its key figures, what needs attention."""
    facts = section_facts(ev, section_id)
    sentences = [_tasks_sentence(ev, section_id), *facts]
    sentences += _problem_sentences(ev, section_id, with_targets=not facts)
    return " ".join(sentences)
