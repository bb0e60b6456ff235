"""The demo dossier planner (``demo.dossiers``): what it asks of a procedure's documents."""

import random
from types import SimpleNamespace

import pytest

from tinhso.demo.dossiers import _documents, _plan
from tinhso.dossiers.constants import Channel
from tinhso.org import roles

STEPS = [
    {"role": roles.ONE_STOP_CLERK, "at_desk": True, "budget_days": "1"},
    {"role": roles.AGENCY_LEADER, "at_desk": False, "budget_days": "2"},
    {"role": roles.ONE_STOP_CLERK, "at_desk": False, "budget_days": "1"},
    {"role": roles.ONE_STOP_CLERK, "at_desk": True, "budget_days": "1"},
]


def _sim(documents):
    version = SimpleNamespace(snapshot={"processing_days": "5"}, documents=documents, steps=STEPS)
    dossier = SimpleNamespace(channel=Channel.ONLINE, procedure_version=version)
    return SimpleNamespace(dossier=dossier, steps=STEPS)


@pytest.mark.parametrize("seed", range(20))
def test_a_procedure_without_documents_is_never_asked_for_a_supplement(seed):
    ctx = SimpleNamespace(rng=random.Random(seed), cal=SimpleNamespace(day_seconds=8 * 3600))
    plan = _plan(
        ctx, _sim([]), pre_supplement=True, mid_supplement=True, payment=False, reject=False
    )
    assert "request_supplement" not in [action for _e, action in plan.items]
    ctx.rng = random.Random(seed)
    plan = _plan(
        ctx,
        _sim([{"id": 1, "name": "Tờ khai"}]),
        pre_supplement=True,
        mid_supplement=True,
        payment=False,
        reject=False,
    )
    assert "request_supplement" in [action for _e, action in plan.items]


def test_documents_of_an_unpublished_procedure_are_none():
    seeded = SimpleNamespace(procedure=SimpleNamespace(current_version=None))
    assert _documents(seeded) == []
