"""The logic behind the notebooks: one page per notebook, each cell one call.

- :func:`open_page` (``page.py``): prepare the notebook, load the shared evaluation,
  show the header, return the page of ``"00"`` (overview), ``"I"``…``"IX"`` (the plan's
  sections) or ``"10"`` (year-end review);
- ``overview.py``, ``plan_pages.py`` (I–V, VIII), ``service_pages.py`` (VI, VII, IX),
  ``year_end.py``: the pages and their tables and charts;
- ``actions.py``: what to do next, derived from the data (:func:`next_steps`);
- ``summaries.py``: Vietnamese paragraphs summing up a section or the plan;
- ``blocks.py``: :class:`View`, what a page method returns (escaped HTML and charts);
- ``context.py``: the tables and the evaluation of a notebook's parameters, computed
  once per review build (:func:`tthc_analysis.views.context.load_context`).

Submodules are imported on first use, so ``import tthc_analysis.views`` is cheap.
"""

from __future__ import annotations

from tthc_analysis._lazy import lazy_exports

__all__ = [
    "View",
    "actions_by_section",
    "next_steps",
    "open_page",
    "page_class",
    "section_paragraph",
]

_EXPORTS = {
    "View": "tthc_analysis.views.blocks",
    "open_page": "tthc_analysis.views.page",
    "page_class": "tthc_analysis.views.page",
    "next_steps": "tthc_analysis.views.actions",
    "actions_by_section": "tthc_analysis.views.actions",
    "section_paragraph": "tthc_analysis.views.summaries",
}


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
