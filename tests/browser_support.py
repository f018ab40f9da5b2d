"""What the browser tests share: Debian's Chromium, its test marks, the fixture report.

Used by ``test_browser.py`` (the report in a browser), ``test_browser_lab.py`` (JupyterLab
and the dashboard) and ``test_review_pdf.py`` (the review printed to PDF).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tthc_analysis.review.build import build_review

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium (``make browser``); no browser is downloaded."""

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Headless, offline: nothing fetched by the browser itself."""

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Chromium is not installed (/usr/bin/chromium): run `make browser`",
    ),
]
"""``pytestmark`` of a module that drives Chromium."""

DATA = Path(__file__).parent / "data"


@contextmanager
def chromium() -> Iterator:
    """A Playwright browser on Debian's Chromium, closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def build_fixture_report(out: Path, **options) -> Path:
    """Build the report of the fixture notebooks and data into ``out``; return its folder."""
    return build_review(
        data_dir=DATA / "review_raw",
        out_dir=out,
        notebooks_dir=DATA / "notebooks" / "report",
        jobs=2,
        progress=False,
        **options,
    ).out_dir
