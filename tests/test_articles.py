"""Each article's rules at the boundaries the text draws, one case per line.

A case changes a few keys of the compliant BASE_PROJECT and states which rules must fire (with
their kind, and deadline where there is one) and which must stay silent. Every case also checks
that the durable-rules backend and the reference evaluator agree (see conftest.evaluate).
"""
from __future__ import annotations

import datetime as dt

import pytest

D = dt.date
CASES = [
    # id, changes, removed, as_of, must fire {rule: kind}, must stay silent
    ("基准项目合规", {}, (), None, {}, ["2.1", "6.5", "25.1", "28.2", "30.3", "37.1", "44.1"]),
    # 第二条: applicability gate
    ("涉密系统不适用且不再检查他条", {"项目.涉密": "是", "实施.开工日期": "2025-02-01"}, (), None, {"2.1": "不适用"}, ["44.1", "44.2"]),
    ("非政府资金不适用", {"项目.资金性质": "其他"}, (), None, {"2.2": "不适用"}, ["2.1"]),
    ("系统类别其他仅提示", {"项目.系统类别": "其他", "数据.共享机制": "否"}, (), None, {"2.3": "提示", "13.1": "违规"}, []),
    ("单位类别其他仅提示", {"项目.单位类别": "其他"}, (), None, {"2.4": "提示"}, []),
    ("涉密未填则无法判定而他条照常", {"实施.开工日期": "2025-02-01"}, ("项目.涉密",), None, {"2.1": "无法判定", "44.1": "违规"}, []),
    # 第六条: review
    ("评审非县大数据局组织", {"评审.组织单位": "县财政局"}, (), None, {"6.1": "违规"}, []),
    ("技术评审早于需求评审", {"评审.技术评审.日期": "2025-01-31"}, (), None, {"6.2": "违规"}, []),
    ("技术评审与需求评审同日", {"评审.技术评审.日期": "2025-02-01", "评审.技术评审.报备日期": "2025-01-30"}, (), None, {}, ["6.2"]),
    ("需求评审未通过即技术评审", {"评审.需求评审.结论": "不通过"}, (), None, {"6.2": "违规"}, []),
    ("未经需求评审即技术评审", {}, ("评审.需求评审.日期", "评审.需求评审.报备日期"), None, {"6.2": "违规"}, ["6.3", "6.6"]),
    ("需求评审材料缺预算需求", {"评审.需求评审.材料": ["建设依据", "建设内容", "建设目标"]}, (), None, {"6.3": "违规"}, []),
    ("技术评审材料缺密码应用方案", {"评审.技术评审.材料": ["建设方案", "安全可靠说明"]}, (), None, {"6.4": "违规"}, []),
    ("500万元重大项目缺可研", {"项目.总预算": "500万元", "项目.网络安全预算": "25万元", "预算.实际支出": "500万元"}, (), None, {"6.5": "违规"}, []),
    ("499.99万元不是重大项目", {"项目.总预算": "499.99万元", "项目.网络安全预算": "25万元", "预算.实际支出": "499.99万元"}, (), None, {}, ["6.5"]),
    ("5000000元写法等同500万元", {"项目.总预算": "5000000元", "项目.网络安全预算": "25万元", "预算.实际支出": "0.05亿元"}, (), None, {"6.5": "违规"}, ["25.7", "25.8"]),
    ("重大项目材料齐全", {"项目.总预算": "500万元", "项目.网络安全预算": "25万元", "预算.实际支出": "500万元",
                    "评审.技术评审.材料": ["建设方案", "密码应用方案", "安全可靠说明", "可行性研究报告", "初步设计"]}, (), None, {}, ["6.5", "6.4"]),
    ("需求评审报备晚于评审", {"评审.需求评审.报备日期": "2025-02-02"}, (), None, {"6.6": "违规"}, []),
    ("需求评审报备与评审同日", {"评审.需求评审.报备日期": "2025-02-01"}, (), None, {}, ["6.6"]),
    ("技术评审未报备", {}, ("评审.技术评审.报备日期",), None, {"6.7": "违规"}, []),
    # 第十三条 and 第二十五条: consequences chained on findings
    ("未纳入大数据平台则不得申请运维经费", {"数据.纳入大数据平台": "否"}, (), None, {"13.2": "违规", "25.1": "后果"}, ["25.6"]),
    ("网络安全预算不足也导致后果", {"项目.网络安全预算": "19万元"}, (), None, {"37.1": "违规", "25.1": "后果"}, []),
    ("绩效评价不合格导致后果", {"评价.绩效评价结果": "不合格"}, (), None, {"25.3": "后果"}, ["13.1", "13.2", "25.1"]),
    ("有后果仍申请运维经费", {"实施.进展备案": "否", "预算.运维经费申请": "是"}, (), None, {"25.5": "后果", "25.6": "违规"}, []),
    ("无后果申请运维经费不违规", {"预算.运维经费申请": "是"}, (), None, {}, ["25.1", "25.6"]),
    ("超支原则上不补", {"预算.实际支出": "400.01万元"}, (), None, {"25.7": "警示"}, []),
    ("竣工后有结余应退回", {"预算.实际支出": "390万元", "验收.竣工验收日期": "2026-05-10"}, (), None, {"25.8": "待办"}, ["25.7"]),
    ("未竣工有结余不提", {"预算.实际支出": "390万元"}, ("验收.竣工验收日期",), None, {}, ["25.8"]),
    # 第二十八条: procurement and working-day time limits
    ("未按批准的内容和方式采购", {"采购.按批准内容和方式": "否"}, (), None, {"28.1": "违规"}, []),
    ("春节前中标第10个工作日签订", {"采购.中标通知书日期": "2025-01-24", "合同.签订日期": "2025-02-13", "合同.备案日期": "2025-02-14"}, (), None, {}, ["28.2"]),
    ("春节前中标第11个工作日签订", {"采购.中标通知书日期": "2025-01-24", "合同.签订日期": "2025-02-14", "合同.备案日期": "2025-02-14"}, (), None, {"28.2": "违规"}, ["28.3"]),
    ("国庆前中标第10个工作日签订", {"采购.中标通知书日期": "2025-09-26", "合同.签订日期": "2025-10-16", "合同.备案日期": "2025-10-16"}, (), None, {}, ["28.2"]),
    ("国庆前中标第11个工作日签订", {"采购.中标通知书日期": "2025-09-26", "合同.签订日期": "2025-10-17", "合同.备案日期": "2025-10-17"}, (), None, {"28.2": "违规"}, []),
    ("施行日期前已到期的不溯及既往", {"采购.中标通知书日期": "2024-11-15", "合同.签订日期": "2024-12-20", "合同.备案日期": "2024-12-20",
                          "实施.开工日期": "2025-05-01"}, (), None, {"28.2": "提示"}, []),
    ("合同未签期限未到为待办", {"采购.中标通知书日期": "2026-11-20"}, ("合同.签订日期", "合同.备案日期"), D(2026, 11, 27), {"28.2": "待办"}, ["28.3"]),
    ("合同未签截止当日仍为待办", {"采购.中标通知书日期": "2026-11-20"}, ("合同.签订日期", "合同.备案日期"), D(2026, 12, 4), {"28.2": "待办"}, []),
    ("合同未签期限已过为违规", {"采购.中标通知书日期": "2026-11-20"}, ("合同.签订日期", "合同.备案日期"), D(2026, 12, 5), {"28.2": "违规"}, []),
    ("劳动节前签订第10个工作日备案", {"合同.签订日期": "2025-04-21", "合同.备案日期": "2025-05-07"}, (), None, {}, ["28.3"]),
    ("劳动节前签订第11个工作日备案", {"合同.签订日期": "2025-04-21", "合同.备案日期": "2025-05-08"}, (), None, {"28.3": "违规"}, []),
    ("未中标则不计时限", {}, ("采购.中标通知书日期", "合同.签订日期", "合同.备案日期"), None, {}, ["28.2", "28.3"]),
    # 第三十条: contract terms, 3 years, 「一般」2 years
    ("合同缺保密责任条款", {"合同.条款": ["知识产权归属", "数据归属", "源代码归属", "知识产权违约责任", "实施周期", "质保范围", "质保期限", "质保责任"]}, (), None, {"30.1": "违规"}, []),
    ("合同条款未填则无法判定", {}, ("合同.条款",), None, {"30.1": "无法判定"}, []),
    ("实施周期3年", {"合同.实施周期": "3年"}, (), None, {}, ["30.2"]),
    ("实施周期36个月", {"合同.实施周期": "36个月"}, (), None, {}, ["30.2"]),
    ("实施周期37个月", {"合同.实施周期": "37个月"}, (), None, {"30.2": "违规"}, []),
    ("质保期24个月", {"合同.质保期": "24个月"}, (), None, {}, ["30.3"]),
    ("质保期23个月仅警示", {"合同.质保期": "23个月"}, (), None, {"30.3": "警示"}, []),
    # 第三十七条: 5 % of the total budget
    ("网络安全预算恰为5%", {"项目.总预算": "400万元", "项目.网络安全预算": "20万元"}, (), None, {}, ["37.1"]),
    ("网络安全预算差一分钱", {"项目.总预算": "400万元", "项目.网络安全预算": "199999.99元"}, (), None, {"37.1": "违规"}, []),
    ("升级改造项目不受5%约束", {"项目.建设性质": "升级改造", "项目.网络安全预算": "1万元"}, (), None, {}, ["37.1"]),
    ("网络安全预算未填则无法判定", {}, ("项目.网络安全预算",), None, {"37.1": "无法判定"}, []),
    ("网络安全未一体规划", {"安全.网络安全一体规划": "否"}, (), None, {"37.2": "违规", "25.1": "后果"}, []),
    # 第三十六条: the yearly self-evaluation, from the later of 竣工验收 (passed) and 投入使用, due on each anniversary
    ("自评价未到第一个周年日为待办", {}, (), D(2027, 5, 14), {"36.2": "待办"}, ["36.1", "36.3"]),
    ("周年日当天仍可自评价", {}, (), D(2027, 5, 15), {"36.2": "待办"}, ["36.1", "36.3"]),
    ("满一年未自评价为违规", {}, (), D(2027, 5, 16), {"36.1": "违规", "36.2": "待办"}, []),
    ("本年度已自评价不再列出", {"评价.自评价年度": ["2026"]}, (), D(2027, 5, 14), {}, ["36.1", "36.2", "36.3"]),
    ("先投入使用后验收从验收起算", {"验收.投入使用日期": "2026-05-01"}, (), D(2027, 5, 9), {"36.3": "待办"}, ["36.1", "36.2"]),
    ("先投入使用后验收满一年", {"验收.投入使用日期": "2026-05-01"}, (), D(2027, 5, 11), {"36.1": "违规", "36.3": "待办"}, []),
    ("验收未通过不起算自评价", {"验收.竣工验收结论": "未通过", "验收.整改方案": "是"}, (), D(2027, 6, 1), {}, ["36.1", "36.2", "36.3"]),
    # 第四十五条: only failures of the 立项, 审核 and 备案 procedures are chained, rule by rule
    ("合同至今未备案是未履行备案程序", {"合同.签订日期": "2025-04-21"}, ("合同.备案日期",), None, {"28.3": "违规", "45.1": "后果"}, []),
    ("合同逾期但已备案不是未履行备案程序", {"合同.签订日期": "2025-04-21", "合同.备案日期": "2025-05-08"}, (), None, {"28.3": "违规"}, ["45.1"]),
    ("合同逾期签订不是", {"采购.中标通知书日期": "2025-01-24", "合同.签订日期": "2025-02-14", "合同.备案日期": "2025-02-14"}, (), None,
     {"28.2": "违规"}, ["45.1"]),
    ("认定因管理不善严重超预算", {"预算.实际支出": "600万元", "监督.责任认定": [{"日期": "2026-06-01", "认定单位": "县大数据局",
                                                               "事项": "严重超预算", "管理不善": "是"}]}, (), None,
     {"25.7": "警示", "45.2": "后果"}, []),
    # 第四十四条: no building before 立项
    ("立项前一日开工", {"实施.开工日期": "2025-02-28"}, (), None, {"44.1": "违规"}, ["44.2"]),
    ("立项当日开工", {"实施.开工日期": "2025-03-01"}, (), None, {}, ["44.1", "44.2"]),
    ("未立项已开工", {}, ("立项.日期",), None, {"44.1": "违规"}, ["44.2"]),
    ("未立项开工并认定安全事故", {"监督.责任认定": [{"日期": "2026-06-01", "认定单位": "县应急管理局", "事项": "安全事故"}]},
     ("立项.日期",), None, {"44.1": "违规", "44.2": "后果"}, []),
    ("上级组织建设也须经立项", {"项目.上级组织建设": "是", "立项.备案日期": "2025-03-01"}, ("立项.日期",), None, {"44.1": "违规"}, ["4.1", "16.1"]),
    ("未开工未立项", {}, ("立项.日期", "实施.开工日期"), None, {}, ["44.1"]),
]


@pytest.mark.parametrize("name, changes, removed, as_of, fires, silent", CASES, ids=[c[0] for c in CASES])
def test_article_boundaries(evaluate, name, changes, removed, as_of, fires, silent):
    report = evaluate(changes, removed, as_of or dt.date(2026, 11, 27))
    kinds = {f.rule.rule_id: f.kind for f in report.findings}
    for rule_id, kind in fires.items():
        assert kinds.get(rule_id) == kind, f"{rule_id} should be {kind}; findings: {kinds}"
    for rule_id in silent:
        assert rule_id not in kinds, f"{rule_id} should stay silent; findings: {kinds}"
    if not fires:
        assert not report.has_violations, kinds


def test_deadline_carries_the_computed_date(evaluate):
    report = evaluate({"采购.中标通知书日期": "2025-01-24", "合同.签订日期": "2025-02-14"})
    finding = next(f for f in report.findings if f.rule.rule_id == "28.2")
    assert finding.deadline == dt.date(2025, 2, 13)
    assert finding.basis == {"采购.中标通知书日期": "2025-01-24", "合同.签订日期": "2025-02-14", "截止日期": "2025-02-13"}
    assert finding.variant == "逾期办理"


def test_pending_deadline_is_a_todo_with_its_date(evaluate):
    report = evaluate({"采购.中标通知书日期": "2026-11-20"}, ("合同.签订日期", "合同.备案日期"))
    finding = next(f for f in report.findings if f.rule.rule_id == "28.2")
    assert (finding.kind, finding.deadline, finding.variant) == ("待办", dt.date(2026, 12, 4), "未到期")
    assert report.conclusion == "合规"


def test_consequence_names_the_findings_it_rests_on(evaluate):
    report = evaluate({"数据.纳入大数据平台": "否", "项目.网络安全预算": "1万元"})
    consequence = next(f for f in report.findings if f.rule.rule_id == "25.1")
    assert consequence.rests_on == ("13.2", "37.1")
    assert consequence.basis["第十三条（规则13.2）"] == "违规"


def test_undecided_names_what_is_missing(evaluate):
    report = evaluate({}, ("项目.网络安全预算",))
    finding = next(f for f in report.findings if f.rule.rule_id == "37.1")
    assert finding.missing == ("项目.网络安全预算",)
    assert finding.summary == "无法判定：新建项目网络安全预算低于项目总预算的5%"
    assert report.conclusion == "信息不全"


def test_percentage_is_computed_exactly(evaluate):
    report = evaluate({"项目.总预算": "333.33万元", "项目.网络安全预算": "16.6665万元"})
    assert "37.1" not in {f.rule.rule_id for f in report.findings}
    report = evaluate({"项目.总预算": "333.33万元", "项目.网络安全预算": "166664.99元"})
    finding = next(f for f in report.findings if f.rule.rule_id == "37.1")
    assert finding.basis["项目.总预算×5%"] == "16.6665万元"


def test_gate_silences_every_other_article(evaluate):
    report = evaluate({"项目.涉密": "是", "数据.纳入大数据平台": "否", "采购.按批准内容和方式": "否"})
    assert [f.rule.rule_id for f in report.findings] == ["2.1"]
    assert report.conclusion == "不适用"


def test_next_due_date_of_a_yearly_duty_is_the_next_anniversary(evaluate):
    report = evaluate({}, (), D(2027, 5, 15))
    finding = next(f for f in report.findings if f.rule.rule_id == "36.2")
    assert (finding.kind, finding.deadline) == ("待办", D(2027, 5, 15))  # the anniversary is the year's last day
    report = evaluate({}, (), D(2027, 5, 16))
    finding = next(f for f in report.findings if f.rule.rule_id == "36.2")
    assert (finding.kind, finding.deadline) == ("待办", D(2028, 5, 15))


def test_rule_reference_names_the_rule_it_rests_on(evaluate):
    report = evaluate({"合同.签订日期": "2025-04-21", "采购.按批准内容和方式": "否"}, ("合同.备案日期",))
    consequence = next(f for f in report.findings if f.rule.rule_id == "45.1")
    assert consequence.rests_on == ("28.3",)


def test_an_overspend_shows_the_amount_and_the_percentage(evaluate):
    report = evaluate({"预算.实际支出": "600万元"})
    warning = next(f for f in report.findings if f.rule.rule_id == "25.7")
    assert warning.basis["预算.实际支出超出项目.总预算"] == "200万元，为项目.总预算的50%"
    assert "45.2" not in {f.rule.rule_id for f in report.findings}
    report = evaluate({"预算.实际支出": "4000001元"})
    assert next(f for f in report.findings if f.rule.rule_id == "25.7").basis["预算.实际支出超出项目.总预算"] == "1元，为项目.总预算的不足0.01%"

