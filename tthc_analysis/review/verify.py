"""``tthc review verify``: rebuild a report from its manifest and compare every file.

The inputs recorded in ``manifest.json`` (data files, plan and reference tables,
settings, notebook sources) are checked first: if one changed, the report cannot be
reproduced from them and nothing is rebuilt (exit code 2, naming what changed).
Otherwise the report is rebuilt in a temporary folder with the recorded parameters, from
a **copy of the data folder placed elsewhere** (a report records no machine path, so the
same inputs must give the same bytes wherever they are), and each file is compared byte
for byte (exit code 0 when all are identical, 1 otherwise).

A report names its data folder by its name only: the folder is found again as given
(``--data``), else as the bundled sample, ``data/<name>`` of the project or ``<name>``
in the working directory, whichever has the recorded files. The previous year's folder of
a report built with ``--previous-data`` (issue 18) is checked the same way (its files'
hashes are in ``previous_inputs``; found as given with ``--previous-data``, else as
recorded, ``data/<name>`` or ``<name>``) and the rebuild reads it too.
"""

from __future__ import annotations

import filecmp
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tthc_analysis.config import PROJECT_ROOT, SAMPLE_DIR
from tthc_analysis.errors import InputFileError
from tthc_analysis.review.manifest import (
    MANIFEST_NAME,
    describe_files,
    describe_plan,
    package_versions,
    read_manifest,
    resolve_path,
    settings_snapshot,
    sha256_file,
)
from tthc_analysis.text import format_number

__all__ = [
    "VerifyResult",
    "changed_inputs",
    "compare_folders",
    "find_data_dir",
    "find_previous_dir",
    "verify_review",
]


@dataclass
class VerifyResult:
    """Outcome of a verification.

    Attributes:
        report_dir: The report that was checked.
        identical: Files identical in the rebuild (relative POSIX paths).
        different: Files whose bytes differ.
        missing: Files of the report that the rebuild did not produce.
        extra: Files the rebuild produced that the report does not have.
        changed_inputs: Vietnamese descriptions of inputs changed since the build.
        package_changes: Package versions that differ from the recorded ones.
        elsewhere: The rebuild read a copy of the data placed in another folder.
    """

    report_dir: Path
    identical: list[str] = field(default_factory=list)
    different: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    changed_inputs: list[str] = field(default_factory=list)
    package_changes: list[str] = field(default_factory=list)
    elsewhere: bool = False

    @property
    def exit_code(self) -> int:
        """0 identical, 1 some file differs, 2 the inputs changed (not rebuilt)."""
        if self.changed_inputs:
            return 2
        return 1 if (self.different or self.missing or self.extra) else 0

    def summary_vi(self) -> str:
        """A Vietnamese report of the verification, one fact per line."""
        lines = []
        if self.changed_inputs:
            lines.append("Dữ liệu đầu vào đã thay đổi kể từ khi tạo báo cáo; không dựng lại:")
            lines += [f"  - {item}" for item in self.changed_inputs]
            return "\n".join(lines)
        if self.exit_code == 0:
            where = " từ bản sao dữ liệu đặt ở thư mục khác" if self.elsewhere else ""
            lines.append(
                f"Báo cáo tái lập được: {format_number(len(self.identical))} tệp giống hệt "
                f"từng byte khi dựng lại{where}."
            )
        else:
            lines.append(
                f"Báo cáo KHÔNG tái lập được: {format_number(len(self.identical))} tệp giống, "
                f"{format_number(len(self.different) + len(self.missing) + len(self.extra))} "
                "tệp khác."
            )
            lines += [f"  - Khác nội dung: {p}" for p in self.different]
            lines += [f"  - Không được tạo lại: {p}" for p in self.missing]
            lines += [f"  - Tệp mới khi dựng lại: {p}" for p in self.extra]
        if self.package_changes:
            lines.append("Phiên bản phần mềm khác với lúc tạo báo cáo:")
            lines += [f"  - {item}" for item in self.package_changes]
        return "\n".join(lines)


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def compare_folders(expected: Path, actual: Path) -> VerifyResult:
    """Compare two report folders file by file (bytes)."""
    result = VerifyResult(Path(expected))
    wanted, got = _files(Path(expected)), _files(Path(actual))
    for rel in sorted(wanted & got):
        same = filecmp.cmp(Path(expected) / rel, Path(actual) / rel, shallow=False)
        (result.identical if same else result.different).append(rel)
    result.missing = sorted(wanted - got)
    result.extra = sorted(got - wanted)
    return result


def _diff_entries(label: str, recorded: list[dict], current: list[dict]) -> list[str]:
    old = {e["path"]: e["sha256"] for e in recorded}
    new = {e["path"]: e["sha256"] for e in current}
    changes = []
    for path in sorted(old.keys() | new.keys()):
        if path not in new:
            changes.append(f"{label}: tệp đã bị xóa hoặc đổi tên: {path}")
        elif path not in old:
            changes.append(f"{label}: tệp mới: {path}")
        elif old[path] != new[path]:
            changes.append(f"{label}: nội dung đã thay đổi: {path}")
    return changes


def find_data_dir(manifest: dict, data_dir: str | Path | None = None) -> Path | None:
    """The data folder of a report (see the module docstring), or ``None``."""
    if data_dir is not None:
        return Path(data_dir).resolve() if Path(data_dir).is_dir() else None
    label = str(manifest["parameters"]["data_dir"])
    recorded = manifest["inputs"]["files"]
    candidates = [SAMPLE_DIR, PROJECT_ROOT / "data" / label, Path.cwd() / label]
    candidates.append(resolve_path(label))  # reports of older versions: project-relative
    for folder in candidates:
        folder = folder.resolve()
        if folder.name != Path(label).name or not folder.is_dir():
            continue
        if not _diff_entries("", recorded, describe_files(folder)):
            return folder
    return None


def find_previous_dir(manifest: dict, previous_dir: str | Path | None = None) -> Path | None:
    """The previous year's data folder of a report built with ``--previous-data``.

    ``None`` when the report had none or no folder is found. Among the candidates (see the
    module docstring) the one holding the recorded files wins; else the first that exists,
    so that what changed in it is reported.
    """
    label = manifest["parameters"].get("previous_data_dir")
    if not label:
        return None
    if previous_dir is not None:
        return Path(previous_dir).resolve() if Path(previous_dir).is_dir() else None
    recorded = (manifest.get("previous_inputs") or {}).get("files")
    name = Path(label).name
    candidates = [resolve_path(label), PROJECT_ROOT / "data" / name, Path.cwd() / name]
    existing = [c.resolve() for c in candidates if c.is_dir()]
    for folder in existing:
        if recorded is not None and not _diff_entries("", recorded, describe_files(folder)):
            return folder
    return existing[0] if existing else None


def _previous_changes(manifest: dict, previous_dir: str | Path | None) -> list[str]:
    """What changed in the previous year's data (issue 18), in Vietnamese."""
    label = manifest["parameters"].get("previous_data_dir")
    if not label:
        return []
    label_vi = "Dữ liệu năm trước"
    recorded = (manifest.get("previous_inputs") or {}).get("files")
    if recorded is None:
        return [
            f"{label_vi}: manifest.json không ghi các tệp của thư mục «{label}» (báo cáo tạo "
            "bằng phiên bản cũ), không kiểm tra được."
        ]
    folder = find_previous_dir(manifest, previous_dir)
    if folder is None:
        where = previous_dir if previous_dir is not None else label
        return [
            f"{label_vi}: không tìm thấy thư mục «{where}» đã dùng khi tạo báo cáo (chỉ ra "
            "thư mục bằng --previous-data)."
        ]
    return _diff_entries(label_vi, recorded, describe_files(folder))


def changed_inputs(
    manifest: dict,
    data_dir: str | Path | None = None,
    notebooks_dir: str | Path | None = None,
    previous_dir: str | Path | None = None,
) -> list[str]:
    """What changed since the build among the inputs recorded in ``manifest``.

    Args:
        manifest: The report's manifest.
        data_dir: The data folder (default: :func:`find_data_dir`).
        notebooks_dir: The notebooks' folder (default: as recorded, in the project).
        previous_dir: The previous year's data folder, for a report built with
            ``--previous-data`` (default: :func:`find_previous_dir`).
    """
    params = manifest["parameters"]
    folder = find_data_dir(manifest, data_dir)
    if folder is None:
        where = f"«{data_dir}»" if data_dir is not None else f"«{params['data_dir']}»"
        return [
            f"Không tìm thấy thư mục dữ liệu {where} với đúng các tệp đã dùng khi tạo báo cáo "
            "(chỉ ra thư mục bằng --data)."
        ]
    data_dir = folder
    changes = _diff_entries("Dữ liệu", manifest["inputs"]["files"], describe_files(data_dir))
    changes += _previous_changes(manifest, previous_dir)
    plan_now = describe_plan()
    changes += _diff_entries("Kế hoạch", manifest["plan"]["files"], plan_now["files"])
    changes += _diff_entries(
        "Bảng tham chiếu", manifest["plan"]["reference_files"], plan_now["reference_files"]
    )
    if manifest.get("settings") != settings_snapshot(data_dir):
        changes.append("Cấu hình (settings) khác với lúc tạo báo cáo.")
    for entry in manifest.get("notebooks", []):
        source = _notebook_source(entry["source"], notebooks_dir)
        if not source.is_file():
            changes.append(f"Notebook: không còn tệp {entry['source']}")
        elif sha256_file(source) != entry["source_sha256"]:
            changes.append(f"Notebook: nội dung đã thay đổi: {entry['source']}")
    return changes


def _notebook_source(recorded: str, notebooks_dir: str | Path | None) -> Path:
    if notebooks_dir is not None:
        return Path(notebooks_dir).resolve() / Path(recorded).name
    return resolve_path(recorded)


def _copy_inputs(data_dir: Path, scratch: Path, where: str = "ban-sao-du-lieu") -> Path:
    """A copy of the data files in another folder (same name; caches left out)."""
    copy = scratch / where / data_dir.name
    copy.parent.mkdir(parents=True)
    shutil.copytree(
        data_dir, copy, ignore=shutil.ignore_patterns(".*", "~$*", "__pycache__"), symlinks=False
    )
    return copy


def verify_review(
    report_dir: str | Path,
    *,
    data_dir: str | Path | None = None,
    notebooks_dir: str | Path | None = None,
    jobs: int | None = None,
    progress: bool = True,
    timeout: int = 600,
    elsewhere: bool = True,
    previous_dir: str | Path | None = None,
) -> VerifyResult:
    """Rebuild ``report_dir`` from its manifest and compare every file byte for byte.

    Args:
        report_dir: The report folder.
        data_dir: Its data folder (default: :func:`find_data_dir`).
        notebooks_dir: Its notebooks' folder (default: as recorded in the project).
        jobs: Notebooks executed at once.
        progress: Show a progress bar on stderr.
        timeout: Seconds allowed per notebook cell.
        elsewhere: Rebuild from a copy of the data in a temporary folder (proves that
            the report does not depend on where the data is).
        previous_dir: The previous year's data folder (default: :func:`find_previous_dir`).

    Raises:
        InputFileError: the folder has no readable ``manifest.json``.
    """
    from tthc_analysis.review.build import build_review

    report_dir = Path(report_dir).resolve()
    try:
        manifest = read_manifest(report_dir)
    except (OSError, ValueError) as exc:
        raise InputFileError(
            "Không đọc được tệp manifest.json của báo cáo.",
            file=report_dir / MANIFEST_NAME,
            hint="Chỉ kiểm tra được thư mục báo cáo do tthc review tạo ra.",
        ) from exc
    changes = changed_inputs(manifest, data_dir, notebooks_dir, previous_dir)
    if changes:
        return VerifyResult(report_dir, changed_inputs=changes)
    params = manifest["parameters"]
    folder = find_data_dir(manifest, data_dir)
    previous = find_previous_dir(manifest, previous_dir)
    notebooks = (
        Path(notebooks_dir).resolve()
        if notebooks_dir is not None
        else resolve_path(params["notebooks_dir"])
    )
    scratch = Path(tempfile.mkdtemp(prefix="tthc-verify-"))
    source = folder
    try:
        if elsewhere:
            source = _copy_inputs(folder, scratch)
            if previous is not None:
                previous = _copy_inputs(previous, scratch, "ban-sao-du-lieu-nam-truoc")
        rebuilt = scratch / "report"
        build_review(
            year=params["year"],
            as_of=params["as_of"],
            period=params["period"],
            data_dir=source,
            out_dir=rebuilt,
            jobs=jobs,
            with_code=params["with_code"],
            units=params["units"],
            notebooks_dir=notebooks,
            timeout=timeout,
            progress=progress,
            pdf=bool(params.get("pdf", False)),
            previous_data_dir=previous,
        )
        result = compare_folders(report_dir, rebuilt)
        result.elsewhere = elsewhere
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if source != folder:
            from tthc_analysis.loading.ingest import default_processed_dir

            shutil.rmtree(default_processed_dir(source), ignore_errors=True)
            if previous is not None:
                shutil.rmtree(default_processed_dir(previous), ignore_errors=True)
    recorded = manifest.get("packages", {})
    current = package_versions()
    result.package_changes = [
        f"{name}: {recorded[name]} → {current.get(name, '?')}"
        for name in sorted(recorded)
        if recorded[name] != current.get(name)
    ]
    return result
