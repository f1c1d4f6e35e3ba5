"""Shared fixtures: the Jinxiang policy compiled once per session, and a way to write a project
as key paths, validated exactly as a facts file is."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine.facts import nest, validate_facts
from engine.policy import DEFAULT_POLICY, load_policy

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "facts" / "示例"
AS_OF = dt.date(2026, 11, 27)

# A project that every article accepts; cases change a few keys of it.
BASE_PROJECT = {
    "项目.编号": "T-001", "项目.名称": "测试项目", "项目.建设单位": "县测试局",
    "项目.单位类别": "县直部门", "项目.涉密": "否", "项目.资金性质": "政府投资建设", "项目.系统类别": "业务信息系统",
    "项目.建设性质": "新建", "项目.总预算": "400万元", "项目.网络安全预算": "20万元",
    "项目.服务对象": "公众", "项目.应用类型": ["指挥调度"], "项目.跨部门共建": "否", "项目.县镇协同": "否",
    "项目.镇街参与": "否", "项目.追加项目": "否", "项目.上级组织建设": "否", "项目.建设工程附属": "否",
    "项目.新建土建工程": "否", "项目.高耗能": "否", "项目.部署方式": "政务云", "项目.政府采购范畴": "是",
    "单位.分管负责人": "张明", "单位.牵头科室": "信息中心", "单位.信息化建设规划": "是",
    "评审.党组会议研究日期": "2025-01-10", "评审.组织单位": "县大数据局", "评审.整体方案": "是",
    "评审.需求评审.报备日期": "2025-01-15", "评审.需求评审.材料": ["建设依据", "建设内容", "建设目标", "预算需求"],
    "评审.需求评审.日期": "2025-02-01", "评审.需求评审.结论": "通过",
    "评审.技术评审.报备日期": "2025-02-10", "评审.技术评审.材料": ["建设方案", "密码应用方案", "安全可靠说明"],
    "评审.技术评审.日期": "2025-02-20", "评审.技术评审.结论": "通过",
    "立项.日期": "2025-03-01", "立项.批复单位": "县大数据局", "立项.纳入项目库": "是",
    "预算.年度预算安排": "是", "预算.批复日期": "2025-03-20", "预算.批复抄送大数据局": "是",
    "预算.责任书备案日期": "2025-03-25", "预算.实际支出": "400万元", "预算.运维经费申请": "否",
    "采购.按批准内容和方式": "是", "采购.按政府采购程序": "是", "采购.中标通知书日期": "2025-04-10",
    "合同.签订日期": "2025-04-21", "合同.备案日期": "2025-04-28", "合同.合法性审查": "是", "合同.法律顾问": "是",
    "合同.条款": ["项目名称", "标的内容范围和要求", "履行计划地点和方式", "技术信息和资料保密", "技术成果归属和收益分配",
                "验收标准和方法", "名词和术语解释", "知识产权归属", "数据归属", "源代码归属", "知识产权违约责任", "保密责任",
                "实施周期", "质保范围", "质保期限", "质保责任"],
    "合同.实施周期": "18个月", "合同.质保期": "2年",
    "实施.实施机构": "县测试局信息中心", "实施.项目负责人": "李华", "实施.开工日期": "2025-05-01",
    "实施.按批复方案实施": "是", "实施.进展备案": "是",
    "验收.计划竣工日期": "2026-05-01", "验收.初步验收日期": "2026-04-20", "验收.竣工验收申请日期": "2026-04-25",
    "验收.竣工验收日期": "2026-05-10", "验收.竣工验收结论": "通过", "验收.验收意见备案": "是",
    "验收.投入使用日期": "2026-05-15",
    "评价.绩效评价结果": "良好",
    "安全.网络安全一体规划": "是", "安全.密码应用方案": "是", "安全.密码同步建设运行": "是", "安全.密评日期": ["2026-06-01"],
    "安全.等级保护": "是", "安全.安全机构人员": "是", "安全.安全可靠产品": "是", "安全.风险评估日期": ["2026-03-01"],
    "安全.重大安全隐患": "否",
    "数据.共享机制": "是", "数据.纳入大数据平台": "是", "数据.统一基础设施": "是",
    "数据.依托平台": ["爱山东", "一体化在线政务服务平台"], "数据.共享共用": "是",
}


@pytest.fixture(scope="session")
def policy():
    return load_policy(DEFAULT_POLICY)


def make_project(vocabulary, changes: dict | None = None, removed: tuple[str, ...] = ()):
    flat = {k: v for k, v in BASE_PROJECT.items() if k not in removed}
    flat.update(changes or {})
    return validate_facts(nest(flat), vocabulary, "测试项目.yaml")


@pytest.fixture
def evaluate(policy):
    """evaluate(changes, removed=(), as_of=AS_OF) → {rule id: finding} from the durable backend,
    after checking that the reference evaluator agrees."""
    def run(changes=None, removed=(), as_of=AS_OF):
        facts = make_project(policy.vocabulary, changes, removed)
        report = policy.evaluate(facts, as_of)
        reference = policy.evaluate(facts, as_of, backend="reference")
        assert [f.to_json() for f in report.findings] == [f.to_json() for f in reference.findings]
        return report
    return run
