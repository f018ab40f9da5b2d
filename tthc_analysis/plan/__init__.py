"""The TTHC-control plan as data.

``load_plan()`` returns the bundled 2025 plan (dispatch 655/SGDĐT-VP, ``data/plan/``);
``parse_plan(path)`` reads another plan in the official text layout, or a plan table
in .xlsx / .csv; ``parse_timeframe`` turns "Thời gian thực hiện" into a cadence;
``normalise_unit`` / ``split_units`` read unit names; ``lint_plan`` lists internal
inconsistencies for a reviewer.
"""

from __future__ import annotations

from tthc_analysis.plan.export import (
    plan_to_csv,
    plan_to_json,
    plan_to_records,
    plan_to_table,
    write_plan_csv,
)
from tthc_analysis.plan.lint import LintIssue, format_issues, issues_frame, lint_plan
from tthc_analysis.plan.model import (
    CADENCES,
    PLAN_SECTION_COLUMNS,
    PLAN_TASK_COLUMNS,
    TASK_JSON_KEYS,
    Plan,
    PlanMeta,
)
from tthc_analysis.plan.parser import BUNDLED_PLAN, BUNDLED_SOURCE, load_plan, parse_plan
from tthc_analysis.plan.timeframe import CADENCE_LABELS_VI, Timeframe, parse_timeframe
from tthc_analysis.plan.units import is_known_unit, normalise_unit, split_units

__all__ = [
    "BUNDLED_PLAN",
    "BUNDLED_SOURCE",
    "CADENCES",
    "CADENCE_LABELS_VI",
    "PLAN_SECTION_COLUMNS",
    "PLAN_TASK_COLUMNS",
    "TASK_JSON_KEYS",
    "LintIssue",
    "Plan",
    "PlanMeta",
    "Timeframe",
    "format_issues",
    "is_known_unit",
    "issues_frame",
    "lint_plan",
    "load_plan",
    "normalise_unit",
    "parse_plan",
    "parse_timeframe",
    "plan_to_csv",
    "plan_to_json",
    "plan_to_records",
    "plan_to_table",
    "split_units",
    "write_plan_csv",
]
