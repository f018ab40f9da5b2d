"""Synthetic monthly scores of the 766 index (six-group view), 01/2024–11/2025.

The totals of 2024 rise from about 67 to 73 points (mean about 70); the 2025 totals rise
from about 75 (January) to about 90 (November), never below the 2024 mean. December's score is published in
January, after the export cut-off. Each month has the six group rows (group names in
Vietnamese, as the portal shows them) and a published total (``Tổng điểm``). The unit
scored is the Sở of Bình Phước until 06/2025 and the Sở of Đồng Nai from 07/2025.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tthc_analysis.fields import dataset_fields

__all__ = ["GROUP_MAX", "UNIT_FROM_07_2025", "UNIT_NAME", "generate_scores"]

UNIT_NAME = "Sở Giáo dục và Đào tạo tỉnh Bình Phước"
"""The Sở scored until 06/2025 (the portal names the unit scored)."""

UNIT_FROM_07_2025 = "Sở Giáo dục và Đào tạo tỉnh Đồng Nai"
"""The Sở scored from 07/2025: Bình Phước merged into Đồng Nai on 01/07/2025 (issue 13;
the settings' ``organisation.bodies`` roll the first into the second)."""

GROUP_MAX = {"CKMB": 18.0, "TDGQ": 20.0, "CLGQ": 12.0, "TTTT": 10.0, "MDSH": 22.0, "MDHL": 18.0}
"""Maximum points of the six groups (DVCQG display; CLGQ + TTTT = 22)."""

# (start of 2024, end of 2024 / start of 2025, end of 11/2025) for each group.
_PATH = {
    "CKMB": (14.5, 15.2, 17.4),
    "TDGQ": (17.8, 18.4, 19.5),
    "CLGQ": (3.8, 4.6, 8.6),
    "TTTT": (4.2, 5.0, 8.4),
    "MDSH": (13.0, 15.0, 19.8),
    "MDHL": (14.0, 15.0, 16.8),
}


def _series(rng: np.random.Generator, start: float, mid: float, end: float) -> np.ndarray:
    """23 monthly values: 12 for 2024 (start → mid), 11 for 2025 (mid → end), with noise."""
    y2024 = np.linspace(start, mid, 12) + rng.normal(0, 0.25, 12)
    y2025 = np.linspace(mid + 0.3, end, 11) + rng.normal(0, 0.2, 11)
    return np.concatenate([y2024, y2025])


def generate_scores(rng: np.random.Generator) -> pd.DataFrame:
    """The monthly scores as a canonical ``index766`` frame (rows by month, group)."""
    periods = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 12)]
    values = {}
    for code, (a, b, c) in _PATH.items():
        values[code] = np.clip(np.round(_series(rng, a, b, c), 2), 0, GROUP_MAX[code])
    rows = []
    for i, period in enumerate(periods):
        unit = UNIT_FROM_07_2025 if period >= "2025-07" else UNIT_NAME
        total = 0.0
        for code in GROUP_MAX:
            score = float(values[code][i])
            total += score
            rows.append((period, unit, code, score, GROUP_MAX[code]))
        rows.append((period, unit, "TONG", round(total, 2), 100.0))
    columns = ["period", "unit", "group_code", "score", "max_score"]  # group rows only
    df = pd.DataFrame(rows, columns=[c for c in dataset_fields("index766") if c in columns])
    return df
