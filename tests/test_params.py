"""EvaluationParams: the one parser of year, as-of date, period, window and units.

Every bad value gives a Vietnamese ParameterError naming the value and what is accepted;
the CLI prints it and exits with code 2, without a traceback.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tthc_analysis.cli import main
from tthc_analysis.config import SAMPLE_DIR
from tthc_analysis.errors import ParameterError
from tthc_analysis.evaluation.params import EvaluationParams, parse_as_of
from tthc_analysis.views.context import ReviewParams


def test_defaults_are_the_year_end_for_the_year_and_the_period_end_otherwise():
    params = EvaluationParams.resolve(2025)
    assert params == EvaluationParams(2025, "year", date(2025, 12, 31), "official", None)
    # Quý I/2025 in official windows runs 15/12/2024 – 14/03/2025 (domain.md §2.2).
    assert EvaluationParams.resolve(2025, period="q1").as_of == date(2025, 3, 14)
    assert EvaluationParams.resolve(2025, period="q1", window="calendar").as_of == date(2025, 3, 31)


@pytest.mark.parametrize(
    "text", ["31/12/2025", "2025-12-31", " 31/12/2025 ", datetime(2025, 12, 31, 8, 30)]
)
def test_as_of_accepts_dd_mm_yyyy_iso_text_and_datetimes(text):
    assert parse_as_of(text) == date(2025, 12, 31)
    assert EvaluationParams.resolve(2025, text).as_of == date(2025, 12, 31)


def test_empty_as_of_takes_the_default():
    assert parse_as_of("") is None
    assert EvaluationParams.resolve(2025, "  ").as_of == date(2025, 12, 31)


@pytest.mark.parametrize("year", [0, 99999, 1999, 2101, "abc", "", True])
def test_a_year_outside_the_range_names_the_value_and_the_range(year):
    with pytest.raises(ParameterError) as info:
        EvaluationParams.resolve(year)
    text = str(info.value)
    assert f"Năm kế hoạch không hợp lệ: «{year}»" in text
    assert "từ 2000 đến 2100" in text


def test_the_year_may_be_given_as_text():
    assert EvaluationParams.resolve("2025").year == 2025


@pytest.mark.parametrize("text", ["31-12-2025", "2025/12/31", "31/02/2025", "hôm nay"])
def test_an_as_of_text_in_no_accepted_form_is_refused(text):
    with pytest.raises(ParameterError) as info:
        EvaluationParams.resolve(2025, text)
    assert f"Ngày chốt số liệu không hợp lệ: «{text}»" in str(info.value)
    assert "dd/mm/yyyy" in str(info.value)


def test_an_as_of_after_the_following_year_is_refused_with_the_accepted_range():
    with pytest.raises(ParameterError) as info:
        EvaluationParams.resolve(2025, "9999-12-31")
    text = str(info.value)
    assert "31/12/9999" in text
    # Năm 2025 in official windows starts 15/12/2024; the latest as-of is 31/12/2026.
    assert "từ 15/12/2024 đến 31/12/2026" in text


def test_an_as_of_in_the_following_january_is_accepted():
    # December's monthly notice is due 10/01 of the next year (evaluation rules).
    assert EvaluationParams.resolve(2025, "10/01/2026").as_of == date(2026, 1, 10)


def test_an_as_of_before_the_period_start_names_the_period_start():
    # Quý II/2025 (official) = 15/03/2025 – 14/06/2025.
    with pytest.raises(ParameterError) as info:
        EvaluationParams.resolve(2025, "01/03/2025", "q2")
    text = str(info.value)
    assert "01/03/2025" in text and "Quý II/2025" in text
    assert "từ 15/03/2025 đến 31/12/2026" in text


@pytest.mark.parametrize("period", ["q5", "2025-13", "h2", "tuần 3", "32/01/2025-01/02/2025"])
def test_a_period_that_does_not_exist_is_refused(period):
    with pytest.raises(ParameterError) as info:
        EvaluationParams.resolve(2025, None, period)
    assert f"«{period}»" in str(info.value)


def test_a_month_of_another_year_is_refused():
    with pytest.raises(ParameterError, match="không thuộc năm 2025"):
        EvaluationParams.resolve(2025, None, "2024-03")


def test_a_bad_window_is_refused():
    with pytest.raises(ParameterError, match="official, calendar"):
        EvaluationParams.resolve(2025, window="weekly")


def test_units_are_normalised_and_periods_derived():
    params = EvaluationParams.resolve(2025, "30/06/2025", "h1", ["văn phòng sở"], "calendar")
    assert params.units == ("Văn phòng",)
    assert params.unit_list == ["Văn phòng"]
    assert params.full_period.start == date(2025, 1, 1)
    assert params.metric_period.end == date(2025, 6, 30)
    assert EvaluationParams.resolve(2025, units="Văn phòng").units == ("Văn phòng",)


def test_review_params_parse_through_evaluation_params(tmp_path):
    # The review's parameters once raised a bare ValueError on dd/mm/yyyy.
    params = ReviewParams.resolve(2025, "31/12/2025", "year", tmp_path, None, window="official")
    assert params.as_of == date(2025, 12, 31)
    assert params.evaluation_params == EvaluationParams.resolve(2025, "31/12/2025")
    with pytest.raises(ParameterError):
        ReviewParams.resolve(0, None, "year", tmp_path, None, window="official")


_BAD_ARGS = [
    (["--year", "0"], "Năm kế hoạch không hợp lệ: «0»"),
    (["--year", "99999"], "Năm kế hoạch không hợp lệ: «99999»"),
    (["--as-of", "9999-12-31"], "31/12/9999"),
    (["--as-of", "31-12-2025"], "Ngày chốt số liệu không hợp lệ"),
    (["--period", "q5"], "Không hiểu kỳ «q5»"),
    (["--period", "q2", "--as-of", "01/03/2025"], "từ 15/03/2025"),
]


@pytest.mark.parametrize("command", ["evaluate", "review"])
@pytest.mark.parametrize(("args", "message"), _BAD_ARGS)
def test_the_cli_refuses_bad_parameters_with_exit_2_and_no_traceback(
    command, args, message, tmp_path, capsys
):
    argv = [command, "--data", str(SAMPLE_DIR), *args]
    if command == "review":
        argv += ["--out", str(tmp_path / "out"), "--no-progress"]
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: ")
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()
