"""The Makefile's jobs as ``tthc`` commands, for Windows where ``make`` does not exist.

``tthc lab`` (``make lab``), ``tthc test`` (``make test``/``make test-fast``), ``tthc lint``
(``make lint``), ``tthc bench`` (``make bench``); ``tthc sample`` and ``tthc review``
(``make sample``/``make report``) are commands of their own. Each runs the same tools
with this interpreter (``python -m …``), so it works from an activated virtual
environment or conda environment on any system.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from tthc_analysis.cli.common import TthcCommand
from tthc_analysis.config import NOTEBOOKS_DIR, PROJECT_ROOT
from tthc_analysis.errors import ParameterError

__all__ = [
    "KERNEL_DISPLAY_NAME",
    "KERNEL_NAME",
    "LAB_OVERRIDES",
    "bench",
    "install_lab_settings",
    "lab",
    "lab_settings_dir",
    "lint",
    "register_kernel",
    "run_steps",
    "setup_lab",
    "test",
]

KERNEL_NAME = "tthc-analysis"
"""Kernel the notebooks declare (``metadata.kernelspec.name``)."""

KERNEL_DISPLAY_NAME = "Python (tthc-analysis)"
"""Its name in JupyterLab's launcher and kernel menu."""

LAB_OVERRIDES: dict[str, dict[str, object]] = {
    # Widget state saved with the notebook: a saved and reopened notebook shows its filters
    # and charts, not "Error displaying widget: model not found".
    "@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": True},
    # Offline: no news or update check fetched from the internet.
    "@jupyterlab/apputils-extension:notification": {
        "checkForUpdates": False,
        "fetchNews": "false",
    },
}
"""JupyterLab defaults of the project, written to ``overrides.json`` (:func:`setup_lab`)."""

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


def lab_settings_dir() -> Path:
    """JupyterLab's application settings folder of this environment (``overrides.json``).

    ``$JUPYTERLAB_DIR/settings`` when set, else ``<sys.prefix>/share/jupyter/lab/settings``:
    the same folder for a ``.venv`` (Linux or Windows) and a conda environment.
    """
    from jupyterlab.commands import get_app_dir

    return Path(get_app_dir()) / "settings"


def install_lab_settings(settings_dir: Path | None = None) -> Path:
    """Merge :data:`LAB_OVERRIDES` into ``overrides.json`` of ``settings_dir``.

    Other settings already in the file are kept; the file is rewritten only when a value
    changes.

    Args:
        settings_dir: Default :func:`lab_settings_dir`.

    Returns:
        The path of ``overrides.json``.
    """
    path = (settings_dir or lab_settings_dir()) / "overrides.json"
    current: dict = {}
    if path.exists():
        try:
            current = json.loads(path.read_text(encoding="utf-8") or "{}")
        except ValueError as exc:
            raise ParameterError(
                f"Tệp thiết lập JupyterLab «{path}» không phải JSON hợp lệ.",
                hint="Sửa hoặc xóa tệp đó rồi chạy lại «tthc lab».",
            ) from exc
    merged = {**current}
    for plugin, values in LAB_OVERRIDES.items():
        merged[plugin] = {**current.get(plugin, {}), **values}
    if merged != current:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def register_kernel(prefix: str | None = None) -> Path:
    """Register the kernel "Python (tthc-analysis)" of this interpreter, if it is not yet.

    Args:
        prefix: Environment folder (default ``sys.prefix``: the venv or conda environment).

    Returns:
        The kernel's folder.
    """
    from ipykernel.kernelspec import install

    folder = Path(prefix or sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME
    spec = folder / "kernel.json"
    if spec.exists():
        argv = json.loads(spec.read_text(encoding="utf-8")).get("argv") or [""]
        if os.path.realpath(argv[0]) == os.path.realpath(sys.executable):
            return folder
    install(kernel_name=KERNEL_NAME, display_name=KERNEL_DISPLAY_NAME, prefix=prefix or sys.prefix)
    return folder


def setup_lab(settings_dir: Path | None = None, prefix: str | None = None) -> tuple[Path, Path]:
    """What ``make env`` does for JupyterLab, for every install (venv, conda, Windows).

    Returns:
        (``overrides.json`` written, kernel folder).
    """
    return install_lab_settings(settings_dir), register_kernel(prefix)


@click.command(name="lab", cls=TthcCommand, context_settings=_PASS_THROUGH)
@click.option(
    "--notebooks",
    "notebooks_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Thư mục notebook (mặc định: notebooks/ của dự án).",
)
@click.option(
    "--setup-only",
    is_flag=True,
    help="Chỉ cài thiết lập JupyterLab (lưu trạng thái widget) và kernel, không mở JupyterLab.",
)
@click.argument("jupyter_args", nargs=-1, type=click.UNPROCESSED)
def lab(notebooks_dir: Path | None, setup_only: bool, jupyter_args: tuple[str, ...]) -> int:
    """Mở JupyterLab với các notebook phân tích (như «make lab»).

    Trước khi mở: bật lưu trạng thái widget trong notebook (mở lại không báo «model not
    found») và đăng ký kernel «Python (tthc-analysis)», với mọi cách cài (venv, conda).
    """
    overrides, kernel = setup_lab()
    if setup_only:
        click.echo(f"Thiết lập JupyterLab: {overrides}\nKernel: {kernel}")
        return 0
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
