"""``tthc evaluate``: the status of the 24 tasks and the section roll-up."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tthc_analysis.cli.common import (
    data_option,
    data_settings,
    units_option,
    window_option,
    year_option,
)
from tthc_analysis.typed import rows
from tthc_analysis.xlsx import protect_csv_cell

if TYPE_CHECKING:
    from tthc_analysis.evaluation.evaluate import Evaluation

__all__ = ["command"]

_TASK_FIELDS = (
    "task_id",
    "status",
    "status_vi",
    "reason_vi",
    "evidence_vi",
    "indicator_summary_vi",
)
_SECTION_FIELDS = (
    "section_id",
    "section_title",
    "n_tasks",
    "n_done",
    "n_on_track",
    "n_problem",
    "n_no_data",
    "progress_share",
    "status",
    "status_vi",
    "summary_vi",
)


def _plain(value: Any) -> Any:
    """A JSON/CSV-friendly version of a cell."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    isoformat = getattr(value, "isoformat", None)
    if isoformat is not None and hasattr(value, "year"):
        try:
            return str(isoformat())[:10]
        except ValueError:
            return None
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    item = getattr(value, "item", None)
    if item is not None:
        return _plain(item())
    try:
        if value != value:  # NaT / NA
            return None
    except (TypeError, ValueError):
        return None
    return value


def _records(frame, fields) -> list[dict]:
    return [{f: _plain(row[f]) for f in fields} for row in frame.to_dict("records")]


def _table_text(ev: Evaluation) -> str:
    from tthc_analysis.text import format_percent

    lines = [
        f"Đánh giá kế hoạch {ev.plan.meta.doc_number} – năm {ev.params.year}",
        f"Ngày chốt: {ev.as_of:%d/%m/%Y}; số liệu: {ev.period.label_vi}",
    ]
    if ev.params.unit_list:
        lines.append(f"Đơn vị: {', '.join(ev.params.units or ())}")
    lines.append("")
    lines.append("NHIỆM VỤ")
    width = max((len(s) for s in ev.tasks["status_vi"]), default=10)
    for row in rows(ev.tasks):
        lines.append(f"{row.task_id:<7} {row.status_vi:<{width}}  {row.reason_vi}")
    lines.append("")
    lines.append("MỤC")
    for row in rows(ev.sections):
        share = format_percent(row.progress_share)
        lines.append(
            f"{row.section_id:<5} {row.status_vi:<{width}}  {share:>6}  {row.section_title}: "
            f"{row.summary_vi}"
        )
    lines.append("")
    lines.append(f"TỔNG HỢP: {ev.overall['summary_vi']}")
    return "\n".join(lines)


def _csv_text(ev: Evaluation) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_TASK_FIELDS)
    for rec in _records(ev.tasks, _TASK_FIELDS):
        writer.writerow([protect_csv_cell(rec[f]) for f in _TASK_FIELDS])
    out.write("\n")
    writer.writerow(_SECTION_FIELDS)
    for rec in _records(ev.sections, _SECTION_FIELDS):
        writer.writerow(
            ["" if rec[f] is None else protect_csv_cell(rec[f]) for f in _SECTION_FIELDS]
        )
    return out.getvalue()


def _params_record(ev: Evaluation) -> dict:
    """The parameters as the JSON output names them."""
    return {
        "year": ev.params.year,
        "as_of": ev.as_of,
        "period": ev.params.period,
        "period_id": ev.period.period_id,
        "period_label_vi": ev.period.label_vi,
        "window": ev.period.window,
        "units": ev.params.unit_list,
        "data_dir": ev.data_dir,
        "is_sample": ev.is_sample,
        "plan_doc_number": ev.plan.meta.doc_number,
    }


def _json_text(ev: Evaluation) -> str:
    payload = {
        "params": {k: _plain(v) for k, v in _params_record(ev).items()},
        "period": {"period_id": ev.period.period_id, "label_vi": ev.period.label_vi},
        "tasks": _records(ev.tasks, (*_TASK_FIELDS, "section_id", "missing_periods")),
        "sections": _records(ev.sections, _SECTION_FIELDS),
        "overall": {k: _plain(v) for k, v in ev.overall.items()},
        "summary": {k: _plain(v) for k, v in ev.summary.items()},
        "warnings": list(ev.warnings),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


@click.command(name="evaluate")
@data_option()
@year_option
@click.option(
    "--as-of",
    "as_of_text",
    default=None,
    help="Ngày chốt đánh giá (YYYY-MM-DD hoặc dd/mm/yyyy; mặc định 31/12 của năm với kỳ "
    "năm, ngày cuối kỳ với kỳ khác).",
)
@click.option(
    "--period",
    "period_text",
    default="year",
    show_default=True,
    help="Kỳ số liệu: q1|q2|q3|q4|h1|9m|year|YYYY-MM|dd/mm/yyyy-dd/mm/yyyy.",
)
@window_option
@units_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="Dạng kết quả: bảng chữ, JSON, hoặc CSV (nhiệm vụ, một dòng trống, rồi các mục).",
)
def command(
    data_dir: Path | None,
    year: int,
    as_of_text: str | None,
    period_text: str,
    window: str | None,
    units: tuple[str, ...],
    fmt: str,
) -> None:
    """In trạng thái của từng nhiệm vụ (kèm lý do) và tổng hợp theo mục của kế hoạch."""
    from tthc_analysis.evaluation.evaluate import evaluate
    from tthc_analysis.evaluation.params import EvaluationParams

    settings = data_settings(data_dir)
    if window:
        settings = settings.model_copy(update={"report_window": window})
    params = EvaluationParams.resolve(
        year, as_of_text, period_text, list(units) or None, settings.report_window
    )

    from tthc_analysis.loading.ingest import load_tables
    from tthc_analysis.loading.reference import load_references

    tables = load_tables(data_dir, settings=settings)
    ev = evaluate(tables, params=params, references=load_references(settings))
    if fmt == "json":
        click.echo(_json_text(ev))
        return
    if fmt == "csv":
        click.echo(_csv_text(ev), nl=False)
        return
    click.echo(_table_text(ev))
    n_rejected = int(ev.data_quality["n_rejected_rows"].sum()) if len(ev.data_quality) else 0
    if n_rejected:
        click.echo(f"Lưu ý: {n_rejected} dòng dữ liệu bị loại khi kiểm tra (xem `tthc ingest`).")
    for warning in ev.warnings:
        click.echo(f"Cảnh báo: {warning}")
    if ev.is_sample:
        click.echo("Lưu ý: đây là dữ liệu mẫu giả lập, không phải số liệu thật.")
