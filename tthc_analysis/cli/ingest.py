"""``tthc ingest RAW_DIR --out PROCESSED_DIR``: validate raw exports and cache them as Parquet."""

from __future__ import annotations

from pathlib import Path

import click

from tthc_analysis.config import load_settings
from tthc_analysis.fields import DATASET_LABELS_VI
from tthc_analysis.text import format_number

__all__ = ["command"]


def _summary(manifest) -> list[str]:
    lines = []
    files = manifest.content.get("files", [])
    width = max([len(f["path"]) for f in files] + [4])
    if manifest.reused:
        lines.append("Các tệp không thay đổi: dùng lại kết quả đã nạp trước đó.")
    lines.append(f"{'Tệp':<{width}}  {'Bộ dữ liệu':<28} {'Đọc':>10} {'Giữ':>10} {'Loại':>10}")
    for f in files:
        label = DATASET_LABELS_VI.get(f["dataset"], f["dataset"])
        lines.append(
            f"{f['path']:<{width}}  {label:<28} {format_number(f['rows_read']):>10} "
            f"{format_number(f['rows_kept']):>10} {format_number(f['rows_rejected']):>10}"
        )
    totals = manifest.totals
    lines.append(
        f"Tổng: {format_number(totals.get('files', 0))} tệp, đọc "
        f"{format_number(totals.get('rows_read', 0))} dòng, giữ "
        f"{format_number(totals.get('rows_kept', 0))}, loại "
        f"{format_number(totals.get('rows_rejected', 0))} "
        f"({format_number(totals.get('problems', 0))} vấn đề)."
    )
    if totals.get("rows_superseded") or totals.get("footer_rows"):
        lines.append(
            f"Ngoài ra: {format_number(totals.get('rows_superseded', 0))} dòng được thay bằng "
            "bản xuất có trạng thái mới hơn của cùng hồ sơ, "
            f"{format_number(totals.get('footer_rows', 0))} dòng cuối bảng (tổng cộng, ký "
            "tên) không phải dữ liệu."
        )
    skipped = manifest.content.get("skipped_files", [])
    if skipped:
        lines.append("Bỏ qua: " + "; ".join(f"{s['path']} ({s['reason']})" for s in skipped) + ".")
    out = manifest.out_dir
    lines.append(f"Bảng đã kiểm tra (Parquet): {out}")
    if totals.get("rows_rejected"):
        lines.append(f"Danh sách dòng bị loại: {out / 'rejected_rows.xlsx'}")
    if totals.get("warnings"):
        lines.append(
            f"{format_number(totals['warnings'])} cảnh báo (xem trang «Cảnh báo» của "
            f"{out / 'rejected_rows.xlsx'})."
        )
    lines.append(f"Bản kê (manifest): {manifest.path}")
    return lines


@click.command(name="ingest")
@click.argument("raw_dir", type=click.Path(path_type=Path, exists=True))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Thư mục ghi kết quả (mặc định: thư mục đệm trong data/processed).",
)
@click.option("--force", is_flag=True, help="Nạp lại kể cả khi các tệp không thay đổi.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Tệp cấu hình tthc.yaml (tên cột, giá trị bổ sung).",
)
@click.option(
    "--workers", type=int, default=None, help="Số tiến trình đọc tệp Excel (mặc định: tự chọn)."
)
def command(raw_dir: Path, out_dir: Path | None, force: bool, config_file: Path | None, workers):
    """Đọc, kiểm tra và lưu dữ liệu thô (xlsx, csv, parquet) thành bảng Parquet."""
    from tthc_analysis.loading.ingest import ingest

    settings = load_settings(config_file, data_dir=raw_dir if raw_dir.is_dir() else raw_dir.parent)
    manifest = ingest(raw_dir, out_dir, settings=settings, force=force, workers=workers)
    for line in _summary(manifest):
        click.echo(line)
    refused = manifest.refused
    if refused:
        from tthc_analysis.errors import InputFileError

        for entry in refused:
            error = InputFileError(
                entry["message"], file=entry["path"], column=entry.get("column"), hint=entry["hint"]
            )
            click.echo(str(error), err=True)
        click.echo(
            f"Có {format_number(len(refused))} tệp không nạp được (xem các lỗi ở trên); "
            "các tệp còn lại đã được nạp.",
            err=True,
        )
        raise SystemExit(InputFileError.exit_code)
