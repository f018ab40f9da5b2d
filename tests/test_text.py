"""Vietnamese text helpers."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tthc_analysis.text import (
    fold,
    fold_ascii,
    format_date,
    format_number,
    format_percent,
    vi_sorted,
)


def test_fold_matches_case_space_and_nfd():
    variants = [
        "Mã hồ sơ",
        "MÃ HỒ SƠ",
        " mã\u00a0 hồ  sơ ",
        unicodedata.normalize("NFD", "Mã hồ sơ"),
        "Mã\u200b hồ sơ",
    ]
    assert {fold(v) for v in variants} == {"mã hồ sơ"}
    assert fold_ascii("Đơn vị xử lý") == "don vi xu ly"


def test_vietnamese_collation_order():
    names = [
        "Ơn",
        "Ô Môn",
        "Ong",
        "Hưng Yên",
        "Hà Giang",
        "Điện Biên",
        "Đà Nẵng",
        "Dak Lak",
        "Ân Thi",
        "Ăn Uống",
        "Anh Sơn",
    ]
    expected = [
        "Anh Sơn",
        "Ăn Uống",
        "Ân Thi",
        "Dak Lak",
        "Đà Nẵng",
        "Điện Biên",
        "Hà Giang",
        "Hưng Yên",
        "Ong",
        "Ô Môn",
        "Ơn",
    ]
    assert vi_sorted(names) == expected
    assert vi_sorted([unicodedata.normalize("NFD", n) for n in names]) == [
        unicodedata.normalize("NFD", n) for n in expected
    ]


def test_number_and_date_formats():
    from datetime import date

    assert format_number(1234.5, 1) == "1.234,5"
    assert format_number(1234567) == "1.234.567"
    assert format_percent(0.853) == "85,3%"
    assert format_percent(None) == "–"
    assert format_date(date(2025, 4, 26)) == "26/04/2025"


def test_negative_numbers_take_the_minus_sign_and_zero_has_no_sign():
    assert format_number(-1234.5, 1) == "\u22121.234,5"
    assert format_number(-7.303819, 2) == "\u22127,30"
    assert format_percent(-0.153) == "\u221215,3%"
    # values that round to zero are written without a sign
    assert format_number(-0.04, 1) == "0,0"
    assert format_number(-0.0) == "0"
    assert format_percent(-0.0004) == "0,0%"


@given(st.text())
def test_fold_is_idempotent(s):
    assert fold(fold(s)) == fold(s)


@given(st.floats(-1e9, 1e9, allow_nan=False), st.integers(0, 3))
def test_formatted_numbers_read_back_to_the_rounded_value(value, decimals):
    text = format_number(value, decimals)
    assert "-" not in text
    back = float(text.replace(".", "").replace(",", ".").replace("\u2212", "-"))
    assert back == round(value, decimals) or abs(back - value) <= 0.5 * 10**-decimals + 1e-6
    assert text.startswith("\u2212") == (back < 0)
