"""The code paths of Windows, exercised on Linux: file locks and spawned kernels.

File locks use ``filelock`` (``fcntl`` does not exist on Windows); review kernels are
spawned where fork is unavailable, and ``--kernels spawn`` / ``TTHC_REVIEW_KERNELS=spawn``
force that path here.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from filelock import FileLock, Timeout

from tthc_analysis.cli import cli
from tthc_analysis.errors import ParameterError
from tthc_analysis.loading import ingest
from tthc_analysis.review import build as build_module
from tthc_analysis.review import forkserver
from tthc_analysis.review.runner import KERNELS_ENV, NotebookRunner, kernel_mode


def test_the_ingest_lock_is_a_file_lock_others_must_wait_for(tmp_path):
    with ingest._locked(tmp_path), pytest.raises(Timeout):
        FileLock(tmp_path / ".lock").acquire(timeout=0)
    with FileLock(tmp_path / ".lock", timeout=0):  # released afterwards
        pass


def test_the_report_lock_is_a_file_lock_that_leaves_nothing_beside_the_report(tmp_path):
    out = tmp_path / "2025"
    with build_module._lock(out), pytest.raises(Timeout):
        FileLock(build_module._lock_path(tmp_path / "." / "2025")).acquire(timeout=0)
    assert list(tmp_path.iterdir()) == []  # the lock file lives in the temporary folder


def test_no_module_uses_fcntl_directly():
    from pathlib import Path

    package = Path(ingest.__file__).resolve().parents[1]
    users = [p.name for p in package.rglob("*.py") if "fcntl" in p.read_text(encoding="utf-8")]
    assert users == []


def test_spawn_can_be_forced_by_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(KERNELS_ENV, "spawn")
    assert kernel_mode() == "spawn"
    assert NotebookRunner([], tmp_path).fork is False
    monkeypatch.delenv(KERNELS_ENV)
    assert kernel_mode() == ("fork" if forkserver.available() else "spawn")
    assert kernel_mode("spawn") == "spawn"


def test_a_bad_kernel_mode_is_refused_in_vietnamese(monkeypatch):
    monkeypatch.setenv(KERNELS_ENV, "thread")
    with pytest.raises(ParameterError, match="«thread»"):
        kernel_mode()


def test_the_review_command_passes_the_kernel_mode(monkeypatch, tmp_path):
    seen = {}

    def fake_build(**kwargs):
        seen.update(kwargs)
        return build_module.BuildResult(tmp_path, ["index.html"], {}, 1.0, True, [])

    monkeypatch.setattr(build_module, "build_review", fake_build)
    result = CliRunner().invoke(cli, ["review", "--kernels", "spawn", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert seen["kernels"] == "spawn"
