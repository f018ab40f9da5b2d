"""tthc-analysis: evaluate a Sở GD&ĐT's plan for TTHC control and the one-stop mechanism.

The public API re-exported here is what notebooks use; everything else is reachable
through its module. The names are imported on first use, so ``import tthc_analysis``
stays fast:

- :func:`load_plan` (``tthc_analysis.plan``): the plan's sections and tasks;
- :func:`load_tables` (``tthc_analysis.loading.ingest``): the exports, validated and cached;
- :func:`evaluate` (``tthc_analysis.evaluation.evaluate``): every task, indicator and table at once;
- :func:`load_context` (``tthc_analysis.views.context``): tables and evaluation for a
  notebook's parameters (shared by the kernels of a review build);
- :func:`open_page` (``tthc_analysis.views``): the page behind an analyst notebook.
"""

from __future__ import annotations

from tthc_analysis._lazy import lazy_exports

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "evaluate",
    "load_context",
    "load_plan",
    "load_tables",
    "open_page",
]

_LAZY = {
    "evaluate": "tthc_analysis.evaluation.evaluate",
    "load_context": "tthc_analysis.views.context",
    "load_plan": "tthc_analysis.plan",
    "load_tables": "tthc_analysis.loading.ingest",
    "open_page": "tthc_analysis.views",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY, globals())
