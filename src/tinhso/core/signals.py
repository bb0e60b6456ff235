"""Text is stored in NFC, whichever way it came in (ADR 8).

Forms, the API, Excel imports, management commands, the admin and the demo seed all end in a
model's ``save()`` (or ``bulk_create``, which calls each field's ``pre_save``): this is the one
place every channel passes. ``text_normalize_on_save`` puts every ``CharField`` and ``TextField``
of the project's models in NFC before the row is written; the stored keys (``SortKeyField``,
``FoldedTextField``) are computed from those values by their own ``pre_save``.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import models

from tinhso.core.text import DerivedTextField, nfc


@functools.cache
def _text_fields(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, DerivedTextField)
    )


@functools.cache
def _derived_fields(model: type[models.Model]) -> tuple[DerivedTextField, ...]:
    return tuple(f for f in model._meta.concrete_fields if isinstance(f, DerivedTextField))


def _is_project_model(model: type[models.Model]) -> bool:
    return model.__module__.startswith("tinhso.")


def text_normalize(instance: models.Model) -> None:
    """Put every text field of ``instance`` in NFC (in place); for ``bulk_update`` callers."""
    for attname in _text_fields(type(instance)):
        value = getattr(instance, attname)
        if isinstance(value, str):
            setattr(instance, attname, nfc(value))
    for field in _derived_fields(type(instance)):
        setattr(instance, field.attname, field.value_for(instance))


def text_normalize_on_save(sender: type[models.Model], instance: models.Model, **kwargs: Any):
    if _is_project_model(sender):
        text_normalize(instance)


def derived_text_after_partial_save(
    sender: type[models.Model],
    instance: models.Model,
    update_fields: frozenset[str] | None = None,
    raw: bool = False,
    **kwargs: Any,
) -> None:
    """``save(update_fields=["name"])`` writes only the fields it names: write the stored keys
    computed from them too."""
    if raw or update_fields is None or not _is_project_model(sender):
        return
    stale = {
        field.attname: field.value_for(instance)
        for field in _derived_fields(sender)
        if field.name not in update_fields
        and any(source.split("__")[0] in update_fields for source in field.sources)
    }
    if stale:
        sender._default_manager.filter(pk=instance.pk).update(**stale)


def derived_text_refresh(model: type[models.Model], *, batch_size: int = 500) -> int:
    """Recompute the stored keys (``SortKeyField``, ``FoldedTextField``) of every row of
    ``model`` and write those that changed; returns how many rows changed. Used by the data
    migrations that add the keys (with the historical model) and by ``manage.py
    text_keys_refresh`` after ``core.text``'s rules change."""
    fields = _derived_fields(model) or tuple(
        f for f in model._meta.concrete_fields if isinstance(f, DerivedTextField)
    )
    if not fields:
        return 0
    changed: list[models.Model] = []
    count = 0
    for row in model._default_manager.order_by("pk").iterator(chunk_size=batch_size):
        dirty = False
        for field in fields:
            value = field.value_for(row)
            if getattr(row, field.attname) != value:
                setattr(row, field.attname, value)
                dirty = True
        if dirty:
            changed.append(row)
        if len(changed) >= batch_size:
            model._default_manager.bulk_update(changed, [f.name for f in fields])
            count += len(changed)
            changed = []
    if changed:
        model._default_manager.bulk_update(changed, [f.name for f in fields])
        count += len(changed)
    return count
