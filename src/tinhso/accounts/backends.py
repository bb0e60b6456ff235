from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from tinhso.accounts.models import User


class PhoneOrEmailBackend(ModelBackend):
    """Sign in with a username, a phone number or an e-mail address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        login = username.strip()
        user = (
            User.objects.filter(
                Q(username=login) | Q(phone=login) | Q(email__iexact=login) & ~Q(email="")
            )
            .order_by("pk")
            .first()
        )
        if user is None:
            User().set_password(password)  # same cost as a real check: no user enumeration
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
