"""What the sample generator plants, and the task statuses the evaluation should find.

:data:`PLANTED` lists, for the bundled small sample (``tthc sample --scale small --seed
2025``, mixed formats): the row defects that the loaders must reject (with file, row and
column), the gaps in the evidence and in the catalogue, and the expected status of each
of the 24 plan tasks at 31/12/2025 with a one-line reason.

:func:`expected_task_statuses` applies the rules of ``tthc_analysis.evaluation.tasks`` (documented
in its module docstring, mapping of ``data/plan/task_indicators.csv``) to the planted
facts:

- evidence: ``ongoing`` → every calendar quarter of 2025 that has ended by the as-of date
  has an item, else ``behind``; ``monthly`` → every month whose notice is due (10th of
  the next month) by the as-of date has one, else ``behind``; ``deadline`` → a "done"
  item by the deadline (``done_on_time``), after it (``done_late``), none with the
  deadline passed (``overdue``) or ahead (``not_due``); ``on_request`` → none gives
  ``not_triggered`` (I.6: ``no_data``, its trigger is an outside fact); ``yearly`` →
  a completed item in 2025, else ``behind`` at the year end (``not_due`` before); VIII.1 → the report roll-up (overdue, done_late, on_track,
  done_on_time);
- indicators: any judged indicator below its target → ``below_target``; all met →
  ``achieved``; the task status is the worst of the evidence and indicator statuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import pandas as pd

from tthc_analysis.config import REFERENCE_DIR
from tthc_analysis.errors import ParameterError
from tthc_analysis.sample.evidence import ACTIVITIES, REPORTS
from tthc_analysis.sample.pakn import LATE_ITEM
from tthc_analysis.status import STATUSES, worst_status
from tthc_analysis.workdays import default_calendar

__all__ = [
    "DEFECTS",
    "EVIDENCE_RULES",
    "PLANTED",
    "TASK_IDS",
    "Defect",
    "PlantedItem",
    "expected_task_statuses",
]

TASK_IDS: tuple[str, ...] = (
    "I.1", "I.2", "I.3", "I.4", "I.5", "I.6", "II.1", "III.1", "IV.1", "IV.2", "IV.3",
    "V.1", "V.2", "V.3", "VI.1", "VI.2", "VI.3", "VII.1", "VII.2", "VII.3", "VIII.1",
    "IX.1", "IX.2", "IX.3",
)  # fmt: skip
"""The 24 tasks of the 2025 plan (dispatch 655/SGDĐT-VP)."""

YEAR_END = date(2025, 12, 31)
_VALID_FROM = date(2025, 4, 1)
_DEADLINES = {"V.1": date(2025, 6, 30), "V.3": date(2025, 6, 30)}

EVIDENCE_RULES: dict[str, str] = {
    "I.1": "ongoing",
    "I.2": "ongoing",
    "I.3": "yearly",
    "I.4": "monthly",
    "I.5": "ongoing",
    "I.6": "on_request_no_data",
    "II.1": "ongoing",
    "III.1": "on_request",
    "IV.1": "ongoing",
    "IV.2": "ongoing",
    "IV.3": "none",
    "V.1": "deadline",
    "V.2": "yearly",
    "V.3": "deadline",
    "VI.1": "none",
    "VI.2": "yearly",
    "VI.3": "none",
    "VII.1": "none",
    "VII.2": "none",
    "VII.3": "yearly",
    "VIII.1": "reports",
    "IX.1": "none",
    "IX.2": "none",
    "IX.3": "none",
}
"""Evidence rule of each task (as in ``data/plan/task_indicators.csv``)."""


@dataclass(frozen=True)
class Defect:
    """A planted row defect in a dossier export (the row must be rejected).

    ``position`` is the 0-based data row in the month's file; the row a person sees is
    ``position + 2`` (the header is row 1; these files have no title rows).
    """

    id: str
    month: str
    position: int
    column: str
    kind: str
    value: str
    description_vi: str
    description_en: str

    @property
    def row(self) -> int:
        """Row number as seen in the file (header = row 1)."""
        return self.position + 2


DEFECTS: tuple[Defect, ...] = (
    Defect("D1", "2025-02", 7, "received_at", "impossible_date", "31/02/2025 09:15",
           "Ngày tiếp nhận không tồn tại (31/02/2025)", "Impossible receipt date (31/02/2025)"),
    Defect("D2", "2025-04", 13, "due_at", "due_before_receipt", "2 ngày trước ngày tiếp nhận",
           "Ngày hẹn trả trước ngày tiếp nhận", "Due date two days before the receipt date"),
    Defect("D3", "2025-06", 21, "channel", "unknown_code", "Fax",
           "Kênh nộp không hợp lệ («Fax»)", "Unknown channel value 'Fax'"),
    Defect("D4", "2025-08", 3, "dossier_id", "duplicate_id", "trùng mã hồ sơ dòng 7 tệp 07/2025",
           "Mã hồ sơ trùng với một hồ sơ của tệp tháng 07/2025 (dòng 7)",
           "Dossier id repeated from the July file (row 7): the second occurrence is rejected"),
    Defect("D5", "2025-09", 17, "completed_at", "end_before_receipt", "1 ngày trước ngày tiếp nhận",
           "Ngày hoàn thành trước ngày tiếp nhận", "Completion one day before the receipt"),
    Defect("D6", "2025-11", 9, "procedure_code", "missing_required", "",
           "Thiếu mã TTHC (cột bắt buộc)", "Empty procedure code (required column)"),
)  # fmt: skip
"""Row defects of the dossier exports (same positions at every scale)."""

DUPLICATE_SOURCE = ("2025-07", 5)
"""D4 copies the dossier at this (month, 0-based position), i.e. row 7 of the July file."""


@dataclass(frozen=True)
class PlantedItem:
    """One planted defect, gap or expected task status.

    Attributes:
        id: Short id (``D1``…, ``G1``…, or the task id for a task status).
        kind: ``defect`` (row the loaders must reject), ``gap`` (a fact the evaluation
            must notice) or ``task_status`` (expected status at 31/12/2025).
        dataset: Dataset concerned.
        task_id: Plan task concerned, if any.
        file: File of the bundled sample (mixed formats), if any.
        row: Row as seen in the file (header = row 1), for defects.
        column: Canonical column, for defects.
        value: The raw value written, or the expected status code.
        description_vi: What was planted, in Vietnamese.
        description_en: The same in English.
        expected: The consequence the package must show.
    """

    id: str
    kind: str
    dataset: str
    task_id: str | None
    file: str | None
    row: int | None
    column: str | None
    value: str | None
    description_vi: str
    description_en: str
    expected: str


def dossier_file_name(month: str, extension: str) -> str:
    """``dossiers/ho_so_2025_02.xlsx`` for month ``2025-02``."""
    return f"dossiers/ho_so_{month.replace('-', '_')}.{extension}"


MIXED_CSV_MONTHS = ("2025-05", "2025-10")
"""Months written as CSV in the ``mixed`` format (the others are workbooks)."""


def _defect_items() -> list[PlantedItem]:
    out = []
    for d in DEFECTS:
        ext = "csv" if d.month in MIXED_CSV_MONTHS else "xlsx"
        out.append(
            PlantedItem(
                d.id, "defect", "dossiers", None, dossier_file_name(d.month, ext), d.row,
                d.column, d.value, d.description_vi, d.description_en,
                "rejected row (rejected_rows: dataset dossiers, this file and row)",
            )
        )  # fmt: skip
    return out


_GAPS: tuple[tuple[str, str, str | None, str | None, str, str, str], ...] = (
    ("G1", "activities", "I.4", "activities/minh_chung_2025.xlsx",
     "Thiếu thông báo kết quả Bộ chỉ số 766 tháng 08/2025",
     "No 766 notice for 08/2025", "I.4 behind, missing month 08/2025"),
    ("G2", "activities", "VII.3", "activities/minh_chung_2025.xlsx",
     "Không có hoạt động truyền thông trong Quý III/2025",
     "No communication item in Quý III/2025",
     "VII.3 on_track: the plan gives no period, one item in the year suffices (issue 13)"),
    ("G3", "activities", "V.1", "activities/minh_chung_2025.xlsx",
     "Tờ trình đơn giản hóa TTHC nội bộ hoàn thành 15/07/2025, hạn 30/06/2025",
     "V.1 completed on 15/07/2025 after its deadline 30/06/2025", "V.1 done_late"),
    ("G4", "report_submissions", "VIII.1", "report_submissions/bao_cao_dinh_ky_2025.csv",
     "Báo cáo 9 tháng hạn 18/09/2025, gửi 24/09/2025 (trễ 4 ngày làm việc)",
     "9-month report due 18/09/2025 sent 24/09/2025 (4 working days late)", "VIII.1 done_late"),
    ("G5", "activities", "I.6", None,
     "Không có minh chứng triển khai", "No evidence",
     "I.6 no_data (its trigger is an outside fact; the page says what evidence would show it)"),
    ("G6", "procedures", "IV.1", "procedures/danh_muc_tthc.xlsx",
     "TTHC 1.004831: QĐ 1035/QĐ-UBND ngày 19/06/2025, VBQPPL có hiệu lực 23/06/2025 (chỉ trước 2 ngày làm việc)",
     "1.004831 published 19/06/2025 for a legal text in effect 23/06/2025 (2 working days, < 5)",
     "publication_on_time_share < 100% → IV.1 below_target"),
    ("G7", "procedures", "IV.1", "procedures/danh_muc_tthc.xlsx",
     "TTHC 1.012870: QĐ ngày 15/09/2025, công khai trên CSDLQG ngày 26/09/2025 (sau 9 ngày làm việc)",
     "1.012870 public on the national database 9 working days after its decision (> 5)",
     "csdlqg_on_time_share < 100% → IV.1 below_target"),
    ("G8", "procedures", "IV.2", "procedures/danh_muc_tthc.xlsx",
     "TTHC 1.000481 và 1.000483 chưa có quy trình nội bộ được phê duyệt",
     "1.000481 and 1.000483 have no approved internal process",
     "internal_process_share < 100% → IV.2 below_target"),
    ("G9", "procedures", "IX.1", "procedures/danh_muc_tthc.xlsx",
     "3 TTHC đủ điều kiện toàn trình nhưng chỉ cung cấp một phần (1.005093, 3.000181, 1.000485); "
     "tỷ lệ toàn trình tăng từ 16/23 (01/2025) lên 20/23 (10/2025) theo ngày cung cấp DVCTT toàn trình",
     "3 eligible procedures offered only as partial online services; coverage rises from "
     "16/23 (01/2025) to 20/23 (10/2025) by the full-online dates, projected below 100%",
     "eligible_full_online_coverage < 100% (and its projection) → IX.1 below_target"),
    ("G10", "procedures", "IX.2", "procedures/danh_muc_tthc.xlsx",
     "2 TTHC không cung cấp DVCTT (1.005145, 1.004499)",
     "2 procedures without an online service", "online_service_share ≈ 97% ≥ 80% (IX.2 achieved)"),
    ("G11", "feedback", "VII.1", "feedback/pakn_2025.csv",
     "PAKN-2025-0018 nhận 04/08/2025, xử lý xong 28/08/2025 (18 ngày làm việc > 15)",
     "One PAKN handled after 18 working days (limit 15)",
     "pakn_on_time_rate < 100% → VII.1 below_target"),
    ("G12", "feedback", "VII.1", "feedback/pakn_2025.csv",
     "PAKN-2025-0014 có nội dung chứa HTML/script (<script>, onerror, javascript:)",
     "One PAKN text contains HTML and script", "shown escaped, never executed"),
    ("G13", "dossiers", "IX.1", None,
     "Tỷ lệ hồ sơ xử lý hoàn toàn trực tuyến khoảng 30% (01/2025) tăng lên khoảng 60% (quý IV/2025), dưới mục tiêu 80%",
     "Full-online share rises from about 30% to about 60%, below the 80% target",
     "full_online_share < 80% → IX.1 below_target"),
    ("G14", "dossiers", "VI.3", None,
     "Khoảng 3–4% hồ sơ quá hạn, một phần có thư xin lỗi và hẹn lại, một phần không",
     "About 3–4% of dossiers overdue, some with an apology letter, some without",
     "on_time_rate < 100%, overdue_without_apology > 0 → VI.3 below_target"),
    ("G15", "dossiers", "VI.3", None,
     "Hồ sơ đang giải quyết tại ngày chốt 31/12/2025, trong đó vài hồ sơ đã quá hạn",
     "Dossiers pending at the 31/12/2025 cut-off, a few already overdue",
     "pending_in_time and pending_overdue > 0"),
    ("G16", "dossiers", None, None,
     "Hồ sơ tiếp nhận tháng 12/2024 chuyển sang kỳ năm 2025",
     "Dossiers received in December 2024 carried over into 2025", "carried_over > 0"),
    ("G17", "dossiers", "IX.3", None,
     "Tỷ lệ tái sử dụng dữ liệu số hóa khoảng 30–50%, dưới 80%",
     "Reuse of digitised data about 30–50%, below 80%", "reuse_rate < 80% → IX.3 below_target"),
    ("G18", "procedures", None, "procedures/danh_muc_tthc.xlsx",
     "Thủ tục cấp phép dạy thêm, học thêm bị bãi bỏ từ 14/02/2025 (còn hồ sơ 12/2024–02/2025)",
     "Extra-tuition licence abolished from 14/02/2025 (dossiers until February)",
     "left out of the procedures in force"),
    ("G19", "dossiers", "VI.3", None,
     "12 hồ sơ bị từ chối tiếp nhận tại Bộ phận Một cửa và 6 hồ sơ chỉ đăng ký trực tuyến (năm 2025)",
     "12 dossiers refused at the counter and 6 only registered online (2025)",
     "not received: in no column of form 06 and no rate; intake_refusals totals 18"),
)  # fmt: skip

_TASK_REASONS: dict[str, tuple[str, str, str]] = {
    "I.1": ("on_track", "Có minh chứng cả 4 quý", "Evidence in all four quarters"),
    "I.2": ("on_track", "Có minh chứng cả 4 quý; chỉ tiêu tổng hợp chỉ để theo dõi", "Evidence in all four quarters; the roll-up has no target"),
    "I.3": ("on_track", "Có văn bản triển khai tiêu chí 766 trong năm; so sánh với bình quân 2024 chỉ là mức tham chiếu", "A 766 deployment document in the year; the 2024 mean is a reference only"),
    "I.4": ("behind", "Thiếu thông báo tháng 08/2025 (10/11 tháng đến hạn)", "Notice for 08/2025 missing (10 of 11 months due)"),
    "I.5": ("on_track", "Có minh chứng cả 4 quý", "Evidence in all four quarters"),
    "I.6": ("no_data", "Không có minh chứng; sự kiện kích hoạt nằm ngoài dữ liệu", "No evidence; the trigger is an outside fact the data cannot see"),
    "II.1": ("on_track", "Có văn bản đề xuất, kiến nghị cả 4 quý", "Proposals in all four quarters"),
    "III.1": ("on_track", "Tham gia các lớp tập huấn do cấp trên tổ chức", "Attended the trainings organised by the superior bodies"),
    "IV.1": ("below_target", "1 TTHC công bố chậm (1.004831) và 1 TTHC công khai CSDLQG chậm (1.012870)", "One late publication decision and one late on the national database"),
    "IV.2": ("below_target", "2 TTHC đang hiệu lực chưa có quy trình nội bộ", "Two procedures in force without an approved internal process"),
    "IV.3": ("achieved", "100% TTHC công khai đầy đủ", "All procedures publicly listed"),
    "V.1": ("done_late", "Hoàn thành 15/07/2025, hạn 30/06/2025", "Done on 15/07/2025, deadline 30/06/2025"),
    "V.2": ("on_track", "Có quyết định ủy quyền, phân cấp trong năm", "Authorisation decisions in the year"),
    "V.3": ("done_on_time", "Báo cáo rà soát hoàn thành 10/06/2025, hạn 30/06/2025", "Review report done on 10/06/2025, deadline 30/06/2025"),
    "VI.1": ("achieved", "Tỷ lệ hồ sơ số hóa (thành phần và kết quả) trên 80%", "Digitisation rate (components and result) above 80%"),
    "VI.2": ("on_track", "Có văn bản tham mưu công bố mức độ DVCTT; tỷ lệ hồ sơ nộp trực tuyến cả năm trên 50%", "Service-level documents issued; online submission share above 50%"),
    "VI.3": ("below_target", "Có hồ sơ quá hạn (tỷ lệ đúng hạn < 100%), có hồ sơ quá hạn không có thư xin lỗi", "Overdue dossiers (on-time rate < 100%), some without an apology letter"),
    "VII.1": ("below_target", "1 PAKN xử lý quá 15 ngày làm việc", "One PAKN handled after 15 working days"),
    "VII.2": ("achieved", "100% PAKN đã xử lý được công khai trong 2 ngày làm việc", "Every handled PAKN published within 2 working days"),
    "VII.3": ("on_track", "Có hoạt động truyền thông trong năm (quý III không có, không phải thiếu sót)", "Communication items in the year (none in Quý III, which is no shortfall)"),
    "VIII.1": ("done_late", "Báo cáo 9 tháng gửi trễ 4 ngày làm việc; đủ 4/4 báo cáo", "The 9-month report was 4 working days late; 4 of 4 sent"),
    "IX.1": ("below_target", "3 TTHC đủ điều kiện chưa toàn trình; hồ sơ toàn trình dưới 80%", "3 eligible procedures not full online; full-online dossiers below 80%"),
    "IX.2": ("achieved", "Khoảng 97% TTHC có DVCTT (chỉ tiêu 80%)", "About 97% of procedures offer an online service (target 80%)"),
    "IX.3": ("below_target", "Tỷ lệ tái sử dụng dữ liệu số hóa dưới 80%", "Reuse of digitised data below 80%"),
}  # fmt: skip


def _planted() -> tuple[PlantedItem, ...]:
    items = _defect_items()
    for gid, dataset, task, file, vi, en, expected in _GAPS:
        items.append(
            PlantedItem(gid, "gap", dataset, task, file, None, None, None, vi, en, expected)
        )
    for task in TASK_IDS:
        status, vi, en = _TASK_REASONS[task]
        items.append(
            PlantedItem(
                task, "task_status", "tasks", task, None, None, None, status, vi, en, status
            )
        )
    return tuple(items)


PLANTED: tuple[PlantedItem, ...] = _planted()
"""Every planted defect, gap and expected task status (see :class:`PlantedItem`)."""


# --- expected statuses -------------------------------------------------------------------


def _quarter_end(q: int) -> date:
    return date(2025, 3 * q, 31 if q in (1, 4) else 30)


def _ongoing(task: str, as_of: date) -> str:
    dates = [a.date for a in ACTIVITIES if a.task_id == task and a.date <= as_of]
    required = [q for q in (1, 2, 3, 4) if _quarter_end(q) <= as_of]
    if not required:
        return "on_track" if dates else "not_due"
    have = {(d.month - 1) // 3 + 1 for d in dates if d.year == 2025}
    return "on_track" if all(q in have for q in required) else "behind"


def _monthly(task: str, as_of: date) -> str:
    covered = {
        int(a.covers_period[:2])
        for a in ACTIVITIES
        if a.task_id == task and a.date <= as_of and a.covers_period
    }
    required = [m for m in range(1, 13) if date(2025 + (m == 12), m % 12 + 1, 10) <= as_of]
    if not required:
        return "on_track" if covered else "not_due"
    return "on_track" if all(m in covered for m in required) else "behind"


def _deadline(task: str, as_of: date) -> str:
    deadline = _DEADLINES[task]
    done = [
        a.date for a in ACTIVITIES if a.task_id == task and a.status == "done" and a.date <= as_of
    ]
    if any(d <= deadline for d in done):
        return "done_on_time"
    if done:
        return "done_late"
    return "overdue" if deadline < as_of else "not_due"


def _yearly(task: str, as_of: date) -> str:
    """At least one completed item in 2025 (issue 13: no period in the plan text)."""
    done = [
        a.date
        for a in ACTIVITIES
        if a.task_id == task and a.status == "done" and a.date <= as_of and a.date.year == 2025
    ]
    if done:
        return "on_track"
    return "behind" if as_of >= YEAR_END else "not_due"


def _reports(as_of: date) -> str:
    statuses = []
    for r in REPORTS:
        sent = r.submitted_on is not None and r.submitted_on <= as_of
        if sent:
            on_time = r.submitted_on is not None and r.submitted_on <= r.due_on
            statuses.append("done_on_time" if on_time else "done_late")
        elif r.due_on < as_of:
            statuses.append("overdue")
        else:
            statuses.append("not_due")
    if "overdue" in statuses:
        return "overdue"
    if "done_late" in statuses:
        return "done_late"
    if all(s == "not_due" for s in statuses):
        return "not_due"
    return "on_track" if "not_due" in statuses else "done_on_time"


def _evidence(task: str, as_of: date) -> str | None:
    rule = EVIDENCE_RULES[task]
    if rule == "ongoing":
        return _ongoing(task, as_of)
    if rule == "monthly":
        return _monthly(task, as_of)
    if rule == "deadline":
        return _deadline(task, as_of)
    if rule in ("on_request", "on_request_no_data"):
        on = any(a.task_id == task and a.date <= as_of for a in ACTIVITIES)
        if on:
            return "on_track"
        return "no_data" if rule == "on_request_no_data" else "not_triggered"
    if rule == "yearly":
        return _yearly(task, as_of)
    if rule == "reports":
        return _reports(as_of)
    return None


def _indicators(as_of: date) -> dict[str, str]:
    """Indicator status (``below_target``/``achieved``) of the tasks that have judged ones."""
    p1_published = date(2025, 6, 19)
    # An open PAKN is late from its 16th working day after receipt (26/08/2025).
    calendar = default_calendar(REFERENCE_DIR / "calendar_overrides.csv")
    pakn_late_from = calendar.add_working_days(LATE_ITEM["received_on"], 16).astype(date)
    out = {
        # I.3: the previous-year mean is an analyst's reference, never judged (issue 13)
        "IV.1": "below_target" if as_of >= p1_published else "achieved",
        "IV.2": "below_target",
        "IV.3": "achieved",
        "VI.3": "below_target",
        "VII.1": "below_target" if as_of >= pakn_late_from else "achieved",
        "VII.2": "achieved",
        "IX.1": "below_target",
        "IX.2": "achieved",
        "IX.3": "below_target",
    }
    rates = _year_to_date_rates(as_of)
    out["VI.1"] = "achieved" if rates["digitisation_rate"] >= 0.8 else "below_target"
    out["VI.2"] = "achieved" if rates["online_share"] >= 0.5 else "below_target"
    return out


@lru_cache(maxsize=16)
def _year_to_date_rates(as_of: date) -> dict[str, float]:
    """Online share and digitisation rate of the bundled sample, year to date.

    Dossiers received from 15/12/2024 to ``min(as_of, 14/12/2025)`` (period "year",
    official window, cut at the as-of date); digitised means components and e-result.
    """
    from tthc_analysis.sample.generator import build_sample

    d = build_sample("small", 2025).dossiers
    d = d.loc[~d["status"].isin(("registered", "refused_intake"))]  # not received
    day = d["received_at"].dt.normalize()
    end = min(as_of, date(2025, 12, 14))
    sel = d.loc[(day >= pd.Timestamp(2024, 12, 15)) & (day <= pd.Timestamp(end))]
    online = float((sel["channel"] == "online").mean())
    digitised = float((sel["is_digitized"] & sel["has_e_result"]).mean())
    return {"online_share": online, "digitisation_rate": digitised}


def expected_task_statuses(as_of: date = YEAR_END) -> dict[str, str]:
    """Status code of each plan task that the evaluation should give on the bundled sample.

    Period "year" (official window 15/12/2024–14/12/2025, cut at ``as_of``), rules as in
    the module docstring.

    Args:
        as_of: The as-of date, from 01/04/2025 to 31/12/2025.

    Returns:
        Task id -> status code of :mod:`tthc_analysis.status`, for all 24 tasks.

    Raises:
        ParameterError: ``as_of`` outside 01/04/2025–31/12/2025 (earlier, the year-to-date
            rates of the sample are not designed to be clear-cut).
    """
    if not _VALID_FROM <= as_of <= YEAR_END:
        raise ParameterError(
            f"Trạng thái dự kiến của dữ liệu mẫu chỉ xác định cho ngày chốt từ "
            f"{_VALID_FROM:%d/%m/%Y} đến {YEAR_END:%d/%m/%Y} (nhận {as_of:%d/%m/%Y})."
        )
    indicators = _indicators(as_of)
    out = {}
    for task in TASK_IDS:
        parts = [s for s in (_evidence(task, as_of), indicators.get(task)) if s]
        out[task] = worst_status(parts) if parts else "no_data"
    assert all(s in STATUSES for s in out.values())
    return out
