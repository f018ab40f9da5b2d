"""Vietnamese text helpers: normalisation, folding, collation and number/date formats.

All text entering the package is normalised to NFC. Header and value matching use
:func:`fold` (NFC, whitespace collapsed, zero-width characters removed, case folded).
Display helpers follow Vietnamese conventions: ``1.234,5`` and ``dd/mm/yyyy``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime

__all__ = [
    "MINUS",
    "fold",
    "fold_ascii",
    "format_date",
    "format_number",
    "format_percent",
    "is_blank",
    "is_missing",
    "nfc",
    "vi_sort_key",
    "vi_sorted",
]

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC without zero-width characters."""
    return unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)


def is_missing(value: object) -> bool:
    """Whether a cell holds no value: ``None``, NaN, NaT or pandas' ``NA``.

    Text (even empty), numbers, dates and containers (a list of units) are values.
    """
    if value is None:
        return True
    if isinstance(value, str | bytes | list | tuple | set | frozenset | dict):
        return False
    try:
        return bool(value != value)  # NaN and NaT differ from themselves
    except (TypeError, ValueError):  # pandas NA (NA != NA is NA); arrays
        return type(value).__name__ == "NAType"


def is_blank(value: object) -> bool:
    """Whether a cell holds nothing to show: :func:`is_missing`, or only spaces."""
    return is_missing(value) or (isinstance(value, str) and not value.strip())


def fold(text: str) -> str:
    """Fold text for matching: NFC, whitespace trimmed and collapsed, case folded."""
    return _SPACES.sub(" ", nfc(text)).strip().casefold()


def fold_ascii(text: str) -> str:
    """Fold text and drop diacritics (``"Mã hồ sơ"`` -> ``"ma ho so"``)."""
    decomposed = unicodedata.normalize("NFD", fold(text).replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- Vietnamese collation -----------------------------------------------------------

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# Letter-forming marks (they change the letter) and tone marks (secondary key).
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letters(text: str) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            if not out:
                continue
            rank, tone, upper = out[-1]
            if ch in _TONES:
                out[-1] = (rank, _TONES[ch], upper)
            elif ch in _LETTER_MARKS:
                base = _ALPHABET[rank - 1000] if rank >= 1000 else ""
                composed = {
                    ("a", "\u0306"): "ă",
                    ("a", "\u0302"): "â",
                    ("e", "\u0302"): "ê",
                    ("o", "\u0302"): "ô",
                    ("o", "\u031b"): "ơ",
                    ("u", "\u031b"): "ư",
                }.get((base, ch))
                if composed:
                    out[-1] = (1000 + _LETTER_RANK[composed], tone, upper)
            continue
        lower = ch.lower()
        upper = int(ch != lower)
        if lower in _LETTER_RANK:
            out.append((1000 + _LETTER_RANK[lower], 0, upper))
        else:
            out.append((ord(lower), 0, upper))
    return out


def vi_sort_key(text: object) -> tuple:
    """Sort key following the Vietnamese alphabet (a ă â b c d đ e ê ...).

    Letters are compared first, then tones (ngang, huyền, hỏi, ngã, sắc, nặng), then
    case. NFC and NFD input give the same key. Non-strings sort after strings.
    """
    if not isinstance(text, str):
        return (1, (), (), ())
    letters = _letters(text)
    return (
        0,
        tuple(r for r, _, _ in letters),
        tuple(t for _, t, _ in letters),
        tuple(u for _, _, u in letters),
    )


def vi_sorted(values):
    """Return ``values`` sorted in Vietnamese alphabetical order."""
    return sorted(values, key=vi_sort_key)


# --- Display formats ----------------------------------------------------------------


MINUS = "\u2212"
"""The minus sign of negative numbers (U+2212, as in ``"ước tính − công bố"``)."""


def format_number(value: float | int | None, decimals: int = 0, na: str = "–") -> str:
    """Format a number the Vietnamese way: ``1234.5`` -> ``"1.234,5"``.

    Negative numbers take the minus sign U+2212 (``-7.3`` -> ``"−7,3"``); a value that
    rounds to zero has no sign (``-0.04`` with one decimal -> ``"0,0"``).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return na
    try:
        if value != value:  # pandas NA / NaN
            return na
    except TypeError:
        return na
    number = float(value)
    text = f"{abs(number):,.{decimals}f}"
    text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    negative = number < 0 and any(ch not in "0,." for ch in text)
    return MINUS + text if negative else text


def format_percent(rate: float | None, decimals: int = 1, na: str = "–") -> str:
    """Format a rate in [0, 1] as a Vietnamese percentage: ``0.853`` -> ``"85,3%"``."""
    if rate is None:
        return na
    try:
        if rate != rate:
            return na
    except TypeError:
        return na
    return format_number(float(rate) * 100, decimals) + "%"


def format_date(value: date | datetime | None, na: str = "–") -> str:
    """Format a date as ``dd/mm/yyyy`` (``None``/NaT -> ``na``)."""
    if value is None:
        return na
    try:
        if value != value:  # NaT
            return na
    except TypeError:
        return na
    return value.strftime("%d/%m/%Y")
