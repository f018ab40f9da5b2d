"""The one missing-value test, the one cell formatter and the one figure-to-HTML helper."""

from __future__ import annotations

import base64
import math
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_analysis.charts.style import figure_img_html, figure_title, new_figure
from tthc_analysis.text import is_blank, is_missing
from tthc_analysis.views.display import format_cell


@pytest.mark.parametrize(
    "value",
    [None, float("nan"), np.float64("nan"), pd.NA, pd.NaT, np.datetime64("NaT")],
)
def test_missing_values(value):
    assert is_missing(value)
    assert is_blank(value)


@pytest.mark.parametrize(
    "value", ["", "x", 0, 0.0, False, [], [None], (), {}, pd.Timestamp("2025-01-01"), np.array([1])]
)
def test_values_that_are_not_missing(value):
    # A list of units, even [None], is a value; an empty text is a value (but blank).
    assert not is_missing(value)


def test_blank_is_missing_or_only_spaces():
    assert is_blank("  \u00a0 ") and is_blank("")
    assert not is_blank("a") and not is_blank(0)


@given(st.floats(allow_nan=True))
def test_a_float_is_missing_exactly_when_it_is_nan(number):
    assert is_missing(number) == math.isnan(number)


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (0.853, "rate", "85,3%"),
        (1234, "int", "1.234"),
        (1234.5, "float", "1.234,5"),
        (90.857, "points", "90,86"),  # 766 scores keep two decimals, as published
        (90.0, "points", "90"),
        (float("nan"), "rate", "–"),
        (None, "text", "–"),
        (pd.NA, "int", "–"),
        ("2025-03-14", "date", "14/03/2025"),
        ("2025-03-14 08:30", "date", "14/03/2025 08:30"),
        (date(2025, 3, 14), "date", "14/03/2025"),
        (datetime(2025, 3, 14, 8, 30), "date", "14/03/2025"),
        ("", "date", "–"),
        (True, "text", "Có"),
        (False, "text", "Không"),
        (["Văn phòng", "Phòng KHTC"], "text", "Văn phòng; Phòng KHTC"),
        ([], "text", "–"),
        ("Quý I/2025", "text", "Quý I/2025"),
    ],
)
def test_format_cell(value, kind, text):
    assert format_cell(value, kind) == text


def test_figure_img_html_embeds_the_png_with_the_escaped_title():
    fig = new_figure()
    fig.suptitle("Hồ sơ <đúng hạn>\n theo  tháng")
    assert figure_title(fig) == "Hồ sơ <đúng hạn> theo tháng"
    html = figure_img_html(fig, dpi=50, width=640)
    assert html.startswith(
        '<img class="tthc-chart" alt="Hồ sơ &lt;đúng hạn&gt; theo tháng" width="640" '
        'style="max-width:100%;height:auto" src="data:image/png;base64,'
    )
    data = html.split("base64,", 1)[1].removesuffix('"/>')
    assert base64.b64decode(data).startswith(b"\x89PNG")
    assert ' width="' not in figure_img_html(fig, alt="Biểu đồ", dpi=50)
