"""Real servers on loopback: Radicale for CalDAV, http.server for iCal feeds."""

from __future__ import annotations

import contextlib
import http.server
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

RADICALE_USER = "ines"
RADICALE_PASSWORD = "app-password-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Radicale exited early with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"Radicale did not listen on {port} within {seconds} s")


@dataclass(frozen=True)
class CalDavServer:
    url: str
    username: str
    password: str


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[CalDavServer]:
    """A real Radicale CalDAV server with one htpasswd user, storage in tmp_path."""
    users = tmp_path / "users"
    users.write_text(f"{RADICALE_USER}:{RADICALE_PASSWORD}\n")
    port = free_port()
    command = [
        sys.executable, "-m", "radicale", "--config", "",
        "--server-hosts", f"127.0.0.1:{port}",
        "--storage-filesystem-folder", str(tmp_path / "collections"),
        "--auth-type", "htpasswd",
        "--auth-htpasswd-filename", str(users),
        "--auth-htpasswd-encryption", "plain",
        "--rights-type", "owner_only",
        "--logging-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, process)
        yield CalDavServer(f"http://127.0.0.1:{port}/", RADICALE_USER, RADICALE_PASSWORD)
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes
    location: str = ""
    drip_seconds: float = 0.0
    """Pause between 1 KB pieces of the body: a slow server."""


@dataclass
class FeedServer:
    """Serves whatever ``routes`` maps a path to."""

    base: str
    routes: dict[str, Reply] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    routes: dict[str, Reply] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            reply = routes.get(self.path, Reply(404, "text/plain", b"not found"))
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            if reply.location:
                self.send_header("Location", reply.location)
            self.end_headers()
            # the client may stop reading a body it refuses; that is the point
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.write_body(reply)

        def write_body(self, reply: Reply) -> None:
            if not reply.drip_seconds:
                self.wfile.write(reply.body)
                return
            for offset in range(0, len(reply.body), 1024):
                self.wfile.write(reply.body[offset : offset + 1024])
                self.wfile.flush()
                time.sleep(reply.drip_seconds)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FeedServer(f"http://127.0.0.1:{server.server_address[1]}", routes)
    finally:
        server.shutdown()
        server.server_close()
