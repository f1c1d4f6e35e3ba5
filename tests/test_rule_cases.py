"""Every compiled rule of the Jinxiang policy has a case where it fires and a case just on the other
side of its boundary where it does not (tests/cases/rules.yaml, written in the policy's words).
A rule added to the policy without cases fails here."""
from __future__ import annotations

import datetime as dt

import pytest
import yaml

from conftest import AS_OF, ROOT

CASES_FILE = ROOT / "tests" / "cases" / "rules.yaml"
CASES = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


def _changes(facts: dict) -> tuple[dict, tuple[str, ...]]:
    """Case facts → (values to set, keys to remove); dates become ISO text as staff write them."""
    def plain(value):
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value
    changes = {k: plain(v) for k, v in facts.items() if v is not None}
    removed = tuple(k for k, v in facts.items() if v is None)
    return changes, removed


def test_every_rule_has_a_firing_and_a_silent_case(policy):
    rule_ids = {r.rule_id for r in policy.ir.rules}
    assert set(CASES) == rule_ids, f"missing: {sorted(rule_ids - set(CASES))}; unknown: {sorted(set(CASES) - rule_ids)}"
    for rule_id, cases in CASES.items():
        expected = [c["应为"] for c in cases]
        assert "无" in expected and any(e != "无" for e in expected), rule_id


PARAMS = [(rule_id, i, case) for rule_id, cases in CASES.items() for i, case in enumerate(cases)]


@pytest.mark.parametrize("rule_id, index, case", PARAMS,
                         ids=[f"{r}-{c['应为']}-{i}" for r, i, c in PARAMS])
def test_rule_case(evaluate, rule_id, index, case):
    changes, removed = _changes(case["事实"])
    report = evaluate(changes, removed, AS_OF)
    kinds = {f.kind for f in report.findings if f.rule.rule_id == rule_id}
    if case["应为"] == "无":
        assert not kinds, f"{rule_id} should not fire ({case.get('说明', '')}); got {kinds}"
    else:
        assert kinds == {case["应为"]}, f"{rule_id} should be {case['应为']} ({case.get('说明', '')}); got {kinds}"
