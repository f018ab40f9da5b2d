"""Building a report from the fixture notebooks (real kernels): content, privacy,
reproducibility, failure handling."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest

from tthc_analysis.errors import BuildError
from tthc_analysis.review.build import build_review
from tthc_analysis.review.export import external_references
from tthc_analysis.review.verify import changed_inputs, verify_review

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data"
RAW = DATA / "review_raw"
NOTEBOOKS = DATA / "notebooks" / "report"
BROKEN = DATA / "notebooks" / "broken"

EXPECTED_FILES = [
    "00_tong_quan.html",
    "01_phan_anh.html",
    "02_cong_khai.html",
    "bieu_06_2025-Y.xlsx",
    "chat_luong_du_lieu.html",
    "du_lieu_bi_loai.xlsx",
    "index.html",
    "manifest.json",
    "notebooks/00_tong_quan.ipynb",
    "notebooks/01_phan_anh.ipynb",
    "notebooks/02_cong_khai.ipynb",
]
PERSONAL_VALUES = ["Người Gửi Bí Mật", "0900000001", "0900000030"]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("review") / "2025"
    result = build_review(
        year=2025,
        period="year",
        data_dir=RAW,
        out_dir=out,
        notebooks_dir=NOTEBOOKS,
        jobs=2,
        progress=False,
    )
    assert result.is_sample
    return result.out_dir


def _all_text(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            return "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    return path.read_text(encoding="utf-8")


def test_report_has_every_expected_file(report):
    files = sorted(p.relative_to(report).as_posix() for p in report.rglob("*") if p.is_file())
    assert files == EXPECTED_FILES
    assert not [p for p in report.parent.iterdir() if p.name.startswith(".")]  # no temp left


def test_rebuild_from_the_manifest_is_byte_identical(report):
    result = verify_review(report, data_dir=RAW, jobs=2, progress=False)
    assert result.exit_code == 0, result.summary_vi()
    assert result.elsewhere  # rebuilt from a copy of the data in another folder
    assert "từ bản sao dữ liệu đặt ở thư mục khác" in result.summary_vi()
    assert result.identical == EXPECTED_FILES
    assert result.different == [] and result.missing == [] and result.extra == []


def test_pages_are_offline_vietnamese_with_header_and_footer(report):
    for page in sorted(report.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert external_references(text) == [], page.name
        assert '<html lang="vi">' in text
        assert "Số liệu chốt đến ngày" in text and "31/12/2025" in text
        assert "Năm 2025 (15/12/2024 – 14/12/2025)" in text
        assert "Dữ liệu mẫu giả lập, không phải số liệu thật." in text
        assert "Nguồn gốc số liệu" in text and "SHA-256" in text
        assert "@page { size: A4" in text
        assert "require.js" not in text and "MathJax" not in text
    index = (report / "index.html").read_text(encoding="utf-8")
    for href in ("00_tong_quan.html", "01_phan_anh.html", "02_cong_khai.html"):
        assert f'href="{href}"' in index
    assert "Kết quả theo 9 phần của kế hoạch" in index
    assert 'href="du_lieu_bi_loai.xlsx"' in index and 'href="manifest.json"' in index
    section = (report / "01_phan_anh.html").read_text(encoding="utf-8")
    assert "Mục I. Tiếp nhận, xử lý phản ánh, kiến nghị" in section
    assert 'id="tbl-danh-sach-pakn"' in section
    assert 'href="index.html"' in section


def test_code_is_hidden_by_default(report):
    page = (report / "00_tong_quan.html").read_text(encoding="utf-8")
    assert "tv.setup_notebook" not in page
    assert "injected parameters" not in page


def test_untrusted_feedback_text_is_escaped(report):
    page = (report / "01_phan_anh.html").read_text(encoding="utf-8")
    assert "<script>alert('pakn-xss')" not in page
    assert "<img src=x onerror" not in page
    assert "&lt;script&gt;alert('pakn-xss')&lt;/script&gt;" in page  # printed text
    assert page.count("alert(") == page.count("&lt;script&gt;alert(") + page.count(
        "&lt;img src=x onerror=alert("
    )


def test_no_personal_data_in_any_report_file(report):
    for path in sorted(report.rglob("*")):
        if path.is_file():
            text = _all_text(path)
            for value in PERSONAL_VALUES:
                assert value not in text, f"{value} in {path.name}"


def test_manifest_records_parameters_inputs_and_versions(report):
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    params = manifest["parameters"]
    assert {k: params[k] for k in ("year", "period", "period_id", "as_of", "units")} == {
        "year": 2025,
        "period": "year",
        "period_id": "2025-Y",
        "as_of": "2025-12-31",
        "units": None,
    }
    assert params["data_dir"] == "review_raw"  # the folder's name, no machine path
    assert manifest["inputs"]["data_dir"] == "review_raw"
    assert params["notebooks_dir"] == "tests/data/notebooks/report"  # relative to the project
    csv = RAW / "feedback" / "pakn_2025.csv"
    by_path = {f["path"]: f for f in manifest["inputs"]["files"]}
    assert sorted(by_path) == ["README.md", "SAMPLE.json", "feedback/pakn_2025.csv"]
    assert (
        by_path["feedback/pakn_2025.csv"]["sha256"] == hashlib.sha256(csv.read_bytes()).hexdigest()
    )
    assert manifest["inputs"]["is_sample"] is True
    assert manifest["packages"]["pandas"] and manifest["packages"]["python"]
    assert manifest["plan"]["files"], "the plan's files are hashed"
    outputs = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    assert sorted(outputs) == [f for f in EXPECTED_FILES if f != "manifest.json"]
    for path, digest in outputs.items():
        assert hashlib.sha256((report / path).read_bytes()).hexdigest() == digest
    assert [n["name"] for n in manifest["notebooks"]] == [
        "00_tong_quan",
        "01_phan_anh",
        "02_cong_khai",
    ]


def test_executed_notebooks_carry_the_injected_parameters_and_no_timing(report):
    nb = nbformat.read(report / "notebooks" / "01_phan_anh.ipynb", as_version=4)
    injected = [c for c in nb.cells if c["id"] == "injected-parameters"]
    assert len(injected) == 1
    assert "interactive = False" in injected[0].source
    assert "data_dir = 'review_raw'" in injected[0].source  # no machine path
    assert "papermill" not in nb.metadata and "widgets" not in nb.metadata
    assert all("execution" not in c.metadata for c in nb.cells)
    assert any(c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_changed_inputs_are_named(report):
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    manifest["inputs"]["files"][2]["sha256"] = "0" * 64
    manifest["notebooks"][0]["source_sha256"] = "0" * 64
    changes = changed_inputs(manifest, RAW)
    assert changes == [
        "Dữ liệu: nội dung đã thay đổi: feedback/pakn_2025.csv",
        "Notebook: nội dung đã thay đổi: tests/data/notebooks/report/00_tong_quan.ipynb",
    ]
    # the report names its data folder by name only: elsewhere, it must be given
    assert changed_inputs(manifest) == [
        "Không tìm thấy thư mục dữ liệu «review_raw» với đúng các tệp đã dùng khi tạo báo cáo "
        "(chỉ ra thư mục bằng --data)."
    ]


def test_failing_notebook_stops_the_build_and_keeps_the_previous_report(report, tmp_path):
    out = tmp_path / "2025"
    shutil.copytree(report, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(BuildError) as error:
        build_review(  # spawned kernels here: the other code path
            data_dir=RAW, out_dir=out, notebooks_dir=BROKEN, jobs=2, progress=False, kernels="spawn"
        )
    message = str(error.value)
    assert "Notebook «01_loi» bị lỗi ở ô số 4" in message
    assert 'raise ValueError("Lỗi cố ý để kiểm thử")' in message
    assert "ValueError: Lỗi cố ý để kiểm thử" in message
    assert error.value.exit_code == 1
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025"]


def _processes_with(marker: str) -> list[int]:
    """Processes whose environment holds ``marker`` (the build and its kernels)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker.encode() in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


@pytest.mark.serial
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc (Linux)")
def test_ctrl_c_stops_the_kernels_and_leaves_nothing_behind(tmp_path, interruptible):
    import os
    import signal
    import subprocess
    import sys
    import time
    import uuid

    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    marker = f"tthc-test-{uuid.uuid4().hex}"
    env = dict(os.environ, REVIEW_TEST_MARKER=marker)
    command = [sys.executable, "-m", "tthc_analysis", "review", "--data", str(raw)]
    command += ["--out", str(tmp_path / "out"), "--no-progress"]
    command += ["--notebooks", str(DATA / "notebooks" / "slow")]
    build = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **interruptible
    )
    flag = tmp_path / "kernel-started.flag"
    deadline = time.monotonic() + 120
    while not flag.exists() and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert flag.exists(), build.communicate(timeout=30)
    build.send_signal(signal.SIGINT)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 130, err.decode()
    assert "Đã dừng theo yêu cầu." in err.decode()
    deadline = time.monotonic() + 20
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_with(marker) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kernel-started.flag", "raw"]


def test_a_page_showing_personal_data_stops_the_build(tmp_path):
    nb = nbformat.read(NOTEBOOKS / "01_phan_anh.ipynb", as_version=4)
    leak = nbformat.v4.new_code_cell('print("Liên hệ:", pakn.loc[0, "sender_phone"])')
    leak["id"] = "leak"
    nb.cells.append(leak)
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(nb, folder / "01_phan_anh.ipynb")
    with pytest.raises(BuildError, match="thông tin cá nhân") as error:
        build_review(data_dir=RAW, out_dir=tmp_path / "out", notebooks_dir=folder, progress=False)
    message = str(error.value)
    # the page and the input cell that carried it, never the value
    assert (
        "01_phan_anh.html: số điện thoại, từ tệp feedback/pakn_2025.csv, dòng 2, "
        "cột «Số điện thoại»" in message
    )
    assert "notebooks/01_phan_anh.ipynb: số điện thoại" in message
    assert "0900000001" not in message
    assert not (tmp_path / "out").exists()


def test_the_same_inputs_in_another_folder_give_the_same_bytes_and_no_machine_path(
    report, tmp_path
):
    from tthc_analysis.config import PROJECT_ROOT

    elsewhere = tmp_path / "mot" / "thu muc" / "khac" / "review_raw"
    shutil.copytree(RAW, elsewhere)
    other = build_review(
        data_dir=elsewhere,
        out_dir=tmp_path / "out",
        notebooks_dir=NOTEBOOKS,
        jobs=2,
        progress=False,
    ).out_dir
    files = sorted(p.relative_to(report).as_posix() for p in report.rglob("*") if p.is_file())
    assert files == EXPECTED_FILES
    for name in files:
        assert (other / name).read_bytes() == (report / name).read_bytes(), name
    machine = [str(PROJECT_ROOT), str(tmp_path), str(RAW.resolve()), str(Path.home())]
    for path in other.rglob("*"):
        if path.is_file():
            text = _all_text(path) if path.suffix in (".xlsx", ".html", ".json", ".ipynb") else ""
            assert not [m for m in machine if m in text], path.name
