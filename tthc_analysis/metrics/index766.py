"""Decision 766 index: published monthly scores and an estimate from the dossier data.

Published scores come tidy (``period``, ``group_code``, ``score``, ``max_score``) in
the six-group codes of the national portal (CKMB, TDGQ, CLGQ, TTTT, MDSH, MDHL), or with
group 3 combined (DVTT), or with a published total (TONG). Two wide views are built:

- six groups: CKMB, TDGQ, CLGQ, TTTT, MDSH, MDHL;
- five groups: CKMB, TDGQ, DVTT (= CLGQ + TTTT), MDSH, MDHL.

``total`` is the sum of the five groups (the same in both views); a month missing a
group takes its published total (TONG) if any, else NaN (never a partial sum). A
published TONG is also kept as ``total_published``.

The estimate scores the indicators of the indicator table
(``data/reference/index766_indicators.csv``) that have an ``estimate_from`` source,
month by month: ``points = max_points × min(1, rate ÷ threshold)`` with the threshold
from the table (100% when empty). Points, thresholds and the confirmation state live in
the table because several values are unconfirmed (domain.md §1.3); indicators whose
``confirmed`` is ``unconfirmed`` are flagged. A group's estimate covers only its
indicators with data (``estimable_max`` tells how many of its points), so it is shown
beside the published score with the label "ước tính", never instead of it.

CLGQ (online services, 12 points) is scored as the portal scores it (domain.md §0):
``2·min(1, A/0,8) + 4·B + 6·min(1, C/0,5)`` with A = share of the procedures offered as
online services (3.1), B = share of online services that received at least one online
dossier in the month (3.2, :func:`online_services_used_by_month`) and C = share of
dossiers filed online (3.3). The three terms are the rows 3.1, 3.2 and 3.3 of the table
(points 2/4/6, thresholds 80%/100%/50%), so the formula lives in the table
(``formula_vi``) and its sum is the CLGQ estimate.

Each row also says whether its points and threshold are ``confirmed`` or ``assumed``
(``check``) and on what (``check_source``).

Months are **calendar months** (01–31/08): the portal scores calendar months, not the
15th–14th reporting window, so the monthly rates given to :func:`estimate_scores` must
be computed over calendar months (``evaluate`` does so whatever the report window).

Like with like (:func:`compare_scores`): the difference "ước tính − công bố" is computed
only over the indicators the estimate covers. With group scores only, a group is
compared when the estimate covers all its points; otherwise the difference is empty
and the row says how many points are not estimated. When published points per indicator
are given, the published points of the covered indicators are summed and compared.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from tthc_analysis.fields import INDEX766_GROUPS6
from tthc_analysis.text import format_number

__all__ = [
    "ESTIMATE_LABEL_VI",
    "GROUPS5",
    "GROUPS6",
    "GROUP_NAMES_VI",
    "compare_scores",
    "estimate_groups",
    "estimate_scores",
    "group_maxima",
    "group_rows",
    "indicator_label_vi",
    "indicator_rows",
    "months_below",
    "online_services_used_by_month",
    "score_points",
    "scores_wide",
    "split_periods",
    "trend",
]

GROUPS6 = INDEX766_GROUPS6
GROUPS5 = ("CKMB", "TDGQ", "DVTT", "MDSH", "MDHL")
GROUP_NAMES_VI = {
    "CKMB": "Công khai, minh bạch",
    "TDGQ": "Tiến độ, kết quả giải quyết",
    "DVTT": "Cung cấp dịch vụ trực tuyến",
    "CLGQ": "Dịch vụ công trực tuyến",
    "TTTT": "Thanh toán trực tuyến",
    "MDSH": "Số hóa hồ sơ",
    "MDHL": "Mức độ hài lòng",
}
ESTIMATE_LABEL_VI = "ước tính"
_GROUP5_OF = {1: "CKMB", 2: "TDGQ", 3: "DVTT", 4: "MDSH", 5: "MDHL"}


_NUMBERED_ID = re.compile(r"^[1-5]\.[0-9]+[a-z]?$")


def indicator_label_vi(indicator_id: object, name_vi: object) -> str:
    """How an indicator is named to a reader: its DVCQG number and name.

    ``("4.4", "Hồ sơ số hóa kết nối, chia sẻ để tái sử dụng")`` ->
    ``"4.4 Hồ sơ số hóa kết nối, chia sẻ để tái sử dụng"``. Rows of the indicator table
    whose official number is not known (``3.x``, ``4.x``: domain.md §1.3 lists them
    without one) are named by their name alone, never by the placeholder id.
    """
    ident = str(indicator_id).strip() if isinstance(indicator_id, str) else ""
    name = str(name_vi).strip() if isinstance(name_vi, str) else ""
    if not name:
        return ident
    return f"{ident} {name}" if _NUMBERED_ID.match(ident) else name


def group_maxima(indicators: pd.DataFrame) -> dict[str, float]:
    """Maximum points of each group code (six-group codes, DVTT and TONG)."""
    by6 = indicators.groupby("group_code6")["max_points"].sum().to_dict()
    out = {code: float(by6.get(code, 0.0)) for code in GROUPS6}
    out["DVTT"] = out["CLGQ"] + out["TTTT"]
    out["TONG"] = float(indicators["max_points"].sum())
    return out


# --- published scores ----------------------------------------------------------------


def group_rows(index766: pd.DataFrame) -> pd.DataFrame:
    """The group and total rows of published scores (rows with an ``indicator_id`` dropped)."""
    if "indicator_id" not in index766 or not len(index766):
        return index766
    ids = index766["indicator_id"]
    return index766.loc[ids.isna() | (ids.astype("string").str.strip() == "")]


def indicator_rows(index766: pd.DataFrame) -> pd.DataFrame:
    """Published points per indicator (``period``, ``unit``, ``indicator_id``, ``score``).

    Empty when the scores give group points only.
    """
    columns = ["period", "unit", "indicator_id", "score"]
    if "indicator_id" not in index766 or not len(index766):
        return pd.DataFrame(columns=columns)
    ids = index766["indicator_id"].astype("string").str.strip()
    rows = index766.loc[ids.notna() & (ids != "")]
    out = rows.reindex(columns=columns).copy()
    out["indicator_id"] = ids.loc[rows.index]
    return out.reset_index(drop=True)


def _score_records(index766: pd.DataFrame) -> list[dict]:
    index766 = group_rows(index766)  # indicator rows: see indicator_rows
    cols = ["period", "unit", "group_code", "score", "max_score"]
    values = {c: index766[c].tolist() if c in index766 else [None] * len(index766) for c in cols}
    out = []
    for period, unit, code, score, max_score in zip(*values.values(), strict=True):
        if not isinstance(period, str) or not isinstance(code, str):
            continue
        out.append(
            {
                "period": period,
                "unit": unit if isinstance(unit, str) else "",
                "group_code": code,
                "score": float(score) if score is not None and score == score else np.nan,
                "max_score": float(max_score)
                if max_score is not None and max_score == max_score
                else np.nan,
            }
        )
    return out


def scores_wide(index766: pd.DataFrame, view: str = "6") -> pd.DataFrame:
    """Monthly scores as a wide table, one row per period (and unit when several).

    Args:
        index766: Canonical ``index766`` frame.
        view: ``"6"`` (CKMB, TDGQ, CLGQ, TTTT, MDSH, MDHL) or ``"5"`` (CKMB, TDGQ, DVTT,
            MDSH, MDHL).

    Returns:
        ``period``, [``unit`` if several units], the group columns, ``total`` (sum of
        the five groups; when a group is missing, the published TONG, else NaN),
        ``total_published`` (TONG, if given).
    """
    if view not in ("5", "6"):
        raise ValueError("view must be '5' or '6'")
    cells: dict[tuple[str, str], dict[str, float]] = {}
    for rec in _score_records(index766):
        cells.setdefault((rec["unit"], rec["period"]), {})[rec["group_code"]] = rec["score"]
    groups = list(GROUPS6 if view == "6" else GROUPS5)
    rows = []
    for (unit, period), got in sorted(cells.items()):
        g = {code: got.get(code, np.nan) for code in (*GROUPS6, "DVTT", "TONG")}
        if np.isnan(g["DVTT"]):
            g["DVTT"] = g["CLGQ"] + g["TTTT"]
        five = [g[c] for c in GROUPS5]
        total = float(sum(five)) if not any(np.isnan(five)) else g["TONG"]
        row = {"period": period, "unit": unit, **{c: g[c] for c in groups}}
        rows.append(row | {"total": total, "total_published": g["TONG"]})
    out = pd.DataFrame(rows, columns=["period", "unit", *groups, "total", "total_published"])
    for col in (*groups, "total", "total_published"):
        out[col] = out[col].astype("float64")
    if len({r["unit"] for r in rows}) <= 1:
        out = out.drop(columns="unit")
    return out


def trend(wide: pd.DataFrame) -> pd.DataFrame:
    """Add the trend columns to a wide score table.

    Adds ``change_vs_prev_month`` (total minus the previous listed month's total, same
    unit), ``prev_year_mean`` (mean total of the previous calendar year's months, NaN
    when none), ``diff_vs_prev_year_mean`` and ``below_prev_year_mean`` (boolean/NA).
    """
    out = wide.sort_values(
        ["unit", "period"] if "unit" in wide else ["period"], kind="stable"
    ).reset_index(drop=True)
    units = out["unit"].tolist() if "unit" in out else [""] * len(out)
    periods = out["period"].tolist()
    totals = out["total"].astype("float64").tolist()
    sums: dict[tuple[str, int], list[float]] = {}
    for unit, period, total in zip(units, periods, totals, strict=True):
        if not np.isnan(total):
            sums.setdefault((unit, int(period[:4])), []).append(total)
    change, prev_mean = [], []
    for i, (unit, period, total) in enumerate(zip(units, periods, totals, strict=True)):
        same = i > 0 and units[i - 1] == unit
        change.append(total - totals[i - 1] if same else np.nan)
        previous = sums.get((unit, int(period[:4]) - 1))
        prev_mean.append(float(np.mean(previous)) if previous else np.nan)
    out["change_vs_prev_month"] = np.asarray(change, dtype="float64")
    out["prev_year_mean"] = np.asarray(prev_mean, dtype="float64")
    out["diff_vs_prev_year_mean"] = out["total"] - out["prev_year_mean"]
    diff = out["diff_vs_prev_year_mean"]
    out["below_prev_year_mean"] = pd.array(
        [pd.NA if np.isnan(d) else bool(d < 0) for d in diff], dtype="boolean"
    )
    return out


def months_below(trended: pd.DataFrame, year: int, last_period: str | None = None) -> dict:
    """Months of ``year`` (up to ``last_period``, ``YYYY-MM``) below the previous year's mean.

    Returns:
        ``n_months`` (months of the year with a total), ``n_below`` (NaN when there is no
        previous-year score), ``months_below`` (``MM/YYYY`` list), ``prev_year_mean``,
        ``mean`` (the year's mean total), ``latest_period``, ``latest_total``.
    """
    sel = trended.loc[trended["period"].str.startswith(f"{year}-") & trended["total"].notna()]
    if last_period:
        sel = sel.loc[sel["period"] <= last_period]
    if not len(sel):
        return {
            "n_months": 0,
            "n_below": float("nan"),
            "months_below": [],
            "prev_year_mean": float("nan"),
            "mean": float("nan"),
            "latest_period": None,
            "latest_total": float("nan"),
        }
    prev = sel["prev_year_mean"]
    below = sel.loc[sel["below_prev_year_mean"].fillna(False).astype(bool), "period"]
    latest = sel.sort_values("period").iloc[-1]
    return {
        "n_months": len(sel),
        "n_below": float(len(below)) if prev.notna().any() else float("nan"),
        "months_below": [f"{p[5:7]}/{p[:4]}" for p in sorted(below.unique())],
        "prev_year_mean": float(prev.dropna().iloc[0]) if prev.notna().any() else float("nan"),
        "mean": float(sel["total"].mean()),
        "latest_period": latest["period"],
        "latest_total": float(latest["total"]),
    }


# --- estimate -------------------------------------------------------------------------


def score_points(rate, max_points, threshold) -> np.ndarray:
    """``max_points × min(1, rate ÷ threshold)`` (threshold NaN = 100%); NaN rate → NaN."""
    rate = np.asarray(rate, dtype="float64")
    thr = np.asarray(threshold, dtype="float64")
    thr = np.where(np.isnan(thr), 1.0, thr)
    return np.asarray(max_points, dtype="float64") * np.minimum(1.0, rate / thr)


def estimate_scores(
    monthly_rates: pd.DataFrame,
    indicators: pd.DataFrame,
    procedure_rates: dict | None = None,
    groups: tuple[int, ...] = (2, 3, 4),
    period_col: str = "month",
) -> pd.DataFrame:
    """Estimated points per month and indicator.

    Args:
        monthly_rates: One row per month (``period_col`` = ``YYYY-MM``) with the rate
            columns of :func:`tthc_analysis.metrics.rates.dossier_rates`.
        indicators: The indicator table (:func:`tthc_analysis.loading.reference.load_index766_indicators`).
        procedure_rates: Rates from the procedure catalogue (e.g. the columns of
            :func:`tthc_analysis.metrics.procedures.online_coverage`), the same every month.
        groups: Groups (1–5) to estimate.
        period_col: Name of the month column of ``monthly_rates``.

    Returns:
        One row per month × indicator of the chosen groups: ``period``,
        ``indicator_id``, ``group``, ``group_code6``, ``name_vi``, ``source``
        (``estimate_from``), ``rate`` (NaN when no data), ``threshold``, ``max_points``,
        ``points`` (NaN when no data), ``confirmed``, ``unconfirmed`` (bool).
    """
    procedure_rates = procedure_rates or {}
    ind = [r for r in indicators.to_dict("records") if r["group"] in groups]
    by_period: dict[str, dict] = {}
    for rec in monthly_rates.to_dict("records") if len(monthly_rates) else []:
        if isinstance(rec.get(period_col), str):
            by_period[rec[period_col]] = rec
    rows = []
    for period in sorted(by_period):
        for rec in ind:
            rate = _source_rate(rec["estimate_from"], by_period[period], procedure_rates)
            rows.append(
                {
                    "period": period,
                    "indicator_id": rec["indicator_id"],
                    "group": rec["group"],
                    "group_code6": rec["group_code6"],
                    "name_vi": rec["name_vi"],
                    "source": rec["estimate_from"],
                    "rate": rate,
                    "threshold": rec["threshold"],
                    "max_points": rec["max_points"],
                    "confirmed": rec["confirmed"],
                }
            )
    cols = ["period", "indicator_id", "group", "group_code6", "name_vi", "source", "rate"]
    out = pd.DataFrame(rows, columns=[*cols, "threshold", "max_points", "confirmed"])
    for col in ("rate", "threshold", "max_points"):
        out[col] = out[col].astype("float64")
    out["points"] = score_points(out["rate"], out["max_points"], out["threshold"])
    out["unconfirmed"] = (out["confirmed"] == "unconfirmed").astype(bool)
    return out


def _source_rate(source: str, month: dict, procedure_rates: dict) -> float:
    if not source or "." not in source:
        return float("nan")
    dataset, column = source.split(".", 1)
    if dataset == "dossiers":
        value = month.get(column)
    elif dataset == "procedures":
        value = procedure_rates.get(column)
    else:
        return float("nan")
    try:
        value = float(value)
    except (TypeError, ValueError):
        return float("nan")
    return value


def estimate_groups(estimate: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Estimated points per month and group (six-group codes plus DVTT).

    Returns:
        ``period``, ``group_code``, ``estimated`` (sum of the points of the indicators
        with data; NaN when none), ``estimable_max`` (their maximum points),
        ``group_max``, ``missing_vi`` (the scored indicators without data, each as
        :func:`indicator_label_vi`, separated by "; "),
        ``has_unconfirmed`` (an unconfirmed indicator contributes), ``label_vi``.
    """
    maxima = group_maxima(indicators)
    members: dict[tuple[str, str], list[dict]] = {}
    cols = [
        "period",
        "indicator_id",
        "name_vi",
        "group_code6",
        "max_points",
        "points",
        "unconfirmed",
    ]
    for rec in estimate[cols].to_dict("records"):
        members.setdefault((rec["period"], rec["group_code6"]), []).append(rec)
        if rec["group_code6"] in ("CLGQ", "TTTT"):
            members.setdefault((rec["period"], "DVTT"), []).append(rec)
    rows = [
        _group_row(period, code, recs, maxima[code])
        for (period, code), recs in sorted(members.items())
    ]
    columns = [
        "period",
        "group_code",
        "estimated",
        "estimable_max",
        "group_max",
        "missing_vi",
        "has_unconfirmed",
        "label_vi",
    ]
    return pd.DataFrame(rows, columns=columns)


def _group_row(period: str, code: str, recs: list[dict], group_max: float) -> dict:
    with_data = [r for r in recs if not np.isnan(r["points"])]
    missing = [
        indicator_label_vi(r["indicator_id"], r["name_vi"])
        for r in recs
        if np.isnan(r["points"]) and r["max_points"] > 0
    ]
    return {
        "period": period,
        "group_code": code,
        "estimated": float(sum(r["points"] for r in with_data)) if with_data else float("nan"),
        "estimable_max": float(sum(r["max_points"] for r in with_data)),
        "group_max": group_max,
        "missing_vi": "; ".join(missing),
        "has_unconfirmed": any(r["unconfirmed"] and r["max_points"] > 0 for r in with_data),
        "label_vi": ESTIMATE_LABEL_VI,
    }


def online_services_used_by_month(
    online_services: pd.DataFrame, online_by_procedure_month: pd.DataFrame
) -> pd.DataFrame:
    """Indicator 3.2 month by month: online services that received an online dossier.

    Args:
        online_services: The online services (procedures in force at full or partial
            level; :func:`tthc_analysis.metrics.procedures.online_services_with_dossiers`),
            with ``procedure_code``.
        online_by_procedure_month: ``procedure_code``, ``month`` (``YYYY-MM``) and
            ``n_online`` (online dossiers received), e.g.
            :func:`tthc_analysis.metrics.rates.dossier_rates` by procedure and calendar month.

    Returns:
        One row per month of ``online_by_procedure_month``: ``month``,
        ``n_online_services``, ``n_online_services_used`` and
        ``online_services_used_share`` (NaN when there is no online service).
    """
    services = set(online_services["procedure_code"].dropna()) if len(online_services) else set()
    months = (
        sorted(set(online_by_procedure_month["month"].astype(str)))
        if len(online_by_procedure_month)
        else []
    )
    used: dict[str, set] = {m: set() for m in months}
    if len(online_by_procedure_month):
        sel = online_by_procedure_month.loc[online_by_procedure_month["n_online"] > 0]
        for code, month in zip(sel["procedure_code"], sel["month"].astype(str), strict=True):
            if code in services:
                used[month].add(code)
    n = len(services)
    rows = [
        {
            "month": m,
            "n_online_services": n,
            "n_online_services_used": len(used[m]),
            "online_services_used_share": len(used[m]) / n if n else np.nan,
        }
        for m in months
    ]
    columns = ["month", "n_online_services", "n_online_services_used", "online_services_used_share"]
    out = pd.DataFrame(rows, columns=columns)
    out["online_services_used_share"] = out["online_services_used_share"].astype("float64")
    return out


def _points_text(value: float) -> str:
    return format_number(value, 0 if float(value).is_integer() else 2)


def compare_scores(
    wide6: pd.DataFrame,
    groups_estimate: pd.DataFrame,
    published_indicators: pd.DataFrame | None = None,
    estimate: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Published and estimated scores side by side, like with like, per month and group.

    The difference compares only what the estimate covers: when the estimate of a
    group covers all its points (``estimable_max == group_max``), the published group
    score is compared; when it covers only some of them, the published group score
    cannot be split, so the difference is empty (NaN) and ``comparison_vi`` says how
    many points are not estimated — unless published points per indicator are given
    (``published_indicators``), in which case the published points of the covered
    indicators are summed and compared (``published_compared``).

    Args:
        wide6: :func:`scores_wide` with ``view="6"`` (a single unit).
        groups_estimate: :func:`estimate_groups`.
        published_indicators: Optional published points per indicator: ``period``,
            ``indicator_id``, ``score``.
        estimate: :func:`estimate_scores` (needed with ``published_indicators``: which
            indicators the estimate covers).

    Returns:
        One row per month (published or estimated) and estimated group: ``period``,
        ``group_code``, ``group_name_vi``, ``published`` (the group's published score),
        ``estimated``, ``estimable_max``, ``group_max``, ``points_not_estimated``
        (group maximum − points the estimate covers), ``published_compared`` (the
        published points of the covered indicators; NaN when unknown),
        ``difference`` (estimated − published_compared), ``comparison_vi`` (what is
        compared, in Vietnamese), ``missing_vi``, ``has_unconfirmed``, ``label_vi``.
    """
    estimated = {(r["period"], r["group_code"]): r for r in groups_estimate.to_dict("records")}
    codes = [c for c in (*GROUPS6, "DVTT") if c in {k[1] for k in estimated}]
    published: dict[tuple[str, str], float] = {}
    for rec in wide6.to_dict("records") if len(wide6) else []:
        if "DVTT" not in rec and "CLGQ" in rec and "TTTT" in rec:
            rec["DVTT"] = rec["CLGQ"] + rec["TTTT"]
        for code in codes:
            if code in rec:
                published[(rec["period"], code)] = float(rec[code])
    by_indicator = _published_covered(published_indicators, estimate)
    group_max = {k[1]: r["group_max"] for k, r in estimated.items()}
    rows = []
    for period, code in sorted(set(estimated) | set(published)):
        est = estimated.get((period, code), {})
        pub = published.get((period, code), np.nan)
        value = est.get("estimated", np.nan)
        gmax = group_max.get(code, np.nan)
        covered = est.get("estimable_max", np.nan)
        not_estimated = gmax - covered if not np.isnan(covered) else gmax
        full = not np.isnan(covered) and covered >= gmax - 1e-9
        compared, text = _compared(
            pub, value, full, covered, gmax, not_estimated, by_indicator.get((period, code))
        )
        rows.append(
            {
                "period": period,
                "group_code": code,
                "group_name_vi": GROUP_NAMES_VI[code],
                "published": pub,
                "estimated": value,
                "estimable_max": covered,
                "group_max": gmax,
                "points_not_estimated": not_estimated,
                "published_compared": compared,
                "difference": value - compared,
                "comparison_vi": text,
                "missing_vi": est.get("missing_vi", ""),
                "has_unconfirmed": bool(est.get("has_unconfirmed", False)),
                "label_vi": ESTIMATE_LABEL_VI,
            }
        )
    columns = [
        "period",
        "group_code",
        "group_name_vi",
        "published",
        "estimated",
        "estimable_max",
        "group_max",
        "points_not_estimated",
        "published_compared",
        "difference",
        "comparison_vi",
        "missing_vi",
        "has_unconfirmed",
        "label_vi",
    ]
    out = pd.DataFrame(rows, columns=columns)
    for col in (
        "published",
        "estimated",
        "estimable_max",
        "group_max",
        "points_not_estimated",
        "published_compared",
        "difference",
    ):
        out[col] = out[col].astype("float64")
    return out


def _published_covered(
    published_indicators: pd.DataFrame | None, estimate: pd.DataFrame | None
) -> dict[tuple[str, str], float]:
    """Published points of the indicators the estimate covers, per month and group."""
    if published_indicators is None or estimate is None or not len(published_indicators):
        return {}
    covered = estimate.loc[estimate["points"].notna() & (estimate["max_points"] > 0)]
    pub = {
        (str(p), str(i)): float(s)
        for p, i, s in zip(
            published_indicators["period"],
            published_indicators["indicator_id"],
            published_indicators["score"],
            strict=True,
        )
    }
    out: dict[tuple[str, str], float] = {}
    missing: set[tuple[str, str]] = set()
    for rec in covered.to_dict("records"):
        codes = [rec["group_code6"]] + (["DVTT"] if rec["group_code6"] in ("CLGQ", "TTTT") else [])
        value = pub.get((rec["period"], rec["indicator_id"]))
        for code in codes:
            key = (rec["period"], code)
            if value is None:
                missing.add(key)
            else:
                out[key] = out.get(key, 0.0) + value
    return {k: v for k, v in out.items() if k not in missing}


def _compared(pub, value, full, covered, gmax, not_estimated, by_indicator):
    """The published points to compare with the estimate, and the note saying which."""
    if np.isnan(value):
        return np.nan, ""
    if by_indicator is not None:
        return by_indicator, (
            f"So sánh {_points_text(covered)}/{_points_text(gmax)} điểm được ước tính "
            f"(điểm công bố của cùng các chỉ số); {_points_text(not_estimated)} điểm "
            "không ước tính"
        )
    if full:
        return pub, f"So sánh cả nhóm ({_points_text(gmax)}/{_points_text(gmax)} điểm)"
    return np.nan, (
        f"Không so sánh: ước tính chỉ gồm {_points_text(covered)}/{_points_text(gmax)} "
        f"điểm, {_points_text(not_estimated)} điểm không ước tính; điểm công bố của cả "
        "nhóm không tách được theo chỉ số"
    )


# --- periods other than months (issue 11) -----------------------------------------------------

MONTH_PERIOD = re.compile(r"^\d{4}-\d{2}$")
"""A month period (``YYYY-MM``); a quarter is ``YYYY-Qn`` and a year ``YYYY``."""


def split_periods(index766: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(monthly scores, quarter and year scores) of a canonical ``index766`` frame.

    The portal scores calendar months (domain.md §0); a score saved for a quarter or a
    year is kept as such and never mixed into the monthly trend or the previous year's
    monthly mean.
    """
    if not len(index766) or "period" not in index766:
        return index766, index766.iloc[0:0]
    monthly = index766["period"].astype(str).str.match(MONTH_PERIOD.pattern).to_numpy(dtype=bool)
    return index766.loc[monthly], index766.loc[~monthly]
