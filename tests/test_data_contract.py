"""The data contract users read (docs/data-contract.md) is generated from the field dictionary."""

from __future__ import annotations

from tthc_analysis.config import PROJECT_ROOT
from tthc_analysis.fields import DATASETS
from tthc_analysis.loading.contract import CONTRACT_PATH, main, render_data_contract


def test_committed_data_contract_is_up_to_date():
    assert CONTRACT_PATH.read_text(encoding="utf-8") == render_data_contract(), (
        "docs/data-contract.md is out of date: run python -m tthc_analysis.loading.contract"
    )
    assert main(["--check"]) == 0


def test_contract_lists_every_column_and_its_headers():
    text = render_data_contract()
    for name, fields in DATASETS.items():
        assert f"### `{name}`" in text
        for f in fields:
            assert f"| `{f.name}` |" in text
            for header in f.accepted_headers:
                assert f"«{header}»" in text
    for needle in ("NgayHenTra", "Ngày, tháng, năm", "T10_2025", "yyyyMMddHHmmss", "`registered`"):
        assert needle in text


def test_readme_and_settings_point_to_the_contract_in_the_project():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    settings = (PROJECT_ROOT / "data" / "reference" / "settings.yaml").read_text(encoding="utf-8")
    assert "docs/data-contract.md" in readme and "docs/data-contract.md" in settings
    assert "../shared/docs" not in readme and "../shared/docs" not in settings
