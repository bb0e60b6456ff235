"""A small plugin registry for outside parties (the open-forms pattern).

Each kind of plugin (notification channels, payment gateways, signing devices, SMS gateways…)
has one ``Registry``. Plugins register under a stable name::

    channels = Registry("notification channel")

    @channels.register("demo")
    class DemoChannel(Channel): ...

and the active one is chosen by name in settings (``registry.active(settings.X)``). Every
registry has a ``demo`` plugin that needs no credentials, so the platform runs with nothing
configured. Plugins live in ``<app>/contrib/<name>/`` and are imported by the app's
``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

P = TypeVar("P")


class Registry(Generic[P]):
    """Plugins of one kind by name. ``register(name)`` decorates a class; ``get(name)`` returns
    an instance of it, created once."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._classes: dict[str, type[P]] = {}
        self._instances: dict[str, P] = {}

    def register(self, name: str) -> Callable[[type[P]], type[P]]:
        if not name or not name.replace("_", "").replace("-", "").isalnum():
            raise ValueError(f"Bad {self.kind} plugin name {name!r}.")

        def decorator(cls: type[P]) -> type[P]:
            if name in self._classes and self._classes[name] is not cls:
                raise ValueError(f"The {self.kind} plugin {name!r} is registered twice.")
            self._classes[name] = cls
            cls.identifier = name  # type: ignore[attr-defined]
            return cls

        return decorator

    def unregister(self, name: str) -> None:
        """Remove a plugin (tests register throw-away plugins and take them out again)."""
        self._classes.pop(name, None)
        self._instances.pop(name, None)

    def get(self, name: str) -> P:
        """The plugin registered as ``name``; ``ImproperlyConfigured`` names the known ones."""
        if name not in self._classes:
            known = ", ".join(sorted(self._classes)) or "none"
            raise ImproperlyConfigured(f"No {self.kind} plugin {name!r} (known: {known}).")
        if name not in self._instances:
            self._instances[name] = self._classes[name]()
        return self._instances[name]

    def active(self, name: str) -> P:
        """The plugin a setting chooses; same as ``get`` but reads better at the call site."""
        return self.get(name)

    def names(self) -> list[str]:
        return sorted(self._classes)

    def __contains__(self, name: object) -> bool:
        return name in self._classes

    def __iter__(self) -> Iterator[tuple[str, P]]:
        for name in self.names():
            yield name, self.get(name)
