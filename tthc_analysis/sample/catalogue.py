"""The synthetic procedure catalogue of the Sở GD&ĐT (provincial level).

Procedure names are those of the education sector's provincial-level procedures
(văn bằng, chứng chỉ; thi, tuyển sinh; cơ sở giáo dục; giáo dục nghề nghiệp; đào tạo với
nước ngoài...). Codes follow the national format ``d.dddddd``; 1.005092 (bản sao văn
bằng) and 3.000181 (tuyển sinh THPT, as shown on the Bình Phước portal) were seen in
public sources, the others are illustrative. Publication dates, online levels and
volumes are invented, with the gaps listed in :mod:`tthc_analysis.sample.planted`.

Full-online procedures carry the date they were first offered full online
(``full_online_since``, drawn by :func:`full_online_dates`): most before 2025, four during
2025 (:data:`FULL_ONLINE_IN_2025`), so the coverage of the eligible procedures rises
from 16/23 in January to 20/23 in October and stays below the 100% target.

Each procedure also carries generator-only attributes: ``volume`` (dossiers expected in
2025 at the small scale, before rescaling), ``profile`` (seasonality, see
:data:`PROFILES`), ``batch`` (publication decision, see :data:`DECISIONS`), and
``active_to`` (last receipt day for an abolished procedure).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from tthc_analysis.fields import dataset_fields

__all__ = [
    "DECISIONS",
    "FULL_ONLINE_IN_2025",
    "MONTHS",
    "PROFILES",
    "Decision",
    "full_online_dates",
    "procedures_frame",
    "unit_names",
]

MONTHS: tuple[str, ...] = (
    "2024-12",
    *(f"2025-{m:02d}" for m in range(1, 13)),
)
"""Receipt months covered by the dossier exports (one file each)."""

PROFILES: dict[str, tuple[float, ...]] = {
    # weights for 12/2024, then 01..12/2025 (relative within a procedure)
    "vb": (0.8, 0.8, 0.6, 0.8, 0.8, 0.9, 1.4, 1.8, 1.6, 1.2, 0.9, 0.8, 0.8),
    "exam_reg": (0, 0, 0, 0.4, 3.6, 1.6, 0.1, 0, 0, 0, 0, 0, 0),
    "recheck_tn": (0, 0, 0, 0, 0, 0, 0, 9.0, 1.5, 0, 0, 0, 0),
    "exam_special": (0, 0, 0, 0, 0, 0, 2.0, 3.0, 0, 0, 0, 0, 0),
    "admission": (0, 0, 0, 0.2, 2.5, 3.5, 0.8, 0.4, 0.2, 0, 0, 0, 0),
    "recheck10": (0, 0, 0, 0, 0, 0, 6.0, 1.0, 0, 0, 0, 0, 0),
    "transfer": (0.5, 1.4, 0.6, 0.5, 0.4, 0.4, 0.8, 2.2, 3.0, 1.4, 0.5, 0.4, 0.4),
    "institution": (1.0, 0.8, 0.6, 0.9, 1.0, 1.0, 1.1, 1.3, 1.3, 1.0, 0.9, 0.9, 1.2),
    "recognition": (1.6, 0.3, 0.3, 0.6, 0.8, 0.8, 0.8, 0.6, 0.4, 0.8, 1.2, 1.8, 2.2),
    "support": (0.4, 0.3, 0.3, 0.3, 0.2, 0.2, 0.2, 0.2, 0.8, 3.0, 3.0, 1.5, 0.5),
    "vocational": (0, 0, 0, 0, 1.0, 1.0, 1.0, 1.2, 1.2, 1.0, 1.0, 1.0, 1.0),
    "abolished": (1.5, 1.0, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    "early": (0.3, 1.5, 1.5, 1.5, 1.0, 0.5, 0.3, 0, 0, 0, 0, 0, 0),
}
"""Seasonality: graduation (văn bằng, phúc khảo) peaks in June–August, admissions in
April–June, school transfers at the September enrolment, recognitions at year end."""


@dataclass(frozen=True)
class Decision:
    """A publication decision of the provincial People's Committee (illustrative)."""

    decision_no: str
    published_on: date
    legal_effective_on: date
    public_on_csdlqg_on: date
    internal_process_on: date | None


DECISIONS: dict[str, Decision] = {
    # Standardised list of 2023 (QĐ 1747/QĐ-UBND of 01/11/2023 exists; dates invented).
    "B2023": Decision(
        "1747/QĐ-UBND", date(2023, 11, 1), date(2023, 12, 15), date(2023, 11, 6), date(2023, 12, 8)
    ),
    "B2024": Decision(
        "2156/QĐ-UBND",
        date(2024, 11, 11),
        date(2024, 11, 20),
        date(2024, 11, 14),
        date(2024, 12, 5),
    ),
    # Exam procedures amended in 2025 (compliant).
    "EXAM2025": Decision(
        "215/QĐ-UBND", date(2025, 2, 10), date(2025, 2, 24), date(2025, 2, 13), date(2025, 3, 4)
    ),
    # Vocational-education procedures handed over to the education sector (compliant).
    "GDNN2025": Decision(
        "402/QĐ-UBND", date(2025, 3, 11), date(2025, 3, 21), date(2025, 3, 14), date(2025, 4, 15)
    ),
    # Abolition of the extra-tuition licence (Thông tư 29/2024/TT-BGDĐT from 14/02/2025).
    "ABOL2025": Decision(
        "180/QĐ-UBND", date(2025, 2, 5), date(2025, 2, 14), date(2025, 2, 7), date(2023, 12, 8)
    ),
    # PLANTED P1: decision only 2 working days before the legal text takes effect.
    "P1": Decision(
        "1035/QĐ-UBND", date(2025, 6, 19), date(2025, 6, 23), date(2025, 6, 20), date(2025, 7, 8)
    ),
    # PLANTED P2: made public on the national database 9 working days after the decision.
    "P2": Decision(
        "1520/QĐ-UBND", date(2025, 9, 15), date(2025, 10, 1), date(2025, 9, 26), date(2025, 10, 8)
    ),
}
"""Publication decisions by batch key (numbers other than 1747/QĐ-UBND are invented)."""

_FIELD_VB = "Văn bằng, chứng chỉ"
_FIELD_HTVB = "Hệ thống văn bằng, chứng chỉ"
_FIELD_THI = "Thi, tuyển sinh"
_FIELD_QCT = "Quy chế thi, tuyển sinh"
_FIELD_GDQD = "Giáo dục và Đào tạo thuộc hệ thống giáo dục quốc dân"
_FIELD_GDTRH = "Giáo dục trung học"
_FIELD_GDNN = "Giáo dục nghề nghiệp"
_FIELD_NN = "Đào tạo với nước ngoài"
_FIELD_KD = "Kiểm định chất lượng giáo dục"
_FIELD_TCCB = "Tổ chức cán bộ"
_FIELD_DT = "Giáo dục dân tộc"

# code, name, field, unit code, online level, eligible full online, fee (VND, 0 = none),
# paper result, individuals, time limit, limit unit, volume, profile, batch
# fmt: off
_ROWS: tuple[tuple, ...] = (
    # --- Khảo thí và Kiểm định chất lượng giáo dục
    ("1.005092", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", _FIELD_VB, "KTKD", "full", True, 0, True, True, 2, "working_day", 1300, "vb", "B2023"),
    ("2.001914", "Chỉnh sửa nội dung văn bằng, chứng chỉ", _FIELD_VB, "KTKD", "full", True, 0, True, True, 5, "working_day", 260, "vb", "B2023"),
    ("1.005093", "Công nhận văn bằng tốt nghiệp các cấp học phổ thông do cơ sở giáo dục nước ngoài cấp để sử dụng tại Việt Nam", _FIELD_HTVB, "KTKD", "partial", True, 0, True, True, 20, "working_day", 16, "institution", "B2023"),
    ("1.005142", "Đăng ký dự thi tốt nghiệp trung học phổ thông", _FIELD_QCT, "KTKD", "full", True, 0, False, True, 3, "working_day", 260, "exam_reg", "EXAM2025"),
    ("1.005144", "Phúc khảo bài thi tốt nghiệp trung học phổ thông", _FIELD_QCT, "KTKD", "full", True, 30000, False, True, 15, "day", 460, "recheck_tn", "EXAM2025"),
    ("1.005145", "Xét đặc cách tốt nghiệp trung học phổ thông", _FIELD_QCT, "KTKD", "none", False, 0, True, True, 10, "working_day", 6, "exam_special", "EXAM2025"),
    ("1.004958", "Phúc khảo bài thi tuyển sinh lớp 10 trung học phổ thông", _FIELD_THI, "KTKD", "full", True, 30000, False, True, 10, "day", 210, "recheck10", "B2023"),
    ("1.000280", "Công nhận trường trung học đạt kiểm định chất lượng giáo dục", _FIELD_KD, "KTKD", "partial", False, 0, True, False, 30, "working_day", 18, "recognition", "B2024"),
    ("1.000288", "Công nhận trường mầm non đạt kiểm định chất lượng giáo dục", _FIELD_KD, "KTKD", "partial", False, 0, True, False, 30, "working_day", 20, "recognition", "B2024"),
    ("1.000291", "Công nhận trung tâm giáo dục thường xuyên đạt kiểm định chất lượng giáo dục", _FIELD_KD, "KTKD", "partial", False, 0, True, False, 30, "working_day", 3, "recognition", "B2024"),
    # --- Giáo dục Trung học
    ("3.000181", "Tuyển sinh trung học phổ thông", _FIELD_THI, "GDTRH", "partial", True, 30000, False, True, 47, "working_day", 520, "admission", "B2023"),
    ("1.005085", "Xét tuyển sinh vào trường phổ thông dân tộc nội trú", _FIELD_THI, "GDTRH", "partial", False, 0, False, True, 20, "working_day", 120, "admission", "B2023"),
    ("1.004831", "Chuyển trường đối với học sinh trung học phổ thông", _FIELD_GDTRH, "GDTRH", "full", True, 0, True, True, 3, "working_day", 430, "transfer", "P1"),
    ("1.004832", "Xin học lại tại trường khác đối với học sinh trung học", _FIELD_GDTRH, "GDTRH", "full", True, 0, True, True, 3, "working_day", 60, "transfer", "B2023"),
    ("1.004833", "Tiếp nhận học sinh trung học phổ thông Việt Nam về nước", _FIELD_GDTRH, "GDTRH", "partial", False, 0, True, True, 5, "working_day", 10, "transfer", "B2023"),
    ("1.004834", "Tiếp nhận học sinh trung học phổ thông người nước ngoài", _FIELD_GDTRH, "GDTRH", "partial", False, 0, True, True, 5, "working_day", 5, "transfer", "B2023"),
    ("1.005070", "Phê duyệt việc dạy và học bằng tiếng nước ngoài", _FIELD_GDTRH, "GDTRH", "partial", False, 0, True, False, 10, "working_day", 5, "institution", "B2023"),
    ("1.004475", "Thành lập hoặc cho phép thành lập trường trung học phổ thông, trường phổ thông có nhiều cấp học có cấp học cao nhất là trung học phổ thông", _FIELD_GDQD, "GDTRH", "partial", False, 0, True, False, 25, "working_day", 3, "institution", "B2024"),
    ("1.004476", "Cho phép trường trung học phổ thông hoạt động giáo dục", _FIELD_GDQD, "GDTRH", "partial", False, 0, True, False, 20, "working_day", 3, "institution", "B2024"),
    ("1.004477", "Cho phép trường trung học phổ thông hoạt động giáo dục trở lại", _FIELD_GDQD, "GDTRH", "partial", False, 0, True, False, 20, "working_day", 2, "institution", "B2024"),
    ("1.004478", "Sáp nhập, chia, tách trường trung học phổ thông", _FIELD_GDQD, "GDTRH", "partial", False, 0, True, False, 20, "working_day", 2, "institution", "B2024"),
    ("1.004479", "Giải thể trường trung học phổ thông (theo đề nghị của tổ chức, cá nhân đề nghị thành lập trường)", _FIELD_GDQD, "GDTRH", "partial", False, 0, True, False, 20, "working_day", 2, "institution", "B2024"),
    ("1.004480", "Thành lập hoặc cho phép thành lập trường trung học phổ thông chuyên", _FIELD_GDQD, "GDTRH", "partial", False, 0, True, False, 25, "working_day", 2, "institution", "B2024"),
    ("1.004481", "Cho phép trường trung học phổ thông chuyên hoạt động giáo dục", _FIELD_GDQD, "GDTRH", "partial", False, 0, True, False, 20, "working_day", 2, "institution", "B2024"),
    ("1.004482", "Thành lập trường phổ thông dân tộc nội trú", _FIELD_GDQD, "GDTRH", "partial", False, 0, True, False, 25, "working_day", 2, "institution", "B2024"),
    ("1.004483", "Cho phép trường phổ thông dân tộc nội trú hoạt động giáo dục", _FIELD_GDQD, "GDTRH", "partial", False, 0, True, False, 20, "working_day", 2, "institution", "B2024"),
    ("1.004484", "Cho phép trường phổ thông dân tộc bán trú hoạt động giáo dục", _FIELD_GDQD, "GDTRH", "partial", False, 0, True, False, 20, "working_day", 2, "institution", "B2024"),
    ("1.008725", "Chuyển đổi trường trung học phổ thông tư thục sang trường trung học phổ thông tư thục hoạt động không vì lợi nhuận", _FIELD_GDQD, "GDTRH", "partial", False, 0, True, False, 20, "working_day", 2, "institution", "B2023"),
    ("1.000713", "Công nhận trường trung học đạt chuẩn quốc gia", _FIELD_GDQD, "GDTRH", "partial", False, 0, True, False, 20, "working_day", 30, "recognition", "B2023"),
    ("1.005061", "Phê duyệt liên kết giáo dục", _FIELD_NN, "GDTRH", "partial", False, 0, True, False, 20, "working_day", 3, "institution", "B2024"),
    ("1.005062", "Gia hạn, điều chỉnh hoạt động liên kết giáo dục", _FIELD_NN, "GDTRH", "partial", False, 0, True, False, 15, "working_day", 2, "institution", "B2024"),
    ("1.005063", "Chấm dứt hoạt động liên kết giáo dục theo đề nghị của các bên liên kết", _FIELD_NN, "GDTRH", "partial", False, 0, True, False, 10, "working_day", 2, "institution", "B2024"),
    # --- Giáo dục Mầm non
    ("1.000691", "Công nhận trường mầm non đạt chuẩn quốc gia", _FIELD_GDQD, "GDMN", "partial", False, 0, True, False, 20, "working_day", 35, "recognition", "B2023"),
    ("1.008723", "Chuyển đổi nhà trẻ, trường mẫu giáo, trường mầm non tư thục do nhà đầu tư trong nước đầu tư sang nhà trẻ, trường mẫu giáo, trường mầm non tư thục hoạt động không vì lợi nhuận", _FIELD_GDQD, "GDMN", "partial", False, 0, True, False, 20, "working_day", 3, "institution", "B2023"),
    ("1.005020", "Cho phép thành lập cơ sở giáo dục mầm non có vốn đầu tư nước ngoài", _FIELD_NN, "GDMN", "partial", False, 0, True, False, 20, "working_day", 2, "institution", "B2024"),
    # --- Giáo dục thường xuyên - Chuyên nghiệp
    ("1.005006", "Cho phép thành lập trung tâm ngoại ngữ, tin học", _FIELD_GDQD, "GDTX", "full", True, 0, True, False, 20, "working_day", 16, "institution", "B2024"),
    ("1.005007", "Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục", _FIELD_GDQD, "GDTX", "full", True, 0, True, False, 15, "working_day", 16, "institution", "B2024"),
    ("1.005008", "Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục trở lại", _FIELD_GDQD, "GDTX", "full", True, 0, True, False, 15, "working_day", 3, "institution", "B2024"),
    ("1.005009", "Giải thể trung tâm ngoại ngữ, tin học (theo đề nghị của tổ chức, cá nhân đề nghị thành lập trung tâm)", _FIELD_GDQD, "GDTX", "full", True, 0, True, False, 10, "working_day", 4, "institution", "B2024"),
    ("1.004492", "Thành lập trung tâm giáo dục thường xuyên", _FIELD_GDQD, "GDTX", "partial", False, 0, True, False, 20, "working_day", 2, "institution", "B2024"),
    ("1.004493", "Cho phép trung tâm giáo dục thường xuyên hoạt động giáo dục trở lại", _FIELD_GDQD, "GDTX", "partial", False, 0, True, False, 20, "working_day", 2, "institution", "B2024"),
    ("1.004494", "Sáp nhập, chia, tách trung tâm giáo dục thường xuyên", _FIELD_GDQD, "GDTX", "partial", False, 0, True, False, 20, "working_day", 2, "institution", "B2024"),
    ("1.004495", "Giải thể trung tâm giáo dục thường xuyên", _FIELD_GDQD, "GDTX", "partial", False, 0, True, False, 15, "working_day", 2, "institution", "B2024"),
    ("1.004496", "Thành lập trung tâm hỗ trợ và phát triển giáo dục hòa nhập công lập hoặc cho phép thành lập trung tâm hỗ trợ và phát triển giáo dục hòa nhập tư thục", _FIELD_GDQD, "GDTX", "partial", False, 0, True, False, 20, "working_day", 2, "institution", "B2024"),
    ("1.004497", "Cho phép trung tâm hỗ trợ và phát triển giáo dục hòa nhập hoạt động giáo dục", _FIELD_GDQD, "GDTX", "partial", False, 0, True, False, 20, "working_day", 2, "institution", "B2024"),
    ("1.001622", "Cấp phép hoạt động giáo dục kỹ năng sống và hoạt động giáo dục ngoài giờ chính khóa", _FIELD_GDQD, "GDTX", "full", True, 0, True, False, 15, "working_day", 22, "institution", "B2023"),
    ("2.001985", "Cấp giấy phép tổ chức hoạt động dạy thêm, học thêm đối với cấp trung học phổ thông", _FIELD_GDQD, "GDTX", "partial", False, 0, True, True, 10, "working_day", 60, "abolished", "ABOL2025"),
    ("1.001714", "Cấp giấy chứng nhận đăng ký hoạt động dịch vụ tư vấn du học", _FIELD_NN, "GDTX", "full", True, 0, True, False, 10, "working_day", 9, "institution", "B2024"),
    ("1.001715", "Cấp lại giấy chứng nhận đăng ký hoạt động dịch vụ tư vấn du học", _FIELD_NN, "GDTX", "full", True, 0, True, False, 5, "working_day", 3, "institution", "B2024"),
    ("1.012870", "Điều chỉnh giấy chứng nhận đăng ký hoạt động dịch vụ tư vấn du học", _FIELD_NN, "GDTX", "full", True, 0, True, False, 5, "working_day", 3, "institution", "P2"),
    ("1.005016", "Cho phép hoạt động giáo dục đối với cơ sở đào tạo, bồi dưỡng ngắn hạn có vốn đầu tư nước ngoài", _FIELD_NN, "GDTX", "partial", False, 0, True, False, 20, "working_day", 2, "institution", "B2024"),
    ("1.004499", "Công nhận đơn vị cấp huyện đạt chuẩn phổ cập giáo dục, xóa mù chữ", _FIELD_GDQD, "GDTX", "none", False, 0, True, False, 20, "working_day", 4, "early", "B2023"),
    # (giáo dục nghề nghiệp: handed over to the education sector in March 2025)
    ("1.000478", "Thành lập trung tâm giáo dục nghề nghiệp công lập thuộc tỉnh; cho phép thành lập trung tâm giáo dục nghề nghiệp tư thục", _FIELD_GDNN, "GDTX", "partial", False, 0, True, False, 15, "working_day", 3, "vocational", "GDNN2025"),
    ("1.000479", "Cấp giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp đối với trung tâm giáo dục nghề nghiệp, trường trung cấp, doanh nghiệp", _FIELD_GDNN, "GDTX", "full", True, 0, True, False, 10, "working_day", 14, "vocational", "GDNN2025"),
    ("1.000480", "Cấp giấy chứng nhận đăng ký bổ sung hoạt động giáo dục nghề nghiệp đối với trung tâm giáo dục nghề nghiệp, trường trung cấp, doanh nghiệp", _FIELD_GDNN, "GDTX", "full", True, 0, True, False, 10, "working_day", 10, "vocational", "GDNN2025"),
    ("1.000481", "Cấp lại giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp", _FIELD_GDNN, "GDTX", "full", True, 0, True, False, 5, "working_day", 3, "vocational", "GDNN2025"),
    ("1.000482", "Thành lập trường trung cấp công lập, cho phép thành lập trường trung cấp tư thục", _FIELD_GDNN, "GDTX", "partial", False, 0, True, False, 20, "working_day", 2, "vocational", "GDNN2025"),
    ("1.000483", "Sáp nhập, chia, tách trường trung cấp", _FIELD_GDNN, "GDTX", "partial", False, 0, True, False, 20, "working_day", 2, "vocational", "GDNN2025"),
    ("1.000484", "Giải thể trường trung cấp công lập, cho phép giải thể trường trung cấp tư thục", _FIELD_GDNN, "GDTX", "partial", False, 0, True, False, 15, "working_day", 2, "vocational", "GDNN2025"),
    ("1.000485", "Cấp giấy chứng nhận đăng ký hoạt động liên kết đào tạo với nước ngoài đối với trung tâm giáo dục nghề nghiệp, trường trung cấp", _FIELD_GDNN, "GDTX", "partial", True, 0, True, False, 15, "working_day", 3, "vocational", "GDNN2025"),
    ("1.000486", "Công nhận giám đốc trung tâm giáo dục nghề nghiệp tư thục", _FIELD_GDNN, "GDTX", "full", True, 0, True, False, 5, "working_day", 3, "vocational", "GDNN2025"),
    ("1.000487", "Thành lập hội đồng trường trung cấp công lập", _FIELD_GDNN, "GDTX", "partial", False, 0, True, False, 10, "working_day", 2, "vocational", "GDNN2025"),
    # --- Tổ chức cán bộ
    ("1.008731", "Công nhận hội đồng trường trung học phổ thông tư thục", _FIELD_TCCB, "TCCB", "partial", False, 0, True, False, 10, "working_day", 3, "institution", "B2024"),
    ("1.008732", "Công nhận hiệu trưởng trường trung học phổ thông tư thục", _FIELD_TCCB, "TCCB", "partial", False, 0, True, False, 10, "working_day", 4, "institution", "B2024"),
    # --- Kế hoạch - Tài chính
    ("2.002481", "Hỗ trợ học tập đối với học sinh trung học phổ thông các dân tộc thiểu số rất ít người", _FIELD_DT, "KHTC", "partial", False, 0, True, True, 10, "working_day", 30, "support", "B2023"),
    ("1.008950", "Xét, duyệt chính sách hỗ trợ đối với học sinh trung học phổ thông ở xã, thôn đặc biệt khó khăn", _FIELD_DT, "KHTC", "partial", False, 0, True, True, 10, "working_day", 45, "support", "B2023"),
    ("1.005109", "Cấp học bổng và hỗ trợ kinh phí mua phương tiện, đồ dùng học tập dùng riêng cho người khuyết tật học tại các cơ sở giáo dục", _FIELD_GDQD, "KHTC", "full", True, 0, True, True, 10, "working_day", 25, "support", "B2023"),
)
# fmt: on

_COLUMNS = (
    "procedure_code",
    "procedure_name",
    "field",
    "unit_code",
    "online_level",
    "eligible_full_online",
    "fee_amount",
    "paper_result",
    "individual_applicants",
    "time_limit",
    "time_limit_unit",
    "volume",
    "profile",
    "batch",
)

NO_INTERNAL_PROCESS: tuple[str, ...] = ("1.000481", "1.000483")
"""PLANTED: two vocational-education procedures whose internal process is not approved."""

ABOLISHED_ON = date(2025, 2, 14)
"""The extra-tuition licence is abolished from this day (Thông tư 29/2024/TT-BGDĐT)."""


FULL_ONLINE_IN_2025: dict[str, tuple[date, date]] = {
    # vocational procedures handed over in March 2025 (GDNN2025, in effect 21/03/2025)
    "1.000479": (date(2025, 3, 24), date(2025, 3, 31)),
    "1.000480": (date(2025, 5, 5), date(2025, 5, 30)),
    "1.000486": (date(2025, 8, 4), date(2025, 8, 29)),
    # new study-abroad procedure of decision P2 (in effect 01/10/2025)
    "1.012870": (date(2025, 10, 1), date(2025, 10, 24)),
}
"""Procedures first offered full online during 2025: earliest and latest day drawn."""

FULL_ONLINE_BEFORE_2025 = (date(2022, 7, 1), date(2024, 12, 16))
"""Window of the dates drawn for the other full-online procedures."""


def full_online_dates(rng: np.random.Generator, catalogue: pd.DataFrame) -> pd.Series:
    """``full_online_since`` of each procedure: a day drawn in its window, NaT if not full.

    Deterministic for the generator's state: one draw per full-online procedure, in
    catalogue order. Windows: :data:`FULL_ONLINE_IN_2025`, else
    :data:`FULL_ONLINE_BEFORE_2025`.
    """
    out = pd.Series(pd.NaT, index=catalogue.index, dtype="datetime64[us]")
    for idx, code in catalogue.loc[catalogue["online_level"] == "full", "procedure_code"].items():
        lo, hi = FULL_ONLINE_IN_2025.get(code, FULL_ONLINE_BEFORE_2025)
        offset = int(rng.integers(0, (hi - lo).days + 1))
        out[idx] = pd.Timestamp(lo) + pd.Timedelta(days=offset)
    return out


def unit_names(path=None) -> dict[str, str]:
    """Unit code -> Vietnamese name, from ``data/reference/units.csv``."""
    from tthc_analysis.config import REFERENCE_DIR

    table = pd.read_csv(path or REFERENCE_DIR / "units.csv", dtype=str, encoding="utf-8-sig")
    return dict(zip(table["unit_code"], table["name_vi"], strict=True))


def procedures_frame() -> pd.DataFrame:
    """The catalogue with the canonical ``procedures`` columns plus generator columns.

    ``full_online_since`` is empty here; the generator draws it
    (:func:`full_online_dates`). Generator-only columns: ``unit_code``, ``fee_amount``, ``volume``, ``profile``,
    ``batch``, ``active_to`` (date or NaT).
    """
    df = pd.DataFrame(list(_ROWS), columns=list(_COLUMNS))
    names = unit_names()
    df["unit"] = df["unit_code"].map(names)
    df["level"] = "province"
    df["has_fee"] = df["fee_amount"] > 0
    df["time_limit"] = df["time_limit"].astype("float64")
    for column in ("published_on", "legal_effective_on", "public_on_csdlqg_on"):
        df[column] = pd.to_datetime([getattr(DECISIONS[b], column) for b in df["batch"]])
    df["decision_no"] = [DECISIONS[b].decision_no for b in df["batch"]]
    process = [DECISIONS[b].internal_process_on for b in df["batch"]]
    df["internal_process_on"] = pd.to_datetime(process)
    df.loc[df["procedure_code"].isin(NO_INTERNAL_PROCESS), "internal_process_on"] = pd.NaT
    df["publicly_listed"] = True
    df["full_online_since"] = pd.Series(pd.NaT, index=df.index, dtype="datetime64[us]")
    df["status"] = np.where(
        df["batch"] == "ABOL2025",
        "abolished",
        np.where(df["batch"].isin(("EXAM2025", "P1", "P2")), "amended", "active"),
    )
    df["active_to"] = pd.to_datetime(
        np.where(
            df["batch"] == "ABOL2025", pd.Timestamp(ABOLISHED_ON) - pd.Timedelta(days=1), pd.NaT
        )
    )
    canonical = list(dataset_fields("procedures"))
    extra = ["unit_code", "fee_amount", "volume", "profile", "batch", "active_to"]
    return df[canonical + extra]
