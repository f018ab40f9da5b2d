"""Vietnamese messages for the errors and help that click itself writes.

click marks its messages for translation with :mod:`gettext` (``_("...")`` and
``ngettext`` looked up in each of its modules at call time). :func:`install` points them
at a Vietnamese table, so that a wrong option value (``--year abc``), a missing or wrong
path, an unknown option or a missing argument is explained in Vietnamese like every
other error of ``tthc``. Messages not in the table stay as click writes them.
"""

from __future__ import annotations

import importlib

__all__ = ["MESSAGES_VI", "install", "translate"]

MESSAGES_VI: dict[str, str] = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Tham số",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "required": "bắt buộc",
    "Try '{command} {option}' for help.": "Xem hướng dẫn: '{command} {option}'.",
    "Error: {message}": "Lỗi: {message}",
    "Aborted!": "Đã dừng theo yêu cầu.",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ ở {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Missing argument": "Thiếu tham số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing {param_type}": "Thiếu {param_type}",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing command.": "Thiếu lệnh con.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "No such option: {name}": "Không có tùy chọn: {name}",
    "Did you mean {possibility}?": "Có phải là {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Có phải là một trong: {possibilities}?)",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị.",
    "Option {name!r} requires {nargs} arguments.": "Tùy chọn {name!r} cần {nargs} giá trị.",
    "Argument {name!r} takes {nargs} values.": "Tham số {name!r} nhận {nargs} giá trị.",
    "Takes {nargs} values but 1 was given.": "Cần {nargs} giá trị nhưng chỉ có 1.",
    "Takes {nargs} values but {len} were given.": "Cần {nargs} giá trị nhưng có {len}.",
    "Got unexpected extra argument ({args})": "Thừa tham số ({args})",
    "Got unexpected extra arguments ({args})": "Thừa các tham số ({args})",
    "{value!r} is not {choice}.": "{value!r} không hợp lệ: chỉ nhận {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không hợp lệ: chỉ nhận một trong {choices}.",
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    "{value!r} does not match the format {format}.": "{value!r} không đúng dạng {format}.",
    "{value!r} does not match the formats {formats}.": (
        "{value!r} không đúng dạng nào trong các dạng {formats}."
    ),
    "{value!r} is not a valid {number_type}.": "{value!r} không phải là {number_type} hợp lệ.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} không phải giá trị đúng/sai hợp lệ; các giá trị nhận: {states}"
    ),
    "{value!r} is not a valid UUID.": "{value!r} không phải mã UUID hợp lệ.",
    "{value} is not in the range {range}.": "{value} nằm ngoài khoảng cho phép {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} không tồn tại.",
    "{name} {filename!r} is a file.": "{name} {filename!r} là một tệp, không phải thư mục.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} là một thư mục, không phải tệp.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} không có quyền đọc.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} không có quyền ghi.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} không có quyền chạy.",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
    "file": "tệp",
    "directory": "thư mục",
    "path": "đường dẫn",
    "Value must be an iterable.": "Giá trị phải là một danh sách.",
    "unknown error": "lỗi không rõ",
}
"""click's message ids and their Vietnamese text (same ``{placeholders}``)."""

WORDS_VI = {
    "integer": "số nguyên",
    "integer range": "số nguyên",
    "float": "số thực",
    "float range": "số thực",
    "argument": "tham số",
    "option": "tùy chọn",
    "parameter": "tham số",
    "text": "chuỗi ký tự",
    "datetime": "ngày",
}
"""English words click fills into its messages (type and parameter names)."""

_MODULES = (
    "click.core",
    "click.types",
    "click.exceptions",
    "click.parser",
    "click.decorators",
    "click.formatting",
    "click.termui",
    "click.utils",
)


class _Template(str):
    """A translated message whose ``format`` also translates the English words filled in."""

    __slots__ = ()

    def title(self) -> str:
        """Capital first letter only (Vietnamese does not capitalise every syllable)."""
        return self[:1].upper() + self[1:]

    def format(self, *args, **kwargs) -> str:
        kwargs = {k: WORDS_VI.get(v, v) if isinstance(v, str) else v for k, v in kwargs.items()}
        return str.format(self, *args, **kwargs)


def translate(message: str) -> str:
    """The Vietnamese text of a click message id (the id itself if unknown)."""
    return _Template(MESSAGES_VI.get(message, message))


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


def install() -> None:
    """Make click write its own messages in Vietnamese (idempotent)."""
    for name in _MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module.__dict__["_"] = translate
        if hasattr(module, "ngettext"):
            module.__dict__["ngettext"] = _ngettext
