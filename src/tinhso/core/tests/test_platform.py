"""The platform pieces every app stands on: registry, system actors, workflow, events."""

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.dispatch import Signal
from django.utils import translation

from tinhso.core.actors import SystemActor, actor_system_name, actor_user, system_actor
from tinhso.core.errors import ConflictError, DomainError, TransitionError
from tinhso.core.events import emit_after_commit
from tinhso.core.plugins import Registry
from tinhso.core.workflow import Transition, TransitionTable, allowed_actions, row_lock


# --- registry -----------------------------------------------------------------------------------
def test_registry_returns_the_plugin_chosen_by_name_once():
    things = Registry("thing")

    @things.register("demo")
    class Demo:
        pass

    @things.register("second")
    class Second:
        pass

    assert things.names() == ["demo", "second"]
    assert isinstance(things.active("second"), Second)
    assert things.get("demo") is things.get("demo")
    assert Demo.identifier == "demo"
    assert "second" in things and "third" not in things


def test_registry_refuses_unknown_names_duplicates_and_bad_names():
    things = Registry("thing")
    things.register("demo")(type("A", (), {}))
    with pytest.raises(ImproperlyConfigured, match="known: demo"):
        things.get("vnpay")
    with pytest.raises(ValueError):
        things.register("demo")(type("B", (), {}))
    with pytest.raises(ValueError):
        things.register("bad name!")
    things.unregister("demo")
    assert things.names() == []


# --- actors -------------------------------------------------------------------------------------
def test_a_system_actor_holds_only_the_permissions_it_is_given():
    gateway = system_actor("payments:vnpay", "dossiers.process_dossier", label="VNPay")
    assert gateway.is_authenticated and gateway.is_system and gateway.pk is None
    assert gateway.has_perm("dossiers.process_dossier")
    assert not gateway.has_perm("dossiers.view_all_agencies")
    assert actor_user(gateway) is None and actor_system_name(gateway) == "payments:vnpay"
    assert str(gateway) == "VNPay"
    with pytest.raises(ValueError):
        SystemActor(name="no-kind")
    with pytest.raises(ValueError):
        SystemActor(name="x:" + "y" * 80)


def test_a_person_is_recorded_as_a_user_and_an_anonymous_visitor_as_no_one(db):
    from django.contrib.auth.models import AnonymousUser

    from tinhso.testing.factories import UserFactory

    user = UserFactory()
    assert actor_user(user) == user and actor_system_name(user) == ""
    assert actor_user(AnonymousUser()) is None and actor_user(None) is None


# --- workflow -----------------------------------------------------------------------------------
TABLE = TransitionTable(
    {
        "open": Transition(frozenset({"new"}), "open", "a basis"),
        "close": Transition(frozenset({"new", "open"}), "closed"),
    },
    state_label=str.upper,
    action_label=str.title,
)


def test_the_table_checks_each_action_against_the_state():
    assert TABLE.check("open", "new").target == "open"
    with translation.override("en"), pytest.raises(TransitionError) as refused:
        TABLE.check("open", "closed")
    assert "“CLOSED”" in str(refused.value) and "“Open”" in str(refused.value)
    with pytest.raises(TransitionError):
        TABLE.check("fly", "new")
    assert TABLE.actions_from("open") == ["close"]
    assert list(TABLE) == ["open", "close"] and "close" in TABLE


def test_allowed_actions_keeps_those_the_guard_lets_through():
    def guard(action):
        TABLE.check(action, "open")
        if action == "close":
            raise PermissionDenied

    assert allowed_actions(["open", "close"], guard) == []
    assert allowed_actions(["close"], lambda a: TABLE.check(a, "new")) == ["close"]


def test_domain_errors_form_one_family_with_codes():
    assert issubclass(ConflictError, TransitionError) and issubclass(TransitionError, DomainError)
    assert ConflictError("x").code == "conflict"
    assert TransitionError("x").code == "invalid_transition"
    assert str(DomainError("Không được")) == "Không được"


@pytest.mark.django_db(transaction=True)
def test_row_lock_refuses_a_stale_version(world):
    from tinhso.dossiers.models import Dossier
    from tinhso.dossiers.tests.helpers import submit_online

    dossier = submit_online(world)
    with transaction.atomic():
        locked = row_lock(Dossier.objects.all(), dossier.pk, expected_version=dossier.version)
        assert locked.pk == dossier.pk
    with transaction.atomic(), pytest.raises(ConflictError):
        row_lock(Dossier.objects.all(), dossier.pk, expected_version=dossier.version + 1)


# --- events -------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_events_are_sent_after_commit_only_and_a_failing_listener_is_logged(caplog):
    signal = Signal()
    received = []

    def good(sender, **kwargs):
        received.append(kwargs["event"])

    def bad(sender, **kwargs):
        raise RuntimeError("listener broke")

    signal.connect(good, weak=False)
    signal.connect(bad, weak=False)
    with transaction.atomic():
        emit_after_commit(signal, sender=object, event="received", phone="0912345678")
        assert received == []
    assert received == ["received"]
    with caplog.at_level(logging.ERROR, logger="tinhso.events"):
        with transaction.atomic():
            emit_after_commit(signal, sender=object, event="rolled back")
            transaction.set_rollback(True)
        emit_after_commit(signal, sender=object, event="again", phone="0912345678")
    assert received == ["received", "again"]
    assert "listener broke" in caplog.text
    assert "0912345678" not in caplog.text, "the payload may name people: never logged"
