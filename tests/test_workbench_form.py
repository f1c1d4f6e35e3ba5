"""The 试算 form's API without a browser: the layout comes from the facts vocabulary (stages, record
lists, required fields), a file fills the form and its mistakes come back by key path, the form is
saved as a facts file that the CLI evaluates, and any project's report can be printed."""
from __future__ import annotations

import subprocess
import sys

import pytest

from engine.facts import load_facts
from engine.language import KIND_ORDER
from engine.vocabulary import load_vocabulary
from helpers import ROOT
from workbench_client import running_workbench

FORM_PROJECT = {
    "项目.编号": "表单-7", "项目.名称": "表单录入的项目", "项目.建设单位": "县测试局", "项目.总预算": "680万元",
    "项目.应用类型": [], "项目.支持方向": "",
    "评审.需求评审.材料": ["建设依据", "建设内容"], "采购.中标通知书日期": "2026-01-05", "合同.签订日期": "",
    "实施.变更": [{"事项": "建设地点", "日期": "2026-03-02", "事先申请": "否", "重新审批": "", "备案": ""}],
}


@pytest.fixture(scope="module")
def call(tmp_path_factory):
    with running_workbench(tmp_path_factory.mktemp("form")) as workbench:
        yield workbench.call


def test_layout_is_the_vocabulary_grouped_by_stage(call):
    status, layout = call("/api/facts-form")
    assert status == 200
    stages = [stage["阶段"] for stage in layout["阶段"]]
    assert stages == ["项目", "单位", "评审", "立项", "预算", "采购", "合同", "实施", "验收", "评价", "安全", "数据", "监督"]
    vocabulary = load_vocabulary()
    shown = [field["字段"] for stage in layout["阶段"] for field in stage["字段"]]
    assert shown == [path for path in vocabulary.fields if path != "评估日期"]  # every field once, in the file's order
    assert layout["评估日期"]["字段"] == "评估日期"
    fields = {field["字段"]: field for stage in layout["阶段"] for field in stage["字段"]}
    assert [f["字段"] for f in fields.values() if f["必填"]] == ["项目.编号", "项目.名称", "项目.建设单位"]
    assert fields["评审.需求评审.日期"]["小组"] == "需求评审"
    assert [f["名称"] for f in fields["实施.变更"]["记录字段"]] == ["事项", "日期", "事先申请", "重新审批", "备案"]
    assert {f["字段"] for f in fields.values() if f["类型"] == "记录列表"} == {"实施.变更", "监督.整改通知", "监督.责任认定"}
    assert fields["合同.签订日期"]["说明"] == "正式采购合同签订的日期"


def test_the_form_is_saved_as_a_facts_file_the_cli_evaluates(call, tmp_path):
    status, saved = call("/api/facts-form/save", {"fields": FORM_PROJECT, "as_of": "2026-03-20"})
    assert status == 200 and saved["错误"] == []
    text = saved["yaml"]
    assert "应用类型: []" in text and "支持方向" not in text  # none of the words is known; unticked is unknown
    assert "评估日期: 2026-03-20\n" in text and "材料: [建设依据, 建设内容]" in text and "签订日期" not in text
    assert "  变更:\n  - 事项: 建设地点\n    日期: 2026-03-02\n    事先申请: 否\n" in text
    path = tmp_path / "表单-7.yaml"
    path.write_text(text, encoding="utf-8")
    facts = load_facts(path, load_vocabulary())
    assert facts.records["实施.变更"][0]["事先申请"] is False
    result = subprocess.run([sys.executable, "cli.py", "eval", str(path), "--format", "json"], capture_output=True,
                            text=True, encoding="utf-8", cwd=ROOT)
    assert result.returncode in (0, 1), result.stderr
    assert '"33.1"' in result.stdout  # the 变更 without 事先申请 is judged under 第三十三条
    # … and loaded back into the form, the same values (blanks left out, 评估日期 for the toolbar).
    status, loaded = call("/api/facts-form/load", {"facts_text": text, "name": "表单-7.yaml"})
    assert status == 200 and loaded["错误"] == [] and loaded["评估日期"] == "2026-03-20"
    assert loaded["字段"]["实施.变更"] == [{"事项": "建设地点", "日期": "2026-03-02", "事先申请": "否"}]
    assert loaded["字段"]["评审.需求评审.材料"] == ["建设依据", "建设内容"]
    assert "合同.签订日期" not in loaded["字段"]


def test_form_mistakes_come_back_by_key_path(call):
    fields = {**FORM_PROJECT, "项目.总预算": "很多", "项目.名称": " ", "实施.变更": [{"事项": "地点"}]}
    status, saved = call("/api/facts-form/save", {"fields": fields})
    assert status == 200 and saved["yaml"] is None
    problems = {problem["键"]: problem["信息"] for problem in saved["错误"]}
    assert set(problems) == {"项目.总预算", "项目.名称", "实施.变更[0].事项"}
    assert "680万元" in problems["项目.总预算"]
    status, checked = call("/api/facts-form/check", {"fields": fields})
    assert status == 200 and {p["键"] for p in checked["错误"]} == set(problems)
    status, answer = call("/api/evaluate", {"fields": fields})
    assert status == 422 and {p["键"] for p in answer["facts_errors"]} == set(problems)


def test_an_uploaded_file_fills_the_form_and_its_mistakes_are_named(call):
    text = "项目:\n  编号: X-1\n  名称: 上传\n  建设单位: 县测试局\n  总预算: 很多\n合同:\n  签定日期: 2026-01-01\n"
    status, loaded = call("/api/facts-form/load", {"facts_text": text, "name": "上传.yaml"})
    assert status == 200 and loaded["字段"]["项目.编号"] == "X-1" and loaded["字段"]["项目.总预算"] == "很多"
    assert [(p["键"], p["行"]) for p in loaded["错误"]] == [("项目.总预算", 5), ("合同.签定日期", 7)]
    assert "签订日期" in loaded["错误"][1]["提示"]  # did you mean
    status, broken = call("/api/facts-form/load", {"facts_text": "项目: [\n", "name": "坏.yaml"})
    assert status == 200 and broken["字段"] == {} and broken["错误"][0]["文字"].startswith("坏.yaml:")
    status, sample = call("/api/facts-form/load", {"sample": "应急指挥调度系统"})
    assert status == 200 and sample["错误"] == [] and sample["字段"]["项目.名称"]


def test_any_projects_report_is_printable_sorted_by_kind(call):
    status, answer = call("/api/report", {"fields": FORM_PROJECT, "as_of": "2026-03-20"})
    assert status == 200
    page = answer["html"]
    assert "表单-7" in page and "@page" in page
    kinds = [kind for kind in KIND_ORDER if f'data-kind="{kind}"' in page]
    positions = [page.index(f'data-kind="{kind}"') for kind in kinds]
    assert len(kinds) >= 2 and positions == sorted(positions)
    assert '<td class="article"><span class="label">第二十八条</span></td>' in page  # the 28.2 finding: 中标通知书 of 2026-01-05, no 合同


def test_every_sample_through_the_form_is_judged_as_its_file(call):
    """A sample loaded into the form and evaluated from there gets the findings of the file itself."""
    status, samples = call("/api/samples")
    assert status == 200 and len(samples["示例"]) >= 10
    for name in samples["示例"]:
        _, loaded = call("/api/facts-form/load", {"sample": name})
        assert loaded["错误"] == [], name
        _, from_file = call("/api/evaluate", {"sample": name})
        _, from_form = call("/api/evaluate", {"fields": loaded["字段"], "as_of": loaded["评估日期"]})
        assert from_form["发现"] == from_file["发现"] and from_form["结论"] == from_file["结论"], name
