"""The cache every server process shares when no Redis is configured.

Rate limits (``core.ratelimit``), DRF's throttles and cached statistics live in the default cache.
A per-process cache (Django's LocMem) would give each process its own counts, so two workers
would double every limit: with nothing configured the default cache is this one, a table in the
site's own database (created by ``migrate``, see ``core.apps``); with ``REDIS_URL`` it is Redis.

Django's database cache counts with a read and a write (``BaseCache.incr``), so two processes
counting at once can lose a hit, and its write resets the entry's expiry. Here ``incr`` locks the
row first and changes the value only: every hit is counted and a window keeps its end.

The rate limits themselves (django-ratelimit: ``add`` then ``incr`` of one key per client and
window) count in ``CounterCache`` instead: a plain integer column in its own table
(``core.RateCounter``), so each of the two is one statement, and the row lock lasts as long as
that statement. Pickled values in the cache table need a transaction of four round trips per hit
holding the lock, and every client behind one address waits for it in turn: under 32
connections the tracking page's p99 was 0.5–2 s (bench/RESULTS.md, issue 7).
"""

from __future__ import annotations

import base64
import datetime as dt
import pickle
import random
from typing import Any

from django.core.cache.backends import db
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connections, router, transaction
from django.utils import timezone


class DatabaseCache(db.DatabaseCache):
    """Django's database cache with an atomic ``incr`` (a row lock; SQLite's immediate
    transactions serialise writers the same way)."""

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        db_key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        quote = connection.ops.quote_name
        table, column = quote(self._table), quote("cache_key")  # type: ignore[attr-defined]
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {column} FROM {table} WHERE {column} = %s{lock}",  # noqa: S608
                    [db_key],
                )
            value = self.get(key, self._missing_key, version=version)
            if value is self._missing_key:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET {quote('value')} = %s WHERE {column} = %s",  # noqa: S608
                    [encoded, db_key],
                )
        return value


class CounterCache(BaseCache):
    """Integer counters for django-ratelimit (``RATELIMIT_USE_CACHE``), one row each in
    ``core.RateCounter``, shared by every process through the database.

    ``add`` (a new window: ``INSERT … ON CONFLICT`` that replaces only an expired row) and
    ``incr`` (``UPDATE … SET count = count + delta … RETURNING``) are one statement each, atomic
    on PostgreSQL and SQLite alike: every hit is counted, a window keeps its end. ``get``,
    ``set``, ``delete`` and ``clear`` complete the cache API. Values are integers; anything else
    raises ``TypeError``. About one ``add`` in ``PRUNE_ONE_IN`` deletes the expired rows.
    """

    PRUNE_ONE_IN = 500

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        from tinhso.core.models import RateCounter

        self._table = RateCounter._meta.db_table

    def _cursor(self):
        from tinhso.core.models import RateCounter

        return connections[router.db_for_write(RateCounter)].cursor()

    def _expires(self, timeout: Any) -> Any:
        seconds = self.default_timeout if timeout is DEFAULT_TIMEOUT else timeout
        # None: no expiry; a year is as good for a counter of a window.
        return timezone.now() + dt.timedelta(seconds=31536000 if seconds is None else seconds)

    @staticmethod
    def _int(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"CounterCache holds integers, not {type(value).__name__}")
        return value

    def _prune_sometimes(self, cursor: Any, now: Any) -> None:
        """About once in ``PRUNE_ONE_IN`` new hits, delete the counters of windows past."""
        if random.randrange(self.PRUNE_ONE_IN) == 0:  # noqa: S311 - not for security
            cursor.execute(f"DELETE FROM {self._table} WHERE expires < %s", [now])  # noqa: S608

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        now = timezone.now()
        with self._cursor() as cursor:
            self._prune_sometimes(cursor, now)
            cursor.execute(
                f"INSERT INTO {self._table} (key, count, expires) VALUES (%s, %s, %s) "  # noqa: S608
                f"ON CONFLICT (key) DO UPDATE SET count = excluded.count, "
                f"expires = excluded.expires WHERE {self._table}.expires < %s RETURNING count",
                [key, self._int(value), self._expires(timeout), now],
            )
            return cursor.fetchone() is not None

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        with self._cursor() as cursor:
            cursor.execute(
                f"UPDATE {self._table} SET count = count + %s "  # noqa: S608
                "WHERE key = %s AND expires >= %s RETURNING count",
                [self._int(delta), key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            raise ValueError(f"Key '{key}' not found")
        return int(row[0])

    def hit(self, key: Any, timeout: int, version: Any = None) -> int:
        """Count one hit of ``key`` and return the count, in one statement: ``add`` of 1 for a
        new (or expired) window, else ``incr``. ``core.ratelimit.rate_limit_hit`` uses it."""
        key = self.make_and_validate_key(key, version=version)
        now = timezone.now()
        table = self._table
        with self._cursor() as cursor:
            self._prune_sometimes(cursor, now)
            cursor.execute(
                f"INSERT INTO {table} (key, count, expires) VALUES (%s, 1, %s) "  # noqa: S608
                f"ON CONFLICT (key) DO UPDATE SET "
                f"count = CASE WHEN {table}.expires < %s THEN 1 ELSE {table}.count + 1 END, "
                f"expires = CASE WHEN {table}.expires < %s THEN excluded.expires "
                f"ELSE {table}.expires END RETURNING count",
                [key, self._expires(timeout), now, now],
            )
            return int(cursor.fetchone()[0])

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        with self._cursor() as cursor:
            cursor.execute(
                f"SELECT count FROM {self._table} WHERE key = %s AND expires >= %s",  # noqa: S608
                [key, timezone.now()],
            )
            row = cursor.fetchone()
        return default if row is None else int(row[0])

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        with self._cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self._table} (key, count, expires) VALUES (%s, %s, %s) "  # noqa: S608
                "ON CONFLICT (key) DO UPDATE SET count = excluded.count, expires = excluded.expires",
                [key, self._int(value), self._expires(timeout)],
            )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._cursor() as cursor:
            cursor.execute(
                f"UPDATE {self._table} SET expires = %s WHERE key = %s",  # noqa: S608
                [self._expires(timeout), key],
            )
            return cursor.rowcount > 0

    def delete(self, key: Any, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._cursor() as cursor:
            cursor.execute(f"DELETE FROM {self._table} WHERE key = %s", [key])  # noqa: S608
            return cursor.rowcount > 0

    def clear(self) -> None:
        with self._cursor() as cursor:
            cursor.execute(f"DELETE FROM {self._table}")  # noqa: S608
