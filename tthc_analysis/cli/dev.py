"""The Makefile's jobs as ``tthc`` commands, for Windows where ``make`` does not exist.

``tthc lab`` (``make lab``), ``tthc test`` (``make test``/``make test-fast``), ``tthc lint``
(``make lint``), ``tthc bench`` (``make bench``); ``tthc sample`` and ``tthc review``
(``make sample``/``make report``) are commands of their own. Each runs the same tools
with this interpreter (``python -m …``), so it works from an activated virtual
environment or conda environment on any system.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from tthc_analysis.cli.common import TthcCommand
from tthc_analysis.config import NOTEBOOKS_DIR, PROJECT_ROOT
from tthc_analysis.errors import ParameterError

__all__ = ["bench", "lab", "lint", "run_steps", "test"]

FAST_MARKERS = "not slow and not browser"
"""Tests of ``make test-fast``: no notebook execution, no browser."""

LINT_STEPS: tuple[tuple[str, ...], ...] = (
    ("ruff", "check", "."),
    ("ruff", "format", "--check", "."),
    ("pyright",),
)
"""The lint tools (run as ``python -m <tool>``), in order."""


def run_steps(steps: Sequence[Sequence[str]], cwd: Path = PROJECT_ROOT) -> int:
    """Run ``python -m <step>`` for each step in ``cwd``; stop at the first failure.

    Returns:
        0, or the exit code of the step that failed.
    """
    for step in steps:
        code = subprocess.call([sys.executable, "-m", *step], cwd=cwd)
        if code:
            return code
    return 0


def _source_checkout(path: Path) -> Path:
    if not path.exists():
        raise ParameterError(
            f"Không tìm thấy «{path.name}»: lệnh này chỉ chạy trong thư mục mã nguồn của dự án.",
            hint="Cài đặt từ mã nguồn (pip install -e .) rồi chạy lại trong thư mục đó.",
        )
    return path


_PASS_THROUGH = {"ignore_unknown_options": True, "allow_extra_args": True}


@click.command(name="lab", cls=TthcCommand, context_settings=_PASS_THROUGH)
@click.option(
    "--notebooks",
    "notebooks_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Thư mục notebook (mặc định: notebooks/ của dự án).",
)
@click.argument("jupyter_args", nargs=-1, type=click.UNPROCESSED)
def lab(notebooks_dir: Path | None, jupyter_args: tuple[str, ...]) -> int:
    """Mở JupyterLab với các notebook phân tích (như «make lab»)."""
    folder = notebooks_dir or _source_checkout(NOTEBOOKS_DIR)
    return run_steps([("jupyter", "lab", f"--notebook-dir={folder}", *jupyter_args)])


@click.command(name="test", cls=TthcCommand, context_settings=_PASS_THROUGH)
@click.option("--fast", is_flag=True, help="Chỉ các kiểm thử nhanh (như «make test-fast»).")
@click.option(
    "--jobs", type=click.IntRange(min=1), default=2, show_default=True, help="Số tiến trình."
)
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED)
def test(fast: bool, jobs: int, pytest_args: tuple[str, ...]) -> int:
    """Chạy kiểm tra mã (ruff, pyright) rồi bộ kiểm thử (như «make test»).

    Với --fast: chỉ các kiểm thử không chạy notebook và không cần trình duyệt.
    """
    _source_checkout(PROJECT_ROOT / "tests")
    pytest = ["pytest", "-n", str(jobs)]
    if fast:
        return run_steps([(*pytest, "-m", FAST_MARKERS, *pytest_args)])
    return run_steps([*LINT_STEPS, (*pytest, *pytest_args)])


@click.command(name="lint", cls=TthcCommand)
def lint() -> int:
    """Kiểm tra mã bằng ruff và pyright (như «make lint»)."""
    _source_checkout(PROJECT_ROOT / "pyproject.toml")
    return run_steps(LINT_STEPS)


@click.command(name="bench", cls=TthcCommand, context_settings=_PASS_THROUGH)
@click.argument("bench_args", nargs=-1, type=click.UNPROCESSED)
def bench(bench_args: tuple[str, ...]) -> int:
    """Đo hiệu năng (như «make bench»; lần đầu sinh bộ dữ liệu quy mô tỉnh)."""
    script = _source_checkout(PROJECT_ROOT / "benchmarks" / "run_all.py")
    return subprocess.call([sys.executable, str(script), *bench_args], cwd=PROJECT_ROOT)
