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
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tthc_analysis.config import SAMPLE_DIR
from tthc_analysis.evaluation.params import EvaluationParams, default_as_of
from tthc_analysis.periods import Period, Window, parse_period

if TYPE_CHECKING:
    import pandas as pd

    from tthc_analysis.evaluation.evaluate import Evaluation
    from tthc_analysis.loading.ingest import Tables
    from tthc_analysis.privacy import PersonalIndex

__all__ = [
    "CONTEXT_ENV",
    "DATA_ENV",
    "ReviewContext",
    "ReviewParams",
    "compute_context",
    "data_label",
    "default_as_of",
    "known_units",
    "load_context",
    "preload_tables",
    "report_tables",
    "resolve_data_dir",
    "save_context",
]

CONTEXT_ENV = "TTHC_REVIEW_CONTEXT"
"""Environment variable naming the pickled :class:`ReviewContext` of a build."""

DATA_ENV = "TTHC_REVIEW_DATA_DIR"
"""Environment variable giving the kernels of a build the data folder's absolute path.

The notebooks' ``data_dir`` parameter holds only the folder's name
(:func:`data_label`), so that no machine path (and no user name in it) is written into a
report and the same inputs give the same bytes wherever they are."""


def data_label(folder: str | Path) -> str:
    """How a report names a data folder: its name only (``"sample"``, ``"raw"``)."""
    return Path(folder).resolve().name or "data"


def resolve_data_dir(data_dir: str | Path | None) -> Path:
    """The absolute data folder of a ``data_dir`` parameter.

    ``None`` is the bundled sample; in a kernel of a build, the folder's name
    (:func:`data_label`) stands for the build's folder (:data:`DATA_ENV`); any other
    relative path is relative to the working directory.
    """
    if not data_dir:
        return SAMPLE_DIR.resolve()
    path = Path(data_dir)
    shared = os.environ.get(DATA_ENV)
    if shared and not path.is_absolute() and path.as_posix() == data_label(shared):
        return Path(shared).resolve()
    return path.resolve()


_PRELOADED_TABLES: dict[str, Any] = {}
"""Tables loaded by :func:`preload_tables` in a kernel fork server, by raw folder: the
forked kernels find them in memory instead of reading the ingest cache again."""


def report_tables(tables):
    """``tables`` as a report may show them: personal data in free text masked.

    The one place where the review masks (:func:`tthc_analysis.privacy.mask_tables`):
    the context of a build, the tables preloaded for its kernels and the tables a
    kernel loads itself all go through it.

    Returns:
        (masked tables, masked cells, personal index).
    """
    from tthc_analysis.privacy import mask_tables

    return mask_tables(tables)


def preload_tables(data_dir: str | Path) -> None:
    """Load the tables of ``data_dir`` into this process (done once before forking)."""
    from tthc_analysis.loading.ingest import load_tables

    folder = Path(data_dir).resolve()
    _PRELOADED_TABLES[str(folder)] = report_tables(load_tables(folder))[0]


@dataclass(frozen=True)
class ReviewParams:
    """The resolved parameters of a report.

    Attributes:
        year: Plan year.
        period: Period text as given (``"year"``, ``"q1"``, ``"2025-03"``…).
        as_of: Data cut-off date.
        data_dir: Raw-data folder (absolute; never written into a report, see
            :func:`data_label`).
        units: Units the report is limited to, or ``None`` for all.
        window: ``official`` or ``calendar`` reporting windows.
        previous_dir: Raw-data folder of the previous year (comparison with the same
            period of the previous year), or ``None`` to look for it in ``data_dir``.
    """

    year: int
    period: str
    as_of: date
    data_dir: Path
    units: tuple[str, ...] | None = None
    window: Window = "official"
    previous_dir: Path | None = None

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
        folder = resolve_data_dir(data_dir)
        if window is None:
            from tthc_analysis.config import load_settings

            window = load_settings(data_dir=folder).report_window
        ep = EvaluationParams.resolve(year, as_of, period, units, window)
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
        """Values injected into the notebooks' parameters cell (contract 7).

        ``data_dir`` is the folder's name only (:func:`data_label`; the kernels get the
        path from :data:`DATA_ENV`).
        """
        return {
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "period": self.period,
            "data_dir": data_label(self.data_dir),
            "units": list(self.units) if self.units else None,
            "label_language": "vi",
            "interactive": False,
        }


class ReviewContext:
    """Tables and evaluation for one set of parameters.

    Only the parameters, the evaluation and the notes are pickled for the kernels; the
    tables (large at province scale) are loaded on first use from the ingest's cache.
    The tables are those a report may show (:func:`report_tables`: personal data in
    free text masked); the evaluation is computed from them.

    Attributes:
        params: The parameters they were computed for.
        evaluation: ``tthc_analysis.evaluation.evaluate.Evaluation`` (``None`` if unavailable).
        notes: Vietnamese notes on what could not be computed.
        masked_cells: Cells whose text was masked (``dataset, source_file, source_row,
            column, kinds``), set by :func:`compute_context`.
        source_tables: The tables as loaded (personal data included), for the build's
            last check only; not pickled.
        personal_index: :class:`tthc_analysis.privacy.PersonalIndex` of those tables.
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
        self.masked_cells: pd.DataFrame | None = None
        self.source_tables: Tables | None = None
        self.personal_index: PersonalIndex | None = None

    @property
    def tables(self) -> Tables:
        """The loaded tables (read from the ingest cache on first use)."""
        tables = self._tables or _PRELOADED_TABLES.get(str(self.params.data_dir))
        if tables is None:
            from tthc_analysis.loading.ingest import load_tables

            tables = report_tables(load_tables(self.params.data_dir))[0]
        assert tables is not None  # load_tables always returns tables
        self._tables = tables
        return tables

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
        self.masked_cells = None
        self.source_tables = None
        self.personal_index = None


def compute_context(params: ReviewParams) -> ReviewContext:
    """Ingest (cached), read the reference tables and evaluate for ``params``.

    Raises:
        TthcError: errors in the data or the reference tables.
    """
    import dataclasses

    from tthc_analysis.evaluation.comparison import add_previous_year
    from tthc_analysis.evaluation.evaluate import evaluate
    from tthc_analysis.loading.ingest import load_tables
    from tthc_analysis.loading.reference import load_references
    from tthc_analysis.views.widgets import set_download_limit

    source = load_tables(params.data_dir)
    if params.units:  # a misspelt unit is an error, not an empty evaluation
        params = dataclasses.replace(params, units=known_units(source, params.units))
    tables, masked_cells, personal_index = report_tables(source)
    references = load_references(data_dir=params.data_dir)
    set_download_limit(references.settings.max_download_mb)
    evaluation = evaluate(tables, params=params.evaluation_params, references=references)
    previous = load_tables(params.previous_dir) if params.previous_dir else None
    if previous is not None:
        previous, _, _ = report_tables(previous)
    evaluation = add_previous_year(evaluation, tables, previous)
    ctx = ReviewContext(params, tables, evaluation)
    ctx.source_tables, ctx.masked_cells, ctx.personal_index = source, masked_cells, personal_index
    return ctx


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
        # The build's --previous-data is not a notebook parameter: compare without it.
        if isinstance(ctx, ReviewContext) and replace(ctx.params, previous_dir=None) == params:
            return ctx
    return compute_context(params)
