"""pandera schemas built from the field dictionary."""

from __future__ import annotations

import pandas as pd
import pytest

from tthc_analysis.fields import DATASETS, personal_columns
from tthc_analysis.schemas import (
    SOURCE_COLUMNS,
    check,
    dataset_schema,
    empty_frame,
    frame_columns,
    schema_version,
)


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_one_schema_per_dataset_with_every_field_in_order(dataset):
    schema = dataset_schema(dataset)
    assert list(schema.columns) == [f.name for f in DATASETS[dataset]] + list(SOURCE_COLUMNS)
    assert frame_columns(dataset) == list(schema.columns)
    for f in DATASETS[dataset]:
        column = schema.columns[f.name]
        assert column.nullable == f.nullable
        assert column.unique == f.unique
        assert column.metadata["personal"] == f.personal
        assert column.title == f.label_vi
    assert check(empty_frame(dataset), dataset).empty


def test_personal_columns_are_flagged():
    flagged = {
        name
        for name, column in dataset_schema("dossiers").columns.items()
        if column.metadata and column.metadata.get("personal")
    }
    assert (
        flagged
        == set(personal_columns("dossiers"))
        == {
            "applicant_name",
            "applicant_id_number",
            "applicant_phone",
            "applicant_email",
            "applicant_address",
        }
    )


def _activities(**overrides):
    frame = empty_frame("activities")
    rows = {
        "task_id": ["IX.1", "ix.2", "IX.3", None],
        "date": pd.to_datetime(["2025-01-02", "2025-01-03", None, "2025-01-05"]).astype(
            "datetime64[us]"
        ),
        "status": ["done", "in_progress", "finished", None],
        "source_file": ["a.csv"] * 4,
        "source_row": [2, 3, 4, 5],
    }
    rows.update(overrides)
    data = {c: pd.Series(rows.get(c, [None] * 4), dtype=frame[c].dtype) for c in frame.columns}
    return pd.DataFrame(data)


def test_check_collects_every_problem_at_once():
    failures = check(_activities(), "activities")
    found = set(zip(failures["position"], failures["column"], failures["check"], strict=True))
    assert found == {
        (1, "task_id", "pattern"),  # lower-case roman numeral
        (3, "task_id", "not_nullable"),
        (2, "date", "not_nullable"),
        (2, "status", "isin"),
    }


def test_uniqueness_and_date_order():
    frame = empty_frame("feedback")
    data = {
        "feedback_id": ["P1", "P2", "P1"],
        "received_on": ["2025-03-10", "2025-03-10", "2025-03-10"],
        "status": ["handled", "handled", "received"],
        "handled_on": ["2025-03-09", "2025-03-10", None],
        "source_file": ["f.csv"] * 3,
        "source_row": [2, 3, 4],
    }
    typed = pd.DataFrame(
        {
            c: pd.Series(data.get(c, [None] * 3), dtype=frame[c].dtype)
            if frame[c].dtype != "datetime64[us]"
            else pd.to_datetime(pd.Series(data.get(c, [None] * 3))).astype("datetime64[us]")
            for c in frame.columns
        }
    )
    failures = check(typed, "feedback")
    uniques = failures[failures["check"] == "unique"]
    assert sorted(uniques["position"]) == [0, 2]
    order = failures[failures["check"] == "order:handled_on>=received_on"]
    assert set(order["position"]) == {0}


def test_wrong_dtype_is_reported_as_a_column_failure():
    frame = empty_frame("index766")
    frame["score"] = frame["score"].astype("str")
    failures = check(frame, "index766")
    assert failures.to_dict("records")[0]["check"] == "dtype"
    assert failures.to_dict("records")[0]["position"] == -1


def test_schema_version_is_a_stable_short_hash():
    version = schema_version()
    assert version == schema_version()
    assert len(version) == 16 and int(version, 16) >= 0


def test_row_checks_compare_dtypes_directly():
    frame = empty_frame("index766")
    assert check(frame, "index766", part="rows").empty
    frame["score"] = frame["score"].astype("str")
    frame["extra"] = 1
    failures = check(frame, "index766", part="rows").to_dict("records")
    assert failures == [
        {"position": -1, "column": "score", "check": "dtype", "failure_case": "str"},
        {"position": -1, "column": "extra", "check": "column_in_schema", "failure_case": "extra"},
    ]
