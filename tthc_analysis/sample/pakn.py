"""Synthetic feedback (PAKN) received by the Sở in 2025.

About 30 items: most handled within 15 working days and published within 2 working
days. Planted: exactly one item handled late (received 04/08/2025, handled 28/08/2025,
18 working days); one item whose text contains HTML and script (for escaping tests);
one rejected item (not accepted); two items still open at the cut-off, within time.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from tthc_analysis.fields import dataset_fields
from tthc_analysis.sample.people import fake_people
from tthc_analysis.workdays import WorkCalendar

__all__ = ["HTML_CONTENT", "LATE_ITEM", "generate_feedback"]

HTML_CONTENT = (
    "Tôi nộp hồ sơ chuyển trường trực tuyến nhưng hệ thống báo lỗi <script>alert('x')</script> "
    "kèm ảnh chụp <img src=x onerror=alert(1)> và đường dẫn "
    '<a href="javascript:alert(document.cookie)">xem tại đây</a>; đề nghị Sở kiểm tra.'
)
"""PLANTED: untrusted citizen text with HTML and script, to test escaping."""

LATE_ITEM = {"received_on": date(2025, 8, 4), "handled_on": date(2025, 8, 28)}
"""PLANTED: the one item handled after the 15-working-day limit (18 working days)."""

_TOPICS = (
    ("regulation", "1.005092", "Đề nghị hướng dẫn thủ tục cấp bản sao bằng tốt nghiệp THPT khi bị mất bản chính và không còn giấy tờ tùy thân cũ."),
    ("regulation", "2.001914", "Kiến nghị cho phép chỉnh sửa ngày sinh trên văn bằng theo Căn cước công dân mà không cần giấy khai sinh bản chính."),
    ("conduct", "2.001914", "Phản ánh việc chậm trả kết quả chỉnh sửa nội dung văn bằng so với ngày hẹn trên phiếu tiếp nhận."),
    ("regulation", "1.004831", "Kiến nghị rút ngắn thời gian giải quyết thủ tục chuyển trường cho học sinh theo cha mẹ chuyển công tác."),
    ("regulation", "1.005144", "Đề nghị cho phép thanh toán lệ phí phúc khảo bài thi bằng ví điện tử trên Cổng dịch vụ công."),
    ("conduct", "1.005144", "Phản ánh cán bộ tiếp nhận hướng dẫn không đầy đủ thành phần hồ sơ phúc khảo."),
    ("regulation", "3.000181", "Kiến nghị công khai rõ điều kiện ưu tiên, khuyến khích khi đăng ký dự tuyển lớp 10."),
    ("regulation", "1.005006", "Đề nghị hướng dẫn hồ sơ cho phép thành lập trung tâm ngoại ngữ, tin học theo quy định mới."),
    ("conduct", "1.005092", "Phản ánh thái độ chưa đúng mực của công chức tại Bộ phận Một cửa khi tiếp nhận hồ sơ."),
    ("regulation", "1.001622", "Kiến nghị đơn giản hóa thành phần hồ sơ cấp phép hoạt động giáo dục kỹ năng sống."),
    ("regulation", "1.000479", "Đề nghị hướng dẫn cấp giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp sau khi chuyển giao về ngành Giáo dục."),
    ("conduct", "1.004831", "Phản ánh việc yêu cầu nộp thêm giấy tờ không có trong thành phần hồ sơ chuyển trường."),
    ("regulation", "1.005142", "Kiến nghị cho thí sinh tự do đăng ký dự thi tốt nghiệp THPT hoàn toàn trực tuyến."),
    ("regulation", "1.001714", "Đề nghị công khai danh sách tổ chức được cấp giấy chứng nhận hoạt động tư vấn du học."),
)  # fmt: skip

_RECEIVED = (
    date(2025, 1, 8), date(2025, 1, 21), date(2025, 2, 12), date(2025, 2, 26), date(2025, 3, 11),
    date(2025, 3, 24), date(2025, 4, 9), date(2025, 4, 23), date(2025, 5, 7), date(2025, 5, 21),
    date(2025, 6, 4), date(2025, 6, 18), date(2025, 6, 30), date(2025, 7, 9), date(2025, 7, 17),
    date(2025, 7, 23), date(2025, 7, 29), LATE_ITEM["received_on"], date(2025, 8, 12),
    date(2025, 8, 19), date(2025, 9, 9), date(2025, 9, 23), date(2025, 10, 7), date(2025, 10, 21),
    date(2025, 11, 4), date(2025, 11, 18), date(2025, 12, 2), date(2025, 12, 15), date(2025, 12, 22),
)  # fmt: skip
_HTML_INDEX = 13
_REJECTED_INDEX = 6
_SUPPLEMENT_INDEX = 20
_OPEN = (27, 28)


def _d(value) -> pd.Timestamp:
    return pd.Timestamp(value)


def not_accepted(row: dict, content: str, rejected_on: pd.Timestamp) -> None:
    """Make ``row`` an item not accepted (outside administrative rules), in place."""
    row.update(
        category="not_accepted",
        content=content,
        status="rejected",
        rejected_on=rejected_on,
        handled_on=pd.NaT,
        published_on=pd.NaT,
        likes=0,
        dislikes=0,
        procedure_code=None,
        unit="Văn phòng",
    )


def generate_feedback(
    rng: np.random.Generator, catalogue: pd.DataFrame, calendar: WorkCalendar
) -> pd.DataFrame:
    """The PAKN of 2025 as a canonical ``feedback`` frame."""
    units = dict(zip(catalogue["procedure_code"], catalogue["unit"], strict=True))
    rows = []
    n = len(_RECEIVED)
    people = fake_people(rng, n, min_birth=1960, max_birth=2006)
    for i, received in enumerate(_RECEIVED):
        category, code, content = _TOPICS[i % len(_TOPICS)]
        row = {
            "feedback_id": f"PAKN-2025-{i + 1:04d}",
            "received_on": _d(received),
            "category": category,
            "content": content,
            "procedure_code": code,
            "unit": units[code],
            "status": "published",
            "rejected_on": pd.NaT,
            "supplement_requested_on": pd.NaT,
            "forwarded_on": pd.NaT,
            "likes": int(rng.integers(0, 26)),
            "dislikes": int(rng.integers(0, 4)),
            "is_repeat": False,
        }
        handle_wd = int(rng.integers(3, 14))
        if received == LATE_ITEM["received_on"]:
            handled = _d(LATE_ITEM["handled_on"])
        else:
            handled = _d(calendar.add_working_days(received, handle_wd))
        row["handled_on"] = handled
        row["published_on"] = _d(calendar.add_working_days(handled, int(rng.integers(0, 3))))
        if i == _HTML_INDEX:
            row["content"] = HTML_CONTENT
            row["procedure_code"] = "1.004831"
            row["unit"] = units["1.004831"]
            row["category"] = "regulation"
        if i == _REJECTED_INDEX:
            not_accepted(
                row,
                "Nội dung không thuộc phạm vi quy định hành chính: đề nghị xét tăng lương cho giáo viên.",
                _d(calendar.add_working_days(received, 1)),
            )
        if i == _SUPPLEMENT_INDEX:
            row["supplement_requested_on"] = _d(calendar.add_working_days(received, 3))
            row["is_repeat"] = True
        if i in _OPEN:
            row.update(status="processing" if i == _OPEN[0] else "received", handled_on=pd.NaT)
            row.update(published_on=pd.NaT, likes=0, dislikes=0)
        row["sender_name"] = people["name"][i]
        row["sender_phone"] = people["phone"][i]
        row["sender_email"] = people["email"][i]
        row["sender_address"] = people["address"][i]
        rows.append(row)
    df = pd.DataFrame(rows)
    for column in ("likes", "dislikes"):
        df[column] = df[column].astype("Int64")
    return df[list(dataset_fields("feedback"))]
