"""The one chart style: fonts, sizes, colours, number formats and deterministic PNGs.

Every chart of the package is built inside :func:`chart_style` (a
:func:`matplotlib.rc_context` over :data:`STYLE`) on a bare
:class:`matplotlib.figure.Figure`, so no pyplot state is touched and a notebook's own
rcParams are left alone.

Decisions:

- Font: **DejaVu Sans** only (it ships with matplotlib and covers all 134 precomposed
  Vietnamese letters and the combining marks); no fallback list, so the font that is
  checked (:func:`missing_glyphs`) is the font that is drawn. Math text parsing is off
  so a ``$`` in a unit name is drawn as is.
- Every text is NFC-normalised (:func:`normalise_texts`), dates are ``dd/mm/yyyy``,
  numbers ``1.234,5`` and rates ``85,3%`` (:mod:`tthc_analysis.text`); locale settings
  are never used.
- Sizes fit A4 portrait: 7,5 in wide (19 cm, inside 2 cm margins), 9 pt text; 100 dpi
  on screen, 150 dpi in PNGs for print.
- Colours: task statuses use :data:`tthc_analysis.status.STATUSES` colours; series use a
  colour-blind-safe palette (Okabe–Ito) and differ by marker too, so they survive
  greyscale printing. Targets are dark dashed lines with the ``gid`` ``"target"``.
- PNGs are byte-identical between runs: no ``Software`` metadata, fixed dpi
  (:func:`figure_to_png_bytes`).
"""

from __future__ import annotations

import base64
import functools
import html
import io
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from textwrap import shorten, wrap
from typing import Any

import matplotlib as mpl
from cycler import cycler
from matplotlib import font_manager, ft2font
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

from tthc_analysis.errors import ParameterError
from tthc_analysis.labels import RATE_LABELS_VI
from tthc_analysis.status import STATUSES
from tthc_analysis.text import format_number, format_percent, nfc

__all__ = [
    "A4_WIDTH_IN",
    "COLUMN_LABELS_VI",
    "FONT_FAMILY",
    "SERIES_COLOURS",
    "SERIES_MARKERS",
    "STYLE",
    "TARGET_COLOUR",
    "add_target_line",
    "chart_style",
    "count_formatter",
    "legend_below",
    "figure_img_html",
    "figure_texts",
    "figure_title",
    "figure_to_png_bytes",
    "font_charmap",
    "missing_glyphs",
    "month_label",
    "month_labels",
    "new_figure",
    "normalise_texts",
    "percent_formatter",
    "points_formatter",
    "require_columns",
    "set_title",
    "status_colour",
    "styled",
    "target_text",
    "use_style",
    "wrap_label",
]

FONT_FAMILY = "DejaVu Sans"
"""The only font family used in charts (full Vietnamese coverage)."""

A4_WIDTH_IN = 7.5
"""Figure width in inches: A4 portrait (8,27 in) minus 2 cm margins, rounded down."""

SCREEN_DPI = 100
PRINT_DPI = 150

SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
"""Okabe–Ito colour-blind-safe palette for data series."""

SERIES_MARKERS = ("o", "s", "^", "D", "v", "P", "X")
"""Markers paired with :data:`SERIES_COLOURS` (series stay distinct in greyscale)."""

TARGET_COLOUR = "#333333"
"""Colour of target lines (dark grey, dashed)."""

MUTED_COLOUR = "#777777"
GRID_COLOUR = "#dddddd"

LABEL_BOX = {
    "boxstyle": "square,pad=0.12",
    "facecolor": "white",
    "edgecolor": "none",
    "alpha": 0.85,
}
"""Background of value labels drawn over lines (keeps them readable over target lines)."""

STYLE: dict[Any, Any] = {
    "font.family": [FONT_FAMILY],
    "font.size": 9,
    "axes.titlesize": 9.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9,
    "axes.labelcolor": "#222222",
    "axes.edgecolor": "#555555",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.axisbelow": True,
    "axes.prop_cycle": cycler(color=list(SERIES_COLOURS)),
    "axes.formatter.use_locale": False,
    "axes.unicode_minus": True,
    "grid.color": GRID_COLOUR,
    "grid.linewidth": 0.6,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "legend.fontsize": 8,
    "legend.frameon": False,
    "figure.titlesize": 11.5,
    "figure.titleweight": "bold",
    "figure.figsize": (A4_WIDTH_IN, 4.0),
    "figure.dpi": SCREEN_DPI,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.dpi": PRINT_DPI,
    "text.color": "#222222",
    "text.parse_math": False,
    "lines.linewidth": 1.8,
    "lines.markersize": 5,
    "patch.linewidth": 0.5,
    "svg.hashsalt": "tthc-analysis",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
}
"""rcParams of the package's chart style."""

COLUMN_LABELS_VI: Mapping[str, str] = RATE_LABELS_VI
"""Chart labels of the rate columns of ``rates.dossier_rates`` (legends and titles): the
one vocabulary of :mod:`tthc_analysis.labels`, shared with the tables."""


# --- Style application ---------------------------------------------------------------


@contextmanager
def chart_style() -> Iterator[None]:
    """Apply :data:`STYLE` for the duration of a ``with`` block."""
    with mpl.rc_context(STYLE):
        yield


def use_style() -> None:
    """Apply :data:`STYLE` globally (e.g. in a notebook's set-up cell)."""
    mpl.rcParams.update(STYLE)


def new_figure(height: float = 4.0, width: float = A4_WIDTH_IN) -> Figure:
    """A bare figure (no pyplot) of the given size in inches, constrained layout.

    Call inside :func:`chart_style` so the figure picks up the style.
    """
    return Figure(figsize=(width, height), dpi=SCREEN_DPI, layout="constrained")


def set_title(fig: Figure, title: str, width: int = 78) -> None:
    """Set the chart title: left-aligned figure title, wrapped on up to three lines."""
    fig.suptitle(wrap_label(title, width, max_lines=3), x=0.01, ha="left")


def normalise_texts(fig: Figure) -> Figure:
    """NFC-normalise every text artist of ``fig`` in place and return ``fig``."""
    for artist in fig.findobj(Text):
        text = artist.get_text()
        if text:
            normal = nfc(text)
            if normal != text:
                artist.set_text(normal)
    return fig


def _create_ticks(fig: Figure) -> None:
    """Create every axis' tick artists now, so they take the style's fonts and sizes.

    Tick artists are created lazily, usually at the first draw, which may happen outside
    :func:`chart_style` (e.g. in a notebook with other rcParams); ticks added later copy
    the properties of the first one.
    """
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            axis.get_major_ticks()
            axis.get_minor_ticks()


def styled(func: Callable[..., Figure]) -> Callable[..., Figure]:
    """Decorate a chart function: build it in the style, create ticks, normalise texts."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs) -> Figure:
        with chart_style():
            fig = func(*args, **kwargs)
            _create_ticks(fig)
            normalise_texts(fig)
        return fig

    return wrapper


# --- Formatting helpers --------------------------------------------------------------


def percent_formatter(decimals: int = 0) -> FuncFormatter:
    """Tick formatter for rates in [0, 1]: ``0.8`` -> ``"80%"`` (``"80,0%"`` with 1 decimal)."""
    return FuncFormatter(lambda value, _pos: format_percent(value, decimals))


def count_formatter() -> FuncFormatter:
    """Tick formatter for counts: ``1234`` -> ``"1.234"``."""
    return FuncFormatter(lambda value, _pos: format_number(value, 0))


def points_formatter() -> FuncFormatter:
    """Tick formatter for scores: whole numbers without decimals, else one (``"87,5"``)."""
    return FuncFormatter(lambda value, _pos: format_points(value))


def format_points(value: float) -> str:
    """Format a score: ``90.0`` -> ``"90"``, ``87.25`` -> ``"87,3"``."""
    if value != value:  # NaN
        return "–"
    return format_number(value, 0 if float(value).is_integer() else 1)


def format_indicator_value(value: float, unit: str, decimals: int = 1) -> str:
    """Format an indicator value by unit: ``rate`` -> ``85,3%``; ``count`` -> ``1.234``."""
    if unit == "rate":
        return format_percent(value, decimals)
    if unit == "points":
        return format_points(value)
    return format_number(value, 0 if value != value or float(value).is_integer() else 1)


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_label(period: object, short: bool = False) -> str:
    """Label of a ``YYYY-MM`` month: ``"2025-03"`` -> ``"03/2025"`` (``short``: ``"T3"``).

    Other values are returned as NFC text unchanged.
    """
    text = nfc(str(period))
    match = _MONTH.match(text)
    if not match:
        return text
    return f"T{int(match.group(2))}" if short else f"{match.group(2)}/{match.group(1)}"


def month_labels(months: list[str], compact: bool = False) -> tuple[list[str], str | None]:
    """Tick labels for a month axis and the year they share, if any.

    Months of a single year are labelled ``T1``…``T12`` (``compact``: ``1``…``12``) and
    the year goes into the axis label; months spanning years are labelled ``MM/YYYY``.
    """
    years = {m[:4] for m in months if _MONTH.match(str(m))}
    if len(years) == 1 and all(_MONTH.match(str(m)) for m in months):
        labels = [month_label(m, short=True) for m in months]
        return ([label[1:] for label in labels] if compact else labels), years.pop()
    return [month_label(m) for m in months], None


def target_text(target: float, unit: str = "rate", prefix: str = "Chỉ tiêu") -> str:
    """Legend text of a target: ``"Chỉ tiêu 80%"``, ``"Chỉ tiêu 90 điểm"``."""
    if unit == "rate":
        return f"{prefix} {format_percent(target, 0 if round(target * 100, 6).is_integer() else 1)}"
    if unit == "points":
        return f"{prefix} {format_points(target)} điểm"
    return f"{prefix} {format_number(target, 0)}"


def wrap_label(text: object, width: int = 28, max_lines: int = 2) -> str:
    """Wrap a long label on at most ``max_lines`` lines of ``width`` characters."""
    lines = wrap(nfc(str(text)), width)
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], shorten(rest, width, placeholder="…")]
    return "\n".join(lines)


def status_colour(code: object) -> str:
    """Chart colour of a task status code (``no_data`` colour for unknown codes)."""
    status = STATUSES.get(str(code))
    return status.colour if status else STATUSES["no_data"].colour


def require_columns(frame, columns: list[str] | tuple[str, ...], what: str) -> None:
    """Raise :class:`ParameterError` naming the columns ``frame`` lacks for chart ``what``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ParameterError(
            f"Bảng dữ liệu của biểu đồ «{what}» thiếu cột: {', '.join(missing)}.",
            hint=f"Các cột cần có: {', '.join(columns)}.",
        )


def add_target_line(
    ax: Axes,
    value: float,
    text: str,
    *,
    vertical: bool = False,
    colour: str = TARGET_COLOUR,
    annotate: bool = False,
    gid: str = "target",
) -> Line2D:
    """Draw a dashed target line on ``ax`` (``gid`` ``"target"``) and label it.

    Args:
        ax: Axes to draw on.
        value: Target value in data coordinates.
        text: Label (legend entry, and annotation if asked), e.g. ``"Chỉ tiêu 80%"``.
        vertical: Vertical line (x = value) instead of horizontal (y = value).
        colour: Line colour.
        annotate: Also write ``text`` next to the line (at the right or top end); off by
            default because value labels may collide with it: charts show targets in
            their legend.
        gid: Artist id, used by tests and by readers of the figure.

    Returns:
        The line.
    """
    text = nfc(text)
    style = {"color": colour, "linestyle": "--", "linewidth": 1.2, "zorder": 4, "label": text}
    line = ax.axvline(value, **style) if vertical else ax.axhline(value, **style)
    line.set_gid(gid)
    if annotate:
        if vertical:
            ax.annotate(
                text,
                xy=(value, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(2, -2),
                textcoords="offset points",
                ha="left",
                va="top",
                fontsize=7.5,
                color=colour,
                gid=f"{gid}_label",
            )
        else:
            ax.annotate(
                text,
                xy=(1.0, value),
                xycoords=("axes fraction", "data"),
                xytext=(-2, 2),
                textcoords="offset points",
                ha="right",
                va="bottom",
                fontsize=7.5,
                color=colour,
                gid=f"{gid}_label",
            )
    return line


def legend_below(fig: Figure, handles: list | None = None, ncol: int = 3) -> None:
    """A figure legend under the plot (constrained layout makes room for it)."""
    if handles is None:
        seen: dict[str, object] = {}
        for ax in fig.axes:
            for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
                seen.setdefault(label, handle)
        handles = [h for h in seen.values()]
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncol=ncol)


# --- Output and checks ---------------------------------------------------------------


def figure_to_png_bytes(fig: Figure, dpi: int = PRINT_DPI) -> bytes:
    """Render ``fig`` to PNG bytes, deterministically (no software/date metadata)."""
    buffer = io.BytesIO()
    with chart_style():
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def figure_title(fig: Figure) -> str:
    """The chart's title (the figure's, else the first axes'), spaces collapsed."""
    title = fig.get_suptitle()
    if not title and fig.axes:
        title = fig.axes[0].get_title()
    return " ".join((title or "Biểu đồ").split())


def figure_img_html(
    fig: Figure, alt: str | None = None, dpi: int = PRINT_DPI, width: int | None = None
) -> str:
    """The chart as an ``<img>`` with an inline PNG (no file, no network).

    Args:
        fig: The figure.
        alt: Alternative text (escaped); default: :func:`figure_title`.
        dpi: Resolution of the PNG.
        width: Displayed width in CSS pixels (default: the image's own).
    """
    data = base64.b64encode(figure_to_png_bytes(fig, dpi=dpi)).decode("ascii")
    text = html.escape(nfc(alt or figure_title(fig)))
    size = f' width="{width}"' if width is not None else ""
    return (
        f'<img class="tthc-chart" alt="{text}"{size} style="max-width:100%;height:auto" '
        f'src="data:image/png;base64,{data}"/>'
    )


def figure_texts(fig: Figure) -> list[Text]:
    """The visible, non-empty text artists of ``fig`` (titles, labels, ticks, legends).

    Draw the figure first (e.g. :func:`figure_to_png_bytes`) so tick labels exist.
    """
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


@functools.lru_cache(maxsize=16)
def font_charmap(path: str) -> frozenset[int]:
    """The code points a font file has glyphs for."""
    return frozenset(ft2font.FT2Font(path).get_charmap())


def _font_paths(text: Text) -> list[str]:
    props = text.get_fontproperties()
    paths = []
    for family in props.get_family():
        fp = props.copy()
        fp.set_family(family)
        paths.append(font_manager.findfont(fp, fallback_to_default=False))
    return paths


def missing_glyphs(fig: Figure) -> list[tuple[str, str, str]]:
    """Characters of the figure's texts that the fonts used to draw them lack.

    Returns:
        ``(text, character, font file name)`` triples; empty when every character of
        every visible text is in the character map of its font.
    """
    problems: list[tuple[str, str, str]] = []
    for artist in figure_texts(fig):
        paths = _font_paths(artist)
        covered = frozenset().union(*(font_charmap(p) for p in paths))
        for char in artist.get_text():
            if char in "\n\r\t":
                continue
            if ord(char) not in covered:
                problems.append((artist.get_text(), char, Path(paths[0]).name))
    return problems
