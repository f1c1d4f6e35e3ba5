"""The durable-rules backend and the reference evaluator agree: on every facts file in the
repository and on generated boundary-heavy projects (a few hundred here; bench/differential.py
runs 10,000 and more)."""
from __future__ import annotations

import os

import pytest

from helpers import ROOT, SAMPLES
from engine.facts import facts_files, load_facts, nest, validate_facts
from generators import generate_project

GENERATED = int(os.environ.get("DIFFERENTIAL_PROJECTS", "400"))


def _same(policy, facts, as_of=None):
    durable = policy.evaluate(facts, as_of)
    reference = policy.evaluate(facts, as_of, backend="reference")
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
            cache[path] = load_policy(path)
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
