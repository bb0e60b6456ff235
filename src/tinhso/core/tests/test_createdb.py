import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL databases are created"
)
MANAGE = Path(settings.BASE_DIR).parent.parent / "manage.py"


def database_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


@pytest.mark.django_db(transaction=True)
def test_createdb_creates_a_missing_database_once():
    db = settings.DATABASES["default"]
    name = f"tinhso_createdb_{uuid.uuid4().hex[:8]}"
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    env = {**os.environ, "DATABASE_URL": url}
    try:
        for expected in (f"Created the database {name}.", ""):  # the second run does nothing
            result = subprocess.run(
                [sys.executable, str(MANAGE), "createdb"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            assert result.stdout.strip() == expected
            assert database_exists(name)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
