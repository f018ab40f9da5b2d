"""What to do next: Vietnamese action lines derived from an evaluation, per plan section.

Pure functions: an :class:`~tthc_analysis.evaluation.evaluate.Evaluation` (or any object with the
same attributes) in, a list of sentences out; nothing is read but the task → indicator
table (for the name of each task's evidence). An empty list means nothing is left to do
for that section.

Rules, in the order the lines appear:

1. **Tasks** of the section (``tasks``): missing months of a monthly task → one line per
   month ("Ban hành thông báo … tháng 08/2025"); missing quarters of an ongoing task →
   "chưa có minh chứng … Quý III/2025"; a deadline passed without the task done; a
   deadline still ahead; no data to judge. Tasks judged on report submissions (VIII.1)
   are covered by rule 3 instead.
2. **Indicators** of the section not met (``indicators``, ``met`` False, counted for the
   status): the value, the target and the gap; the projection to the target date when
   there is one; for dossier rates, the units with the lowest values (``by_unit``).
   Indicators that a named list of rule 3 explains are not repeated.
3. **Named items** found in the data:

   - I: 2025 months whose 766 total fell below the previous year's mean; the 766 group
     furthest from its maximum in the latest month;
   - II: PAKN about administrative regulations received (signals for amendments);
   - IV: procedures published late, made public on the national database late, without
     an approved internal process, not publicly listed (``procedures``);
   - V: online services without any online dossier (``online_services``);
   - VI: overdue dossiers by unit, those without an apology letter, those still pending
     (``overdue``);
   - VII: PAKN handled late, handled but not published (``feedback``);
   - VIII: each periodic report sent late or overdue, and the next one coming due
     (``reports``);
   - IX: eligible procedures not offered full-online (``procedures``, the procedures in
     force with their ``eligible_full_online`` flag, else a ``catalogue`` passed in;
     without either only their number), procedures without any online service.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from tthc_analysis.labels import DOSSIER_RATE_INDICATORS
from tthc_analysis.text import format_date, format_number, format_percent, is_missing, nfc
from tthc_analysis.views.common import (
    evidence_names,
    format_gap,
    indicator_value,
    lower_first,
    name_list,
    procedure_label,
    section_order,
    year_rows,
)

if TYPE_CHECKING:
    from tthc_analysis.evaluation.evaluate import Evaluation

__all__ = ["actions_by_section", "next_steps"]

_DOSSIER_RATES = frozenset(DOSSIER_RATE_INDICATORS)
"""Indicators that are dossier rates (``by_unit`` has them per unit)."""

_EXPLAINED_BY_LISTS = {
    "overdue_without_apology",
    "publication_on_time_share",
    "csdlqg_on_time_share",
    "internal_process_share",
    "publicly_listed_share",
    "eligible_full_online_coverage",
    "index766_months_below_prev_year_mean",
    "pakn_on_time_rate",
    "pakn_published_on_time_rate",
}
"""Indicators whose shortfall rule 3 names item by item."""


def _frame(ev: Evaluation, name: str) -> pd.DataFrame:
    value = getattr(ev, name, None)
    return value if isinstance(value, pd.DataFrame) else pd.DataFrame()


def _as_date(value: object) -> date | None:
    if value is None or is_missing(value):
        return None
    return pd.Timestamp(value).date()


# --- rule 1: tasks -----------------------------------------------------------------------


def _task_lines(task: dict, evidence: dict[str, str]) -> list[str]:
    tid = task["task_id"]
    if task.get("evidence_source") == "report_submissions":
        return []
    status = task.get("status")
    name = evidence.get(tid) or lower_first(nfc(str(task.get("content_short", ""))))
    missing = task.get("missing_periods")
    missing = [str(m) for m in missing] if isinstance(missing, list | tuple) else []
    deadline = _as_date(task.get("deadline"))
    if status == "behind" and missing:
        if task.get("evidence_cadence", task.get("cadence")) == "monthly":
            return [f"Ban hành {name} tháng {m} (nhiệm vụ {tid})." for m in missing]
        return [
            f"Nhiệm vụ {tid}: chưa có minh chứng {name} {', '.join(missing)}; cập nhật minh "
            "chứng nếu đã thực hiện, hoặc tổ chức thực hiện bù trong kỳ tới."
        ]
    if status == "overdue":
        when = f" (hạn {format_date(deadline)})" if deadline else ""
        return [
            f"Nhiệm vụ {tid} đã quá hạn{when}: khẩn trương hoàn thành {name} "
            "và cập nhật minh chứng."
        ]
    if status == "not_due" and deadline:
        return [f"Chuẩn bị hoàn thành {name} trước hạn {format_date(deadline)} (nhiệm vụ {tid})."]
    if status == "no_data":
        return [
            f"Nhiệm vụ {tid}: chưa có dữ liệu để đánh giá; cập nhật minh chứng, số liệu ({name})."
        ]
    return []


# --- rule 2: indicators ------------------------------------------------------------------


def _lowest_units(ev: Evaluation, indicator_id: str, target: float, limit: int = 3) -> str:
    by_unit = _frame(ev, "by_unit")
    if indicator_id not in by_unit or "unit" not in by_unit:
        return ""
    rows = by_unit.loc[by_unit[indicator_id].notna() & (by_unit[indicator_id] < target)]
    if indicator_id == "full_online_share" and "n_eligible_channel_known" in rows:
        # Only units with procedures that can be offered full-online.
        rows = rows.loc[rows["n_eligible_channel_known"] > 0]
    rows = rows.sort_values([indicator_id, "unit"]).head(limit)
    if not len(rows):
        return ""
    named = [
        f"{u} ({format_percent(v)})" for u, v in zip(rows["unit"], rows[indicator_id], strict=True)
    ]
    return "; ưu tiên các đơn vị có tỷ lệ thấp nhất: " + ", ".join(named)


def _indicator_line(ev: Evaluation, row: dict) -> str:
    unit = str(row.get("unit") or "rate")
    name = nfc(str(row["name_vi"]))
    value, target = row.get("value"), row.get("target")
    shown = indicator_value(value, unit)
    goal = indicator_value(target, unit)
    if row.get("direction") == "max":
        line = f"Giảm {lower_first(name)} từ {shown} xuống {goal}"
    else:
        floor = "" if unit == "rate" and float(target) >= 1 else "tối thiểu "
        line = f"Nâng {lower_first(name)} từ {shown} lên {floor}{goal}"
    if not is_missing(value):
        line += f" (còn thiếu {format_gap(value, target, unit)})"
    projection = row.get("projection")
    if not is_missing(projection):
        when = _as_date(row.get("target_date"))
        at = f" đến {format_date(when)}" if when else ""
        line += f"; theo xu hướng các tháng, dự báo{at} chỉ đạt {indicator_value(projection, unit)}"
    if row.get("indicator_id") in _DOSSIER_RATES and not is_missing(target):
        line += _lowest_units(ev, row["indicator_id"], float(target))
    return line + "."


def _indicator_lines(ev: Evaluation, section_tasks: set[str]) -> list[str]:
    indicators = _frame(ev, "indicators")
    if not len(indicators):
        return []
    rows = indicators.loc[indicators["task_id"].isin(section_tasks)]
    out = []
    for row in rows.to_dict("records"):
        met = row.get("met")
        if is_missing(met) or bool(met) or is_missing(row.get("target")):
            continue
        if not row.get("counts_for_status", True):
            continue
        if row.get("indicator_id") in _EXPLAINED_BY_LISTS:
            continue
        out.append(_indicator_line(ev, row))
    return out


# --- rule 3: named items, per section ------------------------------------------------------


def _section_i(ev: Evaluation, _catalogue) -> list[str]:
    from tthc_analysis.metrics.index766 import group_maxima

    out = []
    year = ev.params.year
    wide = _frame(ev, "index766")
    if len(wide) and "below_prev_year_mean" in wide:
        mine = year_rows(wide, year, _as_date(getattr(ev, "as_of", None)))
        below = mine.loc[mine["below_prev_year_mean"].fillna(False).astype(bool)]
        if len(below):
            months = ", ".join(f"{p[5:7]}/{p[:4]}" for p in below["period"].astype(str))
            out.append(
                f"Phân tích nguyên nhân các tháng có tổng điểm Bộ chỉ số 766 thấp hơn bình "
                f"quân năm {year - 1} ({months}) và đề ra giải pháp khắc phục."
            )
        groups = [c for c in ("CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL") if c in mine]
        indicators = _frame(ev, "index766_indicators")
        if len(mine) and groups and len(indicators):
            from tthc_analysis.charts.index766_charts import group_label

            maxima = group_maxima(indicators)
            last = mine.sort_values("period").iloc[-1]
            shares = {
                c: float(last[c]) / maxima[c]
                for c in groups
                if maxima.get(c) and not is_missing(last[c])
            }
            if shares:
                code = min(shares, key=lambda c: (shares[c], c))
                period = str(last["period"])
                out.append(
                    f"Tập trung cải thiện nhóm chỉ số 766 «{group_label(code)}»: tháng "
                    f"{period[5:7]}/{period[:4]} đạt {format_number(float(last[code]), 2)}/"
                    f"{format_number(maxima[code])} điểm ({format_percent(shares[code])} "
                    "điểm tối đa), thấp nhất trong các nhóm."
                )
    return out


def _section_ii(ev: Evaluation, _catalogue) -> list[str]:
    feedback = _frame(ev, "feedback")
    if not len(feedback) or "category" not in feedback:
        return []
    regulation = feedback.loc[feedback["category"] == "regulation"]
    if not len(regulation):
        return []
    line = (
        f"Xem xét {format_number(len(regulation))} PAKN về quy định hành chính tiếp nhận "
        "trong kỳ để kịp thời kiến nghị sửa đổi, bổ sung quy định, TTHC không còn phù hợp"
    )
    codes = regulation["procedure_code"].dropna().astype(str)
    if len(codes):
        counts = codes.value_counts()
        top = sorted(counts.index, key=lambda c: (-counts[c], c))[0]
        line += f" (nhiều nhất: TTHC {top}, {format_number(counts[top])} PAKN)"
    return [line + "."]


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    """Rows where the boolean ``column`` is False (NA = not judged, not flagged)."""
    if column not in frame:
        return pd.Series(False, index=frame.index)
    values = frame[column].astype("boolean")
    return values.notna() & ~values.fillna(True)


def _procedures(rows: pd.DataFrame) -> list[str]:
    return [
        procedure_label(c, n)
        for c, n in zip(rows["procedure_code"], rows["procedure_name"], strict=True)
    ]


def _section_iv(ev: Evaluation, _catalogue) -> list[str]:
    procedures = _frame(ev, "procedures")
    if not len(procedures):
        return []
    settings = getattr(ev, "settings", None)
    lead = getattr(getattr(settings, "publication", None), "decision_lead_wd", 5)
    csdlqg = getattr(getattr(settings, "publication", None), "csdlqg_wd", 5)
    out = []
    for rec in procedures.loc[_flag(procedures, "published_on_time")].to_dict("records"):
        days = rec.get("lead_wd")
        gap = f" ({format_number(days)} ngày làm việc)" if not is_missing(days) else ""
        out.append(
            f"Rút kinh nghiệm việc tham mưu công bố TTHC {procedure_label(rec['procedure_code'], rec['procedure_name'])}: "
            f"quyết định công bố ngày {format_date(_as_date(rec.get('published_on')))}, văn "
            f"bản quy phạm pháp luật có hiệu lực ngày "
            f"{format_date(_as_date(rec.get('legal_effective_on')))}{gap}, chưa đủ {lead} ngày "
            "làm việc theo quy định."
        )
    for rec in procedures.loc[_flag(procedures, "public_on_time")].to_dict("records"):
        out.append(
            f"Bảo đảm công khai TTHC trên Cơ sở dữ liệu quốc gia trong {csdlqg} ngày làm việc "
            f"kể từ ngày quyết định công bố: TTHC {procedure_label(rec['procedure_code'], rec['procedure_name'])} "
            f"công khai ngày {format_date(_as_date(rec.get('public_on_csdlqg_on')))}, hạn "
            f"{format_date(_as_date(rec.get('csdlqg_deadline_on')))}."
        )
    no_process = procedures.loc[_flag(procedures, "has_internal_process")]
    if len(no_process):
        out.append(
            f"Tham mưu phê duyệt quy trình nội bộ giải quyết TTHC cho "
            f"{format_number(len(no_process))} TTHC: "
            f"{name_list(_procedures(no_process), 'TTHC')}."
        )
    not_listed = procedures.loc[_flag(procedures, "publicly_listed")]
    if len(not_listed):
        out.append(
            f"Công khai, niêm yết đầy đủ nội dung {format_number(len(not_listed))} TTHC: "
            f"{name_list(_procedures(not_listed), 'TTHC')}."
        )
    return out


def _section_v(ev: Evaluation, _catalogue) -> list[str]:
    services = _frame(ev, "online_services")
    if not len(services) or "has_online_dossier" not in services:
        return []
    idle = services.loc[~services["has_online_dossier"].astype(bool)]
    if not len(idle):
        return []
    return [
        f"Rà soát {format_number(len(idle))} dịch vụ công trực tuyến chưa phát sinh hồ sơ "
        "trực tuyến trong kỳ (chỉ duy trì những dịch vụ thực chất, hiệu quả): "
        f"{name_list(_procedures(idle), 'dịch vụ')}."
    ]


def _section_vi(ev: Evaluation, _catalogue) -> list[str]:
    overdue = _frame(ev, "overdue")
    if not len(overdue):
        return []
    no_apology = ~overdue["has_apology"].astype("boolean").fillna(False).astype(bool)
    pending = overdue["outcome"].astype(str) == "pending_overdue"
    out = []
    if no_apology.any():
        out.append(
            f"Gửi thư xin lỗi và hẹn lại ngày trả kết quả cho {format_number(no_apology.sum())} "
            "hồ sơ quá hạn chưa có thư xin lỗi (Nghị định 61/2018/NĐ-CP, Điều 19 khoản 9)."
        )
    if pending.any():
        out.append(
            f"Giải quyết dứt điểm {format_number(pending.sum())} hồ sơ đang quá hạn tại ngày "
            "chốt số liệu."
        )
    units = overdue.assign(
        _unit=overdue["unit"].fillna("Chưa xác định đơn vị"), _no=no_apology, _pending=pending
    )
    table = units.groupby("_unit").agg(n=("_no", "size"), no=("_no", "sum"), p=("_pending", "sum"))
    for unit in sorted(table.index, key=lambda u: (-table.loc[u, "n"], u)):
        n, no, p = (int(table.loc[unit, c]) for c in ("n", "no", "p"))
        details = [f"{format_number(no)} hồ sơ chưa có thư xin lỗi"] if no else []
        if p:
            details.append(f"{format_number(p)} hồ sơ chưa giải quyết xong")
        extra = f" (trong đó {', '.join(details)})" if details else ""
        out.append(
            f"{unit}: {format_number(n)} hồ sơ quá hạn{extra}; rà soát nguyên nhân, chấn chỉnh."
        )
    return out


def _section_vii(ev: Evaluation, _catalogue) -> list[str]:
    out = []
    late = _frame(ev, "feedback_late")
    for rec in late.to_dict("records"):
        unit = f" ({rec['unit']})" if isinstance(rec.get("unit"), str) and rec["unit"] else ""
        reason = rec.get("late_reason_vi")
        reason = f": {lower_first(nfc(reason))}" if isinstance(reason, str) and reason else ""
        ident = str(rec["feedback_id"])
        item = ident if ident.upper().startswith("PAKN") else f"PAKN {ident}"
        if rec.get("outcome") in {"open", "pending"}:
            out.append(f"Xử lý dứt điểm {item}{unit}{reason}.")
        else:
            out.append(f"Rút kinh nghiệm việc xử lý chậm {item}{unit}{reason}.")
    feedback = _frame(ev, "feedback")
    if len(feedback) and "is_published" in feedback:
        handled = feedback["outcome"].astype(str) == "handled"
        unpublished = feedback.loc[handled & ~feedback["is_published"].astype(bool)]
        if len(unpublished):
            out.append(
                f"Công khai kết quả xử lý {format_number(len(unpublished))} PAKN đã xử lý "
                f"nhưng chưa công khai: {name_list(list(unpublished['feedback_id']), 'PAKN')}."
            )
    return out


def _section_viii(ev: Evaluation, _catalogue) -> list[str]:
    reports = _frame(ev, "reports")
    out = []
    coming = []
    for rec in reports.to_dict("records"):
        name = nfc(str(rec.get("name_vi") or rec.get("period_id")))
        due_on = _as_date(rec.get("effective_due_on", rec.get("due_on")))
        due = format_date(due_on)
        status = rec.get("status")
        if status == "done_late":
            days = rec.get("days_late_wd")
            late = f" {format_number(days)} ngày làm việc" if not is_missing(days) else ""
            sent = format_date(_as_date(rec.get("submitted_on")))
            out.append(
                f"Báo cáo {name} gửi trễ{late} (hạn {due}, gửi {sent}): rút kinh nghiệm, bảo "
                "đảm gửi các kỳ báo cáo sau đúng hạn."
            )
        elif status == "overdue":
            out.append(f"Gửi ngay báo cáo {name} (quá hạn từ {due}).")
        elif is_missing(rec.get("submitted_on")) and due_on is not None:
            coming.append((due_on, name, due))
    if coming:
        _, name, due = min(coming)
        out.append(f"Chuẩn bị báo cáo {name}, hạn gửi {due}.")
    return out


def _procedures_in_force(ev: Evaluation, catalogue) -> pd.DataFrame | None:
    """Procedures in force with ``eligible_full_online``: the evaluation's, else the catalogue's."""
    procs = _frame(ev, "procedures")
    if len(procs) and {"eligible_full_online", "online_level"} <= set(procs.columns):
        return procs
    if catalogue is not None and len(catalogue) and "eligible_full_online" in catalogue:
        from tthc_analysis.metrics.procedures import in_force

        return catalogue.loc[in_force(catalogue)]
    return None


def _section_ix(ev: Evaluation, catalogue) -> list[str]:
    out = []
    coverage = _frame(ev, "online_coverage")
    current = _procedures_in_force(ev, catalogue)
    if current is not None:
        eligible = current["eligible_full_online"].astype("boolean").fillna(False).astype(bool)
        missing = current.loc[eligible & (current["online_level"] != "full")]
        if len(missing):
            named = [
                f"{procedure_label(c, n)} ({u})"
                for c, n, u in zip(
                    missing["procedure_code"],
                    missing["procedure_name"],
                    missing["unit"],
                    strict=True,
                )
            ]
            out.append(
                f"Cung cấp dịch vụ công trực tuyến toàn trình cho {format_number(len(missing))} "
                f"TTHC đủ điều kiện chưa cung cấp toàn trình: {name_list(named, 'TTHC')}."
            )
        none = current.loc[current["online_level"] == "none"]
        if len(none):
            out.append(
                f"Rà soát khả năng cung cấp dịch vụ công trực tuyến cho "
                f"{format_number(len(none))} TTHC chưa có dịch vụ trực tuyến: "
                f"{name_list(_procedures(none), 'TTHC')}."
            )
    elif len(coverage):
        row = coverage.iloc[0]
        gap = int(row["n_eligible"] - row["n_eligible_full"])
        if gap > 0:
            out.append(
                f"Cung cấp dịch vụ công trực tuyến toàn trình cho {format_number(gap)} TTHC "
                "đủ điều kiện còn lại."
            )
    return out


_SECTION_RULES: dict[str, Callable] = {
    "I": _section_i,
    "II": _section_ii,
    "IV": _section_iv,
    "V": _section_v,
    "VI": _section_vi,
    "VII": _section_vii,
    "VIII": _section_viii,
    "IX": _section_ix,
}


# --- public API -------------------------------------------------------------------------


def next_steps(ev: Evaluation, section_id: str, catalogue: pd.DataFrame | None = None) -> list[str]:
    """The action lines of one section (rules 1–3 of the module), in order.

    Args:
        ev: The evaluation (``tasks``, ``indicators`` and the tables named in the rules).
        section_id: ``"I"`` … ``"IX"``.
        catalogue: The procedure catalogue, used when the evaluation's ``procedures``
            lack ``eligible_full_online`` (for the names of eligible procedures not
            offered full-online, section IX); optional.

    Returns:
        Vietnamese sentences; empty when nothing is left to do.
    """
    tasks = _frame(ev, "tasks")
    rows = tasks.loc[tasks["section_id"] == section_id] if len(tasks) else tasks
    evidence = evidence_names(ev.references.task_indicators)
    out: list[str] = []
    for task in rows.to_dict("records"):
        out += _task_lines(task, evidence)
    out += _indicator_lines(ev, set(rows["task_id"]) if len(rows) else set())
    rule = _SECTION_RULES.get(section_id)
    if rule is not None:
        out += rule(ev, catalogue)
    seen: set[str] = set()
    return [line for line in out if not (line in seen or seen.add(line))]


def actions_by_section(
    ev: Evaluation, catalogue: pd.DataFrame | None = None
) -> dict[str, list[str]]:
    """:func:`next_steps` of every section of the evaluated plan, in plan order.

    Sections without tasks (after a unit filter) are left out.
    """
    tasks = _frame(ev, "tasks")
    present = set(tasks["section_id"]) if len(tasks) else set()
    ordered = sorted(present, key=section_order)
    return {sid: next_steps(ev, sid, catalogue) for sid in ordered}
