"""Domain errors shared by every app: a service raises them, the API and the pages map them.

- ``DomainError``: the request is understood but the domain refuses it (HTTP 409 in the API,
  ``invalid_transition`` unless a subclass says otherwise).
- ``TransitionError``: the action is not allowed from the object's current state.
- ``ConflictError``: the object changed since the caller loaded it (``expected_version``).

Bad input stays Django's ``ValidationError`` and a refused actor ``PermissionDenied``.
"""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """The domain refuses the request; ``message`` is a sentence for people (lazy or not)."""

    code = "domain_error"

    def __init__(self, message: str | Promise) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class TransitionError(DomainError):
    """The action is not allowed from the object's current state."""

    code = "invalid_transition"


class ConflictError(TransitionError):
    """The object changed since the actor loaded it; reload and try again."""

    code = "conflict"


class IdempotencyKeyReused(DomainError):
    """An idempotency key already named another request (HTTP 422 in the API)."""

    code = "idempotency_key_reused"
