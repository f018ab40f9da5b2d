"""Working-day calendar: hand-checked against the 2025 holiday schedule (domain.md §7)."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from tthc_analysis.errors import InputFileError
from tthc_analysis.workdays import WorkCalendar, default_calendar, read_overrides


@pytest.fixture(scope="module")
def cal():
    return default_calendar()


def test_2025_has_250_working_days(cal):
    assert cal.count_working_days(date(2024, 12, 31), date(2025, 12, 31)) == 250


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 1), False),  # Tết Dương lịch
        (date(2025, 1, 27), False),  # Tết Nguyên đán
        (date(2025, 1, 31), False),
        (date(2025, 2, 3), True),
        (date(2025, 4, 7), False),  # Giỗ Tổ
        (date(2025, 4, 26), True),  # swapped working Saturday
        (date(2025, 5, 2), False),  # day off swapped for 26/04
        (date(2025, 9, 1), False),
        (date(2025, 9, 2), False),
        (date(2025, 9, 3), True),
        (date(2025, 3, 8), False),  # an ordinary Saturday
    ],
)
def test_is_working_day(cal, day, working):
    assert cal.is_working_day(day) is working


def test_add_working_days_skips_the_may_holidays(cal):
    # Fri 25/04 + 5 WD: Sat 26/04 (swapped), Mon 28, Tue 29, Mon 05/05, Tue 06/05.
    assert cal.add_working_days(date(2025, 4, 25), 5) == np.datetime64("2025-05-06")


def test_add_zero_rolls_forward_to_next_working_day(cal):
    assert cal.roll_forward(date(2025, 1, 25)) == np.datetime64("2025-02-03")
    assert cal.roll_forward(date(2025, 2, 3)) == np.datetime64("2025-02-03")


def test_vectorised_with_nat(cal):
    starts = pd.Series(pd.to_datetime(["2025-01-24", "2025-04-29", None]))
    out = cal.add_working_days(starts, np.array([1, 2, 3]))
    assert str(out[0]) == "2025-02-03"
    assert str(out[1]) == "2025-05-06"
    assert np.isnat(out[2])
    counts = cal.count_working_days(starts, pd.Timestamp("2025-02-04"))
    assert counts[0] == 2 and np.isnan(counts[2])


def test_count_is_negative_backwards(cal):
    assert cal.count_working_days(date(2025, 2, 4), date(2025, 2, 3)) == -1


def test_overrides_add_a_day_off_and_a_working_day(tmp_path):
    f = tmp_path / "o.csv"
    f.write_text(
        "date,kind,name,source\n10/03/2025,off,Nghỉ bổ sung,TB 1\n08/03/2025,work,Làm bù,TB 1\n",
        encoding="utf-8",
    )
    cal = WorkCalendar(read_overrides(f))
    assert not cal.is_working_day(date(2025, 3, 10))
    assert cal.is_working_day(date(2025, 3, 8))


def test_overrides_bad_date_names_row(tmp_path):
    f = tmp_path / "o.csv"
    f.write_text("date,kind,name,source\n31/02/2025,off,x,y\n", encoding="utf-8")
    with pytest.raises(InputFileError) as err:
        read_overrides(f)
    assert err.value.row == 2 and err.value.column == "date"
