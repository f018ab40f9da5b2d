"""The ``tthc`` command line: a thin layer over the library functions.

Sub-commands live in their own modules (``tthc_analysis/cli/<name>.py``, each exposing
``command``) and are imported only when used, so ``tthc --help`` stays fast. Errors
derived from :class:`~tthc_analysis.errors.TthcError` are printed in Vietnamese without a
traceback and end the program with their exit code (2 for bad input, 1 for a failed build).
"""

from __future__ import annotations

import importlib
import sys

import click

from tthc_analysis import __version__
from tthc_analysis.cli.common import TthcGroup, _quiet_stdout, os_error
from tthc_analysis.errors import TthcError

__all__ = ["cli", "main"]

# name -> (module, one-line help). Each module defines ``command`` (or the attribute named
# after a colon: ``module:attribute``).
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "plan": ("tthc_analysis.cli.plan", "Show, parse and lint the TTHC-control plan."),
    "ingest": ("tthc_analysis.cli.ingest", "Load, validate and cache raw exports as Parquet."),
    "sample": ("tthc_analysis.cli.sample", "Write the synthetic sample exports."),
    "form06": ("tthc_analysis.cli.form06", "Write form 06/VPCP/KSTT for a period."),
    "evaluate": ("tthc_analysis.cli.evaluate", "Print the status of every task and section."),
    "review": ("tthc_analysis.cli.review", "Build the HTML review report from the notebooks."),
    "report": (
        "tthc_analysis.cli.report",
        "Write the quarterly or year-end report as a Word draft.",
    ),
    "dashboard": ("tthc_analysis.cli.dashboard", "Serve the leaders' dashboard (Voilà, local)."),
    "lab": ("tthc_analysis.cli.dev:lab", "Start JupyterLab on the notebooks (make lab)."),
    "test": ("tthc_analysis.cli.dev:test", "Run lint and the test suite (make test)."),
    "lint": ("tthc_analysis.cli.dev:lint", "Run ruff and pyright (make lint)."),
    "bench": ("tthc_analysis.cli.dev:bench", "Run the benchmarks (make bench)."),
}


class LazyGroup(TthcGroup):
    """A click group that imports each sub-command's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in SUBCOMMANDS:
            return None
        target, help_text = SUBCOMMANDS[cmd_name]
        module_name, _, attribute = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            return None
        command = getattr(module, attribute or "command")
        command.short_help = command.short_help or help_text
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tthc")
def cli() -> None:
    """tthc-analysis: theo dõi, đánh giá kế hoạch kiểm soát TTHC (Sở GD&ĐT)."""


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``tthc`` console script."""
    try:
        result = cli.main(args=argv, prog_name="tthc", standalone_mode=False)
    except TthcError as exc:
        click.echo(str(exc), err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Đã dừng theo yêu cầu.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Đã dừng theo yêu cầu.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(0)
    except OSError as exc:
        error = os_error(exc)
        click.echo(str(error), err=True)
        sys.exit(error.exit_code)
    if isinstance(result, int) and result:
        sys.exit(result)
