"""The generic workflow every app's state machine stands on.

An app declares its transition table (``TransitionTable``: action → ``Transition``), one spec per
action on top of it, and writes services that, in one transaction,

1. lock the row and check the version the actor saw (``row_lock``),
2. check the table (``TransitionTable.check``) and the actor's right to act (the app's guard),
3. apply the action's effect, bump ``version``, append history, audit, and emit a domain event
   after commit.

``allowed_actions`` answers "which actions may this actor take now" by running the same checks
without writing, so the pages, the API and the services never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from tinhso.core.errors import ConflictError, TransitionError

StateT = TypeVar("StateT", bound=Hashable)
ModelT = TypeVar("ModelT", bound=models.Model)

CONFLICT_MESSAGE = _("Someone else has changed this in the meantime. Reload it and try again.")


@dataclass(frozen=True)
class Transition(Generic[StateT]):
    """From any of ``sources`` to ``target``; ``target`` ``None``: the service decides (e.g.
    back to the state before a pause). ``basis`` cites the legal or technical source."""

    sources: frozenset[StateT]
    target: StateT | None
    basis: str = ""


class TransitionTable(Generic[StateT]):
    """An explicit table of the legal transitions, checked in one place."""

    def __init__(
        self,
        transitions: Mapping[str, Transition[StateT]],
        *,
        state_label: Callable[[StateT], str],
        action_label: Callable[[str], str],
    ) -> None:
        self.transitions = dict(transitions)
        self.state_label = state_label
        self.action_label = action_label

    def __contains__(self, action: object) -> bool:
        return action in self.transitions

    def __iter__(self) -> Iterator[str]:
        return iter(self.transitions)

    def get(self, action: str) -> Transition[StateT]:
        try:
            return self.transitions[action]
        except KeyError:
            raise TransitionError(_("Unknown action.")) from None

    def check(self, action: str, state: StateT) -> Transition[StateT]:
        """The transition of ``action`` if it is legal from ``state``; else ``TransitionError``."""
        transition = self.get(action)
        if state not in transition.sources:
            raise TransitionError(
                _("Something that is “%(state)s” cannot be given the action “%(action)s”.")
                % {"state": self.state_label(state), "action": self.action_label(action)}
            )
        return transition

    def actions_from(self, state: StateT) -> list[str]:
        """The actions legal from ``state``, in table order (before any actor check)."""
        return [name for name, t in self.transitions.items() if state in t.sources]


def allowed_actions(candidates: Iterable[str], guard: Callable[[str], Any]) -> list[str]:
    """The ``candidates`` for which ``guard(action)`` raises neither ``TransitionError`` nor
    ``PermissionDenied``: the same checks a service runs, without writing anything."""
    allowed = []
    for action in candidates:
        try:
            guard(action)
        except (TransitionError, PermissionDenied):
            continue
        allowed.append(action)
    return allowed


def row_lock(
    queryset: models.QuerySet[ModelT],
    pk: Any,
    *,
    expected_version: int | None,
    message: Any = CONFLICT_MESSAGE,
) -> ModelT:
    """Lock the row ``pk`` of ``queryset`` for this transaction (``SELECT … FOR UPDATE``) and, when
    the caller says which ``version`` it saw, refuse with ``ConflictError`` if it has moved on.

    The model has a positive integer ``version`` that its services bump on every change
    (``version_bump``). Must run inside ``transaction.atomic``.
    """
    locked = queryset.select_for_update().get(pk=pk)
    if expected_version is not None and locked.version != expected_version:  # type: ignore[attr-defined]
        raise ConflictError(message)
    return locked


def version_bump(obj: models.Model) -> None:
    """Count one more change of ``obj`` (see ``row_lock``)."""
    obj.version += 1  # type: ignore[attr-defined]
