"""What an integration token may do: its scopes, and how each API view declares the one it needs.

A view says which scope each of its actions (for a viewset) or methods (for a plain view) needs
in ``required_scopes``, next to its code::

    class DossierViewSet(...):
        required_scopes = {"list": DOSSIERS_READ, "create": DOSSIERS_SUBMIT, ...}

An action or method the view does not name is refused to integration tokens (403); ``ANY``
lets every token through (revoking the token in use). Personal tokens and web sessions are not
limited by scopes: they act with their owner's rights. The catalogue and tracking are public and
ignore tokens altogether, so they need no scope. ``HasTokenScope``
(``tinhso.accounts.authentication``) checks them on every API view.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

DOSSIERS_READ = "dossiers:read"
DOSSIERS_SUBMIT = "dossiers:submit"
DOSSIERS_ACT = "dossiers:act"
ANY = "*"

# Every scope with what it lets an integration do (shown where tokens are created).
SCOPES = {
    DOSSIERS_READ: _("Read dossiers the owner may see: lists, details, allowed actions and files"),
    DOSSIERS_SUBMIT: _("Submit dossiers online in the owner's name"),
    DOSSIERS_ACT: _("Act on dossiers as the owner: receive, forward, supplement, withdraw…"),
}


def scope_choices() -> list[tuple[str, str]]:
    return [(scope, f"{scope}: {label}") for scope, label in SCOPES.items()]


def view_required_scope(view: Any, method: str) -> str | None:
    """The scope ``view`` declares for the current action (viewsets) or ``method``, or ``None``
    when it declares none (integration tokens are then refused)."""
    declared: dict[str, str] = getattr(view, "required_scopes", None) or {}
    action = getattr(view, "action", None)
    if action and action in declared:
        return declared[action]
    return declared.get(method)
