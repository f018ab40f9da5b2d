"""Form 06/VPCP/KSTT written to a file (``.xlsx`` or ``.csv``).

The table and its layout come from :mod:`tthc_analysis.metrics.form06` (no file I/O
there); this module only writes them, for ``tthc form06`` and the review build.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tthc_analysis.errors import ParameterError
from tthc_analysis.metrics.form06 import DEFAULT_AGENCY, form06_csv_frame, form06_sheet
from tthc_analysis.periods import Period
from tthc_analysis.xlsx import write_xlsx

__all__ = ["write_form06"]


def write_form06(
    frame: pd.DataFrame,
    period: Period,
    path: str | Path,
    agency: str = DEFAULT_AGENCY,
) -> Path:
    """Write a form 06 table to ``path`` (``.xlsx`` or ``.csv``); return the path.

    The xlsx is :func:`tthc_analysis.metrics.form06.form06_sheet`; the CSV is
    :func:`tthc_analysis.metrics.form06.form06_csv_frame`, UTF-8 with BOM, LF line ends.
    Identical input gives identical bytes.

    Raises:
        ParameterError: the extension is neither ``.xlsx`` nor ``.csv``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        path.parent.mkdir(parents=True, exist_ok=True)
        flat = form06_csv_frame(frame, period)
        path.write_bytes(flat.to_csv(index=False, lineterminator="\n").encode("utf-8-sig"))
        return path
    if suffix != ".xlsx":
        raise ParameterError(
            f"Không ghi được biểu 06 ra tệp «{path.name}».",
            hint="Dùng phần mở rộng .xlsx hoặc .csv.",
        )
    return write_xlsx(path, form06_sheet(frame, period, agency))
