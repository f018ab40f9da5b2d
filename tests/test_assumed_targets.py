"""UNCONFIRMED target levels are settings (domain.md), shown with their source (issue 13).

VI.1 and IX.3 judge the digitisation rate against a level the plan text does not set:
80 % was the old full-points threshold of 766 indicator 4.2, which domain.md §0 now reads
as linear to 100 % (secondary). The level is ``assumed_targets.digitisation_rate`` in the
settings, and the report says it is to be confirmed.
"""

from __future__ import annotations

import pytest

from tthc_analysis.config import load_settings
from tthc_analysis.errors import InputFileError
from tthc_analysis.loading.reference import load_task_indicators


def _digitisation_rows(table):
    return table.loc[table["indicator_id"] == "digitisation_rate"].set_index("task_id")


def test_digitisation_level_is_the_setting_with_its_source():
    rows = _digitisation_rows(load_task_indicators())
    assert sorted(rows.index) == ["IX.3", "VI.1"]
    assert rows["target"].tolist() == [0.8, 0.8]  # settings.yaml: value 0.8
    for source in rows["target_source"]:
        assert source.startswith("Thiết lập assumed_targets.digitisation_rate (mức 80%")
        assert "CHƯA XÁC NHẬN" in source and "cần xác nhận" in source
    assert "target_setting" not in load_task_indicators().columns


def test_the_users_settings_change_the_level(tmp_path):
    (tmp_path / "tthc.yaml").write_text(
        "assumed_targets:\n  digitisation_rate:\n    value: 0.9\n"
        "    source_vi: Văn bản của UBND tỉnh (đã xác nhận)\n",
        encoding="utf-8",
    )
    settings = load_settings(data_dir=tmp_path)
    rows = _digitisation_rows(load_task_indicators(settings=settings))
    assert rows["target"].tolist() == [0.9, 0.9]
    assert set(rows["target_source"]) == {"Văn bản của UBND tỉnh (đã xác nhận)"}


def test_an_unknown_setting_names_the_row_and_column(tmp_path):
    path = tmp_path / "task_indicators.csv"
    path.write_text(
        "task_id,indicator_id,source,target,direction,unit\n"
        "VI.1,digitisation_rate,dossiers,0.5,min,rate\n"
        "IX.3,digitisation_rate,dossiers,setting:khong_co,min,rate\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError) as info:
        load_task_indicators(path)
    error = info.value
    assert "setting:khong_co" in str(error) and "digitisation_rate" in str(error)
    assert error.row == 3 and error.column == "target"
    # a plain number stays a number (row 2)
    path.write_text(path.read_text(encoding="utf-8").replace("setting:khong_co", "80%"))
    assert load_task_indicators(path)["target"].tolist() == [0.5, 0.8]


def test_the_task_page_note_says_the_level_is_to_be_confirmed():
    from tthc_analysis.evaluation.evaluate import evaluate
    from tthc_analysis.loading.ingest import load_tables
    from tthc_analysis.views.page import _indicator_note

    ev = evaluate(load_tables(), 2025)
    rows = ev.indicators
    row = rows.loc[(rows["task_id"] == "VI.1") & (rows["indicator_id"] == "digitisation_rate")]
    assert len(row) == 1
    record = row.iloc[0].to_dict()
    assert record["target"] == 0.8
    note = _indicator_note(record)
    assert "assumed_targets.digitisation_rate" in note and "CHƯA XÁC NHẬN" in note


def test_the_conclusions_mark_the_level_as_unconfirmed():
    from tthc_analysis.views import report_text

    row = {"name_vi": "Tỷ lệ số hóa hồ sơ", "shown_value": "89,6%", "shown_target": "≥ 80%"}
    setting = load_settings().assumed_targets["digitisation_rate"].source_vi
    assert report_text.target_line({**row, "task_id": "VI.1", "target_source": setting}) == (
        "Tỷ lệ số hóa hồ sơ: 89,6% (chỉ tiêu ≥ 80%, mức chưa xác nhận; nhiệm vụ VI.1)"
    )
    confirmed = {**row, "task_id": "VI.1", "target_source": "Văn bản của UBND tỉnh"}
    assert report_text.target_line(confirmed) == (
        "Tỷ lệ số hóa hồ sơ: 89,6% (chỉ tiêu ≥ 80%; nhiệm vụ VI.1)"
    )
