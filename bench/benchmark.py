"""Speed and memory of the full Jinxiang policy on this machine. Run by hand; prints a table, or
JSON with --json. Never a timed test. Every comparison is measured side by side in one run,
interleaved (A B C A B C …), and reported as medians, because this machine is shared.

    python bench/benchmark.py            # everything (several minutes on 2 cores)
    python bench/benchmark.py --quick    # smaller counts, for a first look

Figures:
- policy load: cold process, warm (in process: parse, check, register), and `cli.py check` wall;
- engine time per project (ProjectValues → firings) on the same generated projects: the reference
  evaluator (plain Python), the one-session-per-project design the product used before
  (bench/baseline_backend.py), and the batched backend; with the ratios between them;
- evaluation through the façade (values, engine, findings): one project at a time and in batches;
- where a file's time goes, stage by stage (read, YAML, validation, values, engine, findings, JSON);
- end to end from YAML and from JSON files with 1 and 2 worker processes, as `cli.py eval --format
  json` runs them, and `cli.py eval` on a folder of files including process start-up, with one
  process per core (its default) and with --jobs 1, with no cache, a first and a repeated run;
- memory: RSS over many evaluations in one process, peak RSS of this process and of the workers.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from _common import ROOT, generated_facts, peak_rss_mb, rss_mb
from baseline_backend import OneSessionPerProject
from engine.batch import evaluate_files
from engine.eval_output import JsonPrinter
from engine.facts import nest, parse_facts_data, read_facts_text, validate_facts
from engine.findings import Evaluation
from engine.policy import DEFAULT_POLICY, load_policy, read_policy_text
from engine.reference import evaluate_reference
from generators import generate_project
from engine.backend import Engine


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def policy_load() -> dict:
    cold = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, %r); from engine.backend import Engine; from engine.policy import load_policy; load_policy(backend=Engine.DURABLE)" % str(ROOT)],
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
    load_policy(backend=Engine.DURABLE)  # warm the caches (grammar, vocabulary, calendar)
    from engine.durable_backend import DurableBackend
    from engine.vocabulary import load_vocabulary
    from engine.parser import parse_policy_text
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


def interleaved(variants: dict, reps: int) -> dict[str, float]:
    """name → zero-argument callable returning (seconds, items): median µs per item over
    `reps` rounds, the variants taking turns within each round."""
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(reps):
        for name, run in variants.items():
            seconds, items = run()
            samples[name].append(seconds / items * 1e6)
    return {name: round(statistics.median(values), 1) for name, values in samples.items()}


def _timed(work, items):
    def run():
        started = time.perf_counter()
        work(items)
        return time.perf_counter() - started, len(items)
    return run


def engine(policy, count: int, reps: int) -> dict:
    """ProjectValues → firings, the three ways, on the same projects."""
    projects = generated_facts(policy, count)
    values = [policy.values(facts, as_of) for facts, as_of in projects]
    baseline = OneSessionPerProject(policy.backend)
    backend = policy.backend
    for one in values:  # the baseline and the batched backend must agree before they are timed
        assert sorted(set(baseline.evaluate(one))) == sorted(set(evaluate_reference(policy.ir, one)))
    result = interleaved({
        "reference": _timed(lambda vs: [evaluate_reference(policy.ir, v) for v in vs], values),
        "one_session_per_project": _timed(lambda vs: [baseline.evaluate(v) for v in vs], values),
        "batched": _timed(backend.evaluate_many, values),
        "batched_one_at_a_time": _timed(lambda vs: [backend.evaluate(v) for v in vs], values),
    }, reps)
    baseline.close()
    findings = sum(len(policy.evaluate(facts, as_of).findings) for facts, as_of in projects[:500]) / min(count, 500)
    return {"projects": count, "findings_per_project": round(findings, 1), "median_us": result,
            "batched_over_baseline": round(result["batched"] / result["one_session_per_project"], 3),
            "batched_over_reference": round(result["batched"] / result["reference"], 3)}


def facade(policy, count: int, reps: int) -> dict:
    """Facts → report through CompiledPolicy: one at a time (as `eval` of one file, the
    workbench, `explain`) and many at once (as a portfolio)."""
    projects = generated_facts(policy, count)
    facts, dates = [f for f, _ in projects], [d for _, d in projects]
    single = []
    for one, when in projects:
        started = time.perf_counter()
        policy.evaluate(one, when)
        single.append(time.perf_counter() - started)
    result = interleaved({
        "one_at_a_time": _timed(lambda ps: [policy.evaluate(f, d) for f, d in ps], projects),
        "many": _timed(lambda fs: policy.evaluate_many(fs, dates=dates), facts),
    }, reps)
    return {"projects": count, "median_us": result, "single_p99_us": round(percentile(single, 0.99) * 1e6)}


def write_files(folder: Path, count: int, suffix: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for seed in range(count):
        flat, as_of = generate_project(seed)
        data = nest(flat)
        data["评估日期"] = as_of.isoformat()
        path = folder / f"项目{seed:05d}{suffix}"
        text = (json.dumps(data, ensure_ascii=False, indent=2) if suffix == ".json"
                else yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def stages(policy, paths: list[Path]) -> dict:
    """Where one YAML file's time goes, in µs per file (one process, files in batches of 64)."""
    totals = dict.fromkeys(("read", "yaml", "validate", "values", "engine", "findings", "to_json"), 0.0)
    clock = time.perf_counter
    for start in range(0, len(paths), 64):
        facts = []
        for path in paths[start:start + 64]:
            t0 = clock()
            text = read_facts_text(path, path.name)
            t1 = clock()
            data = parse_facts_data(text, path.name, False)
            t2 = clock()
            facts.append(validate_facts(data, policy.vocabulary, path.name, text))
            totals["read"] += t1 - t0
            totals["yaml"] += t2 - t1
            totals["validate"] += clock() - t2
        t0 = clock()
        values = [policy.values(one) for one in facts]
        t1 = clock()
        firings = policy.backend.evaluate_many(values)
        t2 = clock()
        found = [policy.findings_plan.build(v, f) for v, f in zip(values, firings)]
        t3 = clock()
        for one, v, findings in zip(facts, values, found):
            Evaluation(policy.ir, one.file, one.project_id, "", v.project.fields["评估日期"], findings).to_json()
        t4 = clock()
        for name, seconds in (("values", t1 - t0), ("engine", t2 - t1), ("findings", t3 - t2), ("to_json", t4 - t3)):
            totals[name] += seconds
    return {name: round(seconds / len(paths) * 1e6) for name, seconds in totals.items()}


def from_files(policy, yaml_paths: list[Path], json_paths: list[Path], reps: int, cache: Path) -> dict:
    """Files/s through evaluate_files as `cli.py eval --format json` runs it (read, validate,
    evaluate, each file's JSON made in its worker); YAML also through a warm facts cache (every
    file's validated facts already remembered)."""
    def run(paths, jobs, cache_folder=None):
        def once():
            started = time.perf_counter()
            count = sum(1 for _ in evaluate_files(policy, paths, None, jobs, cache_folder, send=JsonPrinter(True)))
            return time.perf_counter() - started, count
        return once
    list(evaluate_files(policy, yaml_paths, None, 2, cache))  # fills the cache
    variants = {f"{kind}_jobs_{jobs}": run(paths, jobs) for kind, paths in (("yaml", yaml_paths), ("json", json_paths))
                for jobs in (1, 2)}
    variants.update({f"yaml_cached_jobs_{jobs}": run(yaml_paths, jobs, cache) for jobs in (1, 2)})
    result = interleaved(variants, reps)
    per_s = {name: round(1e6 / us) for name, us in result.items()}
    per_s["worker_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    return per_s


CLI_CACHE_STATES = ("no_cache", "first", "repeated")


def cli_eval(folder: Path, files: int, reps: int, scratch: Path) -> dict:
    """`cli.py eval <folder> --format json` on the whole folder, including process start-up, with
    its default number of processes (one per core) and with --jobs 1 (one core), each in three
    cache states in turn: --no-cache (nothing read or written: the policy parser's tables are built
    too), a first evaluation of these files (the parser's tables saved by an earlier run, no facts
    remembered) and a repeated one (every file's facts remembered). Otherwise default options."""
    def command(*options):
        return [sys.executable, str(ROOT / "cli.py"), "eval", str(folder), "--format", "json", *options]
    warm = scratch / "cache-warm"
    subprocess.run(command("--cache", str(warm)), cwd=ROOT, stdout=subprocess.DEVNULL, check=False)
    walls: dict[tuple[str, str], list[float]] = {}
    for rep in range(reps):
        for jobs in ("default", "1"):
            first = scratch / f"cache-first-{rep}-{jobs}"
            first.mkdir()
            for tables in warm.glob("parser-*.json"):
                shutil.copy(tables, first / tables.name)
            states = {"no_cache": ["--no-cache"], "first": ["--cache", str(first)], "repeated": ["--cache", str(warm)]}
            for name in CLI_CACHE_STATES:
                options = states[name] + ([] if jobs == "default" else ["--jobs", jobs])
                started = time.perf_counter()
                done = subprocess.run(command(*options), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                walls.setdefault((jobs, name), []).append(time.perf_counter() - started)
                if done.returncode not in (0, 1):
                    raise SystemExit(done.stderr.decode())
    result: dict = {"files": files, "jobs": len(os.sched_getaffinity(0))}
    for (jobs, name), values in walls.items():
        wall = statistics.median(values)
        target = result if jobs == "default" else result.setdefault("jobs_1", {})
        target[name] = {"wall_s": round(wall, 2), "per_s": round(files / wall)}
    return result


def soak(policy, count: int) -> dict:
    """Many evaluations in batches in one process; RSS at the start and end."""
    projects = generated_facts(policy, 256)
    facts, dates = [f for f, _ in projects], [d for _, d in projects]
    policy.evaluate_many(facts, dates=dates)
    start = rss_mb()
    done = 0
    while done < count:
        policy.evaluate_many(facts, dates=dates)
        done += len(facts)
    end = rss_mb()
    return {"evaluations": done, "rss_start_mb": round(start, 1), "rss_end_mb": round(end, 1), "change_mb": round(end - start, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", help="comma-separated sections to run (load, engine, facade, files, cli, soak), "
                        "for measuring one change side by side on a busy machine; default all")
    args = parser.parse_args()
    sections = set(args.only.split(",")) if args.only else {"load", "engine", "facade", "files", "cli", "soak"}
    count, files, reps, soak_count = (500, 500, 3, 10_000) if args.quick else (2_000, 2_000, 5, 100_000)
    policy = load_policy(backend=Engine.DURABLE)
    results = {"machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
               "date": dt.date.today().isoformat(), "load_average_at_start": os.getloadavg()[0]}
    if "load" in sections:
        results["load"] = policy_load()
    if "engine" in sections:
        results["engine"] = engine(policy, count, reps)
    if "facade" in sections:
        results["facade"] = facade(policy, count, reps)
    if sections & {"files", "cli"}:
        with tempfile.TemporaryDirectory() as scratch:
            yaml_paths = write_files(Path(scratch) / "yaml", files, ".yaml")
            json_paths = write_files(Path(scratch) / "json", files, ".json")
            if "files" in sections:
                results["stages_us"] = stages(policy, yaml_paths)
                results["files_per_s"] = {"files": files, **from_files(policy, yaml_paths, json_paths, reps, Path(scratch) / "cache")}
            if "cli" in sections:
                results["cli_eval"] = cli_eval(Path(scratch) / "yaml", files, 3, Path(scratch))
    if "soak" in sections:
        results["soak"] = soak(policy, soak_count)
    results["peak_rss_mb"] = round(peak_rss_mb(), 1)
    results["load_average_at_end"] = os.getloadavg()[0]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    show(results)


def show(results: dict) -> None:
    print(f"机器 {results['machine']}，{results['date']}，负载 {results['load_average_at_start']:.2f} → {results['load_average_at_end']:.2f}")
    if "load" in results:
        show_load(results["load"])
    if "engine" in results:
        show_engine(results["engine"])
    if "facade" in results:
        f = results["facade"]
        print(f"经门面（取值+引擎+发现）：逐个 {f['median_us']['one_at_a_time']} µs（p99 {f['single_p99_us']} µs），"
              f"成批 {f['median_us']['many']} µs")
    if "stages_us" in results:
        show_files(results)
    if "cli_eval" in results:
        c = results["cli_eval"]
        for label, walls in ((f"{c['jobs']} 进程（默认）", c), ("1 进程（--jobs 1）", c["jobs_1"])):
            print(f"cli.py eval 文件夹 --format json（{c['files']} 个 YAML，{label}，含启动）：--no-cache {walls['no_cache']['wall_s']} s"
                  f"（{walls['no_cache']['per_s']} 个/秒），首次评估这些文件 {walls['first']['wall_s']} s（{walls['first']['per_s']} 个/秒），"
                  f"再次评估 {walls['repeated']['wall_s']} s（{walls['repeated']['per_s']} 个/秒）")
    if "soak" in results:
        s = results["soak"]
        print(f"内存：{s['evaluations']} 次评估，RSS {s['rss_start_mb']} → {s['rss_end_mb']} MB（{s['change_mb']:+} MB）；"
              f"本进程峰值 {results['peak_rss_mb']} MB")


def show_load(load: dict) -> None:
    print(f"政策加载：冷启动进程 {load['cold_process_ms']} ms（其中 Python 启动 {load['python_startup_ms']} ms）；"
          f"热加载 {load['warm_total_ms']} ms（解析 {load['warm_parse_ms']}，检查 {load['warm_check_ms']}，注册 {load['warm_register_ms']}）；"
          f"cli.py check {load['check_wall_ms']} ms；{load['durable_rules']} 条 durable 规则，{load['project_copies']} 组")


def show_engine(e: dict) -> None:
    m = e["median_us"]
    print(f"引擎时间（{e['projects']} 个生成项目，每个约 {e['findings_per_project']} 个发现；中位数，µs/项目）：")
    print(f"  参照求值器 {m['reference']}；每项目一个会话（原设计）{m['one_session_per_project']}；"
          f"批量 {m['batched']}；批量路径逐个 {m['batched_one_at_a_time']}")
    print(f"  批量 ÷ 原设计 = {e['batched_over_baseline']}；批量 ÷ 参照 = {e['batched_over_reference']}")


def show_files(results: dict) -> None:
    print("每个 YAML 文件各阶段 µs：" + "，".join(f"{k} {v}" for k, v in results["stages_us"].items())
          + f"，合计 {sum(results['stages_us'].values())}")
    r = results["files_per_s"]
    print(f"从文件（{r['files']} 个，个/秒）：YAML 1 进程 {r['yaml_jobs_1']}，2 进程 {r['yaml_jobs_2']}；"
          f"JSON 1 进程 {r['json_jobs_1']}，2 进程 {r['json_jobs_2']}；YAML 经已有的事实缓存 1 进程 {r['yaml_cached_jobs_1']}，"
          f"2 进程 {r['yaml_cached_jobs_2']}；工作进程峰值 RSS {r['worker_peak_rss_mb']} MB")


if __name__ == "__main__":
    main()
