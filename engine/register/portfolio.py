"""A generated portfolio with histories, for the README's 台账 command, the tests and bench/.

Each project walks the regulation's sequence (储备 → 评审 → 立项 → 预算 → 采购 → 合同 → 实施 → 验收 →
评价), one changeset per step, recorded by a person a few days after the step happened, until the
anchor day; so some projects are early, some finished, and some have a step falling due in the
coming weeks. A few go wrong the way projects do (a contract signed late, a filing forgotten, a
budget corrected later). Deterministic for a seed.

    python3 -m engine.register.portfolio --projects 200 [--db 台账.db]
"""
from __future__ import annotations

import datetime as dt
import random
import sys
from dataclasses import dataclass

ANCHOR = dt.date(2026, 11, 27)  # the samples' 评估日期; working-day deadlines stay in known calendar years
UNITS = ("县教育和体育局", "县卫生健康局", "县水务局", "县应急管理局", "县自然资源和规划局", "县民政局", "县人力资源和社会保障局",
         "县市场监督管理局", "县农业农村局", "县交通运输局", "县文化和旅游局", "县综合行政执法局", "县医疗保障局")
SYSTEMS = ("智慧监管平台", "数据共享平台", "业务协同系统", "指挥调度系统", "一网通办专区", "视频汇聚平台", "档案数字化",
           "移动办公系统", "综合分析平台", "预警监测系统")
STAFF = ("王芳", "李强", "张敏", "刘洋", "陈静", "赵磊")
ALL_CLAUSES = ["项目名称", "标的内容范围和要求", "履行计划地点和方式", "技术信息和资料保密", "技术成果归属和收益分配",
               "验收标准和方法", "名词和术语解释", "知识产权归属", "数据归属", "源代码归属", "知识产权违约责任", "保密责任",
               "实施周期", "质保范围", "质保期限", "质保责任"]


@dataclass(frozen=True, slots=True)
class Step:
    project_id: str
    happened: dt.date
    recorded_at: dt.datetime  # UTC
    actor: str
    source: str
    changes: dict  # key path → value as staff write it


def _later(rng: random.Random, day: dt.date, low: int, high: int) -> dt.date:
    return day + dt.timedelta(days=rng.randint(low, high))


def _project_steps(rng: random.Random, number: int, anchor: dt.date) -> list[tuple[dt.date, dict]]:
    unit = rng.choice(UNITS)
    budget = rng.choice([80, 150, 280, 420, 499, 500, 680, 950, 1500])
    security = budget * rng.choice([5, 6, 8, 8, 6, 5, 6, 8, 10, 4]) // 100 or 5  # one in ten below 5 % (第三十七条)
    serves = rng.choice(["公众", "公众", "两者"])
    start = anchor - dt.timedelta(days=rng.randint(20, 1100))
    steps = [(start, {
        "项目.编号": f"JX-{start.year}-{number:04d}", "项目.名称": f"金乡县{unit[1:-1]}{rng.choice(SYSTEMS)}",
        "项目.建设单位": unit, "项目.单位类别": "县直部门", "项目.涉密": "否", "项目.资金性质": "政府投资建设",
        "项目.系统类别": "业务信息系统", "项目.建设性质": rng.choice(["新建", "新建", "升级改造"]),
        "项目.总预算": f"{budget}万元", "项目.网络安全预算": f"{security}万元", "项目.服务对象": serves,
        "项目.应用类型": [], "项目.支持方向": ["民生保障"], "项目.跨部门共建": "否", "项目.县镇协同": "否",
        "项目.镇街参与": "否", "项目.追加项目": "否", "项目.上级组织建设": "否", "项目.建设工程附属": "否",
        "项目.新建土建工程": "否", "项目.高耗能": "否", "项目.部署方式": "政务云", "项目.政府采购范畴": "是",
        "单位.分管负责人": rng.choice(STAFF), "单位.牵头科室": "信息中心", "单位.信息化建设规划": "是", "单位.统筹管理机制": "是",
        "数据.依托平台": ["一体化在线政务服务平台", "爱山东"] + (["山东通"] if serves == "两者" else []),
    })]
    big = budget >= 500
    review = _later(rng, start, 15, 40)
    steps.append((review, {
        "评审.党组会议研究日期": _later(rng, start, 3, 10).isoformat(), "评审.组织单位": "县大数据局",
        "评审.需求评审.报备日期": _later(rng, start, 10, 14).isoformat(), "评审.需求评审.日期": review.isoformat(),
        "评审.需求评审.材料": ["建设依据", "建设内容", "建设目标", "预算需求"], "评审.需求评审.结论": "通过",
        "评审.技术评审.报备日期": _later(rng, review, 5, 10).isoformat(),
        "评审.技术评审.日期": _later(rng, review, 12, 20).isoformat(), "评审.技术评审.结论": "通过",
        "评审.技术评审.材料": ["建设方案", "密码应用方案", "安全可靠说明"] + (["可行性研究报告", "初步设计"] if big else []),
    }))
    approval = _later(rng, review, 25, 45)
    steps.append((approval, {"立项.日期": approval.isoformat(), "立项.批复单位": "县大数据局", "立项.纳入项目库": "是"}))
    funded = _later(rng, approval, 10, 40)
    steps.append((funded, {"预算.年度预算安排": "是", "预算.批复日期": funded.isoformat(), "预算.批复抄送大数据局": "是",
                           "预算.责任书备案日期": _later(rng, funded, 2, 10).isoformat()}))
    awarded = _later(rng, funded, 20, 60)
    steps.append((awarded, {"采购.按批准内容和方式": "是", "采购.按政府采购程序": "是", "采购.中标通知书日期": awarded.isoformat()}))
    late = rng.random() < 0.12
    signed = _later(rng, awarded, 16, 30) if late else _later(rng, awarded, 3, 11)
    clauses = ALL_CLAUSES if rng.random() > 0.1 else [c for c in ALL_CLAUSES if c != "源代码归属"]
    contract = {"合同.签订日期": signed.isoformat(), "合同.合法性审查": "是", "合同.法律顾问": "是", "合同.条款": clauses,
                "合同.实施周期": f"{rng.choice([10, 12, 18, 24])}个月", "合同.质保期": rng.choice(["2年", "3年"])}
    if rng.random() > 0.1:
        contract["合同.备案日期"] = _later(rng, signed, 2, 9).isoformat()
    steps.append((signed, contract))
    started = _later(rng, signed, 5, 20)
    months = int(contract["合同.实施周期"][:-2])
    planned = started + dt.timedelta(days=30 * months)
    steps.append((started, {
        "实施.实施机构": f"{unit}信息中心", "实施.项目负责人": rng.choice(STAFF), "实施.经法定程序确定": "是", "实施.开工日期": started.isoformat(),
        "实施.按批复方案实施": "是", "实施.进展备案": "是", "验收.计划竣工日期": planned.isoformat(),
        "安全.网络安全一体规划": "是", "安全.密码应用方案": "是", "安全.密码同步建设运行": "是", "安全.等级保护": "是",
        "安全.安全机构人员": "是", "安全.安全可靠产品": "是", "安全.重大安全隐患": "否",
        "数据.共享机制": "是", "数据.纳入大数据平台": "是", "数据.统一基础设施": "是",
    }))
    if rng.random() < 0.15:  # the budget corrected after the contract: a change with its own history
        steps.append((_later(rng, started, 10, 60), {"项目.总预算": f"{budget + rng.choice([20, 50])}万元"}))
    applied = planned - dt.timedelta(days=rng.randint(5, 20))
    accepted = _later(rng, applied, 10, 30)
    steps.append((applied, {"验收.初步验收日期": (applied - dt.timedelta(days=5)).isoformat(),
                            "验收.竣工验收申请日期": applied.isoformat()}))
    in_use = _later(rng, accepted, 3, 15)
    saved = rng.choice([0, 0, 10, 30])  # 万元 left over: to be returned by the original channel (第二十五条)
    steps.append((accepted, {"验收.竣工验收日期": accepted.isoformat(), "验收.竣工验收结论": "通过",
                             "验收.验收意见备案": "是", "验收.投入使用日期": in_use.isoformat(),
                             "安全.密评日期": [_later(rng, in_use, -20, -1).isoformat()],
                             "安全.风险评估日期": [_later(rng, in_use, -40, -1).isoformat()],
                             "预算.实际支出": f"{budget - saved}万元", "预算.运维经费申请": "否",
                             "实施.建设目标和内容不变": "是",
                             **({"预算.结余退回日期": _later(rng, accepted, 10, 40).isoformat()} if saved else {})}))
    evaluated = dt.date(in_use.year + 1, 3, rng.randint(1, 28))
    steps.append((evaluated, {"评价.绩效评价结果": rng.choice(["优秀", "良好", "合格"]), "评价.自评价年度": [in_use.year + 1]}))
    return [(day, changes) for day, changes in steps if day <= anchor]


def generate_portfolio(count: int, seed: int = 2026, anchor: dt.date = ANCHOR) -> list[Step]:
    """Every project's steps up to `anchor`, in the order they were recorded."""
    rng = random.Random(seed)
    steps: list[Step] = []
    for number in range(1, count + 1):
        project = _project_steps(rng, number, anchor)
        project_id = project[0][1]["项目.编号"]
        for index, (day, changes) in enumerate(project):
            recorded = min(anchor, _later(rng, day, 0, 3))
            local = dt.datetime.combine(recorded, dt.time(rng.randint(8, 17), rng.randint(0, 59)))
            source = "导入" if index == 0 else rng.choice(["表单", "表单", "接口"])
            steps.append(Step(project_id, day, local - dt.timedelta(hours=8), rng.choice(STAFF), source, changes))
    return sorted(steps, key=lambda s: (s.recorded_at, s.project_id))


def record_portfolio(register, steps: list[Step]) -> int:
    """Write the steps into a register, one changeset each, in one transaction (the generator
    knows every record, so nothing is replayed); returns the events recorded."""
    from ..errors import UsageError
    from .events import changes_between, replay, write_changeset
    from .record import facts_of, record_of
    known: dict[str, dict] = {}
    stored: dict[str, dict] = {}
    written = 0
    with register.engine.begin() as connection:
        present = replay(connection, {step.project_id for step in steps})
        if present:
            raise UsageError(f"台账中已有生成的项目（如 {min(present)}），不再重复生成", hint="换一个 --db 生成到新的台账里")
        for step in steps:
            record = {**known.get(step.project_id, {}), **step.changes}
            checked = record_of(facts_of(record, register.vocabulary, f"生成的项目 {step.project_id}"))
            changes = changes_between(step.project_id, stored.get(step.project_id, {}), checked, step.changes)
            write_changeset(connection, changes, actor=step.actor, source=step.source, origin="生成的台账", at=step.recorded_at)
            known[step.project_id], stored[step.project_id] = record, checked
            written += len(changes)
    return written


def main(argv: list[str] | None = None) -> int:
    import argparse
    parser = argparse.ArgumentParser(description="生成一个有变更历史的项目台账并导入")
    parser.add_argument("--projects", type=int, default=200, help="项目数，默认 200")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", default=None, help="台账数据库，默认 台账.db")
    args = parser.parse_args(argv)
    from .register import Register
    from ..errors import ToolError
    try:
        register = Register.open(args.db)
        steps = generate_portfolio(args.projects, args.seed)
        events = record_portfolio(register, steps)
    except ToolError as error:
        print(error.render(), file=sys.stderr)
        return 2
    print(f"已生成 {args.projects} 个项目的台账（截至 {ANCHOR.isoformat()}）：{len(steps)} 次变更，{events} 条变更记录。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
