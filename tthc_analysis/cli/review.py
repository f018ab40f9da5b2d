"""``tthc review``: build the offline HTML review report; ``tthc review verify DIR``."""

from __future__ import annotations

import contextlib
import signal
import sys
from pathlib import Path

import click

from tthc_analysis.cli.common import data_option, units_option, year_option
from tthc_analysis.periods import PERIOD_CHOICES

# jsonschema (imported by nbformat) imports rfc3987_syntax when it is installed, which
# compiles a grammar for seconds on every start; the report never validates IRIs, so the
# optional module is skipped in this command's process (kernels are not affected).
sys.modules.setdefault("rfc3987_syntax", None)


def _stop_on_sigterm() -> None:
    """Treat ``kill`` (SIGTERM) like Ctrl-C: kernels stopped, temporary files removed."""

    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError):  # not in the main thread
        signal.signal(signal.SIGTERM, interrupt)


def _summary(result) -> str:
    from tthc_analysis.text import format_number

    lines = [
        f"Đã tạo báo cáo: {result.out_dir} ({format_number(len(result.files))} tệp, "
        f"{format_number(result.seconds, 1)} giây).",
        f"Mở {result.out_dir / 'index.html'} bằng trình duyệt (không cần Internet).",
    ]
    if result.is_sample:
        lines.append("Lưu ý: dữ liệu mẫu giả lập, không phải số liệu thật.")
    lines += [f"Lưu ý: {note}" for note in result.notes]
    return "\n".join(lines)


@click.group(
    "review",
    invoke_without_command=True,
    short_help="Build the HTML review report from the notebooks.",
)
@year_option
@click.option(
    "--as-of",
    "as_of",
    default=None,
    help="Ngày chốt số liệu (mặc định: 31/12 nếu cả năm, ngày cuối kỳ nếu kỳ khác).",
)
@click.option("--period", default="year", show_default=True, help=f"Kỳ đánh giá: {PERIOD_CHOICES}.")
@data_option("Thư mục dữ liệu gốc (mặc định: dữ liệu mẫu data/sample).")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Thư mục báo cáo (mặc định: reports/<năm>); được thay thế trọn vẹn.",
)
@click.option(
    "--jobs", type=click.IntRange(min=1), help="Số notebook chạy song song (mặc định: số lõi)."
)
@click.option("--with-code", is_flag=True, help="Hiện mã nguồn trong các trang HTML.")
@units_option
@click.option(
    "--notebooks",
    "notebooks_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Thư mục notebook NN_*.ipynb (mặc định: notebooks/).",
)
@click.option(
    "--timeout", type=click.IntRange(min=1), default=600, show_default=True, help="Giây/ô."
)
@click.option("--no-progress", is_flag=True, help="Không hiện thanh tiến trình.")
@click.option(
    "--pdf",
    is_flag=True,
    help="Xuất thêm toàn bộ báo cáo thành một tệp PDF khổ A4 (cần Chromium của hệ thống).",
)
@click.option(
    "--previous-data",
    "previous_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Thư mục dữ liệu năm trước, để so sánh với cùng kỳ năm trước (mặc định: tìm trong "
    "--data).",
)
@click.option(
    "--kernels",
    type=click.Choice(["auto", "fork", "spawn"]),
    default="auto",
    show_default=True,
    help="Cách khởi động kernel: fork (nhanh, chỉ Linux), spawn (như trên Windows), auto.",
)
@click.pass_context
def command(
    ctx: click.Context,
    year,
    as_of,
    period,
    data_dir,
    out_dir,
    jobs,
    with_code,
    units,
    notebooks_dir,
    timeout,
    no_progress,
    pdf,
    previous_dir,
    kernels,
):
    """Chạy các notebook phân tích và xuất báo cáo HTML ngoại tuyến, tái lập được.

    Ví dụ: tthc review --year 2025 --period year --data data/sample --out reports/2025
    """
    if ctx.invoked_subcommand is not None:
        return None
    from tthc_analysis.evaluation.params import parse_as_of
    from tthc_analysis.review.build import build_review

    _stop_on_sigterm()
    result = build_review(
        year=year,
        as_of=parse_as_of(as_of),
        period=period,
        data_dir=data_dir,
        out_dir=out_dir,
        jobs=jobs,
        with_code=with_code,
        units=list(units) or None,
        notebooks_dir=notebooks_dir,
        timeout=timeout,
        progress=not no_progress,
        pdf=pdf,
        previous_data_dir=previous_dir,
        kernels=kernels,
    )
    click.echo(_summary(result))
    return 0


@command.command("verify")
@click.argument("report_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@data_option(
    "Thư mục dữ liệu của báo cáo (mặc định: tìm theo tên đã ghi trong manifest.json: "
    "dữ liệu mẫu, data/<tên> hoặc <tên> ở thư mục hiện hành)."
)
@click.option(
    "--notebooks",
    "notebooks_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Thư mục notebook của báo cáo (mặc định: như đã ghi trong manifest.json).",
)
@click.option(
    "--jobs", type=click.IntRange(min=1), help="Số notebook chạy song song (mặc định: số lõi)."
)
@click.option(
    "--previous-data",
    "previous_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help=(
        "Thư mục dữ liệu năm trước của báo cáo tạo với --previous-data (mặc định: tìm theo "
        "tên đã ghi trong manifest.json)."
    ),
)
@click.option("--no-progress", is_flag=True, help="Không hiện thanh tiến trình.")
def verify(report_dir: Path, data_dir, notebooks_dir, jobs, previous_dir, no_progress) -> int:
    """Dựng lại báo cáo REPORT_DIR theo manifest.json và so sánh từng tệp.

    Dữ liệu được sao chép sang một thư mục tạm khác rồi dựng lại từ bản sao: báo cáo
    không phụ thuộc nơi đặt dữ liệu. Mã thoát: 0 giống hệt; 1 có tệp khác; 2 dữ liệu
    đầu vào đã thay đổi hoặc không tìm thấy.
    """
    from tthc_analysis.review.verify import verify_review

    _stop_on_sigterm()
    result = verify_review(
        report_dir,
        data_dir=data_dir,
        notebooks_dir=notebooks_dir,
        jobs=jobs,
        progress=not no_progress,
        previous_dir=previous_dir,
    )
    click.echo(result.summary_vi())
    return result.exit_code
