"""Shared fixtures. Tests are hermetic: settings come only from the bundled defaults."""

from __future__ import annotations

import os

import matplotlib
import pytest

matplotlib.use("Agg")

from tthc_analysis.config import _load_settings_cached  # noqa: E402


@pytest.fixture(autouse=True)
def _hermetic_settings(monkeypatch):
    """Ignore any TTHC_* environment variable of the developer's shell."""
    for name in list(os.environ):
        if name.startswith("TTHC_"):
            monkeypatch.delenv(name, raising=False)
    _load_settings_cached.cache_clear()
    yield
    _load_settings_cached.cache_clear()


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory, request):
    """The review report of the bundled sample and notebooks, built once per test run.

    The pytest-xdist workers share it: the first one to ask builds it under a lock in
    the run's common temporary folder, the others wait and reuse it. Tests must not
    change it (copy it first). Skipped when the notebooks or the sample are missing.
    """
    import fcntl

    from tthc_analysis.config import NOTEBOOKS_DIR, SAMPLE_DIR
    from tthc_analysis.review.build import NOTEBOOK_PATTERN, build_review

    if not (SAMPLE_DIR / "SAMPLE.json").is_file() or not any(
        NOTEBOOK_PATTERN.match(p.name) for p in NOTEBOOKS_DIR.glob("*.ipynb")
    ):
        pytest.skip("the bundled sample or the report notebooks are missing")
    base = tmp_path_factory.getbasetemp()
    distributed = hasattr(request.config, "workerinput")  # a pytest-xdist worker
    root = base.parent if distributed else base
    report = root / "sample-report" / "2025"
    done = root / "sample-report.done"
    with (root / "sample-report.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not done.exists():
                build_review(year=2025, out_dir=report, progress=False)
                done.write_text("ok", encoding="utf-8")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return report


def _default_sigint() -> None:  # pragma: no cover - runs in the child before exec
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def interruptible():
    """``Popen`` options that give the child Ctrl-C (SIGINT) back.

    A shell without job control starts background commands (``make test &``, some CI
    runners) with SIGINT ignored; children inherit that and Python then never raises
    ``KeyboardInterrupt``. A test that sends SIGINT must restore the default first.
    """
    return {"preexec_fn": _default_sigint}
