"""What staff read and sign: articles cited as the regulation is cited (第三十条第二款, 第一款第二项),
facts in words with the vocabulary's description, dates as 2025年4月24日, the policy by name, 文号
and date; the rule's source lines kept in small print, the JSON report unchanged."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from rich.console import Console

from engine import render
from engine.backend import Engine
from engine.facts import load_facts
from engine.policy import compile_policy, load_policy, prepare_policy
from engine.report_html import printable_report
from engine.report_view import ReportView
from engine.staff_labels import StaffLabels, date_in_words, dates_in_words, staff_labels
from engine.vocabulary import load_vocabulary
from engine.workdays import load_calendar
from helpers import AS_OF, ROOT

SAMPLE = ROOT / "facts" / "示例" / "应急指挥调度系统.yaml"
ITEMS = ("名称 “测试办法”\n文号 “测试〔2025〕1号”\n发布日期 2025-01-02\n施行日期 2025-02-01\n\n"
         "第三十条（合同）\n> 合同应当约定下列事项：（一）项目名称；（二）实施周期不应超过 3 年。\n> 质保期一般不低于 2 年。\n\n"
         "规则 30.1 依据“实施周期不应超过 3 年”\n  若 合同.实施周期 超过 3年 则 违规 “实施周期超过3年”\n\n"
         "规则 30.2 依据“质保期一般不低于 2 年”\n  若 合同.质保期 低于 2年 则 警示 “质保期低于2年”\n")


@pytest.fixture(scope="module")
def labels(policy) -> StaffLabels:
    return staff_labels(policy)


@pytest.fixture(scope="module")
def items_policy():
    vocabulary = load_vocabulary()
    return prepare_policy(compile_policy(ITEMS, "测试.rules", vocabulary), vocabulary, load_calendar(), backend=Engine.REFERENCE)


def test_an_article_of_several_paragraphs_is_cited_to_the_paragraph(labels, policy):
    rules = {rule.rule_id: rule for rule in policy.ir.rules}
    cite = lambda rule_id: labels.citation(rules[rule_id].article.label, rules[rule_id].quote)  # noqa: E731
    assert cite("30.1") == "《金乡县政务信息化项目建设管理办法》第三十条第二款"
    assert cite("6.3") == "《金乡县政务信息化项目建设管理办法》第六条第二款"
    assert cite("28.2") == "《金乡县政务信息化项目建设管理办法》第二十八条"  # one paragraph: no 款
    assert labels.clause("第九十九条", "不在本办法中") == "第九十九条"  # an article the policy no longer has


def test_an_enumerated_item_is_cited_as_its_item(items_policy):
    labels = staff_labels(items_policy)
    rules = {rule.rule_id: rule for rule in items_policy.ir.rules}
    assert labels.clause("第三十条", rules["30.1"].quote) == "第三十条第一款第二项"
    assert labels.clause("第三十条", rules["30.2"].quote) == "第三十条第二款"
    assert labels.clause("第三十条", "合同应当约定下列事项") == "第三十条第一款"  # before the first item


def test_facts_read_in_words_with_their_description(labels):
    assert labels.fact("实施.变更[1].事先申请").text == "实施 › 变更 第2项 › 事先申请"
    assert labels.fact("实施.变更[1].事先申请").description == "是否事先向项目审批部门提交调整申请"
    assert labels.fact("合同.签订日期").text == "合同 › 签订日期" and labels.fact("合同.签订日期").description
    assert labels.fact("项目.名称").description == ""  # 「项目名称」 only repeats the path
    assert labels.fact("预算.实际支出超出项目.总预算").text == "「预算 › 实际支出」超出「项目 › 总预算」"
    assert labels.fact("验收.投入使用日期下一周年日").text == "「验收 › 投入使用日期」下一周年日"
    for kept in ("截止日期", "评估日期", "第二十八条（规则28.2）"):
        assert labels.fact(kept).text == kept and labels.fact(kept).description == ""
    assert labels.value("40万元，为项目.总预算的7.69%") == "40万元，为「项目 › 总预算」的7.69%"


def test_dates_and_the_policy_in_words(labels):
    assert date_in_words(dt.date(2025, 4, 4)) == "2025年4月4日"
    assert dates_in_words("2026-06-01、2026-12-01") == "2026年6月1日、2026年12月1日"
    assert dates_in_words("编号 12026-06-011") == "编号 12026-06-011"  # not a date
    assert labels.policy_in_words("金乡县政务信息化项目建设管理办法", "金政字〔2024〕80号") == \
        "《金乡县政务信息化项目建设管理办法》（金政字〔2024〕80号，2024年12月12日起施行）"
    assert labels.policy_in_words("旧办法", "旧〔2020〕1号") == "《旧办法》（旧〔2020〕1号）"  # no dates it cannot vouch for


def test_a_policy_issued_before_it_takes_effect_says_both(items_policy):
    assert staff_labels(items_policy).policy_in_words("测试办法", "测试〔2025〕1号") == \
        "《测试办法》（测试〔2025〕1号，2025年1月2日发布，2025年2月1日起施行）"


def test_every_finding_of_a_sample_traces_to_its_article_and_source_lines(policy, labels):
    facts = load_facts(SAMPLE, policy.vocabulary)
    report = policy.evaluate(facts, AS_OF).report()
    json_before = report.to_json()
    view = ReportView.of(report, labels, facts.values["项目.建设单位"])
    assert report.to_json() == json_before  # the view changes nothing in the report
    assert dict(view.heading) == {"项目名称": "金乡县应急指挥调度系统", "项目编号": "JX-2025-013", "建设单位": "县应急管理局",
                                  "评估日期": "2026年11月27日"}
    shown = view.finding_views()
    assert [v.finding for v in shown] == list(report.findings)
    for finding, words in zip(report.findings, shown):
        assert words.citation.startswith("《金乡县政务信息化项目建设管理办法》" + finding.article_label)
        file, first, last = re.fullmatch(r"(.+):([0-9]+)-([0-9]+)", finding.source).groups()
        assert words.source == f"规则 {finding.rule_id}，{file} 第{first}—{last}行"
        assert [line.label for line in words.missing] == [labels.fact(key).text for key in finding.missing]
        assert not any(re.search(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", line.value) for line in words.basis)
    overdue = next(v for v in shown if v.finding.rule_id == "28.2")
    assert overdue.deadline == "2025年2月13日" and overdue.to_json()["截止日期"] == "2025年2月13日"


def test_the_printed_report_reads_like_a_bureau_document(policy, labels):
    facts = load_facts(SAMPLE, policy.vocabulary)
    report = policy.evaluate(facts, AS_OF).report()
    page = printable_report(report, labels, facts.values["项目.建设单位"])
    assert "<th>建设单位</th><td>县应急管理局</td>" in page and "<th>评估日期</th><td>2026年11月27日</td>" in page
    assert "《金乡县政务信息化项目建设管理办法》（金政字〔2024〕80号，2024年12月12日起施行）" in page
    assert "出处：《金乡县政务信息化项目建设管理办法》第三十条第二款" in page
    assert '<td class="article"><span class="label">第三十条</span><span class="clause">第二款</span></td>' in page
    assert "规则 28.2，policies/jinxiang_2024.rules 第" in page  # the source lines stay, in small print
    assert "policies/jinxiang_2024.rules:" not in page  # but not as the programmer's file:line
    assert "合同 › 签订日期：2025年2月20日" in page and "合同.签订日期" not in page
    # The fingerprint only on the last line, for programmers.
    assert page.count(report.policy_fingerprint) == 1
    assert page.index(report.policy_fingerprint) > page.index('class="signature"')


def test_the_terminal_report_cites_clauses_and_names_facts_in_words(policy, labels):
    facts = load_facts(SAMPLE, policy.vocabulary)
    report = policy.evaluate(facts, AS_OF).report()
    out = io.StringIO()
    render.print_report(Console(file=out, width=240), report, labels)
    text = out.getvalue()
    assert "评估日期 2026年11月27日" in text and "依据：《金乡县政务信息化项目建设管理办法》（金政字〔2024〕80号" in text
    assert "第三十条第二款" in text and "2025年2月13日" in text
    missing = next(line for line in text.splitlines() if "│ 5.2 " in line)  # 无法判定: the fact to supply, in words
    assert missing.rstrip("│ ").endswith("单位 › 统筹管理机制"), missing


def test_a_finding_judged_by_an_earlier_version_says_which_in_words():
    revised = load_policy(ROOT / "policies" / "jinxiang_2026.rules", backend=Engine.REFERENCE)
    report = revised.evaluate(load_facts(SAMPLE, revised.vocabulary), AS_OF).report()
    earlier = [f for f in report.findings if f.judged_by_earlier_version(report.policy_number)]
    assert earlier, "the sample has conduct from before the revision"
    page = printable_report(report, staff_labels(revised))
    notes = re.findall(r'<small class="version">([^<]*)</small>', page)
    assert "按金政字〔2024〕80号（2024年12月12日起施行）的版本判定" in notes
    assert len(notes) == len(earlier) and not any(re.search(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", note) for note in notes)
