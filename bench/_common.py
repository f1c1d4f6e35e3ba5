"""Shared by the benchmark scripts: the generated projects and a resident-memory reading."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from engine.facts import nest, validate_facts  # noqa: E402
from generators import generate_project  # noqa: E402


def generated_facts(policy, count: int, start: int = 0):
    """(facts, as-of date) for `count` boundary-heavy generated projects."""
    projects = []
    for seed in range(start, start + count):
        flat, as_of = generate_project(seed)
        projects.append((validate_facts(nest(flat), policy.vocabulary, f"generated-{seed}"), as_of))
    return projects


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
