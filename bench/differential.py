"""Differential test at scale: the durable-rules backend (in batches, as a portfolio is evaluated)
and the reference evaluator must give the same findings on N generated, boundary-heavy projects
(default 10,000).

    python bench/differential.py [--n 10000] [--start 0]
"""
from __future__ import annotations

import argparse
import collections
import time

from _common import generated_facts
from engine.policy import load_policy
from engine.backend import Engine


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--start", type=int, default=0)
    args = parser.parse_args()
    policy = load_policy(backend=Engine.DURABLE)
    reference_policy = policy.using(Engine.REFERENCE)
    projects = generated_facts(policy, args.n, args.start)
    mismatches, kinds, findings = [], collections.Counter(), 0
    started = time.perf_counter()
    # through the batched path: consecutive projects share engine sessions
    reports = policy.evaluate_many([f for f, _ in projects], dates=[d for _, d in projects])
    for (facts, as_of), report in zip(projects, reports):
        durable = [f.to_json() for f in report.findings]
        reference = [f.to_json() for f in reference_policy.evaluate(facts, as_of).findings]
        findings += len(durable)
        kinds.update(f["类别"] for f in durable)
        if durable != reference:
            mismatches.append(facts.file)
    elapsed = time.perf_counter() - started
    rules_fired = len({f.rule.rule_id for facts, as_of in projects[:2000] for f in policy.evaluate(facts, as_of).findings})
    print(f"projects: {len(projects)}  findings: {findings} ({findings / len(projects):.1f} per project)  time: {elapsed:.1f} s")
    print("findings by kind:", dict(kinds.most_common()))
    print(f"rules seen firing in the first 2,000 projects: {rules_fired} of {len(policy.ir.rules)}")
    print(f"mismatches: {len(mismatches)}" + (f" (first: {mismatches[:5]})" if mismatches else ""))
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
