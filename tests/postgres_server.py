"""A throwaway PostgreSQL 15 server on 127.0.0.1 for the tests: initdb into a temporary directory,
pg_ctl start on a free port, one database, pg_ctl stop on exit.

PostgreSQL refuses to run as root: as root (CI), the server runs as the `postgres` account that
Debian's package creates. `make postgres` installs the package.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN_DIR = Path("/usr/lib/postgresql/15/bin")
DATABASE = "streamgauge"
USER = "streamgauge"
PASSWORD = "streamgauge-test"  # a throwaway server on loopback, gone when the tests end


def available() -> bool:
    return (BIN_DIR / "pg_ctl").exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def postgres_server() -> Iterator[str]:
    """A running server; yields the connection string dlt takes (`postgresql://user:password@host:port/db`)."""
    directory = Path(tempfile.mkdtemp(prefix="streamgauge-pg-"))
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        account = pwd.getpwnam("postgres")
        os.chown(directory, account.pw_uid, account.pw_gid)
    data = directory / "data"
    password_file = directory / "password"
    password_file.write_text(PASSWORD + "\n")
    if as_root:
        os.chown(password_file, account.pw_uid, account.pw_gid)
    port = _free_port()

    def run(*command: str) -> None:
        subprocess.run([*prefix, *command], check=True, capture_output=True, text=True)

    try:
        run(
            str(BIN_DIR / "initdb"),
            "-D",
            str(data),
            "-U",
            USER,
            "--auth=scram-sha-256",
            f"--pwfile={password_file}",
            "--encoding=UTF8",
            "--locale=C",
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {directory} -c fsync=off -c synchronous_commit=off"
        run(str(BIN_DIR / "pg_ctl"), "-D", str(data), "-l", str(directory / "server.log"), "-o", options, "-w", "start")
        try:
            environment = {**os.environ, "PGPASSWORD": PASSWORD}
            subprocess.run(
                [str(BIN_DIR / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, DATABASE],
                check=True,
                env=environment,
                capture_output=True,
            )
            yield f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{port}/{DATABASE}"
        finally:
            run(str(BIN_DIR / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(directory, ignore_errors=True)
