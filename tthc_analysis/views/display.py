"""Showing results in notebooks and reports: offline tables, headings, badges, notes.

Everything a notebook displays goes through this module so that the exported HTML is

- **offline**: tables are itables (DataTables) in offline mode; the JavaScript/CSS
  bundle is inlined once per page (by the review exporter, or by
  :func:`setup_notebook` when working interactively), never fetched from a CDN;
- **deterministic**: table ids come from a name or a counter reset by
  :func:`setup_notebook`; matplotlib PNGs carry no "Software" text chunk; SVG ids use a
  fixed salt;
- **safe**: every cell, caption and heading text is HTML-escaped (a ``<script>`` in a
  feedback text shows as text), and personal-data columns
  (:func:`tthc_analysis.fields.personal_columns`) are dropped unless
  ``show_personal=True`` (never used in reports);
- **Vietnamese**: labels from the field dictionary, numbers ``1.234,5``, rates
  ``85,3%``, dates ``dd/mm/yyyy``, DataTables controls in Vietnamese.

Notebooks call :func:`setup_notebook` once, right after the parameters cell::

    from tthc_analysis.views import display as tv
    tv.setup_notebook(interactive=interactive)
    tv.show_table(overdue, "ho-so-qua-han", caption="Hồ sơ quá hạn")
"""

from __future__ import annotations

import html
import math
import os
import re
import warnings
from base64 import b64encode
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from tthc_analysis import fields as _fields
from tthc_analysis import labels as _labels
from tthc_analysis.status import STATUSES
from tthc_analysis.text import (
    fold_ascii,
    format_date,
    format_number,
    format_percent,
    is_blank,
    is_missing,
)

__all__ = [
    "MAX_TABLE_ROWS",
    "REVIEW_BUILD_ENV",
    "badge",
    "column_label",
    "display_frame",
    "drop_personal",
    "format_cell",
    "format_value",
    "heading",
    "in_review_build",
    "itables_bundle_html",
    "notebook_css",
    "note",
    "reset_ids",
    "setup_notebook",
    "show_html",
    "show_note",
    "show_table",
    "static_table_html",
    "status_badge",
    "table_html",
]

REVIEW_BUILD_ENV = "TTHC_REVIEW_BUILD"
"""Environment variable set (to ``"1"``) in the kernels of a review build: the exporter
then inlines the table bundle once per page, so notebooks must not display it."""

MAX_TABLE_ROWS = 5000
"""Interactive tables longer than this show their first rows with a visible note (the
full table is in the spreadsheets next to the report)."""

PAGE_LENGTH = 20
"""Rows per page of a paged interactive table; shorter tables are not paged."""

PNG_METADATA = {"Software": None}
"""Metadata of inline PNG figures: no matplotlib version text chunk, so the bytes depend
only on the picture."""

SVG_HASH_SALT = "tthc-analysis"

_STATIC_PREVIEW_ROWS = 20

_DT_LANGUAGE = {
    "decimal": ",",
    "thousands": ".",
    "search": "Tìm kiếm:",
    "lengthMenu": "Hiện _MENU_ dòng",
    "info": "Dòng _START_–_END_ trên tổng số _TOTAL_",
    "infoEmpty": "Không có dòng nào",
    "infoFiltered": "(lọc từ _MAX_ dòng)",
    "zeroRecords": "Không có dòng nào phù hợp",
    "emptyTable": "Không có dữ liệu",
    "loadingRecords": "Đang tải…",
    "lengthLabels": {"-1": "Tất cả"},  # DataTables 2 takes this label over lengthMenu's
    "aria": {  # read out by screen readers after the column title / on the page buttons
        "orderable": ": bấm để sắp xếp",
        "orderableReverse": ": bấm để đảo thứ tự sắp xếp",
        "orderableRemove": ": bấm để bỏ sắp xếp",
        "paginate": {
            "first": "Trang đầu",
            "last": "Trang cuối",
            "next": "Trang sau",
            "previous": "Trang trước",
            "number": "",
        },
    },
}

# Render functions of the interactive tables: raw values for sorting, Vietnamese text for
# display and search. ``__DECIMALS__``, ``__PERCENT__`` (1 = percentage) and ``__WHOLE__``
# (1 = whole numbers without decimals) are substituted per column kind.
_JS_NUMBER = (
    "function (data, type) {"
    " if (type !== 'display' && type !== 'filter') {"
    " return (typeof data === 'number' && !Number.isNaN(data)) ? data : -Infinity; }"
    " if (data === null || data === undefined || data === '' ||"
    " (typeof data === 'number' && Number.isNaN(data))) { return '\\u2013'; }"
    " var x = Number(data) * (__PERCENT__ ? 100 : 1);"
    " var parts = x.toFixed((__WHOLE__ && Number.isInteger(x)) ? 0 : __DECIMALS__).split('.');"
    " parts[0] = parts[0].replace(/\\B(?=(\\d{3})+(?!\\d))/g, '.');"
    " return parts.join(',') + (__PERCENT__ ? '%' : ''); }"
)
_JS_DATE = (
    "function (data, type) {"
    " if (type !== 'display' && type !== 'filter') { return data; }"
    " if (!data) { return '\\u2013'; }"
    " var d = data.slice(0, 10).split('-');"
    " return d[2] + '/' + d[1] + '/' + d[0] + data.slice(10); }"
)

_counter = {"tables": 0}
_used_ids: set[str] = set()


# --- Notebook set-up -------------------------------------------------------------------


def reset_ids() -> None:
    """Restart table ids (``tbl-001``…) for a new page."""
    _counter["tables"] = 0
    _used_ids.clear()


def in_review_build() -> bool:
    """Whether this process is a kernel started by ``tthc review``."""
    return os.environ.get(REVIEW_BUILD_ENV) == "1"


def setup_notebook(interactive: bool = True) -> None:
    """Prepare a notebook kernel for deterministic, offline, Vietnamese output.

    Sets the inline matplotlib backend to PNG without a version text chunk and a fixed
    SVG hash salt, pandas display options (Vietnamese number format in Stylers), resets
    the table-id counter, and, when working interactively, loads the offline table
    bundle and displays the page styles (:func:`notebook_css`) once; in a review build
    the exporter inlines both once per page instead.

    Args:
        interactive: The notebook's ``interactive`` parameter (``False`` in a review
            build). Only recorded for :func:`show_table`; tables are interactive
            (searchable, sortable) in both cases.
    """
    import matplotlib as mpl

    reset_ids()
    _counter["interactive"] = bool(interactive)

    mpl.rcParams["svg.hashsalt"] = SVG_HASH_SALT
    mpl.rcParams["figure.dpi"] = 100
    mpl.rcParams["savefig.dpi"] = 100
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png", bbox_inches="tight", metadata=PNG_METADATA)
    except Exception:  # noqa: BLE001 - not inside an IPython kernel
        pass

    pd.set_option("display.max_columns", 50)
    pd.set_option("display.width", 120)
    pd.set_option("styler.format.thousands", ".")
    pd.set_option("styler.format.decimal", ",")
    pd.set_option("styler.format.precision", 1)
    pd.set_option("styler.format.na_rep", "–")

    if not in_review_build() and _first_setup_of_notebook():
        # Working interactively: itables' own offline loader (as JupyterLab expects), and
        # the page styles of notes, badges, tables and cards (a review build inlines
        # the whole style sheet in the page instead). Once per notebook: the bundle is
        # about 1 MB, and a notebook opening several pages must not save it each time.
        from itables import init_notebook_mode

        init_notebook_mode(all_interactive=False, connected=False)
        show_html(notebook_css())


_BUNDLE = {"cell": None, "shown": False}


def _current_cell_id() -> str | None:
    """Id of the notebook cell being run (sent by JupyterLab with each request)."""
    try:
        from IPython import get_ipython

        parent = get_ipython().kernel.get_parent()
    except Exception:  # noqa: BLE001 - not in a kernel, or an old kernel
        return None
    metadata = (parent or {}).get("metadata") or {}
    cell = metadata.get("cellId") or metadata.get("cell_id")
    return str(cell) if cell else None


def _first_setup_of_notebook() -> bool:
    """Whether the table bundle must be shown by this call of :func:`setup_notebook`.

    Yes the first time in the kernel, and again when the cell that showed it is run
    again (its old output, holding the bundle, is then replaced); no for another cell
    opening a second page in the same notebook.
    """
    cell = _current_cell_id()
    if _BUNDLE["shown"] and (cell is None or cell != _BUNDLE["cell"]):
        return False
    _BUNDLE["shown"], _BUNDLE["cell"] = True, cell
    return True


_CSS_BEGIN = "/* tthc-content: begin"
_CSS_END = "/* tthc-content: end */"


@lru_cache(maxsize=1)
def notebook_css() -> str:
    """The ``<style>`` block of the page content (notes, badges, tables, cards).

    The content section of the report's style sheet (``templates/tthc/tthc.css``, between
    the ``tthc-content`` markers), so that a notebook in JupyterLab looks like the
    exported page. Comments are left out; the text is the same on every call.
    """
    sheet = (Path(__file__).resolve().parents[1] / "templates" / "tthc" / "tthc.css").read_text(
        encoding="utf-8"
    )
    start = sheet.index(_CSS_BEGIN)
    end = sheet.index(_CSS_END, start)
    body = re.sub(r"/\*.*?\*/", "", sheet[start:end], flags=re.DOTALL)
    lines = [line.rstrip() for line in body.strip().splitlines()]
    text = "\n".join(line for line in lines if line)
    if "</style" in text.lower():  # pragma: no cover - guard against an edit of the sheet
        raise RuntimeError("tthc.css cannot be inlined safely")
    return f'<style id="tthc-notebook-css">\n{text}\n</style>'


@lru_cache(maxsize=1)
def itables_bundle_html() -> str:
    """The DataTables bundle of itables, inlined (CSS as text, JS as a data: module).

    Included once per page; the tables' own scripts wait for it. No network access:
    the JavaScript module is imported from a ``data:`` URL.
    """
    from itables import javascript as itjs
    from itables.utils import read_package_file

    js = read_package_file("html/dt_bundle.js")
    css = read_package_file("html/dt_bundle.css")
    if "</style" in css.lower():  # pragma: no cover - guard against a future bundle
        raise RuntimeError("itables CSS bundle cannot be inlined safely")
    var = itjs._itables_underscore_version()
    event = itjs._itables_ready_event()
    js_b64 = b64encode(js.encode("utf-8")).decode("ascii")
    return (
        f'<style id="tthc-itables-css">\n{css}\n</style>\n'
        '<script type="module" id="tthc-itables-js">\n'
        f'import * as bundle from "data:text/javascript;base64,{js_b64}";\n'
        f"window.{var} = Promise.resolve(bundle);\n"
        f'window.dispatchEvent(new Event("{event}"));\n'
        "</script>\n"
    )


# --- Frames for display ----------------------------------------------------------------


def drop_personal(frame: pd.DataFrame, show_personal: bool = False) -> pd.DataFrame:
    """``frame`` without its personal-data columns (unless ``show_personal``).

    ``show_personal`` is for an analyst's own session; in a kernel of ``tthc review``
    (:func:`in_review_build`) it is ignored, so that a report never shows personal data.
    """
    if show_personal and not in_review_build():
        return frame
    personal = _fields.personal_columns()
    keep = [str(c) not in personal for c in frame.columns]  # by position: names may repeat
    return frame.loc[:, keep]


def column_label(column: object, dataset: str | None = None) -> str:
    """Vietnamese header of a column (:func:`tthc_analysis.labels.column_label`).

    Args:
        column: Column name.
        dataset: The dataset the frame comes from (``"feedback"``...): columns such as
            ``status`` or ``published_on`` are named as in that dataset.
    """
    return _labels.column_label(column, dataset)


def _is_rate(column: str) -> bool:
    return column.endswith(("_rate", "_share")) or column in {"rate", "share"}


def _text_value(value: object, column: str, translate_codes: bool, dataset: str | None) -> object:
    if is_missing(value):
        return None
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value)
    if translate_codes and isinstance(value, str):
        label = _labels.code_label(column, value, dataset)
        if label is not None:
            return label
    return _shortened(str(value))


MAX_CELL_CHARS = 2000
"""Longest text shown in a table cell. A longer one (a document pasted into a feedback
form) is cut, with a note giving its length; the data keep the whole text."""


def _shortened(text: str) -> str:
    if len(text) <= MAX_CELL_CHARS:
        return text
    return f"{text[:MAX_CELL_CHARS]}… (đã rút gọn, {format_number(len(text))} ký tự)"


def _text_cells(
    cells: list, column: str, translate_codes: bool, dataset: str | None
) -> list[object]:
    """:func:`_text_value` of each cell, worked out once per distinct text."""
    done: dict[str, object] = {}
    out: list[object] = []
    for value in cells:
        if isinstance(value, str):
            if value not in done:
                done[value] = _text_value(value, column, translate_codes, dataset)
            out.append(done[value])
        else:
            out.append(_text_value(value, column, translate_codes, dataset))
    return out


def _iso_text(series: pd.Series) -> list[str]:
    """ISO text of a datetime column: ``YYYY-MM-DD`` (with `` HH:MM`` if any has a time)."""
    present = series.dropna()
    has_time = bool((present != present.dt.normalize()).any())
    text = series.dt.strftime("%Y-%m-%d %H:%M" if has_time else "%Y-%m-%d")
    return ["" if is_missing(v) else str(v) for v in text.tolist()]


def _field_labels(datasets: pd.Series, columns: pd.Series) -> list[object]:
    """Canonical column names of a data-quality table shown by their Vietnamese label."""
    out: list[object] = []
    for ds, col in zip(datasets.tolist(), columns.tolist(), strict=True):
        if isinstance(col, str) and isinstance(ds, str) and ds in _fields.DATASETS:
            found = _fields.dataset_fields(ds).get(col)
            out.append(found.label_vi if found is not None else col)
        else:
            out.append(col)
    return out


def _flat(frame: pd.DataFrame, show_personal: bool) -> pd.DataFrame:
    """``frame`` with a clean positional index; named index levels become columns."""
    names = [n for n in frame.index.names if n is not None]
    if names:
        taken = {str(c) for c in frame.columns}
        keep = [n for n in names if str(n) not in taken]
        drop = [n for n in names if str(n) in taken]
        if drop:
            frame = frame.reset_index(level=drop, drop=True)
        if keep:
            frame = frame.reset_index(level=keep)
        frame = drop_personal(frame, show_personal)
    return frame.reset_index(drop=True)


def _column_kind(name: str, series: pd.Series, values: pd.Series) -> str:
    if _is_rate(name):
        return "rate"
    if name in _labels.POINTS_COLUMNS:
        return "points"
    if pd.api.types.is_integer_dtype(series.dtype) or bool((values.dropna() % 1 == 0).all()):
        return "int"
    return "float"


def display_frame(
    frame: pd.DataFrame,
    *,
    show_personal: bool = False,
    labels: Mapping[str, str] | None = None,
    translate_codes: bool = True,
    max_rows: int | None = None,
    dataset: str | None = None,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Prepare a frame for an interactive table.

    Personal columns are dropped, datetimes become ISO text (rendered ``dd/mm/yyyy`` in
    the browser), coded values their Vietnamese label, booleans "Có"/"Không", lists
    ``"a; b"``, missing text ``None`` (shown "–"); numbers stay numbers. Columns get their
    Vietnamese headers. Only the first ``max_rows`` rows are kept (all if ``None``).

    The rows keep their order whatever the frame's index (filtered, stepped, repeated or
    named): the result has a clean positional index and every column is read by
    position, so no cell is realigned on index labels.

    Args:
        frame: The table.
        show_personal: Keep personal-data columns.
        labels: Headers for some columns (default :func:`column_label`).
        translate_codes: Show coded values with their Vietnamese label.
        max_rows: Longest table kept.
        dataset: The dataset the frame comes from (``"dossiers"``, ``"feedback"``...),
            for the headers and codes of columns that differ between datasets
            (``status``, ``outcome``, ``published_on``...); default: inferred from the
            columns when unambiguous (:func:`tthc_analysis.labels.infer_dataset`).

    Returns:
        The display frame and, per display column, its kind: ``"int"``, ``"float"``,
        ``"points"`` (766 scores), ``"rate"``, ``"date"`` or ``"text"``.
    """
    frame = _flat(drop_personal(frame, show_personal), show_personal)
    if max_rows is not None:
        frame = frame.iloc[:max_rows]
    if dataset is None:
        dataset = _labels.infer_dataset(frame.columns)
    labels = dict(labels or {})
    names = [str(c) for c in frame.columns]
    out: dict[str, list] = {}
    kinds: dict[str, str] = {}
    for position, name in enumerate(names):
        series = frame.iloc[:, position]
        header = labels.get(name) or column_label(name, dataset)
        while header in out:
            header += " "
        if pd.api.types.is_bool_dtype(series.dtype):
            out[header] = [None if is_missing(v) else ("Có" if v else "Không") for v in series]
            kinds[header] = "text"
        elif pd.api.types.is_datetime64_any_dtype(series.dtype):
            out[header] = _iso_text(series)
            kinds[header] = "date"
        elif pd.api.types.is_numeric_dtype(series.dtype):
            values = pd.to_numeric(series, errors="coerce").astype("float64")
            kinds[header] = _column_kind(name, series, values)
            out[header] = values.tolist()
        else:
            cells = series.tolist()
            if translate_codes and name == "column" and "dataset" in names:
                cells = _field_labels(frame.iloc[:, names.index("dataset")], series)
            out[header] = _text_cells(cells, name, translate_codes, dataset)
            kinds[header] = "text"
    result = pd.DataFrame(
        {h: pd.Series(v, dtype="float64" if kinds[h] in _NUMERIC_KINDS else object)
         for h, v in out.items()},
        index=pd.RangeIndex(len(frame)),
    )  # fmt: skip
    return result, kinds


_NUMERIC_KINDS = frozenset({"int", "float", "points", "rate"})


def format_cell(value: object, kind: str = "text") -> str:
    """The text of a table cell of ``kind``: the one cell formatter of every table.

    ``rate`` ``85,3%``; ``int`` ``1.234``; ``float`` ``1.234,5``; ``points`` (766 scores)
    two decimals unless whole; ``date`` ``dd/mm/yyyy`` (a date, or ISO text whose time
    part is kept); booleans ``Có``/``Không``; lists joined by ``"; "``; missing ``–``.
    """
    if kind == "date":
        if is_blank(value):
            return "–"
        if isinstance(value, datetime | date):
            return format_date(value)
        text = str(value)
        return format_date(datetime.strptime(text[:10], "%Y-%m-%d")) + text[10:]
    if is_missing(value):
        return "–"
    if kind in _NUMERIC_KINDS:
        number = float(value)  # type: ignore[arg-type]
        if kind == "rate":
            return format_percent(number)
        if kind == "points":
            return format_number(number, 0 if number.is_integer() else 2)
        return format_number(number, 0 if kind == "int" else 1)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value) or "–"
    return str(value)


# --- Ids -------------------------------------------------------------------------------


def _slug(name: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", fold_ascii(name).lower()).strip("-")
    return text or "bang"


def _table_id(name: str | None) -> str:
    _counter["tables"] += 1
    base = f"tbl-{_slug(name)}" if name else f"tbl-{_counter['tables']:03d}"
    table_id, n = base, 1
    while table_id in _used_ids:
        n += 1
        table_id = f"{base}-{n}"
    _used_ids.add(table_id)
    return table_id


# --- HTML fragments --------------------------------------------------------------------


def static_table_html(
    frame: pd.DataFrame,
    *,
    caption: str | None = None,
    show_personal: bool = False,
    labels: Mapping[str, str] | None = None,
    translate_codes: bool = True,
    max_rows: int | None = None,
    table_id: str | None = None,
    css_class: str = "tthc-table",
    dataset: str | None = None,
) -> str:
    """A plain, escaped HTML table (no JavaScript): for index pages, print and fallback.

    Every header and cell is HTML-escaped; numbers, rates and dates use the Vietnamese
    formats; personal columns are dropped unless ``show_personal``; ``dataset`` names
    the dataset the frame comes from (see :func:`display_frame`).
    """
    shown, kinds = display_frame(
        frame,
        show_personal=show_personal,
        labels=labels,
        translate_codes=translate_codes,
        max_rows=max_rows,
        dataset=dataset,
    )
    return _static_html(
        shown,
        kinds,
        caption=caption,
        table_id=table_id,
        css_class=css_class,
        total=len(frame),
    )


def _static_html(
    shown: pd.DataFrame,
    kinds: Mapping[str, str],
    *,
    caption: str | None = None,
    max_rows: int | None = None,
    table_id: str | None = None,
    css_class: str = "tthc-table",
    total: int | None = None,
) -> str:
    total = len(shown) if total is None else total
    if max_rows is not None and len(shown) > max_rows:
        shown = shown.head(max_rows)
    esc = html.escape
    id_attr = f' id="{esc(table_id)}"' if table_id else ""
    parts = [f'<table class="{esc(css_class)}"{id_attr}>']
    if caption:
        parts.append(f"<caption>{esc(caption)}</caption>")
    head = "".join(
        f'<th class="tthc-{kinds[c]}" scope="col">{esc(str(c).rstrip())}</th>'
        for c in shown.columns
    )
    parts.append(f"<thead><tr>{head}</tr></thead><tbody>")
    for row in shown.itertuples(index=False, name=None):
        cells = "".join(
            f'<td class="tthc-{kinds[c]}">{esc(format_cell(v, kinds[c]))}</td>'
            for c, v in zip(shown.columns, row, strict=True)
        )
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table>")
    if len(shown) < total:
        parts.append(
            f'<p class="tthc-table-note">Hiển thị {format_number(len(shown))} / '
            f"{format_number(total)} dòng.</p>"
        )
    return "".join(parts)


def _column_defs(kinds: Mapping[str, str], columns: list[str]) -> list[dict]:
    from itables import JavascriptFunction

    defs = []
    for kind, decimals, percent, whole in (
        ("int", 0, 0, 0),
        ("float", 1, 0, 0),
        ("points", 2, 0, 1),
        ("rate", 1, 1, 0),
    ):
        targets = [i for i, c in enumerate(columns) if kinds[c] == kind]
        if targets:
            code = (
                _JS_NUMBER.replace("__DECIMALS__", str(decimals))
                .replace("__PERCENT__", str(percent))
                .replace("__WHOLE__", str(whole))
            )
            defs.append(
                {"targets": targets, "render": JavascriptFunction(code), "className": "dt-right"}
            )
    dates = [i for i, c in enumerate(columns) if kinds[c] == "date"]
    if dates:
        defs.append(
            {"targets": dates, "render": JavascriptFunction(_JS_DATE), "className": "tthc-date"}
        )
    texts = [i for i, c in enumerate(columns) if kinds[c] == "text"]
    if texts:
        defs.append({"targets": texts, "className": "tthc-text"})
    return defs


_ITABLES_LINK = re.compile(r"<a href=https://itables\.org[^>]*>(.*?)</a>", re.DOTALL)
_LOADING_MESSAGE = re.compile(r"Loading ITables.*?\(need help\?\)", re.DOTALL)


def table_html(
    frame: pd.DataFrame,
    name: str | None = None,
    *,
    caption: str | None = None,
    show_personal: bool = False,
    labels: Mapping[str, str] | None = None,
    translate_codes: bool = True,
    max_rows: int = MAX_TABLE_ROWS,
    order: Iterable[tuple[int, str]] | None = None,
    dataset: str | None = None,
) -> str:
    """HTML of an interactive (searchable, sortable) offline table.

    The page must include :func:`itables_bundle_html` once (the review exporter does).
    The table id is ``tbl-<name>`` (ASCII slug) or ``tbl-NNN`` from a counter reset by
    :func:`setup_notebook`, so the HTML is identical between runs. Cell text is escaped
    by itables (``allow_html`` stays off); a static escaped preview is shown until the
    script runs. ``dataset`` names the dataset the frame comes from (see
    :func:`display_frame`).
    """
    from itables.javascript import to_html_datatable

    total = len(frame)
    truncated = total > max_rows
    shown, kinds = display_frame(
        frame,
        show_personal=show_personal,
        labels=labels,
        translate_codes=translate_codes,
        max_rows=max_rows,
        dataset=dataset,
    )
    table_id = _table_id(name)
    columns = list(shown.columns)
    paged = len(shown) > PAGE_LENGTH
    options = {
        "table_id": table_id,
        "connected": False,
        "showIndex": False,
        "allow_html": False,
        "maxBytes": 0,
        "maxRows": 0,
        "classes": ["display", "compact", "cell-border", "tthc-dt"],
        "style": "table-layout:auto;width:100%;margin:0",
        "order": [list(o) for o in order] if order else [],
        "language": _DT_LANGUAGE,
        "columnDefs": _column_defs(kinds, columns),
        "autoWidth": False,
        "paging": paged,
        "pageLength": PAGE_LENGTH,
        "lengthMenu": [[10, 20, 50, 100, -1], [10, 20, 50, 100, "Tất cả"]],
        "layout": {
            "topStart": "pageLength" if paged else None,
            "topEnd": "search",
            "bottomStart": "info",
            "bottomEnd": "paging" if paged else None,
        },
        "display_logo_when_loading": False,
    }
    if caption:
        options["caption"] = html.escape(caption)
    with warnings.catch_warnings():
        # itables types ``language`` as flat strings; DataTables also takes the nested
        # ``aria`` and ``lengthLabels`` labels, which would otherwise warn on stderr.
        warnings.filterwarnings("ignore", r"language=", SyntaxWarning)
        result = to_html_datatable(shown, **options)
    result = _ITABLES_LINK.sub(lambda m: m.group(1) if len(m.group(1)) > 2 else "", result)
    result = _LOADING_MESSAGE.sub("Đang tải bảng…", result, count=1)
    fallback = _static_html(
        shown, kinds, caption=caption, max_rows=_STATIC_PREVIEW_ROWS, total=total
    )
    result = _replace_fallback(result, table_id, fallback)
    note_html = ""
    if truncated:
        note_html = note(
            f"Bảng có {format_number(total)} dòng; chỉ hiển thị {format_number(max_rows)} "
            "dòng đầu. Xem đầy đủ trong các tệp Excel kèm báo cáo.",
            kind="warning",
        )
    return f'<div class="tthc-table-wrap">{result}</div>{note_html}'


def _replace_fallback(result: str, table_id: str, fallback: str) -> str:
    start_tag = f'<div id="{table_id}_fallback">'
    start = result.find(start_tag)
    if start < 0:
        return result
    end = result.find("</div>", start)
    if end < 0:
        return result
    return result[: start + len(start_tag)] + fallback + result[end:]


def heading(text: str, level: int = 2, anchor: str | None = None) -> str:
    """An escaped HTML heading; ``anchor`` (or a slug of the text) is its id."""
    level = min(max(int(level), 1), 6)
    ident = html.escape(anchor or _slug(text))
    return f'<h{level} id="{ident}">{html.escape(text)}</h{level}>'


def status_badge(code: str, label: str | None = None) -> str:
    """A coloured badge for a status code of :mod:`tthc_analysis.status`."""
    status = STATUSES.get(code)
    if status is None:
        return f'<span class="tthc-badge">{html.escape(label or str(code))}</span>'
    text = label or status.label_vi
    dark = _is_dark(status.colour)
    fg = "#ffffff" if dark else "#1a1a1a"
    return (
        f'<span class="tthc-badge tthc-status-{html.escape(code)}" '
        f'style="background:{status.colour};color:{fg}">{html.escape(text)}</span>'
    )


def badge(text: str, colour: str = "#e0e0e0") -> str:
    """A neutral badge with ``text`` (escaped) on ``colour`` (a ``#rrggbb`` value)."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        colour = "#e0e0e0"
    fg = "#ffffff" if _is_dark(colour) else "#1a1a1a"
    return (
        f'<span class="tthc-badge" style="background:{colour};color:{fg}">'
        f"{html.escape(text)}</span>"
    )


def _is_dark(colour: str) -> bool:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b < 140


def note(text: str, kind: str = "info") -> str:
    """An escaped note box; ``kind`` is ``info``, ``warning`` or ``danger``."""
    if kind not in {"info", "warning", "danger"}:
        kind = "info"
    return f'<div class="tthc-note tthc-note-{kind}">{html.escape(text)}</div>'


# --- Showing in a notebook -------------------------------------------------------------


def show_html(fragment: str) -> None:
    """Display an HTML fragment built by this module."""
    from IPython.display import HTML
    from IPython.display import display as ipy_display

    ipy_display(HTML(fragment))


def show_table(
    frame: pd.DataFrame, name: str | None = None, *, static: bool = False, **options: Any
) -> None:
    """Display ``frame`` as a searchable, sortable table (or a static one).

    Args:
        frame: The table.
        name: Short stable name used for the HTML id (``"ho-so-qua-han"``); without it
            the id is numbered in display order.
        static: A plain HTML table without search/sort (small key-figure tables): every
            row, no initial sort (:func:`static_table_html`).
        **options: The keywords of :func:`table_html` (``caption``, ``show_personal``,
            ``labels``, ``translate_codes``, ``max_rows``, ``order``, ``dataset``).
    """
    if static:
        options = {k: v for k, v in options.items() if k not in ("max_rows", "order")}
        show_html(static_table_html(frame, **options))
    else:
        show_html(table_html(frame, name, **options))


def show_note(text: str, kind: str = "info") -> None:
    """Display an escaped note box."""
    show_html(note(text, kind))


def format_value(value: object, key: str = "") -> str:
    """Format a scalar for a report: rates ``85,3%``, numbers ``1.234,5``, dates.

    ``key`` is the name of the value: ``*_rate``/``*_share`` are rates; 766 scores
    (``*_total``, ``*_score``, :data:`tthc_analysis.labels.POINTS_COLUMNS`) keep two
    decimals as published (``90,86``).
    """
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, date | datetime | pd.Timestamp):
        return format_date(value)
    if isinstance(value, int | float) or hasattr(value, "item"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(value)
        if math.isnan(number):
            return "–"
        if _is_rate(key):
            return format_percent(number)
        if key in _labels.POINTS_COLUMNS or key.endswith(("_total", "_score")):
            return format_number(number, 0 if number.is_integer() else 2)  # 766 scores
        return format_number(number, 0 if number.is_integer() else 1)
    return str(value)
