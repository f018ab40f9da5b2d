"""What a page method returns: a :class:`View`, an ordered list of HTML parts and charts.

A notebook cell ends with a call such as ``page.tasks()``; Jupyter then shows the
returned :class:`View` through :meth:`View._repr_html_`: one HTML output holding the
tables, notes and the charts as inline PNG images (150 dpi, drawn at their screen
size, with the chart title as alternative text). Charts are bare matplotlib figures
(no pyplot state), so each appears exactly once and nothing is left open for the
inline backend to show again.

Every text is HTML-escaped here or by :mod:`tthc_analysis.views.display`; a table that holds
untrusted text (PAKN content) is always built by :func:`tthc_analysis.views.display.table_html`
or :func:`~tthc_analysis.views.display.static_table_html`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from tthc_analysis.charts.style import figure_img_html, format_indicator_value
from tthc_analysis.status import STATUSES
from tthc_analysis.text import is_missing, nfc
from tthc_analysis.views import display

__all__ = [
    "CHART_DPI",
    "Column",
    "View",
    "figure_html",
    "format_indicator_value",
    "html_table",
    "key_figures_html",
    "labelled_frame",
    "list_html",
    "paragraph",
]

CHART_DPI = 150
"""Resolution of the chart PNGs (sharp when printed); shown at their 100-dpi size."""

SCREEN_DPI = 100


def figure_html(fig: Figure, alt: str | None = None) -> str:
    """The chart as a ``<figure>`` with an inline PNG ``<img>`` (no file, no network).

    Args:
        fig: A figure of :mod:`tthc_analysis.charts`.
        alt: Alternative text; default: the chart's title.
    """
    width = int(round(fig.get_figwidth() * SCREEN_DPI))
    img = figure_img_html(fig, alt, dpi=CHART_DPI, width=width)
    return f'<figure class="tthc-figure" style="margin:10px 0">{img}</figure>'


def paragraph(text: str) -> str:
    """An escaped paragraph."""
    return f"<p>{html.escape(nfc(text))}</p>"


def list_html(items: Sequence[str], ordered: bool = True, css_class: str = "") -> str:
    """An escaped list (numbered by default)."""
    tag = "ol" if ordered else "ul"
    cls = f' class="{html.escape(css_class)}"' if css_class else ""
    body = "".join(f"<li>{html.escape(nfc(item))}</li>" for item in items)
    return f"<{tag}{cls}>{body}</{tag}>"


def key_figures_html(cards: Iterable[tuple[str, str, str]]) -> str:
    """Key-figure cards: ``(value, label, detail)`` triples, all escaped."""
    parts = ['<div class="tthc-cards">']
    for value, label, detail in cards:
        parts.append(
            '<div class="tthc-card">'
            f'<div class="tthc-card-value">{html.escape(value)}</div>'
            f'<div class="tthc-card-label">{html.escape(label)}</div>'
            + (f'<div class="tthc-card-label">{html.escape(detail)}</div>' if detail else "")
            + "</div>"
        )
    parts.append("</div>")
    return "".join(parts)


# --- Tables with badges ----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of :func:`html_table`.

    Attributes:
        key: Column of the frame.
        header: Vietnamese header.
        kind: ``text``, ``int``, ``float``, ``rate``, ``date``, ``status`` (a status code
            shown as a coloured badge) or ``html`` (a fragment already escaped by the
            caller, e.g. a badge).
        render: Optional function ``value -> str`` (plain text, escaped afterwards).
    """

    key: str
    header: str
    kind: str = "text"
    render: Callable[[object], str] | None = None


def _cell(value: object, column: Column) -> str:
    kind = column.kind
    align = {"int": "tthc-int", "float": "tthc-float", "rate": "tthc-rate", "date": "tthc-date"}
    align = align.get(kind, "tthc-text")
    if kind == "status":
        code = str(value)
        inner = display.status_badge(code) if code in STATUSES else html.escape(code)
    elif kind == "html":
        inner = "" if is_missing(value) else str(value)
    else:
        text = column.render(value) if column.render else display.format_cell(value, kind)
        inner = html.escape(nfc(text))
    return f'<td class="{align}">{inner}</td>'


def html_table(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    caption: str | None = None,
    css_class: str = "tthc-table",
) -> str:
    """A static HTML table (no script) with escaped cells and status badges.

    Used for the plan's own tables (tasks, indicators, sections, reports), where a status
    badge is the point of the table; data tables with untrusted text go through
    :mod:`tthc_analysis.views.display`.
    """
    esc = html.escape
    parts = [f'<div class="tthc-table-wrap"><table class="{esc(css_class)}">']
    if caption:
        parts.append(f"<caption>{esc(nfc(caption))}</caption>")
    head = "".join(f'<th scope="col">{esc(c.header)}</th>' for c in columns)
    parts.append(f"<thead><tr>{head}</tr></thead><tbody>")
    for row in frame.to_dict("records"):
        parts.append("<tr>" + "".join(_cell(row.get(c.key), c) for c in columns) + "</tr>")
    if not len(frame):
        parts.append(f'<tr><td colspan="{len(columns)}">Không có dòng nào.</td></tr>')
    parts.append("</tbody></table></div>")
    return "".join(parts)


# --- The view --------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|div|li|tr|h[1-6]|caption|figure|table)>|<br\s*/?>", re.IGNORECASE)


class View:
    """What a page method shows: HTML fragments and charts, in order, with their data.

    Build it with the ``add_*`` methods (each returns the view); Jupyter displays it as
    one HTML output. :attr:`figures` and :meth:`text` let tests read what is shown
    without a browser.

    The data behind what is shown stays reachable, so that an analyst can reuse it::

        view = page.overdue(unit="Phòng Giáo dục Trung học")
        view.data            # the main table (canonical column names, no personal data)
        view.frames          # every table shown, by name ({"data": …, "by_unit": …})
        view.data_vi         # the main table with Vietnamese headers and labels
        view.figure          # the (first) chart, a matplotlib Figure, or None
        view.choices         # the keyword choices the view was made with
        view.to_excel("ho_so_qua_han.xlsx")   # every table, one sheet each
        view.to_csv("ho_so_qua_han.csv")      # the main table

    Args:
        name: Short name of the view (for tests and the plain-text representation).
        choices: The keyword arguments the page method was called with.
    """

    def __init__(self, name: str = "", choices: dict | None = None) -> None:
        self.name = name
        self.parts: list[tuple[str, Any]] = []
        self._html: str | None = None
        self.frames: dict[str, pd.DataFrame] = {}
        self.choices: dict = dict(choices or {})
        self._main: str | None = None
        self._meta: dict[str, tuple[str | None, dict[str, str]]] = {}

    # -- data --
    def set_data(
        self,
        frame: pd.DataFrame,
        key: str = "data",
        *,
        dataset: str | None = None,
        labels: dict[str, str] | None = None,
        main: bool | None = None,
        show_personal: bool = False,
    ) -> View:
        """Attach a table behind the view (personal columns dropped unless asked).

        Args:
            frame: The table, with canonical column names.
            key: Its name in :attr:`frames`.
            dataset: The dataset of the frame (for Vietnamese headers and codes).
            labels: Vietnamese headers of some columns.
            main: Make it :attr:`data`; default: the first table attached is the main one.
            show_personal: Keep the personal-data columns (an analyst's own session).
        """
        frame = display.drop_personal(frame, show_personal).reset_index(drop=True)
        self.frames[key] = frame
        self._meta[key] = (dataset, dict(labels or {}))
        if main or (main is None and self._main is None):
            self._main = key
        return self

    @property
    def data(self) -> pd.DataFrame:
        """The main table behind the view (empty when the view shows no table)."""
        if self._main is None:
            return pd.DataFrame()
        return self.frames[self._main]

    @property
    def figure(self) -> Figure | None:
        """The first chart of the view (a matplotlib Figure), or None."""
        figures = self.figures
        return figures[0] if figures else None

    def labelled(self, key: str | None = None) -> pd.DataFrame:
        """A table of the view with Vietnamese headers and coded values as labels.

        Args:
            key: Name in :attr:`frames`; default the main table (:attr:`data`).
        """
        key = key or self._main
        if key is None:
            return pd.DataFrame()
        dataset, labels = self._meta.get(key, (None, {}))
        return labelled_frame(self.frames[key], labels=labels, dataset=dataset)

    @property
    def data_vi(self) -> pd.DataFrame:
        """:attr:`data` with Vietnamese headers and labels (as shown on the page)."""
        return self.labelled()

    def to_excel(self, path, *, labels: bool = True):
        """Write every table of the view to an Excel file, one sheet per table.

        Args:
            path: The ``.xlsx`` file to write (folders created).
            labels: Vietnamese headers and labels (False: canonical names and codes).

        Returns:
            The path written.
        """
        from tthc_analysis.xlsx import Sheet, write_xlsx

        keys = [self._main, *[k for k in self.frames if k != self._main]] if self.frames else []
        names: list[str] = []
        for i, k in enumerate(keys):
            name = _sheet_name(k, i)
            names.append(name if name not in names else f"{name[:28]} {i + 1}")
        sheets = [
            Sheet(name, self.labelled(k) if labels else self.frames[k])
            for name, k in zip(names, keys, strict=True)
        ] or [Sheet("Trống", pd.DataFrame({"": ["Không có dữ liệu"]}))]
        return write_xlsx(path, sheets)

    def to_csv(self, path, key: str | None = None, *, labels: bool = True):
        """Write one table of the view (default: the main one) to a UTF-8 CSV file.

        Text that a spreadsheet would read as a formula is protected (``'=…``).

        Returns:
            The path written.
        """
        from pathlib import Path

        from tthc_analysis.xlsx import protect_csv_frame

        frame = self.labelled(key) if labels else self.frames.get(key or self._main or "")
        if frame is None:
            frame = pd.DataFrame()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        protect_csv_frame(frame).to_csv(path, index=False, encoding="utf-8-sig")
        return path

    # -- building --
    def add_html(self, fragment: str) -> View:
        """Append an HTML fragment (already escaped)."""
        self.parts.append(("html", fragment))
        self._html = None
        return self

    def add_heading(self, text: str, level: int = 3, anchor: str | None = None) -> View:
        """Append an escaped heading."""
        return self.add_html(display.heading(nfc(text), level, anchor))

    def add_paragraph(self, text: str) -> View:
        """Append an escaped paragraph."""
        return self.add_html(paragraph(text))

    def add_note(self, text: str, kind: str = "info") -> View:
        """Append a note box (``info``, ``warning`` or ``danger``)."""
        return self.add_html(display.note(nfc(text), kind))

    def add_list(self, items: Sequence[str], ordered: bool = True) -> View:
        """Append an escaped list."""
        return self.add_html(list_html(items, ordered))

    def add_figure(self, fig: Figure, alt: str | None = None) -> View:
        """Append a chart."""
        self.parts.append(("figure", (fig, alt)))
        self._html = None
        return self

    def add_table(
        self,
        frame: pd.DataFrame,
        name: str | None = None,
        *,
        caption: str | None = None,
        labels: dict[str, str] | None = None,
        static: bool = False,
        dataset: str | None = None,
        key: str | None = None,
    ) -> View:
        """Append a data table through :mod:`tthc_analysis.views.display` (escaped, no personal data).

        Args:
            frame: The table.
            name: Stable name (HTML id) of an interactive table.
            caption: Caption.
            labels: Headers for some columns.
            static: A plain table (short tables); else searchable and sortable.
            dataset: The dataset the frame comes from (``"feedback"``...), for the
                headers and codes of columns that differ between datasets; default:
                inferred from the columns.
            key: Name of the table in :attr:`frames` (a table already attached under
                that name with :meth:`set_data` is kept: the shown frame may be a
                display copy of it).
        """
        data_key = key or ("data" if "data" not in self.frames else f"table_{len(self.frames)}")
        if data_key not in self.frames:
            self.set_data(frame, data_key, dataset=dataset, labels=labels)
        if static:
            fragment = display.static_table_html(
                frame, caption=caption, labels=labels, dataset=dataset
            )
        else:
            fragment = display.table_html(
                frame, name, caption=caption, labels=labels, dataset=dataset
            )
        return self.add_html(fragment)

    def extend(self, other: View) -> View:
        """Append the parts (and the tables) of another view."""
        self.parts.extend(other.parts)
        for key, frame in other.frames.items():
            if key not in self.frames:
                self.frames[key] = frame
                self._meta[key] = other._meta.get(key, (None, {}))
                if self._main is None:
                    self._main = key
        self._html = None
        return self

    # -- reading --
    @property
    def figures(self) -> list[Figure]:
        """The charts of the view, in order."""
        return [part[0] for kind, part in self.parts if kind == "figure"]

    def to_html(self) -> str:
        """The whole view as one HTML fragment (charts rendered once, then cached)."""
        if self._html is None:
            out = []
            for kind, part in self.parts:
                if kind == "figure":
                    fig, alt = part
                    out.append(figure_html(fig, alt))
                else:
                    out.append(str(part))
            self._html = '<div class="tthc-view">' + "".join(out) + "</div>"
        return self._html

    def text(self) -> str:
        """The visible text (tags removed, entities decoded), one block per line."""
        fragments = [str(p) for kind, p in self.parts if kind == "html"]
        raw = _BLOCK_END.sub("\n", "\n".join(fragments))
        lines = (" ".join(html.unescape(_TAG.sub(" ", line)).split()) for line in raw.split("\n"))
        return "\n".join(line for line in lines if line)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        label = f" {self.name}" if self.name else ""
        tables = ", ".join(f"{k} ({len(v)} dòng)" for k, v in self.frames.items())
        return (
            f"<Bảng/biểu đồ{label}: {len(self.parts)} phần, {len(self.figures)} biểu đồ"
            + (f"; dữ liệu: {tables}" if tables else "")
            + ">"
        )


SHEET_NAMES_VI = {
    "data": "Dữ liệu",
    "by_unit": "Theo đơn vị",
    "by_period": "Theo kỳ",
    "summary": "Tổng hợp",
    "coverage": "Tổng hợp",
    "items": "Danh sách",
    "monthly": "Theo tháng",
    "evidence": "Minh chứng",
    "no_online_service": "Chưa có DVCTT",
}
"""Sheet names of :meth:`View.to_excel` for the table names of :attr:`View.frames`."""


def _sheet_name(key: str, position: int) -> str:
    text = SHEET_NAMES_VI.get(str(key), str(key))
    text = re.sub(r"[\\/?*\[\]:]", "_", text)[:31]
    return text or f"Bang{position + 1}"


def labelled_frame(
    frame: pd.DataFrame,
    *,
    labels: dict[str, str] | None = None,
    dataset: str | None = None,
    show_personal: bool = False,
) -> pd.DataFrame:
    """``frame`` as an analyst reads it: Vietnamese headers, coded values by their label.

    Values stay values (numbers, dates) so that the table can be sorted or written to
    Excel; booleans read "Có"/"Không"; personal columns are dropped unless
    ``show_personal``.

    Args:
        frame: A table with canonical column names.
        labels: Headers for some columns (default: the field dictionary's labels).
        dataset: The dataset of the frame (default: inferred from the columns).
        show_personal: Keep personal-data columns.
    """
    from tthc_analysis.labels import code_label, infer_dataset

    frame = display.drop_personal(frame, show_personal).reset_index(drop=True)
    if dataset is None:
        dataset = infer_dataset(frame.columns)
    labels = dict(labels or {})
    out = {}
    for position, name in enumerate(str(c) for c in frame.columns):
        series = frame.iloc[:, position]
        header = labels.get(name) or display.column_label(name, dataset)
        while header in out:
            header += " "
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        is_object = series.dtype == object or isinstance(series.dtype, pd.StringDtype)
        if pd.api.types.is_bool_dtype(series.dtype) or (
            is_object and bool(series.map(lambda v: isinstance(v, bool)).any())
        ):
            series = series.map(lambda v: v if is_missing(v) else ("Có" if v else "Không"))
        elif is_object:

            def label(value, name=name):
                if isinstance(value, str):
                    found = code_label(name, value, dataset)
                    return value if found is None else found
                if isinstance(value, list | tuple):
                    return "; ".join(str(v) for v in value)
                return value

            series = series.map(label)
        out[header] = series.to_numpy()
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))
