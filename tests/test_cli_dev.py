"""``tthc lab/test/lint/bench``: the Makefile's jobs without make (Windows)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tthc_analysis.cli import cli, dev
from tthc_analysis.config import NOTEBOOKS_DIR, PROJECT_ROOT


@pytest.fixture
def calls(monkeypatch):
    """Record the commands instead of running them; each succeeds."""
    seen: list[tuple[list[str], object]] = []

    def fake_call(argv, cwd=None):
        seen.append((list(argv), cwd))
        return 0

    monkeypatch.setattr(subprocess, "call", fake_call)
    return seen


@pytest.fixture
def fresh_env(tmp_path, monkeypatch):
    """A conda or ``py -m venv`` environment where ``make env`` never ran: empty folders."""
    monkeypatch.setenv("JUPYTERLAB_DIR", str(tmp_path / "app"))
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "env"))
    return tmp_path


def test_lab_starts_jupyterlab_on_the_notebooks_with_this_interpreter(calls, fresh_env):
    result = CliRunner().invoke(cli, ["lab", "--no-browser"])
    assert result.exit_code == 0, result.output
    assert calls == [
        (
            [
                sys.executable,
                "-m",
                "jupyter",
                "lab",
                f"--notebook-dir={NOTEBOOKS_DIR}",
                "--no-browser",
            ],
            PROJECT_ROOT,
        )
    ]


def test_test_runs_lint_then_the_whole_suite(calls):
    result = CliRunner().invoke(cli, ["test", "-x"])
    assert result.exit_code == 0, result.output
    assert [argv[2:] for argv, _ in calls] == [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["pyright"],
        ["pytest", "-n", "2", "-x"],
    ]


def test_test_fast_runs_the_fast_tests_only(calls):
    result = CliRunner().invoke(cli, ["test", "--fast", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert [argv[2:] for argv, _ in calls] == [
        ["pytest", "-n", "1", "-m", "not slow and not browser"]
    ]


def test_a_failing_step_stops_the_others_and_gives_its_exit_code(monkeypatch):
    seen = []

    def fake_call(argv, cwd=None):
        seen.append(argv[2])
        return 1 if argv[2] == "ruff" else 0

    monkeypatch.setattr(subprocess, "call", fake_call)
    with pytest.raises(SystemExit) as info:
        from tthc_analysis.cli import main

        main(["lint"])
    assert info.value.code == 1
    assert seen == ["ruff"]


def test_bench_runs_the_benchmark_script(calls):
    result = CliRunner().invoke(cli, ["bench"])
    assert result.exit_code == 0, result.output
    assert calls == [
        ([sys.executable, str(PROJECT_ROOT / "benchmarks" / "run_all.py")], PROJECT_ROOT)
    ]


def test_outside_a_source_checkout_the_commands_say_so_in_vietnamese(monkeypatch, tmp_path):
    monkeypatch.setattr(dev, "PROJECT_ROOT", tmp_path)
    result = CliRunner().invoke(cli, ["bench"])
    assert result.exit_code == 2
    assert "chỉ chạy trong thư mục mã nguồn" in result.output


def test_lab_on_a_fresh_environment_saves_widget_state_and_registers_the_kernel(calls, fresh_env):
    # conda (environment.yml) or Windows `py -m venv` + pip: no `make env`; `tthc lab` alone
    # must give saved widget state (no "model not found" on reopening) and the kernel.
    result = CliRunner().invoke(cli, ["lab", "--no-browser"])
    assert result.exit_code == 0, result.output
    overrides = json.loads((fresh_env / "app" / "settings" / "overrides.json").read_text())
    assert overrides["@jupyter-widgets/jupyterlab-manager:plugin"] == {"saveState": True}
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    spec = fresh_env / "env" / "share" / "jupyter" / "kernels" / "tthc-analysis" / "kernel.json"
    kernel = json.loads(spec.read_text())
    assert kernel["display_name"] == "Python (tthc-analysis)"
    assert kernel["argv"][0] == sys.executable
    assert [argv[2:4] for argv, _ in calls] == [["jupyter", "lab"]]  # started after the set-up


def test_lab_setup_only_keeps_the_users_other_settings(fresh_env):
    settings = fresh_env / "app" / "settings"
    settings.mkdir(parents=True)
    (settings / "overrides.json").write_text(
        json.dumps(
            {
                "@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": False},
                "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
            }
        )
    )
    result = CliRunner().invoke(cli, ["lab", "--setup-only"])
    assert result.exit_code == 0, result.output
    assert "Thiết lập JupyterLab" in result.output
    overrides = json.loads((settings / "overrides.json").read_text())
    assert overrides["@jupyter-widgets/jupyterlab-manager:plugin"] == {"saveState": True}
    assert overrides["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}


def test_lab_settings_go_where_jupyterlab_reads_them(monkeypatch):
    from jupyterlab.labapp import LabApp

    monkeypatch.delenv("JUPYTERLAB_DIR", raising=False)
    assert Path(LabApp().app_settings_dir) == dev.lab_settings_dir()


def test_a_broken_overrides_file_is_a_vietnamese_error(fresh_env):
    settings = fresh_env / "app" / "settings"
    settings.mkdir(parents=True)
    (settings / "overrides.json").write_text("{not json")
    result = CliRunner().invoke(cli, ["lab", "--setup-only"])
    assert result.exit_code == 2
    assert "không phải JSON hợp lệ" in result.output and "overrides.json" in result.output
