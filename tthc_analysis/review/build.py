"""``tthc review``: build the whole review report in a temporary folder, then swap it in.

Steps: resolve the parameters → ingest and evaluate once (the kernels reuse the result)
→ execute every ``NN_*.ipynb`` of the notebooks folder in parallel and export each to
HTML in-process → write form 06, the rejected rows, the data-quality page, ``index.html``
and ``manifest.json`` → check that no page loads anything from outside the file → replace
the output folder with the new one (rename of a sibling folder, under a lock).

A failure leaves the previous report untouched and removes the temporary folder.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import nbformat
import pandas as pd
from filelock import FileLock
from markupsafe import Markup

from tthc_analysis import __version__
from tthc_analysis.config import NOTEBOOKS_DIR, REPORTS_DIR
from tthc_analysis.errors import BuildError, InputFileError, ParameterError
from tthc_analysis.fields import DATASET_LABELS_VI
from tthc_analysis.outputs import check_output_dir, output_error, replace_dir, writing
from tthc_analysis.privacy import mask_rejected
from tthc_analysis.review.checks import check_report
from tthc_analysis.review.export import (
    PageContext,
    ReportExporter,
    clean_notebook,
    notebook_title,
    render_page_template,
    write_notebook,
)
from tthc_analysis.review.manifest import (
    MANIFEST_NAME,
    MANIFEST_VERSION,
    describe_files,
    describe_inputs,
    describe_plan,
    display_path,
    package_versions,
    read_manifest,
    settings_snapshot,
    sha256_file,
    write_json,
)
from tthc_analysis.review.progress import BuildProgress
from tthc_analysis.review.runner import NotebookJob, NotebookRunner
from tthc_analysis.text import format_date, format_number
from tthc_analysis.views import display as tv
from tthc_analysis.views.context import (
    CONTEXT_ENV,
    DATA_ENV,
    ReviewContext,
    ReviewParams,
    compute_context,
    data_label,
    save_context,
)

__all__ = [
    "INDEX_NAME",
    "NOTEBOOK_PATTERN",
    "QUALITY_NAME",
    "REJECTED_NAME",
    "BuildResult",
    "build_review",
    "discover_notebooks",
]

NOTEBOOK_PATTERN = re.compile(r"^(\d{2})_[^/]+\.ipynb$")
"""Report notebooks: ``NN_name.ipynb`` (``00`` overview, ``01``–``09`` sections, ``10``
year-end review), run and listed in name order."""

INDEX_NAME = "index.html"
QUALITY_NAME = "chat_luong_du_lieu.html"
REJECTED_NAME = "du_lieu_bi_loai.xlsx"
EXECUTED_DIR = "notebooks"
REPORT_TITLE = "Báo cáo rà soát thực hiện Kế hoạch kiểm soát thủ tục hành chính"
SAMPLE_MARKER = "SAMPLE.json"
REPORT_WHAT = "báo cáo"
"""What the build writes, in the Vietnamese messages of a failed write."""

HEADLINE = (
    ("n_received", "Hồ sơ tiếp nhận trong kỳ"),
    ("on_time_rate", "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn"),
    ("n_overdue", "Hồ sơ quá hạn"),
    ("online_share", "Tỷ lệ hồ sơ nộp trực tuyến"),
    ("full_online_share", "Tỷ lệ hồ sơ xử lý hoàn toàn trực tuyến"),
    ("digitisation_rate", "Tỷ lệ số hóa hồ sơ"),
    ("e_result_rate", "Tỷ lệ cấp kết quả điện tử"),
    ("publication_on_time_share", "Tỷ lệ TTHC công bố đúng hạn"),
    ("n_feedback", "Phản ánh, kiến nghị tiếp nhận"),
    ("pakn_on_time_rate", "Tỷ lệ PAKN xử lý đúng thời hạn"),
    ("index766_latest_total", "Điểm Bộ chỉ số 766 (tháng gần nhất)"),
)
"""Headline figures of the index page: key of ``Evaluation.summary`` and its label."""


@dataclass
class BuildResult:
    """What a build produced.

    Attributes:
        out_dir: The report folder.
        files: Every file of the report (POSIX paths relative to ``out_dir``), sorted.
        manifest: The content of ``manifest.json``.
        seconds: Wall-clock duration of the build.
        is_sample: Whether the data is the synthetic sample.
        notes: Vietnamese notes about parts that could not be produced.
        timings: Seconds spent per phase (``analysis``, ``notebooks``, ``pages``,
            ``install``); not part of the report (they vary between runs).
    """

    out_dir: Path
    files: list[str]
    manifest: dict
    seconds: float
    is_sample: bool
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class _Page:
    name: str
    title: str
    number: int
    href: str


def discover_notebooks(folder: Path) -> list[NotebookJob]:
    """The report notebooks of ``folder`` (``NN_*.ipynb``), sorted by name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BuildError("Không tìm thấy thư mục notebook.", file=folder)
    jobs = [
        NotebookJob(p.stem, p.resolve())
        for p in sorted(folder.iterdir(), key=lambda p: p.name)
        if p.is_file() and NOTEBOOK_PATTERN.match(p.name)
    ]
    if not jobs:
        raise BuildError(
            "Thư mục không có notebook báo cáo nào (tên dạng NN_ten.ipynb).", file=folder
        )
    return jobs


def _is_sample(ctx: ReviewContext) -> bool:
    if ctx.has_tables and hasattr(ctx.tables, "is_sample"):
        return bool(ctx.tables.is_sample)
    marker = ctx.params.data_dir / SAMPLE_MARKER
    if not marker.is_file() or marker.stat().st_size > 65536:  # a marker is a few lines
        return False
    import json

    try:
        return bool(json.loads(marker.read_text(encoding="utf-8")).get("synthetic"))
    except (OSError, ValueError):
        return False


def _plan_meta(ctx: ReviewContext):
    plan = getattr(ctx.tables, "plan", None) if ctx.has_tables else None
    if plan is None:
        try:
            from tthc_analysis.plan import load_plan

            plan = load_plan()
        except Exception:  # noqa: BLE001 - the header falls back to generic text
            return None, None
    return plan, plan.meta


def _page_context(ctx: ReviewContext, inputs: dict, plan_info: dict, is_sample: bool):
    params = ctx.params
    period = params.period_obj
    _, meta = _plan_meta(ctx)
    issuer = (meta.issuer if meta else "") or "Sở Giáo dục và Đào tạo"
    # issue 13: the body in force on the as-of date issues the report
    org = _organisation(ctx)
    issuer = (org.issuer_vi if org is not None else "") or issuer
    org_parent, org_name = "", issuer
    m = re.match(r"^(.*?)\s+(tỉnh|thành phố)\s+(.+)$", issuer)
    if m:
        org_name, org_parent = m.group(1), f"UBND {m.group(2)} {m.group(3)}"
    plan_line = "Kế hoạch kiểm soát TTHC"
    if meta and meta.doc_number:
        plan_line = f"Thực hiện Công văn số {meta.doc_number}"
        if meta.doc_date:
            plan_line += f" ngày {format_date(meta.doc_date)}"
    versions = package_versions()
    provenance = {
        "n_files": format_number(inputs["n_files"]),
        "total_rows": format_number(inputs["total_rows"]) if ctx.has_tables else "–",
        "data_hash": inputs["sha256"][:12],
        "plan_hash": plan_info["sha256"][:12] if plan_info["files"] else "",
        "year": str(params.year),
        "period": period.name_vi,
        "version": __version__,
        "python": versions["python"],
    }
    year_title = f"{REPORT_TITLE} năm {params.year}"
    return PageContext(
        report_title=year_title,
        org_parent=org_parent,
        org_name=org_name,
        plan_line=plan_line,
        period_label=period.label_vi,
        window_label=period.window_vi,
        as_of=format_date(params.as_of),
        units=", ".join(params.units) if params.units else "",
        is_sample=is_sample,
        provenance=provenance,
    )


MASKED_COLUMNS_VI = {
    "dataset": "Bộ dữ liệu",
    "source_file": "Tệp",
    "source_row": "Dòng",
    "column": "Cột",
    "kinds": "Dữ liệu cá nhân đã ẩn",
}
"""Headers of the masked-cells table (data-quality page and rejected-rows workbook)."""


def _masked_cells(ctx: ReviewContext) -> pd.DataFrame:
    """Cells whose free text was masked: file, row, column and kind, never the value."""
    cells = getattr(ctx, "masked_cells", None)
    if cells is None or not len(cells):
        return pd.DataFrame(columns=list(MASKED_COLUMNS_VI))
    out = cells.copy()
    out["column"] = [
        tv.column_label(c, d) for d, c in zip(out["dataset"], out["column"], strict=True)
    ]
    out["dataset"] = [DATASET_LABELS_VI.get(d, d) for d in out["dataset"]]
    return out[list(MASKED_COLUMNS_VI)]


def _organisation(ctx: ReviewContext):
    """The evaluation's organisation-change facts (issue 13), None without an evaluation."""
    return getattr(ctx.evaluation, "organisation", None)


def _switch_text(ctx: ReviewContext) -> str:
    """The dossier-system switch: what was matched and what could not be (issue 13)."""
    org = _organisation(ctx)
    return " ".join(org.switch.lines_vi()) if org is not None else ""


def _form06_agency(ctx: ReviewContext, period, fallback: str) -> str:
    """The issuing body of a form 06, with the body before the change when it crosses one."""
    from tthc_analysis.loading.organisation import form06_agency

    settings = getattr(ctx.evaluation, "settings", None)
    if settings is None:
        return fallback
    return form06_agency(period.start, period.end, settings, fallback)


def _quality_frames(ctx: ReviewContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    rejected_cols = ["dataset", "source_file", "source_row", "column", "value", "reason"]
    warning_cols = ["dataset", "source_file", "message"]
    tables = ctx.tables if ctx.has_tables else None
    rejected = getattr(tables, "rejected_rows", None) if tables is not None else None
    warnings = getattr(tables, "warnings", None) if tables is not None else None
    if rejected is None:
        rejected = pd.DataFrame(columns=rejected_cols)
    if warnings is None:
        warnings = pd.DataFrame(columns=warning_cols)
    return mask_rejected(rejected, getattr(ctx, "personal_index", None)), warnings


def _load_facts(ctx: ReviewContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the loader did besides rejecting rows: (summary by kind, detail), in Vietnamese.

    Refused files, skipped footers and links, superseded rows of a dossier seen in several
    exports, procedure codes filled from the catalogue, states inferred from dates, values
    set missing (issue 11; issue 12 rule 4).
    """
    from tthc_analysis.loading.datasets import FACT_KINDS

    tables = ctx.tables if ctx.has_tables else None
    facts = getattr(tables, "load_facts", None) if tables is not None else None
    if facts is None or not len(facts):
        return pd.DataFrame(), pd.DataFrame()
    facts = mask_rejected(facts, getattr(ctx, "personal_index", None))
    kind = facts["kind"].map(FACT_KINDS).fillna(facts["kind"])
    rows = facts["n"].where(facts["n"] > 0, 1)
    summary = (
        pd.DataFrame({"Việc đã làm khi nạp": kind, "Số dòng dữ liệu liên quan": rows})
        .groupby("Việc đã làm khi nạp", sort=False)
        .agg(
            **{"Số mục": ("Số dòng dữ liệu liên quan", "size")},
            **{"Số dòng dữ liệu liên quan": ("Số dòng dữ liệu liên quan", "sum")},
        )
        .reset_index()
    )
    detail = pd.DataFrame(
        {
            "Việc đã làm khi nạp": kind,
            "Tệp": facts["source_file"],
            "Dòng": facts["source_row"].where(facts["source_row"] > 0, None),
            "Cột": facts["column"],
            "Giá trị": facts["value"],
            "Số dòng": facts["n"],
            "Chi tiết": facts["detail"],
        }
    )
    return summary, detail


def _quality_sentence(rejected: pd.DataFrame, warnings: pd.DataFrame, ctx: ReviewContext) -> str:
    if not ctx.has_tables:
        return "Chưa nạp dữ liệu nên chưa kiểm tra chất lượng dữ liệu."
    n_rows = 0
    if len(rejected) and {"source_file", "source_row"} <= set(rejected.columns):
        n_rows = len(rejected[["source_file", "source_row"]].drop_duplicates())
    if not len(rejected) and not len(warnings):
        return "Không có dòng dữ liệu nào bị loại và không có cảnh báo."
    return (
        f"Có {format_number(len(rejected))} lỗi ở {format_number(n_rows)} dòng dữ liệu bị loại "
        f"và {format_number(len(warnings))} cảnh báo khi nạp dữ liệu."
    )


def _by_dataset(ctx: ReviewContext, rejected: pd.DataFrame) -> pd.DataFrame:
    """Rows loaded, rejected, problems and warnings per dataset."""
    quality = getattr(ctx.evaluation, "data_quality", None)
    if isinstance(quality, pd.DataFrame) and len(quality):
        return quality
    if not len(rejected) or "dataset" not in rejected.columns:
        return pd.DataFrame(columns=["dataset", "n_problems"])
    return rejected.groupby("dataset", sort=True).size().rename("n_problems").reset_index()


def _issue12_quality(ctx: ReviewContext) -> dict:
    """Parts of the data-quality page that come from the evaluation (issue 12).

    The dossiers not received, the indicators without data because of a missing column,
    and the method note (the counting rules in force).
    """
    evaluation = ctx.evaluation
    refusals = getattr(evaluation, "intake_refusals", None)
    refusals = refusals if isinstance(refusals, pd.DataFrame) else pd.DataFrame()
    gaps = getattr(evaluation, "data_gaps", None)
    gaps = gaps if isinstance(gaps, pd.DataFrame) else pd.DataFrame()
    n_refusals = int(refusals["n_not_received"].sum()) if len(refusals) else 0
    if len(gaps):
        from tthc_analysis.labels import INDICATOR_LABELS_VI

        names = [INDICATOR_LABELS_VI.get(i, i) for i in gaps["indicator_id"]]
        gaps = pd.DataFrame({"Chỉ số": names, "Ghi chú": gaps["note_vi"].to_numpy()})
    return {
        "n_refusals": format_number(n_refusals),
        "refusals": Markup(
            tv.static_table_html(refusals)
            if len(refusals)
            else "<p>Không có hồ sơ không được tiếp nhận trong kỳ.</p>"
        ),
        "n_gaps": format_number(len(gaps)),
        "gaps_sentence": (
            "Các chỉ số dưới đây ghi «Chưa có dữ liệu» (không phải 0%) vì dữ liệu thiếu cột "
            "cần thiết hoặc cột để trống toàn bộ; nhiệm vụ không bị đánh giá chưa đạt vì "
            "các chỉ số này."
            if len(gaps)
            else "Mọi chỉ số đều có đủ cột dữ liệu cần thiết."
        ),
        "gaps": Markup(tv.static_table_html(gaps) if len(gaps) else ""),
        "method": list(getattr(evaluation, "method_notes", None) or []),
    }


def _single_page_notebook(fragment: str, cell_id: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"language_info": {"name": "python"}}
    cell = nbformat.v4.new_code_cell("")
    cell["id"] = cell_id
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": fragment})]
    nb.cells = [cell]
    return nb


class _Builder:
    """One build: all state of the temporary folder."""

    def __init__(self, params: ReviewParams, options: dict) -> None:
        self.params = params
        self.options = options
        self.notes: list[str] = []
        self.titles: dict[str, str] = {}
        self.lock = threading.Lock()

    # -- analysis -----------------------------------------------------------------------

    def analyse(self) -> None:
        self.ctx = compute_context(self.params)
        self.notes.extend(self.ctx.notes)
        self.is_sample = _is_sample(self.ctx)
        tables = self.ctx.tables if self.ctx.has_tables else None
        self.inputs = describe_inputs(self.params.data_dir, tables, self.is_sample)
        self.plan_info = describe_plan()
        self.page = _page_context(self.ctx, self.inputs, self.plan_info, self.is_sample)
        self.exporter = ReportExporter(with_code=self.options["with_code"])

    # -- notebooks ----------------------------------------------------------------------

    def run(self, runner: NotebookRunner, work: Path, context_file: Path) -> None:
        (work / EXECUTED_DIR).mkdir()
        for job in runner.jobs:
            source = nbformat.read(job.path, as_version=4)
            self.titles[job.name] = notebook_title(source, job.name.replace("_", " "))
        save_context(self.ctx, context_file)

        def finish(job: NotebookJob, executed) -> None:
            cleaned = clean_notebook(executed)
            write_notebook(cleaned, work / EXECUTED_DIR / f"{job.name}.ipynb")
            page = self.exporter.export(
                cleaned, self.page, page_title=self.titles[job.name], name=job.name
            )
            (work / f"{job.name}.html").write_bytes(page.encode("utf-8"))

        runner.run(self.params.notebook_parameters(), finish)

    # -- extra files ----------------------------------------------------------------------

    def write_form06(self, work: Path) -> str | None:
        evaluation = self.ctx.evaluation
        tables = self.ctx.tables if self.ctx.has_tables else None
        if tables is None:
            self.notes.append("Chưa lập biểu mẫu 06 vì chưa nạp được dữ liệu.")
            return None
        from tthc_analysis.metrics.form06 import form06
        from tthc_analysis.review.form06_export import write_form06

        period = self.params.period_obj.clipped(self.params.as_of)
        frame = getattr(evaluation, "form06", None) if evaluation is not None else None
        if frame is None:
            frame = form06(tables.dossiers, period, procedures=tables.procedures)
        _, meta = _plan_meta(self.ctx)
        name = "bieu_06_" + re.sub(r"[^0-9A-Za-z-]+", "_", period.period_id) + ".xlsx"
        kwargs = {"agency": meta.issuer} if meta and meta.issuer else {}
        if kwargs:
            kwargs["agency"] = _form06_agency(self.ctx, period, kwargs["agency"])
        write_form06(frame, period, work / name, **kwargs)
        return name

    def write_rejected(self, work: Path) -> None:
        from tthc_analysis.xlsx import Sheet, write_xlsx

        rejected, warnings = _quality_frames(self.ctx)
        labels = {c: tv.column_label(c) for c in rejected.columns}
        wlabels = {c: tv.column_label(c) for c in warnings.columns}
        write_xlsx(
            work / REJECTED_NAME,
            [
                Sheet(
                    "Dòng bị loại",
                    rejected.rename(columns=labels),
                    title_lines=["Các dòng dữ liệu bị loại khi nạp", self.page.period_label],
                ),
                Sheet(
                    "Cảnh báo",
                    warnings.rename(columns=wlabels),
                    title_lines=["Cảnh báo khi nạp dữ liệu", self.page.period_label],
                ),
                Sheet(
                    "Ô đã ẩn dữ liệu cá nhân",
                    _masked_cells(self.ctx).rename(columns=MASKED_COLUMNS_VI),
                    title_lines=[
                        "Các ô có dữ liệu cá nhân (số giấy tờ, điện thoại, thư điện tử, họ tên, "
                        "địa chỉ) đã được ẩn trong báo cáo",
                        "Sửa ở tệp đầu vào nếu dữ liệu cá nhân được nhập nhầm vào ô này.",
                    ],
                ),
            ],
        )

    def _facts_parts(self) -> dict:
        summary, detail = _load_facts(self.ctx)
        if not len(detail):
            return {"n_facts": "0", "facts_summary": "", "facts": ""}
        return {
            "n_facts": format_number(len(detail)),
            "facts_summary": Markup(tv.static_table_html(summary)),
            "facts": Markup(
                tv.table_html(detail, "su-kien-khi-nap", caption="Việc đã làm khi nạp")
            ),
        }

    def write_quality_page(self, work: Path) -> None:
        rejected, warnings = _quality_frames(self.ctx)
        masked = _masked_cells(self.ctx)
        tv.reset_ids()
        by_dataset = _by_dataset(self.ctx, rejected)
        fragment = render_page_template(
            "data_quality.html.j2",
            sentence=" ".join(
                t
                for t in (_quality_sentence(rejected, warnings, self.ctx), _switch_text(self.ctx))
                if t
            ),
            by_dataset=Markup(tv.static_table_html(by_dataset) if len(by_dataset) else ""),
            n_warnings=format_number(len(warnings)),
            warnings=Markup(tv.table_html(warnings, "canh-bao", caption="Cảnh báo khi nạp")),
            n_rejected=format_number(len(rejected)),
            rejected=Markup(tv.table_html(rejected, "dong-bi-loai", caption="Dòng bị loại")),
            **_issue12_quality(self.ctx),
            **self._facts_parts(),
            n_masked=format_number(len(masked)),
            masked=Markup(
                tv.table_html(
                    masked,
                    "o-da-an",
                    caption="Ô đã ẩn dữ liệu cá nhân",
                    labels=MASKED_COLUMNS_VI,
                    translate_codes=False,
                )
                if len(masked)
                else ""
            ),
        )
        nb = _single_page_notebook(fragment, "chat-luong-du-lieu")
        page = self.exporter.export(
            nb, self.page, page_title="Chất lượng dữ liệu", name=QUALITY_NAME[:-5]
        )
        (work / QUALITY_NAME).write_bytes(page.encode("utf-8"))

    def _sections(self, pages: dict[int, _Page]) -> list[dict]:
        evaluation = self.ctx.evaluation
        frame = getattr(evaluation, "sections", None) if evaluation is not None else None
        rows = []
        if frame is not None and len(frame):
            for rec in frame.to_dict("records"):
                no = int(rec.get("section_no", 0))
                done, total = rec.get("n_done"), rec.get("n_tasks")
                rows.append(
                    {
                        "label": f"{rec.get('section_id', no)}",
                        "title": str(rec.get("section_title", "")),
                        "href": pages[no].href if no in pages else None,
                        "badge": Markup(tv.status_badge(str(rec.get("status")))),
                        "progress": f"{tv.format_value(done)}/{tv.format_value(total)}",
                        "summary": str(rec.get("summary_vi", "") or ""),
                    }
                )
            return rows
        plan, _ = _plan_meta(self.ctx)
        sections = plan.sections.to_dict("records") if plan is not None else []
        for rec in sections:
            no = int(rec["section_no"])
            rows.append(
                {
                    "label": str(rec["section_id"]),
                    "title": str(rec["section_title"]),
                    "href": pages[no].href if no in pages else None,
                    "badge": Markup(tv.badge("Chưa đánh giá")),
                    "progress": f"–/{tv.format_value(rec.get('n_tasks'))}",
                    "summary": "",
                }
            )
        return rows

    def _cards(self) -> list[dict]:
        summary = getattr(self.ctx.evaluation, "summary", None)
        if not isinstance(summary, dict):
            return []
        cards = []
        for key, label in HEADLINE:
            value = summary.get(key)
            if value is None or (isinstance(value, float) and value != value):
                continue
            text = tv.format_value(value, key)
            if key == "index766_latest_total" and summary.get("index766_latest_period"):
                latest = str(summary["index766_latest_period"])
                label = f"{label}: tháng {latest[5:7]}/{latest[:4]}"
            cards.append({"label": label, "value": text})
        if summary.get("n_reports_due"):
            cards.append(
                {
                    "label": "Báo cáo định kỳ gửi đúng hạn",
                    "value": f"{tv.format_value(summary.get('n_reports_on_time'))}/"
                    f"{tv.format_value(summary['n_reports_due'])}",
                }
            )
        return cards

    def write_index(self, work: Path, jobs: Sequence[NotebookJob], form06_name: str | None):
        pages = {}
        for job in jobs:
            number = int(job.name[:2])
            pages[number] = _Page(job.name, self.titles[job.name], number, f"{job.name}.html")
        rejected, warnings = _quality_frames(self.ctx)
        downloads = []
        if form06_name:
            downloads.append(
                {
                    "href": form06_name,
                    "label": f"Biểu mẫu 06/VPCP/KSTT – {self.page.period_label} (.xlsx)",
                    "note": "",
                }
            )
        downloads += [
            {"href": REJECTED_NAME, "label": "Các dòng dữ liệu bị loại (.xlsx)", "note": ""},
            {
                "href": MANIFEST_NAME,
                "label": "Nguồn gốc số liệu (manifest.json)",
                "note": "tham số, tệp đầu vào và mã băm, phiên bản phần mềm",
            },
        ]
        downloads += [
            {
                "href": f"{EXECUTED_DIR}/{job.name}.ipynb",
                "label": f"Notebook đã chạy: {job.name}.ipynb",
                "note": "",
            }
            for job in jobs
        ]
        by_dataset = _by_dataset(self.ctx, rejected)
        tv.reset_ids()
        fragment = render_page_template(
            "index_body.html.j2",
            title="Mục lục báo cáo",
            notes=self.notes,
            overall=str(
                (getattr(self.ctx.evaluation, "summary", None) or {}).get("tasks_summary_vi", "")
            ),
            cards=self._cards(),
            sections=self._sections(pages),
            pages=[{"href": p.href, "title": p.title} for p in pages.values()]
            + [{"href": QUALITY_NAME, "title": "Chất lượng dữ liệu"}],
            quality={
                "sentence": _quality_sentence(rejected, warnings, self.ctx),
                "table": Markup(tv.static_table_html(by_dataset) if len(by_dataset) else ""),
                "href": QUALITY_NAME,
            },
            downloads=downloads,
            method=list(getattr(self.ctx.evaluation, "method_notes", None) or []),
        )
        nb = _single_page_notebook(fragment, "muc-luc")
        page = self.exporter.export(
            nb, self.page, page_title="Mục lục báo cáo", name="index", is_index=True
        )
        (work / INDEX_NAME).write_bytes(page.encode("utf-8"))

    def write_pdf(self, work: Path, jobs: Sequence[NotebookJob]) -> Path:
        """The whole review as one A4 PDF, pages in the order of the index."""
        from tthc_analysis.review.pdf import write_review_pdf

        pages = [(INDEX_NAME, "Mục lục báo cáo")]
        pages += [(f"{job.name}.html", self.titles[job.name]) for job in jobs]
        pages.append((QUALITY_NAME, "Chất lượng dữ liệu"))
        title = f"Báo cáo rà soát thực hiện kế hoạch – {self.page.period_label}"
        return write_review_pdf(work, pages, title, jobs=self.options.get("jobs") or 3)

    def write_manifest(self, work: Path, jobs: Sequence[NotebookJob], notebooks_dir: Path):
        params = self.params
        manifest = {
            "manifest_version": MANIFEST_VERSION,
            "generator": {"name": "tthc-analysis", "command": "tthc review"},
            "parameters": {
                "year": params.year,
                "period": params.period,
                "period_id": params.period_obj.period_id,
                "period_label": params.period_obj.label_vi,
                "window": params.window,
                "as_of": params.as_of.isoformat(),
                "units": list(params.units) if params.units else None,
                "with_code": self.options["with_code"],
                "data_dir": data_label(params.data_dir),
                "notebooks_dir": display_path(notebooks_dir),
                "pdf": bool(self.options.get("pdf")),
                # by its name only, as data_dir: a rebuild from a copy gives the same bytes
                "previous_data_dir": (
                    data_label(params.previous_dir) if params.previous_dir else None
                ),
            },
            "inputs": self.inputs,
            # issue 18: the previous year's exports (--previous-data), checked by verify
            "previous_inputs": (
                {"files": describe_files(params.previous_dir)} if params.previous_dir else None
            ),
            "plan": self.plan_info,
            "settings": settings_snapshot(params.data_dir),
            "notebooks": [
                {
                    "name": job.name,
                    "title": self.titles[job.name],
                    "source": display_path(job.path),
                    "source_sha256": sha256_file(job.path),
                    "html": f"{job.name}.html",
                    "executed": f"{EXECUTED_DIR}/{job.name}.ipynb",
                }
                for job in jobs
            ],
            "packages": package_versions(),
            "notes": list(self.notes),
            "outputs": describe_files(work),
        }
        write_json(work / MANIFEST_NAME, manifest)
        return manifest


def _is_report_folder(folder: Path) -> bool:
    if not folder.exists():
        return True
    if not folder.is_dir():
        return False
    if not any(folder.iterdir()):
        return True
    try:
        manifest = read_manifest(folder)
    except (OSError, ValueError):
        return False
    return manifest.get("generator", {}).get("command") == "tthc review"


def _lock_path(out_dir: Path) -> Path:
    """The lock file of ``out_dir``: in the temporary folder, so none is left beside it."""
    key = hashlib.sha256(str(out_dir.resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"tthc-review-{key}.lock"


def _lock(out_dir: Path) -> FileLock:
    """Exclusive lock on replacing ``out_dir`` (a file lock, any system)."""
    return FileLock(_lock_path(out_dir))


def _install(work: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``work`` (same parent folder): two renames under a lock.

    Interrupted between the two renames (Ctrl-C, a full disk), the previous report is
    put back, so that ``out_dir`` always holds one complete report.
    """
    with _lock(out_dir):
        if not _is_report_folder(out_dir):
            raise BuildError(
                "Thư mục đích đã có dữ liệu khác, không phải báo cáo do tthc review tạo ra.",
                file=out_dir,
                hint="Chọn thư mục khác bằng --out.",
            )
        replace_dir(work, out_dir)


def build_review(
    *,
    year: int = 2025,
    as_of: date | str | None = None,
    period: str = "year",
    data_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    jobs: int | None = None,
    with_code: bool = False,
    units: Sequence[str] | None = None,
    notebooks_dir: str | Path | None = None,
    timeout: int = 600,
    progress: bool = True,
    kernels: str = "auto",
    pdf: bool = False,
    previous_data_dir: str | Path | None = None,
) -> BuildResult:
    """Build the review report.

    Args:
        year: Plan year.
        as_of: Data cut-off (default: 31/12 for the year, else the period's last day).
        period: ``q1``…``q4``, ``h1``, ``9m``, ``year``, ``YYYY-MM`` or a date range.
        data_dir: Raw-data folder (default: the bundled sample).
        out_dir: Report folder (default: ``reports/<year>``); replaced as a whole.
        jobs: Notebooks executed at once (default: CPU cores).
        with_code: Show the code cells in the HTML pages.
        units: Limit the report to these units (default: all).
        notebooks_dir: Folder of the ``NN_*.ipynb`` notebooks (default: ``notebooks/``).
        timeout: Seconds allowed per notebook cell.
        progress: Show a progress bar on stderr.
        kernels: ``"fork"`` kernels from a pre-imported server (fast, Linux),
            ``"spawn"`` a new interpreter per notebook, ``"auto"`` fork where possible.
        pdf: Also write the whole review as one A4 PDF (:mod:`tthc_analysis.review.pdf`),
            listed in the manifest.
        previous_data_dir: Raw-data folder of the previous year, for the comparison with
            the same period of the previous year (default: looked for in ``data_dir``).

    Raises:
        ParameterError: a wrong period or date.
        InputFileError: the data folder does not exist.
        BuildError: a notebook failed, a page is not offline, or ``out_dir`` holds
            something else than a report. The previous report is then left as it was.
    """
    started = time.perf_counter()
    if data_dir is not None and not Path(data_dir).is_dir():
        raise InputFileError("Không tìm thấy thư mục dữ liệu.", file=data_dir)
    if jobs is not None and jobs < 1:
        raise ParameterError("Số notebook chạy song song (--jobs) phải từ 1 trở lên.")
    if previous_data_dir is not None and not Path(previous_data_dir).is_dir():
        raise InputFileError("Không tìm thấy thư mục dữ liệu năm trước.", file=previous_data_dir)
    params = ReviewParams.resolve(year, as_of, period, data_dir, units)
    if previous_data_dir is not None:
        params = replace(params, previous_dir=Path(previous_data_dir).resolve())
    out = Path(out_dir) if out_dir else REPORTS_DIR / str(params.year)
    out = out.resolve()
    nb_dir = Path(notebooks_dir).resolve() if notebooks_dir else NOTEBOOKS_DIR
    notebook_jobs = discover_notebooks(nb_dir)
    check_output_dir(out, REPORT_WHAT)  # not a file; its parent created and writable
    if not _is_report_folder(out):
        raise BuildError(
            "Thư mục đích đã có dữ liệu khác, không phải báo cáo do tthc review tạo ra.",
            file=out,
            hint="Chọn thư mục khác bằng --out.",
        )
    options = {
        "with_code": with_code,
        "jobs": jobs,
        "timeout": timeout,
        "progress": progress,
        "pdf": pdf,
    }
    builder = _Builder(params, options)
    with writing(out, REPORT_WHAT):
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    private = None
    try:
        with writing(out, REPORT_WHAT):
            work.chmod(0o755)
            private = Path(tempfile.mkdtemp(prefix="tthc-review-"))
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    context_file = private / "context.pickle"
    timings: dict[str, float] = {}
    progress_bar = BuildProgress([j.name for j in notebook_jobs], enabled=progress)
    try:
        with NotebookRunner(
            notebook_jobs,
            params.data_dir.parent,  # the notebooks' ``data_dir`` is the folder's name
            max_workers=jobs,
            extra_env={CONTEXT_ENV: str(context_file), DATA_ENV: str(params.data_dir)},
            timeout=timeout,
            on_state=progress_bar.update,
            kernels=kernels,
            preload=[("tthc_analysis.views.context", "preload_tables", [str(params.data_dir)])],
        ) as runner:
            builder.analyse()  # the kernels start meanwhile
            timings["analysis"] = time.perf_counter() - started
            builder.run(runner, work, context_file)
        timings["notebooks"] = time.perf_counter() - started - sum(timings.values())
        progress_bar.close()
        form06_name = builder.write_form06(work)
        builder.write_rejected(work)
        builder.write_quality_page(work)
        builder.write_index(work, notebook_jobs, form06_name)
        if pdf:
            builder.write_pdf(work, notebook_jobs)
        manifest = builder.write_manifest(work, notebook_jobs, nb_dir)
        check_report(work, builder.ctx.source_tables, builder.ctx.personal_index)
        timings["pages"] = time.perf_counter() - started - sum(timings.values())
        # Listed before the swap: a concurrent build may replace ``out`` right after it.
        files = sorted(p.relative_to(work).as_posix() for p in work.rglob("*") if p.is_file())
        _install(work, out)
        timings["install"] = time.perf_counter() - started - sum(timings.values())
    except OSError as exc:  # a full disk, a folder made read-only meanwhile...
        raise output_error(exc, out, REPORT_WHAT) from exc
    finally:
        progress_bar.close()
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(private, ignore_errors=True)
    return BuildResult(
        out_dir=out,
        files=files,
        manifest=manifest,
        seconds=time.perf_counter() - started,
        is_sample=builder.is_sample,
        notes=list(builder.notes),
        timings=timings,
    )
