"""Typed entry points to the parts of pyarrow and pandas whose API is built at run time.

- ``pyarrow.compute`` creates its kernels (``pc.if_else``, ``pc.match_substring``...) when it
  is imported, so a static checker cannot see them and pyarrow ships no stubs for them. The
  modules import ``pc`` from here: the same module object, declared ``Any`` once.
- ``DataFrame.itertuples`` yields named tuples whose fields are the frame's columns; their
  types depend on the data, so pandas' stubs type every field as "any scalar". :func:`rows`
  yields the same tuples, typed ``Any``, for loops that read a frame row by row.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pyarrow.compute

__all__ = ["pc", "rows"]

pc: Any = pyarrow.compute
"""The ``pyarrow.compute`` module (its functions are generated at import time)."""


def rows(frame: pd.DataFrame) -> Iterator[Any]:
    """Yield the rows of ``frame`` as named tuples (``frame.itertuples(index=False)``).

    Args:
        frame: Any DataFrame whose column names are valid identifiers.

    Returns:
        An iterator of named tuples, one per row, with one field per column.
    """
    return frame.itertuples(index=False)
