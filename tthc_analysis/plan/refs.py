"""Legal documents cited in a plan ("Quyết định số 766/QĐ-TTg ngày 23/6/2022").

Used by the lint to find the same document cited with different dates. A citation is a
number (optionally with the year, "42/2022"), a slash and a symbol with a hyphen
("QĐ-TTg", "NĐ-CP", "SGDĐT-VP"), optionally followed by "ngày" and a date written
``d/m/yyyy`` or ``ngày d tháng m năm yyyy``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = ["LegalRef", "find_legal_refs", "parse_vi_date"]

_DATE = r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
_REF = re.compile(
    r"(?<![\w/])(?P<number>\d{1,5}(?:/\d{4})?)\s?/\s?"
    r"(?P<symbol>[A-ZĐ][A-Za-zĐđ]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)+)"
    rf"(?:\s*,?\s*(?:ban hành\s+)?ngày\s+(?P<date>{_DATE}))?"
)
_NUMERIC = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
_WORDS = re.compile(r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class LegalRef:
    """One citation of a legal document.

    Attributes:
        key: Comparison key (number and symbol, no spaces, case folded).
        number: The number as written (``"42/2022"``).
        symbol: The symbol as written (``"NĐ-CP"``).
        raw: The citation as written (``"655 /SGDDT-VP"``).
        date: The date given with it, if any (``None`` when absent or impossible).
        date_text: The date as written.
        start: Position in the scanned text.
    """

    key: str
    number: str
    symbol: str
    raw: str
    date: date | None
    date_text: str
    start: int


def parse_vi_date(text: str) -> date | None:
    """Read ``"23/6/2023"`` or ``"23 tháng 6 năm 2022"``; ``None`` if neither or impossible."""
    m = _NUMERIC.fullmatch(text.strip()) or _WORDS.fullmatch(" ".join(text.split()))
    if m is None:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def find_legal_refs(text: str) -> list[LegalRef]:
    """Return the legal documents cited in ``text``, in order."""
    refs = []
    for m in _REF.finditer(text):
        number, symbol = m.group("number"), m.group("symbol")
        date_text = m.group("date") or ""
        raw = text[m.start() : m.end("symbol")]
        refs.append(
            LegalRef(
                key=f"{number}/{symbol}".casefold(),
                number=number,
                symbol=symbol,
                raw=raw,
                date=parse_vi_date(date_text) if date_text else None,
                date_text=date_text,
                start=m.start(),
            )
        )
    return refs
