"""Refusing "zip bombs": small workbooks that unpack to hundreds of megabytes.

An ``.xlsx``/``.xlsm``/``.ods``/``.docx`` file is a zip archive; a hostile or broken one
can hold a few hundred kilobytes that unpack to gigabytes, which a reader would then
hold in memory. :func:`check_unpacked_size` reads only the archive's table of contents
and refuses a file that unpacks to more than ``loading.max_unpacked_mb`` or, above
:data:`RATIO_FLOOR_BYTES`, more than ``loading.max_unpack_ratio`` times its own size (both in the
settings). Every reader of zip-based inputs calls it before opening the file.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from tthc_analysis.errors import InputFileError
from tthc_analysis.text import format_number

__all__ = ["RATIO_FLOOR_BYTES", "check_unpacked_size", "unpacked_size"]

RATIO_FLOOR_BYTES = 50 * 1024 * 1024
"""Below this many unpacked bytes the compression ratio is not judged (a small
workbook of empty styled cells compresses very well and harms nobody)."""

_MB = 1024 * 1024


def unpacked_size(path: str | Path) -> tuple[int, int] | None:
    """(unpacked bytes, file bytes) of a zip archive, from its table of contents.

    ``None`` if ``path`` is not a zip archive.
    """
    path = Path(path)
    try:
        if not zipfile.is_zipfile(path):
            return None
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(max(info.file_size, 0) for info in archive.infolist())
        return unpacked, path.stat().st_size
    except (OSError, zipfile.BadZipFile, ValueError):
        return None  # the reader reports an unreadable file in its own words


def check_unpacked_size(
    path: str | Path,
    settings=None,
    *,
    display: str | None = None,
) -> None:
    """Refuse a zip-based file that unpacks to too much (see the module docstring).

    Args:
        path: The file (anything that is not a zip archive passes).
        settings: :class:`tthc_analysis.config.Settings` (default: the bundled ones).
        display: How to name the file in the message (default: ``path``).

    Raises:
        InputFileError: the archive unpacks to more than the limits allow.
    """
    sizes = unpacked_size(path)
    if sizes is None:
        return
    if settings is None:
        from tthc_analysis.config import load_settings

        settings = load_settings()
    unpacked, packed = sizes
    limit = settings.loading.max_unpacked_mb * _MB
    ratio = unpacked / max(packed, 1)
    too_big = unpacked > limit
    too_dense = unpacked > RATIO_FLOOR_BYTES and ratio > settings.loading.max_unpack_ratio
    if not (too_big or too_dense):
        return
    mb = format_number(unpacked / _MB, 0)
    if too_big:
        why = f"vượt giới hạn {format_number(settings.loading.max_unpacked_mb)} MB"
    else:
        why = (
            f"gấp {format_number(ratio, 0)} lần kích thước tệp, vượt giới hạn "
            f"{format_number(settings.loading.max_unpack_ratio)} lần"
        )
    raise InputFileError(
        f"Tệp nén bất thường: giải nén ra khoảng {mb} MB ({why}); không đọc để tránh làm "
        "cạn bộ nhớ.",
        file=display or path,
        hint="Mở tệp bằng Excel để kiểm tra; nếu đúng là dữ liệu thật, tách thành nhiều tệp "
        "nhỏ hoặc lưu dạng CSV, hoặc nâng loading.max_unpacked_mb / loading.max_unpack_ratio trong tthc.yaml.",
    )
