"""What the sub-commands share: error handling, UTF-8 output and the common options."""

from __future__ import annotations

from pathlib import Path

import click

from tthc_analysis.errors import ParameterError, TthcError

__all__ = [
    "TthcCommand",
    "TthcGroup",
    "data_option",
    "data_settings",
    "emit",
    "units_option",
    "window_option",
    "year_option",
]


class _TthcErrors:
    """Turn a :class:`TthcError` into its Vietnamese message and exit code.

    ``tthc`` (``cli.main``) does the same; doing it in the command too keeps the
    behaviour when it is invoked directly (tests with click's ``CliRunner``).
    """

    def invoke(self, ctx: click.Context):
        """Run the command; a :class:`TthcError` becomes its message and exit code."""
        try:
            return super().invoke(ctx)
        except TthcError as exc:
            click.echo(str(exc), err=True)
            ctx.exit(exc.exit_code)


class TthcCommand(_TthcErrors, click.Command):
    """A click command that prints package errors in Vietnamese."""


class TthcGroup(_TthcErrors, click.Group):
    """A click group that prints package errors in Vietnamese."""


def emit(text: str) -> None:
    """Write UTF-8 text to stdout whatever the terminal's encoding."""
    click.echo(text.encode("utf-8"), nl=False)


def data_option(
    help_text: str = "Thư mục dữ liệu xuất từ hệ thống (mặc định: dữ liệu mẫu kèm theo).",
):
    """``--data DIR`` (``data_dir``; ``None`` = the bundled sample)."""
    return click.option(
        "--data",
        "data_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help=help_text,
    )


year_option = click.option(
    "--year", type=int, default=2025, show_default=True, help="Năm của kế hoạch."
)
"""``--year`` (the plan's year)."""

window_option = click.option(
    "--window",
    type=click.Choice(["official", "calendar"]),
    default=None,
    help="Khung thời gian số liệu: official (15 tháng trước – 14) hoặc calendar (theo tháng "
    "dương lịch). Mặc định theo cấu hình (report_window).",
)
"""``--window official|calendar`` (default: the settings' ``report_window``)."""

units_option = click.option(
    "--unit", "units", multiple=True, help="Chỉ đánh giá đơn vị này (lặp lại để chọn nhiều đơn vị)."
)
"""``--unit`` (repeatable; ``units`` tuple)."""


def data_settings(data_dir: Path | None):
    """The settings for ``--data`` (bundled ones overlaid by its ``tthc.yaml``).

    Raises:
        ParameterError: the folder does not exist.
    """
    from tthc_analysis.config import load_settings

    if data_dir is not None and not data_dir.is_dir():
        raise ParameterError(f"Không tìm thấy thư mục dữ liệu «{data_dir}».")
    return load_settings(data_dir=data_dir)
