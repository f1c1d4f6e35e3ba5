"""`draft`: a county's gazette text becomes a checked fork of the Jinxiang policy.

Two county texts written for these tests, in different styles (tests/data/gazettes/):
- 湖西县: renumbered (第二十条 dropped, 第十二、十三条 merged, a new 第三十八条), Arabic numerals,
  page numbers and form feeds inside paragraphs; changes 500万元→300万元, the contract-signing
  period 10→15 个工作日, the warranty 2→3 年, and the date in force.
- 羊山县: Jinxiang's numbering, amounts and periods in Chinese numerals (三百万元, 十五个工作日,
  三年, 百分之八), full-width digits, dates written 二〇二五年十月十日, another platform (羊山政务通),
  and a rewritten 第二十条.
Every difference put in must be found and mapped; nothing unchanged may be reported as changed.
"""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.draft import draft_files
from engine.errors import ToolError, UsageError
from engine.gazette import read_gazette
from engine.lint import lint_policy
from engine.policy import load_policy
from helpers import ROOT, make_project
from engine.backend import Engine

GAZETTES = ROOT / "tests" / "data" / "gazettes"


@pytest.fixture
def folder(tmp_path):
    for name in ("jinxiang_2024.rules", "jinxiang_2024.source.txt"):
        shutil.copy(ROOT / "policies" / name, tmp_path / name)
    return tmp_path


def _draft(folder: Path, county: str):
    output = folder / f"{county}.rules"
    written, result = draft_files(GAZETTES / f"{county}.txt", folder / "jinxiang_2024.rules", output)
    return output, written, result


def _statuses(result) -> dict[str, set]:
    by_status: dict[str, set] = {}
    for decision in result.decisions:
        by_status.setdefault(decision.status, set()).add((decision.county, decision.base))
    return by_status


def test_a_renumbered_county_text_becomes_a_fork_that_checks(folder):
    output, written, result = _draft(folder, "湖西县_2025")
    assert [p.name for p in written] == ["湖西县_2025.rules", "湖西县_2025.source.txt", "湖西县_2025.对照.txt",
                                         "湖西县_2025.对照.html"]
    assert result.parameter_changes == {
        "重大项目金额": ("500万元", "300万元"), "合同签订时限": ("10个工作日", "15个工作日"), "质保期下限": ("2年", "3年")}
    statuses = _statuses(result)
    assert statuses["修改"] == {("第六条", "第六条"), ("第十二条", "第十二条"), ("第二十六条", "第二十八条"),
                                ("第二十八条", "第三十条"), ("第四十五条", "第四十六条")}
    assert statuses["并入"] == {("第十二条", "第十三条")}
    assert statuses["废止"] == {(None, "第二十条")}
    assert statuses["新增"] == {("第三十八条", None)}
    assert len(statuses["未改"]) == 39  # every other article, whatever its new number
    policy = output.read_text(encoding="utf-8")
    assert "第十三条 并入 第十二条" in policy and "第二十八条 改为 第二十六条" in policy and "废止 第二十条" in policy
    assert "施行日期 2025-09-01" in policy and "文号 “湖政发〔2025〕7号”" in policy

    from engine.formatter import format_policy
    assert format_policy(policy) == policy  # a draft is already in fmt's layout
    compiled = load_policy(output, backend=Engine.DURABLE)
    assert len(compiled.ir.articles) == 45
    warnings = lint_policy(compiled.ir, output)
    assert [(w.code, w.article) for w in warnings] == [("W206", "第三十八条")]
    assert "待编写规则" in warnings[0].render()


def test_findings_cite_the_county_numbers_and_its_new_period(folder):
    output, _, _ = _draft(folder, "湖西县_2025")
    compiled = load_policy(output, backend=Engine.DURABLE)
    notice = dt.date(2025, 10, 9)
    # 15 个工作日 from 2025-10-09 end on 10-29 (10-11 is a working Saturday after National Day).
    late = make_project(compiled.vocabulary, {"采购.中标通知书日期": notice, "合同.签订日期": dt.date(2025, 10, 30)})
    report = compiled.evaluate(late, as_of=dt.date(2026, 11, 27))
    signing = [f for f in report.findings if f.rule.rule_id == "26.2"]
    assert signing and signing[0].article.label == "第二十六条" and signing[0].kind == "违规"
    assert "15个工作日" in signing[0].summary
    # 28.3 (备案, still 10 个工作日) is inherited as it was: only the rule quoting the changed sentence
    # was rewritten, as 修改 规则.
    text = output.read_text(encoding="utf-8")
    assert "修改 规则 26.2 依据“在中标（成交）通知书发出之日起 15 个工作日内签订正式采购合同”" in text
    assert "规则 26.3" not in text
    filing = next(r for r in compiled.ir.rules if r.rule_id == "26.3")
    assert "10个工作日" in filing.outcomes[0].summary and filing.span.file.endswith("jinxiang_2024.rules")
    on_time = make_project(compiled.vocabulary, {"采购.中标通知书日期": notice, "合同.签订日期": dt.date(2025, 10, 29)})
    assert not [f for f in compiled.evaluate(on_time, as_of=dt.date(2026, 11, 27)).findings if f.rule.rule_id == "26.2"]


def test_amounts_and_periods_in_chinese_numerals_are_found_and_mapped(folder):
    output, written, result = _draft(folder, "羊山县_2025")
    assert result.parameter_changes == {
        "重大项目金额": ("500万元", "300万元"), "对公服务平台": ("“山东通”", "“羊山政务通”"),
        "合同签订时限": ("10个工作日", "15个工作日"), "质保期下限": ("2年", "3年"), "网络安全预算比例": ("5%", "8%")}
    statuses = _statuses(result)
    assert statuses["修改"] == {(f"第{n}条", f"第{n}条") for n in ("六", "十", "二十八", "三十", "三十七", "四十六")}
    assert statuses["新增"] == {("第二十条", None)} and statuses["废止"] == {(None, "第二十条")}
    assert len(statuses["未改"]) == 39
    assert "条号对照" not in output.read_text(encoding="utf-8")
    assert result.gazette.issued == dt.date(2025, 10, 10) and result.gazette.in_force == dt.date(2026, 1, 1)
    # The county's platform is a word its facts may use: the draft wrote a vocabulary extension.
    vocabulary = folder / "羊山县_2025_词汇.yaml"
    assert vocabulary in written
    compiled = load_policy(output, backend=Engine.DURABLE)
    assert "羊山政务通" in compiled.vocabulary.get("数据.依托平台").words
    text = output.read_text(encoding="utf-8")
    assert "依据“在中标（成交）通知书发出之日起十五个工作日内签订正式采购合同”" in text


def test_the_gazette_reader_removes_page_furniture_and_joins_broken_paragraphs():
    raw = ("某政字〔2026〕3号\n\n某县人民政府\n二〇二六年三月五日\n\n某县政务信息化项目管理办法\n\n第一章　总则\n\n"
           "第一条　为了规范管理，制定本办法。\n\n第二条 项目建设单位应在\n\n— 2 —\n\n十个工作日内报送材料。\n\f"
           "第三条 本办法自２０２６年４月１日起施行。\n")
    gazette = read_gazette(raw)
    assert gazette.document_number == "某政字〔2026〕3号"
    assert gazette.title == "某县政务信息化项目管理办法"
    assert gazette.issued == dt.date(2026, 3, 5) and gazette.in_force == dt.date(2026, 4, 1)
    assert [a.number for a in gazette.articles] == [1, 2, 3]
    assert gazette.articles[1].paragraphs == ("第二条 项目建设单位应在十个工作日内报送材料。",)
    assert gazette.articles[0].chapter == "第一章 总则"
    assert "— 2 —" not in gazette.text


def test_a_gb18030_text_is_read(folder):
    text = (GAZETTES / "羊山县_2025.txt").read_text(encoding="utf-8")
    (folder / "gbk.txt").write_bytes(text.encode("gb18030"))
    _, result = draft_files(folder / "gbk.txt", folder / "jinxiang_2024.rules", folder / "羊山.rules")
    assert len(result.gazette.articles) == 46


def test_draft_never_overwrites_and_keeps_the_fork_beside_its_base(folder):
    _draft(folder, "湖西县_2025")
    before = (folder / "湖西县_2025.rules").read_text(encoding="utf-8")
    with pytest.raises(UsageError, match="已存在，没有覆盖"):
        _draft(folder, "湖西县_2025")
    assert (folder / "湖西县_2025.rules").read_text(encoding="utf-8") == before
    elsewhere = folder / "sub"
    elsewhere.mkdir()
    with pytest.raises(UsageError, match="同一个文件夹"):
        draft_files(GAZETTES / "湖西县_2025.txt", folder / "jinxiang_2024.rules", elsewhere / "x.rules")


def test_draft_on_the_command_line(folder):
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "draft", str(GAZETTES / "羊山县_2025.txt"),
                             "--base", "jinxiang_2024.rules", "-o", "羊山县_2025.rules"],
                            capture_output=True, text=True, encoding="utf-8", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "已写出：羊山县_2025.rules" in result.stdout
    assert "检查通过：羊山县_2025.rules，46 条" in result.stdout
    again = subprocess.run([sys.executable, str(ROOT / "cli.py"), "draft", str(GAZETTES / "羊山县_2025.txt"),
                            "--base", "jinxiang_2024.rules", "-o", "羊山县_2025.rules"],
                           capture_output=True, text=True, encoding="utf-8", cwd=folder)
    assert again.returncode == 2 and "Traceback" not in again.stderr and "加 --force 覆盖" in again.stderr


# ---------------------------------------------------------------- the numbering table itself
def _fork(folder: Path, body: str) -> Path:
    path = folder / "fork.rules"
    path.write_text("继承 “jinxiang_2024.rules”\n施行日期 2025-01-01\n\n" + body, encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(ToolError) as caught:
        load_policy(path, backend=Engine.REFERENCE)
    return caught.value.render()


def test_a_renumbering_that_leaves_two_articles_on_one_number_is_refused(folder):
    message = _error(_fork(folder, "条号对照\n  第二十一条 改为 第二十条\n"))
    assert "fork.rules:5:3: 错误[E193]: 条号对照后有重复的条号：第二十条（第二十条、第二十一条）" in message


def test_a_renumbering_with_a_gap_is_refused(folder):
    message = _error(_fork(folder, "废止 第二十条\n\n条号对照\n  第四十六条 改为 第四十七条\n"))
    assert "错误[E194]: 写了条号对照，但本县办法的条号不连续，缺少第二十条、第四十六条" in message


def test_a_renumbering_of_an_article_the_base_lacks_is_refused(folder):
    assert "错误[E190]: 条号对照中的第五十条在被继承的办法中没有" in _error(_fork(folder, "条号对照\n  第五十条 改为 第四十条\n"))


def test_only_a_fork_has_a_numbering_table(folder):
    path = folder / "alone.rules"
    path.write_text("施行日期 2025-01-01\n条号对照\n  第一条 改为 第二条\n", encoding="utf-8")
    assert "错误[E195]: 只有继承其他办法的政策文件才能写条号对照" in _error(path)


def test_references_follow_the_renumbering(folder):
    """45.1 chains on other articles' findings: after renumbering it cites the county's numbers."""
    path = _fork(folder, "废止 第二十条\n\n条号对照\n" + "".join(
        f"  第{_cn(n)}条 改为 第{_cn(n - 1)}条\n" for n in range(21, 47)))
    compiled = load_policy(path, backend=Engine.REFERENCE)
    labels = [a.label for a in compiled.ir.articles]
    assert labels[-1] == "第四十五条" and "第四十六条" not in labels
    sanction = next(r for r in compiled.ir.rules if r.article.label == "第四十四条" and r.rule_id.startswith("44."))
    assert sanction.span.file.endswith("jinxiang_2024.rules")  # the rule's source lines are still the base's
    # 违反规则 28.3、44.1 name rules, and the rules were renumbered with their articles
    chained = {rule_id for ref in sanction.finding_refs() for rule_id in ref.rule_ids}
    assert {"19.1", "27.3", "43.1"} <= chained and not {"28.3", "44.1"} & chained


def _cn(n: int) -> str:
    from engine.text import to_chinese_number
    return to_chinese_number(n)


# ---------------------------------------------------------------- diff of a drafted fork
def _diff(folder: Path, county: str) -> str:
    _draft(folder, county)
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "diff", "jinxiang_2024.rules", f"{county}.rules"],
                            capture_output=True, text=True, encoding="utf-8", cwd=folder)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_diff_shows_both_numbers_merges_and_the_new_sentence_whole(folder):
    text = _diff(folder, "湖西县_2025")
    assert "  → 第十四条（优先支持）改为第十三条，内容未改" in text
    assert "  - 第十三条（数据共享）并入第十二条" in text
    assert "  - 第二十条（免于节能评估等审批）已废止" in text
    assert ("        新：项目建设单位应严格按照审核批准的采购内容和采购方式组织采购，在中标（成交）通知书发出之日起 15 个工作日内"
            "签订正式采购合同，合同应在签订完成后 10 个工作日内向县大数据局备案。") in text
    assert "{++}" not in text and "[--]" not in text


def test_diff_shows_a_changed_word_list(folder):
    text = _diff(folder, "羊山县_2025")
    assert "  ~ 数据.依托平台 的可选词：山东通、一体化在线政务服务平台、爱山东 → 羊山政务通、一体化在线政务服务平台、爱山东" in text


def test_articles_lists_a_repealed_article(folder):
    _draft(folder, "湖西县_2025")
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "articles", "湖西县_2025.rules", "--format", "json"],
                            capture_output=True, text=True, encoding="utf-8", cwd=folder)
    import json
    entries = json.loads(result.stdout)
    repealed = [e for e in entries if e.get("已废止")]
    assert [(e["条号"], e["标题"]) for e in repealed] == [("第二十条", "免于节能评估等审批")]


def test_json_shape_follows_the_command_line(tmp_path):
    import json
    shutil.copy(ROOT / "facts" / "示例" / "智慧城管综合平台.yaml", tmp_path / "一个.yaml")
    def shape(*args):
        out = subprocess.run([sys.executable, str(ROOT / "cli.py"), "eval", *args, "--format", "json"],
                             capture_output=True, text=True, encoding="utf-8", cwd=tmp_path).stdout
        return type(json.loads(out)).__name__
    assert shape("一个.yaml") == "dict"
    assert shape(".") == "list"  # a folder is an array, even with one file in it


def test_one_rule_can_be_amended_or_repealed(folder):
    path = _fork(folder, "修改 规则 28.2 依据“在中标（成交）通知书发出之日起 10 个工作日内签订正式采购合同”\n"
                         "  自 采购.中标通知书日期 起 20个工作日 内 应 合同.签订日期，\n"
                         "  否则 违规 “未在20个工作日内签订”；未到期 待办 “应在20个工作日内签订”\n\n废止 规则 28.1\n")
    compiled = load_policy(path, backend=Engine.REFERENCE)
    rules = {r.rule_id: r for r in compiled.ir.rules if r.article.label == "第二十八条"}
    assert set(rules) == {"28.2", "28.3"}
    assert rules["28.2"].span.file.endswith("fork.rules") and rules["28.3"].span.file.endswith("jinxiang_2024.rules")
    missing = _fork(folder, "废止 规则 28.9\n")
    assert "错误[E197]: 被继承的办法中没有规则 28.9，无法废止" in _error(missing)


# ---------------------------------------------------------------- lint of a fork against its own text
def test_lint_points_into_the_fork_where_its_header_contradicts_inherited_articles(folder):
    path = folder / "fork.rules"
    path.write_text("继承 “jinxiang_2024.rules”\n施行日期 2025-01-01\n依据 “《山东省大数据发展促进条例》”\n", encoding="utf-8")
    warnings = {w.code: w.render().replace(f"{folder}/", "") for w in lint_policy(load_policy(path, backend=Engine.REFERENCE).ir, path)}
    assert warnings["W221"].startswith("fork.rules:2:1: 警告[W221]: 第四十六条的原文说「自2024-12-12起施行」，本办法的施行日期却是 2025-01-01")
    assert warnings["W222"].startswith("fork.rules:3:1: 警告[W222]: 继承来的第一条原文引用了《国务院办公厅关于印发国家政务信息化项目建设管理办法的通知》、"
                                       "《济宁市政务信息化项目建设管理办法》，不在本办法的「依据」中")


def test_lint_compares_inherited_articles_with_the_forks_own_source_copy(folder):
    text = (ROOT / "policies" / "jinxiang_2024.source.txt").read_text(encoding="utf-8")
    text = text.replace("指挥调度、态势运行、智能算法等应用项目应共享共用。", "指挥调度、态势运行等应用项目应共享共用。")
    text = text.replace("第四十六条 本办法自", "第四十七条 本县另有规定的，从其规定。\n\n第四十六条 本办法自")
    (folder / "fork.source.txt").write_text(text, encoding="utf-8")
    path = folder / "fork.rules"
    path.write_text("继承 “jinxiang_2024.rules”\n原文出处 “fork.source.txt”\n", encoding="utf-8")
    warnings = {w.code: w.render().replace(f"{folder}/", "") for w in lint_policy(load_policy(path, backend=Engine.REFERENCE).ir, path)}
    assert warnings["W204"].startswith("fork.rules:2:1: 警告[W204]: 继承来的第十一条与本办法的原文出处不一致（第 10 个字起）")
    assert "写「修改 第十一条」并写上本县的原文" in warnings["W204"]
    assert warnings["W220"].startswith("fork.rules:2:1: 警告[W220]: 原文出处「fork.source.txt」中有第四十七条，本办法中没有")
