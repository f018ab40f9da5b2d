"""Charts of the package: pure functions from DataFrames to matplotlib figures.

Every chart function takes a DataFrame and returns a :class:`matplotlib.figure.Figure`
built on a bare figure (no pyplot state) in the package's one style
(:mod:`tthc_analysis.charts.style`); none saves or shows anything. Targets are drawn
as dashed lines with ``gid`` ``"target"`` whenever a target is given.
"""

from __future__ import annotations

from tthc_analysis.charts.dossier_charts import FORM06_OUTCOMES, form06_breakdown
from tthc_analysis.charts.evidence_charts import evidence_vs_cadence, period_totals
from tthc_analysis.charts.index766_charts import (
    index766_groups,
    index766_totals,
    index766_trend,
)
from tthc_analysis.charts.plan_charts import (
    CADENCE_LABELS_VI,
    indicator_vs_target,
    plan_timeline,
    section_progress,
)
from tthc_analysis.charts.style import (
    COLUMN_LABELS_VI,
    STYLE,
    chart_style,
    figure_texts,
    figure_to_png_bytes,
    missing_glyphs,
    month_label,
    use_style,
)
from tthc_analysis.charts.trend_charts import monthly_trend, unit_month_heatmap

__all__ = [
    "CADENCE_LABELS_VI",
    "COLUMN_LABELS_VI",
    "FORM06_OUTCOMES",
    "STYLE",
    "chart_style",
    "evidence_vs_cadence",
    "figure_texts",
    "figure_to_png_bytes",
    "form06_breakdown",
    "index766_groups",
    "index766_totals",
    "index766_trend",
    "indicator_vs_target",
    "missing_glyphs",
    "month_label",
    "monthly_trend",
    "period_totals",
    "plan_timeline",
    "section_progress",
    "unit_month_heatmap",
    "use_style",
]
