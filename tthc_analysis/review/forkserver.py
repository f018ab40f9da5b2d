"""Fresh kernels in a fraction of a second: fork them from a pre-imported server.

Starting an ipykernel and importing pandas, matplotlib and this package costs seconds of
CPU per notebook. A review build therefore starts one *fork server* that imports all of
that once (and nothing else: no thread, no socket besides its own), and every kernel is
a ``fork()`` of it. Each notebook still gets a fresh process with no state from the
others; only the imported modules are shared (copy-on-write).

The kernel manager of ``jupyter_client`` stays in charge: the kernel command of the
build's kernelspec is :mod:`tthc_analysis.review.forkclient`, a tiny process that asks
the server for a fork, hands over its standard streams and a *lifeline* pipe (the
forked kernel exits when the client dies, even by ``SIGKILL``), forwards signals
(interrupt, terminate) and exits when the kernel exits. So ``is_alive``, ``interrupt``
and ``shutdown`` work as with a spawned kernel.

Linux only (``fork`` and file-descriptor passing); elsewhere kernels are spawned.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import selectors
import signal
import socket
import sys
from pathlib import Path

__all__ = ["available", "serve"]

_MAX_MESSAGE = 1 << 20


def available() -> bool:
    """Whether kernels are forked here: Linux (``fork`` is unsafe with macOS frameworks)."""
    return sys.platform.startswith("linux") and hasattr(socket, "send_fds")


def _receive(conn: socket.socket) -> tuple[dict, list[int]]:
    data, fds, _flags, _addr = socket.recv_fds(conn, _MAX_MESSAGE, 8)
    return json.loads(data.decode("utf-8")), list(fds)


def _run_kernel(request: dict, fds: list[int]) -> None:
    """In the forked child: become the kernel described by ``request``."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.setsid()
    stdin, stdout, stderr, lifeline = fds
    for target, fd in ((0, stdin), (1, stdout), (2, stderr)):
        os.dup2(fd, target)
    for fd in (stdin, stdout, stderr):
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])

    import threading

    def watch_lifeline() -> None:
        with contextlib.suppress(OSError):
            while os.read(lifeline, 1):
                pass
        os._exit(1)

    threading.Thread(target=watch_lifeline, name="lifeline", daemon=True).start()
    # The kernel's parent is this server: ipykernel then watches it (and does not print
    # its console banner, as for a kernel started by a kernel manager).
    argv = [*request["argv"], f"--IPKernelApp.parent_handle={os.getppid()}"]
    sys.argv = [sys.executable, *argv]
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(argv)
    app.start()


def _fork_kernel(
    conn: socket.socket, listener: socket.socket, extra_fds: list[int], children: list[int]
) -> None:
    request, fds = _receive(conn)
    if len(fds) != 4:
        for fd in fds:
            os.close(fd)
        conn.sendall(json.dumps({"error": "expected 4 descriptors"}).encode())
        return
    pid = os.fork()
    if pid == 0:  # the kernel
        code = 0
        try:
            listener.close()
            conn.close()
            for fd in [*extra_fds, *children]:
                with contextlib.suppress(OSError):
                    os.close(fd)
            _run_kernel(request, fds)
        except BaseException:  # noqa: BLE001 - report and leave without cleanup
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)
    for fd in fds:
        os.close(fd)
    with contextlib.suppress(AttributeError, OSError):
        children.append(os.pidfd_open(pid))
    conn.sendall(json.dumps({"pid": pid}).encode())


def _stop_children(children: list[int]) -> None:
    """Kill every kernel still running (the builder has gone, or did not stop them).

    A pidfd names the very process forked, never another one that reused its pid.
    """
    for fd in children:
        with contextlib.suppress(AttributeError, OSError):
            signal.pidfd_send_signal(fd, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.close(fd)
    children.clear()


def _prepare(modules: list[str], calls: list[list]) -> None:
    """Import ``modules`` and run ``calls`` (``[module, function, args]``).

    Errors are ignored: the kernels then do that work themselves.
    """
    for name in modules:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    for module, function, args in calls:
        try:
            getattr(importlib.import_module(module), function)(*args)
        except Exception as exc:  # noqa: BLE001 - an optimisation only
            sys.stderr.write(f"tthc forkserver: {module}.{function} skipped ({exc})\n")


def serve(path: str, modules: list[str], calls: list[list] | None = None) -> None:
    """Listen on the UNIX socket ``path``; fork a kernel per request until stdin closes.

    Before the first fork the server imports ``modules`` and runs ``calls`` (e.g. load
    the report's tables), so that every kernel starts with them in memory.
    """
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    _prepare(modules, calls or [])
    # Children are reaped automatically; each kernel restores SIGCHLD for itself.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the builder's to handle
    # Stopped by the builder (terminate): leave through ``finally``, killing the kernels.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "listener")
    selector.register(sys.stdin.fileno(), selectors.EVENT_READ, "stdin")
    children: list[int] = []  # pidfds of the kernels forked so far
    extra = [sys.stdin.fileno(), sys.stdout.fileno()]
    with contextlib.suppress(AttributeError, ValueError):
        extra.append(selector.fileno())
    try:
        while True:
            for key, _ in selector.select():
                if key.data == "stdin":
                    if not os.read(sys.stdin.fileno(), 4096):
                        return
                    continue
                conn, _ = listener.accept()
                with conn:
                    try:
                        _fork_kernel(conn, listener, extra, children)
                    except OSError:
                        continue
    finally:
        _stop_children(children)
        listener.close()
        with contextlib.suppress(OSError):
            Path(path).unlink()


if __name__ == "__main__":  # python -m tthc_analysis.review.forkserver SOCKET CONFIG_JSON
    _config = json.loads(sys.argv[2])
    try:
        serve(sys.argv[1], _config["modules"], _config.get("calls"))
    finally:
        # Kernels stopped and socket removed: skip the interpreter's slow teardown of
        # everything imported for the kernels (seconds, while the builder waits).
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(0)
