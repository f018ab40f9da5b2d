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
