"""Outputs that cannot be written: a read-only folder, a file in the way, a missing folder,
a full disk. ``ingest``, ``form06``, ``evaluate`` and ``review`` say so in Vietnamese (what,
where, what to do), exit non-zero without a traceback, and leave the previous outputs
complete; click's own option errors are in Vietnamese too.

A full disk is simulated by a writer that fails with ``ENOSPC`` half-way (always), and,
where the tests may mount file systems (root in a container), by a real small tmpfs
filled up; a read-only folder by a read-only tmpfs (root ignores file permissions) or by
``chmod`` otherwise.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tthc_analysis.cli import main
from tthc_analysis.errors import OutputError
from tthc_analysis.loading import ingest as ingest_module
from tthc_analysis.loading.ingest import ingest
from tthc_analysis.outputs import output_error, write_atomically

CORPUS = Path(__file__).parent / "corpus"
CASE = CORPUS / "duplicate_ids_across_months"
"""A small raw folder (two monthly dossier files)."""
DATA = Path(__file__).parent / "data"
RAW = DATA / "review_raw"
NOTEBOOKS = DATA / "notebooks" / "report"

ENOSPC = OSError(errno.ENOSPC, "No space left on device")


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    """``tthc argv``: (exit code, stdout, stderr)."""
    code = 0
    try:
        main(argv)
    except SystemExit as exit_info:
        code = exit_info.code or 0
    out, err = capsys.readouterr()
    return code, out, err


def _assert_vietnamese_error(err: str) -> None:
    assert "Lỗi: " in err, err
    assert "Traceback" not in err and "Error" not in err and "Exception" not in err, err


# --- File systems for the tests -------------------------------------------------------------------


def _mount(target: Path, options: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tthc-test", str(target)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def _umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs (skipped where mounting is not allowed)."""
    disk = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    disk.mkdir()
    if not _mount(disk, "size=2m,mode=0755"):
        pytest.skip("mounting a tmpfs is not allowed here")
    try:
        yield disk
    finally:
        _umount(disk)


def _fill(disk: Path) -> None:
    """Fill ``disk`` up (a real full disk)."""
    with (disk / "remplissage.bin").open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


@pytest.fixture
def read_only_folder(tmp_path):
    """(folder, make_read_only): write the previous outputs, then call make_read_only()."""
    folder = tmp_path / "chi-doc"
    folder.mkdir()
    if os.geteuid() == 0:
        if not _mount(folder, "size=64m,mode=0755"):
            pytest.skip("root ignores permissions and cannot mount a read-only tmpfs here")

        def make_read_only() -> None:
            done = subprocess.run(
                ["mount", "-o", "remount,ro", str(folder)], capture_output=True, check=False
            )
            assert done.returncode == 0, done.stderr

        try:
            yield folder, make_read_only
        finally:
            _umount(folder)
    else:

        def make_read_only() -> None:
            for path in [folder, *folder.rglob("*")]:
                if path.is_dir():
                    path.chmod(0o555)

        try:
            yield folder, make_read_only
        finally:
            for path in [folder, *folder.rglob("*")]:
                if path.is_dir():
                    path.chmod(0o755)


# --- The messages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (errno.ENOSPC, "Ổ đĩa đã đầy, không ghi được biểu 06."),
        (errno.EROFS, "Không có quyền ghi biểu 06 vào thư mục này"),
        (errno.EACCES, "Không có quyền ghi biểu 06 vào thư mục này"),
        (errno.ENOTDIR, "trên đường dẫn có một tệp ở chỗ cần một thư mục"),
        (errno.EISDIR, "đường dẫn là một thư mục, không phải một tệp"),
        (errno.ENOENT, "thư mục chứa không tồn tại"),
        (errno.EIO, "Không ghi được biểu 06 ("),
    ],
)
def test_each_write_failure_says_what_where_and_what_to_do(code, expected):
    error = output_error(OSError(code, os.strerror(code)), "/du/lieu/bieu06.xlsx", "biểu 06")
    text = str(error)
    assert expected in text
    assert "  Tệp: /du/lieu/bieu06.xlsx" in text
    assert "  Cách xử lý: " in text
    assert error.exit_code == 1


def test_an_atomic_write_that_fails_leaves_the_previous_file(tmp_path):
    target = tmp_path / "bieu06.csv"
    target.write_text("cũ", encoding="utf-8")

    def half_then_full(path: Path) -> None:
        path.write_text("mới, dở dang", encoding="utf-8")
        raise ENOSPC

    with pytest.raises(OutputError, match="Ổ đĩa đã đầy"):
        write_atomically(target, half_then_full, "biểu 06")
    assert target.read_text(encoding="utf-8") == "cũ"
    assert [p.name for p in tmp_path.iterdir()] == ["bieu06.csv"]  # no temporary file left
    write_atomically(target, lambda p: p.write_text("mới", encoding="utf-8"), "biểu 06")
    assert target.read_text(encoding="utf-8") == "mới"
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)


# --- ingest -------------------------------------------------------------------------------------------


@pytest.fixture
def previous_cache(tmp_path) -> Path:
    out = tmp_path / "cache"
    ingest(CASE, out)
    return out


def _fail_on_second_table(monkeypatch) -> None:
    """The second Parquet table written hits a full disk (the first one got through)."""
    real = ingest_module.pq.write_table
    calls = {"n": 0}

    def write_table(table, where, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            Path(where).write_bytes(b"PAR1 d")
            raise OSError(errno.ENOSPC, "No space left on device", where)
        return real(table, where, **kwargs)

    monkeypatch.setattr(ingest_module.pq, "write_table", write_table)


def test_a_full_disk_during_ingest_keeps_the_previous_cache_whole(
    previous_cache, monkeypatch, capsys
):
    before = _snapshot(previous_cache)
    _fail_on_second_table(monkeypatch)
    code, _, err = _run(["ingest", str(CASE), "--out", str(previous_cache), "--force"], capsys)
    assert code == 1
    _assert_vietnamese_error(err)
    assert "Ổ đĩa đã đầy, không ghi được bảng dữ liệu đã nạp" in err
    assert f"Tệp: {previous_cache}" in err
    assert "Giải phóng dung lượng ổ đĩa" in err
    assert _snapshot(previous_cache) == before  # manifest and tables still agree
    siblings = sorted(p.name for p in previous_cache.parent.iterdir())
    assert siblings == [".cache.lock", "cache"]  # no half-written folder left
    monkeypatch.undo()
    assert ingest(CASE, previous_cache).reused  # the previous cache is still trusted


def test_an_ingest_output_path_that_is_a_file_is_refused(tmp_path, capsys):
    target = tmp_path / "ket_qua.txt"
    target.write_text("không phải thư mục", encoding="utf-8")
    with pytest.raises(OutputError, match="đường dẫn là một tệp, không phải thư mục"):
        ingest(CASE, target)
    code, _, err = _run(["ingest", str(CASE), "--out", str(target)], capsys)
    assert code == 2  # click's own check, in Vietnamese
    _assert_vietnamese_error(err)
    assert "là một tệp, không phải thư mục" in err
    assert target.read_text(encoding="utf-8") == "không phải thư mục"


def test_a_read_only_output_folder_stops_ingest_and_keeps_the_previous_cache(
    read_only_folder, capsys
):
    folder, make_read_only = read_only_folder
    out = folder / "cache"
    ingest(CASE, out)
    before = _snapshot(out)
    make_read_only()
    code, _, err = _run(["ingest", str(CASE), "--out", str(out), "--force"], capsys)
    assert code == 1
    _assert_vietnamese_error(err)
    assert "Không có quyền ghi bảng dữ liệu đã nạp" in err
    assert "Chọn thư mục khác có quyền ghi" in err
    assert _snapshot(out) == before
    code, _, err = _run(["ingest", str(CASE), "--out", str(folder / "moi" / "cache")], capsys)
    assert code == 1 and "Không có quyền ghi" in err


def test_a_really_full_disk_during_ingest_keeps_the_previous_cache(small_disk):
    out = small_disk / "cache"
    ingest(CASE, out)
    before = _snapshot(out)
    _fill(small_disk)
    command = [sys.executable, "-m", "tthc_analysis", "ingest", str(CASE)]
    done = subprocess.run(
        [*command, "--out", str(out), "--force"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1, done.stderr
    _assert_vietnamese_error(done.stderr)
    assert "Ổ đĩa đã đầy" in done.stderr
    assert _snapshot(out) == before
    assert sorted(p.name for p in small_disk.iterdir()) == [
        ".cache.lock",
        "cache",
        "remplissage.bin",
    ]


# --- form06 ----------------------------------------------------------------------------------------


def test_form06_into_a_missing_folder_or_onto_a_folder_says_so(tmp_path, capsys):
    code, _, err = _run(
        ["form06", "--period", "q1", "--out", str(tmp_path / "khong_co" / "bieu.xlsx")], capsys
    )
    assert code == 1
    _assert_vietnamese_error(err)
    assert "thư mục chứa không tồn tại" in err and "Tạo thư mục trước" in err
    code, _, err = _run(["form06", "--period", "q1", "--out", str(tmp_path)], capsys)
    assert code == 2
    _assert_vietnamese_error(err)
    assert "là một thư mục, không phải tệp" in err
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_while_writing_form06_keeps_the_previous_file(tmp_path, monkeypatch, capsys):
    target = tmp_path / "bieu06.xlsx"
    assert _run(["form06", "--period", "q1", "--out", str(target)], capsys)[0] == 0
    before = target.read_bytes()
    from tthc_analysis.review import form06_export as form06_module

    def full(*args, **kwargs):
        Path(args[0]).write_bytes(b"PK\x03\x04 half")
        raise OSError(errno.ENOSPC, "No space left on device", str(args[0]))

    monkeypatch.setattr(form06_module, "write_xlsx", full)
    code, out, err = _run(["form06", "--period", "q2", "--out", str(target)], capsys)
    assert code == 1
    _assert_vietnamese_error(err)
    assert "Ổ đĩa đã đầy, không ghi được biểu 06/VPCP/KSTT" in err
    assert f"Tệp: {target}" in err
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["bieu06.xlsx"]


def test_form06_into_a_read_only_folder_keeps_the_previous_file(read_only_folder, capsys):
    folder, make_read_only = read_only_folder
    target = folder / "bieu06.csv"
    assert _run(["form06", "--period", "q1", "--out", str(target)], capsys)[0] == 0
    before = target.read_bytes()
    make_read_only()
    code, _, err = _run(["form06", "--period", "q2", "--out", str(target)], capsys)
    assert code == 1
    _assert_vietnamese_error(err)
    assert "Không có quyền ghi biểu 06/VPCP/KSTT" in err
    assert target.read_bytes() == before


# --- evaluate ---------------------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_evaluate_onto_a_full_disk_says_so_without_a_traceback():
    command = [sys.executable, "-m", "tthc_analysis", "evaluate", "--as-of", "2025-06-30"]
    with open("/dev/full", "w") as full:  # noqa: PTH123 - a device
        done = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True, check=False)
    assert done.returncode == 1
    _assert_vietnamese_error(done.stderr)
    assert "Ổ đĩa đã đầy, không ghi được kết quả của lệnh" in done.stderr
    assert "đầu ra chuẩn (stdout)" in done.stderr


def test_evaluate_piped_into_a_reader_that_stops_early_ends_quietly():
    command = [sys.executable, "-m", "tthc_analysis", "evaluate", "--format", "json"]
    reader = subprocess.Popen(
        "head -c 10 > /dev/null", shell=True, stdin=subprocess.PIPE, stderr=subprocess.PIPE
    )
    done = subprocess.run(command, stdout=reader.stdin, stderr=subprocess.PIPE, check=False)
    reader.stdin.close()
    reader.wait()
    assert done.returncode == 0
    assert done.stderr.decode() == ""


def test_evaluate_whose_cache_cannot_be_written_says_so(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(CASE, raw)
    monkeypatch.setattr(ingest_module, "PROCESSED_ROOT", tmp_path / "processed")
    _fail_on_second_table(monkeypatch)
    code, out, err = _run(["evaluate", "--data", str(raw)], capsys)
    assert code == 1
    _assert_vietnamese_error(err)
    assert "Ổ đĩa đã đầy, không ghi được bảng dữ liệu đã nạp" in err
    assert out == ""


# --- review ------------------------------------------------------------------------------------------


def test_a_review_output_path_that_is_a_file_is_refused(tmp_path, capsys):
    from tthc_analysis.review.build import build_review

    target = tmp_path / "bao_cao"
    target.write_text("tệp", encoding="utf-8")
    with pytest.raises(OutputError, match="đường dẫn là một tệp"):
        build_review(data_dir=RAW, out_dir=target, notebooks_dir=NOTEBOOKS, progress=False)
    code, _, err = _run(["review", "--out", str(target), "--no-progress"], capsys)
    assert code == 2
    _assert_vietnamese_error(err)
    assert "Thư mục" in err and "là một tệp, không phải thư mục" in err
    assert target.read_text(encoding="utf-8") == "tệp"


@pytest.mark.slow
def test_a_full_disk_during_review_keeps_the_previous_report(tmp_path, monkeypatch, capsys):
    from tthc_analysis.review import build as build_module

    out = tmp_path / "2025"
    argv = ["review", "--data", str(RAW), "--notebooks", str(NOTEBOOKS), "--out", str(out)]
    argv += ["--no-progress", "--jobs", "2"]
    assert _run(argv, capsys)[0] == 0
    before = _snapshot(out)

    def full(nb, path):
        Path(path).write_bytes(b'{"cells": [')
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(build_module, "write_notebook", full)
    code, _, err = _run(argv, capsys)
    assert code == 1
    _assert_vietnamese_error(err)
    assert "Ổ đĩa đã đầy, không ghi được báo cáo." in err
    assert f"Tệp: {out}" in err
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025"]


@pytest.mark.slow
def test_a_review_into_a_read_only_folder_keeps_the_previous_report(read_only_folder, capsys):
    folder, make_read_only = read_only_folder
    out = folder / "2025"
    argv = ["review", "--data", str(RAW), "--notebooks", str(NOTEBOOKS), "--out", str(out)]
    argv += ["--no-progress", "--jobs", "2"]
    assert _run(argv, capsys)[0] == 0
    before = _snapshot(out)
    make_read_only()
    code, _, err = _run(argv, capsys)
    assert code == 1
    _assert_vietnamese_error(err)
    assert "Không có quyền ghi báo cáo" in err
    assert _snapshot(out) == before


# --- click's own errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["evaluate", "--year", "abc"], "'abc' không phải là số nguyên hợp lệ."),
        (["review", "--notebooks", "/khong/co"], "Thư mục '/khong/co' không tồn tại."),
        (["review", "--jobs", "0"], "nằm ngoài khoảng cho phép"),
        (["evaluate", "--format", "pdf"], "'pdf' không hợp lệ: chỉ nhận một trong"),
        (["evaluate", "--bogus"], "Không có tùy chọn '--bogus'."),
        (["ingest"], "Thiếu tham số 'RAW_DIR'."),
        (["ingest", "/khong/co/thu/muc"], "Đường dẫn '/khong/co/thu/muc' không tồn tại."),
        (["form06", "--out", "x.xlsx"], "Thiếu tùy chọn '--period'."),
        (["evaluate", "--data"], "Tùy chọn '--data' cần một giá trị."),
        (["khong-co-lenh"], "Không có lệnh 'khong-co-lenh'."),
    ],
)
def test_option_errors_are_in_vietnamese(argv, expected, capsys):
    code, out, err = _run(argv, capsys)
    assert code == 2
    assert expected in err, err
    assert "Lỗi: " in err
    for english in ("Usage:", "Error:", "Invalid value", "Missing", "does not exist", "Try '"):
        assert english not in err, err
