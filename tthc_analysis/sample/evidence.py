"""Evidence of the 24 plan tasks (activities) and the periodic report submissions.

The rows are written by hand: they are the single source of truth both for the exported
files and for :func:`tthc_analysis.sample.planted.expected_task_statuses`. Every date is
a working day. Evidence of an "ongoing" task is dated between the 1st of a quarter's
first month and the 14th of its last month, so that it falls in the same quarter
whether quarters are calendar quarters or official reporting windows (15th–14th).

Planted gaps: I.4 has no notice for 08/2025; VII.3 has nothing in Quý III/2025 (no
shortfall: its plan text gives no period, so one item in the year suffices); V.1
(deadline 30/06/2025) is completed on 15/07/2025; the 9-month report is sent 4 working
days late; I.6 (on request) has no evidence, so its status is "Chưa có dữ liệu".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

__all__ = ["ACTIVITIES", "REPORTS", "Activity", "Report", "activities_frame", "reports_frame"]

_VP = "Văn phòng"
_TRH = "Phòng Giáo dục Trung học"
_KT = "Phòng Khảo thí và Kiểm định chất lượng giáo dục"
_GDTX = "Phòng Giáo dục thường xuyên - Chuyên nghiệp"
_TCCB = "Phòng Tổ chức cán bộ"
_DONE = "done"
_DOING = "in_progress"
_PLANNED = "planned"


@dataclass(frozen=True)
class Activity:
    """One evidence row (canonical ``activities`` columns)."""

    task_id: str
    date: date
    doc_number: str
    kind: str
    title: str
    status: str
    unit: str
    covers_period: str | None = None
    participants: int | None = None


@dataclass(frozen=True)
class Report:
    """One periodic report (canonical ``report_submissions`` columns)."""

    period_id: str
    report_code: str
    due_on: date
    submitted_on: date | None
    doc_number: str | None


def _quarterly(task: str, rows: list[tuple]) -> list[Activity]:
    out = []
    for quarter, (day, number, kind, title, unit) in zip(
        ("I", "II", "III", "IV"), rows, strict=False
    ):
        if day is None:
            continue
        out.append(Activity(task, day, number, kind, title, _DONE, unit, f"Quý {quarter}/2025"))
    return out


def _notices() -> list[Activity]:
    days = {
        1: date(2025, 2, 6),
        2: date(2025, 3, 7),
        3: date(2025, 4, 8),
        4: date(2025, 5, 8),
        5: date(2025, 6, 6),
        6: date(2025, 7, 8),
        7: date(2025, 8, 7),
        # 8: planted gap, no notice for 08/2025
        9: date(2025, 10, 8),
        10: date(2025, 11, 6),
        11: date(2025, 12, 5),
    }
    numbers = {1: 12, 2: 25, 3: 41, 4: 58, 5: 77, 6: 96, 7: 118, 9: 152, 10: 171, 11: 193}
    return [
        Activity(
            "I.4",
            day,
            f"{numbers[m]}/TB-SGDĐT",
            "Thông báo",
            "Thông báo kết quả thực hiện Bộ chỉ số chỉ đạo, điều hành và đánh giá chất "
            f"lượng phục vụ người dân, doanh nghiệp (Quyết định số 766/QĐ-TTg) tháng {m:02d}/2025",
            _DONE,
            _VP,
            f"{m:02d}/2025",
        )
        for m, day in days.items()
    ]


def _issue13_items() -> list[Activity]:
    """Evidence added for the fair task rules (issue 13).

    I.3's product is "Văn bản của Văn phòng" (required once in the year): one completed
    document, and one planned for 2026 ("Kế hoạch": progress, never completion).
    """
    return [
        Activity("I.3", date(2025, 3, 20), "371/SGDĐT-VP", "Công văn",
                 "Triển khai các tiêu chí Bộ chỉ số 766 năm 2025 tại các phòng có TTHC", _DONE, _VP),
        Activity("I.3", date(2025, 12, 10), "2301/KH-SGDĐT", "Kế hoạch",
                 "Kế hoạch nâng cao điểm Bộ chỉ số 766 năm 2026", _PLANNED, _VP),
    ]  # fmt: skip


ACTIVITIES: tuple[Activity, ...] = (
    *_issue13_items(),
    *_quarterly(
        "I.1",
        [
            (date(2025, 3, 5), "38/KH-SGDĐT", "Kế hoạch", "Kế hoạch triển khai Nghị quyết số 01/NQ-CP, Nghị quyết số 02/NQ-CP và Quyết định số 240/QĐ-TTg về cải cách TTHC trọng tâm năm 2025", _VP),
            (date(2025, 5, 20), "812/SGDĐT-VP", "Công văn", "Đôn đốc các phòng triển khai nhiệm vụ cải cách TTHC trọng tâm năm 2025", _VP),
            (date(2025, 8, 14), "1450/SGDĐT-VP", "Công văn", "Triển khai Quyết định số 1565/QĐ-TTg ngày 18/7/2025 về nâng cao chất lượng dịch vụ công trực tuyến toàn trình", _VP),
            (date(2025, 11, 12), "2105/SGDĐT-VP", "Công văn", "Rà soát kết quả thực hiện chỉ tiêu cải cách TTHC năm 2025", _VP),
        ],
    ),
    *_quarterly(
        "I.2",
        [
            (date(2025, 2, 20), "265/SGDĐT-VP", "Công văn", "Đôn đốc thực hiện chỉ tiêu cải cách TTHC gắn với chuyển đổi số năm 2025", _VP),
            (date(2025, 5, 15), "790/SGDĐT-VP", "Công văn", "Tình hình thực hiện chỉ tiêu cải cách TTHC gắn với chuyển đổi số quý I/2025", _VP),
            (date(2025, 8, 20), "1482/SGDĐT-VP", "Công văn", "Đôn đốc nâng tỷ lệ hồ sơ xử lý hoàn toàn trực tuyến", _VP),
            (date(2025, 11, 18), "2140/SGDĐT-VP", "Công văn", "Đôn đốc hoàn thành chỉ tiêu cải cách TTHC gắn với chuyển đổi số năm 2025", _VP),
        ],
    ),
    *_notices(),
    *_quarterly(
        "I.5",
        [
            (date(2025, 3, 12), "352/SGDĐT-VP", "Công văn", "Chấn chỉnh việc giải quyết hồ sơ TTHC quá hạn", _VP),
            (date(2025, 6, 10), "965/SGDĐT-VP", "Công văn", "Kiểm soát các nhiệm vụ trọng tâm về cải cách TTHC 6 tháng đầu năm 2025", _VP),
            (date(2025, 9, 10), "1618/SGDĐT-VP", "Công văn", "Chấn chỉnh việc số hóa hồ sơ, kết quả giải quyết TTHC", _VP),
            (date(2025, 12, 9), "2296/SGDĐT-VP", "Công văn", "Kiểm soát việc hoàn thành các chỉ tiêu cải cách TTHC năm 2025", _VP),
        ],
    ),
    *_quarterly(
        "II.1",
        [
            (date(2025, 1, 16), "98/SGDĐT-VP", "Văn bản đề xuất", "Đề xuất phương án đơn giản hóa thủ tục chuyển trường đối với học sinh trung học phổ thông", _TRH),
            (date(2025, 4, 22), "655/SGDĐT-VP", "Văn bản đề xuất", "Kiến nghị sửa đổi thành phần hồ sơ thủ tục cấp bản sao văn bằng, chứng chỉ từ sổ gốc", _KT),
            (date(2025, 7, 17), "1262/SGDĐT-VP", "Văn bản đề xuất", "Kiến nghị sửa đổi quy định về thời hạn giải quyết thủ tục cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục", _GDTX),
            (date(2025, 10, 21), "1895/SGDĐT-VP", "Văn bản đề xuất", "Đề xuất bãi bỏ thành phần hồ sơ trùng lặp sau khi kết nối Cơ sở dữ liệu quốc gia về dân cư", _VP),
        ],
    ),
    Activity("III.1", date(2025, 3, 13), "45/GM-VPUBND", "Tập huấn", "Tập huấn nghiệp vụ kiểm soát TTHC năm 2025 do Văn phòng UBND tỉnh tổ chức", _DONE, _VP, "Quý I/2025", 6),
    Activity("III.1", date(2025, 6, 12), "118/GM-VPUBND", "Tập huấn", "Tập huấn sử dụng Hệ thống thông tin giải quyết TTHC tỉnh", _DONE, _VP, "Quý II/2025", 12),
    Activity("III.1", date(2025, 8, 27), "176/GM-VPUBND", "Tập huấn", "Tập huấn vận hành hệ thống giải quyết TTHC sau sắp xếp đơn vị hành chính", _DONE, _VP, "Quý III/2025", 15),
    Activity("III.1", date(2025, 11, 20), "240/GM-VPUBND", "Tập huấn", "Tập huấn số hóa hồ sơ, kết quả giải quyết TTHC theo Nghị định số 107/2021/NĐ-CP", _DONE, _VP, "Quý IV/2025", 10),
    *_quarterly(
        "IV.1",
        [
            (date(2025, 2, 5), "21/TTr-SGDĐT", "Tờ trình", "Đề nghị công bố TTHC được sửa đổi, bổ sung lĩnh vực quy chế thi, tuyển sinh", _VP),
            (date(2025, 6, 12), "96/TTr-SGDĐT", "Tờ trình", "Đề nghị công bố TTHC được sửa đổi, bổ sung lĩnh vực giáo dục trung học", _VP),
            (date(2025, 9, 5), "142/TTr-SGDĐT", "Tờ trình", "Đề nghị công bố TTHC mới ban hành lĩnh vực đào tạo với nước ngoài", _VP),
            (date(2025, 10, 15), "1860/SGDĐT-VP", "Công văn", "Rà soát, cập nhật dữ liệu TTHC trên Cơ sở dữ liệu quốc gia về TTHC", _VP),
        ],
    ),
    Activity("IV.1", date(2025, 3, 4), "35/TTr-SGDĐT", "Tờ trình", "Đề nghị công bố TTHC lĩnh vực giáo dục nghề nghiệp thuộc phạm vi quản lý của Sở", _DONE, _GDTX, "Quý I/2025"),
    *_quarterly(
        "IV.2",
        [
            (date(2025, 2, 25), "30/TTr-SGDĐT", "Tờ trình", "Đề nghị phê duyệt quy trình nội bộ giải quyết TTHC lĩnh vực quy chế thi, tuyển sinh", _VP),
            (date(2025, 4, 15), "61/TTr-SGDĐT", "Tờ trình", "Đề nghị phê duyệt quy trình nội bộ giải quyết TTHC lĩnh vực giáo dục nghề nghiệp", _GDTX),
            (date(2025, 7, 10), "110/TTr-SGDĐT", "Tờ trình", "Đề nghị phê duyệt quy trình nội bộ, quy trình điện tử TTHC lĩnh vực giáo dục trung học", _VP),
            (date(2025, 10, 8), "150/TTr-SGDĐT", "Tờ trình", "Đề nghị phê duyệt quy trình nội bộ TTHC lĩnh vực đào tạo với nước ngoài", _VP),
        ],
    ),
    Activity("V.1", date(2025, 5, 6), "725/SGDĐT-VP", "Công văn", "Rà soát bộ TTHC nội bộ đã công bố, đề xuất phương án đơn giản hóa theo Kế hoạch số 316/KH-UBND", _DOING, _TRH),
    Activity("V.1", date(2025, 7, 15), "1185/TTr-SGDĐT", "Tờ trình", "Đề nghị ban hành Quyết định thông qua phương án đơn giản hóa TTHC nội bộ ngành Giáo dục và Đào tạo", _DONE, _VP),
    *_quarterly(
        "V.2",
        [
            (date(2025, 1, 22), "12/TTr-SGDĐT", "Tờ trình", "Đề nghị ủy quyền giải quyết TTHC công nhận trường đạt chuẩn quốc gia", _TRH),
            (date(2025, 4, 17), "64/TTr-SGDĐT", "Tờ trình", "Đề nghị phân cấp giải quyết TTHC lĩnh vực giáo dục thường xuyên", _GDTX),
            (date(2025, 7, 24), "1301/QĐ-SGDĐT", "Quyết định", "Ủy quyền cho Trưởng phòng Khảo thí ký bản sao văn bằng, chứng chỉ từ sổ gốc", _KT),
            (date(2025, 10, 28), "1932/SGDĐT-VP", "Công văn", "Rà soát TTHC có thể phân cấp, ủy quyền giải quyết năm 2026", _VP),
        ],
    ),
    Activity("V.3", date(2025, 4, 10), "590/KH-SGDĐT", "Kế hoạch", "Kế hoạch rà soát, đánh giá chất lượng dịch vụ công trực tuyến đang cung cấp", _DOING, _VP),
    Activity("V.3", date(2025, 6, 10), "101/BC-SGDĐT", "Báo cáo", "Báo cáo kết quả rà soát, đánh giá chất lượng dịch vụ công trực tuyến trên Hệ thống thông tin giải quyết TTHC tỉnh", _DONE, _VP),
    Activity("VI.2", date(2025, 3, 10), "40/TTr-SGDĐT", "Tờ trình", "Đề nghị công bố danh mục dịch vụ công trực tuyến toàn trình, một phần năm 2025", _DONE, _VP),
    Activity("VI.2", date(2025, 8, 12), "131/TTr-SGDĐT", "Tờ trình", "Đề nghị điều chỉnh mức độ dịch vụ công trực tuyến lĩnh vực giáo dục nghề nghiệp", _DONE, _GDTX),
    *_quarterly(
        "VII.3",
        [
            (date(2025, 2, 18), "250/SGDĐT-VP", "Công văn", "In ấn pano tuyên truyền cải cách TTHC tại Bộ phận Một cửa", _VP),
            (date(2025, 5, 8), "745/SGDĐT-VP", "Công văn", "In áp phích hướng dẫn nộp hồ sơ trực tuyến, thanh toán trực tuyến", _VP),
            (None, "", "", "", ""),  # planted gap: nothing in Quý III/2025
            (date(2025, 10, 16), "1872/SGDĐT-VP", "Công văn", "Tuyên truyền dịch vụ công trực tuyến toàn trình trên trang thông tin điện tử của Sở", _VP),
        ],
    ),
    Activity("VII.3", date(2025, 12, 4), "2270/SGDĐT-VP", "Công văn", "In áp phích mã QR tra cứu tiến độ giải quyết hồ sơ", _DONE, _VP, "Quý IV/2025"),
    Activity("VIII.1", date(2025, 2, 19), "28/BC-SGDĐT", "Báo cáo", "Báo cáo đột xuất tình hình giải quyết TTHC dịp Tết Nguyên đán Ất Tỵ", _DONE, _VP, "Quý I/2025"),
    Activity("VIII.1", date(2025, 3, 17), "45/BC-SGDĐT", "Báo cáo", "Báo cáo kết quả kiểm soát TTHC, thực hiện cơ chế một cửa, một cửa liên thông quý I/2025", _DONE, _VP, "Quý I/2025"),
    Activity("VIII.1", date(2025, 5, 14), "80/BC-SGDĐT", "Báo cáo", "Báo cáo đột xuất về tình hình số hóa hồ sơ, kết quả giải quyết TTHC", _DONE, _VP, "Quý II/2025"),
    Activity("VIII.1", date(2025, 6, 17), "105/BC-SGDĐT", "Báo cáo", "Báo cáo kết quả kiểm soát TTHC, thực hiện cơ chế một cửa, một cửa liên thông 6 tháng đầu năm 2025", _DONE, _VP, "Quý II/2025"),
    Activity("VIII.1", date(2025, 8, 13), "138/BC-SGDĐT", "Báo cáo", "Báo cáo đột xuất về tình hình giải quyết TTHC sau sắp xếp đơn vị hành chính", _DONE, _VP, "Quý III/2025"),
    Activity("VIII.1", date(2025, 9, 24), "160/BC-SGDĐT", "Báo cáo", "Báo cáo kết quả kiểm soát TTHC, thực hiện cơ chế một cửa, một cửa liên thông 9 tháng năm 2025", _DONE, _VP, "Quý III/2025"),
    Activity("VIII.1", date(2025, 11, 11), "196/BC-SGDĐT", "Báo cáo", "Báo cáo đột xuất về tỷ lệ hồ sơ xử lý hoàn toàn trực tuyến", _DONE, _VP, "Quý IV/2025"),
    Activity("VIII.1", date(2025, 12, 16), "221/BC-SGDĐT", "Báo cáo", "Báo cáo kết quả kiểm soát TTHC, thực hiện cơ chế một cửa, một cửa liên thông năm 2025", _DONE, _VP, "Quý IV/2025"),
)  # fmt: skip
"""Evidence rows, in date order within each task."""

REPORTS: tuple[Report, ...] = (
    Report("Q1", "06/VPCP/KSTT", date(2025, 3, 18), date(2025, 3, 17), "45/BC-SGDĐT"),
    Report("H1", "06/VPCP/KSTT", date(2025, 6, 18), date(2025, 6, 17), "105/BC-SGDĐT"),
    # PLANTED: sent 4 working days late
    Report("9M", "06/VPCP/KSTT", date(2025, 9, 18), date(2025, 9, 24), "160/BC-SGDĐT"),
    Report("Y", "06/VPCP/KSTT", date(2025, 12, 18), date(2025, 12, 16), "221/BC-SGDĐT"),
)
"""Periodic reports of 2025 with their deadlines and the dates they were sent."""


def activities_frame() -> pd.DataFrame:
    """The evidence rows as a canonical ``activities`` frame (sorted by date)."""
    df = pd.DataFrame([a.__dict__ for a in ACTIVITIES])
    df["date"] = pd.to_datetime(df["date"])
    df["participants"] = df["participants"].astype("Int64")
    return df.sort_values(["date", "task_id"], kind="stable").reset_index(drop=True)


def reports_frame() -> pd.DataFrame:
    """The report submissions as a canonical ``report_submissions`` frame."""
    df = pd.DataFrame([r.__dict__ for r in REPORTS])
    for column in ("due_on", "submitted_on"):
        df[column] = pd.to_datetime(df[column])
    return df
