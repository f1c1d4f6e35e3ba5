"""The register's commands as a user runs them (SQLite): exit codes 0/1/2, Chinese messages with
file:row:column on stderr, never a traceback."""
from __future__ import annotations

import json
import subprocess
import sys

from openpyxl import Workbook

from helpers import ROOT, SAMPLES

CLI = [sys.executable, str(ROOT / "cli.py"), "register"]


def run(*args: str, cwd):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, encoding="utf-8")


def test_import_list_due_set_export(tmp_path):
    imported = run("import", str(SAMPLES), "--by", "王芳", cwd=tmp_path)
    assert (imported.returncode, imported.stderr) == (0, "")
    assert imported.stdout.startswith("已导入 11 个项目：新增 11 个，有变化 0 个，无变化 0 个；记录变更 ")
    assert (tmp_path / "台账.db").is_file()  # the default register, created on first use

    listed = run("list", "--as-of", "2026-11-27", "--format", "json", cwd=tmp_path)
    assert listed.returncode == 1  # some projects are in breach, as with eval
    rows = json.loads(listed.stdout)
    assert len(rows) == 11 and rows[0]["下一截止日期"] == "2026-12-04" and rows[0]["剩余天数"] == 7

    due = run("due", "--as-of", "2026-11-27", "--within", "11", "--format", "json", cwd=tmp_path)
    assert due.returncode == 0 and [r["截止日期"] for r in json.loads(due.stdout)] == ["2026-12-04", "2026-12-08"]

    bad = run("set", "JX-2025-007", "合同.签订日期", "2025-02-30", cwd=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.startswith("register set: 错误[E321]: 「合同.签订日期」「2025-02-30」不能写入：")
    typo = run("set", "JX-2025-007", "合同.签定日期", "2025-02-03", cwd=tmp_path)
    assert typo.returncode == 2 and "是不是「合同.签订日期」" in typo.stderr
    good = run("set", "JX-2025-007", "预算.实际支出", "650万元", "--by", "李强", cwd=tmp_path)
    assert (good.returncode, good.stdout) == (0, "已记录：JX-2025-007 的「预算.实际支出」680万元 → 650万元\n")

    history = json.loads(run("history", "JX-2025-007", "--format", "json", cwd=tmp_path).stdout)
    assert (history[-1]["人员"], history[-1]["来源"]) == ("李强", "命令行")

    exported = run("export", "--format", "ics", "-o", "待办.ics", "--as-of", "2026-11-27", cwd=tmp_path)
    assert exported.returncode == 0 and (tmp_path / "待办.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_a_bad_workbook_names_row_and_column(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["项目编号", "项目名称", "项目建设单位", "总预算", "合同签订日期", "备注：经办人"])
    sheet.append(["JX-2026-101", "金乡县智慧水利平台", "县水务局", "680万元", "2026-03-01", "张三"])
    sheet.append(["JX-2026-102", "金乡县智慧农业平台", "县农业农村局", "六百万", "2026-02-30", ""])
    book.save(tmp_path / "台账.xlsx")
    result = run("import", "台账.xlsx", "--db", "本县.db", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("台账.xlsx:3:D: 错误[E321]: 「项目.总预算」")
    assert any(line.startswith("台账.xlsx:3:E: 错误[E321]: 「合同.签订日期」") for line in lines)
    assert lines[-1].startswith("没有导入任何项目")
    listed = run("list", "--db", "本县.db", "--format", "json", cwd=tmp_path)
    assert json.loads(listed.stdout) == []  # all or nothing
    skipped = run("import", "台账.xlsx", "--db", "本县.db", "--skip-bad", cwd=tmp_path)
    assert skipped.returncode == 0 and "已跳过以上 2 处有错的文件或行" in skipped.stderr
    assert skipped.stdout.startswith("已导入 1 个项目：新增 1 个")


def test_unreachable_server_is_a_clean_error(tmp_path):
    result = run("list", "--db", "postgresql://nobody:secret@/register?host=/nonexistent", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("错误[E500]: 无法打开台账数据库 postgresql://nobody:***@/register?host=/nonexistent（")
    assert "secret" not in result.stderr
