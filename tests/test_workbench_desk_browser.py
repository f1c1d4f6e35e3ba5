"""The workbench for staff who are not programmers, in a real headless Chromium, on a copy of the
policy with no features/ beside it: the 条文 tab shows the values the rules use now; a change that
compiles but draws a lint warning is not shown as a clean pass, and the warning is told in words
with a hint naming the button that exists; the tool's bundled scenarios are read-only until one
click copies them beside the policy, after which the page edits the copy."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers import ROOT, line_number
from browser_support import browser_context, replace_editor_text, require_browser, serving  # noqa: E402

require_browser()

from engine.package_data import FEATURES  # noqa: E402
from engine.workbench.server import make_server  # noqa: E402

SCREENSHOTS = os.environ.get("WORKBENCH_SCREENSHOTS")
CHAPTER = "05_第五章_采购和合同管理.feature"


@pytest.fixture
def page():
    with browser_context(viewport={"width": 1366, "height": 768}) as context:
        yield context.new_page()


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / name))


def test_values_explained_warnings_and_read_only_bundled_scenarios(tmp_path, page):
    policy = tmp_path / "jinxiang_2024.rules"
    shutil.copy(ROOT / "policies" / "jinxiang_2024.rules", policy)
    shutil.copy(ROOT / "policies" / "jinxiang_2024.source.txt", tmp_path)
    bundled = (FEATURES / CHAPTER).read_text(encoding="utf-8")
    with serving(make_server(policy, 0)) as url:
        page.goto(url)
        params = page.wait_for_selector("#article-第二十八条 .params")
        assert "【合同签订时限】 = 10个工作日" in params.inner_text() and "【合同备案时限】 = 10个工作日" in params.inner_text()

        page.click("nav button[data-tab=editor]")
        page.wait_for_selector("#editor-status.ok")
        text = policy.read_text(encoding="utf-8")
        replace_editor_text(page, text.replace("【合同签订时限】 = 10个工作日", "【合同签订时限】 = 15个工作日"))
        page.wait_for_selector("#editor-status.warn")  # compiles, but not the green of a clean pass
        assert page.inner_text("#editor-status") == "能编译（46 条，89 条规则），但有 1 条提醒，见下方「检查提醒」（未保存）"
        warning = page.inner_text("#lint li[data-code=W208]")
        assert warning.startswith(f"第 {line_number(text, '规则 28.2 依据')} 行（第二十八条）：规则 28.2 引用的原文写的是「10个工作日」，规则用的却是「15个工作日」")
        assert "依据里的数额与规则不符" in warning and "怎么改：" in warning and "「一并修改依据和摘要…」按钮" in warning
        assert page.inner_text("#carry-preview") == "一并修改依据和摘要…"  # the button the hint names is there
        page.locator("#lint-box").scroll_into_view_if_needed()
        _shot(page, "工作台-检查提醒.png")
        page.click("#save")
        page.wait_for_function("document.querySelector('#editor-status').textContent === '已保存'")
        page.click("nav button[data-tab=articles]")
        page.wait_for_function("document.querySelector('#article-第二十八条 .params')?.textContent.includes('【合同签订时限】 = 15个工作日')")
        page.fill("#article-search", "28")
        _shot(page, "工作台-条文参数.png")

        page.click("nav button[data-tab=scenarios]")
        notice = page.wait_for_selector("#feature-readonly:not([hidden])")
        assert "只读：这是本工具随附的规格文件" in notice.inner_text() and str(tmp_path / "features") in notice.inner_text()
        page.click(f"li.scenario[data-file='{CHAPTER}'][data-line='146'] button.view")
        page.wait_for_function("document.querySelector('#feature-text').value.includes('截止日期为 2026-12-04')")
        assert page.eval_on_selector("#feature-text", "t => t.readOnly") and page.is_disabled("#feature-save")
        assert "，只读）" in page.inner_text("#feature-folder")
        _shot(page, "工作台-规格场景-只读.png")
        page.click("#feature-readonly .copy-features")
        page.wait_for_selector("#feature-readonly", state="hidden")
        assert page.inner_text("#feature-folder") == f"（{(tmp_path / 'features').resolve()}）"
        assert not page.eval_on_selector("#feature-text", "t => t.readOnly") and not page.is_disabled("#feature-save")
        page.fill("#feature-text", page.input_value("#feature-text").replace("截止日期为 2026-12-04", "截止日期为 2026-12-05"))
        page.click("#feature-save")
        page.wait_for_function("document.querySelector('#feature-status').textContent === '已保存'")
    assert "截止日期为 2026-12-05" in (tmp_path / "features" / CHAPTER).read_text(encoding="utf-8")
    assert (FEATURES / CHAPTER).read_text(encoding="utf-8") == bundled  # the tool's own files never written
