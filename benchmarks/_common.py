"""Helpers shared by the benchmarks: timing, child processes, cached generated data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / ".data"


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best wall-clock time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run_child(script: Path, *args: str) -> dict:
    """Run ``script`` with ``args`` in a fresh interpreter; it prints one JSON object last."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"child {args} failed with exit code {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory (MB) of this process and of its largest finished child."""
    import resource

    per_mb = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes vs KiB
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / per_mb
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / per_mb
    return own, child


TARGET_PREFIX = "TARGET"
"""Start of the lines giving a target, its measured figure and OK / NOT MET (``run_all.py``
repeats them as a summary at the end)."""


def target(name: str, measured: str, ok: bool, detail: str = "") -> bool:
    """Print one target line: ``TARGET <name>: <measured> ... OK`` (or ``NOT MET``)."""
    verdict = "OK" if ok else "NOT MET"
    print(f"{TARGET_PREFIX} {name}: {measured}{f' ({detail})' if detail else ''} -> {verdict}")
    return ok


def fmt(seconds: float) -> str:
    """Seconds with two decimals (Vietnamese decimal comma)."""
    return f"{seconds:.2f}".replace(".", ",") + " s"


class TreeMemory:
    """Peak summed resident memory of this process and its descendants (Linux ``/proc``).

    A background thread samples every ``interval`` seconds; on other systems
    ``peak_mb`` stays ``None``.
    """

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak_mb: float | None = None
        self._stop = None
        self._thread = None

    @staticmethod
    def _children(pid: int) -> list[int]:
        out = []
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                out += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
        return out

    def _sample(self) -> float:
        page = os.sysconf("SC_PAGE_SIZE")
        total = 0
        todo = [os.getpid()]
        while todo:
            pid = todo.pop()
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
            except (OSError, ValueError, IndexError):
                continue
            todo += self._children(pid)
        return total / 1024 / 1024

    def __enter__(self) -> TreeMemory:
        import threading

        if not Path("/proc/self/statm").exists():
            return self
        self._stop = threading.Event()

        def run() -> None:
            while not self._stop.is_set():
                value = self._sample()
                self.peak_mb = max(self.peak_mb or 0.0, value)
                self._stop.wait(self.interval)

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
