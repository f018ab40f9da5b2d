"""The quarterly / year-end report on TTHC control as an editable Word draft.

"Báo cáo tình hình, kết quả thực hiện công tác kiểm soát TTHC, thực hiện cơ chế một cửa,
một cửa liên thông" (task VIII.1), laid out per Decree 30/2020/NĐ-CP: the header table
(issuing body on the left, the national motto on the right), "Số: …/BC-…" left blank for
the clerk, place and date, the title and subject, the body, "Nơi nhận" and the signature
block with a blank name.

The body is built from an :class:`~tthc_analysis.evaluation.evaluate.Evaluation` with the
text functions shared with the year-end notebook (:mod:`tthc_analysis.views.report_text`,
:func:`tthc_analysis.views.summaries.section_paragraph`): results section by section I–IX
(each task's status and evidence), the main figures with the comparison with the same
period of the previous year, form 06 in the official 13-column layout, the 766 results,
then the drafted parts (shortcomings, causes, next steps), marked as a draft to edit.
The issuing body is the one in force on the report date (:mod:`tthc_analysis.organisation`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from docx import Document

from tthc_analysis.document.docx_layout import (
    PAGE,
    add_paragraph,
    fixed_table,
    landscape_section,
    portrait_section,
    save_deterministic,
    set_cell,
    setup_document,
    text_width_mm,
)
from tthc_analysis.loading.organisation import form06_agency
from tthc_analysis.metrics.form06 import (
    COUNT_COLUMNS,
    DEFAULT_AGENCY,
    FORM06_TITLE,
    channel_unknown_note_vi,
    form06_header_rows,
)
from tthc_analysis.organisation import IssuingBody, issuing_body
from tthc_analysis.text import format_date, format_number, nfc
from tthc_analysis.views import report_text, summaries
from tthc_analysis.views.common import lower_first, section_order

if TYPE_CHECKING:
    from tthc_analysis.evaluation.evaluate import Evaluation

__all__ = ["HEADINGS", "REPORT_KINDS", "build_report", "report_subject", "write_report"]

REPORT_KINDS = ("quarter", "year")

HEADINGS = (
    "I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CỦA KẾ HOẠCH",
    "II. SỐ LIỆU CHỦ YẾU VÀ SO SÁNH VỚI CÙNG KỲ NĂM TRƯỚC",
    "III. TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
    "IV. KẾT QUẢ BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (QUYẾT ĐỊNH SỐ 766/QĐ-TTg)",
    "V. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
    "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
)
"""The main headings of the body, in order."""

_SUBJECT = (
    "Tình hình, kết quả thực hiện công tác kiểm soát thủ tục hành chính, thực hiện cơ chế "
    "một cửa, một cửa liên thông"
)
_SMALL = 10
_TABLE = 12


def report_subject(ev: Evaluation) -> str:
    """The subject line: "… một cửa liên thông quý III năm 2025" / "… năm 2025"."""
    period = ev.period
    if period.kind == "year":
        when = f"năm {period.year}"
    else:
        name = nfc(period.name_vi)
        when = name[0].lower() + name[1:]
        when = when.replace(f"/{period.year}", f" năm {period.year}")
    return f"{_SUBJECT} {when}"


def _header(document, body: IssuingBody) -> None:
    table = fixed_table(document, 1, [70, 95], borders=False)
    left, right = table.rows[0].cells
    set_cell(left, (body.parent or "").upper(), size=PAGE["header_pt"])
    add_paragraph(left, body.name.upper(), bold=True, size=PAGE["header_pt"], align="center")
    add_paragraph(left, "________", size=PAGE["header_pt"], align="center", space_after=6)
    add_paragraph(
        left, f"Số:        /BC-{body.abbreviation}", size=PAGE["header_pt"], align="center"
    )
    set_cell(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    add_paragraph(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14, align="center")
    add_paragraph(right, "________________________", size=PAGE["header_pt"], align="center")
    add_paragraph(
        right,
        f"{body.place or '……………'}, ngày …… tháng …… năm ……",
        italic=True,
        size=14,
        align="center",
        space_before=6,
    )


def _title(document, ev: Evaluation) -> None:
    add_paragraph(document, "BÁO CÁO", bold=True, align="center", space_before=18, space_after=0)
    add_paragraph(document, report_subject(ev), bold=True, align="center", space_after=0)
    add_paragraph(document, "_____________", align="center", space_after=12)
    add_paragraph(
        document,
        "DỰ THẢO – số liệu lập tự động từ dữ liệu"
        + (" mẫu giả lập (không phải số liệu thật)" if ev.is_sample else "")
        + f", chốt đến ngày {format_date(ev.as_of)}",
        italic=True,
        size=12,
        align="center",
        highlight=True,
        space_after=6,
    )


def _heading(document, text: str, level: int = 1) -> None:
    add_paragraph(document, text, bold=True, italic=level > 1, align="left", space_before=6)


def _draft(document) -> None:
    add_paragraph(document, report_text.DRAFT_NOTE, italic=True, size=12, highlight=True)


def _lines(document, items, prefix: str = "- ") -> None:
    for item in items:
        add_paragraph(document, f"{prefix}{item}", indent_first=True)


def _organisation_lines(ev: Evaluation) -> list[str]:
    """Who ran the plan before an organisation change, and the units rolled (issue 13)."""
    org = getattr(ev, "organisation", None)
    if org is None or not org.issuer_note_vi:
        return []
    lines = [org.issuer_note_vi]
    lines += [f"{unit}: {lower_first(note)}." for unit, note in org.unit_notes.items()]
    return lines


def _sections(document, ev: Evaluation) -> None:
    _heading(document, HEADINGS[0])
    add_paragraph(document, report_text.introduction_text(ev), indent_first=True)
    for line in _organisation_lines(ev):
        add_paragraph(document, line, italic=True, indent_first=True)
    add_paragraph(document, summaries.overall_paragraph(ev), indent_first=True)
    sections = ev.plan.sections.copy()
    sections["_order"] = [section_order(s) for s in sections["section_id"]]
    for n, rec in enumerate(sections.sort_values("_order").to_dict("records"), start=1):
        sid = rec["section_id"]
        _heading(document, f"{n}. Phần {sid}. {nfc(rec['section_title'])}", level=2)
        add_paragraph(document, summaries.section_paragraph(ev, sid), indent_first=True)
        tasks = ev.tasks.loc[ev.tasks["section_id"] == sid]
        _lines(document, [report_text.task_line(r) for r in tasks.to_dict("records")])
    achieved, missed = report_text.targets_by_result(ev)
    if achieved or missed:
        _heading(document, f"{n + 1}. Kết quả thực hiện các chỉ tiêu định lượng", level=2)
        met, judged = summaries.indicator_tally(ev)
        add_paragraph(
            document,
            f"Đạt {format_number(met)}/{format_number(judged)} chỉ tiêu định lượng có mục tiêu "
            "của kế hoạch.",
            indent_first=True,
        )
        if achieved:
            add_paragraph(document, "Các chỉ tiêu đã đạt:", indent_first=True)
            _lines(document, achieved)
        if missed:
            add_paragraph(document, "Các chỉ tiêu chưa đạt:", indent_first=True)
            _lines(document, missed)


def _simple_table(document, header: list[str], rows: list[list[str]], widths: list[float]):
    table = fixed_table(document, len(rows) + 1, widths)
    for j, text in enumerate(header):
        set_cell(table.cell(0, j), text, bold=True, size=_TABLE)
    for i, row in enumerate(rows, start=1):
        for j, text in enumerate(row):
            set_cell(table.cell(i, j), str(text), size=_TABLE, align="left" if j == 0 else "center")
    return table


def _figures(document, ev: Evaluation) -> None:
    _heading(document, HEADINGS[1])
    rows = report_text.key_figure_rows(ev)
    if len(rows):
        add_paragraph(document, f"Số liệu chủ yếu – {ev.period.label_vi}:", indent_first=True)
        _simple_table(
            document,
            ["Nội dung", "Số liệu", "Chi tiết"],
            rows[["content", "figure", "note"]].values.tolist(),
            [70, 30, 65],
        )
    else:
        add_paragraph(document, "Chưa có số liệu giải quyết TTHC trong kỳ.", indent_first=True)
    lines = report_text.comparison_lines(ev)
    previous = getattr(ev, "previous_period", None)
    if len(lines):
        add_paragraph(
            document,
            f"So với cùng kỳ năm trước ({previous.label_vi}):",
            indent_first=True,
            space_before=6,
        )
        _simple_table(
            document,
            ["Nội dung", ev.period.name_vi, previous.name_vi, "So với cùng kỳ năm trước"],
            lines.values.tolist(),
            [62, 28, 28, 47],
        )
        note = report_text.comparison_note(ev)
        if note:  # parts not compared, or a comparison across an organisation change
            add_paragraph(document, note, italic=True, indent_first=True, space_before=3)
    else:
        note = report_text.comparison_note(ev) or "Không có số liệu cùng kỳ năm trước."
        add_paragraph(document, note, italic=True, indent_first=True, space_before=6)


def _form06(document, ev: Evaluation) -> None:
    section = document.add_section()
    landscape_section(section)
    _heading(document, HEADINGS[2])
    add_paragraph(document, FORM06_TITLE, bold=True, size=12, align="center")
    # the agency line of the form: the body in force on the period's last day, naming the
    # body before a change inside the period (one source with the review and tthc form06)
    issuer = getattr(ev.plan.meta, "issuer", "") or DEFAULT_AGENCY
    agency = form06_agency(ev.period.start, ev.period.end, ev.settings, issuer)
    add_paragraph(document, agency, size=12, align="center")
    add_paragraph(
        document,
        f"Kỳ báo cáo: {ev.period.name_vi} (Từ ngày {format_date(ev.period.start)} đến ngày "
        f"{format_date(ev.period.end)}). Đơn vị tính: Số hồ sơ TTHC.",
        italic=True,
        size=12,
        align="center",
    )
    table_frame = ev.form06
    header_rows, merges = form06_header_rows("field")
    width = text_width_mm(section)
    widths = [12, 60] + [(width - 72 - 1) / 11] * 11
    table = fixed_table(document, len(header_rows) + len(table_frame), widths)
    for i, row in enumerate(header_rows):
        for j, text in enumerate(row):
            if text:
                set_cell(table.cell(i, j), text, bold=i < 3, size=_SMALL)
    for r0, c0, r1, c1 in merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    offset = len(header_rows)
    for i, rec in enumerate(table_frame.to_dict("records")):
        total = pd.isna(rec["stt"])
        cells = ["" if total else str(int(rec["stt"])), nfc(str(rec["field"]))]
        cells += [format_number(rec[c]) for c in COUNT_COLUMNS]
        for j, text in enumerate(cells):
            set_cell(
                table.cell(offset + i, j),
                text,
                bold=total,
                size=_SMALL,
                align="left" if j == 1 else "center",
            )
    add_paragraph(
        document,
        "Ghi chú: (3) = (4) + (5) + (6) = (7) + (11); (7) = (8) + (9) + (10); (11) = (12) + (13). "
        f"Hồ sơ đang giải quyết tính tại ngày {format_date(ev.period.end)}."
        + (f" Lưu ý: {unknown}" if (unknown := channel_unknown_note_vi(table_frame)) else ""),
        italic=True,
        size=_SMALL,
        space_before=3,
    )
    lines = report_text.comparison_lines(ev, getattr(ev, "comparison_form06", None))
    previous = getattr(ev, "previous_period", None)
    if len(lines):
        add_paragraph(
            document,
            f"Dòng tổng cộng so với cùng kỳ năm trước ({previous.label_vi}):",
            size=12,
            space_before=6,
        )
        _simple_table(
            document,
            ["Chỉ tiêu của biểu", ev.period.name_vi, previous.name_vi, "So với cùng kỳ năm trước"],
            lines.values.tolist(),
            [95, 40, 40, 70],
        )
    else:
        add_paragraph(
            document,
            report_text.comparison_note(ev) or "Không có số liệu cùng kỳ năm trước.",
            italic=True,
            size=12,
        )
    portrait_section(document.add_section())


def _index766(document, ev: Evaluation) -> None:
    _heading(document, HEADINGS[3])
    wide = ev.index766
    if not len(wide) or "period" not in wide:
        add_paragraph(document, "Chưa có dữ liệu điểm Bộ chỉ số 766.", indent_first=True)
        return
    start, end = f"{ev.period.start:%Y-%m}", f"{ev.as_of:%Y-%m}"
    rows = wide.loc[(wide["period"].astype(str) >= start) & (wide["period"].astype(str) <= end)]
    rows = rows.loc[rows["total"].notna()]
    for text in summaries.section_facts(ev, "I")[:1]:
        add_paragraph(document, text, indent_first=True)
    if not len(rows):
        add_paragraph(document, "Chưa có điểm công bố trong kỳ.", indent_first=True)
        return
    groups = [g for g in ("CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL") if g in rows]
    body = [
        [f"{str(r['period'])[5:7]}/{str(r['period'])[:4]}"]
        + [format_number(r[g], 2) for g in groups]
        + [format_number(r["total"], 2)]
        for r in rows.to_dict("records")
    ]
    _simple_table(
        document,
        ["Tháng", *groups, "Tổng điểm"],
        body,
        [25] + [18] * len(groups) + [30],
    )
    add_paragraph(
        document,
        "CKMB: công khai, minh bạch; TDGQ: tiến độ giải quyết; CLGQ: dịch vụ công trực tuyến; "
        "TTTT: thanh toán trực tuyến; MDSH: số hóa hồ sơ; MDHL: mức độ hài lòng.",
        italic=True,
        size=_SMALL,
    )


def _drafted(document, ev: Evaluation, catalogue) -> None:
    _heading(document, HEADINGS[4])
    _heading(document, "1. Tồn tại, hạn chế", level=2)
    _draft(document)
    _lines(document, report_text.shortcomings(ev) or ["Chưa phát hiện tồn tại từ số liệu."])
    _heading(document, "2. Nguyên nhân", level=2)
    _draft(document)
    _lines(document, report_text.causes(ev) or ["Chưa có nguyên nhân được ghi nhận trong dữ liệu."])
    _heading(document, HEADINGS[5])
    _draft(document)
    _lines(
        document,
        report_text.directions(ev, catalogue)
        or ["Tiếp tục duy trì kết quả đã đạt; không có kiến nghị bổ sung."],
    )


def _closing(document, body: IssuingBody) -> None:
    add_paragraph(
        document,
        f"Trên đây là báo cáo tình hình, kết quả thực hiện công tác kiểm soát thủ tục hành "
        f"chính, thực hiện cơ chế một cửa, một cửa liên thông của {body.name}./.",
        indent_first=True,
        space_before=6,
    )
    table = fixed_table(document, 1, [80, 85], borders=False)
    left, right = table.rows[0].cells
    set_cell(left, "Nơi nhận:", bold=True, italic=True, size=12, align="left")
    for line in report_text.RECIPIENTS:
        add_paragraph(left, f"- {line}", size=11, align="left", space_after=0)
    set_cell(right, "GIÁM ĐỐC", bold=True, size=14)
    add_paragraph(right, "(Ký, ghi rõ họ tên và đóng dấu)", italic=True, size=12, align="center")
    for _ in range(4):
        add_paragraph(right, "", size=14, align="center")
    add_paragraph(right, "…………………………………", size=14, align="center")


def build_report(ev: Evaluation, kind: str = "quarter", catalogue: pd.DataFrame | None = None):
    """The Word draft of the report for ``ev`` as a python-docx ``Document``.

    Args:
        ev: The evaluation of the period (quarter or year).
        kind: ``quarter`` or ``year`` (the year-end report adds nothing the quarter lacks;
            the kind checks that the evaluation's period matches).
        catalogue: The procedure catalogue (for the next steps); ``None`` = none.

    Raises:
        ParameterError: ``kind`` does not match the evaluation's period.
    """
    from tthc_analysis.errors import ParameterError

    if kind not in REPORT_KINDS:
        raise ParameterError(f"Loại báo cáo không hợp lệ: «{kind}» (quarter hoặc year).")
    expected = "year" if kind == "year" else "quarter"
    if ev.period.kind != expected:
        raise ParameterError(
            f"Báo cáo {'năm' if kind == 'year' else 'quý'} cần kỳ "
            f"{'cả năm' if kind == 'year' else 'quý'}, nhận {ev.period.name_vi}.",
            hint="Dùng --kind year (không có --period) hoặc --kind quarter --period q1…q4.",
        )
    body = issuing_body(ev.as_of, ev.settings, ev.plan.meta)
    document = Document()
    created = datetime(ev.as_of.year, ev.as_of.month, ev.as_of.day)
    setup_document(document, f"Báo cáo {report_subject(ev)}", created)
    _header(document, body)
    _title(document, ev)
    _sections(document, ev)
    _figures(document, ev)
    _form06(document, ev)
    _index766(document, ev)
    _drafted(document, ev, catalogue)
    _closing(document, body)
    return document


def write_report(ev: Evaluation, path: str | Path, kind: str = "quarter", catalogue=None) -> Path:
    """Write the Word draft of ``ev`` to ``path`` (same inputs, same bytes)."""
    return save_deterministic(build_report(ev, kind, catalogue), path)
