"""The command line as a user runs it: real processes, real exit codes (0 clean, 1 findings,
2 unusable input), messages on stderr, never a traceback."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from helpers import ROOT, SAMPLES

CLI = [sys.executable, str(ROOT / "cli.py")]


def run(*args: str, cwd=ROOT):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, encoding="utf-8")


def test_check_passes_on_the_policy():
    result = run("check")
    assert result.returncode == 0
    assert result.stdout.startswith("检查通过：policies/jinxiang_2024.rules，")


def test_check_fails_cleanly_on_a_broken_copy(tmp_path):
    broken = tmp_path / "broken.rules"
    text = (ROOT / "policies" / "jinxiang_2024.rules").read_text(encoding="utf-8")
    broken.write_text(text.replace("若 合同.质保期 低于", "若 合同.质保其 低于"), encoding="utf-8")
    result = run("check", str(broken), cwd=tmp_path)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "若 合同.质保期 低于" in l)
    assert result.returncode == 2
    assert result.stderr.startswith(f"broken.rules:{line}:5: 错误[E140]: 事实词汇表中没有字段「合同.质保其」\n")
    assert "所在条文: 第三十条" in result.stderr and "Traceback" not in result.stderr


def test_missing_policy_file():
    result = run("check", "no/such.rules")
    assert (result.returncode, result.stderr) == (2, "错误[E500]: 找不到政策文件 no/such.rules\n  = 提示: 默认的政策文件是 policies/jinxiang_2024.rules\n")


def test_eval_samples_exit_1_with_a_summary():
    result = run("eval", str(SAMPLES))
    assert result.returncode == 1
    assert "共 11 个项目：不合规 7，信息不全 1，合规 2，不适用 1" in result.stdout


def test_eval_compliant_project_exits_0():
    result = run("eval", str(SAMPLES / "智慧城管综合平台.yaml"))
    assert result.returncode == 0 and "结论：合规" in result.stdout


def test_eval_json_follows_the_report_contract():
    result = run("eval", str(SAMPLES / "应急指挥调度系统.yaml"), "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert set(report) >= {"办法", "文号", "评估日期", "项目编号", "结论", "发现"}
    finding = next(f for f in report["发现"] if f["规则"] == "28.2")
    assert finding == {
        "条": 28, "条号": "第二十八条", "规则": "28.2", "类别": "违规",
        "摘要": "未在中标（成交）通知书发出之日起10个工作日内签订正式采购合同",
        "原文": "在中标（成交）通知书发出之日起 10 个工作日内签订正式采购合同",
        "依据": {"采购.中标通知书日期": "2025-01-24", "合同.签订日期": "2025-02-20", "截止日期": "2025-02-13"},
        "截止日期": "2025-02-13", "缺少": [], "出处": finding["出处"],
    }
    assert finding["出处"].startswith("policies/jinxiang_2024.rules:")


def test_eval_several_files_give_an_array_in_input_order():
    files = [str(SAMPLES / "社区网格信息平台.yaml"), str(SAMPLES / "公安视频专网.yaml")]
    reports = json.loads(run("eval", *files, "--format", "json").stdout)
    assert [r["项目编号"] for r in reports] == ["JX-2026-021", "JX-2025-031"]


def test_as_of_moves_a_todo_past_its_deadline():
    path = str(SAMPLES / "社区网格信息平台.yaml")
    before = json.loads(run("eval", path, "--format", "json", "--as-of", "2026-12-04").stdout)
    after = json.loads(run("eval", path, "--format", "json", "--as-of", "2026-12-05").stdout)
    kind = lambda report: next(f["类别"] for f in report["发现"] if f["规则"] == "28.2")  # noqa: E731
    assert (kind(before), kind(after)) == ("待办", "违规")


def test_bad_facts_file_exits_2_and_the_rest_are_still_reported(tmp_path):
    (tmp_path / "坏.yaml").write_text("项目:\n  编号: X\n  名称: n\n  建设单位: u\n  涉秘: 否\n", encoding="utf-8")
    (tmp_path / "好.yaml").write_text((SAMPLES / "智慧城管综合平台.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run("eval", str(tmp_path))
    assert result.returncode == 2
    assert "坏.yaml:5: 错误[E320]: 「项目.涉秘」无法识别的键" in result.stderr
    assert "结论：合规" in result.stdout and "无法读取 1" in result.stdout


def test_bad_option_value_exits_2():
    result = run("eval", str(SAMPLES), "--as-of", "明天")
    assert (result.returncode, result.stderr) == (2, "错误[E500]: --as-of 的日期「明天」无法识别\n  = 提示: 应写成如 2026-11-27\n")


def test_as_of_the_engine_reserves_exits_2():
    result = run("eval", str(SAMPLES / "智慧城管综合平台.yaml"), "--as-of", "9999-12-31")
    assert (result.returncode, result.stderr) == (2, "错误[E500]: --as-of 的日期 9999-12-31 不在 1949-10-01 至 2199-12-31 之间，请检查年份\n")


def test_unknown_command_exits_2_without_traceback():
    result = run("evaluate")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_explain_shows_the_reasoning():
    result = run("explain", str(SAMPLES / "应急指挥调度系统.yaml"), "第二十八条")
    assert result.returncode == 0
    assert "规则 28.2" in result.stdout and "结果：违规" in result.stdout
    assert "计算：截止日期（采购.中标通知书日期 + 10个工作日）= 2025-02-13" in result.stdout
    chained = run("explain", str(SAMPLES / "应急指挥调度系统.yaml"), "25")
    assert "依据的发现：规则 13.2" in chained.stdout and "依据的发现：规则 37.1" in chained.stdout


def test_articles_json_lists_text_and_rule_counts():
    articles = json.loads(run("articles", "--format", "json").stdout)
    by_label = {a["条号"]: a for a in articles}
    assert by_label["第二十八条"]["规则数"] == 3 and by_label["第二十八条"]["可检查"]
    assert by_label["第三十条"]["原文"].endswith("质保期一般不低于 2 年。")


def test_installed_console_script_does_the_same():
    import shutil
    script = shutil.which("jinxiang-policy")
    assert script, "pip install -e . provides the jinxiang-policy command"
    result = subprocess.run([script, "check"], capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert result.returncode == 0


def test_batch_over_processes_keeps_input_order_and_results(tmp_path):
    one = json.loads(run("eval", str(SAMPLES), "--format", "json", "--jobs", "1").stdout)
    two = json.loads(run("eval", str(SAMPLES), "--format", "json", "--jobs", "2").stdout)
    assert one == two and len(one) == 11
    assert [r["文件"] for r in one] == sorted(r["文件"] for r in one)


def test_batch_summary_names_most_violated_articles_and_nearest_deadlines():
    result = run("eval", str(SAMPLES), "--jobs", "2")
    assert "违反最多的条文：第四十五条 5 个项目；" in result.stdout
    assert "最近的截止日期：" in result.stdout and "2026年12月4日  JX-2026-021  第二十八条" in result.stdout


def test_bad_jobs_value_exits_2():
    result = run("eval", str(SAMPLES), "--jobs", "0")
    assert (result.returncode, result.stderr) == (2, "错误[E500]: --jobs 应为正整数，而不是 0\n")


def test_explain_goes_record_by_record_for_per_record_rules():
    result = run("explain", str(SAMPLES / "政务服务一网通办升级.yaml"), "第三十三条")
    block = result.stdout.split("规则 33.3")[1]
    assert "第 1 项：\n    结果：未触发：按读取的事实，本条规则所列情形不存在\n    读取的事实：\n      实施.变更.备案 = 是" in block
    assert "第 2 项：\n    结果：违规 —— 变更情况未向县大数据局备案\n    读取的事实：\n      实施.变更.备案 = 否" in block


def _unusable_and_good_files(folder):
    head = "项目:\n  编号: X\n  名称: n\n  建设单位: u\n"
    (folder / "1-长数字.json").write_text('{"项目": {"编号": "X", "名称": "n", "建设单位": "u", "总预算": ' + "9" * 5000 + "}}",
                                          encoding="utf-8")
    (folder / "2-哨兵日期.yaml").write_text(head + "采购:\n  中标通知书日期: 9999-12-31\n", encoding="utf-8")
    (folder / "3-代理项.json").write_text('{"项目": {"编号": "\\ud800", "名称": "n", "建设单位": "u"}}', encoding="utf-8")
    (folder / "4-好.yaml").write_text((SAMPLES / "智慧城管综合平台.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "5-好.yaml").write_text((SAMPLES / "应急指挥调度系统.yaml").read_text(encoding="utf-8"), encoding="utf-8")


def test_unusable_files_cost_only_themselves_in_json(tmp_path):
    _unusable_and_good_files(tmp_path)
    result = run("eval", ".", "--format", "json", "--jobs", "2", cwd=tmp_path)
    items = json.loads(result.stdout)
    assert result.returncode == 2 and "E999" not in result.stderr and "Traceback" not in result.stderr
    assert [item.get("结论") or item["错误"][0]["代码"] for item in items] == ["E304", "E321", "E303", "合规", "不合规"]
    assert items[1]["错误"] == [{"代码": "E321", "文件": "2-哨兵日期.yaml", "行": 6, "键": "采购.中标通知书日期",
                                 "信息": "日期 9999-12-31 不在 1949-10-01 至 2199-12-31 之间，请检查年份", "提示": ""}]


def test_unusable_files_cost_only_themselves_in_text(tmp_path):
    _unusable_and_good_files(tmp_path)
    result = run("eval", ".", cwd=tmp_path)
    assert result.returncode == 2 and "E999" not in result.stderr + result.stdout
    assert result.stdout.index("1-长数字.json  结论：无法使用") < result.stdout.index("2-哨兵日期.yaml  结论：无法使用") \
        < result.stdout.index("结论：合规") < result.stdout.index("结论：不合规")
    assert "  2-哨兵日期.yaml:6: 错误[E321]: 「采购.中标通知书日期」日期 9999-12-31 不在" in result.stdout
    assert "共 5 个项目：不合规 1，合规 1，无法读取 3" in result.stdout


def test_single_unusable_file_in_json_is_its_error(tmp_path):
    (tmp_path / "空.yaml").write_text("{}\n", encoding="utf-8")
    result = run("eval", "空.yaml", "--format", "json", cwd=tmp_path)
    assert result.returncode == 2
    assert json.loads(result.stdout) == {"文件": "空.yaml", "错误": [{
        "代码": "E322", "文件": "空.yaml", "行": None, "键": "项目", "提示": "",
        "信息": "没有写出这一组；每个事实文件至少应写出其中的编号、名称、建设单位，否则说不清评估的是哪个项目"}]}


def test_eval_json_is_byte_for_byte_the_whole_portfolio_rendered_at_once(tmp_path, policy, monkeypatch):
    """Each file's JSON is made in its worker and written as it arrives (engine/eval_output.py):
    the text must be what render.to_json of all the results at once writes, for an array and for
    one file, broken files included, and each error on stderr in input order."""
    from engine import render
    from engine.batch import evaluate_files
    from engine.facts import facts_files
    _unusable_and_good_files(tmp_path)
    for sample in sorted(SAMPLES.glob("*.yaml"))[:4]:
        (tmp_path / sample.name).write_bytes(sample.read_bytes())
    monkeypatch.chdir(ROOT)
    files = facts_files([tmp_path])
    results = list(evaluate_files(policy, files, None, jobs=1))
    whole = run("eval", str(tmp_path), "--format", "json", "--jobs", "2", "--no-cache")
    assert whole.stdout == render.to_json([r.to_json() for r in results]) + "\n"
    assert whole.stderr == "".join(f"{r.error}\n" for r in results if r.error) and whole.returncode == 2
    for result in (results[0], results[-1]):  # an unusable file and a report, each alone: an object
        alone = run("eval", str(result.path), "--format", "json", "--no-cache")
        assert alone.stdout == render.to_json(result.to_json()) + "\n"


def test_a_file_name_that_is_not_utf8_costs_nothing_and_is_shown_as_its_bytes(tmp_path):
    good = (SAMPLES / "智慧城管综合平台.yaml").read_bytes()
    (tmp_path / os.fsdecode(b"a\xff.yaml")).write_bytes(good)
    (tmp_path / os.fsdecode(b"b\xfe.yaml")).write_text("项目: [\n", encoding="utf-8")  # unusable too
    (tmp_path / "c.yaml").write_bytes(good)
    for jobs in ("1", "2"):
        result = run("eval", ".", "--format", "json", "--jobs", jobs, cwd=tmp_path)
        assert result.returncode == 2 and "E999" not in result.stderr, result.stderr
        items = json.loads(result.stdout)
        assert [item["文件"] for item in items] == ["a\\xff.yaml", "b\\xfe.yaml", "c.yaml"]
        assert items[1]["错误"][0]["文件"] == "b\\xfe.yaml" and items[0]["结论"] == items[2]["结论"]
    text = run("eval", ".", cwd=tmp_path)
    assert text.returncode == 2 and "E999" not in text.stdout + text.stderr and "（a\\xff.yaml）" in text.stdout
