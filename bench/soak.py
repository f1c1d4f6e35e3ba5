"""Soak: many evaluations in one process. Memory must stay flat, and no project may see another's
facts: a compliant project evaluated right after a violating one must come out exactly as alone.

    python bench/soak.py [--n 100000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import time

from _common import generated_facts, peak_rss_mb, rss_mb
from engine.policy import load_policy
from helpers import make_project


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    policy = load_policy()
    as_of = dt.date(2026, 11, 27)
    compliant = make_project(policy.vocabulary)
    baseline = [f.to_json() for f in policy.evaluate(compliant, as_of).findings]
    violating = generated_facts(policy, 200)
    for facts, when in violating:  # warm up caches (calendar, models) before the first reading
        policy.evaluate(facts, when)
    start_rss, leaks = rss_mb(), 0
    started = time.perf_counter()
    readings = []
    for i in range(args.n):
        facts, when = violating[i % len(violating)]
        policy.evaluate(facts, when)
        if i % 10 == 0:
            if [f.to_json() for f in policy.evaluate(compliant, as_of).findings] != baseline:
                leaks += 1
        if i % (args.n // 10 or 1) == 0:
            readings.append(round(rss_mb(), 1))
    elapsed = time.perf_counter() - started
    end_rss = rss_mb()
    print(f"evaluations: {args.n} (+{args.n // 10} compliant checks)  time: {elapsed:.1f} s")
    print(f"RSS start {start_rss:.1f} MB  end {end_rss:.1f} MB  change {end_rss - start_rss:+.1f} MB  peak {peak_rss_mb():.1f} MB")
    print(f"RSS every tenth of the run: {readings}")
    print(f"compliant project differed from its baseline: {leaks} times")
    return 1 if leaks else 0


if __name__ == "__main__":
    raise SystemExit(main())
