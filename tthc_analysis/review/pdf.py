"""The review as one PDF (``tthc review --pdf``): A4, print stylesheet, every table row.

Each HTML page of the report is printed by headless Chromium from the system's package
(Debian ``chromium``; offline: the pages load nothing from outside the report folder and
the browser runs with networking features off). Printing fires the pages' ``beforeprint``
handler, which shows every row of the searchable tables, and applies the print
stylesheet (``@page { size: A4 }``, no controls, wide tables fitted to the page width,
no row split across pages). The page PDFs are then joined in the order of the index with
pypdf, one bookmark per page; charts stay the PNG images of the HTML (no resampling).

The joined file carries fixed document information (title, no dates) so that the same
report gives the same PDF bytes as far as Chromium itself is reproducible.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tthc_analysis.errors import BuildError

__all__ = ["PDF_NAME", "find_chromium", "write_review_pdf"]

PDF_NAME = "bao_cao_ra_soat.pdf"
"""File name of the joined PDF inside the report folder."""

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--metrics-recording-only",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
)


def find_chromium() -> str | None:
    """The Chromium executable: ``TTHC_CHROMIUM``, else the first one found on the PATH."""
    configured = os.environ.get("TTHC_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _print_page(chromium: str, page: Path, target: Path, profile: Path, timeout: int) -> Path:
    command = [
        chromium,
        *_FLAGS,
        f"--user-data-dir={profile}",
        f"--print-to-pdf={target}",
        page.resolve().as_uri(),
    ]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=timeout)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        raise BuildError(
            f"Không in được trang «{page.name}» ra PDF bằng Chromium.",
            file=page,
            hint="Kiểm tra Chromium (apt-get install chromium) hoặc bỏ --pdf.",
        ) from exc
    if not target.is_file() or target.stat().st_size == 0:
        raise BuildError(f"Chromium không tạo được PDF của trang «{page.name}».", file=page)
    return target


def write_review_pdf(
    folder: Path,
    pages: Sequence[tuple[str, str]],
    title: str,
    *,
    jobs: int = 3,
    timeout: int = 300,
) -> Path:
    """Print ``pages`` of the report in ``folder`` and join them into :data:`PDF_NAME`.

    Args:
        folder: The report folder (HTML pages already written).
        pages: ``(file name, bookmark title)`` in reading order.
        title: Title of the PDF document.
        jobs: Pages printed at once (Chromium mostly waits on page scripts).
        timeout: Seconds allowed per page.

    Returns:
        The path of the PDF.

    Raises:
        BuildError: Chromium is missing or a page cannot be printed.
    """
    from pypdf import PdfReader, PdfWriter

    chromium = find_chromium()
    if chromium is None:
        raise BuildError(
            "Không tìm thấy Chromium để xuất báo cáo ra PDF.",
            hint="Cài gói chromium của hệ điều hành (apt-get install chromium) hoặc bỏ --pdf.",
        )
    scratch = Path(tempfile.mkdtemp(prefix="tthc-pdf-"))
    try:

        def run(item: tuple[int, tuple[str, str]]) -> Path:
            index, (name, _title) = item
            profile = scratch / f"profile-{index}"
            return _print_page(
                chromium, folder / name, scratch / f"{index:03d}.pdf", profile, timeout
            )

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            printed = list(pool.map(run, enumerate(pages)))
        writer = PdfWriter()
        for path, (_name, bookmark) in zip(printed, pages, strict=True):
            first = len(writer.pages)
            for page in PdfReader(str(path)).pages:
                writer.add_page(page)
            if len(writer.pages) > first:
                writer.add_outline_item(title=bookmark, page_number=first)
        writer.add_metadata(
            {"/Title": title, "/Producer": "tthc-analysis", "/Creator": "tthc review"}
        )
        target = folder / PDF_NAME
        with target.open("wb") as handle:
            writer.write(handle)
        return target
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
