"""A PostgreSQL cluster of its own, in a temporary folder on a free port, that a test may stop,
restart and crash at will (never the shared server of the machine or of CI)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def postgres_bindir() -> Path | None:
    """Where initdb and pg_ctl are: ``pg_config --bindir``, else Debian's newest version."""
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run(  # noqa: S603
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if found and (Path(found) / "initdb").exists():
            return Path(found)
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TempCluster:
    """``initdb`` into a temporary folder; ``start``, ``restart(mode)``, ``stop``, ``remove``.

    PostgreSQL refuses to run as root: as root, its commands run as the ``postgres`` user
    (Debian's package creates it). Trust authentication on 127.0.0.1 only; ``fsync`` off for
    speed (a stopped or crashed server loses nothing the operating system already holds).
    """

    def __init__(self) -> None:
        bindir = postgres_bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL's initdb was not found (install postgresql)")
        self.bindir = bindir
        self.port = _free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="tinhso-pg-"))
        self.data = self.dir / "data"
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.dir, user="postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        settings = (
            f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.dir}'\nfsync = off\nfull_page_writes = off\n"
            "max_connections = 50\n"
        )
        self._run("sh", "-c", f'printf %s "{settings}" >> {self.data}/postgresql.conf')

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def _run(self, command: str, *args: str) -> subprocess.CompletedProcess:
        program = str(self.bindir / command) if command != "sh" else "/bin/sh"
        line = [program, *args]
        if self.as_postgres:
            line = ["runuser", "-u", "postgres", "--", *line]
        return subprocess.run(line, check=True, capture_output=True, text=True)  # noqa: S603

    def _ctl(self, *args: str) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "server.log"), "-w", *args)

    def start(self) -> None:
        self._ctl("start")

    def restart(self, mode: str = "fast") -> None:
        """``pg_ctl restart -m fast`` (clients are disconnected cleanly) or ``-m immediate``
        (the server is killed; it replays its write-ahead log on start)."""
        self._ctl("-m", mode, "restart")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "stop")

    def remove(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass  # not running
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self) -> str:
        path = self.dir / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""
