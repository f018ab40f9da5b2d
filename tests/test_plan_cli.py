"""``tthc plan`` sub-commands through click's CliRunner."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tthc_analysis.cli import cli
from tthc_analysis.config import PROJECT_ROOT
from tthc_analysis.plan import BUNDLED_PLAN, BUNDLED_SOURCE, TASK_JSON_KEYS, load_plan
from tthc_analysis.plan.export import plan_to_records

PLANS = Path(__file__).parent / "data" / "plans"
SHARED_SEED = PROJECT_ROOT.parent / "shared" / "seed" / "000_53fb5994f224bc72.txt"


def run(*args):
    return CliRunner().invoke(cli, ["plan", *map(str, args)])


def check_json_output(result):
    assert result.exit_code == 0, result.output
    tasks = json.loads(result.stdout_bytes.decode("utf-8"))
    assert len(tasks) == 24
    assert all(tuple(task) == TASK_JSON_KEYS for task in tasks)
    assert tasks == plan_to_records(load_plan())
    v1 = next(t for t in tasks if t["task_id"] == "V.1")
    assert (v1["cadence"], v1["deadline"], v1["partner_units"]) == (
        "deadline",
        "2025-06-30",
        ["Văn phòng"],
    )
    assert tasks[0]["deadline"] is None


def test_parse_json_equals_the_bundled_table():
    check_json_output(run("parse", BUNDLED_SOURCE, "--format", "json"))


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="shared seed folder not present")
def test_parse_the_shared_seed():
    check_json_output(run("parse", SHARED_SEED, "--format", "json"))


def test_parse_csv_reproduces_the_bundled_file():
    result = run("parse", BUNDLED_SOURCE, "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout_bytes == BUNDLED_PLAN.read_bytes()


def test_parse_to_output_files(tmp_path):
    out = tmp_path / "plan.csv"
    result = run("parse", BUNDLED_SOURCE, "--format", "csv", "--output", out)
    assert result.exit_code == 0
    assert out.read_bytes() == BUNDLED_PLAN.read_bytes()
    assert (tmp_path / "plan_meta.json").read_bytes() == (
        BUNDLED_PLAN.with_name("plan_2025_meta.json").read_bytes()
    )
    assert "Đã ghi 24 nhiệm vụ" in result.stderr


def test_show_prints_a_readable_table():
    result = run("show")
    assert result.exit_code == 0
    lines = result.stdout_bytes.decode("utf-8").splitlines()
    assert max(len(line) for line in lines) <= 120
    assert "9 mục, 24 nhiệm vụ." in lines
    assert "I. Triển khai, thực hiện chỉ tiêu cải cách thủ tục hành chính" in lines
    v1 = next(line for line in lines if line.startswith("V.1 "))
    assert "Hoàn thành T6/2025" in v1 and v1.endswith("30/06/2025")
    assert next(line for line in lines if line.startswith("I.4 ")).endswith("Hàng tháng")


def test_show_other_formats():
    result = run("show", "--format", "json")
    assert len(json.loads(result.stdout_bytes)) == 24


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("loi_khong_co_bang.txt", None),
        ("loi_nhiem_vu_ngoai_muc.txt", 4),
        ("loi_trung_ma_nhiem_vu.txt", 8),
        ("loi_thua_cot.txt", 4),
    ],
)
def test_malformed_document_exits_2_without_traceback(name, line):
    result = run("parse", PLANS / name, "--format", "json")
    assert result.exit_code == 2
    assert result.stdout_bytes == b""
    assert result.stderr.startswith("Lỗi: ")
    assert "Traceback" not in result.stderr
    if line is not None:
        assert f"Dòng: {line}" in result.stderr


def test_missing_file_exits_2():
    result = run("parse", PLANS / "khong_co.txt")
    assert result.exit_code == 2
    assert "Không tìm thấy tệp kế hoạch" in result.stderr


def test_warnings_go_to_stderr(tmp_path):
    path = tmp_path / "k.txt"
    path.write_text(
        "STT\tNội dung công việc\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian thực hiện\t"
        "Sản phẩm dự kiến hoàn thành\nI\tMục\t\t\t\t\n1\tViệc\tVăn phòng\t\tCả năm\tx\n",
        encoding="utf-8",
    )
    result = run("parse", path)
    assert result.exit_code == 0
    assert "Cảnh báo: Dòng 3, nhiệm vụ I.1: Không nhận ra thời gian thực hiện «Cả năm»" in (
        result.stderr
    )
    assert json.loads(result.stdout_bytes)[0]["cadence"] == "unparsed"


def test_lint_default_reports_the_766_conflict():
    result = run("lint")
    assert result.exit_code == 0
    text = result.stdout_bytes.decode("utf-8")
    assert "766/QĐ-TTg được dẫn với 2 ngày ban hành khác nhau" in text
    assert text.endswith("Tổng cộng: 3 cảnh báo, 2 thông tin.\n")
