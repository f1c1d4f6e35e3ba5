"""The 项目台账 at scale. Run by hand; prints a table, or JSON with --json. Never a timed test.

    python bench/register.py                      # 10,000 projects on SQLite (a temporary file)
    python bench/register.py --projects 1000      # a first look
    python bench/register.py --db postgresql://postgres@/postgres?host=/tmp/sock --projects 100000

Figures:
- import: a folder of N facts files with 20 fields each (so N × 20 events), through the real path
  (read, validate every file, diff against the register, one transaction), then the same folder
  again (nothing changes: nothing is written);
- whole-portfolio evaluation through the façade (every project judged and its findings stored);
- the dashboard query alone (every project's conclusion, open 违规, next deadline): median of 7;
- `due` within 30 days (query alone, after the refresh): median of 7;
- one form edit, and the re-evaluation it triggers (only that project is judged again).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from _common import ROOT  # noqa: F401 - puts the project on sys.path
from engine.facts import nest
from engine.register import Register
from engine.register.portfolio import ANCHOR, generate_portfolio

FIELDS = 20


def write_folder(folder: Path, count: int) -> None:
    """N facts files of 20 fields: the registration step of generated projects."""
    firsts = {}
    for step in generate_portfolio(count, seed=7):
        firsts.setdefault(step.project_id, step.changes)
    for number, (project_id, changes) in enumerate(sorted(firsts.items())):
        fields = dict(list(changes.items())[:FIELDS])
        fields["项目.编号"] = f"B-{number:07d}"
        (folder / f"{number:07d}.yaml").write_text(yaml.safe_dump(nest(fields), allow_unicode=True), encoding="utf-8")


def median_ms(work, runs: int = 7) -> tuple[float, float]:
    """Median wall and CPU milliseconds. On a machine shared with other work the wall time is
    inflated by waiting for a core; this process's CPU time much less so (a server's is not in it)."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return round(statistics.median(walls) * 1000, 1), round(statistics.median(cpus) * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--db", help="a PostgreSQL URL; default: a temporary SQLite file")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures: dict = {"projects": args.projects, "events_per_project": FIELDS}
    with tempfile.TemporaryDirectory(prefix="台账-bench-") as temporary:
        folder = Path(temporary) / "项目"
        folder.mkdir()
        write_folder(folder, args.projects)
        register = Register.open(args.db or str(Path(temporary) / "台账.db"))
        figures["database"] = register.engine.dialect.name
        started, cpu = time.perf_counter(), time.process_time()
        summary = register.import_sources([folder], actor="bench")
        figures["import_s"] = round(time.perf_counter() - started, 2)
        figures["import_cpu_s"] = round(time.process_time() - cpu, 2)
        figures["events"] = summary.events
        started = time.perf_counter()
        again = register.import_sources([folder], actor="bench")
        figures["reimport_unchanged_s"] = round(time.perf_counter() - started, 2)
        assert again.events == 0
        started, cpu = time.perf_counter(), time.process_time()
        judged = register.refresh(ANCHOR)
        seconds = time.perf_counter() - started
        figures["evaluate_all_s"] = round(seconds, 2)
        figures["evaluate_all_cpu_s"] = round(time.process_time() - cpu, 2)
        figures["evaluate_per_project_ms"] = round(seconds / max(judged, 1) * 1000, 2)
        figures["dashboard_query_ms"] = median_ms(lambda: register.dashboard_rows(ANCHOR))
        figures["due_30_days_ms"] = median_ms(lambda: register.due(ANCHOR, 30))
        started = time.perf_counter()
        register.set_field("B-0000000", "项目.总预算", "520万元", actor="bench")
        figures["form_edit_ms"] = round((time.perf_counter() - started) * 1000, 1)
        started = time.perf_counter()
        assert register.refresh(ANCHOR) == 1
        figures["refresh_after_edit_ms"] = round((time.perf_counter() - started) * 1000, 1)
        register.close()
    figures["load_average"] = round(os.getloadavg()[0], 1)  # other work on the machine while measuring
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    labels = {"database": "数据库", "projects": "项目数", "events": "导入的变更记录", "import_s": "导入（秒）",
              "import_cpu_s": "其中本进程 CPU（秒）", "reimport_unchanged_s": "同一批再导入、无变化（秒）",
              "evaluate_all_s": "全部项目评估并保存（秒）", "evaluate_all_cpu_s": "其中本进程 CPU（秒）",
              "evaluate_per_project_ms": "每个项目（毫秒）", "dashboard_query_ms": "总览查询（毫秒，中位数：墙钟、CPU）",
              "due_30_days_ms": "30 天内到期查询（毫秒：墙钟、CPU）", "form_edit_ms": "修改一个字段（毫秒）",
              "refresh_after_edit_ms": "修改后重新评估（毫秒）", "load_average": "测量时机器的负载（1 分钟平均）"}
    for key, label in labels.items():
        if key in figures:
            value = figures[key]
            print(f"{label}：{' / '.join(map(str, value)) if isinstance(value, tuple) else value}")


if __name__ == "__main__":
    sys.exit(main())
