"""Review build pieces that need no kernel: parameters, cleaning, export, manifest, CLI."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tthc_analysis.cli import cli, main
from tthc_analysis.errors import BuildError
from tthc_analysis.periods import parse_period
from tthc_analysis.review import build as build_module
from tthc_analysis.review.build import _install, discover_notebooks
from tthc_analysis.review.export import (
    PageContext,
    ReportExporter,
    clean_notebook,
    external_references,
    notebook_title,
    write_notebook,
)
from tthc_analysis.review.manifest import combined_hash, describe_files, write_json
from tthc_analysis.review.progress import BuildProgress
from tthc_analysis.review.runner import inject_parameters, parameter_source
from tthc_analysis.review.verify import VerifyResult, compare_folders
from tthc_analysis.views.context import ReviewParams, default_as_of

PARAMS = {
    "year": 2025,
    "as_of": "2025-12-31",
    "period": "q1",
    "data_dir": "/data/raw",
    "units": ["Văn phòng Sở"],
    "label_language": "vi",
    "interactive": False,
}


def _notebook():
    nb = new_notebook()
    params = new_code_cell("year = 2024\ninteractive = True")
    params.metadata["tags"] = ["parameters"]
    cells = [new_markdown_cell("# Mục I. Công khai"), params, new_code_cell("print(year)")]
    for i, cell in enumerate(cells):
        cell["id"] = f"c{i}"
    nb.cells = cells
    return nb


# --- parameters -----------------------------------------------------------------------


def test_parameter_source_is_deterministic_python():
    assert parameter_source(PARAMS) == (
        "# Tham số do `tthc review` truyền vào (injected parameters)\n"
        "year = 2025\n"
        "as_of = '2025-12-31'\n"
        "period = 'q1'\n"
        "data_dir = '/data/raw'\n"
        "units = ['Văn phòng Sở']\n"
        "label_language = 'vi'\n"
        "interactive = False"
    )


def test_injected_cell_follows_the_parameters_cell_with_a_stable_id():
    source = _notebook()
    nb = inject_parameters(source, PARAMS)
    assert [c["id"] for c in nb.cells] == ["c0", "c1", "injected-parameters", "c2"]
    injected = nb.cells[2]
    assert injected.metadata["tags"] == ["injected-parameters"]
    assert injected.source == parameter_source(PARAMS)
    assert len(source.cells) == 3  # the source notebook is not modified
    again = inject_parameters(nb, {**PARAMS, "year": 2026})
    assert [c["id"] for c in again.cells] == ["c0", "c1", "injected-parameters", "c2"]
    assert "year = 2026" in again.cells[2].source


def test_without_parameters_cell_the_injected_cell_comes_first():
    nb = new_notebook()
    nb.cells = [new_code_cell("x = 1")]
    nb.cells[0]["id"] = "only"
    out = inject_parameters(nb, {"year": 2025})
    assert [c["id"] for c in out.cells] == ["injected-parameters", "only"]


def test_default_as_of_is_the_year_end_or_the_periods_last_day():
    assert default_as_of(parse_period("year", 2025)) == date(2025, 12, 31)
    assert default_as_of(parse_period("q1", 2025)) == date(2025, 3, 14)
    assert default_as_of(parse_period("q1", 2025, "calendar")) == date(2025, 3, 31)
    assert default_as_of(parse_period("2025-02", 2025)) == date(2025, 2, 14)
    assert default_as_of(parse_period("01/01/2025-15/02/2025", 2025)) == date(2025, 2, 15)


def test_review_params_give_the_notebook_parameters(tmp_path):
    params = ReviewParams.resolve(2025, None, "h1", tmp_path, ["Văn phòng Sở"], window="official")
    assert params.notebook_parameters() == {
        "year": 2025,
        "as_of": "2025-06-14",
        "period": "h1",
        "data_dir": str(tmp_path.resolve()),
        "units": ["Văn phòng"],  # canonical name: EvaluationParams normalises the units
        "label_language": "vi",
        "interactive": False,
    }


# --- cleaning and export ----------------------------------------------------------------


def test_clean_notebook_strips_volatile_metadata_and_widget_views():
    nb = _notebook()
    nb.metadata["papermill"] = {"start_time": "2025-01-01T00:00:00"}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    cell = nb.cells[2]
    cell.metadata["execution"] = {"iopub.execute_input": "2025-01-01T00:00:00"}
    cell.outputs = [
        new_output(
            "display_data",
            data={
                "application/vnd.jupyter.widget-view+json": {"model_id": "ab" * 16},
                "text/plain": "Dropdown(...)",
            },
        ),
        new_output(
            "display_data",
            data={"application/vnd.jupyter.widget-view+json": {"model_id": "cd" * 16}},
        ),
    ]
    del nb.cells[0]["id"]
    clean = clean_notebook(nb)
    assert "papermill" not in clean.metadata and "widgets" not in clean.metadata
    assert "execution" not in clean.cells[2].metadata
    assert [dict(o["data"]) for o in clean.cells[2].outputs] == [{"text/plain": "Dropdown(...)"}]
    assert clean.cells[0]["id"] == "cell-0"
    assert "papermill" in nb.metadata  # a copy


def test_write_notebook_bytes_are_stable(tmp_path):
    nb = _notebook()
    write_notebook(nb, tmp_path / "a.ipynb")
    write_notebook(nbformat.read(tmp_path / "a.ipynb", as_version=4), tmp_path / "b.ipynb")
    assert (tmp_path / "a.ipynb").read_bytes() == (tmp_path / "b.ipynb").read_bytes()
    assert (tmp_path / "a.ipynb").read_bytes().endswith(b"}\n")


def test_notebook_title_is_the_first_heading():
    assert notebook_title(_notebook(), "x") == "Mục I. Công khai"
    assert notebook_title(new_notebook(), "mặc định") == "mặc định"


@pytest.mark.parametrize(
    "page",
    [
        '<script src="https://cdn.example/require.js"></script>',
        "<link rel=stylesheet href=//cdn.example/a.css>",
        '<img alt="" src="http://host/x.png">',
        "<style>body { background: url('https://host/bg.png') }</style>",
        '<style>@import "https://fonts.example/css";</style>',
        '<script type="module">import x from "https://unpkg.com/a.js";</script>',
        '<iframe src="https://host/"></iframe>',
    ],
)
def test_external_references_are_found(page):
    assert external_references(page) != []


def test_links_and_inline_data_are_not_external_references():
    page = (
        '<a href="https://dichvucong.gov.vn">Cổng DVCQG</a>'
        '<img src="data:image/png;base64,AAAA">'
        '<script type="module">import * as m from "data:text/javascript;base64,AAAA";</script>'
        '<link rel="stylesheet" href="style.css">'
    )
    assert external_references(page) == []


def _context(is_sample: bool = True) -> PageContext:
    return PageContext(
        report_title="Báo cáo <thử>",
        org_parent="UBND tỉnh Bình Phước",
        org_name="Sở Giáo dục và Đào tạo",
        plan_line="Thực hiện Công văn số 655/SGDĐT-VP ngày 27/02/2025",
        period_label="Năm 2025 (15/12/2024 – 14/12/2025)",
        window_label="kỳ báo cáo chính thức",
        as_of="31/12/2025",
        is_sample=is_sample,
        provenance={"n_files": "3", "total_rows": "1.234", "data_hash": "abcdef012345"},
    )


def _executed():
    nb = inject_parameters(_notebook(), PARAMS)
    nb.cells[3].outputs = [new_output("stream", name="stdout", text="<script>alert(1)</script>\n")]
    nb.cells[3].execution_count = 2
    return nb


def test_exported_page_is_vietnamese_offline_and_hides_code():
    exporter = ReportExporter(with_code=False)
    page = exporter.export(_executed(), _context(), page_title="Mục I", name="01_muc")
    assert '<html lang="vi">' in page
    assert "Số liệu chốt đến ngày" in page and "31/12/2025" in page
    assert "Năm 2025 (15/12/2024 – 14/12/2025)" in page
    assert "Dữ liệu mẫu giả lập, không phải số liệu thật." in page
    assert "Báo cáo &lt;thử&gt;" in page and "Báo cáo <thử>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "print(year)" not in page and "interactive = False" not in page  # no code
    assert "In&nbsp;[" not in page  # no prompts
    assert "@page { size: A4" in page
    assert external_references(page) == []
    assert "cdnjs" not in page and "unpkg" not in page and "mathjax" not in page.lower()
    again = ReportExporter(with_code=False).export(
        _executed(), _context(), page_title="Mục I", name="01_muc"
    )
    assert page == again


def test_with_code_shows_the_code_and_the_injected_parameters():
    page = ReportExporter(with_code=True).export(
        _executed(), _context(False), page_title="Mục I", name="01_muc"
    )
    assert "print" in page and "interactive" in page
    assert "Dữ liệu mẫu giả lập" not in page


# --- notebooks folder, manifest, install ----------------------------------------------------


def test_discover_notebooks_takes_numbered_notebooks_in_order(tmp_path):
    for name in ("10_tong_ket_nam.ipynb", "00_tong_quan.ipynb", "02_b.ipynb", "draft.ipynb"):
        nbformat.write(new_notebook(), tmp_path / name)
    (tmp_path / "01_note.txt").write_text("x")
    assert [j.name for j in discover_notebooks(tmp_path)] == [
        "00_tong_quan",
        "02_b",
        "10_tong_ket_nam",
    ]
    (tmp_path / "empty").mkdir()
    with pytest.raises(BuildError, match="không có notebook"):
        discover_notebooks(tmp_path / "empty")


def test_describe_files_hashes_inputs_and_skips_hidden_files(tmp_path):
    (tmp_path / "feedback").mkdir()
    (tmp_path / "feedback" / "a.csv").write_bytes(b"abc")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "x.parquet").write_bytes(b"zzz")
    (tmp_path / "~$lock.xlsx").write_bytes(b"")
    files = describe_files(tmp_path)
    assert files == [
        {
            "path": "feedback/a.csv",
            "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "bytes": 3,
        }
    ]
    a = {"path": "a", "sha256": "1"}
    b = {"path": "b", "sha256": "2"}
    assert combined_hash([a, b]) == combined_hash([b, a])
    assert combined_hash([a, b]) == hashlib.sha256(b"a\x001\nb\x002\n").hexdigest()


def test_write_json_is_sorted_utf8_with_final_newline(tmp_path):
    write_json(tmp_path / "m.json", {"b": 1, "a": "Sở"})
    assert (tmp_path / "m.json").read_bytes() == '{\n  "a": "Sở",\n  "b": 1\n}\n'.encode()


def _fake_report(folder: Path, text: str) -> None:
    folder.mkdir(parents=True)
    write_json(folder / "manifest.json", {"generator": {"command": "tthc review"}})
    (folder / "index.html").write_text(text)


def test_install_replaces_a_previous_report_whole(tmp_path):
    out = tmp_path / "2025"
    _fake_report(out, "cũ")
    (out / "stale.html").write_text("x")
    work = tmp_path / ".2025.tmp-1"
    _fake_report(work, "mới")
    _install(work, out)
    assert (out / "index.html").read_text() == "mới"
    assert not (out / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025"]


def test_install_refuses_to_replace_a_folder_that_is_not_a_report(tmp_path):
    out = tmp_path / "documents"
    out.mkdir()
    (out / "important.docx").write_text("x")
    work = tmp_path / ".documents.tmp-1"
    _fake_report(work, "mới")
    with pytest.raises(BuildError, match="không phải báo cáo"):
        _install(work, out)
    assert (out / "important.docx").exists()


def test_compare_folders_lists_identical_different_missing_and_extra(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        (folder / "notebooks").mkdir(parents=True)
        (folder / "index.html").write_text("giống")
    (a / "x.html").write_text("1")
    (b / "x.html").write_text("2")
    (a / "notebooks" / "old.ipynb").write_text("{}")
    (b / "new.html").write_text("")
    result = compare_folders(a, b)
    assert result.identical == ["index.html"]
    assert result.different == ["x.html"]
    assert result.missing == ["notebooks/old.ipynb"]
    assert result.extra == ["new.html"]
    assert result.exit_code == 1
    assert "Khác nội dung: x.html" in result.summary_vi()


def test_verify_result_exit_codes():
    assert VerifyResult(Path("r"), identical=["a"]).exit_code == 0
    changed = VerifyResult(Path("r"), changed_inputs=["Dữ liệu: nội dung đã thay đổi: a.csv"])
    assert changed.exit_code == 2
    assert "Dữ liệu đầu vào đã thay đổi" in changed.summary_vi()


def test_progress_summary_marks_each_notebook():
    progress = BuildProgress(["00_tong_quan", "01_cong_khai", "02_pakn"], enabled=False)
    progress.update("00_tong_quan", "done")
    progress.update("01_cong_khai", "running")
    assert progress.summary() == "✓00 ▶01_cong_khai đang chạy ·02"


# --- CLI ----------------------------------------------------------------------------------


def test_cli_passes_options_to_build_review(monkeypatch, tmp_path):
    seen = {}

    def fake_build(**kwargs):
        seen.update(kwargs)
        return build_module.BuildResult(tmp_path, ["index.html"], {}, 1.5, True, ["ghi chú"])

    monkeypatch.setattr(build_module, "build_review", fake_build)
    result = CliRunner().invoke(
        cli,
        [
            "review",
            "--year",
            "2025",
            "--as-of",
            "30/06/2025",
            "--period",
            "h1",
            "--data",
            str(tmp_path),
            "--out",
            str(tmp_path / "out"),
            "--jobs",
            "2",
            "--with-code",
            "--unit",
            "Văn phòng Sở",
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    assert seen == {
        "year": 2025,
        "as_of": date(2025, 6, 30),
        "period": "h1",
        "data_dir": tmp_path,
        "out_dir": tmp_path / "out",
        "jobs": 2,
        "with_code": True,
        "units": ["Văn phòng Sở"],
        "notebooks_dir": None,
        "timeout": 600,
        "progress": False,
        "kernels": "auto",
    }
    assert "Đã tạo báo cáo" in result.output
    assert "dữ liệu mẫu giả lập" in result.output
    assert "ghi chú" in result.output


def test_cli_verify_exits_with_the_verification_code(monkeypatch, tmp_path, capsys):
    from tthc_analysis.review import verify as verify_module

    monkeypatch.setattr(
        verify_module,
        "verify_review",
        lambda folder, **kw: VerifyResult(folder, different=["index.html"]),
    )
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "verify", str(tmp_path), "--no-progress"])
    assert exit_info.value.code == 1
    assert "Khác nội dung: index.html" in capsys.readouterr().out


def test_cli_verify_without_manifest_is_an_input_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "verify", str(tmp_path), "--no-progress"])
    assert exit_info.value.code == 2
    assert "manifest.json" in capsys.readouterr().err


def test_styler_tables_get_stable_ids():
    import pandas as pd

    from tthc_analysis.review.export import stable_styler_ids

    def styled() -> str:
        return pd.DataFrame({"x": [1.5, 2.0]}).style.highlight_max().to_html()

    first, second = styled(), styled()
    assert first != second  # pandas picks a random id each time
    assert stable_styler_ids(first) == stable_styler_ids(second)
    assert '<table id="T_s0001">' in stable_styler_ids(first)
    assert "#T_s0001_row1_col0" in stable_styler_ids(first)


def test_concurrent_installs_leave_one_complete_report(tmp_path):
    import threading

    out = tmp_path / "2025"
    works = []
    for i in range(6):
        work = tmp_path / f".2025.tmp-{i}"
        _fake_report(work, f"bản {i}")
        works.append(work)
    threads = [threading.Thread(target=_install, args=(w, out)) for w in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025"]
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "manifest.json"]
    assert (out / "index.html").read_text() in {f"bản {i}" for i in range(6)}


def test_report_tokens_find_numbers_and_emails_but_not_codes_or_hashes():
    from tthc_analysis.review.checks import report_tokens

    text = (
        'Liên hệ 0912345678, "+84987654321" hoặc "Ab.C@Truong.edu.vn"; '
        "mã băm bee057a34608123456789, hồ sơ 000.00.12.H10-251017-0011, 4.419 hồ sơ, "
        "base64 QUJD1234567890QUJD"
    )
    assert report_tokens(text) == {
        "0912345678",
        "84987654321",
        "+84987654321",
        "Ab.C@Truong.edu.vn",
        "ab.c@truong.edu.vn",
    }


def test_check_report_names_the_file_and_column_of_leaked_personal_data(tmp_path):
    import pandas as pd

    from tthc_analysis.review.checks import check_report

    class FakeTables:
        feedback = pd.DataFrame(
            {"sender_phone": ["0912345678", None], "sender_name": ["Bí Mật", "B"]}
        )

    (tmp_path / "index.html").write_text("<p>Tổng số: 1.234</p>")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "01.ipynb").write_text('{"text": "gọi 0912345678"}')
    with pytest.raises(BuildError, match="thông tin cá nhân") as error:
        check_report(tmp_path, FakeTables())
    assert "notebooks/01.ipynb (sender_phone)" in str(error.value)
    assert "0912345678" not in str(error.value)
    (tmp_path / "notebooks" / "01.ipynb").write_text('{"text": "không có số"}')
    check_report(tmp_path, FakeTables())  # clean: no error
    (tmp_path / "x.html").write_text('<img src="https://host/x.png">')
    with pytest.raises(BuildError, match="ngoại tuyến"):
        check_report(tmp_path, FakeTables())


def test_progress_prints_plain_lines_when_not_a_terminal(capsys):
    progress = BuildProgress(["00_tong_quan", "01_cong_khai"], enabled=True)
    progress.update("00_tong_quan", "running")
    progress.update("00_tong_quan", "exporting")
    progress.update("00_tong_quan", "done")
    progress.update("01_cong_khai", "failed")
    progress.close()
    assert capsys.readouterr().err.splitlines() == [
        "[0/2] 00_tong_quan: đang chạy",
        "[1/2] 00_tong_quan: xong",
        "[1/2] 01_cong_khai: lỗi",
    ]
