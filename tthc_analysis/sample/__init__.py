"""Deterministic synthetic exports of the Sở GD&ĐT for 2025, with planted gaps.

Public API:

- :func:`write_sample` writes the raw exports (``tthc sample``);
- :func:`build_sample` returns the same data as canonical frames;
- :data:`PLANTED` lists the planted row defects, gaps and expected task statuses;
- :func:`expected_task_statuses` gives the status of each of the 24 plan tasks that the
  evaluation should find on the bundled small sample.

The data are synthetic; every file says so (``SAMPLE.json`` ``"synthetic": true`` and a
README).
"""

from tthc_analysis.sample.generator import (
    GENERATOR_VERSION,
    SCALES,
    SampleData,
    build_sample,
    write_sample,
)
from tthc_analysis.sample.planted import (
    DEFECTS,
    PLANTED,
    TASK_IDS,
    Defect,
    PlantedItem,
    expected_task_statuses,
)

__all__ = [
    "DEFECTS",
    "GENERATOR_VERSION",
    "PLANTED",
    "SCALES",
    "TASK_IDS",
    "Defect",
    "PlantedItem",
    "SampleData",
    "build_sample",
    "expected_task_statuses",
    "write_sample",
]
