"""Executing notebooks in parallel with injected parameters (nbclient, in-process).

Each notebook runs in a fresh kernel of the current Python environment. Parameters are
injected the papermill way (a cell tagged ``injected-parameters`` right after the cell
tagged ``parameters``, replacing an earlier injected cell) but with a stable cell id and
deterministic source, so the executed notebook and its HTML are the same on every run.
Kernels get ``PYTHONHASHSEED=0``, the inline matplotlib backend and
``TTHC_REVIEW_BUILD=1``; nbclient records no timing.

Kernels are started ahead of need: forked from a server that has imported pandas,
matplotlib and this package once (:mod:`tthc_analysis.review.forkserver`, Linux), or
spawned and warmed up with the same imports elsewhere. They start while the builder is
still ingesting and evaluating.

Up to ``jobs`` notebooks run at once on one asyncio loop, in a background thread (so
Ctrl-C reaches the builder, which then stops every kernel). The first failure cancels
the others (their kernels are shut down) and is reported as a
:class:`~tthc_analysis.errors.BuildError` naming the notebook and the failing cell.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from tthc_analysis.errors import BuildError, ParameterError
from tthc_analysis.views.display import REVIEW_BUILD_ENV

__all__ = [
    "INJECTED_CELL_ID",
    "KERNEL_ENV",
    "WORKBENCH_TAG",
    "WARMUP_MODULES",
    "NotebookJob",
    "NotebookRunner",
    "inject_parameters",
    "kernel_environment",
    "parameter_source",
]

INJECTED_CELL_ID = "injected-parameters"
"""Id (and tag) of the injected parameters cell."""

WORKBENCH_TAG = "workbench"
"""Tag of the cells that show an analyst how to reuse the data of the cell above
(``page.overdue().data.head()``): not run in a review build (they are also tagged
``remove-cell``, so the report would not show them anyway)."""

KERNELS_ENV = "TTHC_REVIEW_KERNELS"
"""Environment variable forcing how kernels start when ``kernels="auto"``: ``spawn`` (a
new interpreter per notebook, as on Windows and macOS) or ``fork``."""


def kernel_mode(kernels: str = "auto") -> str:
    """``"fork"`` or ``"spawn"``: how kernels start for ``kernels`` (auto, fork, spawn).

    ``auto`` takes :data:`KERNELS_ENV` when set, else forks where the fork server is
    available (Linux) and spawns elsewhere.

    Raises:
        ParameterError: an unknown value.
    """
    from tthc_analysis.review import forkserver

    if kernels == "auto":
        kernels = os.environ.get(KERNELS_ENV, "").strip().lower() or "auto"
    if kernels not in {"auto", "fork", "spawn"}:
        raise ParameterError(
            f"Cách khởi động kernel không hợp lệ: «{kernels}».",
            hint=f"Dùng auto, fork hoặc spawn (biến môi trường {KERNELS_ENV}).",
        )
    if kernels == "auto":
        return "fork" if forkserver.available() else "spawn"
    return kernels


FORK_KERNEL_NAME = "tthc-review-fork"
"""Name of the build's private kernelspec for forked kernels."""

STOP_GRACE_SECONDS = 15
"""Seconds a stopping build waits for its notebooks to stop their kernels (Ctrl-C)."""

KERNEL_ENV = {
    "PYTHONHASHSEED": "0",
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    "SOURCE_DATE_EPOCH": "946684800",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    REVIEW_BUILD_ENV: "1",
}
"""Environment of every kernel, on top of the builder's own environment."""

StateCallback = Callable[[str, str], None]
"""Called with (notebook name, state) where state is ``queued``, ``running``,
``exporting``, ``done`` or ``failed``."""


@dataclass(frozen=True)
class NotebookJob:
    """One notebook to run.

    Attributes:
        name: File stem, e.g. ``"03_cong_khai"`` (names the outputs).
        path: The source notebook.
    """

    name: str
    path: Path


def _literal(value: object) -> str:
    """Python source for a parameter value (deterministic, round-trips)."""
    if value is None or isinstance(value, bool | int | str):
        return repr(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"unsupported parameter value: {value!r}")


def parameter_source(params: Mapping[str, object]) -> str:
    """Source of the injected cell: one ``name = value`` line per parameter, in order."""
    lines = ["# Tham số do `tthc review` truyền vào (injected parameters)"]
    lines += [f"{name} = {_literal(value)}" for name, value in params.items()]
    return "\n".join(lines)


def inject_parameters(nb: NotebookNode, params: Mapping[str, object]) -> NotebookNode:
    """Insert the parameters cell after the ``parameters`` cell (papermill-compatible).

    An existing injected cell is replaced. Without a ``parameters`` cell the injected
    cell goes first. The cell id is always ``injected-parameters``.

    Returns:
        A new notebook (``nb`` is not modified).
    """
    nb = nbformat.from_dict(nb)
    cells = [c for c in nb.cells if INJECTED_CELL_ID not in c.get("metadata", {}).get("tags", [])]
    cell = nbformat.v4.new_code_cell(parameter_source(params))
    cell["id"] = INJECTED_CELL_ID
    cell.metadata["tags"] = [INJECTED_CELL_ID]
    position = next(
        (
            i + 1
            for i, c in enumerate(cells)
            if "parameters" in c.get("metadata", {}).get("tags", [])
        ),
        0,
    )
    cells.insert(position, cell)
    nb.cells = cells
    nb.nbformat, nb.nbformat_minor = 4, max(int(nb.get("nbformat_minor", 5)), 5)
    for i, c in enumerate(nb.cells):
        if not c.get("id"):
            c["id"] = f"cell-{i}"
    return nb


def kernel_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a review kernel: ours + :data:`KERNEL_ENV` + ``extra``."""
    env = dict(os.environ)
    env.update(KERNEL_ENV)
    if extra:
        env.update(extra)
    return env


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            text = line.strip()
            return text if len(text) <= 80 else text[:77] + "…"
    return ""


def _failure(
    job: NotebookJob,
    exc: BaseException,
    cell_index: int | None,
    cell,
    injected_at: int | None = None,
) -> BuildError:
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    where = ""
    if cell is not None and cell.get("id") == INJECTED_CELL_ID:
        where = " ở ô tham số do tthc review chèn vào"
    elif cell_index is not None and cell is not None:
        # Numbered as in the source notebook (the injected cell is not counted).
        number = cell_index + 1 - (1 if injected_at is not None and cell_index > injected_at else 0)
        where = f" ở ô số {number} («{_first_line(cell.source)}»)"
    if isinstance(exc, CellExecutionError):
        detail = f"{exc.ename}: {exc.evalue}".strip(": ")
        message = f"Notebook «{job.name}» bị lỗi{where}: {detail}"
        hint = "Mở notebook trong JupyterLab, chạy với cùng tham số để xem chi tiết lỗi."
    elif isinstance(exc, DeadKernelError):
        message = f"Kernel của notebook «{job.name}» đã dừng đột ngột{where}."
        hint = "Có thể do thiếu bộ nhớ; thử giảm --jobs hoặc kiểm tra dữ liệu đầu vào."
    elif isinstance(exc, CellTimeoutError | TimeoutError):
        message = f"Notebook «{job.name}» chạy quá thời gian cho phép{where}."
        hint = "Tăng thời gian chờ (--timeout) hoặc kiểm tra ô đang chạy."
    else:
        message = f"Không chạy được notebook «{job.name}»{where}: {type(exc).__name__}: {exc}"
        hint = "Kiểm tra notebook và môi trường Python (kernel)."
    return BuildError(message, file=job.path, hint=hint)


WARMUP_MODULES = (
    "numpy",
    "pandas",
    "matplotlib.pyplot",
    "matplotlib_inline.backend_inline",
    "itables",
    "tthc_analysis.views.display",
    "tthc_analysis.views.context",
    "tthc_analysis.loading.ingest",
    "tthc_analysis.evaluation.evaluate",
    "tthc_analysis.charts",
    "tthc_analysis.views.widgets",
    "tthc_analysis.views",
)
"""Modules imported (silently, errors ignored) by a kernel while it waits for its
notebook: this overlaps the import cost with other work."""

_WARMUP_CODE = (
    "import importlib as _tthc_importlib\n"
    "for _tthc_module in {modules!r}:\n"
    "    try:\n"
    "        _tthc_importlib.import_module(_tthc_module)\n"
    "    except Exception:\n"
    "        pass\n"
    "del _tthc_importlib, _tthc_module\n"
)


@dataclass
class _Kernel:
    km: object
    kc: object


class _ForkServer:
    """The process kernels are forked from (see :mod:`tthc_analysis.review.forkserver`)."""

    def __init__(self, folder: Path, env: Mapping[str, str], calls: Sequence = ()) -> None:
        self.folder = folder
        self.socket_path = folder / "kernels.sock"
        spec_dir = folder / "kernels" / FORK_KERNEL_NAME
        spec_dir.mkdir(parents=True)
        spec = {
            "argv": [
                sys.executable,
                "-m",
                "tthc_analysis.review.forkclient",
                str(self.socket_path),
                "-f",
                "{connection_file}",
            ],
            "display_name": "Python (tthc review, forked)",
            "language": "python",
            "interrupt_mode": "signal",
            "metadata": {"supported_encryption": ["curve"]},
        }
        (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
        config = {
            "modules": ["ipykernel.kernelapp", "ipykernel.ipkernel", *WARMUP_MODULES],
            "calls": [list(call) for call in calls],
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tthc_analysis.review.forkserver", str(self.socket_path)]
            + [json.dumps(config)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=dict(env),
            cwd=str(folder),
        )

    def kernel_spec_manager(self):
        from jupyter_client.kernelspec import KernelSpecManager

        return KernelSpecManager(kernel_dirs=[str(self.folder / "kernels")])

    def close(self) -> None:
        # Nothing to save in the server: stop it now rather than wait for its exit.
        with contextlib.suppress(Exception):
            self.process.stdin.close()
        with contextlib.suppress(ProcessLookupError):
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(Exception):
            self.process.stdout.close()


async def _start_kernel(
    env: Mapping[str, str],
    cwd: Path,
    startup_timeout: int,
    server: _ForkServer | None = None,
    ipc_prefix: Path | None = None,
) -> _Kernel:
    """Start a kernel (forked from ``server``, else spawned and warmed up).

    With ``ipc_prefix`` the kernel talks over UNIX sockets named from it (no TCP port
    that another process could take between choosing and binding it); otherwise over
    TCP with CurveZMQ encryption when the kernel supports it.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets.config import Config

    config = Config()
    if ipc_prefix is not None:
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = str(ipc_prefix)
    else:
        config.KernelManager.transport_encryption = "auto"
    if server is not None:
        if server.process.poll() is not None:
            raise RuntimeError("the kernel fork server has stopped")
        km = AsyncKernelManager(
            kernel_name=FORK_KERNEL_NAME,
            kernel_spec_manager=server.kernel_spec_manager(),
            config=config,
        )
    else:
        km = AsyncKernelManager(kernel_name="python3", config=config)
    await km.start_kernel(
        env=dict(env), cwd=str(cwd), extra_arguments=["--HistoryManager.hist_file=:memory:"]
    )
    kc = km.client()
    try:
        kc.start_channels()
        await kc.wait_for_ready(timeout=startup_timeout)
        kc.allow_stdin = False
        if server is None:
            await kc.execute_interactive(
                _WARMUP_CODE.format(modules=WARMUP_MODULES),
                silent=True,
                store_history=False,
                timeout=startup_timeout,
                output_hook=lambda _msg: None,
            )
    except BaseException:
        await _stop_kernel(_Kernel(km, kc))
        raise
    return _Kernel(km, kc)


async def _stop_kernel(kernel: _Kernel) -> None:
    with contextlib.suppress(Exception):
        kernel.kc.stop_channels()
    with contextlib.suppress(Exception):
        if await kernel.km.is_alive():
            await kernel.km.shutdown_kernel(now=True)
        else:
            await kernel.km.cleanup_resources()


class _KernelPool:
    """Kernels started ahead of need: ``running`` in use plus ``ahead`` warming up."""

    def __init__(self, total: int, ahead: int, start) -> None:
        self._total = total
        self._start = start
        self._started = 0
        self._pending: collections.deque[asyncio.Task] = collections.deque()
        for _ in range(min(total, ahead)):
            self._spawn()

    def _spawn(self) -> None:
        self._started += 1
        self._pending.append(asyncio.ensure_future(self._start()))

    async def get(self) -> _Kernel:
        if not self._pending:
            self._spawn()
        task = self._pending.popleft()
        if self._started < self._total:
            self._spawn()
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            self._pending.appendleft(task)  # stopped by close()
            raise

    async def close(self) -> None:
        tasks = list(self._pending)
        self._pending.clear()
        for task in tasks:
            task.cancel()
        for result in await asyncio.gather(*tasks, return_exceptions=True):
            if isinstance(result, _Kernel):
                await _stop_kernel(result)


async def _execute(
    job: NotebookJob,
    nb: NotebookNode,
    kernel: _Kernel,
    *,
    timeout: int,
) -> NotebookNode:
    from nbclient import NotebookClient

    current: dict = {"index": None, "cell": None}

    def on_cell_start(cell, cell_index, **_kwargs) -> None:
        current["index"], current["cell"] = cell_index, cell

    client = NotebookClient(
        nb,
        km=kernel.km,
        timeout=timeout,
        record_timing=False,
        store_widget_state=False,
        allow_errors=False,
        skip_cells_with_tag=WORKBENCH_TAG,
        on_cell_start=on_cell_start,
    )
    client.kc = kernel.kc
    try:
        await client.async_execute()
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # noqa: BLE001 - translated into a BuildError
        injected_at = next(
            (i for i, c in enumerate(nb.cells) if c.get("id") == INJECTED_CELL_ID), None
        )
        raise _failure(job, exc, current["index"], current["cell"], injected_at) from exc
    return client.nb


class NotebookRunner:
    """Runs report notebooks on an event loop of its own, in a background thread.

    Kernels start (and import the usual modules) as soon as the runner is entered, so
    that this overlaps with the builder's own work (ingest, evaluation). Use as a
    context manager; leaving it stops every kernel, also after an error or Ctrl-C.

    Args:
        jobs: The notebooks, in report order.
        cwd: Working directory of the kernels (the notebooks' folder).
        max_workers: Notebooks executed at once (default: CPU cores).
        ahead: Kernels kept ready beyond the running ones (default: ``max_workers``).
        extra_env: Extra environment variables for the kernels.
        timeout: Seconds allowed per cell.
        startup_timeout: Seconds allowed for a kernel to start.
        on_state: Progress callback ``(name, state)``.
        kernels: ``"fork"`` (from a pre-imported server, Linux), ``"spawn"`` (a new
            interpreter each), or ``"auto"`` (:func:`kernel_mode`: the environment
            variable :data:`KERNELS_ENV`, else fork where available).
        preload: Calls ``(module, function, args)`` the fork server makes before the
            first fork, e.g. loading the report's tables once for every kernel.
    """

    def __init__(
        self,
        jobs: Sequence[NotebookJob],
        cwd: Path,
        *,
        max_workers: int | None = None,
        ahead: int | None = None,
        extra_env: Mapping[str, str] | None = None,
        timeout: int = 600,
        startup_timeout: int = 60,
        on_state: StateCallback | None = None,
        kernels: str = "auto",
        preload: Sequence[tuple[str, str, list]] = (),
    ) -> None:
        self.fork = kernel_mode(kernels) == "fork"
        self.preload = list(preload)
        self.jobs = list(jobs)
        self.cwd = Path(cwd)
        self.workers = max(1, max_workers or os.cpu_count() or 1)
        self.ahead = self.workers if ahead is None else max(0, ahead)
        self.env = kernel_environment(extra_env)
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        self.on_state = on_state or (lambda _name, _state: None)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._pool: _KernelPool | None = None
        self._server: _ForkServer | None = None
        self._folder: Path | None = None
        self._notebook_tasks: set[asyncio.Future] = set()

    def __enter__(self) -> NotebookRunner:
        self._folder = Path(tempfile.mkdtemp(prefix="tthc-kernels-"))
        if self.fork:
            self._server = _ForkServer(self._folder, self.env, self.preload)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="tthc-review-kernels", daemon=True
        )
        self._thread.start()
        for job in self.jobs:
            self.on_state(job.name, "queued")
        self._call(self._open_pool())
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _call(self, coroutine):
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            while True:
                try:
                    return future.result(timeout=0.25)
                except concurrent.futures.TimeoutError:
                    continue
        except BaseException:
            future.cancel()
            raise

    async def _open_pool(self) -> None:
        counter = iter(range(1, 1 << 30))

        def start():
            prefix = None
            if self._folder is not None and os.name == "posix":
                prefix = self._folder / f"k{next(counter)}"
            return _start_kernel(self.env, self.cwd, self.startup_timeout, self._server, prefix)

        self._pool = _KernelPool(len(self.jobs), self.workers + self.ahead, start)

    def run(
        self,
        params: Mapping[str, object],
        finish: Callable[[NotebookJob, NotebookNode], None],
    ) -> None:
        """Execute every notebook with ``params`` injected.

        Args:
            params: Parameter values to inject (in order).
            finish: Called in a worker thread with each executed notebook.

        Raises:
            BuildError: a notebook failed (cell error, dead kernel, timeout); the
                other notebooks are cancelled and their kernels stopped.
        """
        self._call(self._run_all(params, finish))

    async def _run_one(self, job: NotebookJob, params, finish, semaphore) -> None:
        async with semaphore:
            source = nbformat.read(job.path, as_version=4)
            nb = inject_parameters(source, params)
            assert self._pool is not None
            try:
                kernel = await self._pool.get()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - translated into a BuildError
                raise _failure(job, exc, None, None) from exc
            self.on_state(job.name, "running")
            try:
                executed = await _execute(job, nb, kernel, timeout=self.timeout)
            finally:
                await _stop_kernel(kernel)
            self.on_state(job.name, "exporting")
            await asyncio.to_thread(finish, job, executed)
            self.on_state(job.name, "done")

    async def _run_all(self, params, finish) -> None:
        semaphore = asyncio.Semaphore(self.workers)
        tasks = {
            asyncio.ensure_future(self._run_one(job, params, finish, semaphore)): job
            for job in self.jobs
        }
        self._notebook_tasks.update(tasks)
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            failed = [t for t in done if not t.cancelled() and t.exception() is not None]
            if failed:
                first = min(failed, key=lambda t: self.jobs.index(tasks[t]))
                self.on_state(tasks[first].name, "failed")
                raise first.exception()
        finally:
            pending = [t for t in tasks if not t.done()]
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)

    async def _shutdown(self) -> None:
        if self._pool is not None:
            await self._pool.close()
        # Notebooks cancelled by Ctrl-C are still stopping their kernels (``finally`` of
        # ``_run_one``): let them finish; cancelling them again would cut the stop short
        # and leave a kernel running (the fork server kills it on close as a last resort).
        stopping = [t for t in self._notebook_tasks if not t.done()]
        if stopping:
            await asyncio.wait(stopping, timeout=STOP_GRACE_SECONDS)
        current = asyncio.current_task()
        leftovers = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
        for task in leftovers:  # e.g. nbclient's kernel pollers of cancelled notebooks
            task.cancel()
        if leftovers:
            await asyncio.gather(*leftovers, return_exceptions=True)

    def close(self) -> None:
        """Stop every kernel and the event loop (idempotent)."""
        if self._loop is None:
            return
        loop, thread = self._loop, self._thread
        self._loop = None
        try:
            future = asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
            with contextlib.suppress(Exception):
                future.result(timeout=60)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            if thread is not None:
                thread.join(timeout=60)
            with contextlib.suppress(Exception):
                loop.close()
            if self._server is not None:
                self._server.close()
                self._server = None
            if self._folder is not None:
                shutil.rmtree(self._folder, ignore_errors=True)
                self._folder = None
