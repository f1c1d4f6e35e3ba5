"""What the workbench tells staff beside the text, without a browser: each article's parameters with
their values now (条文 tab), each lint warning's meaning and a hint naming what the page offers
(编辑规则 tab), and, for a failed scenario, the parameters its rules use and whether they moved since
the workbench started (规格场景 tab's question before an expected value is updated)."""
from __future__ import annotations

from workbench_client import running_workbench

from engine.workbench.page_hints import PAGE_HINTS, WARNING_MEANINGS
from engine.workbench.scenario_desk import with_parameters

DEADLINE_10 = "【合同签订时限】 = 10个工作日"
DEADLINE_15 = "【合同签订时限】 = 15个工作日"


def test_articles_show_the_values_their_rules_use_now(tmp_path):
    with running_workbench(tmp_path) as workbench:
        by_label = {a["条号"]: a for a in workbench.call("/api/articles")[1]["条文"]}
        assert by_label["第二十八条"]["参数"] == [{"参数": "合同签订时限", "值": "10个工作日"}, {"参数": "合同备案时限", "值": "10个工作日"}]
        assert {"参数": "重大项目金额", "值": "500万元"} in by_label["第六条"]["参数"]  # through the 认定 【重大项目】
        assert by_label["第三十七条"]["参数"] == [{"参数": "网络安全预算比例", "值": "5%"}]
        assert by_label["第一条"]["参数"] == []
        text = workbench.policy.read_text(encoding="utf-8")
        workbench.policy.write_text(text.replace(DEADLINE_10, DEADLINE_15), encoding="utf-8")
        by_label = {a["条号"]: a for a in workbench.call("/api/articles")[1]["条文"]}
        assert by_label["第二十八条"]["参数"][0] == {"参数": "合同签订时限", "值": "15个工作日"}


def test_a_warning_is_explained_and_its_hint_names_what_the_page_offers(tmp_path):
    with running_workbench(tmp_path) as workbench:
        text = workbench.policy.read_text(encoding="utf-8")
        status, checked = workbench.call("/api/check", {"text": text.replace(DEADLINE_10, DEADLINE_15)})
    assert status == 200 and checked["ok"]
    warning = next(w for w in checked["warnings"] if w["code"] == "W208")
    assert warning["message"] == "规则 28.2 引用的原文写的是「10个工作日」，规则用的却是「15个工作日」"
    assert warning["meaning"].startswith("依据里的数额与规则不符")
    assert "「一并修改依据和摘要…」按钮" in warning["page_hint"] and "「修改」" not in warning["page_hint"]
    assert warning["hint"] == "参数改了，原文也要用「修改」改成新的数额，规则的依据、摘要一并改"  # the terminal's, kept
    from engine.messages import POLICY  # noqa: PLC0415
    lint_codes = {key.split(".")[0] for key in POLICY if key.startswith("W")}
    assert lint_codes == set(WARNING_MEANINGS) and set(PAGE_HINTS) <= lint_codes  # every warning code is explained


def _failed(step: str, name: str, articles: list[str]) -> dict:
    return {"场景": [{"场景": name, "条号": articles, "失败": {"步骤": step}}, {"场景": "通过的", "条号": articles, "失败": None}]}


def test_a_failed_scenario_names_the_parameters_its_rules_use_and_whether_they_moved(tmp_path):
    title = "规则28.2 在中标（成交）通知书发出之日起 10 个工作日内签订正式采购合同"
    with running_workbench(tmp_path) as workbench:
        started = workbench.server.workbench.started_values
        assert started["合同签订时限"] == "10个工作日"
        with workbench.server.workbench.policy() as compiled:
            unmoved = with_parameters(_failed("那么 规则28.2 应为 违规", title, ["第二十八条"]), compiled.ir, started)
        text = workbench.policy.read_text(encoding="utf-8")
        workbench.policy.write_text(text.replace(DEADLINE_10, DEADLINE_15), encoding="utf-8")
        workbench.server.workbench.ensure_current()
        with workbench.server.workbench.policy() as compiled:
            moved = with_parameters(_failed("那么 规则２８.２ 应为 违规", title, ["第二十八条"]), compiled.ir, started)
            by_article = with_parameters(_failed("那么 应违反第二十八条", "截止日期过后仍未签订即为违规", ["第二十八条"]),
                                         compiled.ir, started)
    assert unmoved["场景"][0]["失败"]["参数"] == [{"参数": "合同签订时限", "值": "10个工作日", "启动时": None, "场景写的": None}]
    assert unmoved["场景"][1]["失败"] is None
    # The rule the step names (full-width digits too), the value when the workbench started, the title's own number.
    assert moved["场景"][0]["失败"]["参数"] == [{"参数": "合同签订时限", "值": "15个工作日", "启动时": "10个工作日",
                                           "场景写的": "10 个工作日"}]
    # A step that names no rule: every rule of the scenario's articles.
    assert [p["参数"] for p in by_article["场景"][0]["失败"]["参数"]] == ["合同签订时限", "合同备案时限"]
    assert by_article["场景"][0]["失败"]["参数"][1]["启动时"] is None


def test_page_hints_keep_the_terminals_specifics_and_name_tabs_not_commands():
    from engine.workbench.page_hints import page_hint  # noqa: PLC0415
    assert "（原文出处此处为「十个工作日」）" in page_hint("W204", "原文出处此处为「十个工作日」")
    assert page_hint("E135", "写规则编号，如 28.3；用 articles 命令查看各条的规则") == "写规则编号，如 28.3；在「条文」页查看各条的规则"
    assert page_hint("E140", "是不是「合同.质保期」？") == "是不是「合同.质保期」？"
