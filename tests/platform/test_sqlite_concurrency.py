"""The embedded default (SQLite) under concurrent writers loses nothing.

`make demo` logged "Search indexing failed for toolbox: database is locked": under the ASGI server, views,
the chat and background work write from several threads, and a DEFERRED SQLite transaction that
read before it wrote fails at once when another holds the write lock. config/settings/base.py sets
WAL, IMMEDIATE transactions and a busy timeout; this runs writer threads through Django's own
connections with those settings, in a subprocess so that it uses SQLite whatever database the
suite runs on.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WRITERS = textwrap.dedent(
    """
    import sys, threading
    import django
    django.setup()
    from django.db import connection, connections, transaction

    THREADS, EACH = 8, 40
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE tally (n INTEGER UNIQUE NOT NULL, who TEXT)")
        cursor.execute("PRAGMA journal_mode")
        print("journal", cursor.fetchone()[0])
    errors = []

    def write(name):
        try:
            for _ in range(EACH):
                # Read, then write, in one transaction: what a service does.
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SELECT COALESCE(MAX(n), 0) FROM tally")
                    (top,) = cursor.fetchone()
                    cursor.execute("INSERT INTO tally (n, who) VALUES (%s, %s)", [top + 1, name])
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(f"t{i}",)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), MAX(n) FROM tally")
        print("rows", *cursor.fetchone())
    print("errors", len(errors), errors[:3])
    """
)


def run_writers(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'concurrent.sqlite3'}",
        }
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", WRITERS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_concurrent_writers_on_the_embedded_default_all_succeed(tmp_path):
    out = run_writers(tmp_path)
    assert "journal wal" in out, out
    assert "rows 320 320" in out, out  # 8 threads x 40 transactions, none lost, none doubled
    assert "errors 0 []" in out, out
