"""Property-based fuzzing of the parsers that read what people type.

The plan document parser, the timeframe parser, the date (and number, period) parsers
and the header matcher get random, mutated and hostile input; the only failures allowed
are the package's own documented errors (:class:`~tthc_analysis.errors.PlanFormatError`,
:class:`~tthc_analysis.errors.InputFileError`, or a row problem with a Vietnamese reason).
Dates are always read day first. Complements the narrower properties of
``test_plan_parser.py``, ``test_plan_timeframe.py`` and ``test_loading_values.py``.
"""

from __future__ import annotations

import calendar
import tempfile
import unicodedata
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tthc_analysis.errors import InputFileError, PlanFormatError
from tthc_analysis.fields import DATASETS
from tthc_analysis.loading import values as v
from tthc_analysis.loading.headers import match_headers, rank_datasets
from tthc_analysis.loading.readers import read_raw
from tthc_analysis.plan import Plan, parse_plan
from tthc_analysis.plan.parser import BUNDLED_SOURCE
from tthc_analysis.plan.timeframe import CADENCE_LABELS_VI, parse_timeframe

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FILE_FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SOURCE_LINES = BUNDLED_SOURCE.read_text(encoding="utf-8").split("\n")
VIETNAMESE = "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
WEIRD = "\t\u00a0\u200b\u200d\ufeff\u0301\u0323<>&\"'=+-@;,|\\/\r\x00\u202e"


# --- The plan document ------------------------------------------------------------------------

cells = st.text(
    alphabet=st.sampled_from(list("IVX0123456789.,/ -") + list(VIETNAMESE)), max_size=20
)
task_rows = st.builds(
    lambda no, cells_: "\t".join([no, *cells_]),
    st.sampled_from(["1", "2", "3", "10", "", "x", "1.1", "<b>II</b>"]),
    st.lists(cells, min_size=0, max_size=7),
)
section_rows = st.builds(
    lambda roman, title: f"<b>{roman}</b>\t<b>{title}</b>\t\t\t\t",
    st.sampled_from(["I", "II", "III", "IV", "IX", "X", "XI", "", "1"]),
    cells,
)
noise = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)


@st.composite
def mutated_documents(draw) -> str:
    """The official document with lines dropped, duplicated, swapped or replaced."""
    lines = list(SOURCE_LINES)
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "dup", "swap", "replace", "insert", "cut"]))
        if action == "drop":
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "replace":
            lines[i] = draw(st.one_of(task_rows, section_rows, noise))
        elif action == "insert":
            lines.insert(i, draw(st.one_of(task_rows, section_rows, noise)))
        else:
            lines = lines[: max(i, 1)]
    return "\n".join(lines)


@st.composite
def built_documents(draw) -> str:
    """A letterhead, the table header, then random section and task rows."""
    head = SOURCE_LINES[
        : SOURCE_LINES.index(next(x for x in SOURCE_LINES if x.startswith("STT\t")))
    ]
    header = next(x for x in SOURCE_LINES if x.startswith("STT\t"))
    body = draw(st.lists(st.one_of(task_rows, section_rows, noise), max_size=25))
    return "\n".join([*head[: draw(st.integers(0, len(head)))], header, *body])


def _parse_text(text: str | bytes, suffix: str = ".txt") -> Plan | PlanFormatError:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"ke_hoach{suffix}"
        if isinstance(text, str):
            path.write_text(text, encoding="utf-8")
        else:
            path.write_bytes(text)
        try:
            return parse_plan(path)
        except PlanFormatError as error:
            return error


def _check_plan_or_error(result: Plan | PlanFormatError) -> None:
    if isinstance(result, PlanFormatError):
        assert result.message and result.file
        return
    assert isinstance(result, Plan)
    tasks = result.tasks
    assert tasks["task_id"].is_unique
    assert set(tasks["section_id"]) <= set(result.sections["section_id"])
    assert set(tasks["cadence"]) <= set(CADENCE_LABELS_VI)


@FILE_FUZZ
@given(mutated_documents())
def test_a_mutated_plan_document_gives_a_plan_or_a_plan_format_error(text):
    _check_plan_or_error(_parse_text(text))


@FILE_FUZZ
@given(built_documents())
def test_a_random_plan_document_gives_a_plan_or_a_plan_format_error(text):
    _check_plan_or_error(_parse_text(text))


@FILE_FUZZ
@given(st.binary(max_size=400), st.sampled_from([".txt", ".csv", ".xlsx", ".md", ".pdf"]))
def test_random_bytes_as_a_plan_give_a_plan_format_error(data, suffix):
    result = _parse_text(data, suffix)
    if isinstance(result, Plan):  # bytes that happen to be a valid empty table
        _check_plan_or_error(result)
    else:
        assert isinstance(result, PlanFormatError)


# --- Timeframes ---------------------------------------------------------------------------------

timeframe_words = st.lists(
    st.sampled_from(
        ["Quý", "quý", "II", "IV", "Tháng", "tháng", "T6", "6", "12", "13", "0", "31/02",
         "15/12", "2025", "/", "năm", "Năm", "Trước", "ngày", "Hoàn thành", "hàng", "tháng",
         "đầu", "cuối", "6 tháng", "Thường xuyên", "Theo yêu cầu", "99999", "-1", "\u00a0"]
    ),
    max_size=6,
).map(" ".join)  # fmt: skip


@FUZZ
@given(
    st.one_of(timeframe_words, st.text(max_size=40), st.none(), st.integers(), st.floats()),
    st.one_of(st.none(), st.integers(1, 9999)),
)
def test_a_timeframe_never_raises(text, plan_year):
    tf = parse_timeframe(text, plan_year=plan_year)
    assert tf.cadence in CADENCE_LABELS_VI
    assert (tf.deadline is not None) == (tf.cadence == "deadline")
    assert tf.note


# --- Dates, numbers, periods ---------------------------------------------------------------


def _read_dates(texts: list[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    return v.parse_datetime_text(pa.array(texts, type=pa.large_string()))


@FUZZ
@given(st.lists(st.one_of(st.text(max_size=25), timeframe_words), min_size=1, max_size=20))
def test_any_date_text_is_a_date_or_a_row_problem(texts):
    values, bad, reasons = _read_dates(texts)
    assert len(values) == len(texts) and len(bad) == len(reasons)
    assert all(reason.startswith("Ngày không hợp lệ: ") for reason in reasons)
    for i, text in enumerate(texts):
        result = v.parse_date_text(text)
        assert isinstance(result, datetime | str)
        if i in set(bad.tolist()):
            assert np.isnat(values[i])


@FUZZ
@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(["{d:02d}/{m:02d}/{y}", "{d}/{m}/{y}", "{d:02d}-{m:02d}-{y}",
                     "{d:02d}.{m:02d}.{y}", "{d:02d}/{m:02d}/{y} 07:30", " {d}/{m}/{y} "]),
)  # fmt: skip
def test_a_written_date_is_read_day_first(day, layout):
    text = layout.format(d=day.day, m=day.month, y=day.year)
    values, bad, _ = _read_dates([text])
    assert bad.size == 0, text
    read = values[0].astype("datetime64[us]").item()
    assert (read.year, read.month, read.day) == (day.year, day.month, day.day)
    assert v.parse_date_text(text).date() == day


@FUZZ
@given(st.integers(13, 31), st.integers(1, 12), st.integers(1950, 2099))
def test_a_day_above_12_is_never_swapped_with_the_month(day, month, year):
    text = f"{day:02d}/{month:02d}/{year}"
    values, bad, reasons = _read_dates([text])
    if day > calendar.monthrange(year, month)[1]:
        assert bad.tolist() == [0] and "không tồn tại" in reasons[0]
        return
    read = values[0].astype("datetime64[us]").item()
    assert (read.day, read.month) == (day, month)
    swapped = f"{month:02d}/{day:02d}/{year}"  # month first: the month would be > 12
    _, bad_swapped, reasons_swapped = _read_dates([swapped])
    assert bad_swapped.tolist() == [0] and "không tồn tại" in reasons_swapped[0]


@FUZZ
@given(st.text(max_size=30))
def test_a_number_text_is_a_number_or_a_reason(text):
    result = v.parse_number_text(text)
    assert isinstance(result, float | str)


@FUZZ
@given(st.text(max_size=30))
def test_a_period_text_is_a_month_or_a_reason(text):
    result = v.parse_period_text(text)
    if isinstance(result, tuple):
        assert result[0]
    elif len(result) == 4:  # a year (issue 11)
        assert result.isdigit()
    elif result[5] == "Q":  # a quarter
        assert len(result) == 7 and result[4] == "-" and result[6] in "1234"
    else:
        assert len(result) == 7 and result[4] == "-" and 1 <= int(result[5:]) <= 12


# --- Headers ------------------------------------------------------------------------------------

ACCEPTED = [
    (dataset, f.name, header)
    for dataset, fields in DATASETS.items()
    for f in fields
    for header in f.accepted_headers
]


def _variant(header: str, how: list[str]) -> str:
    out = header
    for step in how:
        if step == "upper":
            out = out.upper()
        elif step == "lower":
            out = out.lower()
        elif step == "nfd":
            out = unicodedata.normalize("NFD", out)
        elif step == "pad":
            out = f"  \u00a0{out}\t "
        elif step == "double_spaces":
            out = out.replace(" ", "  ")
        elif step == "line_break":
            out = out.replace(" ", "\n", 1)  # Alt+Enter inside an Excel header cell
        elif step == "zero_width":
            out = out[:1] + "\u200b" + out[1:]
        elif step == "nbsp":
            out = out.replace(" ", "\u00a0")
    return out


@FUZZ
@given(
    st.sampled_from(ACCEPTED),
    st.lists(
        st.sampled_from(
            ["upper", "lower", "nfd", "pad", "double_spaces", "line_break", "zero_width", "nbsp"]
        ),
        max_size=4,
    ),
)
def test_a_respelled_accepted_header_maps_to_its_column(accepted, how):
    dataset, column, header = accepted
    written = _variant(header, how)
    match = match_headers(["STT", written, "Ghi chú"], dataset)
    assert match.positions.get(column) == 1, (header, written, match)


header_cells = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.sampled_from(list(VIETNAMESE + WEIRD + "MãhồsơNgàyKênh ")), max_size=20),
    st.none(),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.datetimes(),
)


@FUZZ
@given(st.lists(header_cells, max_size=15), st.sampled_from([None, *DATASETS]))
def test_any_header_row_is_matched_without_crashing(row, dataset):
    ranking = rank_datasets(row, [dataset] if dataset else None)
    for match in ranking.matches:
        assert set(match.positions.values()) <= set(range(len(row)))
        assert len(set(match.positions.values())) == len(match.positions)


# --- Whole files ---------------------------------------------------------------------------------

csv_lines = st.lists(
    st.one_of(
        st.just("Mã hồ sơ,Mã TTHC,Kênh nộp,Ngày tiếp nhận,Ngày hẹn trả"),
        st.just("HS-1,1.005092,Trực tuyến,03/03/2025,10/03/2025"),
        st.text(
            alphabet=st.sampled_from(list(VIETNAMESE + WEIRD + ',;"0123456789/ ')), max_size=60
        ),
    ),
    max_size=8,
).map("\n".join)


@FILE_FUZZ
@given(
    st.one_of(
        st.binary(max_size=300),
        csv_lines.map(lambda t: t.encode("utf-8")),
        csv_lines.map(lambda t: t.encode("utf-16")),
    ),
    st.sampled_from([".csv", ".xlsx", ".xls", ".parquet"]),
)
def test_any_bytes_are_read_or_give_an_input_file_error(data, suffix):
    assume(suffix == ".csv" or not data.startswith(b"PK"))  # random zips: see the corpus
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"tep{suffix}"
        path.write_bytes(data)
        try:
            table = read_raw(path, dataset="dossiers")
        except InputFileError as error:
            assert error.message and error.file == path.name and error.hint
            return
        assert table.n_read == len(table.source_rows) + len(table.bad_rows)
