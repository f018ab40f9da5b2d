"""Last checks on a built report, before it replaces the previous one.

- **Offline**: no page loads anything from outside the file (script, style, image,
  frame, font or module URLs with ``http(s)://`` or ``//``).
- **Privacy**: no file holds personal data. Every output file (pages, executed
  notebooks, workbooks, the manifest, images' text chunks) is read in every escaped form
  (:func:`tthc_analysis.privacy.output_texts`) and searched for identity-document
  numbers, phone numbers and e-mail addresses (:func:`tthc_analysis.privacy.find_patterns`)
  and for the values of the personal-data columns of the loaded tables (names,
  addresses... :class:`tthc_analysis.privacy.PersonalIndex`). A hit stops the build; the
  message names the report file, what kind of data it is and the input file, row and
  column that carried it (never the value), so that the officer can correct the input.
  The inlined table bundle (library code) is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tthc_analysis import privacy
from tthc_analysis.errors import BuildError
from tthc_analysis.fields import DATASETS, personal_columns
from tthc_analysis.labels import column_label
from tthc_analysis.review.export import external_references
from tthc_analysis.views.display import itables_bundle_html

__all__ = ["Leak", "check_report", "find_leaks", "trace_input"]

MAX_LISTED = 10
"""Leaks named in the error message (the first ones, by report file)."""


@dataclass(frozen=True)
class Leak:
    """Personal data found in a report file.

    Attributes:
        file: The report file (POSIX path relative to the report folder).
        kind: :data:`tthc_analysis.privacy.KIND_LABELS_VI` key.
        key: The normalised finding (never shown).
    """

    file: str
    kind: str
    key: str


def _index_for(tables) -> privacy.PersonalIndex | None:
    if tables is None:
        return None
    frames = {d: getattr(tables, d, None) for d in DATASETS}
    frames = {d: f for d, f in frames.items() if isinstance(f, pd.DataFrame)}
    if not frames:
        return None
    return privacy.PersonalIndex(frames, privacy.public_texts(tables))


def find_leaks(folder: Path, index: privacy.PersonalIndex | None = None) -> list[Leak]:
    """Personal data in the files of ``folder`` (patterns, and the values of ``index``)."""
    folder = Path(folder)
    bundle = itables_bundle_html()
    leaks: list[Leak] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        seen = set()
        texts = privacy.output_texts(path, skip=[bundle])
        hits = index.hits(texts) if index is not None and len(index) else set()
        for text in texts:
            for finding in privacy.scan_text(text, index, hits):
                if (finding.kind, finding.key) not in seen:
                    seen.add((finding.kind, finding.key))
                    leaks.append(Leak(name, finding.kind, finding.key))
    return leaks


def _frames(tables) -> dict[str, pd.DataFrame]:
    out = {}
    for dataset in DATASETS:
        frame = getattr(tables, dataset, None) if tables is not None else None
        if isinstance(frame, pd.DataFrame) and len(frame):
            out[dataset] = frame
    return out


def _keys_of(text: str, index: privacy.PersonalIndex | None, hits: set[str]) -> set[str]:
    text = privacy.decode_escapes(text)
    keys = {f.key for f in privacy.find_patterns(text)}
    if index is not None and hits:
        keys |= {f.key for f in index.find(text, hits)}
    return keys


def trace_input(
    leak: Leak, tables, index: privacy.PersonalIndex | None = None
) -> tuple[str, str | None, int | None, str] | None:
    """The input cell that carried ``leak``: (dataset, file, row, column label).

    Free-text and other non-personal columns are searched first (the cell to correct),
    then the personal columns (where the value comes from). ``None`` if not found.
    """
    frames = _frames(tables)
    for personal_pass in (False, True):
        for dataset, frame in frames.items():
            personal = personal_columns(dataset)
            for column in frame.columns:
                name = str(column)
                if name in ("source_file", "source_row") or (name in personal) != personal_pass:
                    continue
                series = frame[column]
                if not (pd.api.types.is_string_dtype(series.dtype) or series.dtype == object):
                    continue
                distinct = [v for v in pd.unique(series.dropna()) if isinstance(v, str)]
                if not distinct:
                    continue
                hits = index.hits(distinct) if index is not None else set()
                if leak.kind == "personal_value" and leak.key not in hits:
                    continue
                for value in distinct:
                    if leak.key in _keys_of(value, index, hits) or (
                        leak.kind == "personal_value" and privacy.fold(value) == leak.key
                    ):
                        position = int((series == value).to_numpy().nonzero()[0][0])
                        row = frame.iloc[position]
                        source_row = row.get("source_row")
                        source_file = row.get("source_file")
                        return (
                            dataset,
                            source_file,
                            None if pd.isna(source_row) else int(source_row),
                            _header(tables, source_file, name, dataset),
                        )
    return None


def _header(tables, source_file, column: str, dataset: str) -> str:
    """The column's header as written in ``source_file`` (else its Vietnamese label)."""
    for entry in (getattr(tables, "manifest", None) or {}).get("files", []):
        if entry.get("path") == source_file:
            header = (entry.get("columns") or {}).get(column)
            if isinstance(header, str) and header:
                return header
    return column_label(column, dataset)


def _describe(leak: Leak, origin) -> str:
    what = privacy.KIND_LABELS_VI[leak.kind]
    if origin is None:
        return f"{leak.file}: {what} (không tìm thấy trong dữ liệu đầu vào)"
    _, source_file, source_row, column = origin
    where = f"tệp {source_file}" if source_file else "dữ liệu đầu vào"
    if source_row is not None:
        where += f", dòng {source_row}"
    return f"{leak.file}: {what}, từ {where}, cột «{column}»"


def check_report(folder: Path, tables=None, index: privacy.PersonalIndex | None = None) -> None:
    """Check every file of a built report (see the module docstring).

    Args:
        folder: The report folder.
        tables: The loaded tables, personal data included (not masked): their personal
            values are looked for, and a hit is traced back to its input cell.
        index: The personal values of ``tables`` (built from them if not given).

    Raises:
        BuildError: a page loads an external resource, or a file holds personal data;
            the message names the files, the input file, row and column that carried
            it, never the value.
    """
    folder = Path(folder)
    external = []
    for path in sorted(folder.rglob("*.html")):
        name = path.relative_to(folder).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        external += [f"{name}: {url}" for url in external_references(text)]
    if external:
        raise BuildError(
            "Báo cáo có trang tải tài nguyên từ Internet (không dùng được khi ngoại tuyến): "
            + "; ".join(external[:10]),
            hint="Hiển thị bảng, ảnh bằng tthc_analysis.views.display, không dùng liên kết ngoài.",
        )
    if index is None:
        index = _index_for(tables)
    leaks = find_leaks(folder, index)
    if not leaks:
        return
    origins = {}
    lines = []
    for leak in leaks[:MAX_LISTED]:
        key = (leak.kind, leak.key)
        if key not in origins:
            origins[key] = trace_input(leak, tables, index)
        lines.append(_describe(leak, origins[key]))
    more = len(leaks) - MAX_LISTED
    if more > 0:
        lines.append(f"… và {more} chỗ khác")
    raise BuildError(
        "Báo cáo chứa dữ liệu cá nhân (số giấy tờ, số điện thoại, thư điện tử hoặc giá trị "
        "của cột thông tin cá nhân); báo cáo cũ được giữ nguyên:\n    - " + "\n    - ".join(lines),
        hint="Sửa hoặc xóa dữ liệu cá nhân ở các ô nêu trên trong tệp đầu vào rồi tạo lại báo "
        "cáo; nếu dữ liệu đến từ một notebook, hiển thị bảng bằng "
        "tthc_analysis.views.display (tự bỏ các cột thông tin cá nhân).",
    )
