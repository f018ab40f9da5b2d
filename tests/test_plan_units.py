"""Unit names: normalisation against data/reference/units.csv and splitting."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_analysis.plan import is_known_unit, normalise_unit, split_units


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Văn phòng", "Văn phòng"),
        ("văn phòng sở", "Văn phòng"),
        ("VP", "Văn phòng"),
        ("Các phòng", "Các phòng"),
        ("các phòng chuyên môn", "Các phòng"),
        ("Các phòng có TTHC", "Các phòng có TTHC"),
        ("Cac phong co TTHC", "Các phòng có TTHC"),
        ("Các phòng có thủ tục hành chính", "Các phòng có TTHC"),
        ("Phòng KHTC", "Phòng Kế hoạch - Tài chính"),
        ("phòng kế hoạch tài chính", "Phòng Kế hoạch - Tài chính"),
        ("Phòng GDTrH.", "Phòng Giáo dục Trung học"),
        ("Thanh tra Sở", "Thanh tra"),
        ("  Phòng   Khảo thí ", "Phòng Khảo thí và Kiểm định chất lượng giáo dục"),
    ],
)
def test_normalise_known_units(text, name):
    assert normalise_unit(text) == name
    assert normalise_unit(unicodedata.normalize("NFD", text)) == name
    assert is_known_unit(text)


def test_unknown_unit_is_kept_as_written():
    assert normalise_unit("  Trung tâm   Khảo thí ") == "Trung tâm Khảo thí"
    assert not is_known_unit("Trung tâm Khảo thí")
    assert normalise_unit(None) == ""


@pytest.mark.parametrize(
    ("cell", "units"),
    [
        ("Văn phòng, Phòng KHTC", ["Văn phòng", "Phòng Kế hoạch - Tài chính"]),
        ("Văn phòng; các phòng", ["Văn phòng", "Các phòng"]),
        ("Văn phòng và Thanh tra Sở", ["Văn phòng", "Thanh tra"]),
        ("VP + TCCB", ["Văn phòng", "Phòng Tổ chức cán bộ"]),
        ("Văn phòng,\nvà Phòng GDMN", ["Văn phòng", "Phòng Giáo dục Mầm non"]),
        # hyphens and "và" inside a unit's own name are not separators
        ("Phòng Kế hoạch - Tài chính", ["Phòng Kế hoạch - Tài chính"]),
        (
            "Phòng Khảo thí và Kiểm định chất lượng giáo dục",
            ["Phòng Khảo thí và Kiểm định chất lượng giáo dục"],
        ),
        ("Sở Giáo dục và Đào tạo", ["Sở Giáo dục và Đào tạo"]),
        # repeats collapse, order kept
        ("Các phòng, các phòng chuyên môn; Văn phòng", ["Các phòng", "Văn phòng"]),
        ("", []),
        (None, []),
    ],
)
def test_split_units(cell, units):
    assert split_units(cell) == units


@given(st.text(alphabet=st.sampled_from(list("VPvpăâđ ,;+KHTCáo-")), max_size=40))
def test_split_is_idempotent_and_without_repeats(cell):
    units = split_units(cell)
    assert len(units) == len(set(units))
    assert all(u and u == u.strip() for u in units)
    assert split_units("; ".join(units)) == units
