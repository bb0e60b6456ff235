"""``manage.py api_token_create USERNAME``: issue an API token from the command line and print
its key (the only time it is shown). With ``--scope`` it is an integration token limited to
those scopes, otherwise a personal one."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tinhso.accounts.models import ApiToken, User
from tinhso.accounts.scopes import SCOPES
from tinhso.accounts.tokens import token_issue
from tinhso.core.actors import system_actor

ACTOR = system_actor("accounts:command", label="manage.py api_token_create")


class Command(BaseCommand):
    help = "Issue an API token for a user and print its key once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument(
            "--scope",
            action="append",
            default=[],
            choices=sorted(SCOPES),
            help="An integration token's scope (repeat for several).",
        )
        parser.add_argument("--days", type=int, default=None, help="Lifetime in days.")

    def handle(self, *args, username, name, scope, days, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        kind = ApiToken.Kind.INTEGRATION if scope else ApiToken.Kind.PERSONAL
        try:
            token, key = token_issue(
                user=user,
                actor=ACTOR,
                name=name or "manage.py api_token_create",
                kind=kind,
                scopes=scope,
                days=days,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stderr.write(f"Token {token.pk} ({kind}) for {username}, until {token.expires_at}:")
        self.stdout.write(key)
