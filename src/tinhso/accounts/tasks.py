"""Background work of accounts: thin tasks that call the services.

The registration and the reset request hand their look-up and sending here, so the request
does the same work whether or not an account has the phone or e-mail typed (no timing tells).
"""

from django_tasks import task


@task()
def signup_deliver(*, code_id: int) -> None:
    """Send a registration's code, or tell the owners of the phone or e-mail it named."""
    from tinhso.accounts.services import signup_deliver as deliver

    deliver(code_id=code_id)


@task()
def password_reset_deliver(*, code_id: int) -> None:
    """Send a reset code to the account the request named, if one has it."""
    from tinhso.accounts.services import password_reset_deliver as deliver

    deliver(code_id=code_id)
