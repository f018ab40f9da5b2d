"""One vocabulary of Vietnamese labels for computed columns and their codes.

:mod:`tthc_analysis.fields` names the columns of the input datasets (``dossiers``,
``procedures``, ``feedback``...). This module names everything computed from them:
counts and rates (``n_received``, ``on_time_rate``...), outcomes of dossiers and PAKN,
statuses of the plan's tasks, cadences and the sources of the targets. Tables
(:mod:`tthc_analysis.views.display`), chart legends and titles (:mod:`tthc_analysis.charts`)
and the pages (:mod:`tthc_analysis.views`) all read it, so that one quantity has one
name everywhere.

Some column names mean different things in different datasets (``status`` of a dossier,
of a procedure, of a PAKN or of a task; ``published_on`` of a procedure or of a PAKN
result; ``outcome`` of a dossier or of a PAKN): :func:`column_label` and
:func:`code_label` take the ``dataset`` a frame comes from, and :func:`infer_dataset`
recognises it from a frame's columns when that is unambiguous.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType

from tthc_analysis import fields as _fields
from tthc_analysis.status import STATUSES
from tthc_analysis.text import nfc

__all__ = [
    "CADENCE_LABELS_VI",
    "COLUMN_LABELS_VI",
    "DOSSIER_OUTCOME_LABELS_VI",
    "DOSSIER_RATE_INDICATORS",
    "FEEDBACK_OUTCOME_LABELS_VI",
    "INDICATOR_LABELS_VI",
    "POINTS_COLUMNS",
    "RATE_LABELS_VI",
    "code_label",
    "column_label",
    "infer_dataset",
    "target_source_vi",
]

DOSSIER_RATE_INDICATORS = (
    "on_time_rate",
    "online_share",
    "full_online_share",
    "full_online_share_eligible",
    "digitisation_rate",
    "e_result_rate",
    "reuse_rate",
    "online_payment_rate",
    "overdue_rate",
)
"""Indicators that are dossier rates (columns of ``dossier_rates``), named as in its tables."""


RATE_LABELS_VI: MappingProxyType[str, str] = MappingProxyType(
    {
        "online_share": "Tỷ lệ hồ sơ nộp trực tuyến",
        "online_share_766": "Tỷ lệ hồ sơ nộp trực tuyến (cách tính chỉ số 766 3.3)",
        "full_online_share": "Tỷ lệ hồ sơ xử lý hoàn toàn trực tuyến",
        "full_online_share_all": "Tỷ lệ hồ sơ xử lý hoàn toàn trực tuyến (trên tổng số hồ sơ)",
        "full_online_share_eligible": "Tỷ lệ hồ sơ xử lý hoàn toàn trực tuyến (TTHC đủ điều kiện)",
        "on_time_rate": "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn",
        "overdue_rate": "Tỷ lệ hồ sơ quá hạn",
        "digitisation_rate": "Tỷ lệ số hóa hồ sơ",
        "e_result_rate": "Tỷ lệ cấp kết quả điện tử",
        "reuse_rate": "Tỷ lệ tái sử dụng dữ liệu số hóa",
        "sync_rate": "Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia",
        "online_payment_rate": "Tỷ lệ thanh toán trực tuyến",
    }
)
"""Names of the dossier rates of :func:`tthc_analysis.metrics.rates.dossier_rates` (tables, chart
legends and titles, page text)."""

COLUMN_LABELS_VI: MappingProxyType[str, str] = MappingProxyType(
    {
        # Loading and data quality
        "source_file": "Tệp nguồn",
        "source_row": "Dòng",
        "dataset": "Bộ dữ liệu",
        "column": "Cột",
        "header": "Tiêu đề cột trong tệp",
        "value": "Giá trị",
        "reason": "Lý do",
        "message": "Nội dung",
        "n_rows": "Số dòng đã nạp",
        "n_rejected_rows": "Số dòng bị loại",
        "n_problems": "Số lỗi",
        "n_warnings": "Số cảnh báo",
        # The plan and its tasks
        "task_id": "Nhiệm vụ",
        "task_no": "Số thứ tự",
        "section_id": "Phần",
        "section_title": "Tên phần",
        "content_short": "Nội dung nhiệm vụ",
        "lead_unit": "Đơn vị chủ trì",
        "partner_units": "Đơn vị phối hợp",
        "cadence": "Tần suất",
        "evidence_cadence": "Tần suất minh chứng",
        "deadline": "Thời hạn",
        "timeframe": "Thời hạn",
        "status_vi": "Trạng thái",
        "reason_vi": "Căn cứ đánh giá",
        "evidence_vi": "Minh chứng",
        "evidence_count": "Số minh chứng",
        "last_evidence_on": "Ngày có minh chứng gần nhất",
        "missing_periods": "Kỳ còn thiếu minh chứng",
        "indicator_summary_vi": "Chỉ tiêu",
        "target_source_vi": "Nguồn chỉ tiêu",
        # Dossier counts and rates
        "month": "Tháng",
        **{f"{key}_missing": f"Thiếu cột dữ liệu – {name}" for key, name in RATE_LABELS_VI.items()},
        "n_refused_intake": "Số hồ sơ bị từ chối tiếp nhận",
        "n_registered": "Số hồ sơ chỉ đăng ký, chưa tiếp nhận",
        "n_not_received": "Tổng số hồ sơ không được tiếp nhận",
        "n_received": "Số hồ sơ tiếp nhận",
        "n_online": "Số hồ sơ nộp trực tuyến",
        "n_online_766": "Số hồ sơ nộp trực tuyến (cách tính chỉ số 766 3.3)",
        "n_full_online": "Số hồ sơ xử lý hoàn toàn trực tuyến",
        "n_eligible_received": "Số hồ sơ của TTHC đủ điều kiện toàn trình",
        "n_eligible_channel_known": "Số hồ sơ của TTHC đủ điều kiện toàn trình, rõ kênh nộp",
        "n_full_online_eligible": "Số hồ sơ xử lý hoàn toàn trực tuyến (TTHC đủ điều kiện)",
        "n_carried_over": "Số hồ sơ từ kỳ trước chuyển sang",
        "n_in_scope": "Số hồ sơ nhận giải quyết",
        "n_finished": "Số hồ sơ đã giải quyết",
        "n_finished_early": "Số hồ sơ đã giải quyết trước hạn",
        "n_finished_on_time": "Số hồ sơ đã giải quyết đúng hạn",
        "n_finished_overdue": "Số hồ sơ đã giải quyết quá hạn",
        "n_pending": "Số hồ sơ đang giải quyết",
        "n_pending_in_time": "Số hồ sơ đang giải quyết trong hạn",
        "n_pending_overdue": "Số hồ sơ đang giải quyết quá hạn",
        "n_on_time": "Số hồ sơ giải quyết trước hạn, đúng hạn",
        "n_overdue": "Số hồ sơ quá hạn",
        "n_digitised": "Số hồ sơ được số hóa",
        "n_paper_result_finished": "Số hồ sơ đã giải quyết của TTHC có kết quả bản giấy",
        "n_e_result": "Số hồ sơ được cấp kết quả điện tử",
        "n_reused": "Số hồ sơ tái sử dụng dữ liệu số hóa",
        "n_synced": "Số hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia",
        "n_fee_dossiers": "Số hồ sơ có phí, lệ phí",
        "n_paid_online": "Số hồ sơ thanh toán trực tuyến",
        "n_processing_wd": "Số hồ sơ tính thời gian giải quyết",
        "n_unknown_procedure": "Số hồ sơ có mã TTHC ngoài danh mục",
        **RATE_LABELS_VI,
        "avg_processing_wd": "Thời gian giải quyết bình quân (ngày làm việc)",
        "days_late_wd": "Số ngày làm việc trễ hạn",
        "outcome": "Kết quả giải quyết",
        # Procedures: publication and online services
        "publication_deadline_on": "Hạn công bố",
        "lead_wd": "Số ngày làm việc trước ngày hiệu lực",
        "published_on_time": "Công bố đúng hạn",
        "csdlqg_deadline_on": "Hạn công khai trên CSDLQG",
        "public_on_time": "Công khai trên CSDLQG đúng hạn",
        "has_internal_process": "Có quy trình nội bộ",
        "n_in_force": "Số TTHC đang hiệu lực",
        "n_full": "Số TTHC toàn trình",
        "n_partial": "Số TTHC một phần",
        "n_none": "Số TTHC chưa có DVCTT",
        "n_eligible": "Số TTHC đủ điều kiện toàn trình",
        "n_eligible_full": "Số TTHC đủ điều kiện đã cung cấp toàn trình",
        "full_online_coverage": "Tỷ lệ TTHC đủ điều kiện được cung cấp toàn trình",
        "online_service_share": "Tỷ lệ TTHC có dịch vụ công trực tuyến",
        "full_online_procedure_share": "Tỷ lệ TTHC cung cấp DVCTT toàn trình",
        "partial_online_procedure_share": "Tỷ lệ TTHC cung cấp DVCTT một phần",
        "n_online_dossiers": "Số hồ sơ trực tuyến",
        "has_online_dossier": "Có phát sinh hồ sơ trực tuyến",
        # PAKN
        "n_items": "Số PAKN",
        "closed_on": "Ngày xử lý xong",
        "elapsed_wd": "Số ngày làm việc xử lý",
        "handling_on_time": "Xử lý đúng hạn",
        "late_reason_vi": "Lý do trễ hạn",
        # 766 index
        "total": "Tổng điểm",
        "published": "Điểm công bố",
        "estimated": "Điểm ước tính",
        "difference": "Chênh lệch (ước tính − công bố)",
        "group_max": "Điểm tối đa",
        "missing_vi": "Chỉ số chưa ước tính được",
        "points_not_estimated": "Số điểm không ước tính",
        "comparison_vi": "Cách so sánh",
        "change_vs_prev_month": "Tăng/giảm so với tháng trước",
        "diff_vs_prev_year_mean": "Chênh lệch so với bình quân năm trước",
        # Periodic reports
        "effective_due_on": "Hạn gửi",
        "days_late": "Số ngày trễ",
    }
)
"""Vietnamese header of each computed column (dataset columns are in
:mod:`tthc_analysis.fields`)."""

INDICATOR_LABELS_VI: MappingProxyType[str, str] = MappingProxyType(
    {
        # Dossiers: the rates of the dossier tables, under the same names
        **{key: RATE_LABELS_VI[key] for key in DOSSIER_RATE_INDICATORS},
        "overdue_without_apology": "Số hồ sơ quá hạn không có thư xin lỗi",
        "sync_rate": "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG (công khai tiến độ)",
        # Procedures
        "publication_on_time_share": (
            "Tỷ lệ TTHC công bố đúng hạn (QĐ công bố trước ngày VBQPPL có hiệu lực "
            "ít nhất 5 ngày làm việc)"
        ),
        "csdlqg_on_time_share": (
            "Tỷ lệ TTHC công khai trên CSDLQG trong 5 ngày làm việc kể từ ngày QĐ công bố"
        ),
        "internal_process_share": "Tỷ lệ TTHC có quy trình nội bộ được phê duyệt",
        "publicly_listed_share": "Tỷ lệ TTHC công khai đầy đủ nội dung",
        "eligible_full_online_coverage": COLUMN_LABELS_VI["full_online_coverage"],
        "online_service_share": COLUMN_LABELS_VI["online_service_share"],
        "full_online_procedure_share": COLUMN_LABELS_VI["full_online_procedure_share"],
        "partial_online_procedure_share": COLUMN_LABELS_VI["partial_online_procedure_share"],
        "online_services_with_dossiers_share": "Tỷ lệ DVCTT có phát sinh hồ sơ trực tuyến",
        # PAKN
        "pakn_on_time_rate": "Tỷ lệ PAKN xử lý đúng thời hạn",
        "pakn_published_on_time_rate": "Tỷ lệ PAKN đã xử lý được công khai trong 2 ngày làm việc",
        # 766 index
        "index766_months_below_prev_year_mean": (
            "Số tháng có tổng điểm 766 thấp hơn bình quân năm trước"
        ),
        "index766_total_latest": "Tổng điểm 766 tháng gần nhất",
        "index766_estimate_gap": (
            "Chênh lệch điểm nhóm 2 (TDGQ) ước tính so với công bố (bình quân tháng)"
        ),
        # Periodic reports and evidence counts
        "reports_on_time": "Số báo cáo định kỳ gửi đúng hạn",
        "notice_months": "Số tháng có thông báo kết quả 766",
        "proposals_count": "Số văn bản đề xuất, kiến nghị",
        "trainings_count": "Số lượt tập huấn đã tham gia",
        "training_participants": "Số người tham gia tập huấn",
        "communication_items": "Số hoạt động truyền thông",
        "plan_indicators_met_share": "Tỷ lệ chỉ tiêu định lượng của các nhiệm vụ khác đạt",
    }
)
"""Names of the indicators of the task table (``data/plan/task_indicators.csv``), by
``indicator_id``: the one source of their names. A row of the table whose ``name_vi``
is empty takes its name from here (:func:`tthc_analysis.loading.reference.load_task_indicators`);
the rates keep the names they have in the dossier tables and charts."""

DATASET_COLUMN_LABELS_VI: MappingProxyType[str, Mapping[str, str]] = MappingProxyType(
    {
        "dossiers": {"outcome": "Kết quả giải quyết"},
        "feedback": {
            "outcome": "Kết quả xử lý",
            "published_on_time": "Công khai kết quả đúng hạn",
            "n_handled": "Đã xử lý",
            "n_rejected": "Từ chối tiếp nhận",
            "n_open": "Đang xử lý",
            "n_forwarded": "Chuyển cơ quan khác",
            "n_judged": "Số PAKN được đánh giá",
            "n_on_time": "Xử lý đúng thời hạn",
            "n_late": "Xử lý trễ hạn",
            "on_time_rate": "Tỷ lệ xử lý đúng thời hạn",
            "n_published": "Đã công khai kết quả",
            "n_publish_due": "Số PAKN phải công khai",
            "n_published_on_time": "Công khai kết quả đúng hạn",
            "published_on_time_rate": "Tỷ lệ công khai kết quả đúng hạn",
        },
    }
)
"""Headers of computed columns whose meaning depends on the dataset of the frame."""

POINTS_COLUMNS = frozenset(
    {
        "total",
        "score",
        "max_score",
        "published",
        "estimated",
        "difference",
        "group_max",
        "points_not_estimated",
        "points",
        "max_points",
        "change_vs_prev_month",
        "diff_vs_prev_year_mean",
    }
)
"""Columns holding 766 scores: shown with two decimals (``90,86``), as published."""

DOSSIER_OUTCOME_LABELS_VI: MappingProxyType[str, str] = MappingProxyType(
    {
        "early": "Đã giải quyết trước hạn",
        "on_time": "Đã giải quyết đúng hạn",
        "overdue": "Đã giải quyết quá hạn",
        "pending_in_time": "Đang giải quyết trong hạn",
        "pending_overdue": "Đang giải quyết quá hạn",
    }
)
"""Dossier outcomes (:func:`tthc_analysis.metrics.dossiers.classify_dossiers`), in the words of
form 06/VPCP/KSTT."""

FEEDBACK_OUTCOME_LABELS_VI: MappingProxyType[str, str] = MappingProxyType(
    {
        "handled": "Đã xử lý",
        "rejected": "Từ chối tiếp nhận",
        "open": "Đang xử lý",
        "forwarded": "Chuyển cơ quan khác",
    }
)
"""PAKN outcomes (:func:`tthc_analysis.metrics.feedback.feedback_timeliness`)."""

CADENCE_LABELS_VI: MappingProxyType[str, str] = MappingProxyType(
    {
        "ongoing": "Thường xuyên",
        "monthly": "Hằng tháng",
        "quarterly": "Hằng quý",
        "yearly": "Ít nhất một lần trong năm",
        "deadline": "Có thời hạn",
        "on_request": "Theo yêu cầu",
        "unparsed": "Chưa xác định thời hạn",
    }
)
"""Task cadences as shown in reports (the plan parser keeps its own spellings)."""

_STATUS_LABELS = {code: s.label_vi for code, s in STATUSES.items()}

_CODES: dict[str, Mapping[str, str]] = {
    "status": _STATUS_LABELS,
    "section_status": _STATUS_LABELS,
    "evidence_status": _STATUS_LABELS,
    "indicator_status": _STATUS_LABELS,
    "dataset": _fields.DATASET_LABELS_VI,
    "cadence": CADENCE_LABELS_VI,
    "evidence_cadence": CADENCE_LABELS_VI,
    "outcome": {**DOSSIER_OUTCOME_LABELS_VI, **FEEDBACK_OUTCOME_LABELS_VI},
    "judged_on": {"actual": "Số liệu thực tế", "projection": "Dự báo"},
    "direction": {"min": "Tối thiểu", "max": "Tối đa"},
}
"""Codes of computed columns, whatever the dataset (dossier and PAKN outcomes do not
share a code)."""

_DATASET_CODES: dict[str, dict[str, Mapping[str, str]]] = {
    "dossiers": {"outcome": DOSSIER_OUTCOME_LABELS_VI},
    "feedback": {"outcome": FEEDBACK_OUTCOME_LABELS_VI},
}


@lru_cache(maxsize=1024)
def _dataset_field(column: str, dataset: str | None) -> _fields.Field | None:
    if dataset is not None and dataset in _fields.DATASETS:
        return _fields.dataset_fields(dataset).get(column)
    return None


@lru_cache(maxsize=1024)
def _coded_fields(column: str) -> tuple[_fields.Field, ...]:
    """The fields named ``column`` that have codes, in dataset order."""
    found = (_fields.dataset_fields(ds).get(column) for ds in _fields.DATASETS)
    return tuple(f for f in found if f is not None and f.codes)


@lru_cache(maxsize=512)
def _first_field(column: str) -> _fields.Field | None:
    for name in _fields.DATASETS:
        found = _fields.dataset_fields(name).get(column)
        if found is not None:
            return found
    return None


def column_label(column: object, dataset: str | None = None) -> str:
    """Vietnamese header of a column.

    Looked up in order: the field of ``dataset`` (:mod:`tthc_analysis.fields`), the
    dataset's own computed columns, the first dataset that has the column, the computed
    columns (:data:`COLUMN_LABELS_VI`); else the name itself.

    Args:
        column: Column name.
        dataset: The dataset the frame comes from (``"feedback"``...), if known.
    """
    name = str(column)
    found = _dataset_field(name, dataset)
    if found is not None:
        return found.label_vi
    own = DATASET_COLUMN_LABELS_VI.get(dataset or "", {}).get(name)
    if own:
        return own
    found = _first_field(name)
    if found is not None:
        return found.label_vi
    return COLUMN_LABELS_VI.get(name, name)


def code_label(column: object, code: object, dataset: str | None = None) -> str | None:
    """Vietnamese label of a coded value, or ``None`` when the code is not known.

    Looked up in order: the codes of ``dataset``'s field, the dataset's computed codes
    (``outcome``), the codes of computed columns (task ``status``, ``cadence``,
    ``dataset``...), then the first dataset whose field has that code.

    Args:
        column: Column name (``"status"``, ``"outcome"``, ``"channel"``...).
        code: The value.
        dataset: The dataset the frame comes from, if known.
    """
    if not isinstance(code, str):
        return None
    name = str(column)
    found = _dataset_field(name, dataset)
    if found is not None and found.codes and code in found.codes:
        return found.codes[code][0]
    own = _DATASET_CODES.get(dataset or "", {}).get(name)
    if own and code in own:
        return own[code]
    generic = _CODES.get(name)
    if generic and code in generic:
        return generic[code]
    for found in _coded_fields(name):
        if found.codes and code in found.codes:
            return found.codes[code][0]
    return None


@lru_cache(maxsize=1)
def _distinctive_columns() -> dict[str, str]:
    """Column -> the only field-dictionary dataset that has it."""
    owners: dict[str, set[str]] = {}
    for name, dataset_fields in _fields.DATASETS.items():
        for f in dataset_fields:
            owners.setdefault(f.name, set()).add(name)
    return {column: next(iter(names)) for column, names in owners.items() if len(names) == 1}


def infer_dataset(columns: Iterable[object]) -> str | None:
    """The dataset a frame comes from, when its columns say so unambiguously.

    A column that belongs to one dataset only (``feedback_id``, ``dossier_id``,
    ``decision_no``, ``task_id``...) points to that dataset; columns pointing to two
    datasets, or none, give ``None``.
    """
    distinctive = _distinctive_columns()
    found = {distinctive[str(c)] for c in columns if str(c) in distinctive}
    return found.pop() if len(found) == 1 else None


_SOURCE_TAGS = (
    ("plan text", "plan"),
    ("domain default", "Mặc định theo quy định"),
    ("evaluation-map.md", "Tiêu chí đánh giá của báo cáo"),
)


def target_source_vi(text: object, plan_doc: str = "") -> str:
    """Where a target comes from, in Vietnamese.

    The task → indicator table (``task_indicators.csv``) starts each source with a short
    English tag: ``plan text (…)`` becomes ``Kế hoạch 655/SGDĐT-VP (…)`` (with the plan's
    document number), ``domain default (…)`` ``Mặc định theo quy định (…)`` and
    ``evaluation-map.md (…)`` ``Tiêu chí đánh giá của báo cáo (…)``; any other text is
    kept. Missing values give ``""``.

    Args:
        text: The ``target_source`` value.
        plan_doc: The plan's document number (``"655/SGDĐT-VP"``), if known.
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    source = nfc(str(text)).strip()
    for tag, words in _SOURCE_TAGS:
        if source.startswith(tag):
            if words == "plan":
                words = f"Kế hoạch {plan_doc}".strip()
            return words + source[len(tag) :]
    return source
