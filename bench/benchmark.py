"""Speed and memory of the full Jinxiang policy on this machine. Run by hand; prints a table, or
JSON with --json. Never a timed test.

    python bench/benchmark.py            # everything (about 10 minutes on 2 cores)
    python bench/benchmark.py --quick    # smaller counts, for a first look

Figures:
- policy load: cold process, warm (in process: parse, check, register), and `cli.py check` wall;
- evaluation of loaded projects: median and p99 µs, projects/s, on 1,000 and 10,000 generated ones;
- the same from YAML files on disk, end to end (read, validate, evaluate);
- the reference evaluator on the same projects (the plain-Python ratio), and the engine floor: the
  smallest durable-rules ruleset that makes the same engine round trips (one project fact, one
  action per finding, deleted session) with the matching already decided — the overhead ratio;
- a batch over a folder of files with 1 and 2 worker processes;
- peak RSS, and RSS at start and end of many evaluations in one process.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from _common import ROOT, generated_facts, peak_rss_mb, rss_mb
from engine.batch import evaluate_files
from engine.facts import load_facts, nest
from engine.policy import DEFAULT_POLICY, load_policy, read_policy_text
from generators import generate_project


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def timed_per_item(items, work) -> dict:
    durations = []
    started = time.perf_counter()
    for item in items:
        t = time.perf_counter()
        work(item)
        durations.append(time.perf_counter() - t)
    total = time.perf_counter() - started
    return {"median_us": round(statistics.median(durations) * 1e6), "p99_us": round(percentile(durations, 0.99) * 1e6),
            "per_s": round(len(items) / total)}


def policy_load() -> dict:
    cold = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, %r); from engine.policy import load_policy; load_policy()" % str(ROOT)],
                       check=True, cwd=ROOT)
        cold.append(time.perf_counter() - t)
    python_alone = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        python_alone.append(time.perf_counter() - t)
    check_wall = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "cli.py"), "check"], check=True, cwd=ROOT, capture_output=True)
        check_wall.append(time.perf_counter() - t)
    load_policy()  # warm the caches (grammar, vocabulary, calendar)
    from engine.durable_backend import DurableBackend
    from engine.vocabulary import load_vocabulary
    from grammar.parser import parse_policy_text
    from engine.checker import check_policy
    text, vocabulary = read_policy_text(DEFAULT_POLICY), load_vocabulary()
    stages = {"parse": [], "check": [], "register": [], "total": []}
    for _ in range(10):
        t0 = time.perf_counter()
        source = parse_policy_text(text, "p", tuple(vocabulary.policy_paths()))
        t1 = time.perf_counter()
        policy = check_policy(source, vocabulary)
        t2 = time.perf_counter()
        backend = DurableBackend(policy)
        t3 = time.perf_counter()
        backend.close()
        for name, value in (("parse", t1 - t0), ("check", t2 - t1), ("register", t3 - t2), ("total", t3 - t0)):
            stages[name].append(value)
    return {"cold_process_ms": round(statistics.median(cold) * 1000), "python_startup_ms": round(statistics.median(python_alone) * 1000),
            "check_wall_ms": round(statistics.median(check_wall) * 1000),
            **{f"warm_{k}_ms": round(statistics.median(v) * 1000, 1) for k, v in stages.items()},
            "durable_rules": backend.definition_size, "project_copies": backend.groups}


def engine_floor(policy, projects) -> dict:
    """The smallest ruleset that makes the same engine round trips as our backend: the project fact
    (same keys and values), one action per finding, the session deleted."""
    from engine import durable_backend as backend_module
    encoding = policy.backend.encoding
    rule_ids = [r.rule_id for r in policy.ir.rules]
    fired: list[set[str]] = []
    for facts, as_of in projects:
        fired.append({f.rule.rule_id for f in policy.evaluate(facts, as_of).findings})
    definition = {f"r{i}": {"all": [{"m": {"$and": [{"kind": "project"}, {f"x{i}": True}]}}], "run": lambda c: None}
                  for i in range(len(rule_ids))}
    definition["guard"] = {"all": [{"m": {"kind": "project"}}], "pri": 1000, "run": lambda c: None}
    host = backend_module._QuietHost()
    host.register_rulesets({"floor": definition})
    facts_json = []
    for (facts, as_of), rules in zip(projects, fired):
        fact = encoding.fact(policy.values(facts, as_of).project)
        fact.update({f"x{i}": rule_id in rules for i, rule_id in enumerate(rule_ids)})
        facts_json.append(fact)
    counter = iter(range(10**9))

    def run(fact):
        sid = str(next(counter))
        host.assert_fact("floor", dict(fact, sid=sid, kind="project"))
        host.delete_state("floor", sid)
    return timed_per_item(facts_json, run)


def evaluation(policy, count: int) -> dict:
    projects = generated_facts(policy, count)
    ours = timed_per_item(projects, lambda p: policy.evaluate(*p))
    reference = timed_per_item(projects, lambda p: policy.evaluate(p[0], p[1], backend="reference"))
    floor = engine_floor(policy, projects[: min(count, 2000)])
    findings = sum(len(policy.evaluate(*p).findings) for p in projects[:500]) / min(count, 500)
    return {"projects": count, "findings_per_project": round(findings, 1), "durable": ours, "reference": reference,
            "engine_floor": floor, "durable_over_reference": round(ours["median_us"] / reference["median_us"], 2),
            "durable_over_floor": round(ours["median_us"] / floor["median_us"], 2)}


def write_files(folder: Path, count: int) -> list[Path]:
    paths = []
    for seed in range(count):
        flat, as_of = generate_project(seed)
        data = nest(flat)
        data["评估日期"] = as_of.isoformat()
        path = folder / f"项目{seed:05d}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def from_files(policy, paths: list[Path]) -> dict:
    return timed_per_item(paths, lambda path: policy.evaluate(load_facts(path, policy.vocabulary)))


def batch(policy, paths: list[Path]) -> dict:
    result = {}
    for jobs in (1, 2):
        t = time.perf_counter()
        count = sum(1 for _ in evaluate_files(policy, paths, None, jobs))
        elapsed = time.perf_counter() - t
        result[f"jobs_{jobs}_per_s"] = round(count / elapsed)
    result["speed_up"] = round(result["jobs_2_per_s"] / result["jobs_1_per_s"], 2)
    return result


def soak(policy, count: int) -> dict:
    projects = generated_facts(policy, 200)
    for project in projects:
        policy.evaluate(*project)
    start = rss_mb()
    for i in range(count):
        policy.evaluate(*projects[i % len(projects)])
    end = rss_mb()
    return {"evaluations": count, "rss_start_mb": round(start, 1), "rss_end_mb": round(end, 1), "change_mb": round(end - start, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    sizes = (300, 1000) if args.quick else (1000, 10_000)
    files, soak_count = (1000, 5000) if args.quick else (10_000, 100_000)
    policy = load_policy()
    results = {"machine": f"{subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores, Python {sys.version.split()[0]}",
               "date": dt.date.today().isoformat(), "load": policy_load()}
    results["evaluation"] = [evaluation(policy, n) for n in sizes]
    with tempfile.TemporaryDirectory() as scratch:
        paths = write_files(Path(scratch), files)
        results["from_yaml"] = {"files": files, **from_files(policy, paths[:min(files, 2000)])}
        results["batch"] = {"files": files, **batch(policy, paths)}
    results["soak"] = soak(policy, soak_count)
    results["peak_rss_mb"] = round(peak_rss_mb(), 1)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    load = results["load"]
    print(f"机器 {results['machine']}，{results['date']}")
    print(f"政策加载：冷启动进程 {load['cold_process_ms']} ms（其中 Python 启动 {load['python_startup_ms']} ms）；"
          f"热加载 {load['warm_total_ms']} ms（解析 {load['warm_parse_ms']}，检查 {load['warm_check_ms']}，注册 {load['warm_register_ms']}）；"
          f"cli.py check {load['check_wall_ms']} ms；{load['project_copies']} 组规则")
    print(f"{'项目数':>8} {'发现/项目':>9} {'durable 中位':>12} {'p99':>8} {'项目/秒':>8} {'参照 中位':>10} {'引擎下限 中位':>12} {'÷参照':>6} {'÷下限':>6}")
    for row in results["evaluation"]:
        print(f"{row['projects']:>8} {row['findings_per_project']:>9} {row['durable']['median_us']:>10} µs {row['durable']['p99_us']:>5} µs "
              f"{row['durable']['per_s']:>8} {row['reference']['median_us']:>7} µs {row['engine_floor']['median_us']:>9} µs "
              f"{row['durable_over_reference']:>6} {row['durable_over_floor']:>6}")
    y = results["from_yaml"]
    print(f"从 YAML 文件（读取+校验+评估）：中位 {y['median_us']} µs，p99 {y['p99_us']} µs，{y['per_s']} 项目/秒")
    b = results["batch"]
    print(f"批量 {b['files']} 个文件：1 个进程 {b['jobs_1_per_s']} 项目/秒，2 个进程 {b['jobs_2_per_s']} 项目/秒，加速 {b['speed_up']}×")
    s = results["soak"]
    print(f"内存：{s['evaluations']} 次评估，RSS {s['rss_start_mb']} → {s['rss_end_mb']} MB（{s['change_mb']:+} MB）；峰值 {results['peak_rss_mb']} MB")


if __name__ == "__main__":
    main()
