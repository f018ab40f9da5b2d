"""Which tasks and which rows of the data concern some units.

:func:`task_matches_units` keeps a task whose lead or partner units include one of the
units, directly or through a group unit ("Các phòng" covers every unit, "Các phòng có
TTHC" those with procedures). :func:`filter_tables_by_units` limits the data tables the
way the evaluation and the notebook pages do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from tthc_analysis.fields import DATASETS
from tthc_analysis.loading.organisation import (
    attribute_scores,
    attribute_units,
    body_spans,
    match_system_switch,
    unit_lineage,
    unit_table,
)
from tthc_analysis.plan.units import normalise_unit, unit_reference

if TYPE_CHECKING:
    from tthc_analysis.config import Settings
    from tthc_analysis.loading.ingest import Tables

__all__ = ["filter_tables_by_units", "task_matches_units"]


def task_matches_units(
    lead_unit: str, partner_units, units: Sequence[str], reference: Sequence[dict] | None = None
) -> bool:
    """Whether a task concerns any of ``units`` (directly or through a group unit).

    ``reference`` is the unit reference (:attr:`tthc_analysis.loading.reference.References.units`;
    default: :func:`tthc_analysis.plan.units.unit_reference`).
    """
    wanted = {normalise_unit(u) for u in units}
    ref = unit_reference() if reference is None else reference
    groups = {r["name_vi"]: r for r in ref if r.get("kind") == "group"}
    tthc = {r["name_vi"] for r in ref if str(r.get("has_tthc", "")).lower() == "true"}
    named = [lead_unit, *(list(partner_units) if partner_units is not None else [])]
    for unit in named:
        if not isinstance(unit, str) or not unit:
            continue
        if unit in wanted:
            return True
        group = groups.get(unit)
        if group is None:
            continue
        if group.get("unit_code") == "ALL_TTHC":
            if wanted & tthc:
                return True
        elif wanted - set(groups):
            return True
    return False


def _unit_mask(values: pd.Series, units: list[str]) -> pd.Series:
    uniques = values.dropna().unique()
    mapping = {u: normalise_unit(u) for u in uniques}
    return values.map(mapping).isin(units).fillna(False).astype(bool)


def _dossier_units(dossiers: pd.DataFrame, procedures: pd.DataFrame) -> pd.Series:
    unit = dossiers["unit"]
    if unit.isna().any() and len(procedures):
        lookup = procedures.drop_duplicates("procedure_code").set_index("procedure_code")["unit"]
        unit = unit.fillna(dossiers["procedure_code"].map(lookup))
    return unit


def filter_tables_by_units(
    tables: Tables, units: list[str] | None, settings: Settings | None = None
) -> dict[str, pd.DataFrame]:
    """The data tables limited to ``units`` (canonical names), as :func:`tthc_analysis.evaluation.evaluate.evaluate` uses them.

    Dossiers are first matched across a switch of dossier system and attributed to the
    unit in force on their receipt date (:mod:`tthc_analysis.loading.organisation`).
    Dossiers, procedures and PAKN keep the rows of those units and of their predecessors
    and successors (a dossier without a unit takes its procedure's unit); evidence is filtered as :func:`_filter_activities`
    describes; the 766 scores and report submissions are not filtered. ``None``
    keeps everything. The 766 scores are attributed to the unit (or Sở) in force on each
    month and rolled into the last successor (:func:`attribute_scores`, with the issuing
    bodies of ``settings``: default, those of the data folder).
    """
    frames = {name: getattr(tables, name) for name in DATASETS}
    # Organisation change (issue 13): one row per dossier across a switch of dossier
    # system (matched by the old code), each attributed to the unit in force on its date.
    if len(frames["dossiers"]):
        matched, _ = match_system_switch(frames["dossiers"], None)
        frames["dossiers"] = attribute_units(matched, unit_table())
    if len(frames["index766"]):
        if settings is None:
            from tthc_analysis.config import load_settings

            settings = load_settings(data_dir=getattr(tables, "raw_dir", None) or None)
        spans = unit_table() | body_spans(settings)
        frames["index766"], _ = attribute_scores(frames["index766"], spans)
    if not units:
        return frames
    d, p = frames["dossiers"], frames["procedures"]
    units = unit_lineage(units, unit_table())  # a renamed unit is the same unit
    frames["dossiers"] = d.loc[_unit_mask(_dossier_units(d, p), units)]
    frames["procedures"] = p.loc[_unit_mask(p["unit"], units)]
    frames["feedback"] = frames["feedback"].loc[_unit_mask(frames["feedback"]["unit"], units)]
    frames["activities"] = _filter_activities(frames["activities"], tables.plan.tasks, units)
    return frames


def _filter_activities(
    activities: pd.DataFrame, plan_tasks: pd.DataFrame, units: list[str]
) -> pd.DataFrame:
    """Evidence of the selected units and of the units that run the task with them.

    Kept: rows of the selected units, rows without a unit, and rows of the task's lead
    unit or of a partner unit named individually (e.g. the Office coordinating a task of
    "Các phòng có TTHC"): their documents are the task's evidence for every unit taking
    part. Dropped: rows of other individual units.
    """
    if not len(activities):
        return activities
    own: dict[str, set[str]] = {}
    for task in plan_tasks.itertuples(index=False):
        partners = list(task.partner_units) if task.partner_units is not None else []
        own[task.task_id] = {u for u in [task.lead_unit, *partners] if isinstance(u, str)}
    unit = activities["unit"]
    canonical = unit.map({u: normalise_unit(u) for u in unit.dropna().unique()})
    keep = [
        pd.isna(u) or u in units or u in own.get(t, set())
        for t, u in zip(activities["task_id"], canonical, strict=True)
    ]
    return activities.loc[keep]
