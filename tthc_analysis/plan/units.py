"""Unit (đơn vị) names: normalisation against ``data/reference/units.csv`` and splitting.

The reference table lists every unit of the Sở (Văn phòng, the phòng) and the group
units "Các phòng" and "Các phòng có TTHC", each with its aliases. Matching ignores case,
spacing and diacritics. Unknown names are kept as written (NFC, trimmed); the plan lint
reports them.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from tthc_analysis.config import REFERENCE_DIR
from tthc_analysis.errors import InputFileError
from tthc_analysis.text import fold_ascii, nfc

__all__ = ["UNITS_FILE", "is_known_unit", "normalise_unit", "split_units", "unit_reference"]

UNITS_FILE = REFERENCE_DIR / "units.csv"
"""The unit reference (unit_code, name_vi, short_vi, kind, has_tthc, aliases)."""

_SEPARATORS = re.compile(r"[;,\n+]")
_AND = re.compile(r"\s+(?:và|va)\s+", re.IGNORECASE)
_UNIT_HEADS = (
    "phong",
    "van phong",
    "thanh tra",
    "so ",
    "ban ",
    "trung tam",
    "ubnd",
    "uy ban",
    "cac ",
    "bo phan",
    "to ",
    "truong",
    "don vi",
)


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[tuple[dict, ...], dict[str, str]]:
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            rows = tuple(dict(row) for row in csv.DictReader(handle))
    except OSError as exc:
        raise InputFileError("Không đọc được danh mục đơn vị.", file=path) from exc
    aliases: dict[str, str] = {}
    for row in rows:
        name = nfc(row["name_vi"]).strip()
        names = [name, row.get("short_vi") or "", row.get("unit_code") or ""]
        names += (row.get("aliases") or "").split(";")
        if row.get("kind") == "department" and row.get("short_vi"):
            names.append(f"Phòng {row['short_vi']}")
        for alias in names:
            key = fold_ascii(alias)
            if key:
                aliases.setdefault(key, name)
    return rows, aliases


def unit_reference(path: str | Path | None = None) -> list[dict]:
    """Return the rows of the unit reference table (a copy)."""
    rows, _ = _load(str(path or UNITS_FILE))
    return [dict(row) for row in rows]


def _clean(text: str) -> str:
    return " ".join(nfc(text).split()).strip(" .;:,")


def normalise_unit(text: object, path: str | Path | None = None) -> str:
    """Return the canonical name of a unit (``name_vi`` of the reference).

    ``"văn phòng sở"`` -> ``"Văn phòng"``; ``"Phòng KHTC"`` -> ``"Phòng Kế hoạch - Tài
    chính"``; ``"cac phong co TTHC"`` -> ``"Các phòng có TTHC"``. A name that is not in
    the reference is returned as written (NFC, spaces collapsed, trimmed).
    """
    if not isinstance(text, str):
        return ""
    cleaned = _clean(text)
    _, aliases = _load(str(path or UNITS_FILE))
    return aliases.get(fold_ascii(cleaned), cleaned)


def is_known_unit(text: str, path: str | Path | None = None) -> bool:
    """Tell whether ``text`` names a unit of the reference table."""
    _, aliases = _load(str(path or UNITS_FILE))
    return fold_ascii(_clean(text)) in aliases


def _looks_like_unit(text: str, path: str | Path | None) -> bool:
    return is_known_unit(text, path) or fold_ascii(text).startswith(_UNIT_HEADS)


def _split_and(piece: str, path: str | Path | None) -> list[str]:
    if is_known_unit(piece, path) or not _AND.search(piece):
        return [piece]
    parts = [p for p in (_clean(x) for x in _AND.split(piece)) if p]
    if len(parts) > 1 and all(_looks_like_unit(p, path) for p in parts):
        return parts
    return [piece]


def split_units(cell: object, path: str | Path | None = None) -> list[str]:
    """Split a cell naming several units into canonical names, in order, without repeats.

    Separators are ``,``, ``;``, ``+``, line breaks and " và " - the last only when
    every part names a unit, so that "Phòng Khảo thí và Kiểm định chất lượng giáo dục"
    stays whole. A hyphen is never a separator ("Phòng Kế hoạch - Tài chính").
    """
    if not isinstance(cell, str):
        return []
    out: list[str] = []
    for raw in _SEPARATORS.split(nfc(cell)):
        piece = re.sub(r"^(?:và|va)\s+", "", _clean(raw), flags=re.IGNORECASE)
        if not piece:
            continue
        for part in _split_and(piece, path):
            name = normalise_unit(part, path)
            if name and name not in out:
                out.append(name)
    return out
