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
    """What a page method shows: HTML fragments and charts, in order.

    Build it with the ``add_*`` methods (each returns the view); Jupyter displays it as
    one HTML output. :attr:`figures` and :meth:`text` let tests read what is shown
    without a browser.

    Args:
        name: Short name of the view (for tests and the plain-text representation).
    """

    def __init__(self, name: str = "") -> None:
        self.name = name
        self.parts: list[tuple[str, object]] = []
        self._html: str | None = None

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
        """
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
        """Append the parts of another view."""
        self.parts.extend(other.parts)
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
        return f"<Bảng/biểu đồ{label}: {len(self.parts)} phần, {len(self.figures)} biểu đồ>"
