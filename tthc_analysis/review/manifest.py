"""Provenance of a report and its byte-stable ``manifest.json``.

Input files with SHA-256 and row counts, plan and reference hashes, package versions.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

from tthc_analysis.config import PLAN_DIR, PROJECT_ROOT, REFERENCE_DIR

__all__ = [
    "DATASETS",
    "MANIFEST_NAME",
    "MANIFEST_VERSION",
    "PACKAGES",
    "combined_hash",
    "describe_files",
    "describe_inputs",
    "display_path",
    "input_files",
    "package_versions",
    "read_manifest",
    "resolve_path",
    "settings_snapshot",
    "sha256_file",
    "write_json",
]

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1

DATASETS = ("dossiers", "procedures", "feedback", "index766", "activities", "report_submissions")

PACKAGES = (
    "tthc-analysis",
    "pandas",
    "numpy",
    "pyarrow",
    "python-calamine",
    "openpyxl",
    "xlsxwriter",
    "pandera",
    "holidays",
    "matplotlib",
    "itables",
    "nbclient",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "jinja2",
)
"""Packages whose versions are recorded (they can change numbers, pixels or HTML)."""


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes (hex)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def combined_hash(entries: Iterable[Mapping]) -> str:
    """One SHA-256 over ``path`` and ``sha256`` of each entry (order-independent)."""
    digest = hashlib.sha256()
    for entry in sorted(entries, key=lambda e: e["path"]):
        digest.update(f"{entry['path']}\0{entry['sha256']}\n".encode())
    return digest.hexdigest()


def display_path(path: Path) -> str:
    """``path`` relative to the project (POSIX) when inside it, else its name only.

    A report never holds a machine path (a user name in it is personal data, and the
    same inputs must give the same bytes in any folder).
    """
    path = Path(path).resolve()
    try:
        return path.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.name


def resolve_path(text: str) -> Path:
    """Inverse of :func:`display_path`."""
    path = Path(text)
    return path if path.is_absolute() else (PROJECT_ROOT / path).resolve()


def input_files(folder: Path) -> list[Path]:
    """Files under ``folder`` that are inputs, sorted.

    Hidden files and folders are skipped (caches such as ``.cache/`` live there).
    """
    folder = Path(folder)
    files = []
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if any(part.startswith((".", "~$")) for part in rel.parts) or "__pycache__" in rel.parts:
            continue
        if path.is_file():
            files.append(path)
    return sorted(files, key=lambda p: p.relative_to(folder).as_posix())


def describe_files(folder: Path, base: Path | None = None) -> list[dict]:
    """``path`` (relative to ``base`` or ``folder``), ``sha256`` and ``bytes`` of each input."""
    base = base or folder
    return [
        {
            "path": p.relative_to(base).as_posix(),
            "sha256": sha256_file(p),
            "bytes": p.stat().st_size,
        }
        for p in input_files(folder)
    ]


def _ingest_counts(tables) -> dict[str, dict]:
    """Rows read, kept and rejected per input file, from the ingest's own manifest."""
    files = (getattr(tables, "manifest", None) or {}).get("files", [])
    counts = {}
    for entry in files:
        if "path" in entry and "rows_kept" in entry:
            counts[str(entry["path"])] = {
                "rows_read": int(entry.get("rows_read", 0)),
                "rows": int(entry["rows_kept"]),
                "rejected_rows": int(entry.get("rows_rejected", 0)),
            }
    return counts


def _frame_counts(tables) -> dict[str, dict]:
    """Rows kept and rejected per ``source_file`` of the tables (when no ingest manifest)."""
    counts: dict[str, dict] = {}
    for dataset in DATASETS:
        frame = getattr(tables, dataset, None)
        if frame is None or "source_file" not in getattr(frame, "columns", ()):
            continue
        for source, n in frame["source_file"].value_counts(sort=False).items():
            entry = counts.setdefault(str(source), {"rows": 0, "rejected_rows": 0})
            entry["rows"] += int(n)
    bad = getattr(tables, "rejected_rows", None)
    if bad is not None and {"source_file", "source_row"} <= set(bad.columns) and len(bad):
        distinct = bad[["source_file", "source_row"]].drop_duplicates()
        for source, n in distinct["source_file"].value_counts(sort=False).items():
            entry = counts.setdefault(str(source), {"rows": 0, "rejected_rows": 0})
            entry["rejected_rows"] += int(n)
    return counts


def describe_inputs(data_dir: Path, tables=None, is_sample: bool = False) -> dict:
    """The ``inputs`` block of the manifest.

    Each file has ``path``, ``sha256``, ``bytes`` and, when the ingest has run,
    ``rows_read``, ``rows`` (rows kept) and ``rejected_rows``.
    """
    data_dir = Path(data_dir)
    files = describe_files(data_dir)
    counts = {}
    if tables is not None:
        counts = _ingest_counts(tables) or _frame_counts(tables)
    for entry in files:
        entry.update(counts.get(entry["path"], {}))
    from tthc_analysis.views.context import data_label

    return {
        "data_dir": data_label(data_dir),
        "is_sample": bool(is_sample),
        "files": files,
        "n_files": len(files),
        "total_rows": sum(e.get("rows", 0) for e in files),
        "total_rejected_rows": sum(e.get("rejected_rows", 0) for e in files),
        "sha256": combined_hash(files),
    }


def describe_plan() -> dict:
    """Hashes of the plan files (``data/plan``) and reference tables (``data/reference``)."""
    plan = describe_files(PLAN_DIR, PROJECT_ROOT) if PLAN_DIR.is_dir() else []
    reference = describe_files(REFERENCE_DIR, PROJECT_ROOT) if REFERENCE_DIR.is_dir() else []
    return {
        "files": plan,
        "sha256": combined_hash(plan),
        "reference_files": reference,
        "reference_sha256": combined_hash(reference),
    }


def package_versions() -> dict[str, str]:
    """Installed versions of :data:`PACKAGES` and of Python."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "không cài đặt"
    return versions


def settings_snapshot(data_dir: Path) -> dict:
    """The effective settings for ``data_dir`` (defaults + user file), as JSON data."""
    from tthc_analysis.config import load_settings

    return load_settings(data_dir=data_dir).model_dump(mode="json")


def write_json(path: Path, data: object) -> None:
    """Write JSON with sorted keys, 2-space indent, UTF-8 text and a final newline."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)
    Path(path).write_bytes((text + "\n").encode("utf-8"))


def read_manifest(folder: Path) -> dict:
    """Read ``folder/manifest.json``."""
    return json.loads((Path(folder) / MANIFEST_NAME).read_text(encoding="utf-8"))
