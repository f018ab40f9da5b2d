r"""Personal data typed into free text: found, masked in place, and looked for in outputs.

Officers type applicants' identity numbers, phones, e-mails and names into free-text
columns ("Lý do quá hạn", PAKN content, activity titles, notes). Decree 13/2023/NĐ-CP
(protection of personal data) counts a person's name, identity-document number, phone
number, e-mail and address as basic personal data: a review report must not show them.

This module is the one place that recognises them:

- **patterns** (:func:`find_patterns`): 12-digit citizen identity numbers (CCCD, first
  digit 0 as in every province code) and 9-digit identity-card numbers (CMND); mobile
  (``0``/``+84``/``84`` then 3, 5, 7, 8 or 9 and eight digits) and landline (``02`` and
  nine digits) phone numbers, with spaces, dots, dashes or a parenthesised area code;
  e-mail addresses. Dossier codes (``000.00.12.H10-250303-0001``), procedure codes
  (``1.005092``), dates and amounts (``150.000.000``, ``150000000 đồng``) are not
  matched: a number glued to a letter, a dash, a slash or a dotted digit group is part
  of a code, and amounts never start with 0;
- **values of personal columns** (:class:`PersonalIndex`): every value of the
  personal-data columns of the same tables (names, addresses, ID numbers...), matched
  word for word after NFC and case folding, on word boundaries. Values too short to mean
  anything (:data:`MIN_VALUE_CHARS`), one-word names and addresses, and values that are
  also ordinary public words of the data (a unit, a procedure, the province: "Bình
  Phước" as an address) are not looked for.

:func:`mask_tables` applies both to every free-text column of the loaded tables (and the
patterns to every other text column), replacing each finding in place by
:data:`PLACEHOLDER`; it is called once, where the review context is prepared
(:mod:`tthc_analysis.views.context`), so every page, table, chart and workbook of a
report is built from masked text. :func:`output_texts` and :func:`scan_text` let the
build's last check look for the same patterns and values in every output file, in every
escaped form (HTML entities, JSON ``\\u`` escapes, XML and OOXML ``_xHHHH_`` escapes, PNG
text chunks).
"""

from __future__ import annotations

import base64
import dataclasses
import html
import json
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from tthc_analysis.fields import DATASETS, personal_columns
from tthc_analysis.typed import pc

__all__ = [
    "KIND_LABELS_VI",
    "MIN_VALUE_CHARS",
    "PLACEHOLDER",
    "Finding",
    "PersonalIndex",
    "decode_escapes",
    "find_patterns",
    "free_text_columns",
    "is_personal_text",
    "mask_frame",
    "mask_tables",
    "mask_text",
    "output_texts",
    "png_texts",
    "scan_text",
]

PLACEHOLDER = "(đã ẩn dữ liệu cá nhân)"
"""What a report shows in place of personal data found in free text."""

KIND_LABELS_VI = {
    "id_number": "số CCCD/CMND",
    "phone": "số điện thoại",
    "email": "địa chỉ thư điện tử",
    "personal_value": "giá trị của cột dữ liệu cá nhân (họ tên, địa chỉ, số giấy tờ...)",
}
"""Vietnamese name of each kind of finding (never the value itself)."""

MIN_VALUE_CHARS = 5
"""Shortest personal value (folded, spaces included) looked for in text: a shorter one
("An", "Hoa") is also an ordinary word, so a match would mean nothing."""

MAX_VALUE_WORDS = 20
"""Longest run of words matched; a longer value (a full address) is matched by its
first :data:`MAX_VALUE_WORDS` words."""

_MULTI_WORD_SUFFIXES = ("_name", "_address")
"""Personal columns whose one-word values are not looked for (a given name alone, a
commune name alone are ordinary words)."""

STRUCTURED_COLUMNS = frozenset(
    {
        "procedure_code",
        "procedure_name",
        "field",
        "unit",
        "decision_no",
        "doc_number",
        "task_id",
        "report_code",
        "kind",
        "covers_period",
        "period",
    }
)
"""Text columns that name things of the administration (codes, units, procedures): not
free text. Every other non-personal text column of :mod:`tthc_analysis.fields` that is
not a unique id is free text."""

# --- Patterns ------------------------------------------------------------------------------

_BEFORE = r"(?<![\w\-/+@])(?<!\d[.,])"
"""Not glued to a word, a code (``H10-``, ``1.``), a path or an e-mail."""
_AFTER = r"(?![\w\-/@]|[.,]\d)"
"""Not followed by a word, a dash, a slash or a dotted digit group (a longer code)."""
_SEP = r"\)?[ .\-]?"
"""What may stand between two digits of a phone number."""
_AMOUNT = r"(?!\s?(?:đ|đồng|vnđ|vnd|triệu|tỷ)\b)"
"""Not followed by a currency word: an amount, not an identity number."""

_PHONE = re.compile(
    _BEFORE
    + r"(?:\(?\+84\)?"
    + _SEP
    + r"(?:\(?0\)?[ .\-]?)?|(?<!\d)84[ .\-]?|\(?0)"
    + rf"(?:[35789](?:{_SEP}\d){{8}}|2(?:{_SEP}\d){{9}})"
    + _AFTER,
    re.IGNORECASE,
)
_CCCD = re.compile(_BEFORE + r"0\d\d(?:[ .]?\d){9}" + _AFTER + _AMOUNT, re.IGNORECASE)
_CMND = re.compile(_BEFORE + r"\d{9}" + _AFTER + _AMOUNT, re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63})+", re.UNICODE)
_PATTERNS = (("email", _EMAIL), ("phone", _PHONE), ("id_number", _CCCD), ("id_number", _CMND))
_ANY_DIGITS = re.compile(r"(?:\d[^\d\n]{0,2}){8}|@")
"""Quick skip: a text without eight digits close together nor an ``@`` has no pattern."""
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Finding:
    """Personal data found in a text.

    Attributes:
        start: Start of the span in the text.
        end: End of the span.
        kind: ``id_number``, ``phone``, ``email`` or ``personal_value``.
        key: What was found, normalised (digits only for numbers, lower-case e-mail,
            folded words for a personal value): never shown to a user.
    """

    start: int
    end: int
    kind: str
    key: str


def _digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return "0" + digits[2:] if digits.startswith("84") and len(digits) == 11 else digits


def find_patterns(text: str) -> list[Finding]:
    """ID numbers, phone numbers and e-mail addresses in ``text`` (spans, in order)."""
    if not text or not _ANY_DIGITS.search(text):
        return []
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            key = match.group(0).lower() if kind == "email" else _digits(match.group(0))
            found.append(Finding(start, end, kind, key))
            taken.append((start, end))
    return sorted(found, key=lambda f: f.start)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """NFC, case-folded, words joined by one space (how values and texts are compared)."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFC", text).casefold()))


# --- Values of personal columns -------------------------------------------------------------


def _fold_array(values: pa.Array) -> pa.Array:
    """:func:`fold` of every value, vectorised (pyarrow).

    The costly steps run only on the values that need them: NFC on those with
    combining marks (the loaders already give NFC text), the Unicode word split on those
    with a character other than letters, digits and spaces (names and numbers have none).
    """
    text = values.cast(pa.large_string())
    decomposed = pc.match_substring_regex(text, "[\u0300-\u036f]")
    if pc.any(decomposed).as_py():
        text = pc.if_else(decomposed, pc.utf8_normalize(text, form="NFC"), text)
    text = pc.utf8_lower(text)
    punctuated = pc.match_substring_regex(text, r"[\x00-\x1f\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]")
    if pc.any(punctuated).as_py():
        words = pc.replace_substring_regex(text, r"[^\pL\pN\pM_]+", " ")
        text = pc.if_else(punctuated, words, text)
    text = pc.replace_substring_regex(text, "  +", " ")
    return pc.utf8_trim_whitespace(text)


class PersonalIndex:
    """The values of the personal-data columns of some tables, ready to be looked for.

    Args:
        frames: Dataset name -> table (only its personal columns are read).
        public_texts: Texts that are public by nature (unit and procedure names, the
            plan, the issuing body): a personal value that is also a run of words of
            one of them ("Bình Phước" as an address) is not looked for.
    """

    def __init__(
        self, frames: Mapping[str, pd.DataFrame | None], public_texts: Iterable[str] = ()
    ) -> None:
        parts = []
        for dataset, frame in frames.items():
            if frame is None or dataset not in DATASETS:
                continue
            for column in sorted(personal_columns(dataset) & set(frame.columns)):
                values = pa.array(frame[column].dropna().astype(str).unique(), pa.large_string())
                if not len(values):
                    continue
                folded = pc.unique(_fold_array(values))
                n_words = pc.add(pc.count_substring(folded, " "), pa.scalar(1, pa.int32())).cast(
                    pa.int32()
                )
                keep = pc.greater_equal(pc.utf8_length(folded), MIN_VALUE_CHARS)
                if column.endswith(_MULTI_WORD_SUFFIXES):
                    keep = pc.and_(keep, pc.greater(n_words, 1))
                parts.append(folded.filter(keep))
        values = pc.unique(pa.concat_arrays(parts)) if parts else pa.array([], pa.large_string())
        values = pc.utf8_slice_codeunits(values, 0, 10_000)
        self._set(self._first_words(values))
        public = self.hits(public_texts)
        if public:
            values = self.values
            self._set(values.filter(pc.invert(pc.is_in(values, pa.array(sorted(public))))))

    def _set(self, values: pa.Array) -> None:
        self.values = values
        """Folded personal values looked for (at most :data:`MAX_VALUE_WORDS` words)."""
        self._lookup: pd.Index | None = None
        spaces = pc.count_substring(values, " ")
        multi = values.filter(pc.greater(spaces, 0))
        self._firsts = set(pc.unique(self._first(multi)).to_pylist()) if len(multi) else set()
        self._max_words = int(pc.max(spaces).as_py() or 0) + 1 if len(values) else 0

    @staticmethod
    def _first(values: pa.Array) -> pa.Array:
        return pc.list_element(pc.split_pattern(values, " ", max_splits=1), 0)

    @staticmethod
    def _first_words(values: pa.Array) -> pa.Array:
        """Values cut to their first :data:`MAX_VALUE_WORDS` words."""
        split = pc.split_pattern(values, " ", max_splits=MAX_VALUE_WORDS)
        lengths = pc.list_value_length(split)
        long = pc.greater(lengths, MAX_VALUE_WORDS)
        if not pc.any(long).as_py():
            return values
        cut = pc.binary_join(
            pc.list_slice(split, 0, MAX_VALUE_WORDS), pa.scalar(" ", pa.large_string())
        )
        return pc.unique(pc.if_else(long, cut, values))

    def __len__(self) -> int:
        return len(self.values)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_lookup": None}

    def hits(self, texts: Iterable[str]) -> set[str]:
        """The personal values (folded) that occur in some of ``texts``, word-bounded.

        Every word of a text, and every run of words starting with the first word of a
        multi-word value, is a candidate; the candidates of all texts are looked up at
        once.
        """
        if not len(self.values):
            return set()
        candidates: set[str] = set()
        firsts, longest = self._firsts, self._max_words
        for text in texts:
            if not isinstance(text, str) or not text:
                continue
            words = fold(text).split(" ")
            candidates.update(words)
            for i, word in enumerate(words):
                if word in firsts:
                    for n in range(2, min(longest, len(words) - i) + 1):
                        candidates.add(" ".join(words[i : i + n]))
        candidates.discard("")
        if not candidates:
            return set()
        if self._lookup is None:  # a hash table built once, then each lookup is cheap
            self._lookup = pd.Index(self.values.to_pandas(), dtype=object)
        pool = sorted(candidates)
        found = self._lookup.get_indexer(pd.Index(pool, dtype=object)) >= 0
        return {word for word, hit in zip(pool, found, strict=True) if hit}

    def find(self, text: str, hits: set[str] | None = None) -> list[Finding]:
        """Personal values in an NFC ``text`` (word-bounded, case folded).

        Args:
            text: The text.
            hits: :meth:`hits` of a batch of texts including this one (saves a lookup).
        """
        if not len(self.values) or not text:
            return []
        if hits is None:
            hits = self.hits([text])
        if not hits:
            return []
        tokens = [(m.start(), m.end(), m.group(0).casefold()) for m in _WORD.finditer(text)]
        words = [t[2] for t in tokens]
        found = []
        i = 0
        while i < len(words):
            for n in range(min(self._max_words, len(words) - i), 0, -1):
                key = " ".join(words[i : i + n])
                if key in hits:
                    found.append(Finding(tokens[i][0], tokens[i + n - 1][1], "personal_value", key))
                    i += n
                    break
            else:
                i += 1
        return found


# --- Masking ----------------------------------------------------------------------------------


def _findings(
    text: str, index: PersonalIndex | None, values: bool, hits: set[str] | None = None
) -> list[Finding]:
    found = find_patterns(text)
    if values and index is not None:
        spans = [(f.start, f.end) for f in found]
        for f in index.find(text, hits):
            if not any(f.start < e and s < f.end for s, e in spans):
                found.append(f)
    return sorted(found, key=lambda f: (f.start, -f.end))


def mask_text(
    text: str,
    index: PersonalIndex | None = None,
    *,
    values: bool = True,
    hits: set[str] | None = None,
) -> tuple[str, tuple[str, ...]]:
    """``text`` with each finding replaced by :data:`PLACEHOLDER`, and the kinds found.

    Args:
        text: Any text.
        index: Personal values to look for besides the patterns.
        values: Look for the values of ``index`` (free text) or only the patterns.
        hits: :meth:`PersonalIndex.hits` of a batch of texts including this one.
    """
    if not isinstance(text, str) or not text:
        return text, ()
    text = unicodedata.normalize("NFC", text)
    found = _findings(text, index, values, hits)
    if not found:
        return text, ()
    out, last = [], 0
    for f in found:
        if f.start < last:
            continue
        out.append(text[last : f.start])
        out.append(PLACEHOLDER)
        last = f.end
    out.append(text[last:])
    return "".join(out), tuple(sorted({f.kind for f in found}))


def is_personal_text(text: object, index: PersonalIndex | None = None) -> bool:
    """Whether ``text`` holds a pattern or a personal value (rejected values)."""
    if not isinstance(text, str):
        return False
    return bool(_findings(unicodedata.normalize("NFC", text), index, True))


def mask_frame(
    frame: pd.DataFrame,
    columns: Iterable[str],
    index: PersonalIndex | None = None,
    *,
    values_in: Iterable[str] = (),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``frame`` with ``columns`` masked, and the masked cells.

    Each distinct text is looked at once. The personal values of ``index`` are looked
    for in ``values_in`` columns; the patterns in all ``columns``.

    Returns:
        (masked frame, cells) where cells has ``position`` (row position), ``column``
        and ``kinds`` (Vietnamese, comma-separated).
    """
    values_in = set(values_in)
    changed: dict[str, pd.Series] = {}
    cells = []
    for column in columns:
        if column not in frame.columns:
            continue
        series = frame[column]
        present = series.dropna()
        if not len(present):
            continue
        distinct = pd.unique(present.astype(str))
        values = column in values_in and index is not None and len(index) > 0
        hits = index.hits(distinct) if values and index is not None else set()
        done = {}
        for text in distinct:
            masked, kinds = mask_text(text, index, values=values, hits=hits)
            if kinds:
                done[text] = (masked, kinds)
        if not done:
            continue
        as_text = series.astype(object).where(series.notna(), None)
        hit = as_text.isin(list(done))
        positions = hit.to_numpy().nonzero()[0]
        new = as_text.copy()
        new.iloc[positions] = [done[v][0] for v in as_text.iloc[positions]]
        changed[column] = pd.Series(new.to_numpy(), index=series.index, dtype=series.dtype)
        for pos, value in zip(positions, as_text.iloc[positions], strict=True):
            kinds = ", ".join(KIND_LABELS_VI[k] for k in done[value][1])
            cells.append((int(pos), column, kinds))
    result = frame.assign(**changed) if changed else frame
    return result, pd.DataFrame(cells, columns=["position", "column", "kinds"])


def free_text_columns(dataset: str) -> tuple[str, ...]:
    """Free-text columns of ``dataset`` (see :data:`STRUCTURED_COLUMNS`)."""
    return tuple(
        f.name
        for f in DATASETS[dataset]
        if f.kind == "string"
        and not f.personal
        and not f.unique
        and f.name not in STRUCTURED_COLUMNS
    )


def _text_columns(frame: pd.DataFrame, dataset: str | None) -> list[str]:
    """Text columns that may be shown: not personal (dropped anyway), not unique ids."""
    if dataset is None or dataset not in DATASETS:
        personal, ids = personal_columns(), set()
    else:
        personal = personal_columns(dataset)
        ids = {f.name for f in DATASETS[dataset] if f.unique}
    return [
        str(c)
        for c in frame.columns
        if str(c) not in personal
        and str(c) not in ids
        and str(c) not in ("source_file", "source_row")
        and (pd.api.types.is_string_dtype(frame[c].dtype) or frame[c].dtype == object)
    ]


MASKED_COLUMNS = ["dataset", "source_file", "source_row", "column", "kinds"]
"""Columns of the masked-cells table of :func:`mask_tables`."""


def public_texts(tables) -> list[str]:
    """Public words of the data, never looked for as personal values.

    The distinct values of the structured text columns of every table, and the plan's
    text (issuing body, sections, tasks).
    """
    texts: set[str] = set()
    for dataset in DATASETS:
        frame = getattr(tables, dataset, None)
        if frame is None:
            continue
        for column in sorted(STRUCTURED_COLUMNS & set(frame.columns)):
            texts.update(str(v) for v in frame[column].dropna().unique())
    plan = getattr(tables, "plan", None)
    if plan is not None:
        meta = getattr(plan, "meta", None)
        for key in ("issuer", "title", "subject"):
            value = getattr(meta, key, None)
            if isinstance(value, str):
                texts.add(value)
        for name in ("sections", "tasks"):
            frame = getattr(plan, name, None)
            if isinstance(frame, pd.DataFrame):
                for column in frame.columns:
                    texts.update(v for v in frame[column].tolist() if isinstance(v, str))
    return sorted(texts)


def mask_tables(tables, index: PersonalIndex | None = None):
    """Tables fit for a report: personal data masked in every text that may be shown.

    Free-text columns (:func:`free_text_columns`) are masked for the patterns and the
    personal values of the same tables; other text columns for the patterns; the
    rejected rows' values are hidden whole when personal by column or by content, their
    headers and reasons masked; warnings masked. Personal columns are left as they are
    (the display functions drop them). ``tables`` is not changed.

    Returns:
        (masked tables, masked cells, index): cells lists ``dataset, source_file,
        source_row, column, kinds`` (never the value).
    """
    if tables is None:
        return None, pd.DataFrame(columns=MASKED_COLUMNS), index
    if index is None:
        index = PersonalIndex({d: getattr(tables, d, None) for d in DATASETS}, public_texts(tables))
    updates = {}
    listed = []
    for dataset in DATASETS:
        frame = getattr(tables, dataset, None)
        if frame is None or not len(frame):
            continue
        masked, cells = mask_frame(
            frame, _text_columns(frame, dataset), index, values_in=free_text_columns(dataset)
        )
        if len(cells):
            updates[dataset] = masked
            where = frame.iloc[cells["position"].to_numpy()]
            listed.append(
                pd.DataFrame(
                    {
                        "dataset": dataset,
                        "source_file": _column_or_none(where, "source_file"),
                        "source_row": _column_or_none(where, "source_row"),
                        "column": cells["column"].to_numpy(),
                        "kinds": cells["kinds"].to_numpy(),
                    }
                )
            )
    rejected = getattr(tables, "rejected_rows", None)
    if rejected is not None and len(rejected):
        updates["rejected_rows"] = mask_rejected(rejected, index)
    warnings = getattr(tables, "warnings", None)
    if warnings is not None and len(warnings):
        updates["warnings"], _ = mask_frame(warnings, _text_columns(warnings, None), index)
    masked_tables = dataclasses.replace(tables, **updates) if updates else tables
    cells = pd.concat(listed, ignore_index=True) if listed else pd.DataFrame(columns=MASKED_COLUMNS)
    if len(cells):
        cells = cells.sort_values(["source_file", "source_row", "column"], kind="stable")
        cells = cells.reset_index(drop=True)
    return masked_tables, cells, index


def _column_or_none(frame: pd.DataFrame, column: str):
    if column in frame.columns:
        return frame[column].to_numpy()
    return [None] * len(frame)


def mask_rejected(rejected: pd.DataFrame, index: PersonalIndex | None = None) -> pd.DataFrame:
    """Rejected rows whose value is shown only when not personal by column or content."""
    out = rejected.copy()
    if "value" in out.columns:
        values = out["value"].astype(object)
        personal = (
            out["column"].astype(str).isin(personal_columns())
            if "column" in out.columns
            else pd.Series(False, index=out.index)
        )
        distinct = [v for v in values.dropna().unique() if isinstance(v, str)]
        hits = index.hits(distinct) if index is not None else set()
        hidden = {v for v in distinct if _findings(_nfc(v), index, True, hits)}
        personal = personal | values.isin(hidden)
        values = values.where(~personal, PLACEHOLDER)
        out["value"] = values
    rest = [c for c in _text_columns(out, None) if c not in ("value", "dataset", "column")]
    out, _ = mask_frame(out, rest, index)
    return out


# --- Reading output files, every escaped form -------------------------------------------------

_JSON_ESCAPE = re.compile(r"\\+u([0-9a-fA-F]{4})")
_OOXML_ESCAPE = re.compile(r"_x([0-9a-fA-F]{4})_")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_BASE64_PNG = re.compile(r"iVBORw0KGgo[A-Za-z0-9+/=\\n]+")


def decode_escapes(text: str) -> str:
    r"""``text`` with every escape decoded, then NFC.

    JSON ``\uXXXX`` (at any depth, surrogate pairs joined), HTML and XML entities and
    OOXML ``_xHHHH_`` escapes.
    """

    def code_point(match: re.Match) -> str:
        return chr(int(match.group(1), 16))

    for _ in range(3):  # entities inside JSON inside HTML...
        decoded = _OOXML_ESCAPE.sub(code_point, _JSON_ESCAPE.sub(code_point, html.unescape(text)))
        if decoded == text:
            break
        text = decoded
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return unicodedata.normalize("NFC", text)


def png_texts(data: bytes) -> list[str]:
    """The text chunks (``tEXt``, ``zTXt``, ``iTXt``) of a PNG image."""
    if not data.startswith(_PNG_SIGNATURE):
        return []
    texts, pos = [], len(_PNG_SIGNATURE)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        try:
            if kind == b"tEXt":
                key, _, value = body.partition(b"\0")
                texts.append(f"{key.decode('latin-1')} {value.decode('latin-1')}")
            elif kind == b"zTXt":
                key, _, rest = body.partition(b"\0")
                value = zlib.decompressobj().decompress(rest[1:], 1 << 20)
                texts.append(f"{key.decode('latin-1')} {value.decode('latin-1')}")
            elif kind == b"iTXt":
                key, _, rest = body.partition(b"\0")
                compressed, rest = rest[0], rest[2:]
                _, _, rest = rest.partition(b"\0")  # language tag
                _, _, value = rest.partition(b"\0")  # translated keyword
                if compressed:
                    value = zlib.decompressobj().decompress(value, 1 << 20)
                texts.append(f"{key.decode('latin-1')} {value.decode('utf-8', 'replace')}")
        except (zlib.error, IndexError, UnicodeDecodeError):
            texts.append(body.decode("latin-1"))
        if kind == b"IEND":
            break
    return texts


def _embedded_png_texts(text: str) -> list[str]:
    out = []
    for match in _BASE64_PNG.finditer(text):
        payload = match.group(0).replace("\\n", "")
        try:
            data = base64.b64decode(payload + "=" * (-len(payload) % 4))
        except ValueError:
            continue
        out += png_texts(data)
    return out


def _json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def output_texts(path: Path, skip: Iterable[str] = ()) -> list[str]:
    """The readable texts of an output file, decoded from every escaped form.

    HTML, Markdown and other text files as written; JSON and notebooks by their strings
    (numbers such as file sizes are not text); ``.xlsx`` by every XML part; PNG files and
    base64 PNG images embedded in pages by their text chunks. ``skip`` holds fragments
    removed first (the inlined table bundle: library code, not data).
    """
    path = Path(path)
    data = path.read_bytes()
    if data.startswith(_PNG_SIGNATURE):
        return [decode_escapes(t) for t in png_texts(data)]
    if data.startswith(b"PK") and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            parts = [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
        return [decode_escapes(p) for p in parts]
    text = data.decode("utf-8", "replace")
    for fragment in skip:
        text = text.replace(fragment, "\n")
    images = _embedded_png_texts(text)
    text = _BASE64_PNG.sub("", text)
    if path.suffix in (".json", ".ipynb"):
        try:
            content = json.loads(text)
        except ValueError:
            pass
        else:
            strings = [_BASE64_PNG.sub("", s) for s in _json_strings(content)]
            return [decode_escapes(s) for s in strings] + [decode_escapes(t) for t in images]
    return [decode_escapes(text)] + [decode_escapes(t) for t in images]


def scan_text(
    text: str, index: PersonalIndex | None = None, hits: set[str] | None = None
) -> list[Finding]:
    """Patterns and personal values in an output text decoded by :func:`output_texts`.

    ``hits``: :meth:`PersonalIndex.hits` of a batch of texts including this one.
    """
    found = find_patterns(text)
    if index is not None and len(index):
        found += index.find(text, hits)
    return found
