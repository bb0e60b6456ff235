"""Domain events of accounts, sent after commit (``core.events.emit_after_commit``).

``account_message``: a message must go to a person about their account. ``notify`` listens
(``notify/receivers.py``) and sends it through ``notification_send``; accounts sits below notify
and never imports it. Payload: ``event`` (a ``notify`` event name such as
``"account.password_reset_code"``), ``user`` (the account, or ``None``), ``phone`` / ``email``
(the one address to use; empty: the account's own), ``context`` (the template's variables),
``object`` (what the message is about), ``language``.
"""

from django.dispatch import Signal

account_message = Signal()
