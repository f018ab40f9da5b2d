"""Raw cells to typed values, vectorised, with a Vietnamese reason for every bad cell.

A raw column is held as :class:`Cells`: the text cells (a pyarrow string array) and, for
spreadsheets and Parquet files, the native cells (numbers, dates, booleans) beside them.
Each ``parse_*`` function turns one column into its canonical dtype and lists the cells
it could not read (:class:`Parsed`). The rules follow ``data-model.md``:

- Text is NFC without zero-width characters, trimmed; an empty cell is missing.
- Dates: ``dd/mm/yyyy``, ``d/m/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy``, each optionally
  followed by ``HH:MM[:SS]``; ISO ``yyyy-mm-dd[ HH:MM[:SS]]``; ``HH:MM dd/mm/yyyy``;
  real Excel date cells; Excel serial numbers (numbers or text between 18264 and 73050,
  i.e. 1950 to 2099). Day-first always: ``01/02/2025`` is 1 February. A date that does not
  exist (``31/02/2025``), a month above 12 and a two-digit year (``01/02/25``: the
  century is not guessed) are row errors.
- Booleans: Có/Không (with or without diacritics), x, 1/0, true/false, yes/no, đúng/sai,
  đã/chưa, any case. An empty cell is missing, except in a column marked only with ``x``
  (the "x/blank" convention), where an empty cell means Không.
- Numbers: ``1.234,5`` and ``50.000`` (Vietnamese: dot for thousands, comma for
  decimals), ``1,5``, plain ``1234.5``, ``1,234.5``; a trailing ``đ``/``VNĐ`` is allowed.
  A dot followed by exactly three digits is a thousands separator (``1.234`` = 1234).
- Codes: the text is folded (case, whitespace, Unicode form) and looked up among the
  texts of :attr:`Field.codes` and the user's ``value_aliases``; failing that, the same
  without diacritics. An unknown value is a row error that names the accepted values.
- Periods (``index766.period``): ``03/2025``, ``3/2025``, ``Tháng 03/2025``, ``T3/2025``,
  ``2025-03`` and date cells become ``2025-03``; ``Quý III/2025``, ``Q3/2025`` become
  ``2025-Q3`` and ``Năm 2025`` becomes ``2025`` (a quarter or a year, not a month).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa

from tthc_analysis.text import fold, fold_ascii, nfc
from tthc_analysis.typed import pc

__all__ = [
    "Cells",
    "Parsed",
    "cell_text",
    "cells_from_arrow",
    "cells_from_python",
    "clean_text",
    "concat_cells",
    "has_suspect_bytes",
    "code_lookup",
    "parse_booleans",
    "parse_codes",
    "parse_datetime_text",
    "parse_datetimes",
    "parse_numbers",
    "parse_periods",
    "parse_strings",
]

NAT = np.datetime64("NaT", "us")
_US_PER_DAY = 86_400_000_000
_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "us")
SERIAL_MIN, SERIAL_MAX = 18264, 73050
"""Excel serial numbers accepted as dates: 01/01/1950 to 31/12/2099."""
EXCEL_FAKE_LEAP_DAY = 60
"""Excel serial 60 is 29/02/1900, a day that never existed (Lotus 1-2-3 leap-year bug)."""
FAKE_LEAP_DAY_REASON = (
    "số 60 là ngày 29/02/1900 của Excel, một ngày không có thật (năm 1900 không nhuận)"
)
YEAR_MIN, YEAR_MAX = 1900, 2100


# --- Cells --------------------------------------------------------------------------


@dataclass
class Cells:
    """The cells of one raw column, split by cell type (one position per data row).

    Attributes:
        n: Number of rows.
        text: Text cells, cleaned (:func:`clean_text`); null where the cell is empty or
            not text.
        numbers: Number cells (float64, NaN elsewhere), or ``None`` if there are none.
        datetimes: Date cells (datetime64[us], NaT elsewhere), or ``None``.
        booleans: Boolean cells (int8: 1, 0, or -1 elsewhere), or ``None``.
        others: Cells of any other type (times of day, durations) by position.
    """

    n: int
    text: pa.Array | None = None
    numbers: np.ndarray | None = None
    datetimes: np.ndarray | None = None
    booleans: np.ndarray | None = None
    others: dict[int, object] = field(default_factory=dict)

    def text_mask(self) -> np.ndarray:
        """Boolean mask of the rows holding a text cell."""
        if self.text is None:
            return np.zeros(self.n, dtype=bool)
        return _valid_mask(self.text)

    def raw(self, position: int) -> str:
        """The cell at ``position`` as text, for the rejected-rows table."""
        if self.text is not None and self.text[position].is_valid:
            return self.text[position].as_py()
        if self.numbers is not None and not math.isnan(self.numbers[position]):
            return _number_text(float(self.numbers[position]))
        if self.datetimes is not None and not np.isnat(self.datetimes[position]):
            return _datetime_text(self.datetimes[position])
        if self.booleans is not None and self.booleans[position] >= 0:
            return "TRUE" if self.booleans[position] else "FALSE"
        if position in self.others:
            return str(self.others[position])
        return ""


def concat_cells(parts: Sequence[Cells]) -> Cells:
    """Cells of consecutive row blocks, as one column."""
    if len(parts) == 1:
        return parts[0]
    n = sum(p.n for p in parts)
    out = Cells(n)
    if any(p.text is not None for p in parts):
        chunks = []
        for p in parts:
            text = p.text if p.text is not None else pa.nulls(p.n, pa.large_string())
            chunks.extend(text.chunks if isinstance(text, pa.ChunkedArray) else [text])
        out.text = pa.concat_arrays(chunks)
    fills = (
        ("numbers", np.nan, np.float64),
        ("datetimes", NAT, "datetime64[us]"),
        ("booleans", -1, np.int8),
    )
    for name, missing, dtype in fills:
        if any(getattr(p, name) is not None for p in parts):
            blocks = [
                getattr(p, name)
                if getattr(p, name) is not None
                else np.full(p.n, missing, dtype=dtype)
                for p in parts
            ]
            setattr(out, name, np.concatenate(blocks))
    start = 0
    for p in parts:
        out.others.update({start + i: value for i, value in p.others.items()})
        start += p.n
    return out


def _valid_mask(array: pa.Array) -> np.ndarray:
    if array.null_count == 0:
        return np.ones(len(array), dtype=bool)
    return array.is_valid().to_numpy(zero_copy_only=False)


def _number_text(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _datetime_text(value: np.datetime64) -> str:
    ts = value.astype("datetime64[us]").item()
    if (ts.hour, ts.minute, ts.second, ts.microsecond) == (0, 0, 0, 0):
        return ts.strftime("%d/%m/%Y")
    return ts.strftime("%d/%m/%Y %H:%M:%S" if ts.second else "%d/%m/%Y %H:%M")


def cells_from_python(values: Sequence[object], full: bool = True) -> Cells:
    """Cells from a list of Python values as python-calamine returns them.

    Empty cells are ``""`` or ``None``; dates are :class:`datetime.date` or
    :class:`datetime.datetime`; numbers are ``float``/``int``; booleans ``bool``.

    Args:
        values: The cells of one column.
        full: Clean the text fully (:func:`clean_text`); ``False`` for columns whose
            parser folds or strips the text itself (dates, numbers, codes, yes/no):
            only empty strings become null.
    """
    n = len(values)
    types = set(map(type, values))
    clean = clean_text if full else _empty_to_null
    if types <= {str, type(None)}:
        return Cells(n, text=clean(pa.array(values, type=pa.large_string())))
    cells = Cells(n)
    if str in types:
        texts = [v if type(v) is str else None for v in values]
        cells.text = clean(pa.array(texts, type=pa.large_string()))
    if float in types or int in types:
        cells.numbers = np.fromiter(
            (v if type(v) is float or type(v) is int else math.nan for v in values),
            dtype=np.float64,
            count=n,
        )
    if datetime in types or date in types:
        # pandas converts date/datetime objects in C (numpy needs ~3 µs per object);
        # there are no strings here, so no day/month ambiguity.
        objects = [v if type(v) is datetime or type(v) is date else None for v in values]
        converted = pd.to_datetime(pd.Series(objects, dtype=object))
        cells.datetimes = converted.to_numpy(dtype="datetime64[us]")
    if bool in types:
        cells.booleans = np.fromiter(
            ((1 if v else 0) if type(v) is bool else -1 for v in values), dtype=np.int8, count=n
        )
    other_types = types - {str, type(None), float, int, datetime, date, bool}
    if other_types:
        cells.others = {i: v for i, v in enumerate(values) if type(v) in other_types}
    return cells


def cells_from_arrow(
    array: pa.Array | pa.ChunkedArray,
    check_nfc: bool = True,
    full: bool = True,
    no_empty: bool = False,
) -> Cells:
    """Cells from a pyarrow column (CSV columns are text; Parquet columns may be typed).

    Args:
        array: The column.
        check_nfc: Look for text to normalise (see :func:`clean_text`).
        full: Clean the text fully; ``False`` as in :func:`cells_from_python`.
        no_empty: The caller guarantees that no value is an empty string (a CSV read
            with empty fields as null): with ``full=False`` the text is kept as read,
            in chunks (dictionary-encoded if it was read so), without any copy.
    """
    kind = array.type
    is_text = pa.types.is_string(kind) or pa.types.is_large_string(kind)
    is_coded = pa.types.is_dictionary(kind) and pa.types.is_large_string(kind.value_type)
    if (is_text or is_coded) and not full and no_empty:
        # The parsers of these columns work on the distinct values: a column read as a
        # dictionary stays one (decoding it would only be encoded again).
        return Cells(len(array), text=array)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    n = len(array)
    if pa.types.is_dictionary(kind):
        array = array.cast(kind.value_type)
        kind = array.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return Cells(n, text=clean_text(array, check_nfc) if full else _empty_to_null(array))
    if pa.types.is_null(kind):
        return Cells(n)
    if pa.types.is_boolean(kind):
        values = pc.fill_null(array.cast(pa.int8()), -1).to_numpy(zero_copy_only=False)
        return Cells(n, booleans=values.astype(np.int8))
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        values = array.cast(pa.float64()).to_numpy(zero_copy_only=False)
        return Cells(n, numbers=np.asarray(values, dtype=np.float64))
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        if pa.types.is_timestamp(kind) and kind.tz is not None:
            array = pc.local_timestamp(array.cast(pa.timestamp("us", kind.tz)))
        values = array.cast(pa.timestamp("us")).to_numpy(zero_copy_only=False)
        return Cells(n, datetimes=values.astype("datetime64[us]"))
    return Cells(n, text=clean_text(array.cast(pa.large_string())))


# --- Text cleaning ------------------------------------------------------------------

_ASCII_WS = [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20]
# 1 = ASCII whitespace; 2 = may be the first/last byte of a multi-byte space (NBSP
# C2 A0, U+2000-U+205F E2 80/81 .., U+3000 E3 80 80).
_FIRST_FLAG = np.zeros(256, dtype=np.int8)
_FIRST_FLAG[[0xC2, 0xE2, 0xE3]] = 2
_FIRST_FLAG[_ASCII_WS] = 1
_LAST_FLAG = np.zeros(256, dtype=np.int8)
_LAST_FLAG[[0xA0, *range(0x80, 0x8B), 0xAF, 0x9F]] = 2
_LAST_FLAG[_ASCII_WS] = 1
SUSPECT_SEQUENCES = (
    b"\xcc",  # combining marks U+0300-U+033F (NFD text, Windows-1258)
    b"\xcd",  # combining marks U+0340-U+036F
    b"\xe2\x80\x8b",  # zero-width space
    b"\xe2\x80\x8c",
    b"\xe2\x80\x8d",
    b"\xe2\x81\xa0",  # word joiner
    b"\xef\xbb\xbf",  # BOM / zero-width no-break space
)
"""UTF-8 byte sequences of the characters :func:`~tthc_analysis.text.nfc` changes or removes."""
_NEEDS_NFC = re.compile("[\u0300-\u036f\u200b-\u200d\u2060\ufeff]")


def _buffers(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, data bytes) of a large_string array, zero-copy."""
    bufs = array.buffers()
    offsets = np.frombuffer(bufs[1], dtype=np.int64)[array.offset : array.offset + len(array) + 1]
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    return offsets, data


def has_suspect_bytes(raw: bytes) -> bool:
    """Whether UTF-8 text may hold combining marks or zero-width characters.

    Single lead bytes are looked for first (``memchr`` speed); the longer sequences only
    if their lead byte occurs.
    """
    if b"\xcc" in raw or b"\xcd" in raw:
        return True
    if b"\xe2" in raw and any(seq in raw for seq in SUSPECT_SEQUENCES[2:6]):
        return True
    return b"\xef" in raw and SUSPECT_SEQUENCES[6] in raw


def _libc_memmem():
    """The C library's ``memmem`` (``None`` where there is none, e.g. Windows)."""
    import ctypes
    import ctypes.util

    try:
        function = ctypes.CDLL(ctypes.util.find_library("c")).memmem
    except (OSError, AttributeError, TypeError):
        return None
    function.restype = ctypes.c_void_p
    function.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t)
    return function


_MEMMEM = _libc_memmem()


def _suspect_in(data: np.ndarray) -> bool:
    """:func:`has_suspect_bytes` of UTF-8 bytes held in numpy (no copy).

    With the C library's ``memmem`` (``memchr`` speed, without the interpreter lock)
    each sequence of :data:`SUSPECT_SEQUENCES` is looked for in place; elsewhere
    :func:`_suspect_in_numpy` decides.
    """
    if data.size == 0:
        return False
    memmem = _MEMMEM
    if memmem is None or not data.flags.c_contiguous:
        return _suspect_in_numpy(data)
    address, size = data.ctypes.data, data.size

    def found(needle: bytes) -> bool:
        return bool(memmem(address, size, needle, len(needle)))

    # As has_suspect_bytes: single lead bytes first, the sequences only if their lead occurs.
    if found(b"\xcc") or found(b"\xcd"):
        return True
    if found(b"\xe2") and any(found(seq) for seq in SUSPECT_SEQUENCES[2:6]):
        return True
    return found(b"\xef") and found(SUSPECT_SEQUENCES[6])


def _suspect_in_numpy(data: np.ndarray) -> bool:
    """:func:`has_suspect_bytes` of UTF-8 bytes held in numpy (no copy).

    A few whole-array numpy passes, which release the interpreter lock (the text of a
    big file is checked while other files are parsed): ASCII text has no byte above
    0x7F; a combining mark starts with byte 0xCC or 0xCD; the other characters start
    with 0xE2 or 0xEF, and only the rare bytes like those are looked at further.
    """
    if data.size == 0 or data.view(np.int8).min() >= 0:
        return False
    if (data ^ np.uint8(0xCC)).min() <= 1:
        return True
    masked = data & np.uint8(0xF2)  # 0xE2 and 0xEF (and 0xE3, 0xE6...) give 0xE2
    masked ^= np.uint8(0xE2)
    if masked.min() != 0:
        return False
    leads = np.flatnonzero(masked == 0)
    leads = leads[leads + 2 < data.size]
    first, second, third = data[leads], data[leads + 1], data[leads + 2]
    zero_width = (second == 0x80) & (third >= 0x8B) & (third <= 0x8D)
    joiner = (second == 0x81) & (third == 0xA0)
    bom = (first == 0xEF) & (second == 0xBB) & (third == 0xBF)
    return bool((((first == 0xE2) & (zero_width | joiner)) | bom).any())


def _space_start(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> bool:
    first, second = data[starts], data[starts + 1]
    nbsp = (first == 0xC2) & (second == 0xA0)
    wide = (lengths >= 3) & np.isin(first, (0xE2, 0xE3)) & np.isin(second, (0x80, 0x81))
    return bool((nbsp | wide).any())


def _space_end(data: np.ndarray, ends: np.ndarray, lengths: np.ndarray) -> bool:
    last, before = data[ends - 1], data[ends - 2]
    nbsp = (last == 0xA0) & (before == 0xC2)
    lead = data[np.maximum(ends - 3, 0)]
    wide = (lengths >= 3) & np.isin(lead, (0xE2, 0xE3)) & np.isin(before, (0x80, 0x81))
    return bool((nbsp | wide).any())


def _edge_whitespace(offsets: np.ndarray, data: np.ndarray) -> bool:
    """Whether a value may start or end with whitespace (ASCII, NBSP, other spaces).

    Byte tests on the first and last byte of each value (an empty value reads its
    neighbours' bytes, which are tested anyway); multi-byte spaces are confirmed on the
    few candidates. A false positive only costs a trim.
    """
    if data.size == 0 or offsets[-1] == offsets[0]:
        return False
    starts = np.minimum(offsets[:-1], data.size - 1)
    ends = np.maximum(offsets[1:], 1)
    first, last = data[starts], data[ends - 1]
    first_flag, last_flag = _FIRST_FLAG[first], _LAST_FLAG[last]
    if not (first_flag.any() or last_flag.any()):
        return False
    if (first_flag == 1).any() or (last_flag == 1).any():
        return True
    lengths = offsets[1:] - offsets[:-1]
    lead = np.flatnonzero((first_flag == 2) & (lengths >= 2))
    if lead.size and _space_start(data, starts[lead], lengths[lead]):
        return True
    tail = np.flatnonzero((last_flag == 2) & (lengths >= 2))
    return bool(tail.size and _space_end(data, ends[tail], lengths[tail]))


def _empty_to_null(array: pa.Array) -> pa.Array:
    """Empty strings become null (nothing else changes)."""
    if not pa.types.is_large_string(array.type):
        array = array.cast(pa.large_string())
    if len(array) == 0:
        return array
    offsets, _ = _buffers(array)
    empty = offsets[1:] == offsets[:-1]
    if array.null_count != empty.sum():
        empty &= _valid_mask(array)
        array = pc.if_else(pa.array(empty), pa.scalar(None, pa.large_string()), array)
    return array


def clean_text(array: pa.Array | pa.ChunkedArray, check_nfc: bool = True) -> pa.Array:
    """NFC without zero-width characters, trimmed; empty strings become null.

    Most columns need none of it; cheap byte-level checks decide, so that a clean
    million-row column costs a few milliseconds.

    Args:
        array: Text values.
        check_nfc: Look for text to normalise; ``False`` when the caller knows the
            bytes hold no combining mark or zero-width character.
    """
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    if not pa.types.is_large_string(array.type):
        array = array.cast(pa.large_string())
    if len(array) == 0:
        return array
    offsets, data = _buffers(array)
    if check_nfc and _suspect_in(data[offsets[0] : offsets[-1]]):
        flagged = pc.match_substring_regex(array, _NEEDS_NFC.pattern)
        if pc.any(flagged).as_py():
            mask = flagged.to_numpy(zero_copy_only=False).astype(bool)
            positions = np.flatnonzero(mask)
            fixed = [nfc(array[int(i)].as_py()) for i in positions]
            array = pc.replace_with_mask(
                array, pa.array(mask), pa.array(fixed, type=pa.large_string())
            )
            offsets, data = _buffers(array)
    if _edge_whitespace(offsets, data):
        array = pc.utf8_trim_whitespace(array)
    return _empty_to_null(array)


# --- Result ---------------------------------------------------------------------------


@dataclass
class Parsed:
    """A typed column and the cells that could not be read.

    Attributes:
        values: numpy array (datetime64[us] with NaT, float64 with NaN), pyarrow string
            array, or for booleans/integers a ``(values, missing)`` pair of numpy arrays.
        bad: Positions of the cells that could not be read (their value is missing).
        reasons: Vietnamese reason for each position in ``bad``.
        notes: Vietnamese notes on how the column was read (become warnings).
    """

    values: object
    bad: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Problems:
    """Collects (position, reason) pairs."""

    def __init__(self) -> None:
        self.positions: list[np.ndarray] = []
        self.reasons: list[str] = []

    def add(self, positions: np.ndarray | Sequence[int], reason: str | Sequence[str]) -> None:
        positions = np.asarray(positions, dtype=np.int64)
        if positions.size == 0:
            return
        self.positions.append(positions)
        if isinstance(reason, str):
            self.reasons.extend([reason] * positions.size)
        else:
            self.reasons.extend(reason)

    def result(self, values: object, notes: list[str] | None = None) -> Parsed:
        if not self.positions:
            return Parsed(values, notes=notes or [])
        bad = np.concatenate(self.positions)
        order = np.argsort(bad, kind="stable")
        reasons = [self.reasons[i] for i in order]
        return Parsed(values, bad[order], reasons, notes or [])


def _other_cells(cells: Cells, problems: _Problems, what: str) -> None:
    if cells.others:
        problems.add(list(cells.others), f"Ô không phải {what} (giờ hoặc khoảng thời gian)")


@dataclass
class _Distinct:
    """A text column as distinct values: ``dictionary[index[i]]`` is row ``i``."""

    dictionary: list[str]
    results: list[object]
    index: np.ndarray
    valid: np.ndarray

    def per_row(self, values: Sequence[object], dtype: object) -> np.ndarray:
        """``values`` (one per distinct text) spread over the rows."""
        table = np.asarray(values, dtype=dtype) if values else np.zeros(1, dtype=dtype)
        return table[self.index]


def _encoded(text: pa.Array | pa.ChunkedArray) -> tuple[list[str], pa.Array | pa.ChunkedArray]:
    """(distinct texts, index of each row) of a text or dictionary-encoded column."""
    if isinstance(text, pa.ChunkedArray):
        if pa.types.is_dictionary(text.type):
            text = text.unify_dictionaries()
            if text.num_chunks == 0:
                return [], pa.array([], pa.int32())
            indices = pa.chunked_array([c.indices for c in text.chunks], text.type.index_type)
            return text.chunk(0).dictionary.to_pylist(), indices
        text = text.combine_chunks() if text.num_chunks != 1 else text.chunk(0)
    encoded = text if pa.types.is_dictionary(text.type) else pc.dictionary_encode(text)
    return encoded.dictionary.to_pylist(), encoded.indices


def _distinct(text: pa.Array | pa.ChunkedArray, convert: Callable[[str], object]) -> _Distinct:
    """Apply ``convert`` once per distinct text; blank texts count as missing."""
    dictionary, indices = _encoded(text)
    index = np.asarray(pc.fill_null(indices, 0).to_numpy(zero_copy_only=False))
    valid = _valid_mask(text)
    blank = [not v.strip() for v in dictionary]
    results = [None if b else convert(v) for v, b in zip(dictionary, blank, strict=True)]
    distinct = _Distinct(dictionary, results, index, valid)
    if any(blank):
        distinct.valid = valid & ~distinct.per_row(blank, bool)
    return distinct


# --- Strings ------------------------------------------------------------------------

_NUMBER_TEXT_DECIMALS = {"procedure_code": 6}
"""String columns whose number cells are written with a fixed number of decimals
(a procedure code ``1.000010`` typed as a number reads back as ``1.00001``)."""


def cell_text(cells: Cells, column: str | None = None) -> pa.Array:
    """Every cell as text (numbers without a spurious ``.0``, dates as dd/mm/yyyy)."""
    if cells.numbers is None and cells.datetimes is None and cells.booleans is None:
        text = cells.text if cells.text is not None else pa.nulls(cells.n, pa.large_string())
        if cells.others:
            mask = np.zeros(cells.n, dtype=bool)
            mask[list(cells.others)] = True
            values = [str(cells.others[i]) for i in sorted(cells.others)]
            text = pc.replace_with_mask(text, pa.array(mask), pa.array(values, pa.large_string()))
        return text
    values: list[str | None] = (
        cells.text.to_pylist() if cells.text is not None else [None] * cells.n
    )
    decimals = _NUMBER_TEXT_DECIMALS.get(column or "")
    if cells.numbers is not None:
        for i in np.flatnonzero(~np.isnan(cells.numbers)):
            number = float(cells.numbers[i])
            if decimals and not number.is_integer():
                values[i] = f"{number:.{decimals}f}"
            else:
                values[i] = _number_text(number)
    if cells.datetimes is not None:
        for i in np.flatnonzero(~np.isnat(cells.datetimes)):
            values[i] = _datetime_text(cells.datetimes[i])
    if cells.booleans is not None:
        for i in np.flatnonzero(cells.booleans >= 0):
            values[i] = "Có" if cells.booleans[i] else "Không"
    for i, value in cells.others.items():
        values[i] = str(value)
    return pa.array(values, type=pa.large_string())


def parse_strings(cells: Cells, column: str | None = None) -> Parsed:
    """A text column (never fails): pyarrow large_string array."""
    return Parsed(cell_text(cells, column))


# --- Dates ----------------------------------------------------------------------------

_FAST_FORMATS = (
    ("%d/%m/%Y", "dmy"),
    ("%d/%m/%Y %H:%M", "dmy"),
    ("%d/%m/%Y %H:%M:%S", "dmy"),
    ("%Y-%m-%d", "ymd"),
    ("%Y-%m-%d %H:%M:%S", "ymd"),
    ("%Y-%m-%d %H:%M", "ymd"),
    ("%Y-%m-%dT%H:%M:%S", "ymd"),
)
"""Formats read by pyarrow (vectorised). Everything else goes to :func:`parse_date_text`."""
_DAY_OF = {
    "dmy": r"^\s*(?P<day>\d{1,4})",
    "ymd": r"^\s*\d{1,6}-\s*\d{1,2}-\s*(?P<day>\d{1,2})",
}

_TIME = r"(\d{1,2})\s*[:hH]\s*(\d{1,2})(?:\s*:\s*(\d{1,2})(?:[.,](\d{1,6}))?)?"
_DMY_RE = re.compile(
    r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{1,6})(?:(?:\s+|\s*[Tt,]\s*|\s+-\s+)"
    + _TIME
    + r")?"
)
_YMD_RE = re.compile(
    r"(\d{4})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?:(?:\s+|\s*[Tt]\s*)" + _TIME + r")?"
)
_TIME_FIRST_RE = re.compile(
    _TIME + r"(?:\s*,\s*|\s+)(?:ngày\s*)?(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\6\s*(\d{1,6})"
)
_WORDS_DATE = r"(?:ngày\s*)?(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{1,6})"
_WORDS_RE = re.compile(_WORDS_DATE)
"""``ngày 03 tháng 03 năm 2025`` (the text is lower-cased first)."""
_WORDS_TIME_RE = re.compile(
    r"(\d{1,2})\s*giờ(?:\s*(\d{1,2})\s*phút)?(?:\s*(\d{1,2})\s*giây)?\s*,?\s*"
    r"(?:ngày\s*)?(?:(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{1,6})|"
    r"(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{1,6}))"
)
"""``08 giờ 15 phút, ngày 03/03/2025`` (or ``... ngày 03 tháng 03 năm 2025``)."""
_ISO_ZONE_RE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})[t ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,9}))?)?"
    r"\s*(z|[+-]\d{2}(?::?\d{2})?)"
)
"""ISO 8601 with a zone: ``2025-03-03T08:15:00.000Z``, ``2025-03-03T08:15:00+07:00``."""
_COMPACT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?")
"""DVCQG ``yyyyMMddHHmmss`` (also ``yyyyMMdd`` and ``yyyyMMddHHmm``)."""
VIETNAM_OFFSET_MINUTES = 7 * 60
"""Vietnam time is UTC+07:00 (no daylight saving)."""
_SERIAL_RE = re.compile(r"\d{1,6}(?:[.,]\d+)?")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _build_datetime(
    day: int, month: int, year_text: str, hms: tuple[str | None, ...]
) -> datetime | str:
    if len(year_text) <= 2:
        return "năm chỉ có 2 chữ số, không đoán thế kỷ; hãy ghi đủ 4 chữ số (dd/mm/yyyy)"
    year = int(year_text)
    if len(year_text) != 4 or not YEAR_MIN <= year <= YEAR_MAX:
        return f"năm {year_text} nằm ngoài khoảng {YEAR_MIN}–{YEAR_MAX}"
    if not 1 <= month <= 12:
        return f"tháng {month} không tồn tại (ngày phải ghi theo thứ tự ngày/tháng/năm)"
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = 29 if month == 2 and leap else _DAYS_IN_MONTH[month - 1] - (month == 2)
    if not 1 <= day <= last:
        return f"ngày {day:02d}/{month:02d}/{year} không tồn tại (tháng {month} năm {year} có {last} ngày)"
    hour, minute, second, fraction = hms
    h = int(hour) if hour else 0
    m = int(minute) if minute else 0
    s = int(second) if second else 0
    if h > 23 or m > 59 or s > 59:
        return "giờ không hợp lệ"
    micro = int((fraction or "0").ljust(6, "0")) if fraction else 0
    return datetime(year, month, day, h, m, s, micro)


def _zoned(match: re.Match, z_local: bool) -> datetime | str:
    """A timestamp with a zone, in Vietnam time (``Z`` kept as is when ``z_local``)."""
    y, mo, d, h, mi, sec, fraction, zone = match.groups()
    fraction = (fraction or "")[:6] or None
    result = _build_datetime(int(d), int(mo), y, (h, mi, sec, fraction))
    if isinstance(result, str):
        return result
    if zone == "z":
        offset = VIETNAM_OFFSET_MINUTES if z_local else 0
    else:
        digits = zone[1:].replace(":", "")
        offset = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0)
        offset = offset if zone[0] == "+" else -offset
    shifted = result + timedelta(minutes=VIETNAM_OFFSET_MINUTES - offset)
    if not YEAR_MIN <= shifted.year <= YEAR_MAX:
        return f"năm {shifted.year} nằm ngoài khoảng {YEAR_MIN}–{YEAR_MAX}"
    return shifted


def parse_date_text(text: str, z_local: bool = False) -> datetime | str:
    """Read one date text; return a datetime, or a Vietnamese reason why not.

    The exact reference behaviour; the vectorised path (:func:`parse_datetime_text`)
    gives the same results for the formats it handles.

    Args:
        text: The cell.
        z_local: A trailing ``Z`` (UTC) is in fact local time (exports that write ``Z``
            on Vietnam time); other zones are always converted to Vietnam time.
    """
    value = nfc(text).strip()
    lowered = value.lower()
    match = _ISO_ZONE_RE.fullmatch(lowered)
    if match:
        return _zoned(match, z_local)
    match = _WORDS_TIME_RE.fullmatch(lowered)
    if match:
        h, mi, sec, d1, m1, y1, d2, m2, y2 = match.groups()
        d, m, y = (d1, m1, y1) if d1 else (d2, m2, y2)
        return _build_datetime(int(d), int(m), y, (h, mi, sec, None))
    match = _WORDS_RE.fullmatch(lowered)
    if match:
        d, m, y = match.groups()
        return _build_datetime(int(d), int(m), y, (None, None, None, None))
    match = _COMPACT_RE.fullmatch(value)
    if match and len(value) in (8, 12, 14):
        y, m, d, h, mi, sec = match.groups()
        return _build_datetime(int(d), int(m), y, (h, mi, sec, None))
    match = _DMY_RE.fullmatch(lowered)
    if match:
        d, _, m, y, *hms = match.groups()
        return _build_datetime(int(d), int(m), y, tuple(hms))
    match = _YMD_RE.fullmatch(lowered)
    if match:
        y, _, m, d, *hms = match.groups()
        return _build_datetime(int(d), int(m), y, tuple(hms))
    match = _TIME_FIRST_RE.fullmatch(lowered)
    if match:
        hour, minute, second, fraction, d, _, m, y = match.groups()
        return _build_datetime(int(d), int(m), y, (hour, minute, second, fraction))
    if _SERIAL_RE.fullmatch(value):
        number = float(value.replace(",", "."))
        if math.floor(number) == EXCEL_FAKE_LEAP_DAY:
            return FAKE_LEAP_DAY_REASON
        serial = _serial_to_datetime(np.array([number]))
        if np.isnat(serial[0]):
            return f"số {value} không phải ngày (số ngày kiểu Excel phải từ {SERIAL_MIN} đến {SERIAL_MAX})"
        return serial[0].astype("datetime64[us]").item()
    return (
        "không đọc được ngày (dùng dd/mm/yyyy, dd/mm/yyyy HH:MM, HH:MM, dd/mm/yyyy, "
        "yyyy-mm-dd hoặc yyyyMMddHHmmss)"
    )


def _serial_to_datetime(numbers: np.ndarray) -> np.ndarray:
    out = np.full(numbers.shape, NAT)
    ok = (numbers >= SERIAL_MIN) & (numbers < SERIAL_MAX + 1)
    micros = np.round(numbers[ok] * _US_PER_DAY).astype(np.int64)
    out[ok] = _EXCEL_EPOCH + micros.astype("timedelta64[us]")
    return out


_INT64_MIN = np.iinfo(np.int64).min  # the bit pattern of NaT


def _as_datetimes(parsed: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Timestamps from pyarrow as datetime64[us] (null -> NaT), one copy."""
    micros = pc.fill_null(parsed.cast(pa.int64()), _INT64_MIN)
    return np.asarray(micros.to_numpy(zero_copy_only=False)).view("datetime64[us]")


def _overflowed(sub, values: np.ndarray, ok: np.ndarray, style: str) -> np.ndarray:
    """Mask of parsed values whose day differs from the text (31/02 read as 03/03).

    pyarrow's ``strptime`` rolls a day past the end of the month over into the next
    month, so the result's day is then 1 to 3; only those values are re-read.
    """
    days = values.astype("datetime64[D]")
    day_of_month = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    candidates = np.flatnonzero(ok & (day_of_month <= 3))
    out = np.zeros(len(values), dtype=bool)
    if candidates.size == 0:
        return out
    picked = sub.take(pa.array(candidates))
    text_day = pc.struct_field(pc.extract_regex(picked, _DAY_OF[style]), [0])
    text_day = pc.fill_null(pc.cast(text_day, pa.int64()), -1).to_numpy(zero_copy_only=False)
    out[candidates] = np.asarray(text_day) != day_of_month[candidates]
    return out


def _order_formats(sub) -> list[tuple[str, str]]:
    sample = sub.slice(0, 64)
    hits = []
    for i, (fmt, style) in enumerate(_FAST_FORMATS):
        parsed = pc.strptime(sample, format=fmt, unit="us", error_is_null=True)
        hits.append((-(len(parsed) - parsed.null_count), i, fmt, style))
    return [(fmt, style) for n, _, fmt, style in sorted(hits) if n < 0]


def _fast_dates(text, out: np.ndarray) -> np.ndarray:
    """Parse the formats pyarrow reads; return the positions left for the exact parser."""
    todo = np.flatnonzero(_valid_mask(text))
    if todo.size == 0:
        return todo
    sub = text if todo.size == len(text) else text.take(pa.array(todo))
    exact: list[np.ndarray] = []
    for fmt, style in _order_formats(sub):
        parsed = pc.strptime(sub, format=fmt, unit="us", error_is_null=True)
        if parsed.null_count == len(parsed):
            continue
        values = _as_datetimes(parsed)
        ok = ~np.isnat(values)
        years = values.astype("datetime64[Y]").astype(np.int64) + 1970
        suspicious = ok & ((years < YEAR_MIN) | (years > YEAR_MAX))
        suspicious |= _overflowed(sub, values, ok & ~suspicious, style)
        good = ok & ~suspicious
        out[todo[good]] = values[good]
        exact.append(todo[suspicious])
        rest = ~ok
        todo = todo[rest]
        if todo.size == 0:
            break
        sub = sub.filter(pa.array(rest))
    return np.concatenate([*exact, todo]) if exact else todo


# Fixed-width layouts read straight from the UTF-8 bytes: (length, separators, fields).
# A field is (name, first byte, number of digits); separators are (position, allowed bytes).
_LAYOUTS: tuple[tuple[int, tuple, tuple], ...] = tuple(
    (
        length,
        seps,
        fields,
    )
    for length, seps, fields in (
        (10, ((2, b"/"), (5, b"/")), (("d", 0, 2), ("m", 3, 2), ("y", 6, 4))),
        (16, ((2, b"/"), (5, b"/"), (10, b" "), (13, b":")),
         (("d", 0, 2), ("m", 3, 2), ("y", 6, 4), ("H", 11, 2), ("M", 14, 2))),
        (19, ((2, b"/"), (5, b"/"), (10, b" "), (13, b":"), (16, b":")),
         (("d", 0, 2), ("m", 3, 2), ("y", 6, 4), ("H", 11, 2), ("M", 14, 2), ("S", 17, 2))),
        (10, ((4, b"-"), (7, b"-")), (("y", 0, 4), ("m", 5, 2), ("d", 8, 2))),
        (16, ((4, b"-"), (7, b"-"), (10, b" T"), (13, b":")),
         (("y", 0, 4), ("m", 5, 2), ("d", 8, 2), ("H", 11, 2), ("M", 14, 2))),
        (19, ((4, b"-"), (7, b"-"), (10, b" T"), (13, b":"), (16, b":")),
         (("y", 0, 4), ("m", 5, 2), ("d", 8, 2), ("H", 11, 2), ("M", 14, 2), ("S", 17, 2))),
        # DVCQG records: yyyyMMddHHmmss (and yyyyMMdd)
        (14, (), (("y", 0, 4), ("m", 4, 2), ("d", 6, 2), ("H", 8, 2), ("M", 10, 2), ("S", 12, 2))),
        (8, (), (("y", 0, 4), ("m", 4, 2), ("d", 6, 2))),
    )
)  # fmt: skip


_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


_MONTHS = np.arange((YEAR_MAX - YEAR_MIN + 1) * 12)
_MONTH_START = (
    _days_from_civil(YEAR_MIN + _MONTHS // 12, _MONTHS % 12 + 1, np.ones_like(_MONTHS)).astype(
        np.int64
    )
    * _US_PER_DAY
)
"""Microseconds since 1970-01-01 of the first day of each month from :data:`YEAR_MIN`."""
_MONTH_LENGTH = np.array(
    [
        29 if month == 1 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else days
        for year in range(YEAR_MIN, YEAR_MAX + 1)
        for month, days in enumerate(_MONTH_DAYS)
    ],
    dtype=np.int32,
)
_US_PER = {"H": 3_600_000_000, "M": 60_000_000, "S": 1_000_000}


def _layout_values(matrix: np.ndarray, seps: tuple, fields: tuple) -> tuple[np.ndarray, np.ndarray]:
    """(datetime64[us] values, valid mask) of byte rows (``n × width``) in one layout.

    The digit bytes are gathered once (``n × digits``, one contiguous column per
    position) minus ``0``: a digit is then 0 to 9 and anything else wraps around to a
    larger ``uint8``. The first day and the length of each month come from tables.
    """
    n, width = matrix.shape
    sep_positions = {position for position, _ in seps}
    digit_positions = [p for p in range(width) if p not in sep_positions]
    column_of = {p: i for i, p in enumerate(digit_positions)}
    digits = matrix[:, digit_positions] - np.uint8(0x30)
    ok = digits.max(axis=1) <= 9
    for position, allowed in seps:
        column = matrix[:, position]
        match = column == allowed[0]
        for other in allowed[1:]:
            match |= column == other
        ok &= match
    parts: dict[str, np.ndarray] = {}
    for name, first, count in fields:
        number = digits[:, column_of[first]].astype(np.int32)
        for k in range(1, count):
            number = number * 10 + digits[:, column_of[first + k]]
        parts[name] = number
    year, month, day = parts["y"], parts["m"], parts["d"]
    ok &= (year >= YEAR_MIN) & (year <= YEAR_MAX) & (month >= 1) & (month <= 12) & (day >= 1)
    index = np.where(ok, (year - YEAR_MIN) * 12 + month - 1, 0)
    ok &= day <= _MONTH_LENGTH[index]
    micros = _MONTH_START[index] + (day - 1) * np.int64(_US_PER_DAY)
    for name, limit in (("H", 23), ("M", 59), ("S", 59)):
        if name in parts:
            ok &= parts[name] <= limit
            micros += parts[name] * np.int64(_US_PER[name])
    return micros.view("datetime64[us]"), ok


def _fixed_width_dates(text, out: np.ndarray) -> np.ndarray:
    """Read the values written in a fixed-width layout; return the positions left.

    Exports write dates the same way in every row (``dd/mm/yyyy HH:MM``...): those are
    decoded from the bytes with numpy, without a text parser. Anything else (another
    layout, ``1/2/2025``, an impossible date) is left to the other parsers.
    """
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks() if text.num_chunks != 1 else text.chunk(0)
    if not pa.types.is_large_string(text.type):
        text = text.cast(pa.large_string())
    left = _valid_mask(text).copy()
    if not left.any():
        return np.flatnonzero(left)
    offsets, data = _buffers(text)
    lengths = offsets[1:] - offsets[:-1]
    for length, seps, fields in _LAYOUTS:
        same = left & (lengths == length)
        if not same.any():
            continue
        n_same = int(np.count_nonzero(same))
        if offsets[-1] - offsets[0] == n_same * length:
            # The other rows are empty (nulls), so the values follow each other in the
            # data buffer: a strided view, no gathering.
            matrix = np.lib.stride_tricks.as_strided(
                data[offsets[0] :], shape=(n_same, length), strides=(length, 1)
            )
            if n_same == len(same):
                values, ok = _layout_values(matrix, seps, fields)
                if ok.all():  # the usual case: one layout, every value valid
                    out[:] = values
                    return np.zeros(0, dtype=np.int64)
                out[ok] = values[ok]
                left[ok] = False
                continue
            rows = np.flatnonzero(same)
        else:
            rows = np.flatnonzero(same)
            matrix = data[offsets[rows][:, None] + np.arange(length)]
        values, ok = _layout_values(matrix, seps, fields)
        out[rows[ok]] = values[ok]
        left[rows[ok]] = False
    return np.flatnonzero(left)


def parse_datetime_text(text, z_local: bool = False) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Vectorised date parsing of a text column (array or chunked array).

    The common layouts are decoded from the bytes or by pyarrow; the other forms
    (``HH:mm, dd/mm/yyyy``, ``08 giờ 15 phút, ngày 03/03/2025``, ISO with a zone...)
    are parsed once per distinct text (:func:`parse_date_text`).

    Returns:
        (values as datetime64[us] with NaT, positions that could not be read, reasons).
    """
    out = np.full(len(text), NAT)
    remaining = _fixed_width_dates(text, out)
    if remaining.size:
        rest = np.full(remaining.size, NAT)
        left = _fast_dates(text.take(pa.array(remaining)), rest)
        out[remaining] = rest
        remaining = remaining[left]
    bad: list[int] = []
    reasons: list[str] = []
    if not remaining.size:
        return out, np.asarray(bad, dtype=np.int64), reasons
    remaining = np.sort(remaining)
    picked = text.take(pa.array(remaining))
    distinct = _distinct(picked, lambda value: parse_date_text(value, z_local))
    results = distinct.results
    stamps = distinct.per_row(
        [np.datetime64(r, "us") if isinstance(r, datetime) else NAT for r in results],
        "datetime64[us]",
    )
    failed = distinct.per_row([isinstance(r, str) for r in results], bool) & distinct.valid
    good = distinct.valid & ~np.isnat(stamps)
    out[remaining[good]] = stamps[good]
    for i in np.flatnonzero(failed):  # the bad cells only
        bad.append(int(remaining[i]))
        reasons.append(f"Ngày không hợp lệ: {results[distinct.index[i]]}")
    return out, np.asarray(bad, dtype=np.int64), reasons


def _compact_numbers(numbers: np.ndarray) -> np.ndarray:
    """Number cells written ``yyyyMMddHHmmss`` or ``yyyyMMdd`` as datetimes (else NaT)."""
    out = np.full(numbers.shape, NAT)
    for low, high, width in ((19000101, 21001231, 8), (19000101000000, 21001231235959, 14)):
        hit = np.flatnonzero((numbers >= low) & (numbers <= high) & (numbers == np.floor(numbers)))
        for i in hit:
            result = parse_date_text(f"{int(numbers[i]):0{width}d}")
            if isinstance(result, datetime):
                out[i] = np.datetime64(result, "us")
    return out


def parse_datetimes(cells: Cells, date_only: bool = False, z_local: bool = False) -> Parsed:
    """A date/time column: date cells, Excel serial numbers and text dates.

    Args:
        cells: The raw column.
        date_only: Drop the time of day (``_on`` columns hold midnight).
        z_local: A trailing ``Z`` is local time (see :func:`parse_date_text`).

    Returns:
        :class:`Parsed` with a datetime64[us] numpy array.
    """
    problems = _Problems()
    notes: list[str] = []
    out = np.full(cells.n, NAT)
    if cells.datetimes is not None:
        has = ~np.isnat(cells.datetimes)
        out[has] = cells.datetimes[has]
    if cells.numbers is not None:
        has = np.flatnonzero(~np.isnan(cells.numbers))
        if has.size:
            converted = _serial_to_datetime(cells.numbers[has])
            compact = np.isnat(converted) & (cells.numbers[has] >= 19000101)
            if compact.any():
                converted[compact] = _compact_numbers(cells.numbers[has][compact])
            ok = ~np.isnat(converted)
            out[has[ok]] = converted[ok]
            fake = ~ok & (np.floor(cells.numbers[has]) == EXCEL_FAKE_LEAP_DAY)
            problems.add(has[fake], f"Ngày không hợp lệ: {FAKE_LEAP_DAY_REASON}")
            problems.add(
                has[~ok & ~fake],
                f"Ô số không phải ngày (số ngày kiểu Excel phải từ {SERIAL_MIN} đến {SERIAL_MAX})",
            )
            ok &= ~compact
            if ok.any():
                notes.append(
                    f"{int(ok.sum())} ô là số, đã hiểu là số ngày kiểu Excel (định dạng ô là số thay vì ngày)."
                )
    if cells.booleans is not None:
        problems.add(np.flatnonzero(cells.booleans >= 0), "Ô đúng/sai không phải ngày")
    _other_cells(cells, problems, "ngày")
    if cells.text is not None and cells.text.null_count < cells.n:
        values, bad, reasons = parse_datetime_text(cells.text, z_local)
        has = ~np.isnat(values)
        out[has] = values[has]
        problems.add(bad, reasons)
    if date_only:
        out = out.astype("datetime64[D]").astype("datetime64[us]")
    return problems.result(out, notes)


# --- Numbers --------------------------------------------------------------------------

_CURRENCY = re.compile(r"\s*(?:vnđ|vnd|đồng|đ)\.?$", re.IGNORECASE)
_VN_GROUPED = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_VN_DECIMAL = re.compile(r"[+-]?\d+,\d+")
_EN_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_PLAIN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


INFINITE_REASON = "Số vô hạn hoặc quá lớn (vượt khả năng biểu diễn số), không phải một giá trị đo"


def parse_number_text(text: str) -> float | str:
    """Read one number text; return the number, or a Vietnamese reason why not."""
    value = _CURRENCY.sub("", nfc(text).strip())
    value = re.sub(r"[\s\u00a0\u202f]", "", value)
    if _VN_GROUPED.fullmatch(value):
        return float(value.replace(".", "").replace(",", "."))
    if _VN_DECIMAL.fullmatch(value):
        return float(value.replace(",", "."))
    if _EN_GROUPED.fullmatch(value):
        return float(value.replace(",", ""))
    if _PLAIN.fullmatch(value):
        return float(value)
    return "không đọc được số (ví dụ hợp lệ: 1.234,5 hoặc 1234)"


def parse_numbers(cells: Cells, integer: bool = False) -> Parsed:
    """A number column.

    Returns:
        :class:`Parsed` whose values are a float64 array (NaN = missing), or for
        ``integer`` a ``(int64 values, missing mask)`` pair.
    """
    problems = _Problems()
    out = np.full(cells.n, np.nan)
    if cells.numbers is not None:
        has = ~np.isnan(cells.numbers)
        out[has] = cells.numbers[has]
    if cells.booleans is not None:
        problems.add(np.flatnonzero(cells.booleans >= 0), "Ô đúng/sai không phải số")
    if cells.datetimes is not None:
        problems.add(np.flatnonzero(~np.isnat(cells.datetimes)), "Ô ngày tháng không phải số")
    _other_cells(cells, problems, "số")
    if cells.text is not None and cells.text.null_count < cells.n:
        distinct = _distinct(cells.text, parse_number_text)
        results = distinct.results
        got = distinct.per_row([r if isinstance(r, float) else np.nan for r in results], float)
        failed = distinct.per_row([not isinstance(r, float) for r in results], bool)
        failed &= distinct.valid
        ok = distinct.valid & ~failed
        out[ok] = got[ok]
        bad = np.flatnonzero(failed)
        problems.add(bad, [f"Số không hợp lệ: {results[distinct.index[i]]}" for i in bad])
    infinite = np.isinf(out)
    if infinite.any():
        problems.add(np.flatnonzero(infinite), INFINITE_REASON)
        out[infinite] = np.nan
    if not integer:
        return problems.result(out)
    missing = np.isnan(out)
    fractional = ~missing & ((np.abs(out) >= 2**62) | (out != np.floor(out)))
    problems.add(np.flatnonzero(fractional), "Không phải số nguyên")
    missing |= fractional
    values = np.where(missing, 0, out).astype(np.int64)
    return problems.result((values, missing))


# --- Booleans -------------------------------------------------------------------------

_TRUE = ("có", "x", "1", "1.0", "true", "yes", "y", "đúng", "đã", "✓", "✔", "v")
_FALSE = ("không", "ko", "k", "0", "0.0", "false", "no", "n", "sai", "chưa", "-")
_MARKS = frozenset({"x", "✓", "✔", "v"})
_BOOL_LOOKUP = {**dict.fromkeys(_FALSE, False), **dict.fromkeys(_TRUE, True)}
_BOOL_LOOKUP_ASCII = {fold_ascii(k): v for k, v in _BOOL_LOOKUP.items()}
BOOLEAN_TEXTS = "Có/Không, x/để trống, 1/0, true/false, yes/no, đúng/sai, đã/chưa"


def _bool_of(text: str) -> bool | None:
    key = fold(text)
    if key in _BOOL_LOOKUP:
        return _BOOL_LOOKUP[key]
    return _BOOL_LOOKUP_ASCII.get(fold_ascii(text))


def parse_booleans(cells: Cells) -> Parsed:
    """A yes/no column.

    Returns:
        :class:`Parsed` with a ``(bool values, missing mask)`` pair.
    """
    problems = _Problems()
    notes: list[str] = []
    values = np.zeros(cells.n, dtype=bool)
    missing = np.ones(cells.n, dtype=bool)
    invalid = f"dùng {BOOLEAN_TEXTS}"
    if cells.booleans is not None:
        has = cells.booleans >= 0
        values[has] = cells.booleans[has] == 1
        missing[has] = False
    if cells.numbers is not None:
        has = ~np.isnan(cells.numbers)
        ok = has & np.isin(cells.numbers, (0.0, 1.0))
        values[ok] = cells.numbers[ok] == 1.0
        missing[ok] = False
        problems.add(np.flatnonzero(has & ~ok), f"Giá trị đúng/sai không hợp lệ ({invalid})")
    if cells.datetimes is not None:
        problems.add(np.flatnonzero(~np.isnat(cells.datetimes)), "Ô ngày tháng không phải Có/Không")
    _other_cells(cells, problems, "Có/Không")
    if cells.text is None or cells.text.null_count == cells.n:
        return problems.result((values, missing))
    distinct = _distinct(cells.text, _bool_of)
    known = distinct.per_row([r is not None for r in distinct.results], bool) & distinct.valid
    truth = distinct.per_row([bool(r) for r in distinct.results], bool)
    values[known] = truth[known]
    missing[known] = False
    bad = np.flatnonzero(distinct.valid & ~known)
    problems.add(
        bad,
        [
            f"Giá trị đúng/sai '{distinct.dictionary[distinct.index[i]]}' không hợp lệ ({invalid})"
            for i in bad
        ],
    )
    used = {
        fold(text)
        for text, result in zip(distinct.dictionary, distinct.results, strict=True)
        if result is not None
    }
    only_marks = used and used <= _MARKS and cells.booleans is None and cells.numbers is None
    if only_marks and bad.size == 0:
        blank = missing & ~distinct.valid
        if blank.any():
            values[blank] = False
            missing[blank] = False
            notes.append("Cột chỉ đánh dấu «x»: ô để trống được hiểu là Không.")
    return problems.result((values, missing), notes)


# --- Codes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeLookup:
    """Folded text -> code, for one coded column (built-in texts plus user aliases)."""

    exact: Mapping[str, str]
    ascii: Mapping[str, str]
    labels: tuple[str, ...]

    def find(self, text: str) -> str | None:
        """The code ``text`` means, or ``None``."""
        code = self.exact.get(fold(text))
        if code is None:
            code = self.ascii.get(fold_ascii(text))
        return code


def code_lookup(
    codes: Mapping[str, Sequence[str]], aliases: Mapping[str, Sequence[str]] | None = None
) -> CodeLookup:
    """Build the lookup of a coded column.

    User aliases come first, so that they win over a built-in text; a text without
    diacritics that would mean two codes is only accepted with its diacritics.
    """
    exact: dict[str, str] = {}
    ascii_map: dict[str, str | None] = {}
    pairs = [(code, text) for code, texts in (aliases or {}).items() for text in texts]
    pairs += [(code, text) for code, texts in codes.items() for text in (code, *texts)]
    for code, text in pairs:
        exact.setdefault(fold(text), code)
        key = fold_ascii(text)
        if key in ascii_map and ascii_map[key] != code:
            ascii_map[key] = None
        else:
            ascii_map.setdefault(key, code)
    clean_ascii = {k: v for k, v in ascii_map.items() if v is not None}
    labels = tuple(texts[0] if texts else code for code, texts in codes.items())
    return CodeLookup(exact, clean_ascii, labels)


_YEAR_SUFFIX = re.compile(r"(?:\s*[/\-–]\s*|\s+năm\s+|\s+)(?:19|20)\d{2}$", re.IGNORECASE)


def parse_codes(
    cells: Cells, lookup: CodeLookup, column_label: str, strip_year: bool = False
) -> Parsed:
    """A coded column: pyarrow string array of codes.

    Args:
        cells: The raw column.
        lookup: From :func:`code_lookup`.
        column_label: Vietnamese column label for the reasons.
        strip_year: Also accept the text followed by a year (``Quý I/2025``).
    """
    problems = _Problems()
    text = cell_text(cells)
    if text.null_count == len(text):
        return Parsed(pa.nulls(len(text), pa.large_string()))

    def convert(value: str) -> str | None:
        code = lookup.find(value)
        if code is None and strip_year:
            stripped = _YEAR_SUFFIX.sub("", nfc(value).strip())
            if stripped != value:
                code = lookup.find(stripped)
        return code

    distinct = _distinct(text, convert)
    mapped = pa.array(distinct.results, type=pa.large_string())
    values = mapped.take(pa.array(distinct.index)) if len(mapped) else mapped
    values = pc.if_else(pa.array(distinct.valid), values, pa.scalar(None, pa.large_string()))
    failed = distinct.valid & ~_valid_mask(values)
    bad = np.flatnonzero(failed)
    if bad.size:
        accepted = ", ".join(lookup.labels)
        problems.add(
            bad,
            [
                f"Giá trị '{distinct.dictionary[distinct.index[i]]}' không có trong danh mục "
                f"của cột {column_label}; giá trị hợp lệ: {accepted}"
                for i in bad
            ],
        )
    return problems.result(values)


# --- Periods (YYYY-MM) ----------------------------------------------------------------

_PERIOD_MY = re.compile(r"(?:thang|t)?\s*(\d{1,2})\s*(?:[/.\-]|\s+nam\s+|\s*/\s*nam\s+)\s*(\d{4})")
_PERIOD_YM = re.compile(r"(\d{4})\s*[/.\-]\s*(\d{1,2})")


_PERIOD_QUARTER = re.compile(
    r"(?:quy|q)\s*(iv|iii|ii|i|[1-4])\s*(?:[/.\-]|\s+nam\s+|\s*/\s*nam\s+)\s*(\d{4})"
    r"|(\d{4})\s*-\s*q([1-4])"
)
_PERIOD_YEAR = re.compile(r"(?:nam\s*)?(\d{4})")
_QUARTER_NUMBER = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _quarter_or_year(key: str) -> str | None:
    """``YYYY-Qn`` or ``YYYY`` from folded text (Quý III/2025, Q3/2025, Năm 2025), else None."""
    match = _PERIOD_QUARTER.fullmatch(key)
    if match:
        if match.group(2):
            quarter = _QUARTER_NUMBER.get(match.group(1)) or int(match.group(1))
            return f"{match.group(2)}-Q{quarter}"
        return f"{match.group(3)}-Q{match.group(4)}"
    match = _PERIOD_YEAR.fullmatch(key)
    return match.group(1) if match else None


def parse_period_text(text: str) -> str | tuple[str]:
    """Read one period text; a 1-tuple holds the reason why not.

    A month gives ``YYYY-MM``; a quarter (``Quý III/2025``, ``Q3/2025``, ``2025-Q3``)
    ``YYYY-Qn`` and a year (``Năm 2025``, ``2025``) ``YYYY``: a quarter's or a year's
    766 score is kept as such, never as the score of one of its months.
    """
    key = fold_ascii(text).strip()
    other = _quarter_or_year(key)
    if other is not None:
        year = int(other[:4])
        if not YEAR_MIN <= year <= YEAR_MAX:
            return (f"năm {year} nằm ngoài khoảng {YEAR_MIN}–{YEAR_MAX}",)
        return other
    match = _PERIOD_MY.fullmatch(key)
    if match:
        month, year = int(match.group(1)), int(match.group(2))
    else:
        match = _PERIOD_YM.fullmatch(key)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
        else:
            as_date = parse_date_text(text)
            if isinstance(as_date, str):
                return (
                    "không đọc được kỳ (ví dụ hợp lệ: 03/2025, Tháng 3/2025, 2025-03, "
                    "Quý III/2025, Năm 2025)",
                )
            year, month = as_date.year, as_date.month
    if not 1 <= month <= 12:
        return (f"tháng {month} không tồn tại",)
    if not YEAR_MIN <= year <= YEAR_MAX:
        return (f"năm {year} nằm ngoài khoảng {YEAR_MIN}–{YEAR_MAX}",)
    return f"{year:04d}-{month:02d}"


def parse_periods(cells: Cells) -> Parsed:
    """A month column (``YYYY-MM`` text): pyarrow string array."""
    problems = _Problems()
    values: list[str | None] = [None] * cells.n
    if cells.datetimes is not None:
        for i in np.flatnonzero(~np.isnat(cells.datetimes)):
            ts = cells.datetimes[i].astype("datetime64[us]").item()
            values[i] = f"{ts.year:04d}-{ts.month:02d}"
    if cells.numbers is not None:
        problems.add(
            np.flatnonzero(~np.isnan(cells.numbers)),
            "Ô số không phải tháng (ghi dạng 03/2025)",
        )
    if cells.booleans is not None:
        problems.add(np.flatnonzero(cells.booleans >= 0), "Ô đúng/sai không phải tháng")
    _other_cells(cells, problems, "tháng")
    if cells.text is not None and cells.text.null_count < cells.n:
        texts = cells.text.to_pylist()
        cache: dict[str, str | tuple[str]] = {}
        bad, reasons = [], []
        for i, text in enumerate(texts):
            if text is None or not text.strip():
                continue
            result = cache.get(text)
            if result is None:
                result = cache[text] = parse_period_text(text)
            if isinstance(result, tuple):
                bad.append(i)
                reasons.append(f"Kỳ không hợp lệ: {result[0]}")
            else:
                values[i] = result
        problems.add(bad, reasons)
    return problems.result(pa.array(values, type=pa.large_string()))
