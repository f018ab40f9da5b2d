"""Timeframe text -> cadence and deadline (tthc_analysis.plan.timeframe)."""

import calendar
import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_analysis.plan import CADENCES, parse_timeframe


@pytest.mark.parametrize(
    "text",
    ["Thường xuyên", "thường  xuyên", "THƯỜNG XUYÊN", "Thường xuyên, liên tục", "Thuong xuyen"],
)
def test_ongoing(text):
    tf = parse_timeframe(text)
    assert (tf.cadence, tf.deadline, tf.parsed) == ("ongoing", None, True)


@pytest.mark.parametrize("text", ["Hàng tháng", "Hằng tháng", "hằng tháng", "Định kỳ hàng tháng"])
def test_monthly(text):
    assert parse_timeframe(text).cadence == "monthly"


@pytest.mark.parametrize("text", ["Định kỳ hàng quý", "Hàng quý", "hằng quý", "Mỗi quý"])
def test_quarterly(text):
    tf = parse_timeframe(text)
    assert (tf.cadence, tf.deadline) == ("quarterly", None)


@pytest.mark.parametrize(
    "text", ["Theo yêu cầu của cấp trên", "Theo yêu cầu", "Khi có yêu cầu", "Đột xuất"]
)
def test_on_request(text):
    tf = parse_timeframe(text)
    assert (tf.cadence, tf.deadline) == ("on_request", None)


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        # month forms: end of that month
        ("Hoàn thành T6/2025", date(2025, 6, 30)),
        ("Tháng 6/2025", date(2025, 6, 30)),
        ("Tháng 06/2025", date(2025, 6, 30)),
        ("tháng 6 năm 2025", date(2025, 6, 30)),
        ("T2/2024", date(2024, 2, 29)),
        ("T2/2025", date(2025, 2, 28)),
        ("Hoàn thành trong tháng 12/2025", date(2025, 12, 31)),
        # quarters: end of the quarter
        ("Quý I/2025", date(2025, 3, 31)),
        ("Quý II/2025", date(2025, 6, 30)),
        ("Quý III/2025", date(2025, 9, 30)),
        ("Quý IV/2025", date(2025, 12, 31)),
        ("Quý 2/2025", date(2025, 6, 30)),
        ("quý II năm 2025", date(2025, 6, 30)),
        # half year
        ("6 tháng đầu năm 2025", date(2025, 6, 30)),
        ("Sáu tháng đầu năm 2025", date(2025, 6, 30)),
        ("6 tháng cuối năm 2025", date(2025, 12, 31)),
        # a given day
        ("Trước ngày 15/12/2025", date(2025, 12, 15)),
        ("trước 15/12/2025", date(2025, 12, 15)),
        ("15/12/2025", date(2025, 12, 15)),
        ("Trước ngày 15 tháng 12 năm 2025", date(2025, 12, 15)),
        ("Trước ngày 29/02/2024", date(2024, 2, 29)),
        # a year: 31/12
        ("Năm 2025", date(2025, 12, 31)),
        ("Trong năm 2025", date(2025, 12, 31)),
        ("Đến hết năm 2025", date(2025, 12, 31)),
    ],
)
def test_deadline_families(text, deadline):
    tf = parse_timeframe(text)
    assert (tf.cadence, tf.deadline, tf.parsed) == ("deadline", deadline, True)
    assert tf.text == text
    assert deadline.strftime("%d/%m/%Y") in tf.note


@pytest.mark.parametrize(
    ("text", "plan_year", "deadline"),
    [
        ("Quý II", 2025, date(2025, 6, 30)),
        ("Tháng 9", 2026, date(2026, 9, 30)),
        ("6 tháng đầu năm", 2025, date(2025, 6, 30)),
        ("Trước ngày 15/12", 2026, date(2026, 12, 15)),
        # a year written in the text wins over the plan's year
        ("Quý I/2026", 2025, date(2026, 3, 31)),
    ],
)
def test_missing_year_comes_from_plan_year(text, plan_year, deadline):
    assert parse_timeframe(text, plan_year=plan_year).deadline == deadline


@pytest.mark.parametrize("text", ["Quý II", "Tháng 9", "6 tháng đầu năm", "Trước ngày 15/12"])
def test_missing_year_without_plan_year_is_unparsed(text):
    tf = parse_timeframe(text)
    assert (tf.cadence, tf.deadline, tf.parsed) == ("unparsed", None, False)
    assert "năm" in tf.note


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Thường",  # half of a cell cut by a page break
        "Trước ngày 31/02/2025",  # impossible date
        "Trước ngày 29/02/2025",
        "T13/2025",
        "Quý V/2025",
        "Trước tháng 6/2025",  # ambiguous: end of May or of June?
        "Cả năm",
        "Khi nào xong",
        "Thường xuyên (báo cáo hàng quý)",
    ],
)
def test_unparsed_is_kept_and_never_guessed(text):
    tf = parse_timeframe(text, plan_year=2025)
    assert (tf.cadence, tf.deadline, tf.parsed) == ("unparsed", None, False)
    assert tf.text == " ".join(text.split())
    assert tf.note


def test_nfd_input_and_non_text():
    nfd = unicodedata.normalize("NFD", "Hoàn thành T6/2025")
    tf = parse_timeframe(nfd)
    assert tf.deadline == date(2025, 6, 30)
    assert tf.text == unicodedata.normalize("NFC", nfd)
    assert parse_timeframe(None).cadence == "unparsed"
    assert parse_timeframe(float("nan")).cadence == "unparsed"


@given(st.text(), st.one_of(st.none(), st.integers(1900, 2100)))
def test_never_raises_and_is_consistent(text, plan_year):
    tf = parse_timeframe(text, plan_year=plan_year)
    assert tf.cadence in CADENCES
    assert tf.parsed == (tf.cadence != "unparsed")
    assert (tf.deadline is not None) == (tf.cadence == "deadline")
    assert tf.note


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_any_real_date_is_read_back(day):
    text = f"Trước ngày {day.day}/{day.month}/{day.year}"
    assert parse_timeframe(text).deadline == day


@given(st.integers(2000, 2099), st.sampled_from([("I", 3), ("II", 6), ("III", 9), ("IV", 12)]))
def test_any_quarter_ends_on_its_last_day(year, quarter):
    roman, month = quarter
    expected = date(year, month, calendar.monthrange(year, month)[1])
    assert parse_timeframe(f"Quý {roman}/{year}").deadline == expected
