"""Deterministic, offline HTML export of executed notebooks (nbconvert, in-process).

One :class:`ReportExporter` serves a whole build: it wraps a configured
``HTMLExporter`` (template ``tthc``, extending JupyterLab's ``lab``) and applies the
reproducibility recipe of the tech notes (§2.2):

- the template's Jinja global ``uuid4`` is replaced by a counter reset for each page;
- volatile notebook metadata (papermill/nbclient timing, widget state) is stripped and
  widget views (which cannot run offline) are replaced by their text fallback;
- require.js, MathJax, mermaid and the widget manager are never referenced, and the
  table bundle is inlined once per page that has an interactive table;
- every page is checked for resources loaded from outside the file
  (:func:`external_references`).
"""

from __future__ import annotations

import copy
import html
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from tthc_analysis.views.display import itables_bundle_html

__all__ = [
    "TEMPLATES_DIR",
    "PageContext",
    "ReportExporter",
    "clean_notebook",
    "external_references",
    "notebook_title",
    "render_page_template",
    "stable_styler_ids",
    "write_notebook",
]

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
"""Folder of the ``tthc`` nbconvert template and the page partials."""

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"

REMOVE_CELL_TAGS = ("remove-cell", "remove_cell")
REMOVE_INPUT_TAGS = ("remove-input", "remove_input", "hide-input", "hide_input")
REMOVE_OUTPUT_TAGS = ("remove-output", "remove_output", "hide-output", "hide_output")
PARAMETER_TAGS = ("parameters", "injected-parameters")


@dataclass(frozen=True)
class PageContext:
    """What the header and footer of every page show (all plain text, escaped later).

    Attributes:
        report_title: Title of the report.
        org_parent: Upper line of the issuing body (e.g. the province), may be empty.
        org_name: The issuing body (the Sở).
        plan_line: The plan reference, e.g. "Kế hoạch theo Công văn số 655/SGDĐT-VP…".
        period_label: :attr:`Period.label_vi`.
        window_label: :attr:`Period.window_vi`.
        as_of: Data cut-off date, ``dd/mm/yyyy``.
        units: Units the report is limited to (empty: all).
        is_sample: Whether the data is the synthetic sample.
        provenance: Footer facts: ``n_files``, ``total_rows``, ``data_hash``,
            ``plan_hash``, ``year``, ``period``, ``version``, ``python``.
    """

    report_title: str
    org_parent: str
    org_name: str
    plan_line: str
    period_label: str
    window_label: str
    as_of: str
    units: str = ""
    is_sample: bool = False
    provenance: dict = field(default_factory=dict)


@lru_cache(maxsize=1)
def _page_environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR / "pages")),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def render_page_template(name: str, **context) -> str:
    """Render a partial of ``templates/pages`` with autoescaping (all text escaped)."""
    return _page_environment().get_template(name).render(**context)


@lru_cache(maxsize=1)
def _css() -> str:
    return (TEMPLATES_DIR / "tthc" / "tthc.css").read_text(encoding="utf-8")


def notebook_title(nb: NotebookNode, default: str) -> str:
    """The notebook's title: metadata ``title``, else its first Markdown heading."""
    title = nb.metadata.get("title")
    if title:
        return str(title)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            m = re.match(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
            if m:
                return re.sub(r"[*_`]", "", m.group(1)).strip()
    return default


_STYLER_ID = re.compile(r"\bT_([0-9a-f]{5})(?=[_\"'\s{ ])")


def stable_styler_ids(fragment: str) -> str:
    """Replace pandas Styler's random table ids (``T_1a2b3``) by ``T_s0001``… in order."""
    names: dict[str, str] = {}

    def rename(match: re.Match) -> str:
        key = match.group(1)
        if key not in names:
            names[key] = f"s{len(names) + 1:04d}"
        return f"T_{names[key]}"

    return _STYLER_ID.sub(rename, fragment)


def clean_notebook(nb: NotebookNode) -> NotebookNode:
    """A copy of an executed notebook without volatile or unusable parts.

    Removes papermill/nbclient run metadata and widget state, cell timing metadata,
    and widget views (kept only as their text fallback); gives pandas Styler tables
    stable ids. Cells without an id get a positional one (``cell-N``), so ids never
    depend on chance.
    """
    nb = copy.deepcopy(nb)
    for key in ("papermill", "widgets"):
        nb.metadata.pop(key, None)
    nb.nbformat, nb.nbformat_minor = 4, max(int(nb.get("nbformat_minor", 5)), 5)
    for i, cell in enumerate(nb.cells):
        if not cell.get("id"):
            cell["id"] = f"cell-{i}"
        for key in ("execution", "papermill", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.outputs:
            data = output.get("data")
            if data is not None and WIDGET_VIEW_MIME in data:
                data.pop(WIDGET_VIEW_MIME)
                if not data:
                    continue
            if data is not None and "text/html" in data:
                html_text = data["text/html"]
                if isinstance(html_text, list):
                    html_text = "".join(html_text)
                data["text/html"] = stable_styler_ids(html_text)
            outputs.append(output)
        cell.outputs = outputs
    return nb


def write_notebook(nb: NotebookNode, path: Path) -> None:
    """Write ``nb`` as sorted, indented JSON with a final newline (stable bytes)."""
    text = nbformat.writes(nb)
    if not text.endswith("\n"):
        text += "\n"
    path.write_bytes(text.encode("utf-8"))


_RESOURCE_ATTR = re.compile(
    r"<(script|link|img|iframe|source|video|audio|embed|object|track|input)\b[^>]*?"
    r"\b(src|href|data|srcset|poster)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)",
    re.IGNORECASE,
)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)|@import\s+(['\"])([^'\"]+)\3", re.I)
_IMPORT = re.compile(r"\bimport\s*(?:\(\s*)?[^;\"'()]*?[\"']((?:https?:)?//[^\"']+)[\"']")


def _is_external(url: str) -> bool:
    url = url.strip().strip("\"'").lower()
    return url.startswith(("http://", "https://", "//", "ftp://", "ws://", "wss://"))


def external_references(page: str) -> list[str]:
    """URLs a page would load from outside the file (empty for an offline page).

    Looks at resource attributes (``src``/``href``/``data``... of script, link, img,
    iframe, media and object tags), CSS ``url()``/``@import`` and JavaScript module
    imports. Plain links (``<a href>``) are not requests and are ignored.
    """
    found = []
    for m in _RESOURCE_ATTR.finditer(page):
        value = html.unescape(m.group(3).strip("\"'"))
        for part in value.split(","):
            url = part.strip().split(" ")[0]
            if _is_external(url):
                found.append(url)
    for m in _CSS_URL.finditer(page):
        url = m.group(2) or m.group(4) or ""
        if _is_external(url):
            found.append(url)
    found.extend(m.group(1) for m in _IMPORT.finditer(page))
    return sorted(set(found))


class ReportExporter:
    """Exports notebooks to self-contained, offline, byte-stable HTML pages.

    Args:
        with_code: Show code cells (default: outputs only, no prompts).
    """

    def __init__(self, with_code: bool = False) -> None:
        from nbconvert import HTMLExporter
        from traitlets.config import Config

        self.with_code = with_code
        c = Config()
        c.HTMLExporter.template_name = "tthc"
        c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES_DIR)]
        c.HTMLExporter.exclude_input = not with_code
        c.HTMLExporter.exclude_input_prompt = True
        c.HTMLExporter.exclude_output_prompt = True
        c.HTMLExporter.language_code = "vi"
        c.HTMLExporter.theme = "light"
        c.HTMLExporter.embed_images = True
        c.HTMLExporter.mathjax_url = ""
        c.HTMLExporter.require_js_url = ""
        c.HTMLExporter.jupyter_widgets_base_url = ""
        c.HTMLExporter.widget_renderer_url = ""
        c.HTMLExporter.anchor_link_text = ""
        remove_cells = set(REMOVE_CELL_TAGS)
        if not with_code:
            remove_cells.update(PARAMETER_TAGS)
        c.TagRemovePreprocessor.enabled = True
        c.TagRemovePreprocessor.remove_cell_tags = remove_cells
        c.TagRemovePreprocessor.remove_input_tags = set(REMOVE_INPUT_TAGS)
        c.TagRemovePreprocessor.remove_all_outputs_tags = set(REMOVE_OUTPUT_TAGS)
        self._exporter = HTMLExporter(config=c)
        self._lock = threading.Lock()
        self._ids = 0

    def _next_id(self) -> str:
        self._ids += 1
        return f"tthc-output-{self._ids:04d}"

    def export(
        self,
        nb: NotebookNode,
        context: PageContext,
        *,
        page_title: str,
        name: str,
        is_index: bool = False,
    ) -> str:
        """Export one (cleaned) notebook to a complete HTML page.

        Args:
            nb: The executed notebook (see :func:`clean_notebook`).
            context: Header and footer facts.
            page_title: Title of this page (HTML ``<title>`` and the navigation line).
            name: File stem of the page (used when the notebook has no title).
            is_index: The index page (no link back to itself).
        """
        nb = copy.deepcopy(nb)
        nb.metadata["title"] = f"{page_title} – {context.report_title}"
        resources = {
            "metadata": {"name": name},
            "tthc": {
                "version": context.provenance.get("version", ""),
                "css": _css(),
                "header_html": render_page_template(
                    "header.html.j2",
                    org={"parent": context.org_parent, "name": context.org_name},
                    report_title=context.report_title,
                    plan_line=context.plan_line,
                    period_label=context.period_label,
                    window_label=context.window_label,
                    as_of=context.as_of,
                    units=context.units,
                    is_sample=context.is_sample,
                    is_index=is_index,
                    page_title=page_title,
                ),
                "footer_html": render_page_template(
                    "footer.html.j2",
                    is_sample=context.is_sample,
                    plan_line=context.plan_line,
                    units=context.units,
                    as_of=context.as_of,
                    **{
                        k: context.provenance.get(k, "")
                        for k in (
                            "n_files",
                            "total_rows",
                            "data_hash",
                            "plan_hash",
                            "year",
                            "period",
                            "version",
                            "python",
                        )
                    },
                ),
                "page_script": render_page_template("page_script.html.j2"),
            },
        }
        with self._lock:
            self._ids = 0
            self._exporter.environment.globals["uuid4"] = self._next_id
            body, _ = self._exporter.from_notebook_node(nb, resources=resources)
        return _finish_page(body)


_NO_ALT = 'alt="No description has been provided for this image"'


def _finish_page(page: str) -> str:
    page = page.replace(_NO_ALT, 'alt="Hình minh họa (biểu đồ)"')
    if "new ITable(" in page and 'id="tthc-itables-js"' not in page:
        page = page.replace("</head>", itables_bundle_html() + "</head>", 1)
    return page if page.endswith("\n") else page + "\n"
