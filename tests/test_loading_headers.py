"""Header matching: NFC, whitespace and case folding, aliases, dataset recognition."""

from __future__ import annotations

import unicodedata

import pytest

from tthc_analysis.config import Settings, load_settings
from tthc_analysis.errors import TthcError
from tthc_analysis.fields import DATASETS
from tthc_analysis.loading.headers import (
    accepted_headers,
    header_index,
    header_text,
    match_headers,
    rank_datasets,
)
from tthc_analysis.text import fold

DOSSIER_HEADERS = ["Mã hồ sơ", "Mã TTHC", "Kênh nộp", "Ngày tiếp nhận", "Ngày hẹn trả"]


@pytest.mark.parametrize(
    "header",
    [
        "Mã hồ sơ",
        unicodedata.normalize("NFD", "Mã hồ sơ"),
        "MÃ HỒ SƠ",
        "  mã   hồ sơ ",
        "Mã\u00a0hồ\u00a0sơ",
        "Mã hồ\u200b sơ\ufeff",
        "Ma ho so",
        "Số hồ sơ",
        "dossier_id",
    ],
)
def test_header_spellings_match(header):
    match = match_headers([header], "dossiers")
    assert match.positions == {"dossier_id": 0}
    assert match.headers["dossier_id"] == header_text(header)


def test_unknown_headers_are_ignored_not_errors():
    match = match_headers([*DOSSIER_HEADERS, "Ghi chú", ""], "dossiers")
    assert match.complete
    assert match.ignored == ("Ghi chú",)


def test_two_headers_for_one_column_use_the_leftmost():
    match = match_headers(["Mã TTHC", "Mã thủ tục", *DOSSIER_HEADERS[:1]], "dossiers")
    assert match.positions["procedure_code"] == 0
    assert any("Mã thủ tục" in note and "bên trái" in note for note in match.notes)


def test_missing_required_columns_are_listed_in_field_order():
    match = match_headers(["Mã TTHC", "Ngày nộp"], "dossiers")
    assert match.missing_required == ("dossier_id", "received_at", "due_at")
    assert not match.complete


def test_no_built_in_header_means_two_columns_of_one_dataset():
    for dataset, fields in DATASETS.items():
        index = header_index(dataset)
        for f in fields:
            for header in f.accepted_headers:
                assert index.exact[fold(header)] == f.name, (dataset, header)
        assert not {k for k in index.ambiguous if k in index.exact}, dataset


def test_user_header_aliases_from_settings_and_from_tthc_yaml(tmp_path):
    settings = Settings(header_aliases={"dossiers": {"dossier_id": ["Mã biên nhận"]}})
    match = match_headers(["Mã biên nhận"], "dossiers", settings)
    assert match.positions == {"dossier_id": 0}
    assert "Mã biên nhận" in accepted_headers("dossiers", "dossier_id", settings)
    (tmp_path / "tthc.yaml").write_text(
        "header_aliases:\n  dossiers:\n    channel: ['Nguồn hồ sơ']\n", encoding="utf-8"
    )
    from_file = load_settings(data_dir=tmp_path)
    assert match_headers(["NGUỒN HỒ SƠ"], "dossiers", from_file).positions == {"channel": 0}


def test_user_alias_wins_over_a_built_in_header():
    settings = Settings(header_aliases={"dossiers": {"rescheduled_due_at": ["Ngày hẹn"]}})
    match = match_headers(["Ngày hẹn"], "dossiers", settings)
    assert match.positions == {"rescheduled_due_at": 0}
    assert match.notes == ()


def test_alias_for_an_unknown_column_is_a_clear_error():
    settings = Settings(header_aliases={"dossiers": {"dossier_code": ["Mã"]}})
    with pytest.raises(TthcError, match="dossier_code"):
        match_headers(["Mã"], "dossiers", settings)


def test_rank_datasets_recognises_each_dataset():
    assert rank_datasets(DOSSIER_HEADERS).best.dataset == "dossiers"
    feedback = ["Mã PAKN", "Ngày tiếp nhận", "Trạng thái", "Nội dung"]
    assert rank_datasets(feedback).best.dataset == "feedback"
    scores = ["Kỳ", "Nhóm chỉ số", "Điểm"]
    assert rank_datasets(scores).best.dataset == "index766"
    nothing = rank_datasets(["Ghi chú", "Tên"])
    assert not nothing.best.complete


def test_one_alias_for_two_columns_warns_and_uses_the_first_in_field_order():
    settings = Settings(
        header_aliases={"dossiers": {"rescheduled_due_at": ["Hạn"], "due_at": ["Hạn"]}}
    )
    match = match_headers(["Hạn"], "dossiers", settings)
    assert match.positions == {"due_at": 0}
    assert match.notes == (
        "Tiêu đề «Hạn» có thể là cột due_at, rescheduled_due_at; đã dùng cho due_at.",
    )
