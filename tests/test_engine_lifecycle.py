"""A policy is compiled once and evaluates many projects: the same answer twice, no project sees
another's facts, an edited policy reloads in the same process, and durable-rules' crash-class
pitfalls stay neutralised."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from helpers import AS_OF, make_project
from engine.backend import BackendClosed, Engine
from engine.policy import DEFAULT_POLICY, load_policy


def _findings(report):
    return [f.to_json() for f in report.findings]


def test_same_evaluation_twice_gives_identical_findings(policy):
    facts = make_project(policy.vocabulary, {"数据.纳入大数据平台": "否", "实施.开工日期": "2025-02-01"})
    first, second = policy.evaluate(facts, AS_OF), policy.evaluate(facts, AS_OF)
    assert _findings(first) and _findings(first) == _findings(second)


def test_no_leak_from_a_violating_project_to_a_compliant_one(policy):
    bad = make_project(policy.vocabulary, {"数据.纳入大数据平台": "否", "实施.开工日期": "2025-02-01", "合同.质保期": "1年"})
    good = make_project(policy.vocabulary)
    alone = [f.to_json() for f in policy.evaluate(good, AS_OF).findings]
    for _ in range(50):
        assert policy.evaluate(bad, AS_OF).has_violations
        clean = policy.evaluate(good, AS_OF)
        assert clean.conclusion == "合规" and [f.to_json() for f in clean.findings] == alone


def test_many_sessions_do_not_hit_the_engine_limit(policy):
    # durable-rules fails past 1,024 live sessions per ruleset; each evaluation deletes its own.
    facts = make_project(policy.vocabulary)
    for _ in range(1_500):
        policy.evaluate(facts, AS_OF)


def test_project_matching_no_rule_is_safe(policy):
    # delete_state after a session where no action ran crashes durable-rules: the guard action prevents it.
    facts = make_project(policy.vocabulary, removed=tuple(k for k in make_project(policy.vocabulary).values
                                                           if not k.startswith("项目.")))
    for _ in range(20):
        policy.evaluate(facts, AS_OF)


def test_edited_policy_reloads_in_the_same_process(tmp_path):
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    path = tmp_path / "jinxiang_2024.rules"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "jinxiang_2024.source.txt").write_text("", encoding="utf-8")
    original = load_policy(path, backend=Engine.DURABLE)
    facts = make_project(original.vocabulary, {"项目.总预算": "400万元", "项目.网络安全预算": "28万元", "预算.实际支出": "400万元"})
    assert "37.1" not in {f.rule.rule_id for f in original.evaluate(facts, AS_OF).findings}
    path.write_text(text.replace("【网络安全预算比例】 = 5%", "【网络安全预算比例】 = 8%"), encoding="utf-8")
    reloaded = load_policy(path, backend=Engine.DURABLE)
    assert "37.1" in {f.rule.rule_id for f in reloaded.evaluate(facts, AS_OF).findings}
    # the old version keeps answering until it is closed, then lets go of its ruleset
    assert "37.1" not in {f.rule.rule_id for f in original.evaluate(facts, AS_OF).findings}
    original.close()
    assert "37.1" in {f.rule.rule_id for f in reloaded.evaluate(facts, AS_OF).findings}
    reloaded.close()


@pytest.mark.parametrize("engine", list(Engine))
def test_a_closed_policy_refuses_to_evaluate_rather_than_fall_back(engine):
    compiled = load_policy(DEFAULT_POLICY, backend=engine)
    facts = make_project(compiled.vocabulary)
    assert compiled.engine is engine and compiled.evaluate(facts, AS_OF).conclusion == "合规"
    compiled.close()
    compiled.close()  # closing twice is harmless
    for evaluate in (lambda: compiled.evaluate(facts, AS_OF), lambda: compiled.evaluate_many([facts], AS_OF)):
        with pytest.raises(BackendClosed) as closed:
            evaluate()
        assert closed.value.render() == (
            f"错误[E901]: 政策已关闭（{engine.value} 的规则集已释放），不能再用它评估项目。"
            "这是本工具的缺陷：请将命令报告给开发人员；重新载入政策文件即可继续")


def test_the_backend_is_always_named_by_the_caller():
    with pytest.raises(TypeError, match="backend"):
        load_policy(DEFAULT_POLICY)  # no default: the caller says which engine it wants
    with pytest.raises(ValueError):
        Engine("reference-or-durable")  # no string with a silent fallback


def test_as_of_defaults_to_the_facts_file_then_today(policy):
    facts = make_project(policy.vocabulary, {"评估日期": "2025-01-01"})
    assert policy.evaluate(facts).as_of == dt.date(2025, 1, 1)
    assert policy.evaluate(facts, dt.date(2026, 1, 1)).as_of == dt.date(2026, 1, 1)
    assert policy.evaluate(make_project(policy.vocabulary)).as_of == dt.date.today()


def test_only_the_backend_modules_import_durable():
    root = Path(__file__).resolve().parent.parent
    imports_durable = re.compile(r"^\s*(import|from) (durable\b|durable_rules_engine\b)", re.MULTILINE)
    importers = [p.name for p in (root / "engine").glob("*.py") if imports_durable.search(p.read_text(encoding="utf-8"))]
    assert importers == ["durable_session.py"]


def test_concurrent_threads_get_their_own_answers(policy):
    # The default durable Host segfaults under threads; we use no Host, and one lock around the C engine.
    import threading
    bad = make_project(policy.vocabulary, {"数据.纳入大数据平台": "否"})
    good = make_project(policy.vocabulary)
    results: list[bool] = []

    def work(facts, expected):
        for _ in range(100):
            results.append(policy.evaluate(facts, AS_OF).has_violations == expected)

    threads = [threading.Thread(target=work, args=(f, e)) for f, e in ((bad, True), (good, False)) * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 400 and all(results)
