import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL databases are created"
)
MANAGE = Path(settings.BASE_DIR).parent.parent / "manage.py"


def database_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def createdb(url: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(MANAGE), "createdb", *args],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.fixture
def scratch_database():
    """The URL and name of a PostgreSQL database that does not exist yet; dropped afterwards."""
    db = settings.DATABASES["default"]
    name = f"tinhso_createdb_{uuid.uuid4().hex[:8]}"
    yield f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}", name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_createdb_creates_a_missing_database_once(scratch_database):
    url, name = scratch_database
    for expected in (f"Created the database {name}.", ""):  # the second run does nothing
        assert createdb(url) == expected
        assert database_exists(name)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_createdb_drop_gives_an_empty_database(scratch_database):
    import psycopg

    url, name = scratch_database
    createdb(url)
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("CREATE TABLE left_over (id int)")
    assert createdb(url, "--drop") == f"Created the database {name}."
    with psycopg.connect(url) as c:
        tables = c.execute("SELECT count(*) FROM pg_tables WHERE tablename = 'left_over'")
        assert tables.fetchone() == (0,)


def test_createdb_drop_deletes_a_sqlite_file(tmp_path):
    path = tmp_path / "old.sqlite3"
    path.write_bytes(b"old")
    (tmp_path / "old.sqlite3-wal").write_bytes(b"old")
    createdb(f"sqlite:///{path}")
    assert path.exists(), "without --drop nothing is deleted"
    createdb(f"sqlite:///{path}", "--drop")
    assert not path.exists() and not (tmp_path / "old.sqlite3-wal").exists()
