"""Soak: many evaluations in one process, through the batched path a portfolio takes. Memory must
stay flat, and no project may see another's facts: a compliant project placed in every tenth slot
of every batch, between violating, 不适用 and incomplete ones, must come out exactly as alone.

    python bench/soak.py [--n 100000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import time

from _common import generated_facts, peak_rss_mb, rss_mb
from engine.policy import load_policy
from helpers import make_project
from engine.backend import Engine


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    policy = load_policy(backend=Engine.DURABLE)
    as_of = dt.date(2026, 11, 27)
    compliant = make_project(policy.vocabulary)
    alone = [f.to_json() for f in policy.evaluate(compliant, as_of).findings]
    others = generated_facts(policy, 230)
    # 256 projects: every tenth is the compliant one, the rest generated (all four conclusions)
    mixed = [(compliant, as_of) if i % 10 == 0 else others[i - i // 10 - 1] for i in range(256)]
    facts, dates = [f for f, _ in mixed], [d for _, d in mixed]
    policy.evaluate_many(facts, dates=dates)  # warm up caches (calendar, models) before the first reading
    start_rss, leaks, done, checked = rss_mb(), 0, 0, 0
    readings = []
    started = time.perf_counter()
    while done < args.n:
        reports = policy.evaluate_many(facts, dates=dates)
        for i in range(0, len(reports), 10):
            checked += 1
            if [f.to_json() for f in reports[i].findings] != alone:
                leaks += 1
        done += len(reports)
        if done // len(reports) % max(1, round(args.n / len(reports) / 10)) == 0:
            readings.append(round(rss_mb(), 1))
    elapsed = time.perf_counter() - started
    end_rss = rss_mb()
    print(f"evaluations: {done} in batches ({checked} of them the compliant project)  time: {elapsed:.1f} s")
    print(f"RSS start {start_rss:.1f} MB  end {end_rss:.1f} MB  change {end_rss - start_rss:+.1f} MB  peak {peak_rss_mb():.1f} MB")
    print(f"RSS every tenth of the run: {readings}")
    print(f"compliant project differed from its evaluation alone: {leaks} times")
    return 1 if leaks else 0


if __name__ == "__main__":
    raise SystemExit(main())
