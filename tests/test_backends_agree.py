"""The durable-rules backend and the reference evaluator agree: on every facts file in the
repository, on generated boundary-heavy projects (a few hundred here; bench/differential.py runs
10,000 and more), and in batches where many projects share one engine session."""
from __future__ import annotations

import itertools
import os

import pytest

from helpers import AS_OF, ROOT, SAMPLES, make_project
from engine import durable_session
from engine.durable_backend import BackendError
from engine.facts import facts_files, load_facts, nest, validate_facts
from engine.reference import evaluate_reference
from generators import generate_project
from engine.backend import Engine

GENERATED = int(os.environ.get("DIFFERENTIAL_PROJECTS", "400"))


def _same(policy, facts, as_of=None):
    durable = policy.evaluate(facts, as_of)
    reference = policy.using(Engine.REFERENCE).evaluate(facts, as_of)
    assert [f.to_json() for f in durable.findings] == [f.to_json() for f in reference.findings], facts.file
    return durable


# Project files live in folders under facts/ (the files directly in it are the vocabulary and the
# calendar). By the convention the guide states, facts/示例/ holds Jinxiang's samples and facts/<县>/
# a county's projects, evaluated under that county's policy (policies/<县>_….rules, the newest).
PROJECT_FILES = [p for p in facts_files([ROOT / "facts"]) if p.parent != ROOT / "facts"]


def policy_file_for(folder):
    if folder == SAMPLES:
        return None
    own = sorted((ROOT / "policies").glob(f"{folder.name}_*.rules"))
    assert own, f"facts/{folder.name}/ 没有对应的政策文件 policies/{folder.name}_….rules"
    return own[-1]


@pytest.fixture(scope="module")
def policies_by_folder():
    from engine.policy import load_policy
    cache = {}

    def get(folder, default):
        path = policy_file_for(folder)
        if path is None:
            return default
        if path not in cache:
            cache[path] = load_policy(path, backend=Engine.DURABLE)
        return cache[path]

    return get


@pytest.mark.parametrize("path", PROJECT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_facts_file_in_the_repository(policy, policies_by_folder, path):
    chosen = policies_by_folder(path.parent, policy)
    _same(chosen, load_facts(path, chosen.vocabulary))


def test_generated_projects(policy):
    kinds = set()
    for seed in range(GENERATED):
        flat, as_of = generate_project(seed)
        report = _same(policy, validate_facts(nest(flat), policy.vocabulary, f"generated-{seed}"), as_of)
        kinds.update((f.rule.rule_id, f.kind) for f in report.findings)
    # the generator must actually reach the rules it is meant to test
    assert {("6.5", "违规"), ("28.2", "违规"), ("28.2", "待办"), ("37.1", "违规"), ("25.1", "后果"), ("2.1", "不适用"),
            ("30.2", "违规"), ("30.3", "警示"), ("44.2", "后果"), ("33.2", "违规"), ("41.2", "后果")} <= kinds
    assert any(kind == "无法判定" for _, kind in kinds)


def test_samples_cover_the_four_conclusions(policy):
    conclusions = {policy.evaluate(load_facts(p, policy.vocabulary)).conclusion for p in facts_files([SAMPLES])}
    assert conclusions == {"合规", "不合规", "信息不全", "不适用"}


def _mixed_batches(policy, batches: int):
    """Projects ordered so that every batch of the engine's size holds compliant, violating,
    不适用 and incomplete ones (their conclusions are the reference evaluator's)."""
    by_conclusion: dict[str, list] = {"合规": [(make_project(policy.vocabulary), AS_OF)], "不合规": [], "不适用": [], "信息不全": []}
    for seed in range(600):
        flat, as_of = generate_project(seed)
        facts = validate_facts(nest(flat), policy.vocabulary, f"generated-{seed}")
        by_conclusion[policy.using(Engine.REFERENCE).evaluate(facts, as_of).conclusion].append((facts, as_of))
    size = durable_session.BATCH_SIZE
    pools = [itertools.cycle(projects) for projects in by_conclusion.values()]
    return [next(pools[i % len(pools)]) for i in range(size * batches)]


def test_batches_of_mixed_projects_agree_with_the_reference(policy):
    # Many projects share one engine session, isolated only by the project id each finding
    # pattern joins on; a join durable-rules dropped (pitfall 23) leaks findings between them.
    projects = _mixed_batches(policy, batches=3)
    size = durable_session.BATCH_SIZE
    reports = policy.evaluate_many([f for f, _ in projects], dates=[d for _, d in projects])
    for start in range(0, len(projects), size):
        assert {r.conclusion for r in reports[start:start + size]} == {"合规", "不合规", "不适用", "信息不全"}
    for (facts, as_of), report in zip(projects, reports):
        reference = policy.using(Engine.REFERENCE).evaluate(facts, as_of)
        assert [f.to_json() for f in report.findings] == [f.to_json() for f in reference.findings], facts.file


def test_a_batch_the_engine_fails_on_is_rerun_one_project_at_a_time(policy, monkeypatch):
    projects = _mixed_batches(policy, batches=1)[:10]
    values = [policy.values(facts, as_of) for facts, as_of in projects]
    backend, real = policy.backend, durable_session._engine
    doomed = values[3]
    encode = backend.encoding.fact

    def marked_fact(project_values):
        fact = encode(project_values)
        if project_values is doomed.project:
            fact[backend.gate_keys[0]] = "引擎拒收"
        return fact

    class FailingEngine:
        """durable's C module, failing like ERR 303 on any facts carrying the marker."""

        def __getattr__(self, name):
            return getattr(real, name)

        def assert_facts(self, handle, text):
            if "引擎拒收" in text:
                raise real.error("Could not assert facts, error code: 303")
            return real.assert_facts(handle, text)

    monkeypatch.setattr(backend.encoding, "fact", marked_fact)
    monkeypatch.setattr(durable_session, "_engine", FailingEngine())
    results = backend.evaluate_many(values)
    assert isinstance(results[3], BackendError) and "303" in results[3].message
    for index, ((facts, as_of), result) in enumerate(zip(projects, results)):
        if index != 3:
            assert sorted(result) == sorted(evaluate_reference(policy.ir, values[index])), facts.file
