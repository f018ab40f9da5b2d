"""Reporting periods (domain.md §2.2 table of 2025 windows)."""

from datetime import date

import pytest

from tthc_analysis.errors import ParameterError
from tthc_analysis.periods import month_periods, parse_period, quarter_periods, report_period


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("q1", date(2024, 12, 15), date(2025, 3, 14)),
        ("q2", date(2025, 3, 15), date(2025, 6, 14)),
        ("h1", date(2024, 12, 15), date(2025, 6, 14)),
        ("q3", date(2025, 6, 15), date(2025, 9, 14)),
        ("9m", date(2024, 12, 15), date(2025, 9, 14)),
        ("q4", date(2025, 9, 15), date(2025, 12, 14)),
        ("year", date(2024, 12, 15), date(2025, 12, 14)),
        ("2025-03", date(2025, 2, 15), date(2025, 3, 14)),
        ("01", date(2024, 12, 15), date(2025, 1, 14)),
    ],
)
def test_official_windows_2025(text, start, end):
    p = parse_period(text, 2025, "official")
    assert (p.start, p.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("q1", date(2025, 1, 1), date(2025, 3, 31)),
        ("h1", date(2025, 1, 1), date(2025, 6, 30)),
        ("2025-02", date(2025, 2, 1), date(2025, 2, 28)),
        ("year", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_calendar_windows(text, start, end):
    p = parse_period(text, 2025, "calendar")
    assert (p.start, p.end) == (start, end)


def test_custom_range_and_labels():
    p = parse_period("01/01/2025-15/02/2025", 2025)
    assert p.kind == "custom" and p.end == date(2025, 2, 15)
    assert parse_period("q1", 2025).label_vi == "Quý I/2025 (15/12/2024 – 14/03/2025)"


def test_months_tile_the_year_without_gaps():
    for window in ("official", "calendar"):
        months = month_periods(2025, window)
        for a, b in zip(months, months[1:], strict=False):
            assert (b.start - a.end).days == 1
        quarters = quarter_periods(2025, window)
        assert quarters[0].start == months[0].start and quarters[-1].end == months[-1].end


def test_clipped_to_as_of():
    p = parse_period("year", 2025, "calendar").clipped(date(2025, 8, 31))
    assert p.end == date(2025, 8, 31) and "lũy kế đến 31/08/2025" in p.name_vi
    with pytest.raises(ParameterError):
        parse_period("q4", 2025).clipped(date(2025, 1, 1))


@pytest.mark.parametrize("bad", ["q5", "2024-03", "13", "31/02/2025-01/03/2025", "abc"])
def test_bad_periods_raise_vietnamese_error(bad):
    with pytest.raises(ParameterError) as err:
        parse_period(bad, 2025)
    assert "Lỗi:" in str(err.value)


def test_report_period_codes():
    assert report_period("H1", 2025).end == date(2025, 6, 14)
    assert report_period("M12", 2025, "calendar").end == date(2025, 12, 31)
    with pytest.raises(ParameterError):
        report_period("Q9", 2025)
