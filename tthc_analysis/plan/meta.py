"""The plan document's identity (:class:`PlanMeta`) from the text above its table.

Read from the letterhead and title block of an official dispatch:

- issuer: the agency line ("SỞ GIÁO DỤC VÀ ĐÀO TẠO") under the province line
  ("UBND TỈNH BÌNH PHƯỚC") -> "Sở Giáo dục và Đào tạo tỉnh Bình Phước";
- doc_number: the "Số:" line, spaces removed; the organisation part of the symbol is
  written with the issuer's initials when it only lacks their diacritics
  ("655 /SGDDT-VP" -> "655/SGDĐT-VP");
- doc_date: the "<place>, ngày dd tháng mm năm yyyy" line;
- title: the upper-case block starting "KẾ HOẠCH" (else the subject); year: "NĂM yyyy"
  in the title (else the subject, else the date of issue, with a warning);
- subject: the "V/v ..." block; parts: upper-case headings "A. ...".
"""

from __future__ import annotations

import re
from datetime import date

from tthc_analysis.plan.model import PlanMeta
from tthc_analysis.text import fold_ascii

__all__ = ["canonical_doc_number", "issuer_initials", "parse_meta"]

_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_PART = re.compile(r"[A-ZĐ]\.\s+\S.*")
_NUMBER = re.compile(r"số\s*:?\s*(\d+(?:\s*/\s*[\wĐđ\-]+)+)", re.IGNORECASE)
_YEAR = re.compile(r"\bnăm\s+(\d{4})\b", re.IGNORECASE)


def _strip(text: str) -> str:
    return text.strip().strip("*_").strip()


def _capitalise(word: str) -> str:
    return word[:1].upper() + word[1:]


def _agency_name(line: str) -> str:
    """``"SỞ GIÁO DỤC VÀ ĐÀO TẠO"`` -> ``"Sở Giáo dục và Đào tạo"``."""
    words = line.lower().split()
    if not words:
        return ""
    out = [_capitalise(words[0])]
    start_of_component = True
    for word in words[1:]:
        if word in ("và", "-"):
            out.append(word)
            start_of_component = True
        else:
            out.append(_capitalise(word) if start_of_component else word)
            start_of_component = False
    return " ".join(out)


def _province(line: str) -> str:
    """``"UBND TỈNH BÌNH PHƯỚC"`` -> ``"tỉnh Bình Phước"``."""
    folded = fold_ascii(line)
    for prefix in ("ubnd ", "uy ban nhan dan "):
        if folded.startswith(prefix):
            words = line.split()[len(prefix.split()) :]
            break
    else:
        return ""
    level_words = 2 if fold_ascii(" ".join(words[:2])) == "thanh pho" else 1
    level = " ".join(words[:level_words]).lower()
    name = " ".join(_capitalise(w.lower()) for w in words[level_words:])
    return f"{level} {name}".strip()


def _issuer(lines: list[tuple[int, str]]) -> str:
    province = agency = ""
    for _, raw in lines:
        text = _strip(raw)
        if not text or text != text.upper():
            continue
        folded = fold_ascii(text)
        if not province and folded.startswith(("ubnd ", "uy ban nhan dan ")):
            province = _province(text)
        elif not agency and folded.startswith(("so ", "ban ", "cuc ", "phong ")):
            agency = _agency_name(text)
        if province and agency:
            break
    return " ".join(p for p in (agency, province) if p)


def issuer_initials(issuer: str) -> str:
    """Initials of the agency part of an issuer name, used in its documents' symbols.

    ``"Sở Giáo dục và Đào tạo tỉnh Bình Phước"`` -> ``"SGDĐT"``.
    """
    agency = re.split(r"\s+(?:tỉnh|thành phố)\s+", issuer, maxsplit=1)[0]
    words = [w for w in agency.split() if w.lower() not in ("và", "-")]
    return "".join(w[0].upper() for w in words if w[0].isalpha())


def canonical_doc_number(raw: str, issuer: str = "") -> str:
    """Normalise a document number: spaces removed, organisation initials restored.

    ``canonical_doc_number("655 /SGDDT-VP", "Sở Giáo dục và Đào tạo tỉnh Bình Phước")``
    -> ``"655/SGDĐT-VP"``. A symbol that does not match the issuer is kept as written.
    """
    number = re.sub(r"\s+", "", raw)
    initials = issuer_initials(issuer) if issuer else ""
    if not initials:
        return number
    parts = number.split("/")
    symbol = parts[-1].split("-")
    if fold_ascii(symbol[0]) == fold_ascii(initials):
        symbol[0] = initials
    parts[-1] = "-".join(symbol)
    return "/".join(parts)


def _doc_date(lines: list[tuple[int, str]]) -> date | None:
    candidates = [_strip(t) for _, t in lines]
    place_lines = [t for t in candidates if re.match(r"[^,]{2,60},\s*ngày\s", t, re.IGNORECASE)]
    for text in place_lines + candidates:
        if (m := _DATE_WORDS.search(text)) is not None:
            try:
                return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                continue
    return None


def _run(texts: list[str], start: int, keep) -> str:
    """Join ``texts[start]`` with the following non-blank lines accepted by ``keep``."""
    out = [texts[start]]
    for text in texts[start + 1 :]:
        if not text or not keep(text):
            break
        out.append(text)
    return " ".join(out)


def _title_and_subject(lines: list[tuple[int, str]]) -> tuple[str, str]:
    texts = [_strip(t) for _, t in lines]
    title = subject = ""
    for i, text in enumerate(texts):
        folded = fold_ascii(text)
        if not title and folded.startswith("ke hoach") and text == text.upper():
            title = _run(texts, i, lambda t: t == t.upper())
        elif not subject and folded.startswith("v/v"):
            subject = _run(texts, i, lambda t: not fold_ascii(t).startswith("kinh gui"))
            subject = re.sub(r"^V/v\s*:?\s*", "", subject, flags=re.IGNORECASE)
    return title, subject


def parse_meta(
    lines: list[tuple[int, str]], parts: list[str] | None = None
) -> tuple[PlanMeta, list[str]]:
    """Read :class:`PlanMeta` from the lines above the plan table.

    Args:
        lines: ``(line number, text)`` above the table header, blank lines included.
        parts: Part headings found inside the table, appended to those above it.

    Returns:
        The meta and Vietnamese warnings for what could not be found.
    """
    warnings: list[str] = []
    issuer = _issuer(lines)
    number = ""
    for _, text in lines:
        if (m := _NUMBER.match(_strip(text))) is not None:
            number = canonical_doc_number(m.group(1), issuer)
            break
    doc_date = _doc_date(lines)
    title, subject = _title_and_subject(lines)
    year = None
    for source in (title, subject):
        if (m := _YEAR.search(source)) is not None:
            year = int(m.group(1))
            break
    if year is None and doc_date is not None:
        year = doc_date.year
        warnings.append(
            f"Không thấy năm kế hoạch trong tiêu đề; dùng năm ban hành văn bản ({year})."
        )
    found_parts = [
        t for _, t in lines if _PART.fullmatch(_strip(t)) and _strip(t) == _strip(t).upper()
    ]
    all_parts = tuple(_strip(p) for p in found_parts) + tuple(parts or ())
    for label, value in (
        ("số hiệu văn bản", number),
        ("ngày ban hành", doc_date),
        ("cơ quan ban hành", issuer),
        ("năm kế hoạch", year),
    ):
        if not value:
            warnings.append(f"Không tìm thấy {label} của văn bản kế hoạch.")
    meta = PlanMeta(
        doc_number=number,
        doc_date=doc_date,
        issuer=issuer,
        title=title or subject,
        year=year,
        subject=subject,
        parts=all_parts,
    )
    return meta, warnings
