"""``tthc report``: the quarterly or year-end report on TTHC control as a Word draft."""

from __future__ import annotations

from pathlib import Path

import click

from tthc_analysis.cli.common import (
    TthcCommand,
    data_option,
    data_settings,
    previous_data_option,
    year_option,
)
from tthc_analysis.errors import ParameterError

__all__ = ["command"]

_QUARTERS = ("q1", "q2", "q3", "q4")


def _period(kind: str, period: str | None) -> str:
    if kind == "year":
        if period not in (None, "year"):
            raise ParameterError(
                f"Báo cáo năm không dùng --period «{period}».",
                hint="Bỏ --period, hoặc dùng --kind quarter --period q1…q4.",
            )
        return "year"
    if period is None or period.lower() not in _QUARTERS:
        raise ParameterError(
            f"Báo cáo quý cần --period q1, q2, q3 hoặc q4 (nhận «{period or ''}»).",
        )
    return period.lower()


@click.command(name="report", cls=TthcCommand)
@click.option(
    "--kind",
    type=click.Choice(["quarter", "year"]),
    required=True,
    help="quarter: báo cáo quý; year: báo cáo năm.",
)
@year_option
@click.option("--period", default=None, help="Quý của báo cáo quý: q1|q2|q3|q4.")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d", "%d/%m/%Y"]),
    help="Ngày chốt số liệu (mặc định: ngày cuối kỳ; 31/12 với báo cáo năm).",
)
@data_option()
@previous_data_option
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tệp dự thảo .docx.",
)
def command(kind, year, period, as_of, data_dir, previous_dir, out_path: Path) -> None:
    """Lập dự thảo báo cáo quý/năm về kiểm soát TTHC (Word, thể thức Nghị định 30/2020/NĐ-CP).

    Ví dụ: tthc report --kind quarter --year 2025 --period q3 --data RAW --out bao_cao_q3.docx
    """
    from tthc_analysis.document import write_report
    from tthc_analysis.evaluation.comparison import add_previous_year
    from tthc_analysis.evaluation.evaluate import evaluate
    from tthc_analysis.loading.ingest import load_tables
    from tthc_analysis.text import format_number

    if out_path.suffix.lower() != ".docx":
        raise ParameterError(
            f"Không ghi được dự thảo ra tệp «{out_path}».", hint="Dùng phần mở rộng .docx."
        )
    period_text = _period(kind, period)
    settings = data_settings(data_dir)
    tables = load_tables(data_dir, settings=settings)
    previous = None
    if previous_dir is not None:
        previous = load_tables(previous_dir, settings=data_settings(previous_dir))
    ev = evaluate(
        tables,
        year=year,
        as_of=as_of.date() if as_of else None,
        period=period_text,
    )  # with the folder's settings: load_tables read the reference tables with them
    ev = add_previous_year(ev, tables, previous)
    written = write_report(ev, out_path, kind, catalogue=tables.procedures)
    total = ev.form06.iloc[-1]
    click.echo(f"Dự thảo báo cáo – {ev.period.label_vi}")
    click.echo(
        f"  Biểu 06: nhận giải quyết {format_number(total['received_total'])}, đã giải quyết "
        f"{format_number(total['finished_total'])}, đang giải quyết "
        f"{format_number(total['pending_total'])} hồ sơ."
    )
    if len(ev.comparison) and ev.previous_period is not None:
        click.echo(f"  So sánh với cùng kỳ năm trước: {ev.previous_period.label_vi}.")
    else:
        click.echo(f"  {ev.comparison_note}")
    if getattr(tables, "is_sample", False):
        click.echo("  Lưu ý: đây là dữ liệu mẫu giả lập, không phải số liệu thật.")
    click.echo(f"Đã ghi: {written}")
