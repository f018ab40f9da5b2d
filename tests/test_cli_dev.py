"""``tthc lab/test/lint/bench``: the Makefile's jobs without make (Windows)."""

from __future__ import annotations

import subprocess
import sys

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


def test_lab_starts_jupyterlab_on_the_notebooks_with_this_interpreter(calls):
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
