"""scripts/pgcluster.py: a throw-away cluster under /tmp, removed when stopped."""

from __future__ import annotations

from pathlib import Path

from pipemap_test_pgsupport import pgcluster


def test_cluster_starts_in_tmp_and_is_removed(postgis):
    import psycopg2

    module = pgcluster()
    cluster = module.PgCluster()
    with cluster:
        folder = cluster.folder
        assert folder is not None and folder.parent == Path("/tmp") and (folder / "data").is_dir()
        params = cluster.create_database("probe")
        con = psycopg2.connect(**params)
        with con.cursor() as cur:
            cur.execute("SELECT postgis_lib_version(), current_setting('fsync'), inet_server_addr()::text")
            version, fsync, addr = cur.fetchone()
        con.close()
        assert version.startswith("3") and fsync == "off" and addr.startswith("127.0.0.1")
    assert not folder.exists()
    assert not cluster.started
    cluster.stop()  # a second stop is harmless


def test_cluster_of_a_crashed_process_is_removed(tmp_path):
    """A process that dies without stopping its cluster (no atexit, as in a segfault) leaves nothing behind."""
    import subprocess
    import sys
    import time

    script = tmp_path / "crash.py"
    script.write_text(
        "import os, sys\n"
        f"sys.path.insert(0, {str(Path(pgcluster().__file__).parent)!r})\n"
        "import pgcluster\n"
        "c = pgcluster.PgCluster().start()\n"
        "print(c.folder, flush=True)\n"
        "os._exit(3)\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    folder = Path(proc.stdout.strip())
    assert folder.parent == Path("/tmp")
    deadline = time.monotonic() + 30
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not folder.exists()
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(folder) not in ps
