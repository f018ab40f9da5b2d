"""The field dictionary: every column of every dataset, declared once.

Each dataset (``dossiers``, ``procedures``, ``feedback``, ``index766``, ``activities``,
``report_submissions``) is an ordered list of :class:`Field`. A field gives the canonical
column name, its kind (and so its pandas dtype), an English description, the Vietnamese
label used in reports, the Vietnamese headers accepted by the loaders, the allowed codes
(with the Vietnamese texts that map to each code) or a pattern, and whether it holds
personal data. Schemas (``schemas.py``), loaders, the sample generator and the report
code all read this module; nothing else declares columns.

Coded values are stored as short English codes (``online``, ``completed``...) and shown
with their Vietnamese label (:func:`label`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DATASETS",
    "field_dictionary",
    "DTYPES",
    "Field",
    "Kind",
    "dataset_fields",
    "label",
    "personal_columns",
]

Kind = Literal["string", "code", "datetime", "date", "boolean", "int", "float", "period"]

DTYPES: MappingProxyType[str, str] = MappingProxyType(
    {
        "string": "str",
        "code": "str",
        "period": "str",
        "datetime": "datetime64[us]",
        "date": "datetime64[us]",
        "boolean": "boolean",
        "int": "Int64",
        "float": "float64",
    }
)
"""pandas dtype of each field kind. ``date`` values have no time part; ``period`` is
``YYYY-MM`` text."""


@dataclass(frozen=True)
class Field:
    """One column of a dataset.

    Attributes:
        name: Canonical column name (English, snake_case).
        kind: Field kind; see :data:`DTYPES`.
        description: What the column holds (English).
        label_vi: Vietnamese label for reports and error messages.
        headers: Vietnamese (and other) headers accepted by the loaders. Matching folds
            case, whitespace and Unicode form; the label is always accepted too.
        required: Whether a file of this dataset must have the column.
        codes: For ``code`` fields, each allowed code with the texts that mean it; the
            first text is the Vietnamese display label.
        pattern: Regular expression the (string) value must match in full.
        nullable: Whether an empty value is allowed in a row.
        personal: Personal data (name, ID number, phone, email, address): never shown in
            a report or chart.
        untrusted: Free text typed by citizens: always escaped when shown.
        unique: Values must be unique within the dataset (primary key).
        min_value: Smallest allowed number (durations, counts and amounts: 0); a smaller
            value is a row error.
        past: The date of something that has already happened (receipt, completion,
            publication...): a date later than the day after the data is loaded is a row
            error (:data:`tthc_analysis.schemas.FUTURE_GRACE_DAYS`). Due dates and
            effective dates may lie in the future and are not marked.
    """

    name: str
    kind: Kind
    description: str
    label_vi: str
    headers: tuple[str, ...] = ()
    required: bool = False
    codes: MappingProxyType | None = None
    pattern: str | None = None
    nullable: bool = True
    personal: bool = False
    untrusted: bool = False
    unique: bool = False
    extra: dict = field(default_factory=dict, compare=False)
    min_value: float | None = None
    past: bool = False

    @property
    def dtype(self) -> str:
        """The pandas dtype of the column."""
        return DTYPES[self.kind]

    @property
    def accepted_headers(self) -> tuple[str, ...]:
        """Every header accepted for this column (label first, then aliases)."""
        seen: list[str] = []
        for header in (self.label_vi, *self.headers):
            if header not in seen:
                seen.append(header)
        return tuple(seen)


def _codes(mapping: dict[str, tuple[str, ...]]) -> MappingProxyType:
    return MappingProxyType({code: tuple(texts) for code, texts in mapping.items()})


# --- Shared code lists ----------------------------------------------------------------

CHANNEL_CODES = _codes(
    {
        "online": (
            "Trực tuyến",
            "Online",
            "Qua mạng",
            "Nộp trực tuyến",
            "DVC trực tuyến",
            "Qua dịch vụ công trực tuyến",
            "2",
        ),
        "in_person": ("Trực tiếp", "Tại quầy", "Nộp trực tiếp", "Tại bộ phận một cửa", "1"),
        "post": (
            "Bưu chính",
            "Bưu chính công ích",
            "Dịch vụ bưu chính",
            "Qua bưu điện",
            "BCCI",
            "Qua bưu chính công ích",
            "Qua dịch vụ bưu chính công ích",
            "3",
        ),
    }
)

DOSSIER_STATUS_CODES = _codes(
    {
        # DVCQG TrangThaiHoSo codes 1-10 are accepted as aliases (issue 11/12 contract).
        "registered": ("Mới đăng ký", "Chờ tiếp nhận", "Đăng ký mới", "1"),
        "refused_intake": (
            "Không được tiếp nhận",
            "Từ chối tiếp nhận",
            "Không tiếp nhận",
            "Trả lại hồ sơ không tiếp nhận",
            "3",
        ),
        "processing": (
            "Đang xử lý",
            "Đang giải quyết",
            "Mới tiếp nhận",
            "Đang thụ lý",
            "Được tiếp nhận",
            "Đã tiếp nhận",
            "2",
            "4",
        ),
        "awaiting_supplement": (
            "Chờ bổ sung",
            "Yêu cầu bổ sung",
            "Đang chờ bổ sung",
            "Yêu cầu bổ sung giấy tờ",
            "5",
        ),
        "awaiting_obligation": (
            "Yêu cầu thực hiện nghĩa vụ tài chính",
            "Chờ thực hiện nghĩa vụ tài chính",
            "Chờ nộp phí",
            "6",
        ),
        "paused": ("Tạm dừng", "Tạm dừng xử lý"),
        "completed": ("Đã xử lý xong", "Hoàn thành", "Đã giải quyết", "Đã có kết quả", "9"),
        "returned": ("Đã trả kết quả", "Đã trả", "Trả kết quả", "10"),
        "rejected": ("Từ chối", "Từ chối giải quyết", "Không giải quyết"),
        "withdrawn": (
            "Rút hồ sơ",
            "Công dân rút hồ sơ",
            "Đã rút",
            "Rút",
            "Công dân yêu cầu rút hồ sơ",
            "7",
        ),
        "stopped": ("Dừng xử lý", "Dừng", "Dừng giải quyết", "8"),
    }
)
"""``completed``, ``returned``, ``rejected``, ``withdrawn`` and ``stopped`` are end
statuses; ``processing``, ``awaiting_supplement``, ``awaiting_obligation`` and ``paused``
are pending. ``registered`` (only registered online, DVCQG 1) and ``refused_intake``
(refused at the counter, DVCQG 3; TT 01/2018/TT-VPCP form 03) are not received dossiers.
The numbers are the DVCQG ``TrangThaiHoSo`` codes."""

PAID_ONLINE_CODES = _codes(
    {
        "yes": ("Có", "Có thanh toán trực tuyến", "Đã thanh toán trực tuyến", "x", "1", "true"),
        "no": ("Không", "Không thanh toán trực tuyến", "Thanh toán trực tiếp", "0", "false"),
        "no_fee": ("Không phát sinh phí", "Miễn phí", "Không thu phí", "Không có phí"),
    }
)

ONLINE_LEVEL_CODES = _codes(
    {
        "full": ("Toàn trình", "DVCTT toàn trình", "Trực tuyến toàn trình", "Mức độ 4", "Mức 4"),
        "partial": ("Một phần", "DVCTT một phần", "Trực tuyến một phần", "Mức độ 3", "Mức 3"),
        "none": ("Không", "Không cung cấp", "Chưa cung cấp", "Mức độ 2", "Mức 2", "Mức độ 1"),
    }
)

LEVEL_CODES = _codes(
    {
        "province": ("Tỉnh", "Cấp tỉnh"),
        "district": ("Huyện", "Cấp huyện"),
        "commune": ("Xã", "Cấp xã"),
    }
)

TIME_LIMIT_UNIT_CODES = _codes(
    {
        "working_day": ("Ngày làm việc", "NLV", "ngày làm việc kể từ ngày nhận đủ hồ sơ"),
        "day": ("Ngày", "Ngày (dương lịch)", "Ngày lịch"),
        "hour": ("Giờ", "Giờ làm việc"),
        "month": ("Tháng",),
    }
)

PROCEDURE_STATUS_CODES = _codes(
    {
        "active": ("Đang công khai", "Đang hiệu lực", "Còn hiệu lực", "Công khai"),
        "amended": ("Sửa đổi", "Sửa đổi, bổ sung", "Được sửa đổi"),
        "abolished": ("Bãi bỏ", "Hết hiệu lực", "Đã bãi bỏ"),
    }
)

FEEDBACK_CATEGORY_CODES = _codes(
    {
        "regulation": ("Quy định hành chính", "Về quy định hành chính", "Quy định TTHC"),
        "conduct": ("Hành vi hành chính", "Về hành vi hành chính", "Hành vi CBCC"),
        "not_accepted": ("Không tiếp nhận", "Không thuộc phạm vi", "Không đủ điều kiện"),
    }
)

FEEDBACK_STATUS_CODES = _codes(
    {
        "received": ("Mới tiếp nhận", "Tiếp nhận", "Đã tiếp nhận", "Chờ xử lý"),
        "processing": ("Đang xử lý", "Xử lý ở địa phương"),
        "awaiting_supplement": ("Chờ bổ sung", "PA chờ bổ sung"),
        "handled": ("Đã xử lý", "Đã xử lý xong", "Chờ công khai"),
        "published": ("Đã công khai", "Công khai kết quả"),
        "rejected": ("Từ chối tiếp nhận", "Từ chối", "Không tiếp nhận"),
        "forwarded": ("Chuyển cơ quan khác", "Đã chuyển", "Chuyển xử lý"),
    }
)

INDEX766_GROUP_CODES = _codes(
    {
        "CKMB": ("Công khai, minh bạch", "Công khai minh bạch", "Nhóm 1"),
        "TDGQ": ("Tiến độ, kết quả giải quyết", "Tiến độ giải quyết", "Nhóm 2"),
        "DVTT": (
            "Cung cấp dịch vụ trực tuyến",
            "Dịch vụ trực tuyến",
            "Cung cấp DVC trực tuyến",
            "Cung cấp dịch vụ công trực tuyến",
            "Nhóm 3",
        ),
        "CLGQ": ("Dịch vụ công trực tuyến", "Chất lượng giải quyết"),
        "TTTT": ("Thanh toán trực tuyến",),
        "MDSH": ("Số hóa hồ sơ", "Mức độ số hóa", "Nhóm 4"),
        "MDHL": ("Mức độ hài lòng", "Hài lòng", "Nhóm 5"),
        "TONG": ("Tổng điểm", "Tổng", "Tổng cộng", "TONG_SCORE", "Tổng điểm đạt"),
    }
)
"""Six-group view: CKMB, TDGQ, CLGQ (12), TTTT (10), MDSH, MDHL. Five-group view
replaces CLGQ + TTTT by DVTT (22). ``TONG`` is a published total, if given."""

INDEX766_GROUPS6 = ("CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL")
"""The six groups of the 766 index, in the national portal's order."""

ACTIVITY_STATUS_CODES = _codes(
    {
        "done": ("Hoàn thành", "Đã hoàn thành", "Đã thực hiện", "Xong"),
        "in_progress": ("Đang thực hiện", "Đang triển khai", "Chưa hoàn thành"),
        "planned": ("Kế hoạch", "Theo kế hoạch", "Dự kiến", "Chưa thực hiện"),
    }
)

REPORT_PERIOD_CODES = _codes(
    {
        "Q1": ("Quý I", "Quý 1", "Báo cáo quý I"),
        "H1": ("6 tháng (Quý II)", "6 tháng", "6 tháng đầu năm", "Quý II", "Quý 2"),
        "9M": ("9 tháng (Quý III)", "9 tháng", "Quý III", "Quý 3"),
        "Q4": ("Quý IV", "Quý 4"),
        "Y": ("Năm", "Cả năm", "Báo cáo năm", "Tổng kết năm"),
        **{f"M{m:02d}": (f"Tháng {m:02d}", f"Tháng {m}") for m in range(1, 13)},
    }
)

TASK_ID_PATTERN = r"[IVXLC]+\.[0-9]+"

# --- Shared fields --------------------------------------------------------------------

_PROCEDURE_CODE = Field(
    "procedure_code",
    "string",
    "National procedure code (mã TTHC), e.g. 1.005092",
    "Mã TTHC",
    ("Mã thủ tục", "Mã thủ tục hành chính", "Mã số TTHC", "Mã TTHC", "MaTTHC"),
    pattern=r"[0-9]\.[0-9]{6}(\.[0-9A-Za-z.]+)?",
)
_PROCEDURE_NAME = Field(
    "procedure_name",
    "string",
    "Procedure name",
    "Tên TTHC",
    ("Tên thủ tục", "Thủ tục", "Tên thủ tục hành chính", "TenTTHC"),
)
_FIELD = Field(
    "field",
    "string",
    "Field (lĩnh vực) of the procedure, e.g. 'Văn bằng, chứng chỉ'",
    "Lĩnh vực",
    ("Lĩnh vực TTHC", "Lĩnh vực giải quyết", "TenLinhVuc", "Tên lĩnh vực"),
)
_UNIT = Field(
    "unit",
    "string",
    "Department (phòng) of the Sở handling it",
    "Đơn vị xử lý",
    ("Phòng xử lý", "Phòng chuyên môn", "Đơn vị", "Đơn vị thực hiện", "Đơn vị chủ trì"),
)


def _personal(name: str, description: str, label_vi: str, headers: tuple[str, ...]) -> Field:
    return Field(name, "string", description, label_vi, headers, personal=True)


# --- Datasets -------------------------------------------------------------------------

_DOSSIERS = (
    Field(
        "dossier_id",
        "string",
        "Dossier code (mã hồ sơ), unique",
        "Mã hồ sơ",
        ("Số hồ sơ", "Mã HS", "Mã số hồ sơ", "MaHoSo"),
        required=True,
        nullable=False,
        unique=True,
    ),
    Field(
        "previous_dossier_id",
        "string",
        "Optional: the dossier's code in the previous dossier system, for dossiers carried "
        "into a new system (matched so that a dossier is counted once)",
        "Mã hồ sơ cũ",
        ("Mã hồ sơ hệ thống cũ", "Mã HS cũ", "Mã hồ sơ trước chuyển đổi"),
    ),
    replace(
        _PROCEDURE_CODE,
        description="National procedure code (mã TTHC), e.g. 1.005092. Optional: when the "
        "export has no such column (or the cell is empty), it is filled from the procedure "
        "catalogue by the normalised procedure name",
    ),
    replace(_PROCEDURE_NAME, headers=(*_PROCEDURE_NAME.headers, "Nội dung hồ sơ")),
    _FIELD,
    replace(
        _UNIT,
        headers=(
            *_UNIT.headers,
            "DonViXuLy",
            "Đơn vị tiếp nhận",
            "Cơ quan chủ trì giải quyết",
            "Cơ quan giải quyết",
        ),
    ),
    Field(
        "channel",
        "code",
        "How the dossier was submitted. Optional: lists without it load, and the figures "
        "that need it say how many dossiers they could not place",
        "Kênh nộp",
        (
            "Hình thức nộp",
            "Kênh tiếp nhận",
            "Hình thức tiếp nhận",
            "Kênh thực hiện",
            "KenhThucHien",
        ),
        codes=CHANNEL_CODES,
    ),
    Field(
        "submitted_at",
        "datetime",
        "Submission time (ngày nộp)",
        "Ngày nộp",
        ("Ngày gửi", "Ngày nộp hồ sơ", "NgayNopHoSo"),
        past=True,
    ),
    Field(
        "received_at",
        "datetime",
        "Receipt time (ngày tiếp nhận). Required in every row except for dossiers never "
        "received (status registered or refused_intake)",
        "Ngày tiếp nhận",
        ("Ngày nhận", "Ngày nhận hồ sơ", "Thời điểm tiếp nhận", "NgayTiepNhan", "Nhận hồ sơ"),
        required=True,
        past=True,
    ),
    Field(
        "due_at",
        "datetime",
        "Appointment date for the result (ngày hẹn trả). Required in every row except for "
        "dossiers never received (status registered or refused_intake)",
        "Ngày hẹn trả",
        (
            "Hạn xử lý",
            "Hạn giải quyết",
            "Ngày hẹn trả kết quả",
            "Ngày hẹn",
            "NgayHenTra",
            "Hẹn trả kết quả",
        ),
        required=True,
    ),
    Field(
        "rescheduled_due_at",
        "datetime",
        "New appointment date after an apology letter (one extension allowed)",
        "Ngày hẹn trả mới",
        ("Ngày hẹn lại", "Ngày gia hạn", "Ngày hẹn trả lại"),
    ),
    Field(
        "completed_at",
        "datetime",
        "Time processing ended (end status reached); empty while pending",
        "Ngày hoàn thành",
        (
            "Ngày kết thúc xử lý",
            "Ngày có kết quả",
            "Ngày xử lý xong",
            "Ngày kết thúc",
            "NgayKetThucXuLy",
            "Nhận kết quả từ cơ quan giải quyết",
        ),
        past=True,
    ),
    Field(
        "returned_at",
        "datetime",
        "Time the result was returned",
        "Ngày trả kết quả",
        ("NgayTra", "Trả kết quả", "Ngày trả"),
        past=True,
    ),
    Field(
        "refused_at",
        "datetime",
        "Time the dossier was refused (at the counter, or its handling refused) or its "
        "processing stopped (DVCQG NgayTuChoi). A rejected or stopped dossier without "
        "completed_at ends at this time (the loader fills completed_at, as a load fact)",
        "Ngày từ chối",
        ("NgayTuChoi", "Ngày từ chối tiếp nhận", "Ngày từ chối giải quyết", "Ngày dừng xử lý"),
        past=True,
    ),
    Field(
        "status",
        "code",
        "Dossier status",
        "Trạng thái",
        ("Tình trạng", "Trạng thái hồ sơ", "Tình trạng hồ sơ", "TrangThaiHoSo"),
        codes=DOSSIER_STATUS_CODES,
    ),
    Field(
        "supplement_requests",
        "int",
        "Number of supplement requests sent to the applicant",
        "Số lần yêu cầu bổ sung",
        ("Số lần bổ sung",),
        min_value=0,
    ),
    Field(
        "supplement_days",
        "float",
        "Days spent waiting for the applicant's supplements (excluded from processing time)",
        "Số ngày chờ bổ sung",
        ("Thời gian chờ bổ sung", "Số ngày bổ sung"),
        min_value=0,
    ),
    Field(
        "paused_at",
        "datetime",
        "Optional: time the clock stopped (supplement or financial-obligation request, "
        "pause); with resumed_at, the pause is counted in working days",
        "Ngày tạm dừng",
        (
            "Ngày yêu cầu bổ sung",
            "Ngày dừng tính thời gian",
            "Ngày yêu cầu thực hiện nghĩa vụ tài chính",
        ),
        past=True,
    ),
    Field(
        "resumed_at",
        "datetime",
        "Optional: time the clock restarted (complete file or obligation received)",
        "Ngày tiếp tục xử lý",
        ("Ngày nhận đủ hồ sơ bổ sung", "Ngày bổ sung", "Ngày tiếp tục"),
        past=True,
    ),
    Field(
        "is_digitized",
        "boolean",
        "Dossier components digitised",
        "Số hóa hồ sơ",
        ("Đã số hóa", "Số hóa thành phần", "Có số hóa", "HoSoCoThanhPhanSoHoa"),
    ),
    Field(
        "has_e_result",
        "boolean",
        "An electronic result (file or link) was issued",
        "Kết quả điện tử",
        ("Có kết quả điện tử", "Cấp kết quả điện tử"),
    ),
    Field(
        "result_channel",
        "code",
        "How the result was returned",
        "Hình thức trả kết quả",
        ("Kênh trả kết quả", "Hình thức nhận kết quả", "Phương thức nhận kết quả"),
        codes=CHANNEL_CODES,
    ),
    Field(
        "reused_data",
        "boolean",
        "At least one component reused digitised data",
        "Tái sử dụng dữ liệu",
        ("Tái sử dụng dữ liệu số hóa", "Khai thác dữ liệu số hóa"),
    ),
    Field(
        "synced_dvcqg",
        "boolean",
        "Synchronised to the national portal (DVCQG)",
        "Đồng bộ DVCQG",
        ("Đã đồng bộ", "Đồng bộ Cổng DVCQG"),
    ),
    Field(
        "paid_online",
        "code",
        "Fee paid online",
        "Thanh toán trực tuyến",
        ("TT trực tuyến", "Thanh toán", "DuocThanhToanTrucTuyen"),
        codes=PAID_ONLINE_CODES,
    ),
    Field(
        "fee_amount",
        "float",
        "Fee amount (VND)",
        "Phí, lệ phí",
        ("Số tiền phí", "Lệ phí"),
        min_value=0,
    ),
    Field(
        "has_apology",
        "boolean",
        "An apology letter (phiếu xin lỗi) was sent",
        "Thư xin lỗi",
        ("Có thư xin lỗi", "Phiếu xin lỗi", "Văn bản xin lỗi"),
    ),
    Field(
        "overdue_reason",
        "string",
        "Reason given for the delay",
        "Lý do quá hạn",
        ("Nguyên nhân quá hạn", "Lý do chậm"),
    ),
    _personal(
        "applicant_name",
        "Applicant's name",
        "Người nộp",
        (
            "Họ tên người nộp",
            "Tên người nộp",
            "Chủ hồ sơ",
            "Họ và tên",
            "ChuHoSo",
            "Tên cá nhân, tổ chức",
            "Tên chủ hồ sơ",
        ),
    ),
    _personal(
        "applicant_id_number",
        "Applicant's citizen ID number",
        "Số CCCD",
        ("Số giấy tờ", "CMND/CCCD", "Số định danh", "Số CMND", "Số giấy tờ tùy thân"),
    ),
    _personal(
        "applicant_phone",
        "Applicant's phone",
        "Điện thoại",
        ("Số điện thoại", "SĐT", "SoDienThoai"),
    ),
    _personal("applicant_email", "Applicant's email", "Email", ("Thư điện tử", "E-mail")),
    _personal(
        "applicant_address",
        "Applicant's address",
        "Địa chỉ",
        ("Địa chỉ liên hệ", "Địa chỉ, số điện thoại"),
    ),
)

_PROCEDURES = (
    replace(_PROCEDURE_CODE, required=True, nullable=False, unique=True),
    replace(_PROCEDURE_NAME, required=True, nullable=False),
    _FIELD,
    Field(
        "level",
        "code",
        "Level at which it is carried out",
        "Cấp thực hiện",
        ("Cấp giải quyết",),
        codes=LEVEL_CODES,
    ),
    _UNIT,
    Field(
        "online_level",
        "code",
        "Online public-service level (ND 42/2022)",
        "Mức độ DVCTT",
        ("Mức độ dịch vụ công", "Mức độ DVC", "Mức độ dịch vụ công trực tuyến"),
        required=True,
        nullable=False,
        codes=ONLINE_LEVEL_CODES,
    ),
    Field(
        "eligible_full_online",
        "boolean",
        "Eligible to be offered as a full-online service",
        "Đủ điều kiện toàn trình",
        ("Đủ điều kiện DVCTT toàn trình",),
    ),
    Field(
        "full_online_since",
        "date",
        "Optional: date the procedure was first offered as a full-online service; gives "
        "the monthly trend of the full-online coverage (empty: full online since before "
        "the year)",
        "Ngày cung cấp DVCTT toàn trình",
        (
            "Ngày cung cấp DVC toàn trình",
            "Ngày cung cấp dịch vụ công trực tuyến toàn trình",
            "Ngày cung cấp toàn trình",
            "Ngày triển khai toàn trình",
        ),
        past=True,
    ),
    Field("has_fee", "boolean", "The procedure has a fee", "Có phí, lệ phí", ("Có phí",)),
    Field(
        "paper_result",
        "boolean",
        "The result is a paper document",
        "Kết quả bản giấy",
        ("Kết quả giấy",),
    ),
    Field(
        "individual_applicants",
        "boolean",
        "Individuals can apply",
        "Đối tượng cá nhân",
        ("Đối tượng là cá nhân",),
    ),
    Field(
        "time_limit",
        "float",
        "Legal time limit",
        "Thời hạn giải quyết",
        ("Thời hạn",),
        min_value=0,
    ),
    Field(
        "time_limit_unit",
        "code",
        "Unit of the time limit",
        "Đơn vị thời hạn",
        ("Đơn vị tính thời hạn",),
        codes=TIME_LIMIT_UNIT_CODES,
    ),
    Field(
        "decision_no",
        "string",
        "Number of the publication decision",
        "Số QĐ công bố",
        ("Quyết định công bố",),
    ),
    Field(
        "published_on",
        "date",
        "Date of the publication decision",
        "Ngày QĐ công bố",
        ("Ngày công bố",),
        past=True,
    ),
    Field(
        "legal_effective_on",
        "date",
        "Date the underlying legal text takes effect",
        "Ngày hiệu lực VBQPPL",
        ("Ngày hiệu lực", "Ngày VBQPPL có hiệu lực"),
    ),
    Field(
        "public_on_csdlqg_on",
        "date",
        "Date made public on the national TTHC database",
        "Ngày công khai trên CSDLQG",
        ("Ngày công khai CSDLQG", "Ngày công khai"),
        past=True,
    ),
    Field(
        "internal_process_on",
        "date",
        "Date the internal process was approved",
        "Ngày phê duyệt quy trình nội bộ",
        ("Ngày phê duyệt quy trình", "Quy trình nội bộ"),
        past=True,
    ),
    Field(
        "publicly_listed",
        "boolean",
        "Publicly listed with complete information (portal, website, notice board)",
        "Công khai đầy đủ",
        ("Niêm yết đầy đủ", "Đã niêm yết"),
    ),
    Field(
        "status",
        "code",
        "Procedure status",
        "Tình trạng",
        ("Trạng thái",),
        codes=PROCEDURE_STATUS_CODES,
    ),
)

_FEEDBACK = (
    Field(
        "feedback_id",
        "string",
        "Feedback (PAKN) code, unique",
        "Mã PAKN",
        ("Mã phản ánh", "Mã phản ánh kiến nghị", "Số PAKN"),
        required=True,
        nullable=False,
        unique=True,
    ),
    Field(
        "received_on",
        "date",
        "Receipt date (or latest transfer)",
        "Ngày tiếp nhận",
        ("Ngày nhận", "Ngày gửi"),
        required=True,
        nullable=False,
        past=True,
    ),
    Field(
        "category",
        "code",
        "Classification",
        "Phân loại",
        ("Loại phản ánh", "Phân loại PAKN"),
        codes=FEEDBACK_CATEGORY_CODES,
    ),
    Field(
        "content",
        "string",
        "Text typed by the citizen (untrusted: may contain HTML or script)",
        "Nội dung",
        ("Nội dung phản ánh", "Nội dung PAKN"),
        untrusted=True,
    ),
    _PROCEDURE_CODE,
    _UNIT,
    Field(
        "status",
        "code",
        "Handling status",
        "Trạng thái",
        ("Tình trạng", "Trạng thái xử lý"),
        required=True,
        nullable=False,
        codes=FEEDBACK_STATUS_CODES,
    ),
    Field("rejected_on", "date", "Date the PAKN was rejected", "Ngày từ chối", (), past=True),
    Field(
        "supplement_requested_on",
        "date",
        "Date the first supplement request was sent",
        "Ngày yêu cầu bổ sung",
        (),
        past=True,
    ),
    Field(
        "forwarded_on",
        "date",
        "Optional: date the PAKN was forwarded to the competent body (ND 20/2008 Art 9)",
        "Ngày chuyển",
        ("Ngày chuyển cơ quan khác", "Ngày chuyển xử lý"),
        past=True,
    ),
    Field(
        "handled_on",
        "date",
        "Date handling finished (status 'chờ công khai')",
        "Ngày xử lý xong",
        ("Ngày hoàn thành", "Ngày xử lý"),
        past=True,
    ),
    Field(
        "published_on",
        "date",
        "Date the result was published",
        "Ngày công khai",
        ("Ngày công khai kết quả",),
        past=True,
    ),
    Field(
        "likes",
        "int",
        "Number of 'like' ratings",
        "Lượt thích",
        ("Số lượt thích", "Like"),
        min_value=0,
    ),
    Field(
        "dislikes",
        "int",
        "Number of 'dislike' ratings",
        "Lượt không thích",
        ("Số lượt không thích", "Dislike"),
        min_value=0,
    ),
    Field(
        "is_repeat",
        "boolean",
        "A repeat complaint about the result",
        "Phản ánh lặp lại",
        ("Lặp lại",),
    ),
    _personal("sender_name", "Sender's name", "Người gửi", ("Họ tên người gửi", "Họ và tên")),
    _personal("sender_phone", "Sender's phone", "Điện thoại", ("Số điện thoại", "SĐT")),
    _personal("sender_email", "Sender's email", "Email", ("Thư điện tử", "E-mail")),
    _personal("sender_address", "Sender's address", "Địa chỉ", ("Địa chỉ liên hệ",)),
)

_INDEX766 = (
    Field(
        "period",
        "period",
        "Period of the score: a month stored as YYYY-MM (input such as 03/2025), a "
        "quarter as YYYY-Qn (Quý III/2025) or a year as YYYY (Năm 2025); only months "
        "enter the monthly trend",
        "Kỳ",
        ("Tháng", "Kỳ đánh giá", "Kỳ công bố"),
        required=True,
        nullable=False,
    ),
    Field(
        "unit",
        "string",
        "Unit scored (the Sở)",
        "Đơn vị",
        ("Cơ quan", "Đơn vị đánh giá", "TEN_COQUAN", "Tên cơ quan"),
    ),
    Field(
        "group_code",
        "code",
        "Index group (6-group codes, DVTT for the combined group 3, TONG for a total)",
        "Nhóm chỉ số",
        ("Nhóm", "Mã nhóm"),
        required=True,
        nullable=False,
        codes=INDEX766_GROUP_CODES,
    ),
    Field(
        "score",
        "float",
        "Points obtained",
        "Điểm",
        ("Điểm đạt", "Điểm số"),
        required=True,
        min_value=0,
    ),
    Field(
        "max_score",
        "float",
        "Maximum points of the group",
        "Điểm tối đa",
        ("Điểm chuẩn",),
        min_value=0,
    ),
    Field(
        "indicator_id",
        "string",
        "Indicator of Decision 766 (e.g. 4.1, 3.5b) when the row gives the points of one "
        "indicator of the group; empty for a group or total row (issue 13: like with like)",
        "Mã chỉ số",
        ("Mã chỉ số thành phần", "Chỉ số thành phần", "MaChiSo"),
        pattern=r"[0-9]+\.[0-9]+[a-z]?|[0-9]+\.x",
    ),
)

_ACTIVITIES = (
    Field(
        "task_id",
        "string",
        "Plan task id such as 'IX.1' (section roman numeral, task number)",
        "Mã nhiệm vụ",
        ("Nhiệm vụ", "Mã NV"),
        required=True,
        nullable=False,
        pattern=TASK_ID_PATTERN,
    ),
    Field(
        "date",
        "date",
        "Date of the document or activity",
        "Ngày",
        ("Ngày ban hành", "Ngày thực hiện", "Ngày văn bản"),
        required=True,
        nullable=False,
        past=True,
    ),
    Field("doc_number", "string", "Document number", "Số văn bản", ("Số hiệu", "Số, ký hiệu")),
    Field(
        "kind",
        "string",
        "Kind of evidence (Kế hoạch, Công văn, Tờ trình, Quyết định, Báo cáo, Tập huấn...)",
        "Loại văn bản",
        ("Loại", "Hình thức"),
    ),
    Field("title", "string", "Summary (trích yếu)", "Trích yếu", ("Nội dung", "Tiêu đề")),
    Field(
        "status",
        "code",
        "Completion status",
        "Trạng thái",
        ("Tình trạng", "Kết quả"),
        codes=ACTIVITY_STATUS_CODES,
    ),
    Field("unit", "string", "Unit that carried it out", "Đơn vị thực hiện", ("Đơn vị",)),
    Field(
        "covers_period",
        "string",
        "Period the evidence is for, e.g. '03/2025' or 'Quý I/2025' (optional)",
        "Kỳ áp dụng",
        ("Kỳ", "Tháng áp dụng", "Kỳ báo cáo"),
    ),
    Field(
        "participants",
        "int",
        "Number of participants (trainings)",
        "Số người tham gia",
        ("Số lượt tham gia",),
        min_value=0,
    ),
)

_REPORT_SUBMISSIONS = (
    Field(
        "period_id",
        "code",
        "Reporting period: Q1, H1 (6 months), 9M, Y (year), Q4 or M01..M12",
        "Kỳ báo cáo",
        ("Kỳ", "Loại báo cáo"),
        required=True,
        nullable=False,
        codes=REPORT_PERIOD_CODES,
    ),
    Field("report_code", "string", "Report or form code", "Mã báo cáo", ("Biểu mẫu", "Mẫu")),
    Field(
        "due_on",
        "date",
        "Submission deadline",
        "Hạn gửi",
        ("Hạn nộp", "Thời hạn gửi", "Hạn báo cáo"),
        required=True,
        nullable=False,
    ),
    Field(
        "submitted_on",
        "date",
        "Date sent; empty while not sent",
        "Ngày gửi",
        ("Ngày nộp", "Ngày gửi báo cáo"),
        past=True,
    ),
    Field("doc_number", "string", "Document number", "Số văn bản", ("Số hiệu",)),
)

DATASETS: MappingProxyType[str, tuple[Field, ...]] = MappingProxyType(
    {
        "dossiers": _DOSSIERS,
        "procedures": _PROCEDURES,
        "feedback": _FEEDBACK,
        "index766": _INDEX766,
        "activities": _ACTIVITIES,
        "report_submissions": _REPORT_SUBMISSIONS,
    }
)
"""Dataset name -> ordered fields."""

DATASET_LABELS_VI: MappingProxyType[str, str] = MappingProxyType(
    {
        "dossiers": "Hồ sơ TTHC",
        "procedures": "Danh mục TTHC",
        "feedback": "Phản ánh, kiến nghị (PAKN)",
        "index766": "Điểm Bộ chỉ số 766",
        "activities": "Minh chứng thực hiện nhiệm vụ",
        "report_submissions": "Báo cáo định kỳ đã gửi",
    }
)


def dataset_fields(dataset: str) -> dict[str, Field]:
    """Return the fields of ``dataset`` keyed by canonical name (in order)."""
    return {f.name: f for f in DATASETS[dataset]}


def personal_columns(dataset: str | None = None) -> frozenset[str]:
    """Canonical names of personal-data columns (of one dataset, or of all)."""
    names = [dataset] if dataset else list(DATASETS)
    return frozenset(f.name for n in names for f in DATASETS[n] if f.personal)


def label(column: str, code: object, dataset: str | None = None) -> str:
    """Vietnamese label of a coded value (``label("channel", "online")`` -> "Trực tuyến")."""
    for name in [dataset] if dataset else list(DATASETS):
        f = dataset_fields(name).get(column)
        if f is not None and f.codes and code in f.codes:
            return f.codes[code][0]
    return "" if code is None or code != code else str(code)


def field_dictionary() -> pd.DataFrame:
    """The whole field dictionary as a table (one row per dataset column)."""
    import pandas as pd

    rows = [
        {
            "dataset": name,
            "column": f.name,
            "kind": f.kind,
            "dtype": f.dtype,
            "required": f.required,
            "nullable": f.nullable,
            "unique": f.unique,
            "personal": f.personal,
            "untrusted": f.untrusted,
            "label_vi": f.label_vi,
            "headers": "; ".join(f.accepted_headers),
            "allowed": "; ".join(f.codes) if f.codes else "",
            "pattern": f.pattern or "",
            "description": f.description,
        }
        for name, fields in DATASETS.items()
        for f in fields
    ]
    return pd.DataFrame(rows)
