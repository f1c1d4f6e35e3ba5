"""The 条文 search and the 规格场景 tab in a real headless Chromium (tests/browser_support.py): one
page load each. The search finds an article by any form of its number, a rule id, a parameter, a
field and text written without the policy's spaces; the page's article-number parsing agrees with
the engine's numerals; scenarios are listed by article (the 条号 box filters the list), run by article
number, and a failed step's expected value is updated after the page's own question, after which the
scenario passes."""
from __future__ import annotations

import shutil

import pytest

from helpers import ROOT
from browser_support import browser_context, require_browser, serving  # noqa: E402

require_browser()

from engine.text import to_chinese_number  # noqa: E402
from engine.workbench.server import make_server  # noqa: E402

CHAPTER = "05_第五章_采购和合同管理.feature"
TODO_STEP = "那么 应有待办 第二十八条，截止日期为 2026-12-04"


@pytest.fixture
def workbench(tmp_path):
    """A server over copies of the Jinxiang policy and of the feature files (the page writes them)."""
    policy = tmp_path / "jinxiang_2024.rules"
    shutil.copy(ROOT / "policies" / "jinxiang_2024.rules", policy)
    features = tmp_path / "features"
    shutil.copytree(ROOT / "features", features, ignore=shutil.ignore_patterns("__pycache__"))
    with serving(make_server(policy, 0, features=features)) as url:
        yield url, features


@pytest.fixture
def page():
    with browser_context(viewport={"width": 1366, "height": 768}) as context:
        yield context.new_page()


def _found(page) -> list[str]:
    return page.eval_on_selector_all(".article", "nodes => nodes.map(n => n.id.replace('article-', ''))")


def test_search_by_number_rule_parameter_field_and_unspaced_text(workbench, page):
    url, _ = workbench
    page.goto(url)
    page.wait_for_selector("#article-第二十八条")
    for query in ("28", "２８", "第28条", "第二十八条", "二十八", "28.2", "【合同签订时限】"):
        page.fill("#article-search", query)
        assert _found(page) == ["第二十八条"], query
    page.fill("#article-search", "合同签订时限")  # also the 释义 of 第四十五条 that names it
    assert _found(page) == ["第二十八条", "第四十五条"]
    page.fill("#article-search", "10个工作日")  # the text says 「10 个工作日」
    assert "第二十八条" in _found(page) and len(_found(page)) < 46
    page.fill("#article-search", "合同.备案日期")
    assert "第二十八条" in _found(page)
    page.fill("#article-search", "第四十七条之一")
    assert _found(page) == [] and "没有找到「第四十七条之一」" in page.inner_text("#article-list")
    # The page's numerals are the engine's, for every article number there can be.
    numerals = page.evaluate("""async () => {
        const {chineseNumber, articleLabel} = await import('/static/common.js');
        const all = [];
        for (let n = 1; n <= 9999; n++) all.push(chineseNumber(n));
        return {all, labels: ['105', '第一百零五条', '47之一', '第四十七条之一', '第1001条', '第条'].map(articleLabel)};
    }""")
    assert numerals["all"] == [to_chinese_number(n) for n in range(1, 10_000)]
    assert numerals["labels"] == ["第一百零五条", "第一百零五条", "第四十七条之一", "第四十七条之一", "第一千零一条", None]


def test_scenarios_run_by_article_and_a_failed_expectation_updated_in_one_click(workbench, page):
    url, features = workbench
    chapter = features / CHAPTER
    original = chapter.read_text(encoding="utf-8")
    page.goto(url)
    page.click("nav button[data-tab=scenarios]")
    page.wait_for_selector(".scenario-group[data-article='第二十八条'] li.scenario")
    assert page.locator(".scenario-group[data-article='第二十八条'] li.scenario").count() >= 4
    groups = page.locator("#scenario-list .scenario-group")
    page.fill("#scenario-article", "28")  # the box accepts what the search accepts, and filters the list
    assert [groups.nth(i).get_attribute("data-article") for i in range(groups.count()) if groups.nth(i).is_visible()] == ["第二十八条"]
    page.fill("#scenario-article", "")
    assert sum(groups.nth(i).is_visible() for i in range(groups.count())) == groups.count() > 30
    page.fill("#scenario-article", "第二十八条")
    page.click("#run-scenarios")
    page.wait_for_selector("#scenario-result .summary")
    assert page.inner_text("#scenario-result .summary").endswith("失败 0")

    # The staffer edits the expected date in the page and saves: the scenario now fails.
    page.click(f"li.scenario[data-file='{CHAPTER}'][data-line='146'] button.view")
    page.wait_for_function("document.querySelector('#feature-text').value.includes('截止日期为 2026-12-04')")
    page.fill("#feature-text", original.replace(TODO_STEP, TODO_STEP.replace("2026-12-04", "2026-12-01")))
    page.click("#feature-save")
    page.wait_for_function("document.querySelector('#feature-status').textContent === '已保存'")
    page.click(f"li.scenario[data-file='{CHAPTER}'][data-line='146'] button.run")
    failure = page.wait_for_selector(".scenario-failure")
    text = failure.inner_text()
    assert f"{chapter}:149: 场景「合同尚未签订、期限未到时为待办，并给出截止日期」" in text
    assert "步骤：那么 应有待办 第二十八条，截止日期为 2026-12-01" in text
    assert "期望：待办 截止日期 2026-12-01　实际：2026-12-04" in text and "Traceback" not in text
    page.evaluate("window.scrollTo(0, 0)")
    page.click(".scenario-failure button.view")  # 查看这一步: the step selected, the editor brought into view
    page.wait_for_function("document.activeElement?.id === 'feature-text'")
    assert page.eval_on_selector("#feature-text", "t => { const r = t.getBoundingClientRect(); "
                                                   "return r.top >= 0 && r.bottom <= window.innerHeight; }")
    assert page.evaluate("() => { const t = document.querySelector('#feature-text'); "
                         "return t.value.slice(t.selectionStart, t.selectionEnd); }") == "    " + TODO_STEP.replace("2026-12-04", "2026-12-01")
    page.click(".update-expected")  # asks first, in the page: the scenario, the step, old → new, what it means
    question = page.wait_for_selector("#update-dialog[open]").inner_text()
    assert "场景：「合同尚未签订、期限未到时为待办，并给出截止日期」" in question and "步骤（第 149 行）" in question
    assert "期望：「2026-12-01」 → 评估现在给出的「2026-12-04」" in question and "这个场景说的就是另一件事了" in question
    # No parameter moved (the staffer's own edit was wrong): the values the rules use are only named.
    assert not page.locator("#update-dialog .dialog-boundary").count()
    assert "用到参数 【合同签订时限】 = 10个工作日；【合同备案时限】 = 10个工作日" in question
    page.click("#update-dialog .dialog-update")
    page.wait_for_function("document.querySelector('#scenario-result .summary')?.textContent === '通过 1，失败 0'")
    assert chapter.read_text(encoding="utf-8") == original
    assert "截止日期为 2026-12-04" in page.input_value("#feature-text")  # the open file shows the update
