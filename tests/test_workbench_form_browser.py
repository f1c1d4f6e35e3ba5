"""The 试算 form in a real headless Chromium: a project entered field by field with a 变更 record,
evaluated, saved as a facts file, loaded back, printed on A4 sorted by kind; a file with mistakes
is told at its fields. One browser for the module, to keep the suite fast."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser_support import launch, require_browser, sync_playwright

require_browser()

from engine.facts import load_facts  # noqa: E402
from engine.language import KIND_ORDER  # noqa: E402
from engine.vocabulary import load_vocabulary  # noqa: E402
from workbench_client import running_workbench  # noqa: E402

SCREENSHOTS = os.environ.get("WORKBENCH_SCREENSHOTS")  # a folder: keep pictures of the form and the printed report
BROWSER_TIMEOUT_MS = 120_000  # see test_workbench_browser.py: a loaded 2-core machine is slow, a hang still fails
A4_WIDTH_PX = 794  # 210 mm at 96 px per inch


@pytest.fixture(scope="module")
def workbench(tmp_path_factory):
    with running_workbench(tmp_path_factory.mktemp("form-browser")) as running:
        yield running.url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A page at 1366×768 on which a staffer's mistakes are told, never answered as failed requests or console errors."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, bypass_csp=True)  # see browser_context
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type in ("error", "warning") and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on("response", lambda response: response.status >= 400 and problems.append(f"HTTP {response.status}: {response.url}"))
    yield page
    context.close()
    assert problems == []


def _shot(page, name: str, **options) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / name), **options)


def _field(path: str) -> str:
    return f".field[data-path='{path}']"


def test_a_project_entered_with_a_record_is_evaluated_saved_loaded_back_and_printed(workbench, page, tmp_path):
    page.goto(workbench)
    page.click("nav button[data-tab=try]")
    page.wait_for_selector(_field("项目.编号"))
    page.click("#evaluate")  # nothing entered: the required fields say so where they are
    assert page.inner_text(f"{_field('项目.编号')} .field-error") == "必填：请填写「编号」"
    assert page.inner_text("#result") == ""

    page.fill(f"{_field('项目.编号')} input", "表单-28")
    assert page.inner_text(f"{_field('项目.编号')} .field-error") == ""  # the mark goes once the field is filled
    page.fill(f"{_field('项目.名称')} input", "表单录入的平台")
    page.fill(f"{_field('项目.建设单位')} input", "县测试局")
    page.fill(f"{_field('项目.总预算')} input", "120万元")
    page.check(f"{_field('项目.应用类型')} input[data-none]")  # known: none of the words (unticked is unknown)
    page.click("details[data-stage=采购] > summary")
    page.fill(f"{_field('采购.中标通知书日期')} input", "2026-01-05")
    page.click("details[data-stage=实施] > summary")
    page.click(f"{_field('实施.变更')} .add-record")
    page.select_option(f"{_field('实施.变更[0].事项')} select", "建设地点")
    page.fill(f"{_field('实施.变更[0].日期')} input", "2026-03-02")
    page.check(f"{_field('实施.变更[0].事先申请')} input[value='否']")
    page.fill("#as-of", "2026-03-20")
    _shot(page, "工作台-试算表单.png")
    if SCREENSHOTS:
        page.set_viewport_size({"width": 1024, "height": 768})
        _shot(page, "工作台-试算表单-1024.png")
        page.set_viewport_size({"width": 1366, "height": 768})
    page.click("#evaluate")
    page.wait_for_selector(".finding[data-rule='33.1']")
    assert "建设单位 县测试局　评估日期 2026年3月20日" in page.inner_text("#result h3")
    assert page.inner_text(".finding[data-rule='28.2'] summary").startswith("第二十八条　")
    # The record's facts in words, with the vocabulary's description (the details are folded: text_content).
    assert "实施 › 变更 第1项 › 事先申请：否（是否事先向项目审批部门提交调整申请）" in page.text_content(".finding[data-rule='33.1']")
    top = page.evaluate("document.querySelector('#result').getBoundingClientRect().top")
    assert 0 <= top < 768  # the results are where the staffer is looking

    with page.expect_download() as download_info:
        page.click("#save-facts")
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.name == "表单-28.yaml"
    facts = load_facts(saved, load_vocabulary())  # what `cli.py eval` reads
    assert facts.as_of.isoformat() == "2026-03-20" and facts.records["实施.变更"][0]["事项"] == "建设地点"
    assert facts.values["项目.应用类型"] == frozenset() and "项目.支持方向" not in facts.values

    page.click("#clear-form")
    assert page.input_value(f"{_field('项目.编号')} input") == ""
    page.set_input_files("#facts-file", str(saved))
    page.wait_for_function("document.querySelector('#form-status').textContent.startsWith('已载入 表单-28.yaml')")
    assert page.input_value(f"{_field('项目.编号')} input") == "表单-28"
    assert page.input_value(f"{_field('实施.变更[0].事项')} select") == "建设地点"
    assert page.is_checked(f"{_field('实施.变更[0].事先申请')} input[value='否']")
    assert page.is_checked(f"{_field('项目.应用类型')} input[data-none]")
    assert page.input_value("#as-of") == "2026-03-20"

    with page.expect_popup() as popup_info:
        page.click("#print-report")
    report = popup_info.value
    report.wait_for_selector("#结论")
    report.set_viewport_size({"width": A4_WIDTH_PX, "height": 1123})
    report.emulate_media(media="print")
    heading = report.inner_text("table.heading")
    assert "县测试局" in heading and "2026年3月20日" in heading and "金政字〔2024〕80号" in heading
    kinds = report.eval_on_selector_all("[data-kind]", "nodes => nodes.map(n => n.dataset.kind)")
    assert len(kinds) >= 2 and kinds == sorted(kinds, key=KIND_ORDER.index)
    # Every article number on one line: a wrapped 第二十八条 shows as two line boxes.
    lines = report.eval_on_selector_all("td.article .label", """cells => cells.map(cell => {
        const range = document.createRange(); range.selectNodeContents(cell);
        return [cell.textContent, new Set([...range.getClientRects()].map(r => Math.round(r.top))).size]; })""")
    assert ["第二十八条", 1] in lines and all(count == 1 for _, count in lines), lines
    width = report.evaluate("document.documentElement.scrollWidth")
    assert width <= A4_WIDTH_PX  # nothing runs off the page's right edge
    assert report.pdf(format="A4")[:4] == b"%PDF"
    _shot(report, "工作台-打印报告.png", full_page=True)


def test_an_uploaded_file_with_mistakes_is_told_at_its_fields(workbench, page, tmp_path):
    bad = tmp_path / "有错的项目.yaml"
    bad.write_text("项目:\n  编号: X-1\n  名称: 上传\n  建设单位: 县测试局\n  总预算: 很多\n  单位类别: 县局\n合同:\n"
                   "  签定日期: 2026-01-01\n  备案日期: 2026-02-30\n", encoding="utf-8")
    page.goto(workbench)
    page.click("nav button[data-tab=try]")
    page.wait_for_selector(_field("项目.编号"))
    page.fill("#as-of", "2026-03-20")
    page.set_input_files("#facts-file", str(bad))
    page.wait_for_function("document.querySelector('#form-status').textContent.includes('4 处需要修改')")
    assert page.input_value("#as-of") == ""  # the file's 评估日期 is the form's: none, so today
    assert "680万元" in page.inner_text(f"{_field('项目.总预算')} .field-error")
    # What the file says stays in the form as written, beside what to write instead.
    assert page.input_value(f"{_field('项目.总预算')} input") == "很多"
    assert page.input_value(f"{_field('项目.单位类别')} select") == "县局"
    assert "县直部门" in page.inner_text(f"{_field('项目.单位类别')} .field-error")
    assert page.input_value(f"{_field('合同.备案日期')} input") == "2026-02-30"
    assert page.inner_text(f"{_field('合同.备案日期')} .field-error")
    unknown = page.inner_text("#form-problems")  # a key the form has no field for: file, line and key path
    assert "有错的项目.yaml:8" in unknown and "「合同.签定日期」" in unknown and "签订日期" in unknown
    page.fill(f"{_field('项目.总预算')} input", "120万元")
    page.click("#evaluate")  # the other mistakes are still there: told again at their fields, nothing evaluated
    # (the unknown key has no field, so it is not in the form: 单位类别 and 备案日期 remain)
    page.wait_for_function("document.querySelector('#form-status').textContent.includes('2 处需要修改')", timeout=30_000)
    assert page.inner_text(f"{_field('项目.总预算')} .field-error") == ""
    assert page.inner_text(f"{_field('项目.单位类别')} .field-error") and page.inner_text("#result") == ""


def test_dates_read_as_staff_write_them_whatever_the_browser_language(workbench, page):
    """Chromium shows <input type=date> in its own language's format (mm/dd/yyyy here, only en-US is
    installed) and lang="zh-CN" does not change it: the form's date boxes are text boxes that take
    2026-03-20 or 2026年3月20日, with a 日历 button for the browser's own picker."""
    page.goto(workbench)
    page.click("nav button[data-tab=try]")
    page.wait_for_selector(_field("项目.编号"))
    signed = f"{_field('合同.签订日期')} input.value"
    assert page.get_attribute(signed, "type") == "text" and page.get_attribute("#as-of", "type") == "text"
    assert page.get_attribute(signed, "placeholder") == "如 2026-03-20"
    page.click("details[data-stage=合同] > summary")
    page.click(f"{_field('合同.签订日期')} .date-button")  # opens the picker where the browser has one
    page.keyboard.press("Escape")
    # A day chosen in the picker comes back as yyyy-mm-dd, as if typed (the field's mark goes, the count updates).
    page.eval_on_selector(f"{_field('合同.签订日期')} .date-picker",
                          "picker => { picker.value = '2026-02-03'; picker.dispatchEvent(new Event('change')); }")
    assert page.input_value(signed) == "2026-02-03"
    assert page.inner_text("details[data-stage=合同] > summary .filled") == "（已填 1 项）"
    page.fill(f"{_field('项目.编号')} input", "日期-1")
    page.fill(f"{_field('项目.名称')} input", "日期的写法")
    page.fill(f"{_field('项目.建设单位')} input", "县测试局")
    page.fill("#as-of", "2026年3月20日")
    page.click("#evaluate")
    page.wait_for_selector("#result .finding")
    assert "评估日期 2026年3月20日" in page.inner_text("#result h3")
