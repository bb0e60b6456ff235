"""Stored files that follow their transaction.

The database rolls a failed write back by itself; files written to storage meanwhile stay, with no
row pointing to them. A service that stores files runs in ``files_atomic`` instead of
``transaction.atomic`` and tells it each name it stores with ``stored_file_track``: if the block
rolls back (an exception leaves it, or Django marked it for rollback), the files stored inside it
are deleted. Nested blocks hand their files to the enclosing one when they succeed, since it may
still roll back.

Django has no "on rollback" hook, so a file stored outside any ``files_atomic`` block is not
tracked; a block inside a plain ``transaction.atomic`` cannot see that outer transaction roll back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, overload

from django.core.files.storage import Storage
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db import connections as db_connections

F = TypeVar("F", bound=Callable[..., Any])

_state = threading.local()  # per thread, like Django's database connections


def _stack(using: str) -> list[list[tuple[Storage, str]]]:
    stacks: dict[str, list[list[tuple[Storage, str]]]] = _state.__dict__.setdefault("stacks", {})
    return stacks.setdefault(using, [])


def stored_file_track(storage: Storage, name: str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Remember that ``name`` was just stored in ``storage`` by the innermost ``files_atomic``
    block (nothing happens outside one)."""
    stack = _stack(using)
    if stack:
        stack[-1].append((storage, name))


def files_tracked(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether a ``files_atomic`` block is open on this thread and database."""
    return bool(_stack(using))


def _delete(stored: list[tuple[Storage, str]]) -> None:
    for storage, name in stored:
        storage.delete(name)


@contextmanager
def _files_atomic(using: str) -> Iterator[None]:
    stack = _stack(using)
    stored: list[tuple[Storage, str]] = []
    stack.append(stored)
    committed = False
    try:
        with transaction.atomic(using=using):
            yield
            # Someone caught a database error inside: the block rolls back without raising.
            clean = not db_connections[using].needs_rollback
        committed = clean  # not reached when the commit itself fails
    finally:
        stack.pop()
        if not committed:
            _delete(stored)
        elif stack:
            stack[-1].extend(stored)


@overload
def files_atomic(func: F, *, using: str = ...) -> F: ...
@overload
def files_atomic(func: None = ..., *, using: str = ...) -> Any: ...
def files_atomic(func: Callable[..., Any] | None = None, *, using: str = DEFAULT_DB_ALIAS) -> Any:
    """``transaction.atomic`` that also deletes the files stored inside it if it rolls back.
    Use it bare as a decorator (``@files_atomic``) or as ``with files_atomic():``."""
    if callable(func):
        return _files_atomic(using)(func)
    return _files_atomic(using)
