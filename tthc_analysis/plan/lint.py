"""Plan lint: internal inconsistencies a reviewer of the plan should know about.

Each check returns :class:`LintIssue` objects (code, severity, Vietnamese message,
location). Checks on the document's own text (letterhead, number) run when the lint is
given a document in the text layout; the others work on any :class:`Plan`.

=========================  ========  ======================================================
code                       severity  finding
=========================  ========  ======================================================
``legal_date_conflict``    warning   the same legal document cited with different dates
``doc_number_form``        warning   the dispatch's own number written in several ways
                                     (info when written one way, unlike the canonical form)
``doc_date_conflict``      warning   the dispatch cited with a date other than its own
``timeframe_unparsed``     warning   a timeframe that fits no known wording
``cadence_hint``           warning   content states a periodic duty, timeframe says ongoing
``deadline_outside_year``  warning   a deadline outside the plan's year
``unknown_unit``           warning   a unit not in ``data/reference/units.csv``
``missing_field``          warning   no lead unit (info: no expected output)
``numbering_gap``          warning   sections or tasks not numbered 1, 2, 3... in order
``read_warning``           warning   something noticed while reading the file
``cadence_override``       info      a table's cadence/deadline differs from its timeframe
``numeric_target``         info      a quantitative target stated in the content
=========================  ========  ======================================================
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from tthc_analysis.plan.meta import canonical_doc_number
from tthc_analysis.plan.model import Plan
from tthc_analysis.plan.parser import BUNDLED_SOURCE, parse_plan
from tthc_analysis.plan.refs import find_legal_refs
from tthc_analysis.plan.textdoc import TEXT_SUFFIXES, TextDocument, parse_text_document
from tthc_analysis.plan.timeframe import CADENCE_LABELS_VI, parse_timeframe
from tthc_analysis.plan.units import is_known_unit
from tthc_analysis.text import format_date
from tthc_analysis.typed import rows

__all__ = ["SEVERITY_LABELS_VI", "LintIssue", "format_issues", "issues_frame", "lint_plan"]

SEVERITY_LABELS_VI = {"error": "lỗi", "warning": "cảnh báo", "info": "thông tin"}
_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class LintIssue:
    """One finding of the plan lint.

    Attributes:
        code: What kind of finding (see the module table).
        severity: ``"error"``, ``"warning"`` or ``"info"``.
        message_vi: The finding, in Vietnamese.
        line: Line of the document, when linting a text document.
        task_id: The task concerned, if any.
    """

    code: str
    severity: str
    message_vi: str
    line: int | None = None
    task_id: str | None = None


@dataclass(frozen=True)
class _Text:
    """A piece of plan text to scan, with its location."""

    text: str
    line: int | None
    task_id: str | None

    def where(self) -> str:
        parts = [f"dòng {self.line}" if self.line else "", self.task_id or ""]
        return ", ".join(p for p in parts if p) or "không rõ vị trí"


def _ascii_lower(text: str) -> str:
    """Lower-case, diacritics removed, same length as ``text`` (positions kept)."""
    out = []
    for ch in text:
        low = ch.lower()[:1] or ch
        low = "d" if low == "đ" else unicodedata.normalize("NFD", low)[:1]
        out.append(low)
    return "".join(out)


def _texts(plan: Plan, doc: TextDocument | None) -> list[_Text]:
    lines = {t.task_id: t.row for t in doc.table.tasks} if doc else {}
    section_lines = {s.section_id: s.row for s in doc.table.sections} if doc else {}
    texts = [_Text(text, row, None) for row, text in doc.table.before if text] if doc else []
    for section in rows(plan.sections):
        texts.append(_Text(section.section_title, section_lines.get(section.section_id), None))
    for task in rows(plan.tasks):
        for value in (task.content, task.expected_output):
            texts.append(_Text(value, lines.get(task.task_id), task.task_id))
    return texts


def _check_legal_dates(texts: list[_Text]) -> list[LintIssue]:
    cited: dict[str, dict] = defaultdict(lambda: {"raw": "", "dates": defaultdict(list)})
    for item in texts:
        for ref in find_legal_refs(item.text):
            if ref.date is not None:
                cited[ref.key]["raw"] = cited[ref.key]["raw"] or re.sub(r"\s+", "", ref.raw)
                cited[ref.key]["dates"][ref.date].append(item)
    issues = []
    for entry in cited.values():
        dates = entry["dates"]
        if len(dates) < 2:
            continue
        where = "; ".join(
            f"{format_date(day)} ({', '.join(i.where() for i in items)})"
            for day, items in sorted(dates.items())
        )
        first = min((items[0] for items in dates.values()), key=lambda i: i.line or 0)
        issues.append(
            LintIssue(
                "legal_date_conflict",
                "warning",
                f"Văn bản {entry['raw']} được dẫn với {len(dates)} ngày ban hành khác nhau: "
                f"{where}. Cần đối chiếu văn bản gốc và thống nhất.",
                first.line,
                first.task_id,
            )
        )
    return issues


def _check_own_number(plan: Plan, texts: list[_Text]) -> list[LintIssue]:
    canonical = plan.meta.doc_number
    if not canonical or "/" not in canonical:
        return []
    number, office = canonical.split("/")[0], canonical.rsplit("-", 1)[-1]
    forms: dict[str, list[_Text]] = defaultdict(list)
    issues = []
    for item in texts:
        for ref in find_legal_refs(item.text):
            if ref.number != number or ref.symbol.rsplit("-", 1)[-1] != office:
                continue
            forms[ref.raw].append(item)
            if ref.date and plan.meta.doc_date and ref.date != plan.meta.doc_date:
                issues.append(
                    LintIssue(
                        "doc_date_conflict",
                        "warning",
                        f"Văn bản {canonical} được dẫn với ngày {format_date(ref.date)} "
                        f"({item.where()}), khác ngày ban hành {format_date(plan.meta.doc_date)}.",
                        item.line,
                        item.task_id,
                    )
                )
    wrong = {raw for raw in forms if canonical_doc_number(raw) != canonical}
    if not wrong:
        return issues
    listed = ", ".join(f"«{raw}» ({', '.join(i.where() for i in forms[raw])})" for raw in forms)
    several = len({canonical_doc_number(raw) for raw in forms}) > 1
    first = min((items[0] for items in forms.values()), key=lambda i: i.line or 0)
    message = (
        f"Số hiệu của chính văn bản được viết không thống nhất: {listed}. "
        if several
        else f"Số hiệu của văn bản được viết là {listed}. "
    ) + f"Cách viết chuẩn: «{canonical}»."
    issues.insert(
        0,
        LintIssue("doc_number_form", "warning" if several else "info", message, first.line, None),
    )
    return issues


def _task_lines(doc: TextDocument | None) -> dict[str, int]:
    return {t.task_id: t.row for t in doc.table.tasks} if doc else {}


def _check_timeframes(plan: Plan, lines: dict[str, int]) -> list[LintIssue]:
    issues = []
    year = plan.meta.year
    for task in rows(plan.tasks):
        line = lines.get(task.task_id)
        parsed = parse_timeframe(task.timeframe_text, plan_year=year)
        if task.cadence == "unparsed":
            issues.append(
                LintIssue(
                    "timeframe_unparsed",
                    "warning",
                    f"Nhiệm vụ {task.task_id}: {parsed.note}",
                    line,
                    task.task_id,
                )
            )
            continue
        deadline = None if pd.isna(task.deadline) else task.deadline.date()
        if (parsed.cadence, parsed.deadline) != (task.cadence, deadline):
            stated = str(CADENCE_LABELS_VI.get(task.cadence, task.cadence))
            if deadline:
                stated += f", hạn {format_date(deadline)}"
            issues.append(
                LintIssue(
                    "cadence_override",
                    "info",
                    f"Nhiệm vụ {task.task_id}: kỳ theo dõi được đặt là «{stated}», khác với "
                    f"cách đọc thời gian thực hiện «{task.timeframe_text}» "
                    f"(«{CADENCE_LABELS_VI[parsed.cadence]}»).",
                    line,
                    task.task_id,
                )
            )
        if deadline and year and deadline.year != year:
            issues.append(
                LintIssue(
                    "deadline_outside_year",
                    "warning",
                    f"Nhiệm vụ {task.task_id}: hạn {format_date(deadline)} nằm ngoài năm kế "
                    f"hoạch {year}.",
                    line,
                    task.task_id,
                )
            )
    return issues


_QUARTER_EACH = re.compile(r"\b(?:hang|moi|dinh ky) quy\b")
_QUARTER_NAMED = re.compile(r"\bquy\s*(?:iv|iii|ii|i|[1-4])\b")
_MONTH_EACH = re.compile(r"\b(?:hang|moi) thang\b")


def _periodic_snippet(text: str) -> tuple[str, str] | None:
    folded = _ascii_lower(text)
    named = list(_QUARTER_NAMED.finditer(folded))
    spans: list[tuple[int, int]] = []
    kind = ""
    if (m := _QUARTER_EACH.search(folded)) is not None:
        spans, kind = [m.span()], "quarterly"
    elif len(named) >= 2:
        spans, kind = [named[0].span(), named[-1].span()], "quarterly"
    elif (m := _MONTH_EACH.search(folded)) is not None:
        spans, kind = [m.span()], "monthly"
    if not spans:
        return None
    start = max(text.rfind(";", 0, spans[0][0]), text.rfind(". ", 0, spans[0][0])) + 1
    return kind, text[start : spans[-1][1]].strip(" .;")


def _check_periodic(plan: Plan, lines: dict[str, int]) -> list[LintIssue]:
    issues = []
    for task in rows(plan.tasks):
        if task.cadence != "ongoing":
            continue
        found = _periodic_snippet(task.content) or _periodic_snippet(task.expected_output)
        if found is None:
            continue
        kind, snippet = found
        label = "theo quý" if kind == "quarterly" else "hàng tháng"
        issues.append(
            LintIssue(
                "cadence_hint",
                "warning",
                f"Nhiệm vụ {task.task_id}: nội dung nêu việc định kỳ {label} («{snippet}») "
                f"nhưng thời gian thực hiện ghi «{task.timeframe_text}»; nên theo dõi "
                f"{label} (cadence {kind}).",
                lines.get(task.task_id),
                task.task_id,
            )
        )
    return issues


_PERCENT = re.compile(r"\d{1,3}(?:[.,]\d+)?\s?%")
_TIME_PHRASE = re.compile(
    r"(?:đến hết|đến|trước|trong|cuối)\s+(?:năm|ngày|tháng|quý)\s+[\dIVX/]+", re.IGNORECASE
)


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(";", 0, start), text.rfind(". ", 0, start)) + 1
    rights = [i for i in (text.find(";", end), text.find(". ", end)) if i >= 0]
    right = min(rights) if rights else len(text)
    return left, right


def _target_snippet(text: str, match: re.Match, others: list[re.Match]) -> tuple[str, str]:
    left, right = _clause_bounds(text, *match.span())
    clause_time = _TIME_PHRASE.search(text, left, right)
    before = [m for m in others if left <= m.end() <= match.start()]
    after = [m for m in others if match.end() <= m.start() < right]
    if before:
        cut = text.rfind(" và ", before[-1].end(), match.start())
        left = cut + 4 if cut >= 0 else left
    if after:
        cut = text.find(" và ", match.end(), after[0].start())
        right = cut if cut >= 0 else right
    snippet = text[left:right].strip(" .;")
    if len(snippet) > 160:
        snippet = snippet[:159] + "…"
    return snippet, clause_time.group(0) if clause_time else ""


def _check_targets(plan: Plan, lines: dict[str, int]) -> list[LintIssue]:
    issues = []
    for task in rows(plan.tasks):
        matches = list(_PERCENT.finditer(task.content))
        for match in matches:
            others = [m for m in matches if m is not match]
            snippet, when = _target_snippet(task.content, match, others)
            suffix = f" (thời hạn: {when})" if when and when not in snippet else ""
            issues.append(
                LintIssue(
                    "numeric_target",
                    "info",
                    f"Nhiệm vụ {task.task_id} nêu chỉ tiêu định lượng {match.group(0)}: "
                    f"«{snippet}»{suffix}. Cần có chỉ số để theo dõi.",
                    lines.get(task.task_id),
                    task.task_id,
                )
            )
    return issues


def _check_units(plan: Plan, lines: dict[str, int]) -> list[LintIssue]:
    unknown: dict[str, list[str]] = defaultdict(list)
    issues = []
    for task in rows(plan.tasks):
        leads = [u for u in task.lead_unit.split("; ") if u]
        if not leads:
            issues.append(
                LintIssue(
                    "missing_field",
                    "warning",
                    f"Nhiệm vụ {task.task_id} chưa có đơn vị chủ trì.",
                    lines.get(task.task_id),
                    task.task_id,
                )
            )
        if not task.expected_output:
            issues.append(
                LintIssue(
                    "missing_field",
                    "info",
                    f"Nhiệm vụ {task.task_id} chưa ghi sản phẩm dự kiến hoàn thành.",
                    lines.get(task.task_id),
                    task.task_id,
                )
            )
        for unit in [*leads, *task.partner_units]:
            if not is_known_unit(unit) and task.task_id not in unknown[unit]:
                unknown[unit].append(task.task_id)
    for unit, task_ids in unknown.items():
        issues.append(
            LintIssue(
                "unknown_unit",
                "warning",
                f"Đơn vị «{unit}» (nhiệm vụ {', '.join(task_ids)}) không có trong danh mục "
                "đơn vị data/reference/units.csv; thêm vào danh mục (tên hoặc tên gọi khác) "
                "hoặc sửa tên trong kế hoạch.",
                lines.get(task_ids[0]),
                task_ids[0],
            )
        )
    return issues


def _check_numbering(plan: Plan, lines: dict[str, int]) -> list[LintIssue]:
    issues = []
    numbers = plan.sections["section_no"].tolist()
    if numbers != list(range(1, len(numbers) + 1)):
        ids = ", ".join(plan.sections["section_id"])
        issues.append(
            LintIssue(
                "numbering_gap",
                "warning",
                f"Các mục không được đánh số liên tục từ I: {ids}.",
            )
        )
    for section_id, group in plan.tasks.groupby("section_id", sort=False):
        numbers = group["task_no"].tolist()
        if numbers != list(range(1, len(numbers) + 1)):
            first = group["task_id"].iloc[0]
            issues.append(
                LintIssue(
                    "numbering_gap",
                    "warning",
                    f"Các nhiệm vụ của mục {section_id} không được đánh số liên tục từ 1: "
                    f"{', '.join(str(n) for n in numbers)}.",
                    lines.get(first),
                    first,
                )
            )
    return issues


def _read_warnings(plan: Plan) -> list[LintIssue]:
    unparsed = plan.tasks.loc[plan.tasks["cadence"] == "unparsed", "task_id"].tolist()
    return [
        LintIssue("read_warning", "warning", text)
        for text in plan.warnings
        if not any(f"nhiệm vụ {task_id}: " in text for task_id in unparsed)
    ]


def _resolve(plan_or_path: Plan | str | Path | None) -> tuple[Plan, TextDocument | None]:
    if isinstance(plan_or_path, Plan):
        return plan_or_path, None
    path = Path(plan_or_path) if plan_or_path is not None else BUNDLED_SOURCE
    if path.suffix.lower() in TEXT_SUFFIXES and path.is_file():
        return parse_text_document(path)
    return parse_plan(path), None


def lint_plan(plan_or_path: Plan | str | Path | None = None) -> list[LintIssue]:
    """Check a plan for internal inconsistencies.

    Args:
        plan_or_path: A :class:`Plan`, or a plan file (a text-layout document also gets
            the checks on its letterhead and line numbers). ``None`` lints the bundled
            copy of dispatch 655/SGDĐT-VP.

    Returns:
        The issues, warnings before information, each in document order.
    """
    plan, doc = _resolve(plan_or_path)
    texts = _texts(plan, doc)
    lines = _task_lines(doc)
    issues = [
        *_read_warnings(plan),
        *_check_own_number(plan, texts),
        *_check_legal_dates(texts),
        *_check_timeframes(plan, lines),
        *_check_periodic(plan, lines),
        *_check_units(plan, lines),
        *_check_numbering(plan, lines),
        *_check_targets(plan, lines),
    ]
    order = {task_id: i for i, task_id in enumerate(plan.task_ids)}
    return sorted(
        issues,
        key=lambda i: (
            _SEVERITY_RANK[i.severity],
            i.line or 0,
            order.get(i.task_id or "", -1),
        ),
    )


def issues_frame(issues: list[LintIssue]) -> pd.DataFrame:
    """The issues as a DataFrame: code, severity, message_vi, line, task_id."""
    columns = ["code", "severity", "message_vi", "line", "task_id"]
    frame = pd.DataFrame([asdict(i) for i in issues], columns=columns)
    return frame.astype({"line": "Int64"})


def format_issues(issues: list[LintIssue]) -> str:
    """Readable Vietnamese listing of the issues, with a count by severity."""
    if not issues:
        return "Không phát hiện vấn đề nào trong kế hoạch.\n"
    out = []
    for issue in issues:
        where = ", ".join(
            p for p in (f"dòng {issue.line}" if issue.line else "", issue.task_id or "") if p
        )
        label = SEVERITY_LABELS_VI[issue.severity]
        out.append(f"[{label}] {where + ': ' if where else ''}{issue.message_vi}")
    counts = pd.Series([i.severity for i in issues]).value_counts()
    summary = ", ".join(
        f"{counts[s]} {SEVERITY_LABELS_VI[s]}" for s in ("error", "warning", "info") if s in counts
    )
    return "\n".join(out) + f"\n\nTổng cộng: {summary}.\n"
