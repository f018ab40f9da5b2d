"""``tthc dashboard``: serve the leaders' dashboard (Voilà, localhost, offline)."""

from __future__ import annotations

from pathlib import Path

import click

from tthc_analysis.cli.common import data_option, units_option, year_option

__all__ = ["command"]


@click.command(name="dashboard")
@data_option()
@year_option
@click.option(
    "--period",
    "period_text",
    default="year",
    show_default=True,
    help="Kỳ đánh giá: q1|q2|q3|q4|h1|9m|year|YYYY-MM.",
)
@click.option(
    "--as-of",
    "as_of",
    default=None,
    help="Ngày chốt số liệu YYYY-MM-DD (mặc định: ngày cuối của kỳ).",
)
@units_option
@click.option(
    "--port", type=int, default=8866, show_default=True, help="Cổng trên máy này (127.0.0.1)."
)
@click.option("--open/--no-open", "open_browser", default=False, help="Mở trình duyệt.")
def command(
    data_dir: Path | None,
    year: int,
    period_text: str,
    as_of: str | None,
    units: tuple[str, ...],
    port: int,
    open_browser: bool,
) -> int:
    """Mở bảng theo dõi cho lãnh đạo (trang tổng quan có bộ lọc, không hiện mã lệnh).

    Chỉ phục vụ trên máy này (http://127.0.0.1:CỔNG/), không cần Internet; mặc định
    dùng bộ dữ liệu mẫu giả lập, --data để dùng dữ liệu thật.
    """
    from tthc_analysis.cli.common import data_settings
    from tthc_analysis.review.dashboard import serve
    from tthc_analysis.views.context import ReviewParams

    data_settings(data_dir)  # the folder exists
    ReviewParams.resolve(year, as_of, period_text, data_dir)  # bad period or date: error now
    return serve(
        port=port,
        open_browser=open_browser,
        year=year,
        as_of=as_of,
        period=period_text,
        data_dir=data_dir,
        units=list(units) or None,
    )
