"""Who acts: a signed-in person (a ``User``) or a system actor.

A system actor is a machine the platform trusts for some actions: a payment gateway's callback, a
PBX, an Open311 client, a scheduled job. It holds only the permissions it is created with, has no
agency and no user row, and is recorded as such: ``DossierEvent.actor_system`` and
``AuditLog.actor_system`` carry its ``name`` (e.g. ``"payments:vnpay"``), never a person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


@dataclass(frozen=True)
class SystemActor:
    """A machine acting through services. ``name`` is ``"<kind>:<which>"``, stable and short
    (at most 64 characters); ``permissions`` are Django permission names it holds."""

    name: str
    label: str = ""
    permissions: frozenset[str] = field(default_factory=frozenset)

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_system = True
    pk = None
    id = None

    def __post_init__(self) -> None:
        if not self.name or len(self.name) > 64 or ":" not in self.name:
            raise ValueError("A system actor's name is '<kind>:<which>', at most 64 characters.")

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return perm in self.permissions

    def has_perms(self, perms: Iterable[str], obj: object = None) -> bool:
        return all(self.has_perm(perm) for perm in perms)

    def __str__(self) -> str:
        return self.label or self.name


def system_actor(name: str, *permissions: str, label: str = "") -> SystemActor:
    """A system actor holding ``permissions``: ``system_actor("scheduler:apologies")``."""
    return SystemActor(name=name, label=label, permissions=frozenset(permissions))


Actor: TypeAlias = "AbstractBaseUser | AnonymousUser | SystemActor"


def is_system(actor: Any) -> bool:
    return isinstance(actor, SystemActor)


def actor_user(actor: Any) -> Any:
    """The user row to store as the actor, or ``None`` (anonymous or a system actor)."""
    if actor is None or is_system(actor) or not getattr(actor, "is_authenticated", False):
        return None
    return actor


def actor_system_name(actor: Any) -> str:
    """The system actor's name to store beside a null user, or ``""``."""
    return actor.name if isinstance(actor, SystemActor) else ""
