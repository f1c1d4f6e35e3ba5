"""Fixtures: the Jinxiang policy compiled once per session, and an evaluate() that also checks the
reference evaluator agrees."""
from __future__ import annotations

import pytest

from engine.policy import DEFAULT_POLICY, load_policy
from helpers import AS_OF, make_project
from engine.backend import Engine


@pytest.fixture(scope="session")
def policy():
    return load_policy(DEFAULT_POLICY, backend=Engine.DURABLE)


@pytest.fixture
def evaluate(policy):
    """evaluate(changes, removed=(), as_of=AS_OF) → {rule id: finding} from the durable backend,
    after checking that the reference evaluator agrees."""
    def run(changes=None, removed=(), as_of=AS_OF):
        facts = make_project(policy.vocabulary, changes, removed)
        report = policy.evaluate(facts, as_of)
        reference = policy.using(Engine.REFERENCE).evaluate(facts, as_of)
        assert [f.to_json() for f in report.findings] == [f.to_json() for f in reference.findings]
        return report
    return run
