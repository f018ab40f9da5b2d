"""The kernel command of a forked kernel (see :mod:`tthc_analysis.review.forkserver`).

``python -m tthc_analysis.review.forkclient SOCKET -f CONNECTION_FILE [ipykernel args]``
asks the fork server for a kernel, gives it this process's standard streams, working
directory and environment and one end of a lifeline pipe, forwards the signals the
kernel manager sends (interrupt, terminate), and exits when the kernel exits. Kept free
of imports beyond the standard library so that it starts in milliseconds.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import sys
import time
from pathlib import Path


def _wait_for_exit(pid: int) -> None:
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        fd = None
    if fd is not None:
        try:
            while True:
                try:
                    ready, _, _ = select.select([fd], [], [])
                except InterruptedError:
                    continue
                if ready:
                    return
        finally:
            os.close(fd)
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        except PermissionError:
            pass
        time.sleep(0.1)


def _connect(path: str, timeout: float = 60.0) -> socket.socket:
    """Connect to the server, which may still be starting."""
    deadline = time.monotonic() + timeout
    while True:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.connect(path)
            return conn
        except (FileNotFoundError, ConnectionRefusedError):
            conn.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def main(argv: list[str]) -> int:
    """Start a forked kernel for ``argv`` (socket path, then ipykernel arguments)."""
    path, kernel_argv = argv[0], argv[1:]
    read_end, write_end = os.pipe()
    request = {"argv": kernel_argv, "cwd": str(Path.cwd()), "env": dict(os.environ)}
    with _connect(path) as conn:
        socket.send_fds(conn, [json.dumps(request).encode("utf-8")], [0, 1, 2, read_end])
        os.close(read_end)
        reply = json.loads(conn.recv(65536).decode("utf-8"))
    if "pid" not in reply:
        sys.stderr.write(f"tthc forkclient: {reply.get('error', 'no kernel')}\n")
        return 1
    pid = reply["pid"]

    def forward(signum, _frame) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)
        if signum in (signal.SIGTERM, signal.SIGHUP):
            os._exit(0)  # closes the lifeline: the kernel leaves too

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1):
        signal.signal(signum, forward)
    _wait_for_exit(pid)
    os.close(write_end)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
