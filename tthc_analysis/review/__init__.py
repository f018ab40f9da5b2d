"""``tthc review``: execute the analysis notebooks and export an offline HTML report.

- :func:`build_review` (``build.py``): the whole build, atomically swapped into place;
- :func:`verify_review` (``verify.py``): rebuild from a report's manifest and compare;
- ``runner.py``: parallel nbclient execution with papermill-compatible parameters;
- ``forkserver.py``/``forkclient.py``: fresh kernels forked from a pre-imported server;
- ``export.py``: deterministic, offline nbconvert HTML export;
- ``checks.py``: the built report loads nothing from outside and holds no personal data;
- ``manifest.py``: input hashes and row counts, package versions, ``manifest.json``;
- ``context.py``: tables and evaluation computed once and shared with the kernels.

Imports are lazy so that notebook kernels importing :mod:`.context` stay light.
"""

from __future__ import annotations

__all__ = ["build_review", "verify_review"]


def __getattr__(name: str):
    if name == "build_review":
        from tthc_analysis.review.build import build_review

        return build_review
    if name == "verify_review":
        from tthc_analysis.review.verify import verify_review

        return verify_review
    raise AttributeError(name)
