"""The report as a reviewer sees it: every page opened in headless Chromium, offline.

The target report is, in order: the folder named by ``REVIEW_BROWSER_REPORT``; the real
report built from ``notebooks/`` and the bundled sample when both exist; else a report of
the fixture notebooks. The escaping checks always use the fixture report (its feedback
data holds ``<script>`` and ``<img onerror>`` payloads).

Uses Debian's ``/usr/bin/chromium`` (``make browser``) through Playwright; no browser is
downloaded. Skipped when Chromium is missing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from browser_support import BROWSER_MARKS, build_fixture_report, chromium

from tthc_analysis.config import NOTEBOOKS_DIR, SAMPLE_DIR
from tthc_analysis.review.build import NOTEBOOK_PATTERN

TARGET_ENV = "REVIEW_BROWSER_REPORT"
TARGET = os.environ.get(TARGET_ENV)  # read at import: the test fixtures clear TTHC_* only

pytestmark = BROWSER_MARKS


def _has_real_report_inputs() -> bool:
    return (SAMPLE_DIR / "SAMPLE.json").is_file() and any(
        NOTEBOOK_PATTERN.match(p.name) for p in NOTEBOOKS_DIR.glob("*.ipynb")
    )


@pytest.fixture(scope="module")
def fixture_report(tmp_path_factory) -> Path:
    return build_fixture_report(tmp_path_factory.mktemp("browser") / "fixture")


@pytest.fixture(scope="module")
def target_report(request) -> Path:
    if TARGET:
        return Path(TARGET)
    if _has_real_report_inputs():
        return request.getfixturevalue("sample_report")  # built once, shared (conftest.py)
    return request.getfixturevalue("fixture_report")


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


class Visit:
    """A page opened with every console message, request and dialog recorded."""

    def __init__(self, browser, path: Path) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.resolve().as_uri(), wait_until="load")
        expected = path.read_text(encoding="utf-8").count("new ITable(")
        if expected:
            self.page.wait_for_function(
                f"document.querySelectorAll('table.dataTable').length >= {expected}",
                timeout=20000,
            )
        self.page.wait_for_timeout(200)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        self.page.close()


def _pages(report: Path) -> list[Path]:
    return sorted(report.glob("*.html"))


def test_every_page_is_clean_offline_and_in_vietnamese(browser, target_report):
    pages = _pages(target_report)
    assert any(p.name == "index.html" for p in pages)
    for path in pages:
        visit = Visit(browser, path)
        try:
            page = visit.page
            assert visit.errors == [], f"{path.name}: {visit.errors}"
            outside = [u for u in visit.requests if not u.startswith(("file://", "data:"))]
            assert outside == [], f"{path.name} requested {outside}"
            assert visit.dialogs == []
            assert page.evaluate("document.documentElement.lang") == "vi"
            images = page.evaluate(
                "Array.from(document.images).map(i => [i.complete, i.naturalWidth])"
            )
            assert all(done and width > 0 for done, width in images), path.name
            heading = page.locator("main h1").first.inner_text()
            assert any(ord(c) > 127 and c.isalpha() for c in heading), heading  # Vietnamese
            assert "Số liệu chốt đến ngày" in page.locator("header").inner_text()
            assert "Nguồn gốc số liệu" in page.locator("footer").inner_text()
        finally:
            visit.close()


def test_index_lists_the_sections_and_pages(browser, target_report):
    visit = Visit(browser, target_report / "index.html")
    try:
        page = visit.page
        assert page.locator("h1").first.inner_text() == "Mục lục báo cáo"
        assert page.get_by_role("heading", name=re.compile("Kết quả theo 9 phần")).count() == 1
        assert page.locator("table.tthc-sections tbody tr").count() == 9
        links = page.locator("ol.tthc-pages a").evaluate_all("els => els.map(e => e.href)")
        for link in links:
            assert link.startswith("file://")
            assert Path(link.removeprefix("file://")).is_file()
    finally:
        visit.close()


def _filterable_table(page) -> str | None:
    """Id of the first table with several rows, and a cell text found in some rows only."""
    return page.evaluate(
        """() => {
        const $ = window.$;
        for (const table of document.querySelectorAll('table.dataTable')) {
            const api = $(table).DataTable();
            const n = api.rows().count();
            if (n < 2) continue;
            const texts = api.column(0).data().toArray().map(String);
            const counts = {};
            texts.forEach(t => counts[t] = (counts[t] || 0) + 1);
            const unique = texts.find(t => t.length > 2 && counts[t] < n);
            if (unique !== undefined) return [table.id, unique];
        }
        return null;
    }"""
    )


def _first_page_with(browser, report: Path, finder, what: str):
    """(page path, open visit, what ``finder`` found) on the first page where it finds it."""
    for path in _pages(report):
        visit = Visit(browser, path)
        found = finder(visit.page)
        if found:
            return path, visit, found
        visit.close()
    pytest.fail(f"no page has {what}")


def test_search_box_filters_the_rows(browser, target_report):
    path, visit, (table_id, text) = _first_page_with(
        browser, target_report, _filterable_table, "a searchable table with several rows"
    )
    try:
        page = visit.page
        count = f"() => window.$('#{table_id}').DataTable().rows({{search: 'applied'}}).count()"
        before = page.evaluate(count)
        container = page.locator(f"div.dt-container:has(table#{table_id})")
        container.locator("input[type=search]").fill(text)
        page.wait_for_timeout(300)
        after = page.evaluate(count)
        assert 1 <= after < before, (path.name, text, before, after)
        shown = container.locator("tbody tr").count()
        assert shown <= after
    finally:
        visit.close()


def _sortable_number_column(page) -> list | None:
    """``[table id, column index]`` of a numeric column with several distinct values."""
    return page.evaluate(
        """() => {
        const $ = window.$;
        for (const table of document.querySelectorAll('table.dataTable')) {
            const api = $(table).DataTable();
            if (api.rows().count() < 3) continue;
            for (let i = 0; i < api.columns().count(); i++) {
                if (!api.column(i).header().classList.contains('dt-right')) continue;
                const values = api.column(i).data().toArray().filter(v => typeof v === 'number');
                if (new Set(values).size >= 3) return [table.id, i];
            }
        }
        return null;
    }"""
    )


def test_clicking_a_header_sorts_the_rows_by_value(browser, target_report):
    path, visit, (table_id, column) = _first_page_with(
        browser, target_report, _sortable_number_column, "a sortable numeric column"
    )
    try:
        page = visit.page
        read = (
            f"() => window.$('#{table_id}').DataTable().column({column}, "
            "{order: 'applied'}).data().toArray().filter(v => typeof v === 'number')"
        )
        # itables sorts from the arrow icon of the header (the title text stays selectable)
        icon = (
            page.locator(f"table#{table_id} thead th").nth(column).locator("span.dt-column-order")
        )
        assert icon.is_visible()
        assert icon.get_attribute("aria-label").endswith(": bấm để sắp xếp")
        icon.click()
        page.wait_for_timeout(200)
        ascending = page.evaluate(read)
        assert ascending == sorted(ascending), (path.name, table_id, column)
        icon.click()
        page.wait_for_timeout(200)
        descending = page.evaluate(read)
        assert descending == sorted(descending, reverse=True), (path.name, table_id, column)
        assert ascending != descending
        # The first row shown on screen is the largest value, in Vietnamese format.
        first = page.locator(f"table#{table_id} tbody tr").first.locator("td").nth(column)
        assert re.fullmatch(r"[\d.]+(,\d+)?%?", first.inner_text().strip())
        assert visit.errors == []
    finally:
        visit.close()


def test_table_controls_speak_vietnamese(browser, fixture_report):
    visit = Visit(browser, fixture_report / "01_phan_anh.html")
    try:
        page = visit.page
        container = page.locator("div.dt-container:has(table#tbl-danh-sach-pakn)")
        options = container.locator("div.dt-length select option").all_inner_texts()
        assert options == ["10", "20", "50", "100", "Tất cả"]
        labels = container.locator("[aria-label]").evaluate_all(
            "els => els.map(e => e.getAttribute('aria-label'))"
        )
        assert "Trang sau" in labels and "Trang trước" in labels
        english = ("All", "Activate", "First", "Last", "Next", "Previous", "entries")
        assert [t for t in labels if any(w in t for w in english)] == []
    finally:
        visit.close()


def test_printing_shows_every_row_without_controls(browser, fixture_report):
    visit = Visit(browser, fixture_report / "01_phan_anh.html")
    try:
        page = visit.page
        rows = "document.querySelectorAll('#tbl-danh-sach-pakn tbody tr').length"
        assert page.evaluate(rows) == 20  # paged on screen
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        assert page.evaluate(rows) == 30
        page.emulate_media(media="print")
        for selector in ("nav.tthc-nav", "div.dt-search", "div.dt-paging"):
            display = page.locator(selector).first.evaluate("e => getComputedStyle(e).display")
            assert display == "none", selector
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        assert page.evaluate(rows) == 20
    finally:
        visit.close()


def test_untrusted_feedback_shows_as_text_and_never_runs(browser, fixture_report):
    visit = Visit(browser, fixture_report / "01_phan_anh.html")
    try:
        page = visit.page
        table = page.locator("table#tbl-danh-sach-pakn")
        assert table.get_by_text("<script>alert('pakn-xss')</script>", exact=False).count() == 1
        assert table.get_by_text("<img src=x onerror=alert('pakn-img')>", exact=False).count() == 1
        assert page.locator("pre", has_text="<script>alert('pakn-xss')</script>").count() == 1
        assert page.locator("img[src=x]").count() == 0
        page.wait_for_timeout(500)
        assert visit.dialogs == []
        assert visit.errors == []
        headers = table.locator("thead th").all_inner_texts()
        assert "Người gửi" not in headers and "Điện thoại" not in headers
        assert "Nội dung" in headers
    finally:
        visit.close()
