"""The cache every server process shares when no Redis is configured.

Rate limits (``core.ratelimit``), DRF's throttles and cached statistics live in the default cache.
A per-process cache (Django's LocMem) would give each process its own counts, so two workers
would double every limit: with nothing configured the default cache is this one, a table in the
site's own database (created by ``migrate``, see ``core.apps``); with ``REDIS_URL`` it is Redis.

Django's database cache counts with a read and a write (``BaseCache.incr``), so two processes
counting at once can lose a hit, and its write resets the entry's expiry. Here ``incr`` locks the
row first and changes the value only: every hit is counted and a window keeps its end.
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends import db
from django.db import connections, router, transaction


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
