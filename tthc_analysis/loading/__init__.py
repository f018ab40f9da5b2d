"""Vietnamese-aware loaders: raw exports (.xlsx/.xls/.ods, .csv, .parquet) to typed frames.

- :mod:`~tthc_analysis.loading.readers`: files to header-matched cells (encodings,
  delimiters, title rows, sheets, row numbers).
- :mod:`~tthc_analysis.loading.headers`: header matching and dataset recognition.
- :mod:`~tthc_analysis.loading.values`: vectorised parsing of dates, numbers, yes/no,
  codes and periods, with a Vietnamese reason for every bad cell.
- :mod:`~tthc_analysis.loading.datasets`: typed frames, pandera validation, rejected rows.

Notebooks usually call :func:`tthc_analysis.loading.ingest.load_tables` (cached); :func:`load`
reads a file or folder directly.
"""

from __future__ import annotations

from tthc_analysis.loading.datasets import (
    PERSONAL_PLACEHOLDER,
    REJECTED_COLUMNS,
    WARNING_COLUMNS,
    Loaded,
    load,
)
from tthc_analysis.loading.headers import accepted_headers, match_headers
from tthc_analysis.loading.readers import DATA_SUFFIXES, legacy_encoding

__all__ = [
    "DATA_SUFFIXES",
    "PERSONAL_PLACEHOLDER",
    "REJECTED_COLUMNS",
    "WARNING_COLUMNS",
    "Loaded",
    "accepted_headers",
    "legacy_encoding",
    "load",
    "match_headers",
]
