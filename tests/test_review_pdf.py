"""The review as one PDF (``tthc review --pdf``, issue 18): A4, every row, no cut table.

Uses Debian's Chromium (``make browser``); skipped with that hint when it is missing.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from browser_support import build_fixture_report
from pypdf import PdfReader

from tthc_analysis.review.pdf import PDF_NAME, find_chromium, write_review_pdf
from tthc_analysis.text import format_number

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        find_chromium() is None, reason="Chromium is not installed: run `make browser`"
    ),
]

A4 = [595, 842]  # points
RIGHT_MARGIN_PT = 15 * 72 / 25.4  # @page margin-right: 15mm (tthc.css)


@pytest.fixture(scope="module")
def pdf_report(tmp_path_factory) -> Path:
    return build_fixture_report(tmp_path_factory.mktemp("review-pdf") / "2025", pdf=True)


def _pages_text_and_edges(path: Path) -> tuple[list[str], list[tuple[float, float, float]]]:
    """Text of each page and (page width, height, rightmost text start) of each page."""
    texts, edges = [], []
    for page in PdfReader(str(path)).pages:
        xs: list[float] = []

        def visit(chunk, cm, tm, _font, _size, xs=xs):
            if chunk.strip():
                xs.append(cm[4] + tm[4] * cm[0])

        texts.append(page.extract_text(visitor_text=visit))
        edges.append((float(page.mediabox.width), float(page.mediabox.height), max(xs or [0])))
    return texts, edges


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_pdf_is_listed_in_the_manifest(pdf_report):
    manifest = json.loads((pdf_report / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["pdf"] is True
    outputs = {entry["path"]: entry for entry in manifest["outputs"]}
    assert PDF_NAME in outputs and len(outputs[PDF_NAME]["sha256"]) == 64


def test_pdf_has_a4_pages_one_bookmark_per_html_page_and_no_cut_table(pdf_report):
    path = pdf_report / PDF_NAME
    reader = PdfReader(str(path))
    titles = [item.title for item in reader.outline]
    assert titles[0] == "Mục lục báo cáo" and titles[-1] == "Chất lượng dữ liệu"
    assert len(titles) == 5  # index, the three fixture notebooks, data quality
    _texts, edges = _pages_text_and_edges(path)
    for width, height, right in edges:
        assert sorted([round(width), round(height)]) == A4
        assert right < width - RIGHT_MARGIN_PT, right  # nothing starts beyond the margin


def test_pdf_prints_every_row_of_paged_tables(pdf_report):
    texts, _ = _pages_text_and_edges(pdf_report / PDF_NAME)
    ids = set(re.findall(r"PAKN-2025-\d{3}", _flat("\n".join(texts))))
    # 30 PAKN in the fixture; the HTML table shows 20 per page on screen.
    assert len(ids) == 30


def test_pdf_has_the_same_figures_as_the_html(pdf_report):
    texts, _ = _pages_text_and_edges(pdf_report / PDF_NAME)
    flat = _flat("\n".join(texts))
    index = html.unescape((pdf_report / "index.html").read_text(encoding="utf-8"))
    values = re.findall(r'class="tthc-card-value">([^<]+)<', index)
    assert values
    for value in values:
        assert _flat(value) in flat, value


def test_sample_year_end_pages_in_pdf_carry_the_html_figures(sample_report, tmp_path):
    report = tmp_path / "report"
    shutil.copytree(sample_report, report)
    pages = [("10_tong_ket_nam.html", "Tổng kết")]  # form 06 and the comparison are on it
    path = write_review_pdf(report, pages, "Thử", jobs=2)
    again = write_review_pdf(report, pages, "Thử", jobs=2)
    texts, edges = _pages_text_and_edges(path)
    assert again.read_bytes() == path.read_bytes()  # same pages, same PDF bytes
    for width, height, right in edges:
        assert sorted([round(width), round(height)]) == A4
        assert right < width - RIGHT_MARGIN_PT
    flat = _flat("\n".join(texts))
    year_end = html.unescape((report / "10_tong_ket_nam.html").read_text(encoding="utf-8"))
    # The comparison with the same period of the previous year is on the year-end page.
    assert "So với cùng kỳ năm trước" in year_end and "Năm 2024" in year_end
    assert "So với cùng kỳ năm trước" in flat
    from tthc_analysis.evaluation.comparison import add_previous_year
    from tthc_analysis.evaluation.evaluate import evaluate
    from tthc_analysis.loading.ingest import load_tables

    tables = load_tables()
    ev = add_previous_year(evaluate(tables, 2025), tables)
    total = ev.form06.iloc[-1]
    for column in ("received_total", "finished_total", "pending_total"):
        shown = format_number(total[column])
        assert shown in year_end and shown in flat
    previous = ev.comparison.set_index("key").loc["n_in_scope", "previous"]
    assert format_number(previous) in year_end and format_number(previous) in flat
