"""The 规格场景 tab's API: the policy's own feature files listed by article, read and saved with a
version check, runs of one scenario / one article (in any form the search accepts) / all, failures
in Chinese, and the one-click update of a failed step's expected value."""
from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest

from helpers import ROOT
from workbench_client import running_workbench

CHAPTER = "05_第五章_采购和合同管理.feature"
TODO_STEP = "    那么 应有待办 第二十八条，截止日期为 2026-12-04"


@pytest.fixture(scope="module")
def workbench(tmp_path_factory):
    """A workbench over copies of the Jinxiang policy and of the feature files (they are written)."""
    folder = tmp_path_factory.mktemp("scenarios")
    features = folder / "features"
    shutil.copytree(ROOT / "features", features, ignore=shutil.ignore_patterns("__pycache__"))
    with running_workbench(folder, features=features) as running:
        running.features = features
        yield running


def test_the_policys_own_files_and_scenarios_by_article(workbench):
    status, data = workbench.call("/api/scenarios")
    assert status == 200
    names = [entry["文件"] for entry in data["文件"]]
    assert names == sorted(path.name for path in (ROOT / "features").glob("*.feature"))  # no county's folder
    todo = {"文件": CHAPTER, "行": 146, "场景": "合同尚未签订、期限未到时为待办，并给出截止日期"}
    assert todo in data["条文"]["第二十八条"]
    assert all(entry["文件"] in names for entries in data["条文"].values() for entry in entries)


def test_a_feature_file_is_saved_only_over_the_version_read(workbench):
    status, read = workbench.call(f"/api/scenarios/file?file={quote(CHAPTER)}")
    assert status == 200 and TODO_STEP in read["文本"]
    text = read["文本"] + "\n"
    status, saved = workbench.call("/api/scenarios/save", {"file": CHAPTER, "text": text, "version": read["版本"]})
    assert status == 200 and (workbench.features / CHAPTER).read_text(encoding="utf-8") == text
    status, stale = workbench.call("/api/scenarios/save", {"file": CHAPTER, "text": "# 覆盖", "version": read["版本"]})
    assert (status, stale["error"]) == (409, "规格文件已在别处被修改（另一个标签页或编辑器）。请先复制你的修改，重新载入后再保存。")
    broken = text.replace(TODO_STEP, TODO_STEP + "\n    这一行不是步骤")
    status, refused = workbench.call("/api/scenarios/save", {"file": CHAPTER, "text": broken, "version": saved["版本"]})
    assert status == 422 and f"{CHAPTER}:150: 规格文件无法解析：「这一行不是步骤」" in refused["error"]
    assert (workbench.features / CHAPTER).read_text(encoding="utf-8") == text
    status, forced = workbench.call("/api/scenarios/save", {"file": CHAPTER, "text": broken, "version": saved["版本"], "force": True})
    assert status == 200 and workbench.call("/api/scenarios")[1]["问题"][0].startswith(f"{CHAPTER}:150: 规格文件无法解析：")
    status, _ = workbench.call("/api/scenarios/save", {"file": CHAPTER, "text": text, "version": forced["版本"]})
    assert status == 200 and workbench.call("/api/scenarios")[1]["问题"] == []
    for name in ("../conftest.py", "南阳湖县_2025/南阳湖县的改动.feature"):  # only this policy's own files
        status, answer = workbench.call("/api/scenarios/save", {"file": name, "text": "x", "version": "0"})
        assert status == 400 and "没有规格文件" in answer["error"]


def test_one_article_in_any_form_and_a_wrong_one(workbench):
    counts = set()
    for form in ("28", "第28条", "第二十八条", "２８"):
        status, run = workbench.call("/api/scenarios", {"article": form})
        assert status == 200 and run["失败"] == 0, run
        assert {tuple(s["条号"]) for s in run["场景"]} >= {("第二十八条",)} and all("第二十八条" in s["条号"] for s in run["场景"])
        counts.add(run["通过"])
    assert len(counts) == 1 and counts.pop() > 3
    status, answer = workbench.call("/api/scenarios", {"article": "第四十七条之一"})
    assert status == 422 and "无法识别的条号「第四十七条之一」" in answer["error"]  # not an article of these measures


def test_a_changed_expectation_is_updated_in_one_step_then_passes(workbench):
    """After an intended change the step's date is wrong: the run says so in Chinese and offers the
    new value; the update rewrites that value on that line only, and the scenario passes again."""
    path = workbench.features / CHAPTER
    _, read = workbench.call(f"/api/scenarios/file?file={quote(CHAPTER)}")
    wrong = read["文本"].replace(TODO_STEP, TODO_STEP.replace("2026-12-04", "2026-12-01"))
    _, saved = workbench.call("/api/scenarios/save", {"file": CHAPTER, "text": wrong, "version": read["版本"]})
    status, run = workbench.call("/api/scenarios", {"file": CHAPTER, "line": 146})
    assert status == 200 and (run["通过"], run["失败"]) == (0, 1)
    failure = run["场景"][0]["失败"]
    assert (failure["行"], failure["步骤"], failure["期望"], failure["实际"]) == (
        149, "那么 应有待办 第二十八条，截止日期为 2026-12-01", "待办 截止日期 2026-12-01", "2026-12-04")
    assert failure["全文"].startswith(f"{path}:149: 场景「合同尚未签订、期限未到时为待办，并给出截止日期」\n"
                                      "  步骤：那么 应有待办 第二十八条，截止日期为 2026-12-01\n  应有第二十八条的待办，截止日期 2026-12-01；实际：")
    assert "Traceback" not in failure["全文"]
    update = failure["更新"]
    assert update == {"文件": CHAPTER, "行": 149, "原值": "2026-12-01", "新值": "2026-12-04", "列": None}
    status, stale = workbench.call("/api/scenarios/update", {"file": CHAPTER, "version": read["版本"], "line": 149,
                                                             "written": "2026-12-01", "found": "2026-12-04"})
    assert status == 409  # the page's version is older than the file: nothing is rewritten
    status, updated = workbench.call("/api/scenarios/update", {"file": CHAPTER, "version": saved["版本"], "line": update["行"],
                                                               "written": update["原值"], "found": update["新值"]})
    assert status == 200 and updated["步骤"] == TODO_STEP.strip()
    assert path.read_text(encoding="utf-8") == read["文本"]  # that value, and nothing else, changed back
    status, again = workbench.call("/api/scenarios", {"file": CHAPTER, "line": 146})
    assert (status, again["通过"], again["失败"]) == (200, 1, 0)
    status, missing = workbench.call("/api/scenarios/update", {"file": CHAPTER, "version": updated["版本"], "line": 149,
                                                               "written": "2026-12-01", "found": "2026-12-09"})
    assert status == 422 and "这一步中没有「2026-12-01」" in missing["error"]


def test_a_countys_workbench_runs_its_own_scenarios_against_its_own_file(tmp_path):
    """A county's policy (a copy, served from elsewhere) lists and runs its own folder only, compiled
    from the workbench's file, not the repository's."""
    for name in ("南阳湖县_2025.rules", "南阳湖县_词汇.yaml", "jinxiang_2024.rules"):
        shutil.copy(ROOT / "policies" / name, tmp_path / name)
    features = tmp_path / "features"
    shutil.copytree(ROOT / "features", features, ignore=shutil.ignore_patterns("__pycache__"))
    with running_workbench(tmp_path, tmp_path / "南阳湖县_2025.rules", features=features) as county:
        _, listing = county.call("/api/scenarios")
        assert [entry["文件"] for entry in listing["文件"]] == ["南阳湖县_2025/南阳湖县的改动.feature"]
        status, run = county.call("/api/scenarios", {})
        assert status == 200 and run["失败"] == 0 and run["通过"] > 0
        assert run["所测政策"] == str(tmp_path / "南阳湖县_2025.rules")
        assert {s["文件名"] for s in run["场景"]} == {"南阳湖县_2025/南阳湖县的改动.feature"}


def test_a_run_compiles_the_file_on_disk_and_leaves_the_servers_policy_alone(tmp_path):
    """Evaluations answer during and after a run, with the same findings; a parameter changed on
    disk (10 → 15 个工作日) is what the next run judges by, and its expected date is then one click."""
    features = tmp_path / "features"
    shutil.copytree(ROOT / "features", features, ignore=shutil.ignore_patterns("__pycache__"))
    with running_workbench(tmp_path, features=features) as bench:
        sample = {"sample": "社区网格信息平台", "as_of": "2026-11-27"}
        _, before = bench.call("/api/evaluate", sample)
        with ThreadPoolExecutor(1) as pool:
            run = pool.submit(bench.call, "/api/scenarios", {"article": "第二条"})
            during = [bench.call("/api/evaluate", sample) for _ in range(3)]
            status, result = run.result(timeout=600)
        assert status == 200 and result["失败"] == 0 and result["通过"] > 0
        assert all(answer == (200, before) for answer in during) and bench.call("/api/evaluate", sample) == (200, before)

        bench.policy.write_text(bench.policy.read_text(encoding="utf-8").replace("【合同签订时限】 = 10个工作日", "【合同签订时限】 = 15个工作日"),
                                encoding="utf-8")
        _, run = bench.call("/api/scenarios", {"file": CHAPTER, "line": 146})
        update = run["场景"][0]["失败"]["更新"]
        assert (update["原值"], update["新值"]) == ("2026-12-04", "2026-12-11")  # 15 working days after 中标 on 2026-11-20
        _, read = bench.call(f"/api/scenarios/file?file={quote(CHAPTER)}")
        bench.call("/api/scenarios/update", {"file": CHAPTER, "version": read["版本"], "line": update["行"],
                                             "written": update["原值"], "found": update["新值"]})
        _, again = bench.call("/api/scenarios", {"file": CHAPTER, "line": 146})
        assert (again["通过"], again["失败"]) == (1, 0)
        bench.policy.write_text(bench.policy.read_text(encoding="utf-8").replace("若 合同.质保期 低于", "若 合同.质保其 低于"),
                                encoding="utf-8")
        status, refused = bench.call("/api/scenarios", {"article": "28"})  # not 200 scenarios failing alike
        assert status == 422 and "规格场景按磁盘上的政策文件运行，但它现在不能编译，没有运行：" in refused["error"]
        assert "合同.质保其" in refused["error"]


def test_an_outline_value_is_updated_in_its_example_rows_cell_and_nowhere_else():
    from engine.workbench.bodies import StepUpdateBody
    from engine.workbench.scenario_desk import _with_value

    row = "      | 2025-01-24 | 违规 | 第11个工作日签订，违规 |"
    body = StepUpdateBody(file="a.feature", version="v", line=1, written="违规", found="无", column=1)
    assert _with_value(row, body) == "      | 2025-01-24 | 无 | 第11个工作日签订，违规 |"
    assert _with_value(row, body.model_copy(update={"column": 0})) is None  # that cell holds another value
    assert _with_value(row, body.model_copy(update={"column": 5})) is None  # no such column
    assert _with_value("    那么 规则28.2 应为 违规", body.model_copy(update={"column": None})) == "    那么 规则28.2 应为 无"
