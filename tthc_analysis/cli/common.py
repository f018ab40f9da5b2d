"""What the sub-commands share: error handling, UTF-8 output and the common options."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from tthc_analysis.cli import click_vi
from tthc_analysis.errors import ParameterError, TthcError

click_vi.install()  # click's own messages (wrong option values, paths...) in Vietnamese

__all__ = [
    "TthcCommand",
    "TthcGroup",
    "data_option",
    "data_settings",
    "emit",
    "os_error",
    "units_option",
    "window_option",
    "year_option",
]


class _TthcErrors(click.Command):
    """Turn a :class:`TthcError` into its Vietnamese message and exit code.

    ``tthc`` (``cli.main``) does the same; doing it in the command too keeps the
    behaviour when it is invoked directly (tests with click's ``CliRunner``).
    """

    def invoke(self, ctx: click.Context):
        """Run the command; a :class:`TthcError` becomes its message and exit code.

        An :class:`OSError` that no command turned into a message (an output that cannot
        be written, a full disk under the standard output) is explained the same way.
        """
        try:
            return super().invoke(ctx)
        except TthcError as exc:
            click.echo(str(exc), err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:  # `tthc evaluate | head`: the reader has had enough
            _quiet_stdout()
            ctx.exit(0)
        except OSError as exc:
            error = os_error(exc)
            click.echo(str(error), err=True)
            ctx.exit(error.exit_code)


def os_error(exc: OSError) -> TthcError:
    """The Vietnamese error for an :class:`OSError` met while running a command.

    Without a file name it is the standard output (``tthc evaluate > /dev/full``): the
    output is then closed quietly, so that Python does not complain again at exit.
    """
    from tthc_analysis.outputs import output_error

    if exc.filename is None:
        _quiet_stdout()
        return output_error(exc, "đầu ra chuẩn (stdout)", "kết quả của lệnh")
    return output_error(exc, exc.filename, "kết quả")


def _quiet_stdout() -> None:
    """Point the standard output at the null device (it cannot be written any more)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real stdout (tests)
        pass


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


previous_data_option = click.option(
    "--previous-data",
    "previous_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Thư mục dữ liệu năm trước, để so sánh với cùng kỳ năm trước (mặc định: tìm trong "
    "--data).",
)
"""``--previous-data DIR`` (``previous_dir``): the previous year's exports, if elsewhere."""

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
