"""The organisation change of 01/07/2025 in the synthetic sample (issue 13).

Bình Phước merged into Đồng Nai on 01/07/2025 (domain.md §8). The sample models:

- **Units renamed**: from 01/07/2025 the dossiers of "Phòng Giáo dục Trung học" are
  handled by its successor "Phòng Giáo dục phổ thông" (``data/reference/units.csv``).
- **A second export format from July**: the new dossier system (profile ``D`` of
  :mod:`tthc_analysis.sample.writers`) writes the July–December files, with the optional
  column "Mã hồ sơ cũ".
- **Carried dossiers**: every dossier received before 01/07/2025 and not finished by then
  is exported twice: by the old system (in its receipt month's file, in its state at
  the switch: still being processed) and by the new system (appended to the July file,
  with a new id ``{NEW_UNIT_ID}-250701-{seq}``, its final state, the unit that received
  it and its old code in "Mã hồ sơ cũ"). The last :data:`UNMATCHED` of them (received on 30/06/2025, after
  the old system's last export) are only in the new system, without an old code: they
  cannot be verified and the data-quality page reports them; each dossier is still
  exported once by each system at most, so nothing is counted twice.

The canonical ``SampleData.dossiers`` keeps one row per dossier (the truth the planted
expectations are computed from); only the written exports repeat the carried dossiers.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

__all__ = [
    "NEW_UNIT_ID",
    "RENAMED_UNITS",
    "SWITCH_ON",
    "UNMATCHED",
    "carried_id_map",
    "carried_rows",
    "rename_units",
]

SWITCH_ON = date(2025, 7, 1)
"""First day of the merged Sở and of its dossier system."""
NEW_UNIT_ID = "000.00.12.H19"
"""Synthetic identification code of the merged Sở (prefix of the new system's ids)."""
RENAMED_UNITS = {"Phòng Giáo dục Trung học": "Phòng Giáo dục phổ thông"}
"""Units renamed on :data:`SWITCH_ON` (old name -> successor, as in ``units.csv``)."""
UNMATCHED = 2
"""Carried dossiers whose new-system record has no old code (the last ones by receipt)."""


def rename_units(dossiers: pd.DataFrame) -> pd.DataFrame:
    """Dossiers received from :data:`SWITCH_ON` carry the successor unit's name."""
    out = dossiers.copy()
    after = out["received_at"] >= pd.Timestamp(SWITCH_ON)
    for old, new in RENAMED_UNITS.items():
        out.loc[after & (out["unit"] == old), "unit"] = new
    return out


_NOT_RECEIVED = ("registered", "refused_intake")
"""Statuses of dossiers that were never received (issue 12 rule 1): never carried."""


def _carried_mask(cols: dict[str, np.ndarray]) -> np.ndarray:
    switch = np.datetime64(SWITCH_ON, "m")
    received = cols["received_at"].astype("datetime64[m]")
    completed = cols["completed_at"].astype("datetime64[m]")
    # Dossiers never received (only registered, refused at the counter) are not carried.
    received_ok = ~np.isin(cols["status"].astype(str), list(_NOT_RECEIVED))
    return received_ok & (received < switch) & (np.isnat(completed) | (completed >= switch))


def carried_rows(months: dict[str, dict[str, np.ndarray]]) -> None:
    """Export the carried dossiers twice, in place (see the module docstring).

    In each pre-switch month file the carried rows are set to their state at the switch
    (``processing``, no end or return date, no result); the new-system rows are appended
    to the July file.
    """
    new_rows: list[dict] = []
    for month in sorted(m for m in months if m < f"{SWITCH_ON:%Y-%m}"):
        cols = months[month]
        mask = _carried_mask(cols)
        if not mask.any():
            continue
        for i in np.flatnonzero(mask):
            new_rows.append({c: v[i] for c, v in cols.items()})
        cols["status"] = np.where(mask, "processing", cols["status"]).astype(cols["status"].dtype)
        nat = np.datetime64("NaT", "m")
        for column in ("completed_at", "returned_at"):
            cols[column] = np.where(mask, nat, cols[column].astype("datetime64[m]"))
        for column in ("has_e_result", "result_channel", "has_apology", "overdue_reason"):
            values = cols[column].astype(object)
            values[mask] = None
            cols[column] = values
    if not new_rows:
        return
    new_rows.sort(key=lambda r: (r["received_at"], r["dossier_id"]))
    _drop_from_old_export(months, {r["dossier_id"] for r in new_rows[len(new_rows) - UNMATCHED :]})
    july = months[f"{SWITCH_ON:%Y-%m}"]
    stamp = f"{SWITCH_ON:%y%m%d}"
    for seq, row in enumerate(new_rows, start=1):
        old_id = row["dossier_id"]
        row["dossier_id"] = f"{NEW_UNIT_ID}-{stamp}-{5000 + seq:04d}"
        row["previous_dossier_id"] = old_id if seq <= len(new_rows) - UNMATCHED else None
    for column, values in july.items():
        extra = np.array([r[column] for r in new_rows], dtype=values.dtype)
        july[column] = np.concatenate([values, extra])


def _drop_from_old_export(months: dict[str, dict[str, np.ndarray]], ids: set[str]) -> None:
    """Leave ``ids`` out of the old system's files (received after its last export)."""
    for month in [m for m in months if m < f"{SWITCH_ON:%Y-%m}"]:
        cols = months[month]
        keep = ~np.isin(cols["dossier_id"].astype(str), list(ids))
        if not keep.all():
            months[month] = {c: v[keep] for c, v in cols.items()}


def carried_id_map(dossiers: pd.DataFrame) -> dict[str, str]:
    """New-system id -> old id of every carried dossier of the canonical ``dossiers``.

    The same numbering as :func:`carried_rows` (by receipt time, then old id), including
    the :data:`UNMATCHED` ones whose export lacks the old code (for round-trip checks).
    """
    switch = pd.Timestamp(SWITCH_ON)
    done = dossiers["completed_at"]
    received_ok = ~dossiers["status"].astype(str).isin(_NOT_RECEIVED)
    sel = dossiers.loc[
        received_ok & (dossiers["received_at"] < switch) & (done.isna() | (done >= switch))
    ]
    sel = sel.sort_values(["received_at", "dossier_id"], kind="stable")
    stamp = f"{SWITCH_ON:%y%m%d}"
    return {
        f"{NEW_UNIT_ID}-{stamp}-{5000 + seq:04d}": old
        for seq, old in enumerate(sel["dossier_id"], start=1)
    }
