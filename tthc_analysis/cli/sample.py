"""``tthc sample``: write the synthetic sample exports (bundled sample or benchmark data)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tthc_analysis.cli.common import TthcCommand, emit
from tthc_analysis.text import format_number

if TYPE_CHECKING:
    from tthc_analysis.sample.generator import Format, Scale


@click.command(
    name="sample",
    cls=TthcCommand,
    help=(
        "Sinh dữ liệu mẫu TỔNG HỢP (không phải số liệu thật) của Sở GD&ĐT năm 2025: hồ sơ "
        "theo tháng (12/2024–12/2025), danh mục TTHC, PAKN, điểm 766, minh chứng, báo cáo "
        "định kỳ, với các lỗi và thiếu sót cài sẵn. Cùng seed cho các tệp giống hệt nhau."
    ),
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Thư mục ghi dữ liệu (trống, hoặc chứa bộ mẫu cũ có SAMPLE.json).",
)
@click.option(
    "--scale",
    type=click.Choice(["small", "province"]),
    default="small",
    show_default=True,
    help="small: khoảng 4.400 hồ sơ; province: 1.000.000 hồ sơ năm 2025 (đo hiệu năng).",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=2025,
    show_default=True,
    help="Hạt giống ngẫu nhiên.",
)
@click.option(
    "--format",
    "dossier_format",
    type=click.Choice(["mixed", "xlsx", "csv"]),
    default="mixed",
    show_default=True,
    help="Định dạng tệp hồ sơ: mixed (xlsx, hai tháng csv), xlsx hoặc csv.",
)
def command(out_dir: Path, scale: Scale, seed: int, dossier_format: Format) -> None:
    """Write the synthetic raw exports into OUT and print what was written."""
    from tthc_analysis.sample import write_sample

    out = write_sample(out_dir, scale=scale, seed=seed, dossier_format=dossier_format)
    manifest_path = out / "SAMPLE.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    counts = manifest["counts"]
    lines = [
        "DỮ LIỆU MẪU TỔNG HỢP (synthetic) – không phải số liệu thật",
        f"Thư mục: {out_dir}  (quy mô {scale}, seed {seed}, định dạng {dossier_format})",
        f"Hồ sơ: {format_number(counts['dossiers_2025'])} tiếp nhận năm 2025, "
        f"{format_number(counts['dossiers_2024_12'])} tiếp nhận 12/2024, "
        f"{counts['planted_defect_rows']} dòng lỗi cài sẵn",
        "",
        f"{'Tệp':<48} {'Số dòng':>10} {'Dung lượng':>14}",
    ]
    total = 0
    for name, info in sorted(manifest["files"].items()):
        total += info["bytes"]
        lines.append(
            f"{name:<48} {format_number(info['rows']):>10} {format_number(info['bytes']):>14}"
        )
    lines.append(f"{'Tổng dung lượng':<48} {'':>10} {format_number(total):>14}")
    lines.append(f"Mô tả: {out_dir / 'README.md'}; danh sách tệp và mã SHA-256: {manifest_path}")
    emit("\n".join(lines) + "\n")
