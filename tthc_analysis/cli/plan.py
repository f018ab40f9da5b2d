"""``tthc plan``: show, parse and lint the TTHC-control plan."""

from __future__ import annotations

from pathlib import Path

import click

from tthc_analysis.cli.common import TthcGroup, emit
from tthc_analysis.plan import (
    BUNDLED_SOURCE,
    format_issues,
    lint_plan,
    load_plan,
    parse_plan,
    plan_to_csv,
    plan_to_json,
    plan_to_table,
    write_plan_csv,
)
from tthc_analysis.plan.model import Plan

_FILE = click.Path(exists=False, dir_okay=False, path_type=Path)


def _warn(plan: Plan) -> None:
    for warning in plan.warnings:
        click.echo(f"Cảnh báo: {warning}", err=True)


def _render(plan: Plan, fmt: str) -> str:
    if fmt == "json":
        return plan_to_json(plan)
    if fmt == "csv":
        return plan_to_csv(plan)
    return plan_to_table(plan)


@click.group(name="plan", cls=TthcGroup, help="Xem, đọc và kiểm tra kế hoạch kiểm soát TTHC.")
def command() -> None:
    """Show, parse and lint the plan."""


@command.command("show", help="In kế hoạch (mặc định: kế hoạch 2025 kèm theo) thành bảng dễ đọc.")
@click.argument("file", required=False, type=_FILE)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="Dạng in ra.",
)
def show(file: Path | None, fmt: str) -> None:
    """Print the bundled plan (or FILE) as a readable table."""
    plan = load_plan(file)
    _warn(plan)
    emit(_render(plan, fmt))


@command.command(
    "parse",
    help="Đọc tệp kế hoạch FILE (.txt theo mẫu công văn, .xlsx, .csv) và in danh sách nhiệm vụ.",
)
@click.argument("file", type=_FILE)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "table"]),
    default="json",
    show_default=True,
    help="json: danh sách nhiệm vụ; csv: bảng chuẩn (UTF-8 có BOM); table: bảng dễ đọc.",
)
@click.option(
    "-o",
    "--output",
    type=_FILE,
    default=None,
    help="Ghi ra tệp thay vì in ra màn hình (với csv: ghi thêm tệp <tên>_meta.json).",
)
def parse(file: Path, fmt: str, output: Path | None) -> None:
    """Parse FILE and print its tasks as JSON, CSV or a table."""
    plan = parse_plan(file)
    _warn(plan)
    if output is None:
        emit(_render(plan, fmt))
    elif fmt == "csv":
        table, meta = write_plan_csv(plan, output)
        click.echo(f"Đã ghi {len(plan.tasks)} nhiệm vụ vào {table} và {meta}.", err=True)
    else:
        output.write_text(_render(plan, fmt), encoding="utf-8")
        click.echo(f"Đã ghi {len(plan.tasks)} nhiệm vụ vào {output}.", err=True)


@command.command(
    "lint",
    help="Kiểm tra kế hoạch (mặc định: bản sao công văn 655/SGDĐT-VP) và liệt kê các điểm "
    "không thống nhất.",
)
@click.argument("file", required=False, type=_FILE)
def lint(file: Path | None) -> None:
    """List internal inconsistencies of the plan document FILE."""
    emit(format_issues(lint_plan(file if file is not None else BUNDLED_SOURCE)))
