"""Boundary-heavy random projects for differential tests and benchmarks.

Each generated project starts from the compliant base and moves a few groups of facts onto or
just past the boundaries the regulation draws (500万元, 5 %, the 10th working day, 3 years, 2 years),
or removes them (unknown / not yet happened). Deterministic for a seed.
"""
from __future__ import annotations

import datetime as dt
import random

from helpers import BASE_PROJECT

D = dt.date


def _day(rng: random.Random, lo: dt.date, hi: dt.date) -> str:
    return (lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))).isoformat()


def generate_project(seed: int) -> tuple[dict, dt.date]:
    """A flat key-path project and an as-of date."""
    rng = random.Random(seed)
    p = dict(BASE_PROJECT)
    p["项目.编号"] = f"G-{seed:06d}"
    total = rng.choice([4_999_999, 5_000_000, 5_000_001, 4_000_000, 12_345_678, 300_000])
    p["项目.总预算"] = f"{total}元"
    share = rng.choice([total * 5 // 100, total * 5 // 100 - 1, total * 5 // 100 + 1, total // 10, 0])
    p["项目.网络安全预算"] = f"{share}元"
    p["预算.实际支出"] = f"{total + rng.choice([-1, 0, 1, 100_000])}元"
    award = D(2024, 11, 1) + dt.timedelta(days=rng.randint(0, 700))  # deadlines stay inside the known calendar
    p["采购.中标通知书日期"] = award.isoformat()
    p["合同.签订日期"] = (award + dt.timedelta(days=rng.randint(0, 25))).isoformat()
    p["合同.备案日期"] = _day(rng, dt.date.fromisoformat(p["合同.签订日期"]), dt.date.fromisoformat(p["合同.签订日期"]) + dt.timedelta(days=25))
    p["合同.实施周期"] = rng.choice(["35个月", "36个月", "3年", "37个月", "4年"])
    p["合同.质保期"] = rng.choice(["23个月", "24个月", "2年", "1年", "5年"])
    p["实施.开工日期"] = _day(rng, D(2025, 2, 20), D(2025, 3, 10))
    for key, choices in {
        "项目.涉密": ["是", "否", "否", "否"], "项目.资金性质": ["政府投资建设", "其他", "政府投资建设"],
        "项目.系统类别": ["业务信息系统", "其他"], "项目.单位类别": ["县直部门", "其他"], "项目.建设性质": ["新建", "升级改造"],
        "评审.组织单位": ["县大数据局", "县财政局"], "评审.需求评审.结论": ["通过", "不通过"],
        "采购.按批准内容和方式": ["是", "否"], "数据.共享机制": ["是", "否"], "数据.纳入大数据平台": ["是", "否"],
        "数据.统一基础设施": ["是", "否"], "评价.绩效评价结果": ["良好", "不合格"], "安全.重大安全隐患": ["是", "否"],
        "实施.进展备案": ["是", "否"], "预算.运维经费申请": ["是", "否"], "安全.网络安全一体规划": ["是", "否"],
    }.items():
        if rng.random() < 0.3:
            p[key] = rng.choice(choices)
    if rng.random() < 0.3:
        p["评审.技术评审.材料"] = rng.sample(["建设方案", "密码应用方案", "安全可靠说明", "可行性研究报告", "初步设计"], rng.randint(0, 5))
    if rng.random() < 0.2:
        p["评审.需求评审.材料"] = rng.sample(["建设依据", "建设内容", "建设目标", "预算需求"], rng.randint(0, 4))
    if rng.random() < 0.2:
        p["验收.竣工验收日期"] = rng.choice(["2026-05-10", "2024-12-11", "2024-12-12"])
    # conduct dates on either side of the 施行日期 (2024-12-12), so 第四十六条's gating is compared too
    for key in ("立项.日期", "评审.技术评审.日期", "预算.运维经费申请日期", "监督.拒绝隐匿瞒报认定日期"):
        if rng.random() < 0.2:
            p[key] = rng.choice(["2024-12-11", "2024-12-12", "2025-03-01"])
    if rng.random() < 0.2:
        p["验收.计划竣工日期"] = rng.choice(["2024-12-11", "2024-12-12", "2026-05-01"])
    if rng.random() < 0.15:
        p["项目.部署方式"] = "非政务云"
        p["安全.主体责任落实"] = rng.choice(["是", "否"])
    if rng.random() < 0.3:  # records, checked one by one (对每项)
        p["实施.变更"] = [{"事项": rng.choice(["建设目标", "建设地点", "项目预算", "主要建设内容", "建设进度"]),
                        "事先申请": rng.choice(["是", "否"]), "重新审批": rng.choice(["是", "否"]), "备案": rng.choice(["是", "否"]),
                        **({"日期": rng.choice(["2024-12-11", "2024-12-12", "2025-06-01"])} if rng.random() < 0.5 else {})}
                       for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        p["监督.整改通知"] = [{"日期": "2026-06-01", "期限": rng.choice(["2026-11-26", "2026-11-27", "2026-12-31"]),
                          **({"完成日期": rng.choice(["2026-11-20", "2026-11-28"])} if rng.random() < 0.5 else {})}
                         for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.3:
        p["监督.责任认定"] = [{"日期": "2026-06-01", "认定单位": "县大数据局",
                          "事项": rng.choice(["严重超预算", "质量低劣", "损失浪费", "安全事故", "其他责任事故"]),
                          **{k: rng.choice(["是", "否"]) for k in ("管理不善", "弄虚作假") if rng.random() < 0.7}}
                         for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.3:  # the special kinds of project, and the yearly self-evaluation's clock
        p["项目.上级组织建设"] = rng.choice(["是", "否"])
        p["项目.追加项目"] = rng.choice(["是", "否"])
        p["验收.投入使用日期"] = rng.choice(["2025-11-27", "2025-11-28", "2026-05-01", "2026-05-15"])
        p["评价.自评价年度"] = rng.choice([[], ["2026"]])
        p["预算.结余退回日期"] = rng.choice(["2026-06-30", None])
        if p["预算.结余退回日期"] is None:
            del p["预算.结余退回日期"]
    for key in list(p):
        if key not in ("项目.编号", "项目.名称", "项目.建设单位") and rng.random() < 0.06:
            del p[key]
    as_of = award + dt.timedelta(days=rng.randint(0, 40)) if rng.random() < 0.5 else D(2026, 11, 27)
    return p, min(as_of, D(2026, 12, 10))
