"""Plan lint: internal inconsistencies of the plan (tthc_analysis.plan.lint)."""

from datetime import date

import pytest

from tthc_analysis.plan import BUNDLED_SOURCE, format_issues, issues_frame, lint_plan, load_plan
from tthc_analysis.plan.refs import find_legal_refs, parse_vi_date

HEADER = (
    "STT\tNội dung công việc\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian thực hiện"
    "\tSản phẩm dự kiến hoàn thành"
)


@pytest.fixture(scope="module")
def seed_issues():
    return lint_plan(BUNDLED_SOURCE)


def test_seed_findings(seed_issues):
    found = [(i.code, i.severity, i.line, i.task_id) for i in seed_issues]
    assert found == [
        ("doc_number_form", "warning", 9, None),
        ("legal_date_conflict", "warning", 50, "I.3"),
        ("cadence_hint", "warning", 79, "VIII.1"),
        ("numeric_target", "info", 81, "IX.1"),
        ("numeric_target", "info", 81, "IX.1"),
    ]


def test_seed_766_date_conflict(seed_issues):
    issue = next(i for i in seed_issues if i.code == "legal_date_conflict")
    assert issue.message_vi == (
        "Văn bản 766/QĐ-TTg được dẫn với 2 ngày ban hành khác nhau: 23/06/2022 (dòng 50, "
        "I.3); 23/06/2023 (dòng 51, I.4). Cần đối chiếu văn bản gốc và thống nhất."
    )


def test_seed_own_number_written_two_ways(seed_issues):
    issue = seed_issues[0]
    assert issue.message_vi == (
        "Số hiệu của chính văn bản được viết không thống nhất: «655 /SGDDT-VP» (dòng 9), "
        "«655 /SGDDĐT-VP» (dòng 42). Cách viết chuẩn: «655/SGDĐT-VP»."
    )


def test_seed_periodic_duty_and_targets(seed_issues):
    hint = next(i for i in seed_issues if i.code == "cadence_hint")
    assert "«Định kỳ báo cáo Quý 1, quý 2, Quý 3»" in hint.message_vi
    assert "cadence quarterly" in hint.message_vi
    targets = [i.message_vi for i in seed_issues if i.code == "numeric_target"]
    assert targets[0].startswith("Nhiệm vụ IX.1 nêu chỉ tiêu định lượng 100%: «phấn đấu đến hết")
    assert targets[1] == (
        "Nhiệm vụ IX.1 nêu chỉ tiêu định lượng 80%: «tối thiểu 80% hồ sơ TTHC được xử lý "
        "hoàn toàn trực tuyến» (thời hạn: đến hết năm 2025). Cần có chỉ số để theo dõi."
    )


def test_lint_of_a_plan_object_has_task_locations_only():
    issues = lint_plan(load_plan())
    assert [(i.code, i.line, i.task_id) for i in issues] == [
        ("legal_date_conflict", None, "I.3"),
        ("cadence_hint", None, "VIII.1"),
        ("numeric_target", None, "IX.1"),
        ("numeric_target", None, "IX.1"),
    ]


def test_lint_default_is_the_bundled_document(seed_issues):
    assert lint_plan() == seed_issues


def test_other_findings(tmp_path):
    path = tmp_path / "ke_hoach.txt"
    lines = [
        "UBND TỈNH BÌNH PHƯỚC",  # 1
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",  # 2
        "Số: 9/SGDĐT-VP",  # 3
        "Bình Phước, ngày 02 tháng 01 năm 2025",  # 4
        "",  # 5
        "KẾ HOẠCH NĂM 2025",  # 6
        "",  # 7
        "(kèm theo Công văn số 9/SGDĐT-VP ngày 03/01/2025)",  # 8
        HEADER,  # 9
        "I\tMục một\t\t\t\t",  # 10
        "1\tViệc một\tBan ABC\tVăn phòng\tKhi nào xong\tVăn bản",  # 11
        "3\tViệc hai\t\tCác phòng\tQuý I/2026\t",  # 12
        "III\tMục ba\t\t\t\t",  # 13
        "1\tBáo cáo hàng tháng\tVăn phòng\tBan ABC\tThường xuyên\tBáo cáo",  # 14
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    found = [(i.code, i.severity, i.line, i.task_id) for i in lint_plan(path)]
    assert found == [
        ("numbering_gap", "warning", None, None),  # sections I, III
        ("doc_date_conflict", "warning", 8, None),
        ("timeframe_unparsed", "warning", 11, "I.1"),
        ("unknown_unit", "warning", 11, "I.1"),
        ("numbering_gap", "warning", 11, "I.1"),  # tasks 1, 3
        ("deadline_outside_year", "warning", 12, "I.3"),
        ("missing_field", "warning", 12, "I.3"),
        ("cadence_hint", "warning", 14, "III.1"),
        ("missing_field", "info", 12, "I.3"),
    ]
    unknown = next(i for i in lint_plan(path) if i.code == "unknown_unit")
    assert "«Ban ABC» (nhiệm vụ I.1, III.1)" in unknown.message_vi


def test_cadence_override_is_reported(tmp_path):
    path = tmp_path / "ke_hoach_2025.csv"
    path.write_text(
        "task_id,section_title,content,lead_unit,timeframe_text,cadence,deadline,expected_output\n"
        "VIII.1,Báo cáo,Báo cáo,Văn phòng,Thường xuyên,quarterly,,Báo cáo\n",
        encoding="utf-8",
    )
    issues = [i for i in lint_plan(path) if i.code == "cadence_override"]
    assert [(i.severity, i.task_id) for i in issues] == [("info", "VIII.1")]
    assert "«Hàng quý»" in issues[0].message_vi and "«Thường xuyên»" in issues[0].message_vi


def test_issue_listing(seed_issues):
    frame = issues_frame(seed_issues)
    assert list(frame.columns) == ["code", "severity", "message_vi", "line", "task_id"]
    assert frame["line"].tolist() == [9, 50, 79, 81, 81]
    text = format_issues(seed_issues)
    assert text.splitlines()[1].startswith("[cảnh báo] dòng 50, I.3: Văn bản 766/QĐ-TTg")
    assert text.endswith("Tổng cộng: 3 cảnh báo, 2 thông tin.\n")
    assert format_issues([]) == "Không phát hiện vấn đề nào trong kế hoạch.\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("23/6/2023", date(2023, 6, 23)),
        ("23 tháng 6 năm 2022", date(2022, 6, 23)),
        ("23  tháng  06  năm 2022", date(2022, 6, 23)),
        ("31/02/2022", None),
        ("tháng 6", None),
    ],
)
def test_vietnamese_dates(text, expected):
    assert parse_vi_date(text) == expected


def test_legal_references():
    text = (
        "Nghị quyết số 01/NQ-CP và Nghị quyết số 02/NQ-CP ngày 08/01/2025; Nghị định số "
        "42/2022/NĐ-CP ngày 24/6/2022; Công văn số: 655 /SGDDĐT-VP ngày 27 tháng 02 năm 2025"
    )
    refs = [(r.key, r.raw, r.date) for r in find_legal_refs(text)]
    assert refs == [
        ("01/nq-cp", "01/NQ-CP", None),
        ("02/nq-cp", "02/NQ-CP", date(2025, 1, 8)),
        ("42/2022/nđ-cp", "42/2022/NĐ-CP", date(2022, 6, 24)),
        ("655/sgddđt-vp", "655 /SGDDĐT-VP", date(2025, 2, 27)),
    ]
