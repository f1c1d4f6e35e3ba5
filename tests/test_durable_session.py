"""durable's C calls fail in more ways than raising (pitfall 25): each way ends in a BackendError for
the projects concerned, the process survives, and the engine keeps answering afterwards."""
from __future__ import annotations

import pytest

from helpers import AS_OF, make_project
from engine import durable_session
from engine.durable_backend import BackendError
from engine.backend import BackendClosed, Engine


class _Engine:
    """durable's C module with one call replaced."""

    def __init__(self, real, **replaced) -> None:
        self._real, self._replaced = real, replaced

    def __getattr__(self, name):
        return self._replaced.get(name) or getattr(self._real, name)


@pytest.fixture
def project(policy):
    return make_project(policy.vocabulary, {"数据.纳入大数据平台": "否"})


def _answers_correctly(policy, project) -> bool:
    report = policy.evaluate(project, AS_OF)
    return [f.to_json() for f in report.findings] == [f.to_json() for f in policy.using(Engine.REFERENCE).evaluate(project, AS_OF).findings]


@pytest.mark.parametrize("failure", ["deferred", "unreadable message", "unknown rule"])
def test_unexpected_answers_from_the_engine_are_errors(policy, project, monkeypatch, failure):
    real = durable_session._engine
    if failure == "deferred":  # result code 3: the session is busy with an action
        replaced = {"assert_facts": lambda handle, text: (3, 0)}
    elif failure == "unreadable message":
        replaced = {"complete_and_start_action": lambda handle, offset: "not json"}
    else:
        replaced = {"complete_and_start_action": lambda handle, offset: '{"99.9|违规|0": {"p": {"pid": 0}}}'}
    monkeypatch.setattr(durable_session, "_engine", _Engine(real, **replaced))
    with pytest.raises(BackendError):
        policy.evaluate(project, AS_OF)
    monkeypatch.setattr(durable_session, "_engine", real)
    assert _answers_correctly(policy, project)


def test_sessions_that_cannot_be_deleted_never_reach_the_engine_limit(policy, project, monkeypatch):
    # A session whose guard action did not run must not be deleted (pitfall 1): it is left behind,
    # and well before durable's 1,024 live sessions the ruleset is created afresh (pitfall 2).
    real = durable_session._engine
    sessions = policy.backend.session
    first = sessions._handle
    monkeypatch.setattr(durable_session, "_engine", _Engine(real, start_action_for_state=lambda handle, offset: None))
    for _ in range(durable_session.MAX_LEAKED_SESSIONS - sessions._leaked):
        with pytest.raises(BackendError):
            policy.evaluate(project, AS_OF)
    assert sessions._handle != first and sessions._leaked == 0
    monkeypatch.setattr(durable_session, "_engine", real)
    assert _answers_correctly(policy, project)


def test_a_closed_backend_refuses_to_evaluate(policy, project):
    from engine.durable_backend import DurableBackend
    backend = DurableBackend(policy.ir)
    backend.close()
    with pytest.raises(BackendClosed):  # said as such, not as an engine failure
        backend.evaluate(policy.values(project, AS_OF))


def test_a_fact_hash_collision_never_drops_a_finding(policy, project, monkeypatch):
    """durable tells facts apart by a 32-bit hash (pitfall 11): "already present" for one of our facts
    (which all differ) means a collision, and a finding was about to be lost. The batch runs again
    under a new session id; only a collision that keeps recurring becomes an error."""
    real = durable_session._engine
    collisions = {"left": 1}

    def assert_facts(handle, text):
        if collisions["left"] and '"kind":"scoped"' in text:
            collisions["left"] -= 1
            real.assert_facts(handle, text)  # the engine took the facts, but said one was already there
            return 2, 0
        return real.assert_facts(handle, text)

    monkeypatch.setattr(durable_session, "_engine", _Engine(real, assert_facts=assert_facts))
    assert _answers_correctly(policy, project) and collisions["left"] == 0
    collisions["left"] = 10  # every attempt collides: an error for the project, never a wrong answer
    [result] = policy.backend.evaluate_many([policy.values(project, AS_OF)])
    assert isinstance(result, BackendError) and "散列值相同" in str(result)
    monkeypatch.undo()
    assert _answers_correctly(policy, project)
