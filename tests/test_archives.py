"""A small workbook that unpacks to hundreds of megabytes is refused before it is read.

Limits from the settings (``max_unpacked_mb``, ``max_unpack_ratio``); the check reads the
archive's table of contents only (``tthc_analysis.archives``) and is called by every
reader of zip-based inputs the review uses besides the data loaders (the plan tables).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tthc_analysis.archives import check_unpacked_size, unpacked_size
from tthc_analysis.config import load_settings
from tthc_analysis.errors import InputFileError
from tthc_analysis.plan import parse_plan

MB = 1024 * 1024


def _workbook(path: Path, sheet_mb: int) -> Path:
    """An .xlsx-shaped zip whose sheet XML unpacks to ``sheet_mb`` MB of zeros."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with zf.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b"0" * MB
            for _ in range(sheet_mb):
                sheet.write(block)
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    return _workbook(tmp_path_factory.mktemp("bomb") / "ke_hoach.xlsx", 200)


def test_a_small_workbook_unpacking_to_hundreds_of_mb_is_refused(bomb):
    unpacked, packed = unpacked_size(bomb)
    assert unpacked == 200 * MB + len('<?xml version="1.0"?><Types/>')
    assert packed < 1 * MB  # a few hundred kilobytes on disk
    with pytest.raises(InputFileError) as error:
        check_unpacked_size(bomb)
    message = str(error.value)
    assert "Tệp nén bất thường: giải nén ra khoảng 200 MB" in message
    assert "vượt giới hạn 100 lần" in message  # max_unpack_ratio of the settings
    assert f"Tệp: {bomb}" in message and "max_unpacked_mb" in message


def test_the_plan_reader_refuses_it_before_unpacking(bomb):
    with pytest.raises(InputFileError, match="Tệp nén bất thường"):
        parse_plan(bomb)


def test_the_limits_come_from_the_settings(tmp_path):
    workbook = _workbook(tmp_path / "nho.xlsx", 3)
    settings = load_settings()
    assert (settings.loading.max_unpacked_mb, settings.loading.max_unpack_ratio) == (1024, 100)
    check_unpacked_size(workbook, settings)  # 3 MB: under both limits (ratio judged > 50 MB)
    strict = settings.model_copy(
        update={"loading": settings.loading.model_copy(update={"max_unpacked_mb": 2})}
    )
    with pytest.raises(InputFileError, match="vượt giới hạn 2 MB"):
        check_unpacked_size(workbook, strict, display="du_lieu/nho.xlsx")


def test_files_that_are_not_zip_archives_pass(tmp_path):
    text = tmp_path / "ke_hoach.csv"
    text.write_text("a,b\n1,2\n", encoding="utf-8")
    assert unpacked_size(text) is None
    check_unpacked_size(text)
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    check_unpacked_size(broken)  # the reader reports it in its own words
