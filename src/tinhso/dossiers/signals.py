"""The dossier service's domain events, sent after commit (``core.events.emit_after_commit``).

``dossier_event`` is sent once per history entry with keyword arguments:

- ``event``: the action recorded (a ``dossiers.actions.Action`` value: ``"receive"``,
  ``"request_supplement"``, ``"apology"``…);
- ``dossier_id``, ``event_id``: primary keys (read the rows again: they are committed);
- ``from_status``, ``to_status``: national status codes (``from_status`` ``None`` on submit);
- ``actor_id``: the user's id or ``None``; ``actor_system``: a system actor's name or ``""``.

Listeners (``receivers.py`` of any app, connected in ``AppConfig.ready``) must be quick or
enqueue a task; they never write to the dossier itself.
"""

from django.dispatch import Signal

dossier_event = Signal()
