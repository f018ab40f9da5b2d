"""The notebooks as an analyst and a director use them: JupyterLab and the dashboard.

A real JupyterLab (this environment's, on a free port of 127.0.0.1, with the project's
JupyterLab settings) runs the section notebook 06 in headless Chromium: every cell
runs, a filter of the dossier explorer changes the chart, the notebook is saved with
its widget state, the kernel is stopped and the notebook reopened: the widgets show
again, without "model not found" errors. The leaders' dashboard (``tthc dashboard``,
Voilà) loads on the bundled sample, a filter changes its chart, and the page asks for
nothing outside this machine.

Servers listen on 127.0.0.1 only, are waited for with a time limit, and are stopped
(with their kernels) at the end of each test. Uses Debian's ``/usr/bin/chromium``.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_support import BROWSER_MARKS, chromium

from tthc_analysis.cli.dev import install_lab_settings
from tthc_analysis.config import NOTEBOOKS_DIR
from tthc_analysis.review.dashboard import free_port

ROOT = Path(__file__).resolve().parent.parent
SERVER_START = 120  # seconds allowed for a server to answer
RUN_ALL = 300  # seconds allowed to run the notebook

pytestmark = BROWSER_MARKS


def _wait_http(url: str, process: subprocess.Popen, log: Path, limit: float = SERVER_START) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
            pytest.fail(f"the server stopped (exit {process.returncode}):\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - localhost
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"no answer from {url} within {limit} s")


def _stop(process: subprocess.Popen) -> None:
    """Stop a server started in its own session, with the kernels it started."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture
def browser():
    with chromium() as instance:
        yield instance


def _kernel_available(name: str) -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    return name in KernelSpecManager().find_kernel_specs()


@pytest.fixture
def lab(tmp_path):
    """JupyterLab on 127.0.0.1 serving a copy of notebook 06 (the project's settings)."""
    work = tmp_path / "notebooks"
    work.mkdir()
    nb = json.loads((NOTEBOOKS_DIR / "06_mot_cua.ipynb").read_text(encoding="utf-8"))
    if not _kernel_available(nb["metadata"]["kernelspec"]["name"]):  # `make env` registers it
        nb["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}  # fmt: skip
    (work / "06_mot_cua.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    settings = tmp_path / "app-settings"
    settings.mkdir()
    install_lab_settings(settings)  # what `tthc lab` (and `make env`) write for every install
    # Every cell in the page (JupyterLab draws only the visible cells by default).
    tracker = tmp_path / "user-settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    port, token = free_port(), secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TTHC_")}
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
    )
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        "--ServerApp.allow_root=True",
        f"--ServerApp.root_dir={work}", "--LabApp.expose_app_in_browser=True",
        f"--LabApp.app_settings_dir={settings}", "--LabApp.news_url=",
    ]  # fmt: skip
    log = (tmp_path / "lab.log").open("w")
    process = subprocess.Popen(
        command, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_http(f"{base}/api/status?token={token}", process, tmp_path / "lab.log")
        yield base, token, work
    finally:
        _stop(process)
        log.close()


def _api(base: str, token: str, path: str, method: str = "GET"):
    request = urllib.request.Request(
        f"{base}{path}", method=method, headers={"Authorization": f"token {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - localhost
        body = response.read()
    return json.loads(body) if body else None


def _open_notebook(browser, base: str, token: str, name: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/lab/tree/{name}?token={token}", wait_until="domcontentloaded")
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.context"
        " && window.jupyterapp.shell.currentWidget.context.isReady",
        timeout=SERVER_START * 1000,
    )
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " const k = w.sessionContext && w.sessionContext.session"
        " && w.sessionContext.session.kernel;"
        " return k && k.status === 'idle'; }",
        timeout=SERVER_START * 1000,
    )
    return page, errors


def _explorer_image(page) -> str:
    return page.locator(".jp-OutputArea img.widget-image").first.get_attribute("src") or ""


def _unit_dropdown(page):
    return page.locator(".widget-dropdown", has_text="Đơn vị (phòng)").locator("select").first


def test_section_notebook_filters_saves_and_reopens_without_widget_errors(browser, lab):
    base, token, work = lab
    page, errors = _open_notebook(browser, base, token, "06_mot_cua.ipynb")
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " const cells = w.content.widgets.filter(c => c.model.type === 'code');"
        " return cells.every(c => c.model.executionCount !== null)"
        " && w.sessionContext.session.kernel.status === 'idle'; }",
        timeout=RUN_ALL * 1000,
    )
    text = page.locator(".jp-Notebook").inner_text()
    assert "Traceback" not in text and "Error" not in text.replace("Error displaying", "")
    assert "Hồ sơ quá hạn theo đơn vị" in text

    # A filter of the dossier explorer changes the chart and the table.
    dropdown = _unit_dropdown(page)
    dropdown.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const i = document.querySelector('.jp-OutputArea img.widget-image');"
        " return i && i.src; }",
        timeout=60000,
    )
    before = _explorer_image(page)
    options = dropdown.locator("option").all_inner_texts()
    assert options[0].replace("\xa0", " ") == "Tất cả" and len(options) > 2
    dropdown.select_option(index=2)
    page.wait_for_function(
        "before => { const i = document.querySelector('.jp-OutputArea img.widget-image');"
        " return i && i.src && i.src !== before; }",
        arg=before,
        timeout=60000,
    )
    chosen = options[2].replace("\xa0", " ")
    assert chosen in page.locator(".jp-Notebook").inner_text().replace("\xa0", " ")

    # Save: the widget state goes into the notebook; the table bundle is saved once.
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    saved_path = work / "06_mot_cua.ipynb"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        saved = json.loads(saved_path.read_text(encoding="utf-8"))
        if saved["metadata"].get("widgets"):
            break
        time.sleep(0.5)
    state = saved["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert any(m["model_name"] == "DropdownModel" for m in state.values())
    bundles = sum(
        "_itables_" in "".join(o.get("data", {}).get("text/html", ""))
        and "base64" in "".join(o.get("data", {}).get("text/html", ""))
        for c in saved["cells"]
        for o in c.get("outputs", [])
        if len("".join(o.get("data", {}).get("text/html", ""))) > 200_000
    )
    assert bundles == 1  # the offline table library, once per notebook
    page.close()

    # Stop every kernel, reopen: the widgets come back from the saved state.
    for session in _api(base, token, "/api/sessions"):
        _api(base, token, f"/api/sessions/{session['id']}", method="DELETE")
    page, errors = _open_notebook(browser, base, token, "06_mot_cua.ipynb")
    page.wait_for_selector(".widget-dropdown select", timeout=60000)
    page.wait_for_timeout(1500)
    text = page.locator(".jp-Notebook").inner_text()
    assert "model not found" not in text.lower()
    assert "Error displaying widget" not in text
    assert _unit_dropdown(page).count() == 1
    assert errors == []
    page.close()


@pytest.fixture
def dashboard(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TTHC_")}
    env.update(JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_DATA_DIR=str(tmp_path))
    log = (tmp_path / "dashboard.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tthc_analysis", "dashboard", f"--port={port}"],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_http(
            f"{base}/voila/templates/tthc/static/voila.js", process, tmp_path / "dashboard.log"
        )
        yield base, process
    finally:
        _stop(process)
        log.close()


def test_dashboard_loads_offline_and_a_filter_changes_the_chart(browser, dashboard):
    base, _process = dashboard
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/", wait_until="load", timeout=RUN_ALL * 1000)
    page.wait_for_selector("img.widget-image", timeout=RUN_ALL * 1000)
    page.wait_for_function(
        "() => { const i = document.querySelector('img.widget-image'); return i && i.src; }",
        timeout=60000,
    )
    body = page.locator("body").inner_text()
    assert "Các chỉ tiêu chính" in body and "Giải quyết hồ sơ theo tháng" in body
    assert "Dữ liệu mẫu giả lập" in body  # the bundled sample by default
    assert "page.headline()" not in body and "import" not in body  # no code cells
    before = page.locator("img.widget-image").first.get_attribute("src")
    dropdown = _unit_dropdown(page)
    options = dropdown.locator("option").all_inner_texts()
    assert options[0].replace("\xa0", " ") == "Tất cả" and len(options) > 2
    dropdown.select_option(index=1)
    page.wait_for_function(
        "before => { const i = document.querySelector('img.widget-image');"
        " return i && i.src && i.src !== before; }",
        arg=before,
        timeout=60000,
    )
    outside = [u for u in requests if not u.startswith((base, "data:", "blob:"))]
    assert outside == []
    assert errors == []
    page.close()
