"""Last checks on a built report, before it replaces the previous one.

- **Offline**: no page loads anything from outside the file (script, style, image,
  frame, font or module URLs with ``http(s)://`` or ``//``).
- **Privacy**: no file holds a phone number, an identity-document number or an e-mail
  address found in the personal-data columns of the loaded tables. Number-like tokens
  and e-mails are collected from every output file (the inlined table bundle and base64
  images are skipped), then looked up in those columns with a vectorised ``isin``, so
  the check stays fast on a province's million dossiers. Names and addresses are not
  matched (free text); the display functions drop those columns.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from tthc_analysis.errors import BuildError
from tthc_analysis.fields import personal_columns
from tthc_analysis.review.export import external_references
from tthc_analysis.views.display import itables_bundle_html

__all__ = ["check_report", "leaked_identifiers", "report_tokens"]

IDENTIFIER_SUFFIXES = ("_phone", "_id_number", "_email")
"""Personal columns whose values are recognisable tokens (numbers, e-mails)."""

_DATASETS = ("dossiers", "procedures", "feedback", "index766", "activities")
_DIGITS = re.compile(r"\d[\d .]{7,16}\d")
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
_LOCAL = re.compile(r"[\w.+-]")
_WORD = re.compile(r"[0-9A-Za-z/=_.-]")
_BASE64 = re.compile(r'(data:[\w/+.-]+;base64,)[A-Za-z0-9+/=]+|"image/[\w+.-]+": "[^"]*"')


def _text(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return path.read_text(encoding="utf-8", errors="replace")


def _without_payloads(text: str) -> str:
    """``text`` without the table bundle and with base64 payloads emptied."""
    text = text.replace(itables_bundle_html(), "\n")
    return _BASE64.sub(lambda m: m.group(1) or "", text)


def _emails(text: str) -> list[str]:
    """E-mail addresses around each ``@`` (scanning only there keeps this linear)."""
    found = []
    at = text.find("@")
    while at >= 0:
        start = at
        while start > 0 and at - start < 64 and _LOCAL.match(text[start - 1]):
            start -= 1
        match = _EMAIL.match(text, start, at + 256)
        if match:
            found.append(match.group(0))
        at = text.find("@", at + 1)
    return found


def report_tokens(text: str) -> set[str]:
    """Number-like tokens (as written and as bare digits) and e-mails of a text.

    A number token is a run of 9 to 18 digits (spaces and dots allowed inside) that is
    not part of a longer word (hash, code, base64).
    """
    found = set()
    for match in _DIGITS.finditer(text):
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if _WORD.match(before) or _WORD.match(after):
            continue
        bare = re.sub(r"[\s.]", "", match.group(0))
        found.update((match.group(0), bare))
        if before == "+":
            found.update(("+" + match.group(0), "+" + bare))
    for email in _emails(text):
        found.update((email, email.lower()))
    return found


def leaked_identifiers(tokens: set[str], tables) -> dict[str, str]:
    """Tokens found in a personal-data column of ``tables``: token -> column."""
    leaked: dict[str, str] = {}
    if tables is None or not tokens:
        return leaked
    columns = {c for c in personal_columns() if c.endswith(IDENTIFIER_SUFFIXES)}
    for dataset in _DATASETS:
        frame = getattr(tables, dataset, None)
        if frame is None:
            continue
        for column in sorted(columns & set(frame.columns)):
            values = frame[column]
            for value in values[values.isin(tokens)].unique():
                leaked.setdefault(str(value), column)
    return leaked


def check_report(folder: Path, tables=None) -> None:
    """Check every file of a built report (see the module docstring).

    Raises:
        BuildError: a page loads an external resource, or a file holds personal data;
            the message names the files (and the columns), never the values.
    """
    external = []
    tokens_by_file: dict[str, set[str]] = {}
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        text = _without_payloads(_text(path))
        if path.suffix == ".html":
            external += [f"{name}: {url}" for url in external_references(text)]
        if tables is not None:
            tokens_by_file[name] = report_tokens(text)
    if external:
        raise BuildError(
            "Báo cáo có trang tải tài nguyên từ Internet (không dùng được khi ngoại tuyến): "
            + "; ".join(external[:10]),
            hint="Hiển thị bảng, ảnh bằng tthc_analysis.views.display, không dùng liên kết ngoài.",
        )
    leaked = leaked_identifiers(set().union(*tokens_by_file.values()), tables)
    problems = [
        f"{name} ({', '.join(sorted({leaked[t] for t in tokens if t in leaked}))})"
        for name, tokens in tokens_by_file.items()
        if tokens & leaked.keys()
    ]
    if problems:
        raise BuildError(
            "Báo cáo chứa thông tin cá nhân (số điện thoại, số giấy tờ hoặc thư điện tử) ở: "
            + "; ".join(problems[:10]),
            hint="Hiển thị bảng bằng tthc_analysis.views.display (tự bỏ các cột thông tin cá nhân).",
        )
