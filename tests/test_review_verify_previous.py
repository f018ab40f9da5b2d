"""``tthc review verify`` checks the previous year's folder of ``--previous-data`` (issue 18).

The manifest records the hashes of the previous year's files (``previous_inputs``); a
change there is reported like a change of the data folder (exit code 2, nothing
rebuilt), and an unchanged folder is rebuilt from a copy placed elsewhere.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tthc_analysis.cli import main
from tthc_analysis.review.build import build_review
from tthc_analysis.review.verify import changed_inputs, find_previous_dir, verify_review

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data"
RAW = DATA / "review_raw"
NOTEBOOKS = DATA / "notebooks" / "report"
PREVIOUS_FILE = "feedback/pakn_2025.csv"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A report of the fixture data with a previous-year folder given apart."""
    root = tmp_path_factory.mktemp("prev")
    previous = root / "du_lieu_2024"
    shutil.copytree(RAW, previous)
    out = build_review(
        year=2025,
        period="year",
        data_dir=RAW,
        out_dir=root / "report",
        notebooks_dir=NOTEBOOKS,
        jobs=2,
        progress=False,
        previous_data_dir=previous,
    ).out_dir
    return out, previous


def _manifest(report: Path) -> dict:
    return json.loads((report / "manifest.json").read_text(encoding="utf-8"))


def test_manifest_records_the_previous_year_files(built):
    report, previous = built
    manifest = _manifest(report)
    assert manifest["parameters"]["previous_data_dir"] == "du_lieu_2024"  # name only
    paths = [f["path"] for f in manifest["previous_inputs"]["files"]]
    assert paths == ["README.md", "SAMPLE.json", PREVIOUS_FILE]


def test_unchanged_previous_year_rebuilds_byte_identical(built):
    report, previous = built
    result = verify_review(report, data_dir=RAW, previous_dir=previous, jobs=2, progress=False)
    assert result.exit_code == 0, result.summary_vi()
    assert "manifest.json" in result.identical


def test_a_changed_previous_year_file_is_reported_and_nothing_rebuilt(built, tmp_path, capsys):
    report, previous = built
    changed = tmp_path / "du_lieu_2024"
    shutil.copytree(previous, changed)
    with (changed / PREVIOUS_FILE).open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert changed_inputs(_manifest(report), RAW, previous_dir=changed) == [
        f"Dữ liệu năm trước: nội dung đã thay đổi: {PREVIOUS_FILE}"
    ]
    result = verify_review(report, data_dir=RAW, previous_dir=changed, progress=False)
    assert result.exit_code == 2
    assert result.identical == [] and result.different == []  # not rebuilt
    # the same through the command line
    argv = ["review", "verify", str(report), "--data", str(RAW)]
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--previous-data", str(changed), "--no-progress"])
    assert stop.value.code == 2
    out = capsys.readouterr().out
    assert "Dữ liệu đầu vào đã thay đổi" in out
    assert f"Dữ liệu năm trước: nội dung đã thay đổi: {PREVIOUS_FILE}" in out


def test_a_missing_or_unrecorded_previous_year_folder_is_reported(built):
    report, _ = built
    manifest = _manifest(report)
    # not given and not found by its name (outside the project, in a temporary folder)
    assert find_previous_dir(manifest) is None
    assert changed_inputs(manifest, RAW) == [
        "Dữ liệu năm trước: không tìm thấy thư mục «du_lieu_2024» đã dùng khi tạo báo cáo "
        "(chỉ ra thư mục bằng --previous-data)."
    ]
    # a manifest of an older version names the folder but not its files
    manifest["previous_inputs"] = None
    assert changed_inputs(manifest, RAW) == [
        "Dữ liệu năm trước: manifest.json không ghi các tệp của thư mục «du_lieu_2024» (báo "
        "cáo tạo bằng phiên bản cũ), không kiểm tra được."
    ]
