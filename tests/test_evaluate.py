"""evaluate(): wiring on a hand-made dataset, and the 24 statuses on the bundled sample."""

import importlib.util
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc_analysis.errors import ParameterError
from tthc_analysis.evaluate import evaluate
from tthc_analysis.fields import DATASETS
from tthc_analysis.plan import load_plan
from tthc_analysis.status import STATUSES


def canonical(dataset: str, rows: list[dict]) -> pd.DataFrame:
    """A canonical frame of ``dataset`` holding ``rows`` (other columns empty)."""
    fields = DATASETS[dataset]
    frame = pd.DataFrame({f.name: pd.Series([None] * len(rows), dtype=object) for f in fields})
    for i, row in enumerate(rows):
        for key, value in row.items():
            frame.at[i, key] = value
    for f in fields:
        if f.kind in ("date", "datetime"):
            frame[f.name] = pd.to_datetime(frame[f.name]).astype("datetime64[us]")
        else:
            frame[f.name] = frame[f.name].astype(f.dtype)
    return frame


@dataclass
class FakeTables:
    dossiers: pd.DataFrame
    procedures: pd.DataFrame
    feedback: pd.DataFrame
    index766: pd.DataFrame
    activities: pd.DataFrame
    report_submissions: pd.DataFrame
    plan: object
    rejected_rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    warnings: pd.DataFrame = field(default_factory=pd.DataFrame)
    is_sample: bool = False


VP, KHTC = "Văn phòng", "Phòng Kế hoạch - Tài chính"


@pytest.fixture(scope="module")
def tables():
    procedures = canonical(
        "procedures",
        [
            {"procedure_code": "1.000001", "procedure_name": "Thủ tục A", "unit": VP,
             "online_level": "full", "eligible_full_online": True, "status": "active",
             "internal_process_on": "2024-05-01", "publicly_listed": True},
            {"procedure_code": "1.000002", "procedure_name": "Thủ tục B", "unit": KHTC,
             "online_level": "partial", "eligible_full_online": True, "status": "active",
             "publicly_listed": True},
        ],
    )  # fmt: skip
    dossiers = canonical(
        "dossiers",
        [
            # received 03/03 online, due 10/03, done 07/03: early
            {"dossier_id": "D1", "procedure_code": "1.000001", "unit": VP, "channel": "online",
             "received_at": "2025-03-03 09:00", "due_at": "2025-03-10 17:00",
             "completed_at": "2025-03-07 10:00", "status": "completed", "result_channel": "online",
             "has_e_result": True, "is_digitized": True},
            # received 02/06 at the counter, due 09/06, done 12/06: overdue, no apology
            {"dossier_id": "D2", "procedure_code": "1.000002", "unit": KHTC, "channel": "in_person",
             "received_at": "2025-06-02 09:00", "due_at": "2025-06-09 17:00",
             "completed_at": "2025-06-12 10:00", "status": "completed", "has_apology": False},
            # received 20/12: after the official year window (ends 14/12)
            {"dossier_id": "D3", "procedure_code": "1.000001", "unit": VP, "channel": "online",
             "received_at": "2025-12-20 09:00", "due_at": "2025-12-29 17:00"},
        ],
    )  # fmt: skip
    activities = canonical(
        "activities",
        [
            {"task_id": "V.1", "date": "2025-06-20", "status": "done", "unit": KHTC},
            {"task_id": "I.4", "date": "2025-02-05", "status": "done", "unit": VP},
        ],
    )
    reports = canonical(
        "report_submissions",
        [{"period_id": "Q1", "due_on": "2025-03-20", "submitted_on": "2025-03-25"}],
    )
    rejected = pd.DataFrame(
        {
            "dataset": ["dossiers", "dossiers", "feedback"],
            "source_file": ["a.xlsx", "a.xlsx", "b.csv"],
            "source_row": [5, 5, 2],
            "column": ["received_at", "due_at", "status"],
            "value": ["x", "y", "z"],
            "reason": ["r", "r", "r"],
        }
    )
    return FakeTables(
        dossiers=dossiers,
        procedures=procedures,
        feedback=canonical("feedback", []),
        index766=canonical("index766", []),
        activities=activities,
        report_submissions=reports,
        plan=load_plan(),
        rejected_rows=rejected,
    )


def test_defaults_and_headline_numbers(tables):
    ev = evaluate(tables)
    assert ev.as_of == date(2025, 12, 31)
    assert (ev.period.start, ev.period.end) == (date(2024, 12, 15), date(2025, 12, 14))
    assert ev.summary["n_received"] == 2
    assert ev.summary["online_share"] == 0.5
    assert ev.summary["on_time_rate"] == 0.5
    assert ev.summary["n_procedures"] == 2
    assert ev.summary["full_online_coverage"] == 0.5  # 1 of the 2 eligible is full
    assert len(ev.tasks) == 24
    assert ev.sections["n_tasks"].sum() == 24
    assert ev.overall["n_tasks"] == 24
    statuses = ev.statuses()
    assert statuses["V.1"] == "done_on_time"
    assert statuses["VIII.1"] == "done_late"
    assert statuses["I.6"] == "not_triggered"
    # one overdue dossier without an apology letter: VI.3 below target
    assert statuses["VI.3"] == "below_target"
    vi3 = ev.task_indicators("VI.3").set_index("indicator_id")
    assert vi3.loc["overdue_without_apology", "value"] == 1
    assert ev.overdue["dossier_id"].tolist() == ["D2"]
    # data quality: 2 problems on one dossier row, 1 feedback row
    dq = ev.data_quality.set_index("dataset")
    assert (dq.loc["dossiers", "n_rejected_rows"], dq.loc["dossiers", "n_problems"]) == (1, 2)
    assert dq.loc["feedback", "n_rejected_rows"] == 1
    assert dq.loc["dossiers", "n_rows"] == 3


def test_quarter_period_defaults_to_its_end(tables):
    ev = evaluate(tables, period="q1")
    assert ev.as_of == date(2025, 3, 14)
    assert ev.summary["n_received"] == 1
    # at 14/03 the Q1 report (due 20/03) is not due yet
    assert ev.statuses()["VIII.1"] == "not_due"
    assert ev.statuses()["V.1"] == "not_due"


def test_as_of_cuts_the_period_and_moves_the_deadlines(tables):
    ev = evaluate(tables, as_of=date(2025, 4, 30))
    assert ev.period.end == date(2025, 4, 30)
    assert ev.summary["n_received"] == 1
    # monthly notices: January's (dated 05/02) present, February and March missing
    assert ev.task("I.4")["missing_periods"] == ["02/2025", "03/2025"]
    assert evaluate(tables, as_of="2025-04-30").as_of == date(2025, 4, 30)


def test_unit_filter(tables):
    ev = evaluate(tables, units=["Phòng KHTC"])
    assert ev.params["units"] == [KHTC]
    assert ev.summary["n_received"] == 1
    assert ev.summary["n_procedures"] == 1
    # every task names "Các phòng" or "Các phòng có TTHC", both covering KHTC
    assert len(ev.tasks) == 24
    # the inspectorate has no procedures: only the tasks shared with "Các phòng"
    ev = evaluate(tables, units=["Thanh tra"])
    assert ev.tasks["task_id"].tolist() == ["I.2", "I.4", "I.5", "I.6", "II.1", "III.1", "VIII.1"]
    assert ev.sections["n_tasks"].sum() == 7
    assert ev.summary["n_received"] == 0


def test_as_of_before_the_period_is_an_error(tables):
    with pytest.raises(ParameterError):
        evaluate(tables, period="q3", as_of=date(2025, 5, 1))


def test_warnings_name_unknown_indicators(tables, tmp_path):
    from tthc_analysis.config import Settings

    path = tmp_path / "ti.csv"
    path.write_text(
        "task_id,evidence_cadence,evidence_source,indicator_id,name_vi,source,target,direction,unit\n"
        "I.1,ongoing,activities,,văn bản,activities,,,\n"
        "I.1,,,no_such_metric,Không có,dossiers,1,min,rate\n"
        "X.1,none,none,,,none,,,\n",
        encoding="utf-8",
    )
    ev = evaluate(tables, settings=Settings(task_indicators=str(path)))
    text = " ".join(ev.warnings)
    assert "no_such_metric" in text
    assert "X.1" in text
    assert "Nhiệm vụ I.2 không có dòng quy tắc minh chứng" in text
    assert ev.statuses()["I.2"] in ("behind", "on_track")


_HAVE_INGEST = importlib.util.find_spec("tthc_analysis.ingest") is not None
_HAVE_SAMPLE = importlib.util.find_spec("tthc_analysis.sample") is not None


@pytest.mark.skipif(
    not (_HAVE_INGEST and _HAVE_SAMPLE),
    reason="needs tthc_analysis.ingest (loaders) and tthc_analysis.sample (sample generator)",
)
def test_statuses_on_the_bundled_sample_match_the_planted_gaps():
    from tthc_analysis.ingest import load_tables
    from tthc_analysis.sample import expected_task_statuses

    ev = evaluate(load_tables())
    expected = expected_task_statuses()
    got = ev.statuses()
    assert len(got) == 24
    diff = {
        k: (got[k], expected[k], ev.task(k)["reason_vi"]) for k in expected if got[k] != expected[k]
    }
    assert not diff
    assert ev.params["is_sample"]


@pytest.fixture
def fake_ingest(tables, monkeypatch):
    import sys
    import types

    module = types.ModuleType("tthc_analysis.ingest")
    module.load_tables = lambda *args, **kwargs: tables
    monkeypatch.setitem(sys.modules, "tthc_analysis.ingest", module)


def test_cli_table_json_csv(fake_ingest, capsys):
    import json

    from tthc_analysis.cli import main

    main(["evaluate", "--as-of", "2025-12-31"])
    out = capsys.readouterr().out
    assert "V.1     Hoàn thành đúng hạn" in out
    assert "Hoàn thành ngày 20/06/2025 (hạn 30/06/2025)" in out
    assert "TỔNG HỢP:" in out

    main(["evaluate", "--format", "json", "--as-of", "31/12/2025"])
    payload = json.loads(capsys.readouterr().out)
    assert len(payload["tasks"]) == 24
    assert payload["params"]["as_of"] == "2025-12-31"
    assert {t["task_id"]: t["status"] for t in payload["tasks"]}["VIII.1"] == "done_late"
    assert sum(s["n_tasks"] for s in payload["sections"]) == 24

    main(["evaluate", "--format", "csv", "--unit", "Thanh tra"])
    tasks_csv, sections_csv = capsys.readouterr().out.split("\n\n")
    assert tasks_csv.splitlines()[0] == (
        "task_id,status,status_vi,reason_vi,evidence_vi,indicator_summary_vi"
    )
    assert len(tasks_csv.splitlines()) == 1 + 7
    assert sections_csv.splitlines()[0].startswith("section_id,section_title,n_tasks")


def test_cli_bad_as_of_exits_2(fake_ingest, capsys):
    from tthc_analysis.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["evaluate", "--as-of", "2025-13-01"])
    assert exc.value.code == 2
    assert "Ngày chốt số liệu không hợp lệ" in capsys.readouterr().err


_TASK_IDS = list(load_plan().tasks["task_id"])


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_TASK_IDS),
            st.dates(min_value=date(2024, 12, 1), max_value=date(2026, 1, 31)),
            st.sampled_from(["done", "in_progress"]),
        ),
        max_size=40,
    ),
    st.lists(
        st.tuples(
            st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 12, 31)),
            st.sampled_from(["received", "handled", "published", "rejected"]),
            st.integers(0, 30),
        ),
        max_size=10,
    ),
    st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 12, 31)),
)
def test_any_generated_dataset_reconciles(tables, evidence, pakn, as_of):
    from dataclasses import replace

    feedback = canonical(
        "feedback",
        [
            {
                "feedback_id": f"F{i}",
                "received_on": day,
                "status": status,
                "rejected_on": pd.Timestamp(day) + pd.Timedelta(days=k)
                if status == "rejected"
                else None,
                "handled_on": pd.Timestamp(day) + pd.Timedelta(days=k)
                if status in ("handled", "published")
                else None,
                "published_on": pd.Timestamp(day) + pd.Timedelta(days=k + 1)
                if status == "published"
                else None,
            }
            for i, (day, status, k) in enumerate(pakn)
        ],
    )
    activities = canonical(
        "activities",
        [{"task_id": t, "date": d, "status": s, "unit": VP} for t, d, s in evidence],
    )
    ev = evaluate(replace(tables, activities=activities, feedback=feedback), as_of=as_of)
    assert ev.tasks["task_id"].tolist() == _TASK_IDS
    assert ev.tasks["status"].isin(list(STATUSES)).all()
    assert ev.sections["n_tasks"].sum() == 24
    assert (
        ev.sections[["n_done", "n_on_track", "n_problem", "n_no_data"]].sum(axis=1)
        == ev.sections["n_tasks"]
    ).all()
    rates = ev.indicators.loc[ev.indicators["unit"] == "rate", "value"].dropna()
    assert rates.between(0, 1).all()
    for key, value in ev.summary.items():
        if key.endswith(("_rate", "_share", "_coverage")) and value == value:
            assert 0 <= value <= 1, key
    s = ev.feedback_summary
    assert s["n_on_time"] + s["n_late"] + s["n_not_judged"] == s["n_items"]


# --- tables the pages read without recomputing ------------------------------------------------


def test_unit_by_month_rates_are_computed_once_in_the_evaluation(tables):
    ev = evaluate(tables)
    um = ev.unit_month
    assert len(um) == 2 * 12  # every month of the official year for each of the two units
    assert set(um["unit"]) == {VP, KHTC}
    assert int(um["n_received"].sum()) == 2  # D3 (20/12) is after the window
    row = um.set_index(["unit", "month"])
    # D1: received 03/03 (official month 15/02–14/03 = 03/2025), done early
    assert row.loc[(VP, "2025-03"), "n_received"] == 1
    assert row.loc[(VP, "2025-03"), "on_time_rate"] == 1.0
    # D2: received 02/06 (month 06/2025), done 12/06 after its due date 09/06
    assert row.loc[(KHTC, "2025-06"), "on_time_rate"] == 0.0
    assert pd.isna(row.loc[(KHTC, "2025-03"), "on_time_rate"])  # no dossier: NaN, not 0


def test_procedures_carry_the_full_online_eligibility(tables):
    procs = evaluate(tables).procedures
    assert procs["procedure_code"].tolist() == ["1.000001", "1.000002"]
    assert procs["eligible_full_online"].tolist() == [True, True]
    assert str(procs["eligible_full_online"].dtype) == "boolean"


def test_indicators_say_in_vietnamese_where_each_target_comes_from(tables):
    ind = evaluate(tables).indicators.set_index(["task_id", "indicator_id"])
    source = ind["target_source_vi"]
    assert source[("IX.1", "full_online_share")] == (
        "Kế hoạch 655/SGDĐT-VP (tối thiểu 80% hồ sơ đến hết năm 2025)"
    )
    assert source[("VI.1", "digitisation_rate")] == (
        "Mặc định theo quy định (chỉ số 766 4.2: đủ điểm từ 80%)"
    )
    assert source[("I.3", "index766_months_below_prev_year_mean")] == (
        "Tiêu chí đánh giá của báo cáo (không giảm dưới bình quân năm trước)"
    )
    assert source[("I.3", "index766_total_latest")] == ""  # followed only, no target
    assert not source.str.contains("plan text|domain default|evaluation-map", regex=True).any()
