"""The kernel fork server never leaves a kernel behind when its builder goes away."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tthc_analysis.review import forkserver

pytestmark = pytest.mark.skipif(not forkserver.available(), reason="fork server: Linux only")

# A server whose "kernels" only sleep: the test is about their lifetime, not ipykernel.
SERVER = (
    "import sys, time\n"
    "from tthc_analysis.review import forkserver as f\n"
    "f._run_kernel = lambda request, fds: time.sleep(300)\n"
    "f.serve(sys.argv[1], [])\n"
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is gone for our purpose (the server ignores SIGCHLD: reaped at once)
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and ") Z " not in stat.read_text()


def _wait_gone(pid: int, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not _alive(pid)


@pytest.fixture
def server(tmp_path):
    path = tmp_path / "kernels.sock"
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == b"ready\n"
    yield process, path
    if process.poll() is None:
        process.kill()
    process.wait()


def _fork(path: Path) -> int:
    read_end, write_end = os.pipe()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(str(path))
        request = {"argv": [], "cwd": "/", "env": {}}
        socket.send_fds(conn, [json.dumps(request).encode()], [0, 1, 2, read_end])
        reply = json.loads(conn.recv(65536).decode())
    os.close(read_end)
    os.close(write_end)
    return reply["pid"]


def test_kernels_still_running_are_killed_when_the_builder_closes_the_server(server):
    process, path = server
    kernels = [_fork(path), _fork(path)]
    assert all(_alive(pid) for pid in kernels)
    process.stdin.close()  # what the builder does on leaving, or its death does
    assert process.wait(timeout=20) == 0
    assert all(_wait_gone(pid) for pid in kernels)


def test_terminating_the_server_kills_its_kernels_too(server):
    process, path = server
    kernel = _fork(path)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=20)
    assert _wait_gone(kernel)


def test_ctrl_c_sent_to_the_server_alone_is_the_builders_to_handle(server):
    process, path = server
    kernel = _fork(path)
    process.send_signal(signal.SIGINT)
    assert _fork(path) > 0  # still serving
    assert _alive(kernel)
    process.stdin.close()
    process.wait(timeout=20)
    assert _wait_gone(kernel)
