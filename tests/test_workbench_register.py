"""The workbench's 台账 tab: its API behind the same gate as the page's writes, and the tab driven in
headless Chromium (list, filters, 本月到期, a project's findings and timeline, an edit that becomes an
event). Browser parts skip without Chromium, as the other workbench browser tests do (CI requires it)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.policy import DEFAULT_POLICY
from engine.register import Register
from engine.register.database import open_database
from engine.register.policies import register_policy
from browser_support import launch, require_browser, sync_playwright
from helpers import SAMPLES
from workbench_client import running_workbench

AS_OF = "2026-11-27"


@pytest.fixture
def desk(tmp_path, policy):
    database = str(tmp_path / "台账.db")
    register = Register(open_database(database), register_policy(policy, DEFAULT_POLICY))
    register.import_sources([SAMPLES], actor="王芳")
    register.close()
    with running_workbench(tmp_path, register_database=database) as workbench:
        yield workbench


def test_register_api_lists_opens_and_records_a_form_edit(desk):
    status, data = desk.call("/api/register/list", {"as_of": AS_OF})
    assert status == 200 and len(data["项目"]) == 11 and data["项目"][0]["下一截止日期"] == "2026-12-04"
    status, data = desk.call("/api/register/set", {"id": "JX-2025-007", "field": "合同.签订日期", "value": "2025-05-06"})
    assert (status, data) == (200, {"变更": {"字段": "合同.签订日期", "原值": "2025-04-21", "新值": "2025-05-06"}})
    status, data = desk.call("/api/register/project", {"id": "JX-2025-007", "as_of": AS_OF})
    assert status == 200 and data["报告"]["结论"] == "不合规"
    assert {"项": "建设单位", "值": "县综合行政执法局"} in data["显示"]["标题"] and len(data["显示"]["发现"]) == len(data["报告"]["发现"])
    assert (data["历史"][-1]["来源"], data["历史"][-1]["人员"]) == ("表单", "政策工作台")
    status, data = desk.call("/api/register/report", {"id": "JX-2025-007", "as_of": AS_OF})  # the 试算 tab's printable page
    assert status == 200 and 'id="结论">不合规<' in data["html"] and '<td class="article"><span class="label">第二十八条</span></td>' in data["html"]
    status, data = desk.call("/api/register/set", {"id": "JX-2025-007", "field": "合同.签订日期", "value": "2025-02-30"})
    assert status == 422 and "「合同.签订日期」「2025-02-30」不能写入" in data["error"]
    status, data = desk.call("/api/register/project", {"id": "JX-9999"})
    assert status == 422 and "台账中没有项目「JX-9999」" in data["error"]


def test_register_api_is_behind_the_whole_gate(desk):
    status, data = desk.call("/api/register/list", {"as_of": AS_OF}, headers={"X-Workbench-Token": "guess"})
    assert status == 403
    status, data = desk.call("/api/register/list", {"as_of": AS_OF}, headers={"Origin": "http://evil.example"})
    assert status == 403
    status, _ = desk.call("/api/register/list")  # a GET: there is no such page
    assert status == 404


def test_the_register_tab_in_a_browser(desk):
    require_browser(module_level=False)
    screenshots = os.environ.get("WORKBENCH_SCREENSHOTS")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN", bypass_csp=True).new_page()  # see browser_context
        page.set_default_timeout(90_000)  # each step judges the portfolio again; a loaded machine is slow
        page.goto(desk.url)
        page.click("nav button[data-tab=register]")
        page.wait_for_selector("#register-table tbody tr")
        page.fill("#register-as-of", "2026-12-01")
        page.dispatch_event("#register-as-of", "change")
        page.wait_for_function("document.querySelector('#register-table tbody tr').textContent.includes('3 天')")
        assert page.inner_text("#register-count") == "共 11 个项目"
        first = page.locator("#register-table tbody tr").first.inner_text()
        assert "JX-2026-021" in first and "2026-12-04" in first
        if screenshots:
            page.screenshot(path=str(Path(screenshots) / "工作台-台账.png"))
        page.check("#register-month")
        assert page.inner_text("#register-count") == "共 2 个项目（本月到期：至 2026-12-31）"
        page.uncheck("#register-month")
        page.select_option("#register-conclusion", "合规")
        shown = page.locator("#register-table tbody tr")
        assert 1 <= shown.count() < 11 and all("\t合规\t" in shown.nth(i).inner_text() for i in range(shown.count()))
        page.click("#register-table tbody tr a:text-is('JX-2025-007')")
        page.wait_for_selector("#register-title")
        page.wait_for_function("document.querySelector('#register-title').textContent.startsWith('JX-2025-007')")
        page.fill("#register-form input[data-field='合同.签订日期']", "2025-05-06")  # fill ends with a change event
        page.wait_for_function("document.querySelector('#register-notice').textContent.startsWith('已记录')")
        page.wait_for_selector("#register-findings .finding[data-rule='28.2']")
        assert "合同.签订日期：2025-04-21 → 2025-05-06" in page.inner_text("#register-history li")
        with page.expect_popup() as popup:
            page.click("#register-print")
        assert popup.value.inner_text("#结论") == "不合规"
        if screenshots:
            page.screenshot(path=str(Path(screenshots) / "工作台-台账项目.png"))
        browser.close()
