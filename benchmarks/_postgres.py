"""A throwaway PostgreSQL cluster on a free loopback port, for benchmarks that need one."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator


def _bindir() -> str:
    """Debian keeps initdb, pg_ctl and createdb together only in the versioned folder."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if found:
        return found[-1]
    if shutil.which("initdb") and shutil.which("createdb"):
        return os.path.dirname(shutil.which("initdb") or "")
    if not found:
        raise SystemExit("PostgreSQL is not installed (Debian: apt-get install postgresql).")
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(command: list[str]) -> None:
    """initdb refuses to run as root: run as the postgres user then."""
    if os.geteuid() == 0:
        command = ["su", "postgres", "-c", " ".join(f"'{part}'" for part in command)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


@contextlib.contextmanager
def throwaway_postgres(max_connections: int = 200) -> Iterator[str]:
    """Yield a DATABASE_URL; the cluster and its files are gone afterwards."""
    bindir, port = _bindir(), _free_port()
    folder = tempfile.mkdtemp(prefix="secondround-pg-")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
        f"-c max_connections={max_connections}"
    )
    _as_postgres([f"{bindir}/initdb", "-D", folder, "-U", "postgres", "--auth=trust", "-E", "UTF8"])
    _as_postgres(
        [f"{bindir}/pg_ctl", "-D", folder, "-w", "-l", f"{folder}/log", "-o", options, "start"]
    )
    createdb = [f"{bindir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
    _as_postgres([*createdb, "secondround"])
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/secondround"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            _as_postgres([f"{bindir}/pg_ctl", "-D", folder, "-m", "immediate", "stop"])
        shutil.rmtree(folder, ignore_errors=True)
