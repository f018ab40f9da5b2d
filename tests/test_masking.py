"""Personal data typed into free text is masked in place, and found in any escaped form.

Decree 13/2023/NĐ-CP (Art. 2) counts a person's name, identity-document number, phone
number, e-mail and address as basic personal data; officers type them into "Lý do quá
hạn", PAKN content and activity titles. ``tthc_analysis.privacy`` masks them before a
report is built, and the build's last check looks for them in every output file (HTML
entities, JSON ``\\u`` escapes at any depth, xlsx XML, PNG text chunks).
"""

from __future__ import annotations

import html
import json
import struct
import tempfile
import unicodedata
import zlib
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc_analysis import privacy
from tthc_analysis.privacy import PLACEHOLDER, PersonalIndex, find_patterns, mask_text
from tthc_analysis.xlsx import Sheet, write_xlsx

P = PLACEHOLDER

# --- Patterns ---------------------------------------------------------------------------------

MASKED = [
    # mobiles: 0 + 3/5/7/8/9 + 8 digits, with spaces, dots or dashes; +84 / 84 forms
    ("Gọi anh 0912345678 gấp", f"Gọi anh {P} gấp", "phone"),
    ("SĐT: 0912 345 678.", f"SĐT: {P}.", "phone"),
    ("ĐT 0912.345.678, chị Lan", f"ĐT {P}, chị Lan", "phone"),
    ("Liên hệ 091-234-5678", f"Liên hệ {P}", "phone"),
    ("tel.0387654321", f"tel.{P}", "phone"),
    ("+84 912 345 678", P, "phone"),
    ("(+84) 912345678", P, "phone"),
    ("+84-912-345-678", P, "phone"),
    ("+84 (0) 912 345 678", P, "phone"),
    ("84912345678", P, "phone"),
    # landlines: 02 + 9 digits (0271 3879 123 in Bình Phước, 024/028 + 8 digits)
    ("Máy bàn (0271) 3879 123", f"Máy bàn {P}", "phone"),
    ("028.3829.1234", P, "phone"),
    ("024 3869 4321", P, "phone"),
    # identity numbers: CCCD 12 digits (province code 0xx), CMND 9 digits
    ("CCCD 001203004567 của ông", f"CCCD {P} của ông", "id_number"),
    ("CCCD: 001 203 004 567", f"CCCD: {P}", "id_number"),
    ("số CMND 285123456", f"số CMND {P}", "id_number"),
    # e-mail
    ("gửi về nguyen.van.a+hs@truong.edu.vn nhé", f"gửi về {P} nhé", "email"),
    ("EMAIL: Lan.Tran@Gmail.COM", f"EMAIL: {P}", "email"),
]


@pytest.mark.parametrize(("text", "expected", "kind"), MASKED)
def test_personal_data_patterns_are_masked_in_place(text, expected, kind):
    assert mask_text(text) == (expected, (kind,))


NOT_PERSONAL = [
    "Mã hồ sơ 000.00.12.H10-250303-0001",  # DVCQG dossier code
    "000.00.12.H10-050303-0001",  # ... whose tail looks like a mobile number
    "G22.19-250303-0001",
    "Thủ tục 1.005092 và 2.002478",  # procedure codes
    "Ngày 03/03/2025, hẹn 10.03.2025, lúc 2025-03-03 08:00",  # dates and times
    "Lệ phí 150.000.000 đồng; 1.200.000.000 đ",  # amounts with thousands dots
    "Phí 150000000 đồng, 285123456 VNĐ, 150000000đ",  # amounts without dots
    "Tổng 100.000.000.000 đồng",
    "Quyết định số 1234/QĐ-UBND ngày 12/01/2025; Công văn 655/SGDĐT-VP",
    "Tỷ lệ 85,3%; 4.419 hồ sơ; 12.345.678,9",
    "mã băm bee057a34608123456789 và 0123456789abcdef",
    "Phiên bản 3.11.2, gói 1.2.3",
    "Ngày 20250303 và số 2025030300001",  # long digit runs that are not IDs
]


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_codes_dates_and_amounts_are_not_masked(text):
    assert find_patterns(text) == []
    assert mask_text(text) == (text, ())


# --- Values of personal columns ---------------------------------------------------------------


def _index(public=()) -> PersonalIndex:
    dossiers = pd.DataFrame(
        {
            "applicant_name": ["Nguyễn Văn Tám", "Lê Thị Hoa", "An", "Hoa"],
            "applicant_address": ["Thôn 3, xã Tân Lập, huyện Đồng Phú", "Bình Phước", None, None],
            "applicant_id_number": ["AB123456", None, None, None],
            "overdue_reason": [None, None, None, None],
        }
    )
    return PersonalIndex({"dossiers": dossiers}, public)


def test_values_of_personal_columns_are_masked_word_bounded_after_nfc_and_case_folding():
    index = _index()
    nfd = unicodedata.normalize("NFD", "Chờ ông NGUYỄN VĂN TÁM bổ sung giấy tờ")
    assert mask_text(nfd, index) == (f"Chờ ông {P} bổ sung giấy tờ", ("personal_value",))
    assert mask_text("hộ chiếu ab123456 hết hạn", index)[0] == f"hộ chiếu {P} hết hạn"
    assert mask_text("Nhà ở thôn 3 xã Tân Lập huyện Đồng Phú", index)[0] == f"Nhà ở {P}"
    # word-bounded: a longer word is another word
    assert mask_text("Nguyễn Văn Támxx", index) == ("Nguyễn Văn Támxx", ())
    # one-word names and values shorter than MIN_VALUE_CHARS are ordinary words
    assert mask_text("an toàn, hoa hồng", index) == ("an toàn, hoa hồng", ())
    # a value only looked for where free text is; patterns everywhere
    assert mask_text("Lê Thị Hoa", index, values=False) == ("Lê Thị Hoa", ())


def test_a_personal_value_that_is_also_public_text_is_not_looked_for():
    # "Bình Phước" as an address is also the province in the plan and the units
    index = _index(public=["UBND tỉnh Bình Phước", "Trường THPT Nguyễn Văn Tám"])
    assert mask_text("Sở GD&ĐT Bình Phước", index) == ("Sở GD&ĐT Bình Phước", ())
    assert mask_text("Trường Nguyễn Văn Tám", index)[1] == ()
    assert mask_text("Bà Lê Thị Hoa chưa nộp", index)[0] == f"Bà {P} chưa nộp"


def test_mask_tables_masks_free_text_and_lists_cells_without_values():
    dossiers = pd.DataFrame(
        {
            "dossier_id": ["HS-1", "HS-2", "HS-3"],
            "procedure_code": ["1.005092", "1.005092", "1.005092"],
            "overdue_reason": [
                "Chờ bà Lê Thị Hoa bổ sung, ĐT 0912 345 678",
                "Chờ ý kiến phối hợp",
                None,
            ],
            "applicant_name": ["Lê Thị Hoa", "Trần Văn Bình", "Phạm Minh Châu"],
            "applicant_phone": ["0912345678", None, None],
            "source_file": ["dossiers/ho_so.xlsx"] * 3,
            "source_row": [2, 3, 4],
        }
    ).astype({"overdue_reason": "str"})
    rejected = pd.DataFrame(
        {
            "dataset": ["dossiers", "dossiers", "dossiers"],
            "source_file": ["dossiers/ho_so.xlsx"] * 3,
            "source_row": [5, 6, 7],
            "column": ["received_at", "channel", "applicant_phone"],
            "value": ["gọi 0987654321", "Trực tiếp", "(dữ liệu cá nhân, đã ẩn)"],
            "reason": ["Ngày không hợp lệ: «gọi 0987654321»", "Không rõ", "Sai"],
        }
    )
    tables = SimpleNamespace(
        dossiers=dossiers,
        rejected_rows=rejected,
        warnings=pd.DataFrame({"dataset": [], "source_file": [], "message": []}),
        plan=None,
    )
    tables = _dataclass_like(tables)
    masked, cells, _ = privacy.mask_tables(tables)
    assert masked.dossiers["overdue_reason"].tolist()[:2] == [
        f"Chờ bà {P} bổ sung, ĐT {P}",
        "Chờ ý kiến phối hợp",
    ]
    assert pd.isna(masked.dossiers["overdue_reason"].iloc[2])
    assert str(masked.dossiers["overdue_reason"].dtype) == str(dossiers["overdue_reason"].dtype)
    assert masked.dossiers["applicant_name"].tolist() == dossiers["applicant_name"].tolist()
    assert dossiers["overdue_reason"].iloc[0].startswith("Chờ bà Lê")  # input unchanged
    assert cells.to_dict("records") == [
        {
            "dataset": "dossiers",
            "source_file": "dossiers/ho_so.xlsx",
            "source_row": 2,
            "column": "overdue_reason",
            "kinds": "giá trị của cột dữ liệu cá nhân (họ tên, địa chỉ, số giấy tờ...), "
            "số điện thoại",
        }
    ]
    # rejected values: shown only when not personal by column or by content
    assert masked.rejected_rows["value"].tolist() == [P, "Trực tiếp", P]
    assert masked.rejected_rows["reason"].tolist()[0] == f"Ngày không hợp lệ: «gọi {P}»"


def _dataclass_like(namespace):
    """A frozen dataclass with the namespace's fields (mask_tables uses dataclasses.replace)."""
    import dataclasses

    cls = dataclasses.make_dataclass("T", list(vars(namespace)))
    return cls(**vars(namespace))


# --- Generated free text, every escaped form ----------------------------------------------------

_TEXT = (
    "hồ sơ chờ bổ sung giấy tờ ý kiến phối hợp thẩm định Ủy ban nhân dân tỉnh ký quyết định "
    "mã 000.00.12.H10-250303-0001 thủ tục 1.005092 ngày 03/03/2025 lệ phí 150.000 đồng "
    "tỷ lệ 85,3% cán bộ nghỉ phép"
)
_WORDS = st.sampled_from(_TEXT.split(" "))


def _phone(draw) -> str:
    digits = draw(st.sampled_from("35789")) + "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=8, max_size=8))
    )
    prefix = draw(st.sampled_from(["0", "+84 ", "+84", "(+84) ", "84"]))
    sep = draw(st.sampled_from(["", " ", ".", "-"]))
    body = sep.join([digits[:3], digits[3:6], digits[6:]])
    return prefix + body


@st.composite
def personal_item(draw) -> tuple[str, str]:
    kind = draw(st.sampled_from(["phone", "cccd", "cmnd", "email"]))
    if kind == "phone":
        return _phone(draw), "phone"
    if kind == "cccd":
        tail = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=9, max_size=9)))
        return draw(st.sampled_from(["001", "070", "079"])) + tail, "id_number"
    if kind == "cmnd":
        return "".join(
            draw(st.lists(st.sampled_from("0123456789"), min_size=9, max_size=9))
        ), "id_number"
    user = draw(st.text("abcdefghijklmnopqrstuvwxyz0123456789._", min_size=1, max_size=12))
    user = user.strip(".") or "a"
    return f"{user}@{draw(st.sampled_from(['gmail.com', 'truong.edu.vn', 'x.vn']))}", "email"


@st.composite
def free_text(draw) -> tuple[str, str, str]:
    before = " ".join(draw(st.lists(_WORDS, min_size=0, max_size=8)))
    after = " ".join(draw(st.lists(_WORDS, min_size=0, max_size=8)))
    item, kind = draw(personal_item())
    return f"{before} {item}, {after}".strip(), item, kind


def _png_with_text(key: str, value: str) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    itxt = key.encode() + b"\x00\x00\x00\x00\x00" + value.encode("utf-8")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"iTXt", itxt)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def _escaped_files(folder: Path, text: str) -> None:
    """``text`` written as a report would: HTML entities, JSON, nested JSON, xlsx, PNG."""
    entities = "".join(f"&#{ord(c)};" if c.isalnum() else html.escape(c) for c in text)
    (folder / "page.html").write_text(f"<td>{entities}</td>", encoding="utf-8")
    (folder / "data.json").write_text(json.dumps({"v": text}, ensure_ascii=True), encoding="utf-8")
    inner = json.dumps([[text]], ensure_ascii=True)  # itables data inside a notebook
    nested = json.dumps({"outputs": [{"text/html": f"<script>{inner}</script>"}]})
    (folder / "nb.ipynb").write_text(nested, encoding="utf-8")
    write_xlsx(folder / "book.xlsx", Sheet("Bảng", pd.DataFrame({"Nội dung": [text]})))
    (folder / "figure.png").write_bytes(_png_with_text("Comment", text))


def _scan(folder: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(folder.iterdir()):
        for text in privacy.output_texts(path):
            for finding in privacy.scan_text(text):
                found.setdefault(path.name, set()).add(finding.key)
    return found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(free_text())
def test_generated_free_text_is_masked_and_found_in_every_escaped_form(case):
    text, item, kind = case
    masked, kinds = mask_text(text)
    assert kinds == (kind,)
    assert PLACEHOLDER in masked
    assert find_patterns(masked) == []
    key = find_patterns(text)[0].key
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _escaped_files(folder, text)
        found = _scan(folder)
        assert set(found) == {"page.html", "data.json", "nb.ipynb", "book.xlsx", "figure.png"}
        assert all(key in keys for keys in found.values()), (found, key)
        for path in folder.iterdir():
            path.unlink()
        _escaped_files(folder, masked)
        assert _scan(folder) == {}


def test_decode_escapes_reads_every_form():
    text = "Nguyễn Văn Tám 0912345678"
    forms = [
        "".join(f"&#x{ord(c):x};" for c in text),
        json.dumps(text),
        json.dumps(json.dumps(text)),
        "".join(f"_x{ord(c):04X}_" if c == " " else c for c in text),
        unicodedata.normalize("NFD", html.escape(text)),
    ]
    for form in forms:
        assert text in privacy.decode_escapes(form), form
