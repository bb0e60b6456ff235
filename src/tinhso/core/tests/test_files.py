"""Stored files follow their transaction (``core.files``)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction

from tinhso.core.files import files_atomic, files_tracked, stored_file_track

pytestmark = pytest.mark.django_db


def _store(name: str) -> str:
    stored = default_storage.save(name, ContentFile(b"x"))
    stored_file_track(default_storage, stored)
    return stored


def test_a_failed_block_deletes_what_it_stored():
    with pytest.raises(RuntimeError), files_atomic():
        name = _store("a.txt")
        raise RuntimeError
    assert not default_storage.exists(name)
    assert not files_tracked()


def test_a_committed_block_keeps_its_files():
    with files_atomic():
        name = _store("b.txt")
    assert default_storage.exists(name)


def test_an_inner_success_goes_if_the_outer_block_fails():
    @files_atomic
    def inner() -> str:
        return _store("c.txt")

    with pytest.raises(RuntimeError), files_atomic():
        name = inner()
        assert default_storage.exists(name)
        raise RuntimeError
    assert not default_storage.exists(name)


def test_an_inner_failure_caught_outside_deletes_only_its_own():
    with files_atomic():
        kept = _store("d.txt")
        try:
            with files_atomic():
                lost = _store("e.txt")
                raise RuntimeError
        except RuntimeError:
            pass
    assert default_storage.exists(kept)
    assert not default_storage.exists(lost)


def test_a_block_marked_for_rollback_without_an_exception_deletes_its_files():
    with files_atomic():
        name = _store("f.txt")
        with transaction.atomic(savepoint=False):
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT * FROM no_such_table")
            except DatabaseError:
                transaction.set_rollback(True)
    assert not default_storage.exists(name)


def test_outside_a_block_nothing_is_tracked():
    name = _store("g.txt")
    assert default_storage.exists(name)
