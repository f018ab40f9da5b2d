"""``tthc form06``: write form 06/VPCP/KSTT for a period (xlsx or CSV)."""

from __future__ import annotations

from pathlib import Path

import click

from tthc_analysis.cli.common import data_option, data_settings, window_option, year_option
from tthc_analysis.errors import ParameterError
from tthc_analysis.outputs import check_output_file, write_atomically

__all__ = ["command"]

WHAT = "biểu 06/VPCP/KSTT"


@click.command(name="form06")
@data_option()
@year_option
@click.option(
    "--period",
    "period_text",
    required=True,
    help="Kỳ báo cáo: q1|q2|q3|q4|h1|9m|year|YYYY-MM|dd/mm/yyyy-dd/mm/yyyy.",
)
@window_option
@click.option(
    "--by",
    type=click.Choice(["field", "unit"]),
    default="field",
    show_default=True,
    help="Mỗi dòng là một lĩnh vực (field, mẫu chính thức) hoặc một phòng (unit).",
)
@click.option(
    "--agency",
    default=None,
    help=(
        "Tên cơ quan ghi trên biểu. Mặc định: cơ quan ban hành tại ngày cuối kỳ theo thiết "
        "lập organisation.bodies (kỳ qua mốc thay đổi tổ chức ghi cả cơ quan trước mốc)."
    ),
)
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=(
        "Tệp kết quả .xlsx hoặc .csv (.csv: 13 cột của biểu, thêm cột Kỳ báo cáo, "
        "Từ ngày, Đến ngày)."
    ),
)
def command(
    data_dir: Path | None,
    year: int,
    period_text: str,
    window: str | None,
    by: str,
    agency: str | None,
    out_path: Path,
) -> None:
    """Lập biểu số 06/VPCP/KSTT (tình hình, kết quả giải quyết TTHC) cho một kỳ."""
    from tthc_analysis.metrics.form06 import form06
    from tthc_analysis.periods import parse_period
    from tthc_analysis.review.form06_export import write_form06
    from tthc_analysis.text import format_number
    from tthc_analysis.workdays import default_calendar

    if out_path.suffix.lower() not in {".xlsx", ".csv"}:
        raise ParameterError(
            f"Không ghi được biểu 06 ra tệp «{out_path}».",
            hint="Dùng phần mở rộng .xlsx hoặc .csv.",
        )
    check_output_file(out_path, WHAT)  # before the data are read: fail fast
    settings = data_settings(data_dir)
    period = parse_period(period_text, year, window or settings.report_window)

    from tthc_analysis.loading.ingest import load_tables

    tables = load_tables(data_dir, settings=settings)
    calendar = default_calendar(settings.reference_path(settings.calendar_overrides))
    from tthc_analysis.loading.organisation import attribute_units, match_system_switch, unit_table

    # issue 13: one row per dossier across a switch of dossier system
    dossiers, switch = match_system_switch(tables.dossiers, settings.organisation.system_switch_on)
    dossiers = attribute_units(dossiers, unit_table())
    table = form06(
        dossiers, period, calendar, settings.dossiers, by=by, procedures=tables.procedures
    )
    if agency is None:  # issue 13: the body in force by date, as the review's form 06
        agency = _agency_by_date(period, settings, getattr(tables, "plan", None))
    written = write_atomically(
        out_path, lambda tmp: write_form06(table, period, tmp, agency=agency), WHAT
    )

    total = table.iloc[-1]
    click.echo(f"Biểu 06/VPCP/KSTT – {period.label_vi}")
    click.echo(
        f"  {len(table) - 1} dòng; nhận giải quyết {format_number(total['received_total'])}, "
        f"đã giải quyết {format_number(total['finished_total'])} "
        f"(quá hạn {format_number(total['finished_overdue'])}), "
        f"đang giải quyết {format_number(total['pending_total'])} "
        f"(quá hạn {format_number(total['pending_overdue'])})."
    )
    from tthc_analysis.metrics.form06 import channel_unknown_note_vi

    unknown = channel_unknown_note_vi(table)  # issue 11: an unknown channel is never guessed
    if unknown:
        click.echo(f"  Lưu ý: {unknown}")
    for line in switch.lines_vi():
        click.echo(f"  {line}")
    rejected = getattr(tables, "rejected_rows", None)
    if rejected is not None and len(rejected):
        dossier_rows = rejected.loc[
            rejected["dataset"] == "dossiers", ["source_file", "source_row"]
        ].drop_duplicates()
        if len(dossier_rows):
            click.echo(
                f"  Lưu ý: {format_number(len(dossier_rows))} dòng hồ sơ bị loại khi kiểm tra "
                "dữ liệu, không có trong biểu (xem `tthc ingest`)."
            )
    if getattr(tables, "is_sample", False):
        click.echo("  Lưu ý: đây là dữ liệu mẫu giả lập, không phải số liệu thật.")
    click.echo(f"Đã ghi: {written}")


def _agency_by_date(period, settings, plan) -> str:
    """The body issuing the form for ``period`` (settings by date; else the plan's issuer)."""
    from tthc_analysis.loading.organisation import form06_agency
    from tthc_analysis.metrics.form06 import DEFAULT_AGENCY

    issuer = getattr(getattr(plan, "meta", None), "issuer", "") or DEFAULT_AGENCY
    return form06_agency(period.start, period.end, settings, issuer)
