"""A revision (修订) judged beside the version it replaces: policies/jinxiang_2026.rules, a fictional
revision of Jinxiang's measures from 2026-07-01 (contract within 15 instead of 10 个工作日, the major
project threshold 1000 instead of 500万元, 第八条 amended). The scenarios in features/jinxiang_2026/
specify it; these tests hold the parts that are not scenarios."""
from __future__ import annotations

import datetime as dt
import random
import shutil

import pytest

from engine.errors import ToolError
from engine.policy import load_policy
from helpers import ROOT, make_project
from engine.backend import Engine

REVISION = ROOT / "policies" / "jinxiang_2026.rules"


@pytest.fixture(scope="module")
def chain():
    return load_policy(REVISION, backend=Engine.DURABLE)


def test_both_versions_of_a_changed_rule_are_in_the_chain(chain):
    ids = {r.rule_id for r in chain.ir.rules if r.article.label == "第二十八条"}
    assert {"28.2", "28.2（2024-12-12版）"} <= ids
    unchanged = next(r for r in chain.ir.rules if r.rule_id == "28.1")
    assert unchanged.version.endswith("未修改") and unchanged.span.file.endswith("jinxiang_2024.rules")


def test_the_two_backends_agree_on_projects_across_the_revision_date(chain):
    rng = random.Random(20260701)
    for _ in range(60):
        notice = dt.date(2026, 6, 1) + dt.timedelta(days=rng.randint(0, 60))
        signed = notice + dt.timedelta(days=rng.randint(0, 35))
        project = make_project(chain.vocabulary, {"采购.中标通知书日期": notice, "合同.签订日期": signed,
                                                 "合同.备案日期": signed})
        durable = chain.evaluate(project, as_of=dt.date(2026, 11, 27))
        reference = chain.using(Engine.REFERENCE).evaluate(project, as_of=dt.date(2026, 11, 27))
        assert [f.to_json() for f in durable.findings] == [f.to_json() for f in reference.findings]


def test_findings_say_which_version_judged_them(chain):
    project = make_project(chain.vocabulary, {"采购.中标通知书日期": dt.date(2026, 6, 25), "合同.签订日期": dt.date(2026, 7, 10)})
    late = [f.to_json() for f in chain.evaluate(project, as_of=dt.date(2026, 11, 27)).findings if f.rule.rule_id.startswith("28.2")]
    assert [(f["规则"], f["类别"], f["截止日期"], f["版本"]) for f in late] == [
        ("28.2（2024-12-12版）", "违规", "2026-07-09", "金政字〔2024〕80号（2024-12-12起施行）")]


def test_a_revision_must_take_effect_after_the_version_it_revises(tmp_path):
    for name in ("jinxiang_2024.rules", "jinxiang_2024.source.txt"):
        shutil.copy(ROOT / "policies" / name, tmp_path / name)
    revision = tmp_path / "rev.rules"
    revision.write_text("修订 “jinxiang_2024.rules”\n施行日期 2024-01-01\n", encoding="utf-8")
    with pytest.raises(ToolError) as caught:
        load_policy(revision, backend=Engine.REFERENCE)
    assert "rev.rules:1:1: 错误[E196]: 修订版的施行日期（2024-01-01）应晚于被修订版本的施行日期（2024-12-12）" in caught.value.render()
