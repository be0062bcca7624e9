"""A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl into a temporary folder.

Used by the pytest plugin in ``tests/postgres.py``; runnable by hand as well, to try the CLI
against a real server (it prints the URL and stops the server on Enter):

    .venv/bin/python -m tests.pg_cluster

The server listens on 127.0.0.1 only, on a free port, with trust authentication (nothing but
this machine's own processes can reach it, and it lives only as long as the test session).
initdb refuses to run as root, so under root the cluster runs as an unprivileged system user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SERVICE_USER = "readbot-pg"  # created (no home, no login) when running as root without it
SUPERUSER = "readbot"  # the database role the tests connect as


class ClusterError(RuntimeError):
    """The server could not be set up; str() says what failed, with its output."""


def find_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: PATH first, then Debian's versioned folders."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):  # newest first
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run_as() -> str | None:
    """The user to run the server as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        SERVICE_USER], check=True, capture_output=True)
    return SERVICE_USER


@dataclass
class Cluster:
    """A running server; ``stop()`` shuts it down and deletes its data folder."""

    bin_dir: Path
    folder: Path
    port: int
    user: str | None

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _command(self, *args: str) -> list[str]:
        return ["runuser", "-u", self.user, "--", *args] if self.user else list(args)

    def _run(self, *args: str) -> None:
        done = subprocess.run(self._command(*args), capture_output=True, text=True,
                              cwd=self.folder)
        if done.returncode != 0:
            raise ClusterError(f"{' '.join(args)} failed ({done.returncode}):\n"
                               f"{done.stdout}\n{done.stderr}")

    def start(self) -> None:
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", SUPERUSER,
                  "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8")
        # No Unix socket (its default folder may not exist or be writable); TCP on loopback.
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories='' "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=200")
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-l",
                  str(self.folder / "server.log"), "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate",
                      "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join((self.folder / "server.log").read_text().splitlines()[-lines:])
        except OSError:
            return ""


def start_cluster(bin_dir: Path) -> Cluster:
    user = _run_as()
    folder = Path(tempfile.mkdtemp(prefix="readbot-pg-"))
    if user:
        shutil.chown(folder, user)
    cluster = Cluster(bin_dir, folder, _free_port(), user)
    try:
        cluster.start()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return cluster


if __name__ == "__main__":
    binaries = find_binaries()
    if binaries is None:
        raise SystemExit("no PostgreSQL server binaries (initdb, pg_ctl) found")
    running = start_cluster(binaries)
    print(running.url(), flush=True)
    try:
        input("PostgreSQL running; press Enter to stop it\n")
    finally:
        running.stop()
