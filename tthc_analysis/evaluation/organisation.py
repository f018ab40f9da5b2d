"""The organisation change of the plan year, as the evaluation reports it (issue 13).

Facts come from :mod:`tthc_analysis.loading.organisation` (units' validity and
successors, issuing bodies by date, dossier-system switch); this module puts them
together for one evaluation: the body issuing the report on its as-of date, the heading
note naming the body that ran the plan before the change, the flag for comparisons
across the change, the units rolled into their successors, and what the dossier-system
switch matched or could not match.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from tthc_analysis.evaluation.params import EvaluationParams
from tthc_analysis.loading.organisation import (
    SwitchReport,
    attribute_scores,
    body_spans,
    break_in,
    issuer_note_vi,
    issuing_body,
    match_system_switch,
    roll_note_vi,
    unit_spans,
)
from tthc_analysis.loading.reference import References
from tthc_analysis.text import format_date

__all__ = ["OrganisationResult", "evaluate_organisation"]


@dataclass
class OrganisationResult:
    """The organisation change seen by one evaluation.

    Attributes:
        issuer_vi: The body issuing the report (in force on the as-of date; the plan's
            issuer when no body is configured).
        issuer_note_vi: Heading note when the plan year crosses a change of issuing body
            ("" otherwise).
        break_on: First day of the change inside the year up to the as-of date, if any.
        cross_break_vi: Flag for comparisons across the change ("" when none).
        unit_notes: Successor unit -> note naming the predecessors rolled into it.
        switch: What the dossier-system switch matched and could not match.
    """

    issuer_vi: str = ""
    issuer_note_vi: str = ""
    break_on: date | None = None
    cross_break_vi: str = ""
    unit_notes: dict[str, str] = field(default_factory=dict)
    switch: SwitchReport = field(default_factory=SwitchReport)

    def warnings_vi(self) -> list[str]:
        """One warning for every page when the year crosses the change."""
        if self.break_on is None:
            return []
        renamed = "; ".join(f"{k}: {v[0].lower()}{v[1:]}" for k, v in self.unit_notes.items())
        return [
            f"Thay đổi tổ chức từ {format_date(self.break_on)}: {self.issuer_note_vi}"
            + (f" Đơn vị sắp xếp lại: {renamed}." if renamed else "")
            + " So sánh số liệu trước và sau mốc này (điểm 766, số liệu theo đơn vị) chỉ "
            "để tham khảo."
        ]


def evaluate_organisation(
    all_dossiers: pd.DataFrame,
    dossiers: pd.DataFrame,
    params: EvaluationParams,
    refs: References,
    plan_issuer: str = "",
    scores: pd.DataFrame | None = None,
) -> OrganisationResult:
    """The organisation change for ``params``.

    Args:
        all_dossiers: The dossiers as loaded (before matching), for the switch report.
        dossiers: The dossiers evaluated (matched, attributed to the unit in force).
        params: The evaluation parameters.
        refs: The reference tables (settings with the issuing bodies, unit rows).
        plan_issuer: The plan's issuer (fallback when no body is configured).
        scores: The published 766 scores as loaded: their units (or the Sở) rolled into
            a successor are named in ``unit_notes`` too.
    """
    settings = refs.settings
    as_of = params.as_of
    issuer = issuing_body(as_of, settings, plan_issuer)
    start = date(params.year, 1, 1)
    change = break_in(start, as_of, settings)
    cross = ""
    if change is not None:
        before = issuing_body(change - timedelta(days=1), settings, plan_issuer)
        cross = (
            f"so sánh qua mốc thay đổi tổ chức {format_date(change)} ({before} → {issuer}): "
            "số liệu trước và sau mốc thuộc hai đơn vị khác nhau, chỉ để tham khảo"
        )
    _, switch = match_system_switch(all_dossiers, settings.organisation.system_switch_on)
    spans = unit_spans(refs.units)
    notes = roll_note_vi(pd.Series(dossiers["unit"]), spans) if len(dossiers) else {}
    if scores is not None and len(scores):
        _, score_notes = attribute_scores(scores, spans | body_spans(settings))
        notes |= {k: v for k, v in score_notes.items() if k not in notes}
    return OrganisationResult(
        issuer_vi=issuer,
        issuer_note_vi=issuer_note_vi(start, date(params.year, 12, 31), as_of, settings, ""),
        break_on=change,
        cross_break_vi=cross,
        unit_notes=notes,
        switch=switch,
    )
