"""Matching a file's headers to canonical columns, and recognising the dataset.

Rules (``data-model.md``): a header matches a column when its :func:`~tthc_analysis.text.fold`
(NFC, zero-width characters removed, whitespace trimmed and collapsed, case folded) equals
the fold of one of the column's accepted headers (:attr:`Field.accepted_headers`, the
canonical name, and the user's ``header_aliases`` of ``tthc.yaml``); failing that, the same
comparison without diacritics (``Ma ho so``). Deterministic choices:

- A user alias wins over a built-in header (the user can re-assign a header).
- A header that could mean two columns of the dataset (only possible through user
  aliases or diacritic-free matching) goes to the first column in field order, with a
  warning.
- Two headers of a file matching the same column: the leftmost is used, the other is
  ignored with a warning.
- Headers matching no column are ignored (one warning per file), never an error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from tthc_analysis.config import Settings
from tthc_analysis.errors import TthcError
from tthc_analysis.fields import DATASETS, dataset_fields
from tthc_analysis.text import fold, fold_ascii, nfc

__all__ = [
    "HeaderIndex",
    "HeaderMatch",
    "accepted_headers",
    "header_index",
    "header_text",
    "match_headers",
    "rank_datasets",
]


def header_text(cell: object) -> str:
    """A header cell as NFC text (numbers without ``.0``; empty cell -> ``""``)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return nfc(str(cell)).strip()


@dataclass(frozen=True)
class HeaderIndex:
    """Folded header -> canonical column, for one dataset."""

    dataset: str
    exact: Mapping[str, str]
    ascii: Mapping[str, str]
    ambiguous: Mapping[str, tuple[str, ...]]
    """Folded headers that could mean several columns (first one is used)."""

    def lookup(self, header: str) -> tuple[str | None, tuple[str, ...]]:
        """(column, other candidate columns) for a header."""
        key = fold(header)
        if key in self.exact:
            return self.exact[key], self.ambiguous.get(key, ())
        key_ascii = fold_ascii(header)
        column = self.ascii.get(key_ascii)
        return column, self.ambiguous.get(key_ascii, ()) if column else ()


def _aliases_key(settings: Settings | None, dataset: str) -> str:
    aliases = (settings.header_aliases if settings else {}).get(dataset, {})
    return json.dumps(aliases, sort_keys=True, ensure_ascii=False)


def header_index(dataset: str, settings: Settings | None = None) -> HeaderIndex:
    """The header index of ``dataset`` including the user's ``header_aliases``."""
    return _header_index(dataset, _aliases_key(settings, dataset))


@lru_cache(maxsize=64)
def _header_index(dataset: str, aliases_json: str) -> HeaderIndex:
    user: dict[str, list[str]] = json.loads(aliases_json)
    fields = dataset_fields(dataset)
    for column, headers in user.items():
        if column not in fields:
            raise TthcError(
                f"Cấu hình header_aliases: bộ dữ liệu {dataset} không có cột «{column}».",
                hint="Các cột: " + ", ".join(fields),
            )
        if isinstance(headers, str) or not isinstance(headers, Sequence):
            raise TthcError(
                f"Cấu hình header_aliases.{dataset}.{column} phải là một danh sách tên cột."
            )
    order = {name: i for i, name in enumerate(fields)}
    user_pairs = sorted(((c, h) for c, hs in user.items() for h in hs), key=lambda p: order[p[0]])
    pairs = [*user_pairs]
    pairs += [(f.name, h) for f in fields.values() for h in (*f.accepted_headers, f.name)]
    exact: dict[str, str] = {}
    ascii_map: dict[str, str] = {}
    candidates: dict[str, list[str]] = {}
    for column, header in pairs:
        for key, table in ((fold(header), exact), (fold_ascii(header), ascii_map)):
            table.setdefault(key, column)
            seen = candidates.setdefault(key, [])
            if column not in seen:
                seen.append(column)
    user_columns: dict[str, set[str]] = {}
    for column, header in user_pairs:
        for key in (fold(header), fold_ascii(header)):
            user_columns.setdefault(key, set()).add(column)
    # A user alias re-assigning a built-in header is intended, not ambiguous; two user
    # aliases of different columns with the same text are.
    ambiguous = {
        k: tuple(v[1:])
        for k, v in candidates.items()
        if len(v) > 1 and len(user_columns.get(k, ())) != 1
    }
    return HeaderIndex(dataset, exact, ascii_map, ambiguous)


def accepted_headers(dataset: str, column: str, settings: Settings | None = None) -> list[str]:
    """Every header accepted for ``column`` (built-in, canonical name, user aliases)."""
    f = dataset_fields(dataset)[column]
    user = (settings.header_aliases if settings else {}).get(dataset, {}).get(column, [])
    out: list[str] = []
    for header in (*f.accepted_headers, *user, f.name):
        if header not in out:
            out.append(header)
    return out


@dataclass(frozen=True)
class HeaderMatch:
    """How the headers of one file map to the columns of one dataset.

    Attributes:
        dataset: The dataset.
        positions: Canonical column -> position of its column in the file.
        headers: Canonical column -> the header as written in the file.
        ignored: Headers matching no column (in file order).
        notes: Vietnamese notes (duplicate or ambiguous headers).
        missing_required: Required columns not found.
    """

    dataset: str
    positions: Mapping[str, int]
    headers: Mapping[str, str]
    ignored: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    missing_required: tuple[str, ...] = ()

    @property
    def n_matched(self) -> int:
        """Number of canonical columns found."""
        return len(self.positions)

    @property
    def complete(self) -> bool:
        """All required columns are present."""
        return not self.missing_required

    @property
    def score(self) -> tuple[int, int]:
        """Sort key: complete matches first, then the number of columns found."""
        return (int(self.complete), self.n_matched)


def match_headers(
    headers: Sequence[object], dataset: str, settings: Settings | None = None
) -> HeaderMatch:
    """Match the header cells of a file (in order) to the columns of ``dataset``."""
    index = header_index(dataset, settings)
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    ignored: list[str] = []
    notes: list[str] = []
    for position, cell in enumerate(headers):
        text = header_text(cell)
        if not text:
            continue
        column, others = index.lookup(text)
        if column is None:
            ignored.append(text)
            continue
        if others:
            notes.append(
                f"Tiêu đề «{text}» có thể là cột {', '.join((column, *others))}; đã dùng cho {column}."
            )
        if column in positions:
            notes.append(
                f"Hai cột cùng nghĩa «{written[column]}» và «{text}» ({column}): "
                f"dùng cột «{written[column]}» (bên trái), bỏ qua cột «{text}»."
            )
            continue
        positions[column] = position
        written[column] = text
    fields = dataset_fields(dataset)
    missing = tuple(n for n, f in fields.items() if f.required and n not in positions)
    return HeaderMatch(dataset, positions, written, tuple(ignored), tuple(notes), missing)


@dataclass(frozen=True)
class Ranking:
    """Header matches of one header row against several datasets, best first."""

    matches: tuple[HeaderMatch, ...] = field(default_factory=tuple)

    @property
    def best(self) -> HeaderMatch | None:
        """The best match, or ``None``."""
        return self.matches[0] if self.matches else None

    @property
    def tied(self) -> tuple[HeaderMatch, ...]:
        """Complete matches with the same score as the best (ambiguous if more than one)."""
        best = self.best
        if best is None or not best.complete:
            return ()
        return tuple(m for m in self.matches if m.score == best.score)


def rank_datasets(
    headers: Sequence[object],
    candidates: Iterable[str] | None = None,
    settings: Settings | None = None,
) -> Ranking:
    """Match ``headers`` against each candidate dataset; best first (stable order)."""
    names = list(candidates) if candidates is not None else list(DATASETS)
    matches = [match_headers(headers, name, settings) for name in names]
    order = sorted(
        range(len(matches)), key=lambda i: (-matches[i].score[0], -matches[i].score[1], i)
    )
    return Ranking(tuple(matches[i] for i in order))
