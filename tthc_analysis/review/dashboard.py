"""The leaders' dashboard: the overview with its filters as a web app (Voilà).

Directors do not open JupyterLab. ``tthc dashboard`` (``make dashboard``) serves the
dashboard notebook (``templates/dashboard/tong_quan_lanh_dao.ipynb``: key indicators,
dossier rates with filters, sections, task search) with Voilà, which shows the outputs
and widgets and never the code:

- **localhost only**: the server listens on 127.0.0.1;
- **offline**: the notebook's tables load the inlined bundle, Voilà serves its own
  scripts, and nothing is fetched from the Internet;
- **parameters**: the bundled synthetic sample by default, ``--data`` for real exports;
  they are written into a copy of the notebook (a parameters cell injected as a review
  build does), in a temporary folder removed when the server stops.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from tthc_analysis.errors import ParameterError

__all__ = [
    "DASHBOARD_NOTEBOOK",
    "HOST",
    "dashboard_notebook",
    "free_port",
    "voila_command",
    "voila_environment",
    "write_dashboard",
]

DASHBOARD_NOTEBOOK = (
    Path(__file__).resolve().parent.parent / "templates" / "dashboard" / "tong_quan_lanh_dao.ipynb"
)
"""The dashboard notebook shipped with the package."""

HOST = "127.0.0.1"
"""The only address the dashboard listens on."""

JUPYTER_DATA = Path(__file__).resolve().parent.parent / "templates" / "jupyter"
"""Added to ``JUPYTER_PATH`` for Voilà: holds its ``tthc`` template (lab, offline)."""

PAGE_NAME = "bang_theo_doi.ipynb"


def dashboard_notebook(
    year: int = 2025,
    as_of: str | None = None,
    period: str = "year",
    data_dir: str | Path | None = None,
    units: list[str] | None = None,
):
    """The dashboard notebook with these parameters injected (widgets on).

    Args:
        year: Plan year.
        as_of: Data cut-off (``YYYY-MM-DD``); None = end of the period.
        period: ``q1``…``q4``, ``h1``, ``9m``, ``year`` or ``YYYY-MM``.
        data_dir: Raw-data folder; None = the bundled synthetic sample.
        units: Units (phòng) to limit the dashboard to; None = all.

    Returns:
        A notebook (``nbformat`` node) whose kernel is this Python's ``python3``.
    """
    from tthc_analysis.review.runner import inject_parameters

    nb = nbformat.read(DASHBOARD_NOTEBOOK, as_version=4)
    params = {
        "year": int(year),
        "as_of": str(as_of) if as_of else None,
        "period": str(period),
        "data_dir": str(Path(data_dir).resolve()) if data_dir else None,
        "units": list(units) if units else None,
        "label_language": "vi",
        "interactive": True,
    }
    nb = inject_parameters(nb, params)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def write_dashboard(folder: str | Path, **params) -> Path:
    """Write :func:`dashboard_notebook` into ``folder``; return the notebook's path."""
    path = Path(folder) / PAGE_NAME
    nb = dashboard_notebook(**params)
    nbformat.write(nb, path)
    try:  # our own notebook: trusted, so that its tables' scripts run
        from nbformat.sign import NotebookNotary

        NotebookNotary().sign(nb)
    except Exception:  # noqa: BLE001 - no writable signature store: tables stay static
        pass
    return path


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def voila_command(notebook: Path, port: int, *, open_browser: bool = False) -> list[str]:
    """The command line serving ``notebook`` with Voilà on 127.0.0.1:``port``."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        f"--port={int(port)}",
        f"--Voila.ip={HOST}",
        "--no-browser" if not open_browser else "--Voila.open_browser=True",
        "--VoilaConfiguration.show_tracebacks=False",
        "--template=tthc",
        "--theme=light",
    ]


def voila_environment() -> dict[str, str]:
    """Environment of the Voilà server: its ``tthc`` template found on ``JUPYTER_PATH``."""
    import os

    env = dict(os.environ)
    paths = [str(JUPYTER_DATA), *filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep))]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    return env


def serve(
    *,
    port: int | None = None,
    open_browser: bool = False,
    **params,
) -> int:
    """Serve the dashboard until interrupted (Ctrl-C); return Voilà's exit code.

    Raises:
        ParameterError: a bad parameter, or the data folder does not exist.
    """
    data_dir = params.get("data_dir")
    if data_dir is not None and not Path(data_dir).is_dir():
        raise ParameterError(f"Không tìm thấy thư mục dữ liệu «{data_dir}».")
    folder = Path(tempfile.mkdtemp(prefix="tthc-dashboard-"))
    try:
        notebook = write_dashboard(folder, **params)
        port = port or 8866
        command = voila_command(notebook, port, open_browser=open_browser)
        print(f"Bảng theo dõi: http://{HOST}:{port}/ (Ctrl-C để dừng)", flush=True)
        try:
            return subprocess.call(command, cwd=folder, env=voila_environment())
        except KeyboardInterrupt:
            return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)
