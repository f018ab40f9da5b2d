"""Value parsing rules: dates (never month-first), numbers, yes/no, codes, periods, text."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_analysis.fields import CHANNEL_CODES, REPORT_PERIOD_CODES
from tthc_analysis.loading import values as v


def text_cells(values):
    return v.cells_from_python(list(values))


def dt(values):
    return [None if np.isnat(x) else x.astype("datetime64[us]").item() for x in values]


# --- text ---------------------------------------------------------------------------------


def test_clean_text_nfc_trim_zero_width_and_empty():
    nfd = unicodedata.normalize("NFD", "Hồ sơ")
    raw = pa.array([nfd, "\u00a0 Phòng\u200b Khảo thí ", "   ", "", None, "abc"])
    assert v.clean_text(raw).to_pylist() == ["Hồ sơ", "Phòng Khảo thí", None, None, None, "abc"]


_TEXT_PIECES = st.sampled_from(
    [
        "Hồ sơ",
        unicodedata.normalize("NFD", "Phòng Khảo thí"),  # combining marks (0xCC/0xCD)
        "Nguyễn Thị Ánh",
        "\u200b",
        "\u200c",
        "\u200d",
        "\u2060",
        "\ufeff",
        "\u00a0",  # NBSP: not a suspect character (only trimmed)
        "\u2013",  # en dash: lead byte 0xE2 but no zero-width character
        "\u202f",
        "\uff01",  # lead byte 0xEF
        " ",
        "a",
        "",
    ]
)


@given(st.lists(st.lists(_TEXT_PIECES, max_size=6).map("".join), max_size=12))
@settings(max_examples=150, deadline=None)
def test_suspect_byte_check_in_place_agrees_with_the_bytes_check(texts):
    # The in-place check (C memmem), the numpy fallback and the reference bytes check
    # see the same thing; clean_text then equals the per-cell NFC + trim.
    raw = "".join(texts).encode("utf-8")
    data = np.frombuffer(raw, dtype=np.uint8)
    expected = v.has_suspect_bytes(raw)
    assert v._suspect_in(data) == expected
    assert v._suspect_in_numpy(data) == expected
    cleaned = v.clean_text(pa.array(texts, pa.large_string())).to_pylist()
    reference = []
    for text in texts:
        value = v.nfc(text).strip()
        reference.append(value or None)
    assert cleaned == reference


def test_suspect_byte_check_finds_each_sequence_anywhere():
    for sequence in v.SUSPECT_SEQUENCES:
        for raw in (sequence, b"abc" + sequence, "Hà Nội".encode() + sequence + b"x"):
            assert v._suspect_in(np.frombuffer(raw, dtype=np.uint8))
    for raw in (b"", b"abc", "Hồ sơ – Hà Nội\u00a0".encode(), b"\xe2\x80", b"\xef\xbb"):
        assert not v._suspect_in(np.frombuffer(raw, dtype=np.uint8))


def test_clean_text_leaves_clean_values_alone():
    raw = pa.array(["Hà Nội", "Hòa", "x"])
    assert v.clean_text(raw).to_pylist() == ["Hà Nội", "Hòa", "x"]


def test_strings_from_number_cells():
    cells = v.cells_from_python(["ABC", 12345.0, 1.00001, ""])
    assert v.parse_strings(cells).values.to_pylist() == ["ABC", "12345", "1.00001", None]
    # A procedure code typed as a number keeps its six decimals.
    assert v.parse_strings(cells, "procedure_code").values.to_pylist()[2] == "1.000010"


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01/02/2025", datetime(2025, 2, 1)),
        ("1/2/2025", datetime(2025, 2, 1)),
        ("13/02/2025", datetime(2025, 2, 13)),
        ("01/02/2025 08:30", datetime(2025, 2, 1, 8, 30)),
        ("01/02/2025 08:30:15", datetime(2025, 2, 1, 8, 30, 15)),
        ("01-02-2025", datetime(2025, 2, 1)),
        ("01.02.2025", datetime(2025, 2, 1)),
        ("2025-02-01", datetime(2025, 2, 1)),
        ("2025-02-01 08:30:15", datetime(2025, 2, 1, 8, 30, 15)),
        ("2025-02-01T08:30:15", datetime(2025, 2, 1, 8, 30, 15)),
        ("08:30 01/02/2025", datetime(2025, 2, 1, 8, 30)),
        ("29/02/2024", datetime(2024, 2, 29)),
        ("45689", datetime(2025, 2, 1)),  # Excel serial of 01/02/2025
        ("45689.5", datetime(2025, 2, 1, 12, 0)),
    ],
)
def test_date_text_is_day_first(text, expected):
    assert v.parse_date_text(text) == expected
    values, bad, _ = v.parse_datetime_text(pa.array([text]))
    assert bad.size == 0
    assert dt(values) == [expected]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("31/02/2025", "31/02/2025 không tồn tại"),
        ("29/02/2025", "29/02/2025 không tồn tại"),
        ("31/04/2025 08:00", "31/04/2025 không tồn tại"),
        ("02/13/2025", "tháng 13 không tồn tại"),
        ("32/01/2025", "32/01/2025 không tồn tại"),
        ("01/02/25", "2 chữ số"),
        ("01/02/0025", "nằm ngoài khoảng"),
        ("01/02/2025 25:00", "giờ không hợp lệ"),
        ("hôm qua", "không đọc được ngày"),
        ("123", "không phải ngày"),
    ],
)
def test_bad_dates_are_row_errors(text, fragment):
    result = v.parse_date_text(text)
    assert isinstance(result, str) and fragment in result
    values, bad, reasons = v.parse_datetime_text(pa.array(["01/01/2025", text]))
    assert bad.tolist() == [1]
    assert fragment in reasons[0]
    assert dt(values) == [datetime(2025, 1, 1), None]


def test_mixed_date_cells_text_serials_and_blanks():
    cells = v.cells_from_python(
        [
            datetime(2025, 3, 4, 9, 15),
            date(2025, 3, 5),
            "06/03/2025",
            "2025-03-07 10:00",
            45729.0,  # serial of 13/03/2025 (45689 = 01/02/2025, + 28 + 12 days)
            "",
            "31/03/2025 17:00",
            5.0,  # a number that cannot be a date
            time(8, 0),
        ]
    )
    parsed = v.parse_datetimes(cells)
    assert dt(parsed.values) == [
        datetime(2025, 3, 4, 9, 15),
        datetime(2025, 3, 5),
        datetime(2025, 3, 6),
        datetime(2025, 3, 7, 10, 0),
        datetime(2025, 3, 13),
        None,
        datetime(2025, 3, 31, 17, 0),
        None,
        None,
    ]
    assert parsed.bad.tolist() == [7, 8]
    assert any("số ngày kiểu Excel" in note for note in parsed.notes)


def test_date_only_drops_the_time():
    parsed = v.parse_datetimes(text_cells(["01/02/2025 08:30", "02/02/2025"]), date_only=True)
    assert dt(parsed.values) == [datetime(2025, 2, 1), datetime(2025, 2, 2)]


def _date_text(d, m, y, style, hh, mm):
    if style == "dmy":
        return f"{d:02d}/{m:02d}/{y}"
    if style == "dmy_short":
        return f"{d}/{m}/{y}"
    if style == "dmy_time":
        return f"{d:02d}/{m:02d}/{y} {hh:02d}:{mm:02d}"
    if style == "dmy_sec":
        return f"{d:02d}/{m:02d}/{y} {hh:02d}:{mm:02d}:{(d * 7) % 60:02d}"
    if style == "iso":
        return f"{y}-{m:02d}-{d:02d}"
    if style == "iso_min":
        return f"{y}-{m:02d}-{d:02d} {hh:02d}:{mm:02d}"
    if style == "iso_t":
        return f"{y}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:00"
    return f"{y}-{m:02d}-{d:02d} {hh:02d}:{mm:02d}:00"


date_texts = st.builds(
    _date_text,
    st.integers(1, 31),
    st.integers(1, 12),
    st.sampled_from([2023, 2024, 2025, 25, 1899]),
    st.sampled_from(
        ["dmy", "dmy_short", "dmy_time", "dmy_sec", "iso", "iso_min", "iso_t", "iso_time"]
    ),
    st.integers(0, 25),
    st.integers(0, 61),
)


@given(st.lists(date_texts, min_size=1, max_size=40))
@settings(max_examples=60, deadline=None)
def test_vectorised_dates_agree_with_the_reference_parser(texts):
    values, bad, _ = v.parse_datetime_text(pa.array(texts))
    for i, text in enumerate(texts):
        expected = v.parse_date_text(text)
        if isinstance(expected, datetime):
            assert i not in bad
            assert values[i] == np.datetime64(expected, "us")
        else:
            assert i in bad
            assert np.isnat(values[i])


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,5", 1234.5),
        ("50.000", 50000.0),
        ("1.234.567", 1234567.0),
        ("1,5", 1.5),
        ("1234.5", 1234.5),
        ("1,234.5", 1234.5),
        ("12 000", 12000.0),
        ("50.000 đ", 50000.0),
        ("20.000VNĐ", 20000.0),
        ("-3", -3.0),
        ("0", 0.0),
    ],
)
def test_vietnamese_numbers(text, expected):
    assert v.parse_number_text(text) == expected
    parsed = v.parse_numbers(text_cells([text]))
    assert parsed.bad.size == 0 and parsed.values[0] == expected


def test_number_errors_and_integers():
    parsed = v.parse_numbers(v.cells_from_python(["abc", 3.0, "2", "", True]))
    assert parsed.bad.tolist() == [0, 4]
    assert "không đọc được số" in parsed.reasons[0]
    ints = v.parse_numbers(v.cells_from_python(["2", "2,5", 4.0, ""]), integer=True)
    values, missing = ints.values
    assert values[~missing].tolist() == [2, 4]
    assert missing.tolist() == [False, True, False, True]
    assert ints.bad.tolist() == [1]
    assert ints.reasons == ["Không phải số nguyên"]


# --- booleans --------------------------------------------------------------------------------


def test_booleans_every_spelling():
    texts = [
        "Có",
        "Không",
        "Co",
        "Khong",
        "X",
        "1",
        "0",
        "TRUE",
        "false",
        "Yes",
        "no",
        "Đúng",
        "sai",
        "",
    ]
    cells = v.cells_from_python([*texts, True, 0.0])
    parsed = v.parse_booleans(cells)
    values, missing = parsed.values
    expected = [True, False, True, False, True, True, False, True, False, True, False, True, False]
    assert values[:13].tolist() == expected
    assert missing.tolist() == [False] * 13 + [True, False, False]
    assert values[14:].tolist() == [True, False]
    assert parsed.bad.size == 0


def test_x_blank_convention_and_invalid_values():
    values, missing = v.parse_booleans(text_cells(["x", "", "X", None])).values
    assert values.tolist() == [True, False, True, False]
    assert not missing.any()
    parsed = v.parse_booleans(text_cells(["Có", "", "có lẽ"]))
    values, missing = parsed.values
    assert missing.tolist() == [False, True, True]
    assert parsed.bad.tolist() == [2]
    assert "có lẽ" in parsed.reasons[0]


# --- codes -----------------------------------------------------------------------------------


def test_channel_codes_fold_case_diacritics_and_numbers():
    lookup = v.code_lookup(CHANNEL_CODES)
    cells = v.cells_from_python(
        [
            "Trực tuyến",
            "TRỰC TUYẾN",
            " truc  tuyen ",
            "Nộp trực tiếp",
            "2",
            3.0,
            "online",
            "Fax",
            "",
        ]
    )
    parsed = v.parse_codes(cells, lookup, "Kênh nộp")
    assert parsed.values.to_pylist() == [
        "online",
        "online",
        "online",
        "in_person",
        "online",
        "post",
        "online",
        None,
        None,
    ]
    assert parsed.bad.tolist() == [7]
    assert "'Fax'" in parsed.reasons[0]
    assert "Trực tuyến, Trực tiếp, Bưu chính" in parsed.reasons[0]


def test_code_aliases_from_the_user():
    lookup = v.code_lookup(CHANNEL_CODES, {"online": ["Nộp qua Cổng DVC"]})
    parsed = v.parse_codes(text_cells(["nộp qua cổng dvc"]), lookup, "Kênh nộp")
    assert parsed.values.to_pylist() == ["online"]


def test_report_period_with_a_year_suffix():
    lookup = v.code_lookup(REPORT_PERIOD_CODES)
    cells = text_cells(["Quý I/2025", "6 tháng năm 2025", "Năm", "Tháng 3"])
    parsed = v.parse_codes(cells, lookup, "Kỳ báo cáo", strip_year=True)
    assert parsed.values.to_pylist() == ["Q1", "H1", "Y", "M03"]


# --- periods ---------------------------------------------------------------------------------


def test_periods():
    cells = v.cells_from_python(
        [
            "03/2025",
            "3/2025",
            "Tháng 03/2025",
            "tháng 3 năm 2025",
            "T3/2025",
            "2025-03",
            date(2025, 4, 1),
            "13/2025",
            "2025",
            "Quý III/2025",
            "Q5/2025",
        ]
    )
    parsed = v.parse_periods(cells)
    assert parsed.values.to_pylist() == [
        "2025-03",
        "2025-03",
        "2025-03",
        "2025-03",
        "2025-03",
        "2025-03",
        "2025-04",
        None,
        "2025",  # a year (issue 11: a 766 score of the year, not of December)
        "2025-Q3",  # a quarter, not its last month
        None,
    ]
    assert parsed.bad.tolist() == [7, 10]
