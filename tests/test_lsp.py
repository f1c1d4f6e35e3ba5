"""The language server driven through the protocol by a real client (pytest-lsp): one server for
the whole module, documents opened with in-memory text (no file is written)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from engine.errors import PolicyErrors
from engine.formatter import format_policy
from engine.policy import compile_file_text

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "policies" / "jinxiang_2024.rules"
FORK = ROOT / "policies" / "南阳湖县_2025.rules"
FEATURE = ROOT / "features" / "05_第五章_采购和合同管理.feature"

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=[sys.executable, str(ROOT / "cli.py"), "lsp"]))
async def client(lsp_client: LanguageClient):
    result = await lsp_client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=ROOT.as_uri()))
    _session["capabilities"] = result.capabilities
    yield
    await lsp_client.shutdown_session()


_versions: dict[str, int] = {}  # uri → the version last sent
_session: dict[str, types.ServerCapabilities] = {}


async def open_document(client: LanguageClient, path: Path, text: str | None = None) -> list[types.Diagnostic]:
    uri = path.as_uri()
    _versions[uri] = 1
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=uri, language_id="jinxiang-policy", version=1, text=path.read_text(encoding="utf-8") if text is None else text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


async def replace_text(client: LanguageClient, path: Path, text: str) -> list[types.Diagnostic]:
    uri = path.as_uri()
    _versions[uri] += 1
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=uri, version=_versions[uri]),
        [types.TextDocumentContentChangeWholeDocument(text=text)]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


def position_of(text: str, needle: str, offset: int = 0, occurrence: int = 0) -> types.Position:
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index)
    return types.Position(line, index - (text.rfind("\n", 0, index) + 1))


def line_of(path: Path, needle: str) -> int:
    """The line (from 0) of the first line of a file that starts with `needle`."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n")) if line.startswith(needle))


async def test_initialize_advertises_the_features(client: LanguageClient):
    capabilities = _session["capabilities"]
    assert "【" in capabilities.completion_provider.trigger_characters
    assert capabilities.hover_provider and capabilities.definition_provider and capabilities.references_provider
    assert capabilities.document_formatting_provider and capabilities.code_action_provider


async def test_the_policy_as_shipped_has_no_diagnostics(client: LanguageClient):
    assert await open_document(client, POLICY) == []


async def test_a_misspelt_field_gets_the_message_and_span_of_check_and_a_quick_fix(client: LanguageClient):
    text = POLICY.read_text(encoding="utf-8").replace("合同.签订日期", "合同.签定日期", 1)
    diagnostics = await replace_text(client, POLICY, text)
    with pytest.raises(PolicyErrors) as raised:
        compile_file_text(POLICY, text)
    expected = raised.value.errors[0]
    assert [d.code for d in diagnostics] == [e.code for e in raised.value.errors] == ["E140"]
    diagnostic = diagnostics[0]
    assert diagnostic.message.startswith(expected.message) and expected.hint in diagnostic.message
    assert diagnostic.message.splitlines()[0] == "事实词汇表中没有字段「合同.签定日期」"
    start = position_of(text, "合同.签定日期")
    assert diagnostic.range == types.Range(start, types.Position(start.line, start.character + len("合同.签定日期")))
    assert diagnostic.severity == types.DiagnosticSeverity.Error

    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(POLICY.as_uri()), diagnostic.range, types.CodeActionContext([diagnostic])))
    assert actions[0].title == "改为「合同.签订日期」"
    edit = actions[0].edit.changes[POLICY.as_uri()][0]
    assert edit.range == diagnostic.range and edit.new_text == "合同.签订日期"
    assert await replace_text(client, POLICY, POLICY.read_text(encoding="utf-8")) == []


async def test_a_misspelt_parameter_keeps_its_brackets_in_the_quick_fix(client: LanguageClient):
    original = POLICY.read_text(encoding="utf-8")
    text = original.replace("不低于 【重大项目金额】", "不低于 【重大项目金钱】", 1)
    diagnostics = await replace_text(client, POLICY, text)
    assert [d.code for d in diagnostics] == ["E141"]
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(POLICY.as_uri()), diagnostics[0].range, types.CodeActionContext(diagnostics)))
    assert [a.edit.changes[POLICY.as_uri()][0].new_text for a in actions][0] == "【重大项目金额】"
    await replace_text(client, POLICY, original)


async def test_a_mistyped_keyword_is_fixed_in_place(client: LanguageClient):
    original = POLICY.read_text(encoding="utf-8")
    text = original.replace("若 合同.质保期 低于 【质保期下限】", "若 合同.质保期 低与 【质保期下限】", 1)
    [diagnostic] = await replace_text(client, POLICY, text)
    assert diagnostic.code == "E101" and "您是不是要写「低于」？" in diagnostic.message
    [action] = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(POLICY.as_uri()), diagnostic.range, types.CodeActionContext([diagnostic])))
    edit = action.edit.changes[POLICY.as_uri()][0]
    start = position_of(text, "低与")
    assert edit.range == types.Range(start, types.Position(start.line, start.character + 2)) and edit.new_text == "低于"
    await replace_text(client, POLICY, original)


async def test_lint_warnings_are_published_as_warnings(client: LanguageClient):
    original = POLICY.read_text(encoding="utf-8")
    text = original.replace("  【重大项目金额】 = 500万元\n", "  【重大项目金额】 = 500万元\n  【没人用的参数】 = 3年\n", 1)
    diagnostics = await replace_text(client, POLICY, text)
    assert [(d.code, d.severity) for d in diagnostics] == [("W205", types.DiagnosticSeverity.Warning)]
    assert diagnostics[0].message.startswith("【没人用的参数】定义了但没有规则使用")
    assert diagnostics[0].range.start == position_of(text, "【没人用的参数】")
    await replace_text(client, POLICY, original)


async def completion_labels(client: LanguageClient, path: Path, position: types.Position) -> dict[str, types.CompletionItem]:
    result = await client.text_document_completion_async(types.CompletionParams(types.TextDocumentIdentifier(path.as_uri()), position))
    return {item.label: item for item in result.items}


async def test_completion_of_parameters_fields_keywords_and_articles(client: LanguageClient):
    original = POLICY.read_text(encoding="utf-8")
    text = original + "\n规则 46.9 依据“x”\n  若 合同.签\n  若 违反第\n  若 【重\n"
    await replace_text(client, POLICY, text)
    lines = text.split("\n")
    fields = await completion_labels(client, POLICY, types.Position(len(lines) - 4, len("  若 合同.签")))
    item = fields["合同.签订日期"]
    assert item.kind == types.CompletionItemKind.Field and item.detail == "日期"
    assert item.text_edit.range.start.character == len("  若 ") and item.text_edit.new_text == "合同.签订日期"
    articles = await completion_labels(client, POLICY, types.Position(len(lines) - 3, len("  若 违反第")))
    assert articles["第二十八条"].detail == "采购和合同签订" and len(articles) == 46
    names = await completion_labels(client, POLICY, types.Position(len(lines) - 2, len("  若 【重")))
    assert names["重大项目金额"].text_edit.new_text == "重大项目金额】" and "重大项目" in names
    keywords = await completion_labels(client, POLICY, types.Position(len(lines) - 2, 2))
    assert {"若", "违规", "不低于", "对每项", "已填"} <= set(keywords)
    await replace_text(client, POLICY, original)


async def hover_text(client: LanguageClient, path: Path, position: types.Position) -> str:
    result = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(path.as_uri()), position))
    return result.contents.value


async def test_hover_on_field_parameter_and_rule(client: LanguageClient):
    text = POLICY.read_text(encoding="utf-8")
    field = await hover_text(client, POLICY, position_of(text, "合同.签订日期", 2))
    assert field.startswith("**合同.签订日期**　字段：日期") and "第二十八条（规则 28.2" in field
    parameter = await hover_text(client, POLICY, position_of(text, "【重大项目金额】", 3, occurrence=1))
    assert "【重大项目金额】 = 500万元" in parameter and "认定【重大项目】" in parameter
    rule = await hover_text(client, POLICY, position_of(text, "\n规则 28.2", 5))
    assert rule.startswith("**规则 28.2**　第二十八条（采购和合同签订）")
    assert "依据：“在中标（成交）通知书发出之日起 10 个工作日内签订正式采购合同”" in rule and "> 项目建设单位应严格按照" in rule
    reading = await hover_text(client, POLICY, position_of(text, "\n规则 6.5", 5))
    assert "释义：500万元及以上包含500万元本数（民法典第一千二百五十九条：以上、以下、以内、届满包括本数）" in reading


async def definition_of(client: LanguageClient, path: Path, position: types.Position) -> list[types.Location]:
    return await client.text_document_definition_async(types.DefinitionParams(types.TextDocumentIdentifier(path.as_uri()), position))


async def test_definition_and_references(client: LanguageClient):
    text = POLICY.read_text(encoding="utf-8")
    await open_document(client, POLICY, text)  # run alone, no earlier test has opened it
    [parameter] = await definition_of(client, POLICY, position_of(text, "【重大项目金额】", 2, occurrence=1))
    assert parameter.uri == POLICY.as_uri() and parameter.range.start.line == line_of(POLICY, "  【重大项目金额】")
    [article] = await definition_of(client, POLICY, position_of(text, "违反第十三条", 3))
    assert article.range.start.line == line_of(POLICY, "第十三条")
    [definition] = await definition_of(client, POLICY, position_of(text, "若 【重大项目】", 3))
    assert definition.range.start.line == line_of(POLICY, "  【重大项目】")
    [rule] = await definition_of(client, POLICY, position_of(text, "违反规则 28.3", 6))
    assert rule.range.start.line == line_of(POLICY, "规则 28.3")
    [field] = await definition_of(client, POLICY, position_of(text, "合同.签订日期", 1))
    vocabulary = ROOT / "facts" / "vocabulary.yaml"
    assert field.uri == vocabulary.as_uri()
    assert vocabulary.read_text(encoding="utf-8").split("\n")[field.range.start.line].strip().startswith("签订日期:")
    uses = await client.text_document_references_async(types.ReferenceParams(
        text_document=types.TextDocumentIdentifier(POLICY.as_uri()), position=position_of(text, "【重大项目金额】", 2),
        context=types.ReferenceContext(include_declaration=False)))
    assert [u.range.start.line for u in uses] == [i for i, line in enumerate(text.split("\n")) if "【重大项目金额】" in line][1:]
    rule_uses = await client.text_document_references_async(types.ReferenceParams(
        text_document=types.TextDocumentIdentifier(POLICY.as_uri()), position=position_of(text, "违反规则 44.1", 6),
        context=types.ReferenceContext(include_declaration=True)))
    assert [u.range.start.line for u in rule_uses] == [line_of(POLICY, "规则 44.1"), *(
        i for i, line in enumerate(text.split("\n")) if "违反规则" in line and "44.1" in line)]


async def test_formatting_goes_through_fmt(client: LanguageClient):
    original = POLICY.read_text(encoding="utf-8")
    untidy = original.replace("  【重大项目金额】 = 500万元", "【重大项目金额】   =   500万元", 1)
    await replace_text(client, POLICY, untidy)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        types.TextDocumentIdentifier(POLICY.as_uri()), types.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert [e.new_text for e in edits] == [format_policy(untidy)] and edits[0].range.start == types.Position(0, 0)
    await replace_text(client, POLICY, original)
    assert not await client.text_document_formatting_async(types.DocumentFormattingParams(
        types.TextDocumentIdentifier(POLICY.as_uri()), types.FormattingOptions(tab_size=2, insert_spaces=True)))


async def test_a_fork_jumps_into_its_base(client: LanguageClient):
    text = FORK.read_text(encoding="utf-8")
    assert await open_document(client, FORK) == []
    [amended] = await definition_of(client, FORK, position_of(text, "修改 第六条", 4))
    assert amended.uri == POLICY.as_uri() and amended.range.start.line == line_of(POLICY, "第六条")
    [repealed] = await definition_of(client, FORK, position_of(text, "废止 第二十条", 4))
    assert repealed.uri == POLICY.as_uri() and repealed.range.start.line == line_of(POLICY, "第二十条")
    [changed] = await definition_of(client, FORK, position_of(text, "【重大项目金额】", 2))
    assert changed.uri == POLICY.as_uri() and changed.range.start.line == line_of(POLICY, "  【重大项目金额】")
    [inherited] = await definition_of(client, FORK, position_of(text, "【重大项目】", 2))
    assert inherited.uri == POLICY.as_uri() and inherited.range.start.line == line_of(POLICY, "  【重大项目】")
    parameter = await hover_text(client, FORK, position_of(text, "【重大项目金额】", 2))
    assert "【重大项目金额】 = 300万元" in parameter


async def test_a_revision_is_checked_with_the_version_it_revises(client: LanguageClient):
    revision = ROOT / "policies" / "jinxiang_2026.rules"
    text = revision.read_text(encoding="utf-8").replace("施行日期 2026-07-01", "施行日期 2024-01-01", 1) + "\n废止 规则 6.6\n"
    [diagnostic] = await open_document(client, revision, text)
    assert diagnostic.code == "E196" and diagnostic.message.startswith("修订版的施行日期（2024-01-01）应晚于被修订版本的施行日期（2024-12-12）")
    assert diagnostic.range.start == position_of(text, "修订 “jinxiang_2024.rules”")
    # 修改 规则 and 废止 规则 lead to the rule in the version revised
    [amended] = await definition_of(client, revision, position_of(text, "修改 规则 6.5", 6))
    assert amended.uri == POLICY.as_uri() and amended.range.start.line == line_of(POLICY, "规则 6.5")
    [repealed] = await definition_of(client, revision, position_of(text, "废止 规则 6.6", 6))
    assert repealed.uri == POLICY.as_uri() and repealed.range.start.line == line_of(POLICY, "规则 6.6")


async def test_a_renumbering_fork_jumps_from_the_old_number_into_its_base(client: LanguageClient):
    from engine.text import article_label
    renumbering = "".join(f"  {article_label(n)} 改为 {article_label(n - 1)}\n" for n in range(21, 47))
    # The inherited 第四十六条 (now 第四十五条) says when the measures take effect: the same date, or lint warns.
    text = "继承 “jinxiang_2024.rules”\n施行日期 2024-12-12\n\n废止 第二十条\n\n条号对照\n" + renumbering
    unsaved = ROOT / "policies" / "未保存的县_2025.rules"  # never written: the server reads the editor's text
    assert await open_document(client, unsaved, text) == []
    [old] = await definition_of(client, unsaved, position_of(text, "第二十一条 改为", 1))
    assert old.uri == POLICY.as_uri() and old.range.start.line == line_of(POLICY, "第二十一条")


async def test_a_feature_file_lists_the_phrasings_for_an_unknown_step(client: LanguageClient):
    text = FEATURE.read_text(encoding="utf-8")
    assert await open_document(client, FEATURE, text) == []
    broken = text.replace("当 评估该项目", "当 评价这个项目", 1)
    [diagnostic] = await replace_text(client, FEATURE, broken)
    assert diagnostic.message.startswith("步骤「当 评价这个项目」没有对应的写法。\n可用的步骤写法")
    assert "那么 规则28.2 应为 违规" in diagnostic.message
    assert diagnostic.range.start == position_of(broken, "当 评价这个项目")
    lines = broken.split("\n")
    row = diagnostic.range.start.line
    phrasings = await completion_labels(client, FEATURE, types.Position(row, len(lines[row]) - len("评价这个项目")))
    assert "评估该项目" in phrasings and "在 2026-12-05 评估该项目" in phrasings
    given = next(i for i, line in enumerate(lines) if line.strip().startswith("而且 采购.按政府采购程序"))
    fields = await completion_labels(client, FEATURE, types.Position(given, lines[given].index("按政府")))
    assert "采购.按政府采购程序" in fields


async def test_formatting_text_that_does_not_parse_yet_changes_nothing(client: LanguageClient):
    """fmt refuses what is not a policy; mid-edit, the server then offers no edit (not an error)."""
    original = POLICY.read_text(encoding="utf-8")
    await replace_text(client, POLICY, original + "\n规则 99.1 依据“")
    assert not await client.text_document_formatting_async(types.DocumentFormattingParams(
        types.TextDocumentIdentifier(POLICY.as_uri()), types.FormattingOptions(tab_size=2, insert_spaces=True)))
    await replace_text(client, POLICY, original)
