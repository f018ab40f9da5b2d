"""Progress display of a review build: one tqdm bar with each notebook's state."""

from __future__ import annotations

import sys
import threading

__all__ = ["BuildProgress", "STATE_LABELS"]

STATE_LABELS = {
    "queued": "chờ",
    "running": "đang chạy",
    "exporting": "xuất HTML",
    "done": "xong",
    "failed": "lỗi",
}
"""Vietnamese label of each notebook state."""

_MARKS = {"queued": "·", "running": "▶", "exporting": "↧", "done": "✓", "failed": "✗"}


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class BuildProgress:
    """A progress bar on stderr: finished notebooks out of all, plus each one's state.

    Args:
        names: Notebook names in report order.
        enabled: Show progress. On a terminal this is a tqdm bar; otherwise (a log file,
            CI) one plain line per notebook state change, so logs stay readable.
    """

    def __init__(self, names, enabled: bool = True) -> None:
        self.names = list(names)
        self.states = dict.fromkeys(self.names, "queued")
        self._lock = threading.Lock()
        self._bar = None
        self._lines = enabled and not _is_terminal(sys.stderr)
        self._finished = 0
        if enabled and not self._lines:
            from tqdm import tqdm

            self._bar = tqdm(
                total=len(self.names),
                desc="Notebook",
                unit="nb",
                file=sys.stderr,
                dynamic_ncols=True,
                leave=True,
            )

    def update(self, name: str, state: str) -> None:
        """Record ``state`` for notebook ``name`` and refresh the bar."""
        with self._lock:
            previous = self.states.get(name)
            self.states[name] = state
            if self._lines:
                self._print_line(name, state, previous)
                return
            if self._bar is None:
                return
            if state in {"done"} and previous != "done":
                self._bar.update(1)
            self._bar.set_postfix_str(self.summary(), refresh=True)

    def _print_line(self, name: str, state: str, previous: str | None) -> None:
        if state == previous or state not in {"running", "done", "failed"}:
            return
        if state == "done":
            self._finished += 1
        print(
            f"[{self._finished}/{len(self.names)}] {name}: {STATE_LABELS[state]}",
            file=sys.stderr,
            flush=True,
        )

    def summary(self) -> str:
        """One line: a mark per notebook (running ones named)."""
        parts = []
        for name in self.names:
            state = self.states[name]
            label = name.split("_", 1)[0]
            if state in {"running", "exporting", "failed"}:
                label = f"{name} {STATE_LABELS[state]}"
            parts.append(f"{_MARKS[state]}{label}")
        return " ".join(parts)

    def close(self) -> None:
        """Close the bar."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
