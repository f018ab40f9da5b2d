"""``tthc dashboard``: the notebook it serves, the command line it runs, its errors.

The page itself is opened in a real browser by ``tests/test_browser_lab.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
from click.testing import CliRunner

from tthc_analysis.cli import cli
from tthc_analysis.review import dashboard
from tthc_analysis.views.overview import OverviewPage

ROOT = Path(__file__).resolve().parent.parent


def test_the_dashboard_notebook_calls_overview_methods_only():
    nb = nbformat.read(dashboard.DASHBOARD_NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata["tags"]
    assert 'views.open_page("00", year, as_of, period' in code[1].source
    for cell in code[2:]:
        call = ast.parse(cell.source).body[0].value
        assert ast.unparse(call.func.value) == "page"
        assert callable(getattr(OverviewPage, call.func.attr))
    assert any("dossier_explorer" in c.source for c in code)  # a filter that changes a chart


def test_parameters_are_injected_with_widgets_on_and_the_sample_by_default(tmp_path):
    path = dashboard.write_dashboard(tmp_path, period="q1")
    nb = nbformat.read(path, as_version=4)
    injected = next(c for c in nb.cells if c.get("id") == "injected-parameters")
    assert "period = 'q1'" in injected.source
    assert "as_of = None" in injected.source  # the end of the period
    assert "data_dir = None" in injected.source  # the bundled synthetic sample
    assert "interactive = True" in injected.source
    other = dashboard.dashboard_notebook(data_dir=tmp_path)
    assert repr(str(tmp_path.resolve())) in next(
        c.source for c in other.cells if c.get("id") == "injected-parameters"
    )


def test_voila_listens_on_localhost_only_with_the_offline_template():
    command_line = dashboard.voila_command(Path("x.ipynb"), 8899)
    assert "--Voila.ip=127.0.0.1" in command_line and "--port=8899" in command_line
    assert "--template=tthc" in command_line and "--no-browser" in command_line
    env = dashboard.voila_environment()
    assert env["JUPYTER_PATH"].split(":")[0] == str(dashboard.JUPYTER_DATA)
    template = dashboard.JUPYTER_DATA / "voila" / "templates" / "tthc" / "index.html.j2"
    text = template.read_text(encoding="utf-8")
    assert "fontawesome-free@^5/css/all.min.css" in text  # the CDN links it removes
    assert "html_head_js_mermaidjs" in text


def test_bad_parameters_are_vietnamese_errors_before_any_server_starts(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(cli, ["dashboard", "--data", str(tmp_path / "khong-co")])
    assert missing.exit_code == 2
    assert "Không tìm thấy thư mục dữ liệu" in missing.output
    bad = runner.invoke(cli, ["dashboard", "--period", "q5"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_make_dashboard_and_the_voila_pin():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "dashboard: $(STAMP)" in makefile and "tthc dashboard" in makefile
    pins = (ROOT / "requirements" / "constraints.txt").read_text(encoding="utf-8")
    assert "\nvoila==" in pins
