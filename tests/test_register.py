"""项目台账 end to end, on SQLite and on PostgreSQL: import the samples, edit, look at a past day,
export to Excel and to a calendar and read both back with their own libraries."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from engine.policy import DEFAULT_POLICY
from engine.register import Register
from engine.register.calendar import calendar_bytes
from engine.register.database import open_database
from engine.register.excel import read_workbook, write_workbook
from engine.register.policies import register_policy
from engine.register.sources import ImportErrors
from helpers import SAMPLES
from register_support import Clock, database_params, make_database_url
from engine.backend import Engine

IMPORTED = dt.date(2026, 10, 1)
EDITED = dt.date(2026, 11, 10)
AS_OF = dt.date(2026, 11, 27)
CITY = "JX-2025-007"  # 智慧城管综合平台: compliant in the samples


@pytest.fixture(params=database_params())
def book(request, tmp_path, policy):
    url, cleanup = make_database_url(request.param, tmp_path)
    clock = Clock(dt.datetime(2026, 10, 1, 2))
    register = Register(open_database(url), register_policy(policy, DEFAULT_POLICY), clock)
    yield register
    register.close()
    cleanup()


def test_import_edit_as_of_and_export_round_trip(book, tmp_path):
    book.clock.at_local(IMPORTED)
    summary = book.import_sources([SAMPLES], actor="王芳")
    assert (summary.projects, summary.new, summary.changed) == (11, 11, 0)
    assert book.import_sources([SAMPLES], actor="王芳").events == 0  # the same facts again: nothing to record

    before = book.dashboard(AS_OF)
    city = next(r for r in before if r["项目编号"] == CITY)
    assert (city["结论"], city["违规数"], city["阶段"]) == ("合规", 0, "评价")

    # 合同 signed 15 working days after the notice instead of 7: a breach of 第二十八条 from this day on.
    book.clock.at_local(EDITED)
    change = book.set_field(CITY, "合同.签订日期", "2025年5月6日", actor="李强", source="表单")
    assert (change.old, change.new) == ("2025-04-21", "2025-05-06")  # stored as staff write it, normalised
    now = book.show(CITY, AS_OF, today=AS_OF)
    assert now["报告"]["结论"] == "不合规"
    assert "28.2" in {f["规则"] for f in now["报告"]["发现"] if f["类别"] == "违规"}

    past = book.show(CITY, dt.date(2026, 11, 1), today=AS_OF)  # the facts known then, the policy in force then
    assert past["事实"]["合同.签订日期"] == "2025-04-21"
    assert past["报告"]["结论"] == "合规" and past["政策指纹"] == book.policy.fingerprint

    last = book.history(CITY)[-1]
    assert {k: last[k] for k in ("人员", "来源", "字段", "原值", "新值")} == {
        "人员": "李强", "来源": "表单", "字段": "合同.签订日期", "原值": "2025-04-21", "新值": "2025-05-06"}
    assert last["时间"] == "2026-11-10 10:00:00"

    # Excel: written, read back with openpyxl, imported again without a single change.
    workbook = tmp_path / "台账.xlsx"
    judged = book.judged_projects(AS_OF)
    write_workbook(workbook, judged, book.dashboard_rows(AS_OF), book.vocabulary, AS_OF, "金乡办法")
    sheet = load_workbook(workbook)["台账"]
    header = [c.value for c in sheet[1]]
    assert header[:10] == ["项目.编号", "项目.名称", "项目.建设单位", "阶段", "结论", "违规数", "违规", "下一截止日期", "剩余天数", "截止事项"]
    assert sheet.freeze_panes == "D2" and sheet.auto_filter.ref == sheet.dimensions
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == CITY)
    cell = dict(zip(header, row))
    assert cell["合同.签订日期"].value == dt.datetime(2025, 5, 6) and cell["合同.签订日期"].number_format == "yyyy-mm-dd"
    assert cell["项目.总预算"].value == "680万元" and cell["结论"].value == "不合规"
    assert "第二十八条（28.2）" in cell["违规"].value
    rows, errors = read_workbook(workbook, book.vocabulary)
    assert errors == [] and len(rows) == 11
    assert book.import_rows(rows, actor="王芳", source="导入", origin="台账.xlsx").events == 0

    # Calendar: one event per open 待办 with a deadline; UIDs stable across exports.
    due = [(j.project_id, f["规则"]) for j in judged for f in j.report["发现"] if f["类别"] == "待办" and f["截止日期"]]
    first = Calendar.from_ical(calendar_bytes(judged, dt.datetime(2026, 11, 27)))
    events = first.walk("VEVENT")
    assert len(events) == len(due) >= 3
    again = Calendar.from_ical(calendar_bytes(book.judged_projects(AS_OF), dt.datetime(2026, 11, 28)))
    assert sorted(str(e["uid"]) for e in events) == sorted(str(e["uid"]) for e in again.walk("VEVENT"))
    grid = next(e for e in events if "社区网格" in str(e["summary"]))
    assert grid.decoded("dtstart") == dt.date(2026, 12, 4) and "第二十八条" in str(grid["description"])


def test_due_counts_both_ends(book):
    book.clock.at_local(IMPORTED)
    book.import_sources([SAMPLES], actor="王芳")
    deadlines = sorted(r["截止日期"] for r in book.due(AS_OF, 400))
    first = dt.date.fromisoformat(deadlines[0])  # 2026-12-04: seven days after the as-of date
    within = (first - AS_OF).days
    assert [r["截止日期"] for r in book.due(AS_OF, within)] == [first.isoformat()]  # 以内 includes the day
    assert book.due(AS_OF, within - 1) == []
    assert book.due(first, 0)[0]["剩余天数"] == 0


def test_a_bad_file_imports_nothing_unless_skipped(book, tmp_path):
    folder = tmp_path / "项目"
    shutil.copytree(SAMPLES, folder)
    bad = folder / "智慧城管综合平台.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("签订日期: 2025-04-21", "签订日期: 2025-02-30"), encoding="utf-8")
    with pytest.raises(ImportErrors) as caught:
        book.import_sources([folder], actor="王芳")
    line = next(i for i, text in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if "2025-02-30" in text)
    assert f"智慧城管综合平台.yaml:{line}: 错误[E321]: 「合同.签订日期」" in caught.value.render()
    assert "没有导入任何项目" in caught.value.render()
    assert book.dashboard(AS_OF) == []  # nothing written
    summary = book.import_sources([folder], actor="王芳", skip_bad=True)
    assert (summary.new, len(summary.skipped)) == (10, 1)


def test_policy_in_force_on_a_past_day(book, tmp_path, policy):
    """A policy changed later does not change what the register said about an earlier day."""
    book.clock.at_local(IMPORTED)
    book.import_sources([SAMPLES], actor="王芳")
    book.dashboard(IMPORTED)  # judged by the Jinxiang policy on 10-01
    old_fingerprint = book.policy.fingerprint
    fork = tmp_path / "本县.rules"
    base = DEFAULT_POLICY.read_text(encoding="utf-8").replace("【合同签订时限】 = 10个工作日", "【合同签订时限】 = 5个工作日")
    assert base != DEFAULT_POLICY.read_text(encoding="utf-8")
    fork.write_text(base, encoding="utf-8")
    from engine.policy import load_policy
    stricter = Register(book.engine, register_policy(load_policy(fork, backend=Engine.DURABLE), fork), book.clock)
    book.clock.at_local(EDITED)
    grid = "JX-2026-021"
    now = stricter.show(grid, AS_OF, today=AS_OF)
    assert now["政策指纹"] == stricter.policy.fingerprint != old_fingerprint
    then = stricter.show(grid, dt.date(2026, 11, 1), today=AS_OF)
    assert then["政策指纹"] == old_fingerprint
    deadline = lambda shown: next(f["截止日期"] for f in shown["报告"]["发现"] if f["规则"] == "28.2")  # noqa: E731
    assert deadline(then) > deadline(now)  # 10 working days then, 5 now


def test_migrations_create_the_schema_the_code_uses(book):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from engine.register.schema import metadata
    with book.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_generated_portfolio_has_histories_and_past_days(book):
    from engine.register.portfolio import ANCHOR, generate_portfolio, record_portfolio
    steps = generate_portfolio(25)
    assert record_portfolio(book, steps) > 25 * 20
    rows = book.dashboard(ANCHOR)
    assert len(rows) == 25 and {r["结论"] for r in rows} <= {"合规", "不合规", "信息不全"}
    signed = next(s for s in steps if "合同.签订日期" in s.changes)
    history = book.history(signed.project_id)
    assert len({h["时间"] for h in history}) >= 5 and {h["来源"] for h in history} >= {"导入"}
    day_before = (signed.recorded_at + dt.timedelta(hours=8)).date() - dt.timedelta(days=1)
    then = book.show(signed.project_id, day_before, today=ANCHOR)
    assert "合同.签订日期" not in then["事实"] and "采购.中标通知书日期" in then["事实"]
    assert then["报告"]["评估日期"] == day_before.isoformat()


def test_a_project_that_cannot_be_judged_stays_on_the_dashboard(book):
    book.import_sources([SAMPLES / "社区网格信息平台.yaml"], actor="王芳")
    # Ten working days from 12-28 reach 2027, for which no holiday schedule is known yet.
    book.set_field("JX-2026-021", "采购.中标通知书日期", "2026-12-28", actor="王芳")
    [row] = book.dashboard(AS_OF)
    assert row["结论"] == "无法评估"
    shown = book.show("JX-2026-021", AS_OF, today=AS_OF)
    assert "2027" in shown["报告"]["错误"] and shown["报告"]["发现"] == []


def test_a_register_made_by_an_older_version_is_migrated_when_opened(tmp_path, policy):
    from alembic import command
    from sqlalchemy import create_engine, inspect
    from engine.register.database import _alembic_config
    path = tmp_path / "旧台账.db"
    old = create_engine(f"sqlite:///{path}")
    with old.begin() as connection:
        command.upgrade(_alembic_config(connection), "0001")
    assert "breaches" not in {c["name"] for c in inspect(old).get_columns("evaluations")}
    old.dispose()
    register = Register(open_database(str(path)), register_policy(policy, DEFAULT_POLICY))
    assert "breaches" in {c["name"] for c in inspect(register.engine).get_columns("evaluations")}
    register.import_sources([SAMPLES / "社区网格信息平台.yaml"], actor="王芳")
    assert register.dashboard(AS_OF)[0]["项目编号"] == "JX-2026-021"
    register.close()


def test_a_policy_fingerprint_covers_every_file_it_is_built_from():
    from engine.package_data import POLICIES
    from engine.register.policies import HOLIDAYS_KEY, VOCABULARY_KEY, fingerprint_of, policy_sources
    main, revision = policy_sources(POLICIES / "jinxiang_2026.rules")  # 修订 “jinxiang_2024.rules”
    assert main == "jinxiang_2026.rules"
    assert set(revision) == {"jinxiang_2026.rules", "jinxiang_2024.rules", VOCABULARY_KEY, HOLIDAYS_KEY}
    _, fork = policy_sources(POLICIES / "南阳湖县_2025.rules")  # 继承 and 词汇
    assert {"南阳湖县_2025.rules", "jinxiang_2024.rules", "南阳湖县_词汇.yaml"} <= set(fork)
    changed = dict(revision, **{HOLIDAYS_KEY: revision[HOLIDAYS_KEY] + "\n# 2027 年安排\n"})
    assert fingerprint_of(changed) != fingerprint_of(revision)


def test_a_workbook_as_staff_keep_it(tmp_path, policy):
    """Headers as key paths, without dots, or as unique leaf names; Excel dates or text; amounts as
    680万元 or a number of 元; lists with 、; 无 for a list known to be empty; 备注 columns skipped."""
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(["项目编号", "项目.名称", "建设单位", "总预算", "签订日期", "项目应用类型", "评审.需求评审.材料", "备注"])
    sheet.append(["JX-2026-201", "金乡县智慧水利平台", "县水务局", 6800000, dt.datetime(2026, 3, 2), "无", "建设依据、建设内容", "急"])
    sheet.append(["JX-2026-202", "金乡县智慧农业平台", "县农业农村局", "120万元", "2026年3月5日", "指挥调度，执法监管", None, None])
    book.save(tmp_path / "台账.xlsx")
    rows, errors = read_workbook(tmp_path / "台账.xlsx", policy.vocabulary)
    assert errors == []
    first, second = rows
    assert first.origin.endswith("台账.xlsx:2") and first.record["项目.总预算"] == "680万元"
    assert first.record["合同.签订日期"] == "2026-03-02" and first.record["项目.应用类型"] == []
    assert first.record["评审.需求评审.材料"] == ["建设依据", "建设内容"]
    assert second.record["合同.签订日期"] == "2026-03-05" and second.record["项目.应用类型"] == ["执法监管", "指挥调度"]
    assert "评审.需求评审.材料" not in second.record and "评审.需求评审.材料" in second.fields  # an empty cell: unknown
