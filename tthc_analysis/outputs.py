"""Writing outputs safely: whole or not at all, and a Vietnamese message when it fails.

Every command that writes (``tthc ingest``, ``form06``, ``evaluate`` through the ingest
cache, ``review``) writes into a temporary sibling first and renames it into place, so
that a failure (a full disk, a read-only folder, Ctrl-C) leaves the previous output
complete. An :class:`OSError` becomes an :class:`~tthc_analysis.errors.OutputError`
saying what could not be written, where, and what to do (:func:`output_error`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from tthc_analysis.errors import OutputError

__all__ = [
    "check_output_dir",
    "check_output_file",
    "output_error",
    "replace_dir",
    "write_atomically",
    "writing",
]

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


def output_error(exc: OSError, path: str | Path, what: str) -> OutputError:
    """The Vietnamese error for ``exc`` raised while writing ``what`` at ``path``.

    Args:
        exc: The operating system's error.
        path: The output the user asked for (not a temporary file).
        what: What was being written, in Vietnamese ("báo cáo", "biểu 06"...).
    """
    code = exc.errno
    where = Path(path)
    if code in _FULL:
        return OutputError(
            f"Ổ đĩa đã đầy, không ghi được {what}.",
            file=where,
            hint="Giải phóng dung lượng ổ đĩa hoặc chọn nơi ghi trên ổ khác, rồi chạy lại. "
            "Kết quả cũ (nếu có) được giữ nguyên.",
        )
    if code in _DENIED:
        return OutputError(
            f"Không có quyền ghi {what} vào thư mục này (thư mục chỉ đọc hoặc bị khóa).",
            file=where,
            hint="Chọn thư mục khác có quyền ghi (tùy chọn --out) hoặc xin cấp quyền ghi. "
            "Kết quả cũ (nếu có) được giữ nguyên.",
        )
    if code in (errno.ENOTDIR, errno.EEXIST):
        return OutputError(
            f"Không ghi được {what}: trên đường dẫn có một tệp ở chỗ cần một thư mục.",
            file=where,
            hint="Chọn đường dẫn khác hoặc đổi tên tệp đang chắn chỗ.",
        )
    if code == errno.EISDIR:
        return OutputError(
            f"Không ghi được {what}: đường dẫn là một thư mục, không phải một tệp.",
            file=where,
            hint="Ghi rõ tên tệp kết quả, ví dụ --out bieu06.xlsx.",
        )
    if code == errno.ENOENT:
        return OutputError(
            f"Không ghi được {what}: thư mục chứa không tồn tại.",
            file=where,
            hint="Tạo thư mục trước hoặc kiểm tra lại đường dẫn.",
        )
    reason = exc.strerror or type(exc).__name__
    return OutputError(
        f"Không ghi được {what} ({reason}).",
        file=where,
        hint="Kiểm tra ổ đĩa và quyền ghi của thư mục, rồi chạy lại. Kết quả cũ (nếu có) "
        "được giữ nguyên.",
    )


@contextlib.contextmanager
def writing(path: str | Path, what: str) -> Iterator[None]:
    """Turn an :class:`OSError` raised inside into :func:`output_error`."""
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        raise output_error(exc, path, what) from exc


def check_output_dir(path: str | Path, what: str) -> Path:
    """``path`` as an output folder: not a file, inside a folder that can be written.

    Missing parent folders are created.

    Raises:
        OutputError: ``path`` is a file, or its parent cannot be created or written.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputError(
            f"Không ghi được {what}: đường dẫn là một tệp, không phải thư mục.",
            file=path,
            hint="Chọn thư mục khác (tùy chọn --out) hoặc đổi tên tệp đó.",
        )
    with writing(path, what):
        path.parent.mkdir(parents=True, exist_ok=True)
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise output_error(OSError(errno.EACCES, "denied"), path, what)
    return path


def check_output_file(path: str | Path, what: str) -> Path:
    """``path`` as an output file: not a folder, in an existing folder that can be written.

    Raises:
        OutputError: ``path`` is a folder, or its folder is missing, is a file or
            cannot be written.
    """
    path = Path(path)
    if path.is_dir():
        raise output_error(OSError(errno.EISDIR, "is a directory"), path, what)
    parent = path.parent
    if not parent.exists():
        raise output_error(OSError(errno.ENOENT, "missing"), path, what)
    if not parent.is_dir():
        raise output_error(OSError(errno.ENOTDIR, "not a directory"), path, what)
    if not os.access(parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise output_error(OSError(errno.EACCES, "denied"), path, what)
    return path


def write_atomically(path: str | Path, write: Callable[[Path], object], what: str) -> Path:
    """Write ``path`` through ``write(temporary path)`` and an atomic rename.

    The temporary file is a hidden sibling with the same suffix (writers choose the
    format by it); a failure removes it and leaves the previous ``path`` as it was.
    """
    path = check_output_file(path, what)
    with writing(path, what):
        fd, name = tempfile.mkstemp(
            prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}", dir=path.parent
        )
        os.close(fd)
        tmp = Path(name)
        try:
            write(tmp)
            with contextlib.suppress(OSError):
                tmp.chmod(0o644)  # mkstemp makes it private; an output is a normal file
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
    return path


def replace_dir(work: Path, target: Path) -> None:
    """Replace folder ``target`` by ``work`` (same parent): two renames.

    Interrupted between the two renames, the previous folder is put back, so that
    ``target`` always holds one complete output. The caller holds a lock.
    """
    old = None
    try:
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            old.rmdir()
            target.rename(old)
        work.rename(target)
    except BaseException:
        if old is not None and old.exists() and not target.exists():
            old.rename(target)
        raise
    finally:
        if old is not None and old.exists() and target.exists():
            shutil.rmtree(old, ignore_errors=True)
