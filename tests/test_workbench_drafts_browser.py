"""The 政策工作台 never loses an edit and never answers from an old policy, in a real headless Chromium:
a colleague saves while a draft is open (the save shows the merge, both changes end up in the file);
the file is rewritten on disk while the page is open (试算 answers with the new deadline and the page
says it reloaded); a forced save of a policy that does not compile leaves a lasting banner; and the
10→15 个工作日 change is carried through 依据, 摘要 and 原文 from the page, with the scenarios listed.
Each runs on a temporary copy of the policy, never the repository's files."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from helpers import ROOT, line_number

from browser_support import (append_to_editor, browser_context, editor_text, replace_editor_text,
                             require_browser, serving, wait_for_editor_text)  # noqa: E402

require_browser()

from engine.workbench.server import make_server  # noqa: E402

SCREENSHOTS = os.environ.get("WORKBENCH_SCREENSHOTS")  # a folder: keep pictures of the new views
DEADLINE_10 = "【合同签订时限】 = 10个工作日"
DEADLINE_15 = "【合同签订时限】 = 15个工作日"


@pytest.fixture
def workbench(tmp_path):
    """A server on a free port editing a copy of the Jinxiang policy and its 原文出处; its URL and file."""
    policy = tmp_path / "jinxiang_2024.rules"
    shutil.copy(ROOT / "policies" / "jinxiang_2024.rules", policy)
    shutil.copy(ROOT / "policies" / "jinxiang_2024.source.txt", tmp_path)
    with serving(make_server(policy, 0)) as url:
        yield url, policy


@pytest.fixture
def context():
    with browser_context(viewport={"width": 1366, "height": 768}) as context:
        yield context


def _open_editor(page, url: str) -> None:
    page.goto(url)
    page.click("nav button[data-tab=editor]")
    page.wait_for_selector("#editor-status.ok")


def _status_is(page, text: str) -> None:
    page.wait_for_function("text => document.querySelector('#editor-status').textContent === text", arg=text)


def _shots(page, name: str, selector: str) -> None:
    """Pictures of one view at 1366×768 and 1024 wide, when asked for."""
    if not SCREENSHOTS:
        return
    for width, height in ((1366, 768), (1024, 768)):
        page.set_viewport_size({"width": width, "height": height})
        page.locator(selector).scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}-{width}.png"))
    page.set_viewport_size({"width": 1366, "height": 768})


def test_a_colleagues_save_during_an_open_draft_is_merged_not_overwritten(workbench, context):
    url, policy = workbench
    original = policy.read_text(encoding="utf-8")
    mine, colleague = context.new_page(), context.new_page()
    _open_editor(mine, url)
    mine_text = original.replace(DEADLINE_10, "【合同签订时限】 = 12个工作日") + "# 这个标签页加的一行\n"
    replace_editor_text(mine, mine_text)
    mine.wait_for_function("document.querySelector('#editor-status').textContent.endsWith('（未保存）')")
    # The colleague, in another tab on the same file, saves first.
    _open_editor(colleague, url)
    theirs = "# 同事加的一行\n" + original.replace(DEADLINE_10, DEADLINE_15)
    replace_editor_text(colleague, theirs)
    colleague.wait_for_selector("#editor-status.warn")  # compiles; lint's W208: the quotes still say 10
    colleague.click("#save")
    _status_is(colleague, "已保存")
    assert policy.read_text(encoding="utf-8") == theirs
    # This tab's save does not write over it: the merge shows both changes side by side.
    mine.click("#save")
    mine.wait_for_selector("#merge-view:not([hidden])")
    assert policy.read_text(encoding="utf-8") == theirs
    assert mine.inner_text(".merge-tally") == "只有文件改了 1 处，只有你改了 1 处，两边改得一样 0 处，冲突 1 处。"
    conflict = mine.locator(".merge-冲突")
    assert "10个工作日" in conflict.locator(".merge-side-原来").inner_text()
    assert "15个工作日" in conflict.locator(".merge-side-文件").inner_text()
    assert "12个工作日" in conflict.locator(".merge-side-我的").inner_text()
    assert mine.is_disabled("#merge-apply")  # a conflict must be decided first
    _shots(mine, "工作台-合并", "#merge-view")
    conflict.get_by_label("用文件现在的").check()
    mine.click("#merge-apply")
    mine.wait_for_selector("#editor-status.warn")
    mine.click("#save")
    _status_is(mine, "已保存")
    merged = policy.read_text(encoding="utf-8")
    assert merged == "# 同事加的一行\n" + original.replace(DEADLINE_10, DEADLINE_15) + "# 这个标签页加的一行\n"


def test_each_tab_keeps_its_own_draft_and_a_closed_tabs_draft_is_carried_on(workbench, context):
    url, policy = workbench
    original = policy.read_text(encoding="utf-8")
    first, second = context.new_page(), context.new_page()
    _open_editor(first, url)
    _open_editor(second, url)
    append_to_editor(first, "\n# 第一个标签页的草稿\n")
    append_to_editor(second, "\n# 第二个标签页的草稿\n")
    first.wait_for_function("document.querySelector('#editor-status').textContent.endsWith('（未保存）')")
    second.wait_for_function("document.querySelector('#editor-status').textContent.endsWith('（未保存）')")
    first.reload()
    first.click("nav button[data-tab=editor]")
    wait_for_editor_text(first, "第一个标签页的草稿")
    assert "第二个标签页的草稿" not in editor_text(first)
    second.close()  # a tab closed with a draft: the next tab opened on the file carries it on
    third = context.new_page()
    _open_editor(third, url)
    wait_for_editor_text(third, "第二个标签页的草稿")
    assert third.inner_text("#editor-notice") == "已恢复上次未保存的修改"
    assert policy.read_text(encoding="utf-8") == original


def test_a_rewrite_of_the_file_while_the_page_is_open_is_answered_and_said(workbench, context):
    url, policy = workbench
    page = context.new_page()
    page.goto(url)
    page.click("nav button[data-tab=try]")
    page.wait_for_selector("#sample option[value='社区网格信息平台']", state="attached")
    page.select_option("#sample", "社区网格信息平台")
    page.fill("#as-of", "2026-11-27")
    page.click("#evaluate")
    assert "截止日期 2026年12月4日" in page.wait_for_selector(".finding[data-rule='28.2']").inner_text()
    assert page.is_hidden("#reload-notice")
    before = policy.stat()
    policy.write_text(policy.read_text(encoding="utf-8").replace(DEADLINE_10, DEADLINE_15), encoding="utf-8")
    os.utime(policy, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `git checkout` may leave it: only the text differs
    page.click("#evaluate")
    page.wait_for_function("document.querySelector(\".finding[data-rule='28.2']\").textContent.includes('2026年12月11日')")
    assert page.inner_text("#reload-notice").startswith("文件已在磁盘上更改，已重新载入（版本 ")
    page.click("nav button[data-tab=editor]")  # the editor, with nothing unsaved, shows the new text
    wait_for_editor_text(page, DEADLINE_15)


def test_a_forced_save_of_a_broken_policy_leaves_a_lasting_banner(workbench, context):
    url, policy = workbench
    original = policy.read_text(encoding="utf-8")
    page = context.new_page()
    _open_editor(page, url)
    replace_editor_text(page, original.replace("若 合同.质保期 低于", "若 合同.质保其 低于"))
    page.wait_for_selector("#diagnostics li")
    page.once("dialog", lambda dialog: dialog.accept())  # the staffer chooses to save it anyway
    page.click("#save")
    _status_is(page, "已保存，但不能编译：项目仍按上一个能编译的版本评估")
    banner = page.wait_for_selector("#policy-banner:not([hidden])")
    assert "不能编译" in banner.inner_text() and "仍按上一个能编译的版本评估" in banner.inner_text()
    _shots(page, "工作台-强制保存", "#policy-banner")
    page.click("nav button[data-tab=try]")  # still there on another tab, after other answers
    page.wait_for_selector("#sample option[value='智慧城管综合平台']", state="attached")
    page.select_option("#sample", "智慧城管综合平台")
    page.click("#evaluate")
    page.wait_for_selector("#result h3")
    assert page.is_visible("#policy-banner")
    page.click("nav button[data-tab=editor]")
    replace_editor_text(page, original)
    page.wait_for_selector("#editor-status.ok")
    page.click("#save")
    _status_is(page, "已保存")
    page.wait_for_selector("#policy-banner", state="hidden")


def test_a_parameter_change_is_carried_through_quotes_summaries_and_the_original(workbench, context):
    url, policy = workbench
    original = policy.read_text(encoding="utf-8")
    page = context.new_page()
    _open_editor(page, url)
    replace_editor_text(page, original.replace(DEADLINE_10, DEADLINE_15))
    page.wait_for_selector("#carry:not([hidden])")
    assert page.inner_text("#carry h3") == "参数改了：【合同签订时限】 10个工作日 → 15个工作日"
    carry = page.inner_text("#carry")
    quote = line_number(original, "规则 28.2 依据")
    assert f"第 {quote} 行 规则28.2 依据" in carry and f"第 {quote + 3} 行 规则28.2 摘要" in carry
    assert "说明办法修订了" in carry and "修订 “jinxiang_2024.rules”" in carry and "docs/为本县定制办法.md" in carry
    assert "features/05_第五章_采购和合同管理.feature:40" in carry  # the scenarios that still expect 10
    assert "W208" in page.inner_text("#lint")  # lint beside check, as `cli.py lint` says it
    page.click("#carry-preview")
    rows = page.locator(".carry-preview tr")
    assert [rows.nth(i).locator("td").nth(1).inner_text() for i in range(1, rows.count())] == ["原文（修订）", "依据", "摘要", "摘要"]
    _shots(page, "工作台-参数连带修改", "#carry")
    page.click("#carry-apply")
    page.wait_for_function("document.querySelector('#editor-notice').textContent.startsWith('已在编辑器里改了 4 处')")
    page.wait_for_function("!document.querySelector('#lint').textContent.includes('W208')")
    assert policy.read_text(encoding="utf-8") == original  # nothing written until the staffer saves
    page.click("#save")
    _status_is(page, "已保存")
    saved = policy.read_text(encoding="utf-8")
    assert "规则 28.2 依据“在中标（成交）通知书发出之日起 15 个工作日内签订正式采购合同”" in saved
    assert "未到期 待办 “应在中标（成交）通知书发出之日起15个工作日内签订正式采购合同”" in saved
    assert "发出之日起 15 个工作日内签订正式采购合同，合同应在签订完成后 10 个工作日内向县大数据局备案。" in saved


# 第二十八条's outline of 规则28.2 at 15 个工作日: the example rows moved to the new boundary (dates
# counted with the tool's workday calendar: 2025-01-24 + 15 个工作日 = 2025-02-20, + 16 = 02-21;
# 2025-09-26 + 15 = 10-23, + 16 = 10-24; 2026-11-06 + 15 = 11-27, the evaluation date; 11-05 + 15 = 11-26).
OUTLINE_10 = """    例子:
      | 采购.中标通知书日期 | 合同.签订日期 | 合同.备案日期 | 结果 | 说明 |
      | 2025-01-24 | 2025-02-14 | 2025-02-14 | 违规 | 第11个工作日签订（跨2025年春节） |
      | 2025-01-24 | 2025-02-13 | 2025-02-13 | 无 | 第10个工作日签订 |
      | 2025-09-26 | 2025-10-17 | 2025-10-17 | 违规 | 第11个工作日签订（跨2025年国庆，9月28日、10月11日调休上班） |
      | 2025-09-26 | 2025-10-16 | 2025-10-16 | 无 | 第10个工作日签订（跨2025年国庆） |
      | 2026-11-13 | 未填 | 未填 | 待办 | 截止当日尚未签订 |
      | 2026-11-12 | 未填 | 未填 | 违规 | 截止次日仍未签订 |
"""
OUTLINE_15 = """    例子:
      | 采购.中标通知书日期 | 合同.签订日期 | 合同.备案日期 | 结果 | 说明 |
      | 2025-01-24 | 2025-02-21 | 2025-02-21 | 违规 | 第16个工作日签订（跨2025年春节） |
      | 2025-01-24 | 2025-02-20 | 2025-02-20 | 无 | 第15个工作日签订 |
      | 2025-09-26 | 2025-10-24 | 2025-10-24 | 违规 | 第16个工作日签订（跨2025年国庆，9月28日、10月11日调休上班） |
      | 2025-09-26 | 2025-10-23 | 2025-10-23 | 无 | 第15个工作日签订（跨2025年国庆） |
      | 2026-11-06 | 未填 | 未填 | 待办 | 截止当日尚未签订 |
      | 2026-11-05 | 未填 | 未填 | 违规 | 截止次日仍未签订 |
"""


def _in_view(page, selector: str) -> bool:
    return page.eval_on_selector(selector, "n => { const r = n.getBoundingClientRect(); "
                                           "return r.top >= 0 && r.bottom <= window.innerHeight; }")


def test_the_10_to_15_change_carried_through_to_a_green_scenario_run_from_the_page(tmp_path, context):
    """The whole change from the page alone, on copies of the policy and its feature files: the parameter,
    its quotes, 摘要 and 原文 in one step, saved; then 第二十八条's scenarios that expected 10 days. Each
    failed row of the outline is labelled with its 说明; the update of 「截止次日仍未签订」 asks first, showing
    the row, 违规 → 待办, that the scenario would then say something else, and that the boundary moved
    (【合同签订时限】 10 → 15): the staffer opens the row instead (brought into view, selected) and moves the
    rows' dates to the new boundary; the deadline the todo expects moved with the period and is updated;
    the scenario evaluated the day after the old deadline gets a later date. Then they run green."""
    policy = tmp_path / "jinxiang_2024.rules"
    shutil.copy(ROOT / "policies" / "jinxiang_2024.rules", policy)
    shutil.copy(ROOT / "policies" / "jinxiang_2024.source.txt", tmp_path)
    features = tmp_path / "features"
    shutil.copytree(ROOT / "features", features, ignore=shutil.ignore_patterns("__pycache__"))
    chapter = features / "05_第五章_采购和合同管理.feature"
    with serving(make_server(policy, 0, features=features)) as url:
        page = context.new_page()
        _open_editor(page, url)
        replace_editor_text(page, policy.read_text(encoding="utf-8").replace(DEADLINE_10, DEADLINE_15))
        page.wait_for_selector("#carry:not([hidden])")
        page.click("#carry-preview")
        page.click("#carry-apply")
        page.wait_for_function("!document.querySelector('#lint').textContent.includes('W208')")
        page.click("#save")
        _status_is(page, "已保存")

        page.click("nav button[data-tab=scenarios]")
        page.fill("#scenario-article", "第28条")
        page.click("#run-scenarios")
        page.wait_for_selector("#scenario-result .summary.failed")
        passed, failed = map(int, re.fullmatch(r"通过 (\d+)，失败 (\d+)", page.inner_text("#scenario-result .summary")).groups())
        assert failed == 5  # three rows of the 规则28.2 outline, the todo's deadline, the day after the old deadline
        rows = page.locator("#scenario-result .example-row").all_inner_texts()
        assert rows == ["例子「第11个工作日签订（跨2025年春节）」：2025-01-24 | 2025-02-14 | 2025-02-14 | 违规",
                        "例子「第11个工作日签订（跨2025年国庆，9月28日、10月11日调休上班）」：2025-09-26 | 2025-10-17 | 2025-10-17 | 违规",
                        "例子「截止次日仍未签订」：2026-11-12 | 未填 | 未填 | 违规"]
        failure = page.locator(".scenario-failure", has_text="截止次日仍未签订")
        failure.locator(".update-expected").click()
        question = page.wait_for_selector("#update-dialog[open]").inner_text()
        assert "场景：「规则28.2 在中标（成交）通知书发出之日起 10 个工作日内签订正式采购合同」" in question
        assert "例子（第 55 行），说明：「截止次日仍未签订」" in question and "违规 → 待办" in question
        assert "改了以后，这个场景说的就是另一件事了：这一行的说明是「截止次日仍未签订」，它原来说这种情况应为「违规」，改后说应为「待办」" in question
        boundary = page.inner_text("#update-dialog .dialog-boundary")
        assert boundary.startswith("边界移动了：这个场景检验的规则用到的参数【合同签订时限】在本次启动后由 10个工作日 改为 15个工作日，"
                                   "场景标题还写着「10 个工作日」。") and "应当把这一行的日期挪到新的边界上" in boundary
        _shots(page, "工作台-规格场景-更新确认", "#update-dialog")
        page.click("#update-dialog .dialog-open")  # move the dates instead: the row, selected and in view
        page.wait_for_function("document.activeElement?.id === 'feature-text'")
        assert _in_view(page, "#feature-text")
        selected = page.evaluate("() => { const t = document.querySelector('#feature-text'); "
                                 "return t.value.slice(t.selectionStart, t.selectionEnd); }")
        assert selected == "      | 2026-11-12 | 未填 | 未填 | 违规 | 截止次日仍未签订 |"
        assert chapter.read_text(encoding="utf-8") == (ROOT / "features" / chapter.name).read_text(encoding="utf-8")
        text = page.input_value("#feature-text")
        assert OUTLINE_10 in text
        text = text.replace(OUTLINE_10, OUTLINE_15).replace("场景大纲: 规则28.2 在中标（成交）通知书发出之日起 10 个工作日内",
                                                            "场景大纲: 规则28.2 在中标（成交）通知书发出之日起 15 个工作日内")
        page.fill("#feature-text", text.replace("当 在 ２０２６-１２-０５ 评估该项目", "当 在 2026-12-12 评估该项目"))
        page.click("#feature-save")
        page.wait_for_function("document.querySelector('#feature-status').textContent.includes('已保存')")
        page.click("#run-scenarios")
        page.wait_for_function("text => document.querySelector('#scenario-result .summary')?.textContent === text",
                               arg=f"通过 {passed + 4}，失败 1")
        # What is left is a deadline: it moves with the period, and the dialog says to count it, then update.
        page.locator(".update-expected").click()
        question = page.wait_for_selector("#update-dialog[open]").inner_text()
        assert "期望：「2026-12-04」 → 评估现在给出的「2026-12-11」" in question and "期望的是一个截止日期" in question
        page.click("#update-dialog .dialog-update")
        page.wait_for_function("text => document.querySelector('#scenario-result .summary')?.textContent === text",
                               arg=f"通过 {passed + 5}，失败 0")
        _shots(page, "工作台-参数连带修改-场景", "#scenario-result")
        assert "截止日期为 2026-12-11" in chapter.read_text(encoding="utf-8") and OUTLINE_15 in chapter.read_text(encoding="utf-8")
