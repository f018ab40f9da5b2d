"""What a notebook analyses: the loaded tables and the evaluation, computed once.

A review build ingests and evaluates once in the parent process and hands the result
to every notebook kernel through a pickle named by ``TTHC_REVIEW_CONTEXT``; the
notebooks then skip the ingest and the evaluation. Outside a build (JupyterLab), or when
the parameters differ from the build's, :func:`load_context` computes them itself::

    from tthc_analysis.views.context import load_context
    ctx = load_context(year, as_of, period, data_dir, units)
    ev = ctx.evaluation

Notebooks may equally call ``load_tables``/``evaluate`` directly; this only saves time.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tthc_analysis.config import SAMPLE_DIR
from tthc_analysis.evaluation.params import EvaluationParams, default_as_of
from tthc_analysis.periods import Period, Window, parse_period

if TYPE_CHECKING:
    from tthc_analysis.evaluation.evaluate import Evaluation
    from tthc_analysis.loading.ingest import Tables

__all__ = [
    "CONTEXT_ENV",
    "ReviewContext",
    "ReviewParams",
    "compute_context",
    "default_as_of",
    "known_units",
    "load_context",
    "preload_tables",
    "save_context",
]

CONTEXT_ENV = "TTHC_REVIEW_CONTEXT"
"""Environment variable naming the pickled :class:`ReviewContext` of a build."""

_PRELOADED_TABLES: dict[str, Any] = {}
"""Tables loaded by :func:`preload_tables` in a kernel fork server, by raw folder: the
forked kernels find them in memory instead of reading the ingest cache again."""


def preload_tables(data_dir: str | Path) -> None:
    """Load the tables of ``data_dir`` into this process (done once before forking)."""
    from tthc_analysis.loading.ingest import load_tables

    folder = Path(data_dir).resolve()
    _PRELOADED_TABLES[str(folder)] = load_tables(folder)


@dataclass(frozen=True)
class ReviewParams:
    """The resolved parameters of a report.

    Attributes:
        year: Plan year.
        period: Period text as given (``"year"``, ``"q1"``, ``"2025-03"``…).
        as_of: Data cut-off date.
        data_dir: Raw-data folder (absolute).
        units: Units the report is limited to, or ``None`` for all.
        window: ``official`` or ``calendar`` reporting windows.
    """

    year: int
    period: str
    as_of: date
    data_dir: Path
    units: tuple[str, ...] | None = None
    window: Window = "official"

    @classmethod
    def resolve(
        cls,
        year: int = 2025,
        as_of: date | str | None = None,
        period: str = "year",
        data_dir: str | Path | None = None,
        units=None,
        window: str | None = None,
    ) -> ReviewParams:
        """Normalise notebook-style parameters (strings, ``None`` defaults).

        The year, period, as-of date, units and window are parsed by
        :meth:`EvaluationParams.resolve` (the window defaults to the settings' one).

        Raises:
            ParameterError: a bad value (:class:`EvaluationParams`).
        """
        if window is None:
            from tthc_analysis.config import load_settings

            window = load_settings(data_dir=data_dir).report_window
        ep = EvaluationParams.resolve(year, as_of, period, units, window)
        folder = Path(data_dir).resolve() if data_dir else SAMPLE_DIR.resolve()
        return cls(ep.year, ep.period, ep.as_of, folder, ep.units, ep.window)

    @property
    def evaluation_params(self) -> EvaluationParams:
        """The parameters of the evaluation (without the data folder)."""
        return EvaluationParams(self.year, self.period, self.as_of, self.window, self.units)

    @property
    def period_obj(self) -> Period:
        """The :class:`Period` (not clipped at ``as_of``)."""
        return parse_period(self.period, self.year, self.window)

    def notebook_parameters(self) -> dict[str, object]:
        """Values injected into the notebooks' parameters cell (contract 7)."""
        return {
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "period": self.period,
            "data_dir": str(self.data_dir),
            "units": list(self.units) if self.units else None,
            "label_language": "vi",
            "interactive": False,
        }


class ReviewContext:
    """Tables and evaluation for one set of parameters.

    Only the parameters, the evaluation and the notes are pickled for the kernels; the
    tables (large at province scale) are loaded on first use from the ingest's cache.

    Attributes:
        params: The parameters they were computed for.
        evaluation: ``tthc_analysis.evaluation.evaluate.Evaluation`` (``None`` if unavailable).
        notes: Vietnamese notes on what could not be computed.
    """

    def __init__(
        self,
        params: ReviewParams,
        tables: Tables | None = None,
        evaluation: Evaluation | None = None,
        notes: list[str] | None = None,
    ) -> None:
        self.params = params
        self._tables = tables
        self.evaluation = evaluation
        self.notes: list[str] = list(notes or [])

    @property
    def tables(self) -> Tables:
        """The loaded tables (read from the ingest cache on first use)."""
        if self._tables is None:
            self._tables = _PRELOADED_TABLES.get(str(self.params.data_dir))
        if self._tables is None:
            from tthc_analysis.loading.ingest import load_tables

            self._tables = load_tables(self.params.data_dir)
        return self._tables

    @property
    def has_tables(self) -> bool:
        """Whether the tables are loaded (without loading them)."""
        return self._tables is not None

    def __getstate__(self) -> dict:
        return {"params": self.params, "evaluation": self.evaluation, "notes": self.notes}

    def __setstate__(self, state: dict) -> None:
        self.params = state["params"]
        self.evaluation = state["evaluation"]
        self.notes = state["notes"]
        self._tables = None


def compute_context(params: ReviewParams) -> ReviewContext:
    """Ingest (cached), read the reference tables and evaluate for ``params``.

    Raises:
        TthcError: errors in the data or the reference tables.
    """
    import dataclasses

    from tthc_analysis.evaluation.evaluate import evaluate
    from tthc_analysis.loading.ingest import load_tables
    from tthc_analysis.loading.reference import load_references

    tables = load_tables(params.data_dir)
    if params.units:  # a misspelt unit is an error, not an empty evaluation
        params = dataclasses.replace(params, units=known_units(tables, params.units))
    references = load_references(data_dir=params.data_dir)
    evaluation = evaluate(tables, params=params.evaluation_params, references=references)
    return ReviewContext(params, tables, evaluation)


def known_units(tables, units) -> tuple[str, ...]:
    """``units`` as the data spell them; a name found nowhere in the data is an error.

    A misspelt unit would otherwise filter everything away without a word. Names are
    matched ignoring case, spaces and diacritics ("phong giao duc trung hoc").

    Raises:
        ParameterError: a unit found in no table, with the list of valid names.
    """
    from tthc_analysis.views.choices import pick_many, valid_values

    columns = [
        getattr(tables, name)["unit"]
        for name in ("dossiers", "procedures", "feedback", "activities")
        if "unit" in getattr(tables, name, {})
    ]
    plan = getattr(tables, "plan", None)
    if plan is not None and "lead_unit" in getattr(plan, "tasks", {}):
        columns.append(plan.tasks["lead_unit"])
    chosen = pick_many(
        list(units), valid_values(*columns), "đơn vị", hint="Sửa tham số units (tên phòng)."
    )
    return tuple(chosen or ())


def save_context(ctx: ReviewContext, path: Path) -> Path:
    """Pickle ``ctx`` (without its tables) for the kernels of a build."""
    path = Path(path)
    with path.open("wb") as fh:
        pickle.dump(ctx, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def load_context(
    year: int = 2025,
    as_of: date | str | None = None,
    period: str = "year",
    data_dir: str | Path | None = None,
    units=None,
) -> ReviewContext:
    """The context for these notebook parameters: the build's if it matches, else computed."""
    params = ReviewParams.resolve(year, as_of, period, data_dir, units)
    shared = os.environ.get(CONTEXT_ENV)
    if shared and Path(shared).is_file():
        with Path(shared).open("rb") as fh:
            ctx = pickle.load(fh)  # noqa: S301 - written by this build, private temp dir
        if isinstance(ctx, ReviewContext) and ctx.params == params:
            return ctx
    return compute_context(params)
