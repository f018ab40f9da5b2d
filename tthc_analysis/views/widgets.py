"""Notebook filters: thin ipywidgets classes over the metric and chart functions.

Two modes, chosen by the notebook's ``interactive`` parameter:

- **interactive** (JupyterLab with a kernel): dropdowns for unit (phòng), field (lĩnh
  vực), procedure, channel and period (or a date range); the table (an escaped HTML
  widget) and the chart (a PNG image widget) update in place when a value changes;
- **static** (a headless review build, ``interactive=False``, or no kernel): the same
  object displays the full, unfiltered view (table + chart as an inline PNG) and
  creates **no** widget at all, so the exported HTML has no dead controls and no
  random widget ids.

The classes keep their state in plain attributes (``current_frame``, ``result``,
``figure``, ``table_html``) so they are tested without a browser by setting a control's
``value`` and reading those attributes. No calculation lives here: filtering is
:func:`filter_frame`, computing is an injectable function (default
:func:`tthc_analysis.metrics.rates.dossier_rates` by month), drawing a chart function.
"""

from __future__ import annotations

import base64
import functools
import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from tthc_analysis.charts.style import figure_img_html, figure_to_png_bytes, month_label
from tthc_analysis.charts.trend_charts import monthly_trend
from tthc_analysis.config import Settings
from tthc_analysis.errors import TthcError
from tthc_analysis.labels import RATE_LABELS_VI, code_label, infer_dataset
from tthc_analysis.periods import Period, month_periods, parse_period, quarter_periods
from tthc_analysis.status import STATUSES
from tthc_analysis.text import format_number, is_missing, nfc, vi_sort_key
from tthc_analysis.views import display
from tthc_analysis.workdays import WorkCalendar

__all__ = [
    "ALL",
    "DEFAULT_RATE_COLUMNS",
    "DossierExplorer",
    "FilterPanel",
    "FilterSpec",
    "FilteredTable",
    "default_targets",
    "filter_frame",
    "has_frontend",
    "value_label",
]

ALL = "__all__"
"""Dropdown value meaning "no filter" (shown as "Tất cả")."""

ALL_LABEL = "Tất cả"

DEFAULT_RATE_COLUMNS = ("on_time_rate", "full_online_share", "digitisation_rate")
"""Rates drawn by :class:`DossierExplorer` by default."""

PNG_DPI_SCREEN = 100


def default_targets(table: pd.DataFrame) -> dict[str, float]:
    """Targets of the dossier rates, from the plan's task → indicator table.

    E.g. on-time 100% (VI.3), full-online dossiers 80% (IX.1), digitisation 80% (VI.1,
    IX.3). The first row of an indicator with a target wins.

    Args:
        table: The task -> indicator table the evaluation used
            (``ev.references.task_indicators``); widgets read no reference file themselves.

    Returns:
        Rate column -> target in [0, 1].
    """
    rows = table[table["indicator_id"].isin(list(RATE_LABELS_VI)) & table["target"].notna()]
    rows = rows.drop_duplicates("indicator_id")
    return dict(zip(rows["indicator_id"], rows["target"].astype(float), strict=True))


def has_frontend() -> bool:
    """Whether code runs in an IPython kernel (so widgets can be shown)."""
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def value_label(column: str, value: object, dataset: str | None = None) -> str:
    """Vietnamese label of a filter value: status and coded values by label, else the text.

    Args:
        column: The filtered column.
        value: One of its values.
        dataset: The dataset of the frame (``"feedback"``...), for codes that differ
            between datasets (``status``, ``outcome``).
    """
    if dataset is None and column in {"status", "section_status"} and value in STATUSES:
        return STATUSES[value].label_vi
    label = code_label(column, value, dataset)
    if label is not None:
        return nfc(label)
    return "" if is_missing(value) else nfc(str(value))


@dataclass(frozen=True)
class FilterSpec:
    """One filter control.

    Attributes:
        column: Column of the frame to filter on (cells may be lists: a row matches when
            any element is selected).
        label: Vietnamese label of the control.
        multiple: A multi-selection list instead of a dropdown.
        labeller: Function ``(column, value) -> label``; default :func:`value_label`.
    """

    column: str
    label: str
    multiple: bool = False
    labeller: Callable[[str, object], str] | None = None

    def option_label(self, value: object, dataset: str | None = None) -> str:
        """Label shown for ``value`` (``dataset``: the frame's dataset, see :func:`value_label`)."""
        if self.labeller is not None:
            return self.labeller(self.column, value)
        return value_label(self.column, value, dataset)


def option_sort_key(column: str, value: object, label: str) -> tuple:
    """Order of a filter's options.

    Sections I…IX and tasks I.1…IX.3 in plan order, everything else in Vietnamese
    alphabetical order of its label.
    """
    from tthc_analysis.views.common import section_order

    text = str(value)
    if column in {"section_id", "section"}:
        return (section_order(text), "")
    if column == "task_id" and "." in text:
        head, _, tail = text.partition(".")
        return (section_order(head), int(tail) if tail.isdigit() else 99, text)
    return (0, vi_sort_key(label))


def _as_spec(spec: str | FilterSpec, dataset: str | None = None) -> FilterSpec:
    if isinstance(spec, FilterSpec):
        return spec
    return FilterSpec(spec, display.column_label(spec, dataset))


def _cell_values(series: pd.Series) -> list:
    values = []
    for cell in series:
        items = cell if isinstance(cell, list | tuple | set | frozenset) else [cell]
        values.extend(v for v in items if not is_missing(v) and str(v) != "")
    return values


def filter_frame(frame: pd.DataFrame, selection: Mapping[str, object]) -> pd.DataFrame:
    """Rows of ``frame`` matching every selected filter.

    Args:
        frame: Any frame.
        selection: Column -> a value, or a collection of values (any of them). ``None``,
            :data:`ALL` and empty collections mean no filter on that column. Cells that
            hold lists match when one of their elements is selected.

    Returns:
        The matching rows (index kept).
    """
    mask = pd.Series(True, index=frame.index)
    for column, chosen in selection.items():
        if chosen is None or (isinstance(chosen, str) and chosen == ALL):
            continue
        wanted = set(chosen) if isinstance(chosen, list | tuple | set | frozenset) else {chosen}
        wanted.discard(ALL)
        if not wanted:
            continue

        def matches(cell: object, wanted: set = wanted) -> bool:
            if isinstance(cell, list | tuple | set | frozenset):
                return any(v in wanted for v in cell)
            return cell in wanted

        mask &= frame[column].map(matches).astype(bool)
    return frame[mask]


class FilterPanel:
    """A row of filter controls built from the values present in a frame.

    Args:
        frame: The frame whose values populate the controls.
        specs: Filters, as column names or :class:`FilterSpec`.
        on_change: Called with no argument after any control changes.
        dataset: The dataset of the frame (``"feedback"``...), for the labels of codes
            that differ between datasets; default: inferred from the columns.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        specs: Sequence[str | FilterSpec],
        on_change: Callable[[], None] | None = None,
        dataset: str | None = None,
    ) -> None:
        import ipywidgets as widgets

        self.dataset = dataset if dataset is not None else infer_dataset(frame.columns)
        self.frame = frame
        self.specs = [_as_spec(s, self.dataset) for s in specs]
        self.on_change = on_change
        self.controls: dict[str, Any] = {}
        self._narrowing = False
        for spec in self.specs:
            options = self._options(spec, frame)
            if spec.multiple:
                control = widgets.SelectMultiple(
                    options=options,
                    value=(),
                    rows=min(6, max(len(options), 2)),
                    description=spec.label,
                    style={"description_width": "initial"},
                )
            else:
                control = widgets.Dropdown(
                    options=[(ALL_LABEL, ALL), *options],
                    value=ALL,
                    description=spec.label,
                    style={"description_width": "initial"},
                    layout=widgets.Layout(width="auto", max_width="32em"),
                )
            control.observe(self._changed, names="value")
            self.controls[spec.column] = control
        self.widget = widgets.HBox(
            list(self.controls.values()), layout=widgets.Layout(flex_flow="row wrap")
        )

    def _options(self, spec: FilterSpec, frame: pd.DataFrame) -> list[tuple[str, object]]:
        values = set(_cell_values(frame[spec.column])) if spec.column in frame else set()
        labelled = [(spec.option_label(v, self.dataset), v) for v in values]
        return sorted(labelled, key=lambda lv: option_sort_key(spec.column, lv[1], lv[0]))

    def _narrow(self) -> None:
        """Offer in each control only the values left by the other controls' choices.

        Choosing a unit narrows the procedures (and fields, channels...) to that unit's;
        a choice no longer offered goes back to "Tất cả".
        """
        selection = self.selection()
        for spec in self.specs:
            control = self.controls[spec.column]
            others = {k: v for k, v in selection.items() if k != spec.column}
            options = self._options(spec, filter_frame(self.frame, others))
            if spec.multiple:
                values = {v for _, v in options}
                keep = tuple(v for v in control.value if v in values)
                if list(control.options) != options:
                    control.options = options
                control.value = keep
            else:
                full = [(ALL_LABEL, ALL), *options]
                value = control.value if control.value in {v for _, v in full} else ALL
                if list(control.options) != full:
                    control.options = full
                control.value = value

    def _changed(self, _change: dict) -> None:
        if self._narrowing:
            return
        self._narrowing = True
        try:
            self._narrow()
        finally:
            self._narrowing = False
        if self.on_change is not None:
            self.on_change()

    def selection(self) -> dict[str, object]:
        """The active filters: column -> value (dropdown) or tuple of values (multi)."""
        chosen: dict[str, object] = {}
        for column, control in self.controls.items():
            value = control.value
            if value == ALL or value == ():
                continue
            chosen[column] = value
        return chosen

    def describe(self) -> str:
        """The active filters in Vietnamese (``"Đơn vị: Văn phòng; Kênh nộp: Trực tuyến"``)."""
        parts = []
        for spec in self.specs:
            value = self.controls[spec.column].value
            if value == ALL or value == ():
                continue
            values = value if isinstance(value, tuple) else (value,)
            shown = ", ".join(spec.option_label(v, self.dataset) for v in values)
            parts.append(f"{spec.label}: {shown}")
        return "; ".join(parts)

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` filtered by the current selection."""
        return filter_frame(frame, self.selection())


REASON_COLUMNS = ("reason_vi", "overdue_reason", "issues", "missing_vi", "reason", "content")
"""Columns that say why (reason, what is wrong): moved next to the first column in the
interactive table of a wide frame, so that they are in view without scrolling."""

WIDE_TABLE = 6
"""Tables with more columns than this put their reason column second."""

_WIDGET_CSS = (
    "<style>"
    ".tthc-widget-table{max-height:34em;overflow:auto;margin:4px 0}"
    ".tthc-widget-table table{border-collapse:collapse;font-size:90%}"
    ".tthc-widget-table th{position:sticky;top:0;background:#f3f5f7;text-align:left}"
    ".tthc-widget-table td,.tthc-widget-table th{padding:2px 6px;line-height:1.3;"
    "border-bottom:1px solid #e3e6ea;vertical-align:top}"
    ".tthc-widget-table td{white-space:nowrap;max-width:22em;overflow:hidden;"
    "text-overflow:ellipsis}"
    ".tthc-widget-table td.tthc-reason{white-space:normal;min-width:18em;max-width:36em}"
    ".tthc-widget-table td.tthc-num{text-align:right}"
    "</style>"
)


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


_DOWNLOAD_LIMIT_MB = [float(Settings.model_fields["max_download_mb"].default)]


def set_download_limit(megabytes: float) -> None:
    """Set the largest file a download button puts in the page (setting ``max_download_mb``).

    The review context calls it with the settings of the data folder it loads.
    """
    _DOWNLOAD_LIMIT_MB[0] = float(megabytes)


def download_limit_mb() -> float:
    """The largest file, in MB, that a download button puts in the page."""
    return _DOWNLOAD_LIMIT_MB[0]


class _Exportable:
    """Export of exactly the table shown (Excel and CSV), by code or by a button."""

    name: str | None
    caption: str | None
    interactive: bool

    def export_frame(self) -> pd.DataFrame:  # pragma: no cover - overridden
        """The table shown, with Vietnamese headers and labels."""
        raise NotImplementedError

    def _export_name(self) -> str:
        from tthc_analysis.text import fold_ascii

        stem = fold_ascii(self.name or "bang").replace(" ", "-")
        return "".join(c for c in stem if c.isalnum() or c in "-_") or "bang"

    def to_excel(self, path=None):
        """Write the table shown (filtered rows, shown columns) to an Excel file.

        Args:
            path: The ``.xlsx`` file (default: ``<name>.xlsx`` in the current folder).

        Returns:
            The path written.
        """
        from tthc_analysis.xlsx import Sheet, write_xlsx

        path = path or f"{self._export_name()}.xlsx"
        title = [self.caption] if self.caption else []
        filters = self._filters_text()
        if filters:
            title.append(f"Lọc: {filters}")
        return write_xlsx(path, Sheet("Dữ liệu", self.export_frame(), title_lines=title))

    def to_csv(self, path=None):
        """Write the table shown to a UTF-8 CSV file (formula-like text protected).

        Returns:
            The path written.
        """
        from pathlib import Path

        from tthc_analysis.xlsx import protect_csv_frame

        path = Path(path or f"{self._export_name()}.csv")
        path.parent.mkdir(parents=True, exist_ok=True)
        protect_csv_frame(self.export_frame()).to_csv(path, index=False, encoding="utf-8-sig")
        return path

    def _filters_text(self) -> str:
        panel = getattr(self, "panel", None)
        return panel.describe() if panel is not None else ""

    def _export_bytes(self, kind: str) -> bytes:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / f"bang.{kind}"
            (self.to_excel if kind == "xlsx" else self.to_csv)(target)
            return target.read_bytes()

    def _export_controls(self):
        """Buttons "Tải Excel" / "Tải CSV" and the link to the file they prepare."""
        import ipywidgets as widgets

        self._link = widgets.HTML()
        buttons = []
        for kind, label in (("xlsx", "Tải Excel"), ("csv", "Tải CSV")):
            button = widgets.Button(
                description=label,
                icon="download",
                tooltip=f"{label}: đúng bảng đang hiển thị (không gồm thông tin cá nhân)",
                layout=widgets.Layout(width="auto"),
            )
            button.on_click(lambda _b, kind=kind: self.prepare_download(kind))
            buttons.append(button)
        return widgets.HBox([*buttons, self._link])

    def prepare_download(self, kind: str = "xlsx") -> str:
        """Prepare the download link of the table shown (``"xlsx"`` or ``"csv"``).

        Returns:
            The link's HTML (also shown next to the buttons).
        """
        mime = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            if kind == "xlsx"
            else "text/csv"
        )
        filename = f"{self._export_name()}.{kind}"
        n = len(self.export_frame())
        data = self._export_bytes(kind)
        limit = download_limit_mb()
        if len(data) > limit * 1024 * 1024:
            link = (
                f'<span class="tthc-download-refused">Tệp {html.escape(filename)} '
                f"({format_number(len(data) / 1024 / 1024, 1)} MB, {format_number(n)} dòng) "
                f"lớn hơn giới hạn tải về {format_number(limit, 1)} MB (thiết lập "
                "max_download_mb): hãy lọc bớt bảng, hoặc ghi tệp bằng .to_excel() trong "
                "JupyterLab.</span>"
            )
        else:
            link = (
                f'<a download="{html.escape(filename)}" class="tthc-download" '
                f'href="{_data_uri(data, mime)}">'
                f"Bấm để tải {html.escape(filename)} ({n} dòng)</a>"
            )
        if getattr(self, "_link", None) is not None:
            self._link.value = link
        return link


class _Base:
    """Shared static/interactive display logic."""

    interactive: bool
    widget: Any
    static_html: Callable[[], str]

    def _repr_mimebundle_(self, **kwargs) -> dict:
        if self.interactive and self.widget is not None:
            return self.widget._repr_mimebundle_(**kwargs)
        return {"text/html": self.static_html(), "text/plain": self._plain_text()}

    def _plain_text(self) -> str:
        return f"<{type(self).__name__} (tĩnh)>"

    def show(self) -> None:
        """Display the widget (interactive) or the static view in the notebook."""
        from IPython.display import HTML
        from IPython.display import display as ipy_display

        if self.interactive and self.widget is not None:
            ipy_display(self.widget)
        else:
            ipy_display(HTML(self.static_html()))


class FilteredTable(_Exportable, _Base):
    """A table with filter dropdowns (e.g. the plan's tasks by unit, section, status).

    Args:
        frame: The full table.
        filters: Columns to filter on (names or :class:`FilterSpec`).
        columns: Columns shown (default: all).
        labels: Headers for some columns (default: :func:`tthc_analysis.views.display.column_label`).
        name: Stable name of the table (HTML id of the static view).
        caption: Caption under the table.
        interactive: ``True``/``False``; ``None`` = widgets when a kernel is present.
        max_rows: Rows shown in the interactive table (the rest are counted in a note).
        dataset: The dataset of the frame (``"feedback"``...), for the headers and codes
            of columns that differ between datasets; default: inferred from the columns.
        show_personal: Keep the personal-data columns (an analyst's own session; never
            in a report). By default they are dropped from the table, :attr:`data`,
            :attr:`current_frame` and the exports.

    Attributes:
        current_frame: The filtered rows (all columns but the personal ones).
        data: What the table shows: the filtered rows and the shown columns.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        filters: Sequence[str | FilterSpec],
        *,
        columns: Sequence[str] | None = None,
        labels: Mapping[str, str] | None = None,
        name: str | None = None,
        caption: str | None = None,
        interactive: bool | None = None,
        max_rows: int = 200,
        dataset: str | None = None,
        show_personal: bool = False,
    ) -> None:
        frame = display.drop_personal(frame, show_personal)
        self.frame = frame
        self.columns = [
            c for c in (columns if columns is not None else frame.columns) if c in frame
        ]
        self.labels = dict(labels or {})
        self.dataset = dataset if dataset is not None else infer_dataset(frame.columns)
        self.name = name
        self.caption = caption
        self.max_rows = max_rows
        self.interactive = has_frontend() if interactive is None else bool(interactive)
        self.panel: FilterPanel | None = None
        self.widget = None
        self.current_frame = frame
        self.table_html = ""
        if self.interactive:
            import ipywidgets as widgets

            self.panel = FilterPanel(frame, filters, on_change=self.update, dataset=self.dataset)
            self._table = widgets.HTML()
            self.widget = widgets.VBox([self.panel.widget, self._export_controls(), self._table])
        self.update()

    @property
    def data(self) -> pd.DataFrame:
        """The table shown: filtered rows, shown columns (canonical names)."""
        return self.current_frame[self.shown_columns()].reset_index(drop=True)

    def shown_columns(self) -> list[str]:
        """The columns of the interactive table: a wide table puts its reason column second."""
        columns = list(self.columns)
        if len(columns) > WIDE_TABLE:
            reasons = [c for c in columns[1:] if c in REASON_COLUMNS]
            if reasons:
                rest = [c for c in columns[1:] if c not in reasons]
                columns = [columns[0], *reasons, *rest]
        return columns

    def export_frame(self) -> pd.DataFrame:
        """The table shown with Vietnamese headers and labels (what the exports write)."""
        from tthc_analysis.views.blocks import labelled_frame

        return labelled_frame(self.data, labels=self.labels, dataset=self.dataset)

    def update(self) -> None:
        """Apply the filters and refresh the table."""
        self.current_frame = self.panel.apply(self.frame) if self.panel else self.frame
        caption = self.caption
        if self.panel is not None and self.panel.describe():
            caption = "; ".join(c for c in (caption, f"Lọc: {self.panel.describe()}") if c)
        if not len(self.current_frame):
            self.table_html = display.note(
                "Không có dòng nào phù hợp với bộ lọc"
                + (f" ({self.panel.describe()})" if self.panel else "")
                + ". Chọn «Tất cả» ở một bộ lọc để xem lại.",
                "info",
            )
        elif self.interactive:
            self.table_html = self._compact_html(caption)
        else:
            self.table_html = display.static_table_html(
                self.current_frame[self.columns].reset_index(drop=True),
                caption=caption,
                labels=self.labels,
                max_rows=self.max_rows,
                dataset=self.dataset,
            )
        if self.interactive:
            if getattr(self, "_link", None) is not None:
                self._link.value = ""  # a prepared file no longer matches the filters
            self._table.value = self.table_html

    def _compact_html(self, caption: str | None) -> str:
        """The interactive table: compact rows, reason in view, status badges kept."""
        shown_columns = self.shown_columns()
        frame = self.current_frame[shown_columns].reset_index(drop=True)
        shown, kinds = display.display_frame(
            frame, labels=self.labels, max_rows=self.max_rows, dataset=self.dataset
        )
        codes = self._badge_codes(shown_columns)
        esc = html.escape
        head = "".join(f"<th>{esc(str(c).rstrip())}</th>" for c in shown.columns)
        rows = []
        for i, record in enumerate(shown.itertuples(index=False, name=None)):
            cells = []
            for position, (header, value) in enumerate(zip(shown.columns, record, strict=True)):
                column = shown_columns[position]
                text = display.format_cell(value, kinds[header])
                code = codes.get(column)
                if code is not None:
                    status = self.current_frame[code].iloc[i]
                    if isinstance(status, str) and status in STATUSES:
                        cells.append(f"<td>{display.status_badge(status, text)}</td>")
                        continue
                css = (
                    "tthc-reason"
                    if column in REASON_COLUMNS
                    else ("tthc-num" if kinds[header] in {"int", "float", "rate", "points"} else "")
                )
                cells.append(f'<td class="{css}" title="{esc(text)}">{esc(text)}</td>')
            rows.append("<tr>" + "".join(cells) + "</tr>")
        total = len(self.current_frame)
        note = (
            f'<p class="tthc-table-note">Hiển thị {len(shown)} / {total} dòng; tải Excel để '
            "có đủ các dòng.</p>"
            if len(shown) < total
            else f'<p class="tthc-table-note">{total} dòng.</p>'
        )
        cap = f"<caption>{esc(caption)}</caption>" if caption else ""
        return (
            f'{_WIDGET_CSS}<div class="tthc-widget-table"><table class="tthc-table">{cap}'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{note}"
        )

    def _badge_codes(self, columns: list[str]) -> dict[str, str]:
        """Shown column -> the column of status codes drawn as a coloured badge in it."""
        found = {}
        for column in columns:
            if column in {"status", "section_status"}:
                found[column] = column
            elif column == "status_vi" and "status" in self.current_frame:
                found[column] = "status"
        return found

    def static_html(self) -> str:
        """The full table as an offline searchable table (stable id from ``name``)."""
        return display.table_html(
            self.frame[self.columns].reset_index(drop=True),
            self.name,
            caption=self.caption,
            labels=self.labels,
            dataset=self.dataset,
        )


def _date_text(value: object) -> str:
    """A date control's value as dd/mm/yyyy text ("" when empty)."""
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return " ".join(str(value or "").split())


def _default_compute(
    dossiers: pd.DataFrame,
    procedures: pd.DataFrame,
    period: Period,
    calendar: WorkCalendar | None = None,
):
    from tthc_analysis.metrics.rates import dossier_rates

    return dossier_rates(dossiers, procedures, period, by="month", calendar=calendar)


_EXPLORER_FILTERS = (
    FilterSpec("unit", "Đơn vị (phòng)"),
    FilterSpec("field", "Lĩnh vực"),
    FilterSpec("procedure_code", "Thủ tục"),
    FilterSpec("channel", "Kênh nộp"),
)


class DossierExplorer(_Exportable, _Base):
    """Dossier rates by month, filtered by unit, field, procedure, channel and period.

    Args:
        dossiers: Canonical dossiers (``unit``, ``field``, ``procedure_code``,
            ``procedure_name``, ``channel`` ...).
        procedures: Procedure catalogue passed to ``compute``.
        period: The report period; the period control also offers its quarters and
            months, and a custom date range (``Từ ngày`` / ``Đến ngày``).
        compute: ``(dossiers, procedures, period) -> DataFrame`` with one row per month
            (a ``month`` column ``YYYY-MM`` and rate columns); default
            ``rates.dossier_rates(..., by="month", calendar=calendar)``.
        chart: ``(result, title) -> Figure``; default :func:`monthly_trend` of
            ``rate_columns`` with ``targets``.
        rate_columns: Rates drawn and shown by default.
        targets: Target per rate column (none by default; the pages pass
            :func:`default_targets` of the evaluation's task -> indicator table).
        table_columns: Columns of the table (default: month, received, the rates).
        name: Stable name of the static table (HTML id).
        title: Title of the chart.
        interactive: ``True``/``False``; ``None`` = widgets when a kernel is present.
        show_personal: Keep the personal-data columns in :attr:`current_frame` (an
            analyst's own session); dropped by default.
        calendar: Working-day calendar of the default ``compute`` (``page.calendar``).

    Attributes:
        current_frame: The dossiers as filtered (no personal columns by default).
        result: The monthly rates computed from them.
        data: The table shown (months, dossiers received, the rates).
        figure: The chart shown.
    """

    def __init__(
        self,
        dossiers: pd.DataFrame,
        procedures: pd.DataFrame | None,
        period: Period,
        *,
        compute: Callable[[pd.DataFrame, Any, Period], pd.DataFrame] | None = None,
        chart: Callable[[pd.DataFrame, str], Figure] | None = None,
        rate_columns: Sequence[str] = DEFAULT_RATE_COLUMNS,
        targets: Mapping[str, float] | None = None,
        table_columns: Sequence[str] | None = None,
        name: str = "ho-so-theo-thang",
        title: str = "Tỷ lệ giải quyết hồ sơ theo tháng",
        interactive: bool | None = None,
        show_personal: bool = False,
        calendar: WorkCalendar | None = None,
    ) -> None:
        dossiers = display.drop_personal(dossiers, show_personal)
        self.dossiers = dossiers
        self.procedures = procedures
        self.base_period = period
        self.compute = compute or functools.partial(_default_compute, calendar=calendar)
        self.rate_columns = list(rate_columns)
        self.targets = dict(targets or {})
        self.chart = chart or self._default_chart
        self.table_columns = list(table_columns) if table_columns else None
        self.name = name
        self.title = title
        self.caption = title
        self.interactive = has_frontend() if interactive is None else bool(interactive)
        self.period = period
        self.current_frame = dossiers
        self.result: pd.DataFrame = pd.DataFrame()
        self.figure: Figure | None = None
        self.table_html = ""
        self.message = ""
        self.panel: FilterPanel | None = None
        self.widget = None
        if self.interactive:
            self._build_controls()
        self.update()

    # --- controls ----------------------------------------------------------------------

    def _period_choices(self) -> dict[str, Period]:
        base = self.base_period
        choices = {base.period_id: base}
        if base.kind in {"year", "half", "nine_months", "quarter"}:
            for p in [
                *quarter_periods(base.year, base.window),
                *month_periods(base.year, base.window),
            ]:
                if base.start <= p.start <= base.end:  # cut at the as-of date if needed
                    choices.setdefault(p.period_id, p.clipped(base.end))
        return choices

    def _procedure_label(self, _column: str, code: object) -> str:
        names = self._procedure_names
        name = names.get(code, "")
        text = f"{code} – {name}" if name else str(code)
        return nfc(text if len(text) <= 70 else text[:69] + "…")

    def _build_controls(self) -> None:
        import ipywidgets as widgets

        names: dict = {}
        for source in (self.procedures, self.dossiers):
            if source is not None and {"procedure_code", "procedure_name"} <= set(source):
                pairs = source[["procedure_code", "procedure_name"]].dropna()
                for code, name in zip(
                    pairs["procedure_code"], pairs["procedure_name"], strict=True
                ):
                    names.setdefault(code, name)
        self._procedure_names = names
        specs = [
            FilterSpec(s.column, s.label, labeller=self._procedure_label)
            if s.column == "procedure_code"
            else s
            for s in _EXPLORER_FILTERS
            if s.column in self.dossiers
        ]
        self.panel = FilterPanel(self.dossiers, specs, on_change=self.update)
        self._periods = self._period_choices()
        self.period_control = widgets.Dropdown(
            options=[(p.name_vi, pid) for pid, p in self._periods.items()],
            value=self.base_period.period_id,
            description="Kỳ báo cáo",
            style={"description_width": "initial"},
        )
        # Dates typed dd/mm/yyyy: a browser's date picker shows its own locale's format
        # (mm/dd/yyyy in an English browser), the reports always dd/mm/yyyy.
        self.start_control = widgets.Text(
            description="Từ ngày", placeholder="dd/mm/yyyy", layout=widgets.Layout(width="14em")
        )
        self.end_control = widgets.Text(
            description="Đến ngày", placeholder="dd/mm/yyyy", layout=widgets.Layout(width="14em")
        )
        for control in (self.period_control, self.start_control, self.end_control):
            control.observe(lambda _c: self.update(), names="value")
        self._status = widgets.HTML()
        self._table = widgets.HTML()
        self._image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        period_row = widgets.HBox([self.period_control, self.start_control, self.end_control])
        self.widget = widgets.VBox(
            [
                self.panel.widget,
                period_row,
                self._status,
                self._image,
                self._export_controls(),
                self._table,
            ]
        )

    def _selected_period(self) -> Period:
        if not self.interactive:
            return self.base_period
        start, end = (_date_text(c.value) for c in (self.start_control, self.end_control))
        if start and end:
            return parse_period(f"{start}-{end}", self.base_period.year, "calendar")
        return self._periods[self.period_control.value]

    # --- computing and drawing ---------------------------------------------------------

    def _default_chart(self, result: pd.DataFrame, title: str) -> Figure:
        columns = [c for c in self.rate_columns if c in result.columns]
        targets = {c: t for c, t in self.targets.items() if c in columns}
        return monthly_trend(result, columns, target=targets or None, title=title)

    def _shown_columns(self) -> list[str]:
        if self.table_columns is not None:
            return [c for c in self.table_columns if c in self.result.columns]
        wanted = ["month", "n_received", *self.rate_columns]
        return [c for c in wanted if c in self.result.columns]

    @property
    def data(self) -> pd.DataFrame:
        """The table shown (canonical names; months as ``MM/YYYY``)."""
        return self.table_frame()

    def export_frame(self) -> pd.DataFrame:
        """The table shown with Vietnamese headers (what the exports write)."""
        from tthc_analysis.views.blocks import labelled_frame

        return labelled_frame(self.table_frame())

    def table_frame(self) -> pd.DataFrame:
        """The shown table: chosen columns of the result, months as ``MM/YYYY``."""
        shown = self.result[self._shown_columns()].reset_index(drop=True)
        if "month" in shown:
            shown["month"] = shown["month"].map(month_label)
        return shown

    def _chart_title(self) -> str:
        parts = [self.title, self.period.name_vi]
        if self.panel is not None and self.panel.describe():
            parts.append(self.panel.describe())
        return " – ".join(parts)

    def update(self) -> None:
        """Filter, recompute, redraw; errors are shown as a message, not raised."""
        try:
            self.period = self._selected_period()
            self.current_frame = self.panel.apply(self.dossiers) if self.panel else self.dossiers
            self.result = self.compute(self.current_frame, self.procedures, self.period)
            self.message = ""
            if len(self.current_frame):
                self.figure = self.chart(self.result, self._chart_title())
            else:
                self.figure = None
                self.message = (
                    "Không có hồ sơ nào phù hợp với bộ lọc"
                    + (f" ({self.panel.describe()})" if self.panel else "")
                    + "."
                )
        except TthcError as error:
            self.message = error.message
        self.table_html = display.static_table_html(
            self.table_frame(), caption=f"{self.title} – {self.period.label_vi}"
        )
        if self.interactive:
            self._status.value = (
                f'<p class="tthc-note">{html.escape(self.message)}</p>' if self.message else ""
            )
            self._table.value = self.table_html
            if getattr(self, "_link", None) is not None:
                self._link.value = ""  # a prepared file no longer matches the filters
            if self.figure is not None:
                self._image.value = figure_to_png_bytes(self.figure, dpi=PNG_DPI_SCREEN)
                self._image.layout.display = None
            else:
                self._image.layout.display = "none"

    def static_html(self) -> str:
        """The unfiltered view: chart (inline PNG) and table, deterministic HTML."""
        parts = ['<div class="tthc-static-view">']
        if self.figure is not None:
            parts.append(figure_img_html(self.figure, dpi=PNG_DPI_SCREEN))
        parts.append(
            display.table_html(
                self.table_frame(), self.name, caption=f"{self.title} – {self.period.label_vi}"
            )
        )
        parts.append("</div>")
        return "".join(parts)
