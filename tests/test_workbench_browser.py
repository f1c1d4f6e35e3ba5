"""The 政策工作台 driven in a real headless Chromium (Debian's chromium, driven by Playwright):
read the articles, introduce a typo and see the diagnostic at its line, fix it and save, evaluate a
sample and find the 第二十八条 finding, print the report. Without Chromium the tests are skipped
on a developer's machine; CI installs it (.ci/run) and requires it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT

from browser_support import (append_to_editor, browser_context, editor_caret, editor_text,
                             replace_editor_text, require_browser, serving, wait_for_editor_text)  # noqa: E402

require_browser()

from engine.workbench.gate import Gate  # noqa: E402
from engine.workbench.server import make_server  # noqa: E402

SCREENSHOTS = os.environ.get("WORKBENCH_SCREENSHOTS")  # a folder: keep pictures of the main views
# Playwright's 30 s default was exceeded by a single fill of the policy textarea on a 2-core machine
# running eight test suites at once (load average 13); a real hang still fails, only later.


@pytest.fixture
def server(tmp_path):
    """A server on a free port, editing a copy of the Jinxiang policy (and its 原文出处: without it
    lint's W201 makes the check a pass with a warning)."""
    policy = tmp_path / "jinxiang_2024.rules"
    shutil.copy(ROOT / "policies" / "jinxiang_2024.rules", policy)
    shutil.copy(ROOT / "policies" / "jinxiang_2024.source.txt", tmp_path)
    server = make_server(policy, 0)
    with serving(server):
        yield server, policy


@pytest.fixture
def workbench(server):
    """The server's address and its policy file."""
    running, policy = server
    return f"http://127.0.0.1:{running.server_address[1]}", policy


@pytest.fixture
def page():
    with browser_context(viewport={"width": 1280, "height": 900}) as context:
        yield context.new_page()


def _scenarios_tagged(label: str) -> int:
    """How many of Jinxiang's own scenarios carry an article's tag, as pytest collects them."""
    result = subprocess.run([sys.executable, "-m", "pytest", str(ROOT / "features" / "test_features.py"), "-m", label,
                             "--collect-only", "-q"], capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    return sum(1 for line in result.stdout.splitlines() if "::" in line)


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / name), full_page=False)


def test_articles_are_listed_and_searchable(workbench, page):
    url, _ = workbench
    page.goto(url)
    page.wait_for_selector("#article-第二十八条")
    assert page.locator(".article").count() == 46
    assert "在中标（成交）通知书发出之日起 10 个工作日内签订正式采购合同" in page.inner_text("#article-第二十八条")
    assert "规则28.2" in page.inner_text("#article-第二十八条 .scenarios")
    _shot(page, "工作台-条文.png")
    page.fill("#article-search", "28")
    assert [page.locator(".article h3").nth(i).inner_text() for i in range(page.locator(".article").count())] == ["第二十八条（采购和合同签订）"]


def test_typo_is_shown_at_its_line_then_fixed_and_saved(workbench, page):
    url, policy = workbench
    page.goto(url)
    page.click("nav button[data-tab=editor]")
    page.wait_for_selector("#editor-status.ok")
    text = editor_text(page)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "若 合同.质保期 低于" in l)
    replace_editor_text(page, text.replace("若 合同.质保期 低于", "若 合同.质保其 低于"))
    page.wait_for_selector("#diagnostics li")
    diagnostic = page.inner_text("#diagnostics li")
    # Said as staff read it: the line and article, the sentence, what to write; the code only small, at the end.
    assert diagnostic.splitlines()[0] == f"第 {line} 行（第三十条）：事实词汇表中没有字段「合同.质保其」E140"
    assert "怎么改：" in diagnostic and "合同.质保期" in diagnostic
    page.once("dialog", lambda dialog: dialog.dismiss())  # the broken text is not saved without an explicit choice
    page.click("#save")
    page.wait_for_function("document.querySelector('#editor-status').textContent.includes('不能编译')")
    assert policy.read_text(encoding="utf-8") == text
    page.click("#diagnostics li")  # the caret goes to the line of the error
    assert editor_caret(page) == {"line": line, "column": 5}
    fixed = text.replace("质保期一般不低于 2 年”", "质保期一般不低于 2 年”", 1).replace("“合同约定的质保期低于2年”", "“合同约定的质保期不足2年”")
    replace_editor_text(page, fixed)
    page.wait_for_selector("#editor-status.ok")
    page.click("#save")
    page.wait_for_function("document.querySelector('#editor-status').textContent === '已保存'")
    assert policy.read_text(encoding="utf-8") == fixed


def test_an_unsaved_edit_survives_a_reload(workbench, page):
    url, _ = workbench
    page.goto(url)
    page.click("nav button[data-tab=editor]")
    page.wait_for_selector("#editor-status.ok")
    append_to_editor(page, "\n# 还没保存的一行\n")
    page.reload()
    page.click("nav button[data-tab=editor]")
    wait_for_editor_text(page, "还没保存的一行")
    assert page.inner_text("#editor-notice") == "已恢复上次未保存的修改"


def test_a_second_tab_cannot_overwrite_a_newer_save(workbench, page):
    url, policy = workbench
    page.goto(url)
    page.click("nav button[data-tab=editor]")
    page.wait_for_selector("#editor-status.ok")
    policy.write_text(policy.read_text(encoding="utf-8") + "\n# 另一个标签页保存的\n", encoding="utf-8")
    append_to_editor(page, "\n# 这个标签页的\n")
    page.click("#save")
    page.wait_for_function("document.querySelector('#editor-status').textContent.includes('已在别处被修改')")
    assert "另一个标签页保存的" in policy.read_text(encoding="utf-8")


def test_evaluate_a_sample_and_print_its_report(workbench, page):
    url, _ = workbench
    page.goto(url)
    page.click("nav button[data-tab=try]")
    page.wait_for_selector("#sample option[value='应急指挥调度系统']", state="attached")
    page.select_option("#sample", "应急指挥调度系统")
    page.click("#evaluate")
    finding = page.wait_for_selector(".finding[data-rule='28.2']")
    assert "第二十八条　未在中标（成交）通知书发出之日起10个工作日内签订正式采购合同　截止日期 2025年2月13日" in finding.inner_text()
    assert "建设单位 县应急管理局" in page.inner_text("#result h3") and "结论：不合规" in page.inner_text("#result h3")
    page.click(".finding[data-rule='28.2'] summary")  # opened: the facts in words, the article cited, the source lines in small print
    shown = finding.inner_text()
    assert "合同 › 签订日期：2025年2月20日（正式采购合同签订的日期）" in shown
    assert "出处：《金乡县政务信息化项目建设管理办法》第二十八条" in shown and "规则 28.2，" in shown
    assert "第三十条第二款" in page.inner_text(".finding[data-rule='30.1'] summary")
    _shot(page, "工作台-试算.png")
    with page.expect_popup() as popup_info:
        page.click("#print-report")
    report = popup_info.value
    report.wait_for_load_state()
    assert report.inner_text("#结论") == "不合规"
    assert "规则 28.2，" in report.inner_text("tr[data-rule='28.2']") and "县应急管理局" in report.inner_text("table.heading")


def test_evaluate_from_the_form(workbench, page):
    url, _ = workbench
    page.goto(url)
    page.click("nav button[data-tab=try]")
    page.fill(".field[data-path='项目.编号'] input", "表单-1")
    page.fill(".field[data-path='项目.名称'] input", "表单项目")
    page.fill(".field[data-path='项目.建设单位'] input", "县测试局")
    page.check(".field[data-path='项目.涉密'] input[value='是']")
    page.click("#evaluate")
    page.wait_for_selector(".finding[data-rule='2.1']")
    assert "结论：不适用" in page.inner_text("#result h3")


def test_evaluate_an_uploaded_facts_file(workbench, page, tmp_path):
    url, _ = workbench
    facts = tmp_path / "上传的项目.yaml"
    facts.write_text((ROOT / "facts" / "示例" / "社区网格信息平台.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    page.goto(url)
    page.click("nav button[data-tab=try]")
    page.set_input_files("#facts-file", str(facts))
    page.fill("#as-of", "2026-11-27")
    page.click("#evaluate")
    todo = page.wait_for_selector(".finding[data-rule='28.2']")
    assert "截止日期 2026年12月4日" in todo.inner_text()


def test_run_one_articles_scenarios(workbench, page):
    url, _ = workbench
    page.goto(url)
    page.click("nav button[data-tab=scenarios]")
    page.fill("#scenario-article", "第三十条")
    page.click("#run-scenarios")
    page.wait_for_function("document.querySelector('#scenario-result').textContent.startsWith('通过')", timeout=120_000)
    # Only Jinxiang's own chapter files count: another county's scenarios tagged 第三十条 are its own.
    assert page.inner_text("#scenario-result").startswith(f"通过 {_scenarios_tagged('第三十条')}，失败 0")


def test_a_tab_left_open_across_a_restart_is_told_to_reopen(server, workbench, page):
    """The launch secret changes when the server restarts; an old tab's save is refused and says why."""
    url, policy = workbench
    page.goto(url)
    page.click("nav button[data-tab=editor]")
    page.wait_for_selector("#editor-status.ok")
    original = policy.read_text(encoding="utf-8")
    running, _ = server
    running.gate = Gate(running.gate.port)  # what a restart on the same port does
    append_to_editor(page, "\n# 重启前的标签页\n")
    page.click("#save")
    page.wait_for_function("document.querySelector('#editor-status').textContent.includes('口令')")
    assert page.inner_text("#editor-status") == "拒绝访问：请求没有带上本次启动的工作台口令。请重新打开工作台页面后再操作。"
    assert policy.read_text(encoding="utf-8") == original
    page.reload()
    page.click("nav button[data-tab=editor]")
    wait_for_editor_text(page, "重启前的标签页")  # the draft survived
    page.click("#save")
    page.wait_for_function("document.querySelector('#editor-status').textContent === '已保存'")
    assert policy.read_text(encoding="utf-8").endswith("# 重启前的标签页\n")
