"""The 编辑规则 tab's editor in a real headless Chromium: the policy language highlighted, an error's span
underlined, completion at the caret from the language's own words, Ctrl+S, Tab that indents (and Esc then
Tab that leaves), long 原文 lines wrapped, the caret landing where a click in Chinese text puts it; and
the whole page used tab by tab without one console error or failed request. Each test loads the page
once and checks several things, to keep the browser tests few and fast."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser_support import (editor_caret, editor_text, launch, print_sample_report, replace_editor_text,  # noqa: E402
                             require_browser, sync_playwright)

require_browser()

from engine.workbench.scenario_desk import SCENARIO_TIMEOUT_SECONDS  # noqa: E402
from workbench_client import running_workbench  # noqa: E402

SCREENSHOTS = os.environ.get("WORKBENCH_SCREENSHOTS")  # a folder: keep pictures of the editor
BROWSER_TIMEOUT_MS = 120_000  # a loaded 2-core machine; see test_workbench_browser.py
EDITOR = "(await import('/static/source_editor.js'))"


@pytest.fixture
def workbench(tmp_path):
    with running_workbench(tmp_path, register_database=str(tmp_path / "台账.db")) as running:
        yield running


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


def _page(browser, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)  # see browser_context
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    return context.new_page()


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / name))


def _open_editor(page, url: str) -> None:
    page.goto(url)
    page.click("nav button[data-tab=editor]")
    page.wait_for_selector("#editor-status.ok")


def _style(page, text: str) -> dict:
    """Colour and weight of the first highlighted token that is exactly `text` on the screen (waiting
    for the highlighter, which works through a long text in the background)."""
    return page.wait_for_function("""(text) => {
        const span = [...document.querySelectorAll('#source .cm-line span')].find((s) => s.textContent === text);
        if (!span) return null;
        const style = getComputedStyle(span);
        return {color: style.color, weight: style.fontWeight};
    }""", arg=text).json_value()


def _typo_with_completion_open(page) -> int:
    """Misspell a field (合同.质保期 → 合同.质保其), wait for its underline, then start a new condition and
    open completion after 「合同.」; the line number of the misspelling."""
    line = next(i for i, l in enumerate(editor_text(page).splitlines(), 1) if "若 合同.质保期 低于" in l)
    page.evaluate(f"async (line) => {EDITOR}.goTo(line, 10)", line)  # before 期
    page.keyboard.press("Delete")
    page.keyboard.type("其")
    page.wait_for_selector("#source .cm-lintRange-error")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.insert_text("若 合同.")
    page.wait_for_selector(".cm-tooltip-autocomplete li")
    return line


def test_the_editor_highlights_underlines_completes_indents_saves_and_wraps(workbench, browser):
    page = _page(browser, 1366, 768)
    _open_editor(page, workbench.url)
    original = editor_text(page)

    # Highlighting from the grammar's keyword groups: a kind, a field, a parameter, a keyword.
    assert _style(page, "名称") == {"color": "rgb(35, 70, 107)", "weight": "700"}
    rule = next(i for i, l in enumerate(original.splitlines(), 1) if "自 采购.中标通知书日期 起 【合同签订时限】" in l)
    page.evaluate(f"async (line) => {EDITOR}.goTo(line, 1)", rule)
    assert _style(page, "违规") == {"color": "rgb(176, 0, 32)", "weight": "700"}
    assert _style(page, "采购.中标通知书日期")["color"] == "rgb(11, 110, 117)"
    assert _style(page, "【合同签订时限】")["color"] == "rgb(130, 80, 223)"

    # The error's span is underlined, and listed below with its article.
    line = _typo_with_completion_open(page)
    assert page.locator("#source .cm-lintRange-error").all_inner_texts() == ["合同.质保其"]
    assert page.inner_text("#diagnostics li").startswith(f"第 {line} 行（第三十条）：事实词汇表中没有字段「合同.质保其」")
    # Completion after 「合同.」 offers the vocabulary's 合同 fields, nothing else.
    vocabulary = workbench.call("/api/vocabulary")[1]
    offered = [label.split()[0] for label in page.locator(".cm-tooltip-autocomplete li .cm-completionLabel").all_inner_texts()]
    contract_fields = {f["字段"] for f in vocabulary["字段"] if f["字段"].startswith("合同.")}
    assert "合同.签订日期" in offered and set(offered) <= contract_fields
    _shot(page, "工作台-编辑.png")
    page.keyboard.press("Escape")
    # After 【 only parameters and named conditions; Enter completes and closes the bracket.
    page.keyboard.insert_text("签订日期 晚于 【合同签")
    page.wait_for_selector(".cm-tooltip-autocomplete li")
    assert page.inner_text(".cm-tooltip-autocomplete li[aria-selected] .cm-completionLabel") == "合同签订时限"
    page.wait_for_timeout(200)  # CodeMirror ignores an Enter within 75 ms of the list opening (no accidental pick)
    page.keyboard.press("Enter")
    assert editor_text(page).splitlines()[line] == "  若 合同.签订日期 晚于 【合同签订时限】"
    # A keyword is offered with what it does, as the language's definition says.
    page.keyboard.insert_text(" 则 违")
    page.wait_for_selector(".cm-tooltip-autocomplete li")
    offers = page.locator(".cm-tooltip-autocomplete li").all_inner_texts()
    assert {"违规发现类别", "违反违反某条", "违反规则违反某条规则"} <= set(offers)  # label and detail run together in innerText
    page.keyboard.press("Escape")
    for _ in " 则 违":
        page.keyboard.press("Backspace")

    # Tab indents and keeps the focus; Escape then Tab leaves the editor (no keyboard trap).
    page.keyboard.press("Home")
    page.keyboard.press("Tab")
    assert editor_text(page).splitlines()[line] == "    若 合同.签订日期 晚于 【合同签订时限】"
    assert page.evaluate("document.activeElement.closest('#source') !== null")
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#source') === null")

    # Long 原文 lines wrap: nothing to scroll sideways, the 第一条 line takes several screen lines.
    assert page.evaluate("(() => { const s = document.querySelector('#source .cm-scroller'); return s.scrollWidth <= s.clientWidth; })()")

    # Ctrl+S saves (the text put back as it was first, so the save needs no confirmation).
    replace_editor_text(page, original.replace("（采购和合同签订）", "（采购与合同签订）"))
    page.wait_for_selector("#editor-status.ok")
    page.keyboard.press("Control+f")  # find and replace, its panel in Chinese
    assert page.get_attribute("#source .cm-search input[name=search]", "placeholder") == "查找"
    assert page.inner_text("#source .cm-search button[name=replaceAll]") == "全部替换"
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    page.wait_for_function("document.querySelector('#editor-status').textContent === '已保存'")
    assert workbench.policy.read_text(encoding="utf-8") == original.replace("（采购和合同签订）", "（采购与合同签订）")


def test_a_click_in_chinese_text_puts_the_caret_under_that_character(workbench, browser):
    """Click the left part of a character in the middle of a wrapped Chinese 原文 line, then type: the
    typed character lands just before the one clicked."""
    page = _page(browser, 1024, 768)
    _open_editor(page, workbench.url)
    line = next(i for i, l in enumerate(editor_text(page).splitlines(), 1) if l.startswith("> 项目建设单位应严格按照审核批准的采购内容"))
    page.evaluate(f"async (line) => {EDITOR}.goTo(line, 1)", line)
    target = "县大数据局备案"  # near the end of the line
    box = page.evaluate("""(target) => {
        for (const node of document.querySelectorAll('#source .cm-line')) {
            const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
            for (let text = walker.nextNode(); text; text = walker.nextNode()) {
                const at = text.data.indexOf(target);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(text, at);
                range.setEnd(text, at + 1);
                const {left, top, width, height} = range.getBoundingClientRect();
                return {left, top, width, height, lineTop: node.getBoundingClientRect().top};
            }
        }
        return null;
    }""", target)
    assert box["top"] > box["lineTop"] + box["height"]  # on a wrapped (second or later) screen line
    page.mouse.click(box["left"] + box["width"] * 0.25, box["top"] + box["height"] / 2)
    page.keyboard.type("甲")
    assert "内向甲县大数据局备案" in editor_text(page).splitlines()[line - 1]
    assert editor_caret(page)["line"] == line
    # Columns count characters as the server's line:column does, also one outside the BMP (two UTF-16 units).
    page.evaluate(f"async (line) => {EDITOR}.goTo(line, 1)", line)
    page.keyboard.insert_text("𠮷")
    page.evaluate(f"async (line) => {EDITOR}.goTo(line, 3)", line)
    assert editor_caret(page) == {"line": line, "column": 3}
    page.keyboard.type("乙")
    assert editor_text(page).splitlines()[line - 1].startswith("𠮷>乙 项目建设单位")
    _shot(page, "工作台-编辑-中文光标.png")  # not in docs: the caret is a thin line


def test_every_tab_in_normal_use_without_a_console_error_or_failed_request(workbench, browser):
    page = _page(browser, 1024, 768)
    problems: list[str] = []
    favicon = []

    def watch(watched) -> None:  # the page and the printable report it opens
        watched.on("console", lambda message: message.type in ("error", "warning")
                   and problems.append(f"{message.type}: {message.text}"))
        watched.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
        watched.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
        watched.on("response", lambda response: response.status >= 400 and problems.append(f"HTTP {response.status}: {response.url}"))
        watched.on("response", lambda response: response.url.endswith("favicon.svg") and favicon.append(response.status))

    watch(page)
    page.context.on("page", watch)

    page.goto(workbench.url)
    page.wait_for_selector("#article-第二十八条")
    page.fill("#article-search", "第28条")
    page.fill("#article-search", "10个工作日")

    page.click("nav button[data-tab=editor]")
    page.wait_for_selector("#editor-status.ok")
    _typo_with_completion_open(page)
    _shot(page, "工作台-编辑-1024.png")
    page.keyboard.press("Escape")
    page.once("dialog", lambda dialog: dialog.dismiss())  # a staffer's mistake: asked about, not sent as a failing save
    page.click("#save")
    page.wait_for_function("document.querySelector('#editor-status').textContent.includes('不能编译')")

    report = print_sample_report(page)
    report.wait_for_load_state()
    report.close()

    page.click("nav button[data-tab=scenarios]")
    page.fill("#scenario-article", "第十五条")
    page.click("#run-scenarios")
    # A run is a pytest process: allow it what the server allows (engine/workbench/api.py), on a loaded machine.
    page.wait_for_function("/^通过 \\d+，失败 0/.test(document.querySelector('#scenario-result').textContent)",
                           timeout=SCENARIO_TIMEOUT_SECONDS * 1000)

    page.click("nav button[data-tab=register]")
    page.click("#register-load")
    page.wait_for_function("document.querySelector('#register-count').textContent !== ''")

    page.click("nav button[data-tab=articles]")
    assert favicon and set(favicon) == {200}
    assert problems == []
