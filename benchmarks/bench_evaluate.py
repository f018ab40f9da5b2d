"""Benchmark: dossier metrics for a year on a province-scale frame (1,000,000 dossiers).

Target (issue "Correctness and speed"): evaluating everything for the year takes under
2 s after loading. This script times, on one canonical dossier frame already in memory:
``classify_dossiers``, ``form06``, ``dossier_rates`` by month, unit and field, and
``overdue_list``, each on its own and then all together on one ``DossierData`` (the
dossiers prepared once, as ``evaluate()`` does); it prints each time, the total, and the
ratio of the total to a baseline measured in the same run (a plain pandas ``groupby(...).size()`` over the same frame), so
results from different machines can be compared. No assertion: speed is reported, not
tested.

Data: by default a synthetic canonical frame generated in memory (fixed seed). With
``--data DIR`` the tables are loaded through ``tthc_analysis.loading.ingest.load_tables`` (e.g.
the province sample written by ``tthc sample --scale province``, ingested once into its
cache); loading is not timed, and the whole ``evaluate(tables, year)`` (every section,
the 24 tasks, the 766 indicators, feedback, publication, reports) is timed as well: that
is the figure of the target.

    .venv/bin/python benchmarks/bench_evaluate.py [--rows 1000000] [--data DIR|province] [--repeat 3]

``--data province`` uses the province-scale CSV sample of ``bench_ingest.py`` (written
into ``benchmarks/.data/`` on first use; ``make bench`` runs it so).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from tthc_analysis.config import load_settings
from tthc_analysis.metrics.dossiers import DossierData, classify_dossiers, overdue_list
from tthc_analysis.metrics.form06 import form06
from tthc_analysis.metrics.rates import dossier_rates
from tthc_analysis.periods import parse_period
from tthc_analysis.workdays import default_calendar

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import target  # noqa: E402

TARGET_EVALUATE_S = 0.6
"""Issue 17: ``evaluate()`` of the year on the province sample (1 M dossiers) <= 0.6 s."""

FIELDS = [
    "Văn bằng, chứng chỉ",
    "Giáo dục và Đào tạo thuộc hệ thống giáo dục quốc dân",
    "Thi, tuyển sinh",
    "Hệ thống văn bằng, chứng chỉ",
    "Giáo dục nghề nghiệp",
    "Quy chế thi, tuyển sinh",
    "Giáo dục mầm non",
    "Giáo dục trung học",
    "Kiểm định chất lượng giáo dục",
]
UNITS = [
    "Văn phòng",
    "Phòng Giáo dục phổ thông",
    "Phòng Giáo dục mầm non",
    "Phòng Quản lý chất lượng",
    "Phòng Tổ chức cán bộ",
    "Phòng Kế hoạch - Tài chính",
]


def synthetic_procedures(n: int = 80, seed: int = 2025) -> pd.DataFrame:
    """A canonical procedure catalogue of ``n`` procedures."""
    rng = np.random.default_rng(seed)
    codes = [f"1.{i:06d}" for i in range(1, n + 1)]
    level = rng.choice(["full", "partial", "none"], n, p=[0.4, 0.5, 0.1])
    return pd.DataFrame(
        {
            "procedure_code": pd.array(codes, dtype="str"),
            "procedure_name": pd.array([f"Thủ tục {i}" for i in range(1, n + 1)], dtype="str"),
            "field": pd.array(rng.choice(FIELDS, n), dtype="str"),
            "unit": pd.array(rng.choice(UNITS, n), dtype="str"),
            "online_level": pd.array(level, dtype="str"),
            "eligible_full_online": pd.array((level == "full") | (rng.random(n) < 0.2)),
            "has_fee": pd.array(rng.random(n) < 0.3),
            "paper_result": pd.array(rng.random(n) < 0.7),
            "time_limit": rng.integers(3, 30, n).astype("float64"),
            "time_limit_unit": pd.array(["working_day"] * n, dtype="str"),
        }
    )


def synthetic_dossiers(n: int, procedures: pd.DataFrame, seed: int = 2025) -> pd.DataFrame:
    """A canonical dossiers frame of ``n`` rows received from 01/12/2024 to 31/12/2025."""
    rng = np.random.default_rng(seed)
    cal = default_calendar()
    k = len(procedures)
    proc = rng.integers(0, k, n)
    start = np.datetime64("2024-12-01T00:00", "us")
    span_us = 396 * 86_400_000_000
    received = start + rng.integers(0, span_us, n).astype("timedelta64[us]")
    limit = procedures["time_limit"].to_numpy()[proc].astype("int64")
    due = np.asarray(cal.add_working_days(received.astype("datetime64[D]"), limit))
    due = due.astype("datetime64[us]") + np.timedelta64(17, "h")
    # Calendar days spent ~ 1.4 x working days; about 90 % finish within the limit.
    duration = rng.gamma(4.0, limit * 0.15) * 1.4 * 86_400_000_000
    completed = received + duration.astype("int64").astype("timedelta64[us]")
    pending = (completed > np.datetime64("2025-12-31T00:00", "us")) | (rng.random(n) < 0.01)
    completed = np.where(pending, np.datetime64("NaT", "us"), completed)
    status = np.where(
        pending,
        "processing",
        rng.choice(["completed", "returned", "rejected"], n, p=[0.8, 0.17, 0.03]),
    )
    supplements = rng.choice([0, 1, 2], n, p=[0.85, 0.13, 0.02])
    channel = rng.choice(["online", "in_person", "post"], n, p=[0.55, 0.4, 0.05])
    resched = np.where(rng.random(n) < 0.03, due + np.timedelta64(5, "D"), np.datetime64("NaT"))
    return pd.DataFrame(
        {
            "dossier_id": pd.array([f"H15.50-{i:08d}" for i in range(n)], dtype="str"),
            "procedure_code": procedures["procedure_code"].to_numpy()[proc],
            "procedure_name": procedures["procedure_name"].to_numpy()[proc],
            "field": procedures["field"].to_numpy()[proc],
            "unit": procedures["unit"].to_numpy()[proc],
            "channel": pd.array(channel, dtype="str"),
            "received_at": received,
            "due_at": due,
            "rescheduled_due_at": resched.astype("datetime64[us]"),
            "completed_at": completed,
            "status": pd.array(status, dtype="str"),
            "supplement_requests": pd.array(supplements, dtype="Int64"),
            "supplement_days": np.where(supplements > 0, rng.integers(1, 10, n), 0).astype(float),
            "is_digitized": pd.array(rng.random(n) < 0.8),
            "has_e_result": pd.array(rng.random(n) < 0.7),
            "result_channel": pd.array(
                rng.choice(["online", "in_person", "post"], n, p=[0.5, 0.4, 0.1]), dtype="str"
            ),
            "reused_data": pd.array(rng.random(n) < 0.3),
            "synced_dvcqg": pd.array(rng.random(n) < 0.95),
            "paid_online": pd.array(
                rng.choice(["yes", "no", "no_fee"], n, p=[0.3, 0.2, 0.5]), dtype="str"
            ),
            "has_apology": pd.array(rng.random(n) < 0.05),
            "overdue_reason": pd.array([None] * n, dtype="str"),
            "applicant_name": pd.array(["Nguyễn Văn A"] * n, dtype="str"),
        }
    )


def _load(args) -> tuple[pd.DataFrame, pd.DataFrame, str, object]:
    """(dossiers, procedures, description, tables or None)."""
    if args.data:
        from tthc_analysis.loading.ingest import load_tables

        raw, processed = Path(args.data), None
        if args.data == "province":  # the benchmarks' province sample (as bench_ingest.py)
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from bench_ingest import ensure_data

            raw = ensure_data("csv", None)
            processed = raw.with_name(raw.name + ".processed")
        tables = load_tables(raw, processed)
        return tables.dossiers, tables.procedures, f"{raw} (ingested)", tables
    procedures = synthetic_procedures()
    dossiers = synthetic_dossiers(args.rows, procedures)
    return dossiers, procedures, "synthetic, in memory", None


def _best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU time (seconds) of ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return min(walls), min(cpus)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--data", default=None, help="raw-data folder to ingest instead, or 'province'"
    )
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    dossiers, procedures, source, tables = _load(args)
    print(
        f"data: {len(dossiers):,} dossiers, {len(procedures)} procedures ({source}); "
        f"loaded/generated in {time.perf_counter() - t0:.1f} s"
    )
    period = parse_period("year", args.year)
    settings = load_settings()
    cal = default_calendar(settings.reference_path(settings.calendar_overrides))
    rules = settings.dossiers
    steps: dict[str, Callable[[], object]] = {
        "classify_dossiers": lambda: classify_dossiers(dossiers, period, cal, rules),
        "form06": lambda: form06(dossiers, period, cal, rules),
        "dossier_rates(by=None)": lambda: dossier_rates(
            dossiers, procedures, period, None, cal, rules
        ),
        "dossier_rates(by=month)": lambda: dossier_rates(
            dossiers, procedures, period, "month", cal, rules
        ),
        "dossier_rates(by=unit)": lambda: dossier_rates(
            dossiers, procedures, period, "unit", cal, rules
        ),
        "dossier_rates(by=field)": lambda: dossier_rates(
            dossiers, procedures, period, "field", cal, rules
        ),
        "overdue_list": lambda: overdue_list(dossiers, period, cal, rules, procedures),
    }
    baseline, baseline_cpu = _best(
        lambda: dossiers.groupby(["field", "channel"]).size(), args.repeat
    )
    print("each function on its own (prepares the dossiers every time):   wall      cpu")
    for name, fn in steps.items():
        wall, cpu = _best(fn, args.repeat)
        print(f"  {name:<56} {wall * 1000:6.0f} ms {cpu * 1000:6.0f} ms")

    def everything() -> None:
        data = DossierData(dossiers, procedures, cal, rules)
        form06(data, period)
        for by in (None, "month", "unit", "field", "procedure_code"):
            dossier_rates(data, None, period, by)
        overdue_list(data, period)

    def everything_and_classify() -> None:
        data = DossierData(dossiers, procedures, cal, rules)
        classify_dossiers(data, period)
        form06(data, period)
        for by in (None, "month", "unit", "field", "procedure_code"):
            dossier_rates(data, None, period, by)
        overdue_list(data, period)

    total, total_cpu = _best(everything, args.repeat)
    full, full_cpu = _best(everything_and_classify, args.repeat)
    print(
        "everything for the year on one DossierData (form 06, rates overall/by month/unit/"
        "field/procedure, overdue list), as evaluate() does:"
    )
    print(f"  wall {total:.2f} s, cpu {total_cpu:.2f} s (target < 2 s)")
    print(
        f"  plus classify_dossiers (materialises the classified frame): wall {full:.2f} s, "
        f"cpu {full_cpu:.2f} s"
    )
    print(
        f"baseline groupby(field, channel).size(): wall {baseline * 1000:.0f} ms, cpu "
        f"{baseline_cpu * 1000:.0f} ms; everything / baseline = {total / baseline:.1f}x (wall), "
        f"{total_cpu / baseline_cpu:.1f}x (cpu)"
    )
    if tables is not None:
        from tthc_analysis.evaluation.evaluate import evaluate

        whole, whole_cpu = _best(lambda: evaluate(tables, year=args.year), args.repeat)
        print(
            f"evaluate(tables, year={args.year}) as a whole (24 tasks, 9 sections, every "
            f"indicator): wall {whole:.2f} s, cpu {whole_cpu:.2f} s (target <= "
            f"{TARGET_EVALUATE_S} s); evaluate / baseline = {whole / baseline:.1f}x (wall)"
        )
        target(
            f"evaluate() on {len(dossiers):,} dossiers <= {TARGET_EVALUATE_S} s (best of "
            f"{args.repeat})",
            f"{whole:.2f} s",
            whole <= TARGET_EVALUATE_S,
            f"CPU {whole_cpu:.2f} s",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
