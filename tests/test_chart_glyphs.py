"""Screenshot-level check: every chart renders its Vietnamese text without missing glyphs.

Each chart is drawn to a PNG (in the test's tmp dir, and in ``$TTHC_CHART_DIR`` when that
variable is set, to look at the pictures) while matplotlib's "Glyph ... missing from
font" warnings are errors, and every character of every visible text is checked
against the character map of the font file it is drawn with.

    TTHC_CHART_DIR=/tmp/charts .venv/bin/python -m pytest tests/test_chart_glyphs.py
"""

from __future__ import annotations

import os
import unicodedata
import warnings
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from tthc_analysis import charts
from tthc_analysis.charts import style
from tthc_analysis.workdays import default_calendar

# Read at import: the autouse fixture of conftest.py clears TTHC_* variables per test.
CHART_DIR = os.environ.get("TTHC_CHART_DIR")

# The Vietnamese alphabet with every tone; its 134 non-ASCII letters (67 lower-case,
# 67 upper-case) are the precomposed letters a font must have.
VIETNAMESE_LETTERS = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
)
VIETNAMESE_ALPHABET = VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper()
PRECOMPOSED = {c for c in VIETNAMESE_ALPHABET if not c.isascii()}
_PANGRAM = "Đảm bảo chất lượng, ưu tiên hồ sơ: Ỷ Ữ Ỡ Ẵ Ặ Ỵ ỹ ự ẫ"
MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]
UNITS = [
    "Văn phòng",
    "Phòng Tổ chức cán bộ",
    "Phòng Kế hoạch - Tài chính",
    "Phòng Giáo dục Mầm non",
    "Phòng Giáo dục Trung học",
    "Phòng Giáo dục thường xuyên - Chuyên nghiệp",
    "Phòng Khảo thí và Kiểm định chất lượng giáo dục",
]


def _plan_timeline() -> Figure:
    tasks = pd.DataFrame(
        {
            "task_id": ["I.1", "I.3", "I.4", "II.1", "V.1", "V.3", "VI.3", "VIII.1", "IX.1"],
            "section_id": ["I", "I", "I", "II", "V", "V", "VI", "VIII", "IX"],
            "content_short": [
                "Triển khai Nghị quyết 01, 02/NQ-CP và Quyết định 240/QĐ-TTg",
                "Thực hiện Bộ chỉ số phục vụ người dân, doanh nghiệp",
                "Thông báo kết quả chỉ số 766 hằng tháng",
                "Rà soát, kiến nghị sửa đổi quy định",
                "Đơn giản hóa thủ tục nội bộ",
                "Rà soát chất lượng dịch vụ công trực tuyến",
                "Giải quyết hồ sơ đúng hạn; xin lỗi khi trễ hẹn",
                "Báo cáo quý, 6 tháng, 9 tháng và năm",
                "Ưu tiên dịch vụ công trực tuyến toàn trình",
            ],
            "cadence": [
                "ongoing",
                "ongoing",
                "monthly",
                "on_request",
                "deadline",
                "deadline",
                "ongoing",
                "quarterly",
                "deadline",
            ],
            "deadline": pd.to_datetime(
                [None, None, None, None, "2025-06-30", "2025-06-30", None, None, "2025-12-31"]
            ),
            "status": [
                "on_track",
                "below_target",
                "behind",
                "not_triggered",
                "done_on_time",
                "done_late",
                "overdue",
                "achieved",
                "no_data",
            ],
        }
    )
    return charts.plan_timeline(tasks, 2025, as_of=date(2025, 12, 31))


def _monthly() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": MONTHS,
            "on_time_rate": [0.95, 0.97, 0.96, np.nan, 0.99, 0.98, 1, 0.97, 0.96, 0.99, 1, 0.98],
            "full_online_share": np.linspace(0.3, 0.82, 12),
            "digitisation_rate": np.linspace(0.5, 0.9, 12),
        }
    )


def _trend_single() -> Figure:
    return charts.monthly_trend(
        _monthly(), "full_online_share", target=0.8, title=f"Tỷ lệ toàn trình – {_PANGRAM}"
    )


def _trend_multi() -> Figure:
    return charts.monthly_trend(
        _monthly(),
        ["on_time_rate", "full_online_share", "digitisation_rate"],
        target={"on_time_rate": 1.0, "full_online_share": 0.8, "digitisation_rate": 0.8},
        title="Tỷ lệ đúng hạn, toàn trình và số hóa hồ sơ theo tháng",
    )


def _heatmap() -> Figure:
    rng = np.random.default_rng(2025)
    frame = pd.DataFrame(
        [
            {"unit": unit, "month": month, "on_time_rate": float(rng.uniform(0.6, 1.0))}
            for unit in UNITS
            for month in MONTHS
        ]
    )
    frame.loc[5, "on_time_rate"] = np.nan
    return charts.unit_month_heatmap(frame, "on_time_rate", target=0.9)


def _form06() -> Figure:
    frame = pd.DataFrame(
        {
            "field": [
                "Văn bằng, chứng chỉ",
                "Giáo dục và Đào tạo thuộc hệ thống giáo dục quốc dân",
                "Thi, tuyển sinh",
                "Hệ thống văn bằng, chứng chỉ – cấp bản sao",
                "Tổng cộng",
            ],
            "finished_early": [820, 120, 40, 7, 987],
            "finished_on_time": [300, 60, 10, 3, 373],
            "finished_overdue": [12, 5, 0, 1, 18],
            "pending_in_time": [40, 8, 2, 0, 50],
            "pending_overdue": [3, 1, 0, 0, 4],
        }
    )
    return charts.form06_breakdown(frame)


def _sections() -> Figure:
    titles = [
        "Triển khai nhiệm vụ chung về kiểm soát thủ tục hành chính",
        "Kiểm soát quy định thủ tục hành chính",
        "Tập huấn, bồi dưỡng nghiệp vụ",
        "Công bố, công khai thủ tục hành chính",
        "Rà soát, đơn giản hóa thủ tục hành chính",
        "Thực hiện cơ chế một cửa, một cửa liên thông",
        "Tiếp nhận, xử lý phản ánh, kiến nghị",
        "Thông tin, báo cáo định kỳ",
        "Dịch vụ công trực tuyến, số hóa hồ sơ",
    ]
    sections = pd.DataFrame(
        {
            "section_id": ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"],
            "section_title": titles,
            "progress_share": [0.5, 1.0, 0.0, 0.67, 0.5, 0.33, 1.0, 0.75, 0.0],
            "status": [
                "behind",
                "achieved",
                "no_data",
                "below_target",
                "done_late",
                "overdue",
                "on_track",
                "behind",
                "not_due",
            ],
        }
    )
    return charts.section_progress(sections, target=1.0)


def _indicators() -> Figure:
    frame = pd.DataFrame(
        {
            "name_vi": [
                "Tỷ lệ hồ sơ xử lý hoàn toàn trực tuyến",
                "Tỷ lệ hồ sơ giải quyết đúng hạn",
                "Số lượt tham gia tập huấn",
                "Tổng điểm Bộ chỉ số 766 (tháng 12)",
            ],
            "value": [0.62, 0.985, 3, 86.5],
            "target": [0.8, 1.0, 2, 90],
            "unit": ["rate", "rate", "count", "points"],
        }
    )
    return charts.indicator_vs_target(frame)


def _scores() -> pd.DataFrame:
    rng = np.random.default_rng(766)
    maxima = {"CKMB": 18, "TDGQ": 20, "CLGQ": 12, "TTTT": 10, "MDSH": 22, "MDHL": 18}
    return pd.DataFrame(
        [
            {
                "period": month,
                "group_code": code,
                "score": round(top * float(rng.uniform(0.6, 1.0)), 2),
                "max_score": top,
            }
            for month in MONTHS
            for code, top in maxima.items()
        ]
    )


def _index766_trend() -> Figure:
    return charts.index766_trend(
        _scores(), target=90, reference=84.25, reference_label="Trung bình năm 2024"
    )


def _index766_groups6() -> Figure:
    return charts.index766_groups(_scores(), "6")


def _index766_groups5() -> Figure:
    return charts.index766_groups(_scores(), "5", targets={"MDHL": 16.2})


def _evidence() -> Figure:
    from tthc_analysis.evaluation.evidence import evidence_by_period

    tasks = pd.DataFrame(
        {
            "task_id": ["I.4", "II.1", "V.1", "I.6"],
            "evidence_cadence": ["monthly", "ongoing", "deadline", "on_request"],
            "deadline": pd.to_datetime([None, None, "2025-06-30", None]),
        }
    )
    acts = pd.DataFrame(
        {
            "task_id": ["I.4", "I.4", "II.1", "V.1", "I.6"],
            "date": pd.to_datetime(
                ["2025-02-05", "2025-03-06", "2025-01-20", "2025-07-15", "2025-04-01"]
            ),
            "status": ["done"] * 5,
            "covers_period": [None, None, "Quý I/2025", None, None],
        }
    )
    periods = evidence_by_period(
        tasks, acts, 2025, date(2025, 9, 20), "month", calendar=default_calendar()
    )
    return charts.evidence_vs_cadence(
        periods, title=f"Minh chứng theo tháng – {_PANGRAM}", as_of=date(2025, 9, 20)
    )


def _participants() -> Figure:
    table = pd.DataFrame(
        {"quarter": [f"Quý {q}/2025" for q in ("I", "II", "III", "IV")], "n": [6, 12, 15, 10]}
    )
    return charts.period_totals(table, "n", "Số người tham dự tập huấn", title=_PANGRAM)


CHARTS = {
    "minh_chung_theo_ky": _evidence,
    "so_nguoi_tap_huan": _participants,
    "tien_do_ke_hoach": _plan_timeline,
    "xu_huong_toan_trinh": _trend_single,
    "xu_huong_cac_ty_le": _trend_multi,
    "ban_do_nhiet_don_vi_thang": _heatmap,
    "bieu_mau_06": _form06,
    "tien_do_theo_phan": _sections,
    "chi_tieu": _indicators,
    "tong_diem_766": _index766_trend,
    "nhom_chi_so_766_6": _index766_groups6,
    "nhom_chi_so_766_5": _index766_groups5,
}


@contextmanager
def _glyph_warnings_are_errors():
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r".*[Gg]lyph .* missing from")
        yield


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_png_has_no_missing_glyphs(name, tmp_path):
    with _glyph_warnings_are_errors():
        fig = CHARTS[name]()  # chart functions lay the figure out once
        png = style.figure_to_png_bytes(fig)
    (tmp_path / f"{name}.png").write_bytes(png)
    if CHART_DIR:
        Path(CHART_DIR).mkdir(parents=True, exist_ok=True)
        (Path(CHART_DIR) / f"{name}.png").write_bytes(png)
    assert png.startswith(b"\x89PNG")
    texts = [t.get_text() for t in style.figure_texts(fig)]
    assert any(set(t) & PRECOMPOSED for t in texts)  # real diacritics are drawn
    for text in texts:
        assert unicodedata.is_normalized("NFC", text), text
    assert style.missing_glyphs(fig) == []
    # A4 portrait: 7,5 in wide at most, and shorter than a page.
    width, height = fig.get_size_inches()
    assert width <= 7.5 and height <= 10.5


def test_style_font_covers_every_vietnamese_letter():
    from matplotlib import font_manager

    with style.chart_style():
        path = font_manager.findfont(style.FONT_FAMILY, fallback_to_default=False)
    charmap = style.font_charmap(path)
    assert len(PRECOMPOSED) == 134
    assert sorted(c for c in VIETNAMESE_ALPHABET if ord(c) not in charmap) == []
    assert Path(path).name == "DejaVuSans.ttf"
    with style.chart_style():
        bold = font_manager.findfont(
            font_manager.FontProperties(family=style.FONT_FAMILY, weight="bold")
        )
    assert Path(bold).name == "DejaVuSans-Bold.ttf"  # titles
    assert sorted(c for c in VIETNAMESE_ALPHABET if ord(c) not in style.font_charmap(bold)) == []


def test_the_check_catches_a_missing_glyph():
    """Negative control: a character DejaVu Sans lacks is reported both ways."""
    monthly = pd.DataFrame({"month": ["2025-01"], "on_time_rate": [0.9]})
    fig = charts.monthly_trend(monthly, "on_time_rate", title="Kiểm tra 漢字")
    assert {(c, f) for _, c, f in style.missing_glyphs(fig)} == {
        ("漢", "DejaVuSans-Bold.ttf"),  # the title is bold
        ("字", "DejaVuSans-Bold.ttf"),
    }
    with _glyph_warnings_are_errors(), pytest.raises(UserWarning, match="missing from font"):
        style.figure_to_png_bytes(fig)


def test_nfd_and_nfc_labels_render_identically():
    nfc_title = "Tỷ lệ hồ sơ được số hóa – Phòng Khảo thí"
    monthly = pd.DataFrame({"month": ["2025-01", "2025-02"], "digitisation_rate": [0.5, 0.6]})
    as_nfc = charts.monthly_trend(monthly, "digitisation_rate", title=nfc_title)
    as_nfd = charts.monthly_trend(
        monthly, "digitisation_rate", title=unicodedata.normalize("NFD", nfc_title)
    )
    assert style.figure_to_png_bytes(as_nfc) == style.figure_to_png_bytes(as_nfd)
