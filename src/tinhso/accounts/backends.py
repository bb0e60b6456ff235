from django.contrib.auth.backends import ModelBackend

from tinhso.accounts.models import User
from tinhso.accounts.selectors import user_for_login


class PhoneOrEmailBackend(ModelBackend):
    """Sign in with a user name, a phone number (any notation) or an e-mail address (any case).

    The sign-in limiter (django-axes, ``accounts.lockout``) runs before this backend in
    ``AUTHENTICATION_BACKENDS``: every way in that calls ``authenticate()`` is limited.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        user = user_for_login(username)
        if user is None:
            User().set_password(password)  # same cost as a real check: no user enumeration
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
