"""Checking the choices an analyst passes to a page: units, fields, procedures, rates.

A misspelt name must not silently filter everything away: :func:`pick` accepts a name
written with other capitals, spaces or without diacritics ("phong giao duc trung hoc")
and returns the name as the data spell it, and raises a :class:`ParameterError` in
Vietnamese listing the valid names otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from tthc_analysis.errors import ParameterError
from tthc_analysis.text import fold_ascii, nfc, vi_sort_key

__all__ = ["MAX_LISTED", "pick", "pick_many", "valid_values"]

MAX_LISTED = 40
"""Longest list of valid names written in an error message (the rest are counted)."""


def valid_values(*columns: pd.Series | Iterable) -> list[str]:
    """The distinct non-empty values of some columns, in Vietnamese order."""
    found: set[str] = set()
    for column in columns:
        for value in column:
            items = value if isinstance(value, list | tuple | set | frozenset) else [value]
            for item in items:
                if item is None or (isinstance(item, float) and item != item):
                    continue
                if item is pd.NA or str(item).strip() == "":
                    continue
                found.add(nfc(str(item)))
    return sorted(found, key=vi_sort_key)


def _key(text: object) -> str:
    return fold_ascii(str(text))


def pick(value: object, valid: Iterable[str], what: str, *, hint: str | None = None) -> str | None:
    """``value`` as spelt in ``valid`` (case, spaces and diacritics ignored), or an error.

    Args:
        value: The analyst's choice; ``None`` means no choice (returned as is).
        valid: The valid names.
        what: What is chosen, in Vietnamese (``"đơn vị"``, ``"lĩnh vực"``...).
        hint: What to do, in Vietnamese (default: choose one of the valid names).

    Raises:
        ParameterError: ``value`` matches no valid name; the message lists them.
    """
    if value is None:
        return None
    names = list(dict.fromkeys(str(v) for v in valid))
    text = nfc(str(value)).strip()
    if text in names:
        return text
    matches = [n for n in names if _key(n) == _key(text)]
    if len(matches) == 1:
        return matches[0]
    shown = "; ".join(f"«{n}»" for n in names[:MAX_LISTED])
    if len(names) > MAX_LISTED:
        shown += f" và {len(names) - MAX_LISTED} giá trị khác"
    listing = f" Các giá trị hợp lệ: {shown}." if names else " Dữ liệu không có giá trị nào."
    raise ParameterError(
        f"Không có {what} «{text}».{listing}",
        hint=hint or f"Viết đúng tên {what} như trong danh sách trên (có thể bỏ dấu).",
    )


def pick_many(
    values: str | Iterable[str] | None, valid: Iterable[str], what: str, *, hint: str | None = None
) -> list[str] | None:
    """Several choices (a name or a list of names), each checked with :func:`pick`."""
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    names = list(valid)
    chosen = [pick(v, names, what, hint=hint) for v in values]
    return list(dict.fromkeys(c for c in chosen if c is not None)) or None
