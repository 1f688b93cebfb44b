#!/usr/bin/env python3
"""A throw-away PostgreSQL + PostGIS cluster for tests and benchmarks.

The cluster lives in a fresh ``mktemp -d`` folder under /tmp (never under
/root, whose mode 700 would lock out the ``postgres`` user), listens on
127.0.0.1 on a free port with trust authentication, runs with ``fsync=off``
and is stopped and removed when the :class:`PgCluster` is closed -- or, as
safety nets, when the Python process exits (``atexit``) and, should it die
without cleaning up (a crash, a kill), by a small watchdog process. As root
the server runs as the ``postgres`` user through ``runuser -u postgres --``;
otherwise as the current user.

Use it from Python::

    with PgCluster() as cluster:
        params = cluster.create_database("pipemap_test")   # PostGIS enabled
        psycopg2.connect(**params)

or from a shell (PGHOST, PGPORT, PGUSER and PGDATABASE are set for CMD)::

    scripts/pgcluster.py run -- psql -c 'SELECT postgis_full_version()'
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SUPERUSER = "postgres"


class ClusterError(RuntimeError):
    """The cluster could not be created or started (the message says why)."""


def find_bindir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` that has initdb, pg_ctl and PostGIS."""
    candidates = []
    for initdb in Path("/usr/lib/postgresql").glob("*/bin/initdb"):
        version = initdb.parent.parent.name
        if not (initdb.parent / "pg_ctl").is_file():
            continue
        has_postgis = Path(f"/usr/share/postgresql/{version}/extension/postgis.control").is_file()
        key = int(version) if version.isdigit() else 0
        candidates.append((has_postgis, key, initdb.parent))
    if not candidates:
        return None
    return max(candidates)[2]


def availability() -> tuple[bool, str]:
    """(True, "") when a cluster can be started here, else (False, the reason)."""
    bindir = find_bindir()
    if bindir is None:
        return False, ("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); "
                       "apt install postgresql-postgis")
    version = bindir.parent.name
    if not Path(f"/usr/share/postgresql/{version}/extension/postgis.control").is_file():
        return False, f"PostGIS is not installed for PostgreSQL {version}; apt install postgresql-{version}-postgis-3"
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return False, "psycopg2 is not importable; apt install python3-psycopg2"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return False, "running as root but runuser is missing (util-linux)"
    return True, ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgCluster:
    """One throw-away cluster. ``start()`` it (or use ``with``), ``stop()`` removes it."""

    def __init__(self, bindir: Path | None = None, port: int | None = None, settings: dict[str, str] | None = None,
                 keep: bool = False) -> None:
        self.bindir = bindir or find_bindir()
        self.port = port
        self.settings = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                         "max_connections": "50", **(settings or {})}
        self.keep = keep
        self.folder: Path | None = None
        self.started = False
        self._as_root = os.geteuid() == 0
        self._watchdog: subprocess.Popen[bytes] | None = None

    # -- running commands as the cluster's owner ---------------------------------------------------------------

    def _cmd(self, *args: str) -> list[str]:
        prefix = ["runuser", "-u", SUPERUSER, "--"] if self._as_root else []
        return prefix + list(args)

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
        proc = subprocess.run(self._cmd(*args), capture_output=True, timeout=timeout, check=False)
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout or b"").decode(errors="replace").strip()
            raise ClusterError(f"{Path(args[0]).name} failed ({proc.returncode}): {detail[-800:]}")
        return proc

    @property
    def user(self) -> str:
        """The superuser of the cluster."""
        return SUPERUSER if self._as_root else (os.environ.get("USER") or SUPERUSER)

    def params(self, dbname: str = "postgres") -> dict[str, Any]:
        """psycopg2/libpq keyword arguments for a database of this cluster."""
        if not self.started:
            raise ClusterError("the cluster is not running")
        return {"host": "127.0.0.1", "port": self.port, "user": self.user, "dbname": dbname}

    # -- life cycle ----------------------------------------------------------------------------------------------

    def start(self) -> PgCluster:
        ok, reason = availability()
        if not ok or self.bindir is None:
            raise ClusterError(reason or "PostgreSQL is not installed")
        self.folder = Path(tempfile.mkdtemp(prefix="pipemap-pg-", dir="/tmp"))
        atexit.register(self.stop)
        if self._as_root:
            shutil.chown(self.folder, SUPERUSER, SUPERUSER)
        data = self.folder / "data"
        self._run(str(self.bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", self.user, "-E", "UTF8",
                  "--no-locale", "--no-sync")
        last_error: Exception | None = None
        for _attempt in range(3):  # a free port can be taken by someone else before we bind it
            port = self.port or free_port()
            opts = [f"-p {port}", "-c listen_addresses=127.0.0.1", f"-c unix_socket_directories={self.folder}"]
            opts += [f"-c {k}={v}" for k, v in self.settings.items()]
            try:
                self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-o", " ".join(opts), "-l",
                          str(self.folder / "server.log"), "-w", "-t", "60", "start")
            except ClusterError as exc:
                last_error = exc
                if self.port:
                    break
                continue
            self.port = port
            self.started = True
            self._start_watchdog()
            return self
        log = self.folder / "server.log"
        tail = log.read_text(errors="replace")[-800:] if log.is_file() else ""
        self.stop()
        raise ClusterError(f"the server did not start: {last_error} {tail}".strip())

    def _start_watchdog(self) -> None:
        """A small process that stops and removes the cluster if this process dies without doing it
        (a crash or a kill skips ``atexit``)."""
        assert self.folder is not None and self.bindir is not None
        self._watchdog = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "watch", str(os.getpid()), str(self.folder),
             str(self.bindir), "1" if self._as_root else "0", "1" if self.keep else "0"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def stop(self) -> None:
        """Stop the server (immediately) and remove its folder; safe to call twice."""
        watchdog, self._watchdog = getattr(self, "_watchdog", None), None
        if watchdog is not None and watchdog.poll() is None:
            watchdog.terminate()
            watchdog.wait(10)
        folder, self.folder = self.folder, None
        if folder is None:
            return
        if self.started and self.bindir is not None:
            subprocess.run(self._cmd(str(self.bindir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate",
                                     "-w", "stop"), capture_output=True, timeout=120, check=False)
        self.started = False
        if not self.keep:
            shutil.rmtree(folder, ignore_errors=True)

    def __enter__(self) -> PgCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- databases -----------------------------------------------------------------------------------------------

    def create_database(self, name: str, postgis: bool = True) -> dict[str, Any]:
        """Create a database (with ``CREATE EXTENSION postgis``); returns its connection parameters."""
        import psycopg2
        from psycopg2 import sql

        con = psycopg2.connect(**self.params())
        try:
            con.autocommit = True
            with con.cursor() as cur:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        finally:
            con.close()
        params = self.params(name)
        if postgis:
            con = psycopg2.connect(**params)
            try:
                con.autocommit = True
                with con.cursor() as cur:
                    cur.execute("CREATE EXTENSION postgis")
            finally:
                con.close()
        return params


def _watch(pid: int, folder: Path, bindir: Path, as_root: bool, keep: bool) -> int:
    """Wait for process ``pid`` to end, then stop the cluster in ``folder`` and remove it."""
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        except PermissionError:
            pass
        time.sleep(1.0)
    if (folder / "data" / "postmaster.pid").is_file():
        prefix = ["runuser", "-u", SUPERUSER, "--"] if as_root else []
        subprocess.run(prefix + [str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=120, check=False)
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="action", required=True)
    run = sub.add_parser("run", help="start a cluster, run CMD with PGHOST/PGPORT/PGUSER/PGDATABASE set, stop it")
    run.add_argument("--dbname", default="pipemap", help="database to create with PostGIS (default: pipemap)")
    run.add_argument("cmd", nargs=argparse.REMAINDER, help="the command (after --)")
    sub.add_parser("check", help="say whether a cluster can be started here")
    watch = sub.add_parser("watch", help=argparse.SUPPRESS)
    watch.add_argument("pid", type=int)
    watch.add_argument("folder", type=Path)
    watch.add_argument("bindir", type=Path)
    watch.add_argument("as_root")
    watch.add_argument("keep")
    args = parser.parse_args(argv)
    if args.action == "watch":
        return _watch(args.pid, args.folder, args.bindir, args.as_root == "1", args.keep == "1")
    if args.action == "check":
        ok, reason = availability()
        print("available" if ok else f"not available: {reason}")
        return 0 if ok else 1
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        parser.error("give a command after --")
    t0 = time.perf_counter()
    with PgCluster() as cluster:
        params = cluster.create_database(args.dbname)
        print(f"pgcluster: PostgreSQL on 127.0.0.1:{cluster.port} database {args.dbname} "
              f"(ready in {time.perf_counter() - t0:.1f} s)", file=sys.stderr)
        env = dict(os.environ, PGHOST=str(params["host"]), PGPORT=str(params["port"]), PGUSER=str(params["user"]),
                   PGDATABASE=str(params["dbname"]))
        return subprocess.call(cmd, env=env)


if __name__ == "__main__":
    sys.exit(main())
