"""The Word draft of the quarterly / year-end report (issue 18).

Layout rules: Decree 30/2020/NĐ-CP, Appendix I (A4; margins top/bottom 20–25 mm, left
30–35 mm, right 15–20 mm; Times New Roman 13–14; header table with the issuing body and
the national motto; "Số: …/BC-…"; place and date; "Nơi nhận"; signature block).
Form 06 layout and identities: TT 01/2020/TT-VPCP, Biểu số 06/VPCP/KSTT (domain.md §2.1).
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from click.testing import CliRunner
from docx import Document
from docx.shared import Mm

from tthc_analysis.config import SAMPLE_DIR
from tthc_analysis.document import build_report, write_report
from tthc_analysis.document.docx_layout import save_deterministic
from tthc_analysis.document.report import HEADINGS, report_subject
from tthc_analysis.errors import ParameterError
from tthc_analysis.evaluation.comparison import (
    add_previous_year,
    coverage_gaps,
    empty_comparison,
    form06_comparison,
    headline_comparison,
    previous_period,
)
from tthc_analysis.evaluation.evaluate import evaluate
from tthc_analysis.loading.ingest import load_tables
from tthc_analysis.metrics.form06 import COUNT_COLUMNS
from tthc_analysis.organisation import issuing_body
from tthc_analysis.periods import parse_period
from tthc_analysis.text import format_number
from tthc_analysis.views import report_text

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tables():
    return load_tables(SAMPLE_DIR)


@pytest.fixture(scope="module")
def ev_q3(tables):
    return add_previous_year(evaluate(tables, 2025, period="q3"), tables)


@pytest.fixture(scope="module")
def docx_q3(ev_q3, tables, tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "bao_cao_q3.docx"
    write_report(ev_q3, path, "quarter", catalogue=tables.procedures)
    return path


@pytest.fixture(scope="module")
def doc(docx_q3):
    return Document(str(docx_q3))


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _number(text: str) -> int:
    return int(text.replace(".", ""))


def _table_with(document, first_cell: str):
    for table in document.tables:
        if table.cell(0, 0).text.strip() == first_cell:
            return table
    raise AssertionError(f"no table starting with {first_cell!r}")


# --- layout (Decree 30/2020) ---------------------------------------------------------------


def test_page_is_a4_with_the_decree_margins_and_times_new_roman(doc):
    first = doc.sections[0]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert round(first.top_margin.mm) == 20 and round(first.bottom_margin.mm) == 20
    assert round(first.left_margin.mm) == 30 and round(first.right_margin.mm) == 15
    for section in doc.sections:  # portrait, or landscape for form 06: still A4
        assert sorted([round(section.page_width.mm), round(section.page_height.mm)]) == [210, 297]
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt == 14


def test_header_block_has_the_issuing_body_the_motto_number_and_date(doc):
    left, right = doc.tables[0].rows[0].cells
    lines = [p.text for p in left.paragraphs]
    # Q3 2025 (as of 14/09/2025): after the merger of 1/7/2025, the body in force is Đồng
    # Nai's Department (settings.organisation.bodies, NQ 202/2025/QH15).
    assert lines[0] == "UBND TỈNH ĐỒNG NAI"
    assert lines[1] == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    assert any(re.fullmatch(r"Số:\s+/BC-SGDĐT", line) for line in lines)  # number left blank
    right_lines = [p.text for p in right.paragraphs]
    assert right_lines[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert right_lines[1] == "Độc lập - Tự do - Hạnh phúc"
    assert "Đồng Nai, ngày …… tháng …… năm ……" in right_lines
    assert right.paragraphs[0].runs[0].bold


def test_title_subject_and_draft_mark(doc, ev_q3):
    texts = _texts(doc)
    i = texts.index("BÁO CÁO")
    assert texts[i + 1] == report_subject(ev_q3)
    assert texts[i + 1].endswith("một cửa liên thông quý III năm 2025")
    assert texts[i + 3].startswith("DỰ THẢO")


def test_section_headings_in_order(doc, ev_q3):
    texts = _texts(doc)
    positions = [texts.index(h) for h in HEADINGS]
    assert positions == sorted(positions)
    for n, sid in enumerate(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"], start=1):
        assert any(t.startswith(f"{n}. Phần {sid}. ") for t in texts), sid
    for sub in ("1. Tồn tại, hạn chế", "2. Nguyên nhân"):
        assert sub in texts


def test_every_task_has_its_status_line(doc, ev_q3):
    texts = _texts(doc)
    for row in ev_q3.tasks.to_dict("records"):
        line = report_text.task_line(row)
        assert f"- {line}" in texts
        assert row["status_vi"].lower()[:5] in line.lower()


def test_drafted_parts_are_marked_for_the_officer(doc, ev_q3, tables):
    texts = _texts(doc)
    assert texts.count(report_text.DRAFT_NOTE) == 3
    for line in report_text.shortcomings(ev_q3):
        assert f"- {line}" in texts
    # Q3 2025 of the sample: I.4 is behind (monthly 766 notice missing) – a shortcoming.
    assert any(t.startswith("- Nhiệm vụ I.4 (") for t in texts)
    for line in report_text.causes(ev_q3):
        assert f"- {line}" in texts
    assert any(t.startswith("- Phần ") for t in texts)  # next steps by section


def test_recipients_and_signature_block(doc):
    left, right = doc.tables[-1].rows[0].cells
    assert left.paragraphs[0].text == "Nơi nhận:"
    assert [p.text for p in left.paragraphs[1:]] == [f"- {r}" for r in report_text.RECIPIENTS]
    lines = [p.text for p in right.paragraphs]
    assert lines[0] == "GIÁM ĐỐC"
    assert lines[-1] == "…………………………………"  # name left blank


# --- figures --------------------------------------------------------------------------------


def test_key_figures_equal_the_evaluation(doc, ev_q3):
    table = _table_with(doc, "Nội dung")
    got = {r.cells[0].text: r.cells[1].text for r in table.rows[1:]}
    t = ev_q3.totals.iloc[0]
    # Sample, Q3 2025 (15/06–14/09/2025), after issue 12 rules: 1.885 dossiers handled.
    assert got["Tổng số hồ sơ nhận giải quyết"] == "1.885" == format_number(t["n_in_scope"])
    assert got["Hồ sơ đã giải quyết"] == format_number(t["n_finished"])
    expected = report_text.key_figure_rows(ev_q3)
    assert got == dict(zip(expected["content"], expected["figure"], strict=True))


def _form06_cells(document) -> list[list[str]]:
    table = _table_with(document, "STT")
    return [[c.text for c in row.cells] for row in table.rows]


def test_form06_table_has_the_official_13_columns_and_the_evaluation_counts(doc, ev_q3):
    rows = _form06_cells(doc)
    assert len(rows[0]) == 13
    assert rows[0][2] == "Số hồ sơ nhận giải quyết" and rows[0][10] == "Số hồ sơ đang giải quyết"
    assert rows[3] == [f"({i})" for i in range(1, 14)]
    body = rows[4:]
    assert len(body) == len(ev_q3.form06)
    for cells, rec in zip(body, ev_q3.form06.to_dict("records"), strict=True):
        assert cells[1] == rec["field"]
        assert [_number(c) for c in cells[2:]] == [rec[c] for c in COUNT_COLUMNS]
    assert body[-1][1] == "Tổng cộng" and body[-1][2] == "1.885"


def test_form06_cells_satisfy_the_identities(doc):
    for cells in _form06_cells(doc)[4:]:
        c = {i + 1: _number(v) for i, v in enumerate(cells) if i >= 2}
        assert c[3] == c[4] + c[5] + c[6] == c[7] + c[11]
        assert c[7] == c[8] + c[9] + c[10]
        assert c[11] == c[12] + c[13]


def test_index766_table_lists_the_published_months_of_the_period(doc, ev_q3):
    table = _table_with(doc, "Tháng")
    months = [r.cells[0].text for r in table.rows[1:]]
    assert months == ["06/2025", "07/2025", "08/2025", "09/2025"]
    wide = ev_q3.index766.set_index("period")
    assert table.rows[-1].cells[-1].text == format_number(wide.loc["2025-09", "total"], 2)


# --- comparison with the same period of the previous year ----------------------------------


def test_comparison_equals_an_evaluation_of_the_previous_year(doc, ev_q3, tables):
    previous = evaluate(tables, 2024, period="q3").totals.iloc[0]
    table = _table_with(doc, "Nội dung")  # first: key figures; the comparison follows
    comparison = [t for t in doc.tables if t.cell(0, 1).text == "Quý III/2025"][0]
    got = {r.cells[0].text: (r.cells[1].text, r.cells[2].text) for r in comparison.rows[1:]}
    current = ev_q3.totals.iloc[0]
    assert got["Tổng số hồ sơ nhận giải quyết"] == (
        format_number(current["n_in_scope"]),
        format_number(previous["n_in_scope"]),
    )
    assert got["Hồ sơ quá hạn"][1] == format_number(previous["n_overdue"])
    assert table is not comparison


def test_form06_totals_are_compared_with_the_previous_year(doc, tables):
    prev_f06 = evaluate(tables, 2024, period="q3").form06.iloc[-1]
    table = _table_with(doc, "Chỉ tiêu của biểu")
    got = {r.cells[0].text[:4]: r.cells[2].text for r in table.rows[1:]}
    assert got["(3) "] == format_number(prev_f06["received_total"])
    assert got["(10)"] == format_number(prev_f06["finished_overdue"])


def test_without_previous_year_the_draft_says_so(ev_q3):
    note = "Chưa so sánh được với cùng kỳ năm trước (thử nghiệm)."
    ev = dataclasses.replace(
        ev_q3, comparison=empty_comparison(), comparison_form06=empty_comparison(),
        comparison_note=note,
    )  # fmt: skip
    texts = _texts(build_report(ev, "quarter"))
    assert texts.count(note) == 2  # headline figures and form 06 totals


def test_previous_period_and_coverage_by_hand():
    # Q3 official window (ND 09/2019 practice, domain.md §2.2): 15/06–14/09.
    prev = previous_period("q3", 2025, "official", date(2025, 9, 14))
    assert (prev.start, prev.end) == (date(2024, 6, 15), date(2024, 9, 14))
    month = previous_period("2025-03", 2025, "official", date(2025, 3, 14))
    assert (month.start, month.end) == (date(2024, 2, 15), date(2024, 3, 14))
    cut = previous_period("year", 2025, "official", date(2025, 9, 30))
    assert (cut.start, cut.end) == (date(2023, 12, 15), date(2024, 9, 30))
    received = pd.Series(pd.to_datetime(["2024-06-20", "2024-07-01", "2024-09-14", "2024-08-14"]))
    assert coverage_gaps(received, prev) == []
    # 14/08 is inside; with it gone August is missing; 16/09 is after the period.
    gaps = coverage_gaps(
        pd.Series(pd.to_datetime(["2024-06-20", "2024-07-01", "2024-09-16"])), prev
    )
    assert gaps == ["08/2024", "09/2024"]


def test_headline_comparison_by_hand():
    table = headline_comparison(
        {"n_in_scope": 120, "online_share": 0.6, "n_overdue": 0},
        {"n_in_scope": 100, "online_share": 0.5, "n_overdue": 4},
    ).set_index("key")
    assert table.loc["n_in_scope", "change"] == 20 and table.loc["n_in_scope", "change_rel"] == 0.2
    assert table.loc["online_share", "change"] == pytest.approx(0.1)
    lines = report_text.comparison_lines(None, table.reset_index()).set_index("content")
    assert lines.loc["Tổng số hồ sơ nhận giải quyết", "change"] == "tăng 20 (20,0%)"
    assert lines.loc["Tỷ lệ hồ sơ nộp trực tuyến", "change"] == "tăng 10,0 điểm phần trăm"
    assert lines.loc["Hồ sơ quá hạn", "change"] == "giảm 4 (100,0%)"
    f06 = form06_comparison(
        pd.DataFrame({c: [7] for c in COUNT_COLUMNS}), pd.DataFrame({c: [7] for c in COUNT_COLUMNS})
    )
    assert (f06["change"] == 0).all()
    assert report_text.comparison_lines(None, f06)["change"].eq("không thay đổi").all()


def test_previous_year_of_the_sample_does_not_reach_into_2025():
    from tthc_analysis.sample.generator import build_sample

    prev = build_sample().previous_dossiers
    assert prev["received_at"].min() >= pd.Timestamp("2023-12-01")
    assert prev["received_at"].max() < pd.Timestamp("2024-12-01")
    # Finished before the first 2025 window opens (15/12/2024): nothing carried over.
    assert prev["completed_at"].max() < pd.Timestamp("2024-12-14")
    assert prev["completed_at"].notna().all()


# --- organisation in force on the report date ----------------------------------------------


_BODIES = SimpleNamespace(
    bodies=(
        SimpleNamespace(name_vi="Sở Giáo dục và Đào tạo tỉnh Bình Phước", valid_from=None,
                        valid_to=date(2025, 6, 30)),
        SimpleNamespace(name_vi="Sở Giáo dục và Đào tạo tỉnh Đồng Nai",
                        valid_from=date(2025, 7, 1), valid_to=None),
    )
)  # fmt: skip
"""The shape of ``settings.organisation`` (data/reference/settings.yaml)."""


def test_issuing_body_follows_the_merger_of_1_7_2025():
    settings = SimpleNamespace(organisation=_BODIES)
    assert issuing_body(date(2025, 6, 30), settings).place == "Bình Phước"
    assert issuing_body(date(2025, 7, 1), settings).parent == "UBND tỉnh Đồng Nai"
    meta = SimpleNamespace(issuer="Sở Giáo dục và Đào tạo tỉnh Bình Phước")
    fallback = issuing_body(date(2025, 9, 14), None, meta)
    assert (fallback.parent, fallback.place, fallback.source) == (
        "UBND tỉnh Bình Phước",
        "Bình Phước",
        "plan",
    )


class _WithBodies:
    """The evaluation's settings with the two bodies of the merger as ``organisation``."""

    def __init__(self, settings):
        self._settings = settings
        self.organisation = _BODIES

    def __getattr__(self, name):
        return getattr(self._settings, name)


def test_draft_header_uses_the_body_in_force(ev_q3):
    references = dataclasses.replace(ev_q3.references, settings=_WithBodies(ev_q3.settings))
    ev = dataclasses.replace(ev_q3, references=references)
    left, right = build_report(ev, "quarter").tables[0].rows[0].cells
    assert left.paragraphs[0].text == "UBND TỈNH ĐỒNG NAI"  # 14/09/2025 is after 1/7/2025
    assert "Đồng Nai, ngày …… tháng …… năm ……" in [p.text for p in right.paragraphs]


# --- determinism, widths, kinds --------------------------------------------------------------


def test_same_inputs_give_the_same_bytes(ev_q3, tables, docx_q3, tmp_path):
    again = write_report(ev_q3, tmp_path / "again.docx", "quarter", catalogue=tables.procedures)
    assert again.read_bytes() == docx_q3.read_bytes()
    with zipfile.ZipFile(io.BytesIO(docx_q3.read_bytes())) as package:
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode()
    assert "2025-09-14T00:00:00Z" in core  # created = the as-of date, not the clock


def _section_of_each_table(document) -> list[tuple[object, float]]:
    """(table, text width in mm of its section) for every top-level table."""
    body = document.element.body
    sections = list(document.sections)
    out, pending, index = [], [], 0
    for child in body.iterchildren():
        tag = child.tag.split("}")[1]
        if tag == "tbl":
            pending.append(child)
        elif tag == "p" and child.find(".//{*}sectPr") is not None:
            out += [(t, sections[index]) for t in pending]
            pending, index = [], index + 1
    out += [(t, sections[index]) for t in pending]
    return [(t, (s.page_width - s.left_margin - s.right_margin) / Mm(1)) for t, s in out]


def test_no_table_is_wider_than_its_page(doc):
    pairs = _section_of_each_table(doc)
    assert len(pairs) == len(doc.tables)
    for table, width in pairs:
        grid = [
            int(c.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w"))
            for c in table.findall(".//{*}gridCol")
        ]
        assert sum(grid) / 56.6929 <= width + 0.5  # twentieths of a point -> mm


def test_kind_must_match_the_period(ev_q3):
    with pytest.raises(ParameterError, match="Báo cáo năm cần kỳ cả năm"):
        build_report(ev_q3, "year")


def test_cli_writes_the_year_end_draft_with_a_previous_data_folder(tmp_path):
    from tthc_analysis.cli.report import command

    out = tmp_path / "nam.docx"
    args = ["--kind", "year", "--year", "2025", "--data", str(SAMPLE_DIR)]
    result = CliRunner().invoke(
        command, [*args, "--previous-data", str(SAMPLE_DIR), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "So sánh với cùng kỳ năm trước: Năm 2024 (15/12/2023 – 14/12/2024)." in result.output
    texts = _texts(Document(str(out)))
    assert texts[texts.index("BÁO CÁO") + 1].endswith("một cửa liên thông năm 2025")
    bad = CliRunner().invoke(command, ["--kind", "quarter", "--period", "h1", "--out", str(out)])
    assert bad.exit_code == 2 and "q1, q2, q3 hoặc q4" in bad.output
    assert "Traceback" not in bad.output


def test_year_end_page_and_draft_share_the_text(ev_q3):
    from tthc_analysis.views import year_end

    assert year_end.key_figure_rows(ev_q3).equals(report_text.key_figure_rows(ev_q3))
    assert report_text.introduction_text(ev_q3).endswith(
        "kết quả thực hiện quý III/2025 (số liệu chốt đến ngày 14/09/2025) được tổng hợp như sau."
    )


# --- rendering with LibreOffice ----------------------------------------------------------------


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
def test_rendered_pdf_has_a4_pages_and_no_table_beyond_the_margin(docx_q3, ev_q3, tmp_path):
    soffice = _soffice()
    if soffice is None:
        pytest.skip(
            "LibreOffice is not installed: run scripts/ensure-libreoffice.sh as root "
            "(apt-get install libreoffice-writer-nogui fonts-liberation2)"
        )
    from pypdf import PdfReader

    profile = tmp_path / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(docx_q3)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    reader = PdfReader(str(tmp_path / "bao_cao_q3.pdf"))
    assert len(reader.pages) >= 5
    text = ""
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert sorted([round(width), round(height)]) == [595, 842]  # A4 in points
        right_edge = width - 15 * 72 / 25.4 + 2  # the right margin (15 mm), 2 pt tolerance
        xs = []

        def visit(chunk, cm, tm, _font, _size, xs=xs):
            if chunk.strip():
                xs.append(cm[4] + tm[4] * cm[0])

        text += page.extract_text(visitor_text=visit) + "\n"
        assert xs and max(xs) < right_edge, (page.page_number, max(xs))
    flat = " ".join(text.split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "Tổng cộng" in flat and format_number(ev_q3.form06.iloc[-1]["received_total"]) in flat
    landscape = [p for p in reader.pages if float(p.mediabox.width) > float(p.mediabox.height)]
    assert landscape  # form 06 sits on an A4 landscape page


def test_save_is_deterministic_for_a_minimal_document(tmp_path):
    from docx import Document as New

    from tthc_analysis.document.docx_layout import setup_document

    paths = []
    for name in ("a.docx", "b.docx"):
        document = New()
        setup_document(document, "Thử", pd.Timestamp("2025-03-14").to_pydatetime())
        document.add_paragraph("Nội dung")
        paths.append(save_deterministic(document, tmp_path / name))
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert parse_period("q1", 2025).end == date(2025, 3, 14)


def test_review_kernels_reuse_the_build_context_with_previous_data(tmp_path, monkeypatch):
    from tthc_analysis.views.context import (
        CONTEXT_ENV,
        ReviewContext,
        ReviewParams,
        load_context,
        save_context,
    )

    params = ReviewParams.resolve(2025, None, "q3", SAMPLE_DIR, None)
    built = ReviewContext(
        dataclasses.replace(params, previous_dir=tmp_path), evaluation="evaluated by the build"
    )
    monkeypatch.setenv(CONTEXT_ENV, str(save_context(built, tmp_path / "ctx.pickle")))
    # The notebooks know nothing of --previous-data; they still get the build's context.
    assert load_context(2025, None, "q3", str(SAMPLE_DIR)).evaluation == "evaluated by the build"


def test_unwritable_output_is_a_vietnamese_error_not_a_traceback(tmp_path):
    from tthc_analysis.cli.report import command

    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(command, ["--kind", "year", "--out", str(blocker / "a.docx")])
    assert result.exit_code != 0
    assert "Không ghi được tệp dự thảo" in result.output and "Traceback" not in result.output


def test_draft_names_who_ran_the_plan_before_the_merger_and_the_form06_agency(doc):
    # issue 13: Q3/2025 (15/06–14/09) is issued by Đồng Nai's Department; Bình Phước's ran
    # the plan to 30/06/2025 (NQ 202/2025/QH15); form 06 names both (one source with the
    # review's form 06 and `tthc form06`: loading.organisation.form06_agency).
    bp, dn = "Sở Giáo dục và Đào tạo tỉnh Bình Phước", "Sở Giáo dục và Đào tạo tỉnh Đồng Nai"
    texts = _texts(doc)
    assert (
        f"Báo cáo do {dn} ban hành; từ 01/01/2025 đến 30/06/2025 kế hoạch do {bp} thực hiện; "
        "tỉnh Bình Phước hợp nhất vào tỉnh Đồng Nai từ 01/07/2025 (Nghị quyết số "
        "202/2025/QH15)."
    ) in texts
    assert f"{dn}: gồm số liệu của {bp} đến 30/06/2025 (đơn vị được sắp xếp lại)." in texts
    assert f"{dn} (số liệu đến 30/06/2025 của {bp})" in texts
