"""The language server's wiring: LSP requests and notifications → the modules that answer them.

Policy files (*.rules) are analysed on open and on every change (analysis.py) and their
diagnostics published; feature files (*.feature) are checked against the step library. Positions
arrive in the client's units (UTF-16 by default) and are converted to characters, the unit of
the project's spans, through pygls's position codec.
"""
from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from engine.errors import ToolError
from engine.formatter import format_policy_file

from . import completion, feature_files, hover, navigation
from .analysis import Analysis, analyse
from .diagnostics import SOURCE, policy_diagnostics, suggestion_edits

VERSION = "0.1.0"


class PolicyLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("jinxiang-policy", VERSION, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.analyses: dict[str, Analysis] = {}  # uri → the latest analysis of an open policy document

    def refresh(self, uri: str) -> None:
        """Analyse a document as it is now and publish its diagnostics."""
        document = self.workspace.get_text_document(uri)
        path = Path(document.path).resolve()
        if path.suffix not in (".feature", ".rules"):
            return
        try:
            if path.suffix == ".feature":
                diagnostics = feature_files.feature_diagnostics(path, document.source)
            else:
                analysis = analyse(path, document.source, self.analyses.get(uri))
                self.analyses[uri] = analysis
                diagnostics = policy_diagnostics(analysis)
        except Exception as error:  # noqa: BLE001 - a bug must show as a message, as the CLI's E999 does
            diagnostics = [types.Diagnostic(
                range=types.Range(types.Position(0, 0), types.Position(0, 1)), severity=types.DiagnosticSeverity.Error,
                source=SOURCE, code="E999", message=f"内部错误[E999]: {type(error).__name__}: {error}。请将文件报告给开发人员。")]
        codec = document.position_codec
        for diagnostic in diagnostics:
            diagnostic.range = codec.range_to_client_units(document.lines, diagnostic.range)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=document.version, diagnostics=diagnostics))

    def policy_at(self, uri: str, position: types.Position) -> tuple[Analysis, TextDocument, Path, int, int] | None:
        """The analysis of a policy document and a position in it, as span lines and columns (from 1)."""
        if uri not in self.analyses:
            return None
        document = self.workspace.get_text_document(uri)
        if self.analyses[uri].text != document.source:
            self.refresh(uri)
        server_position = document.position_codec.position_from_client_units(document.lines, position)
        return self.analyses[uri], document, Path(document.path).resolve(), server_position.line + 1, server_position.character + 1


server = PolicyLanguageServer()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: PolicyLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.refresh(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: PolicyLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.refresh(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: PolicyLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    # A saved base changes what every open fork inherits: check them all again.
    for uri in list(ls.analyses):
        ls.refresh(uri)
    if params.text_document.uri not in ls.analyses:
        ls.refresh(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: PolicyLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.analyses.pop(params.text_document.uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["【", "第", ".", " "]))
def on_completion(ls: PolicyLanguageServer, params: types.CompletionParams) -> types.CompletionList:
    document = ls.workspace.get_text_document(params.text_document.uri)
    position = document.position_codec.position_from_client_units(document.lines, params.position)
    line = document.lines[position.line].rstrip("\r\n") if position.line < len(document.lines) else ""
    path = Path(document.path).resolve()
    if path.suffix == ".feature":
        items = feature_files.feature_completion(path, line, position.character)
    else:
        located = ls.policy_at(params.text_document.uri, params.position)
        items = completion.complete(located[0], line, position.character) if located else []
    for item in items:  # the modules build edits on line 0; put them on the caret's line, in client units
        edit = item.text_edit
        edit.range = document.position_codec.range_to_client_units(document.lines, types.Range(
            types.Position(position.line, edit.range.start.character), types.Position(position.line, edit.range.end.character)))
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def on_hover(ls: PolicyLanguageServer, params: types.HoverParams) -> types.Hover | None:
    located = ls.policy_at(params.text_document.uri, params.position)
    if located is None:
        return None
    analysis, document, path, line, column = located
    result = hover.hover(analysis, path, line, column)
    if result is not None and result.range is not None:
        result.range = document.position_codec.range_to_client_units(document.lines, result.range)
    return result


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def on_definition(ls: PolicyLanguageServer, params: types.DefinitionParams) -> list[types.Location]:
    located = ls.policy_at(params.text_document.uri, params.position)
    if located is None:
        return []
    analysis, _, path, line, column = located
    return navigation.definition(analysis, path, line, column)


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def on_references(ls: PolicyLanguageServer, params: types.ReferenceParams) -> list[types.Location]:
    located = ls.policy_at(params.text_document.uri, params.position)
    if located is None:
        return []
    analysis, _, path, line, column = located
    return navigation.references(analysis, path, line, column, params.context.include_declaration)


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
def on_formatting(ls: PolicyLanguageServer, params: types.DocumentFormattingParams) -> list[types.TextEdit]:
    document = ls.workspace.get_text_document(params.text_document.uri)
    if not document.path.endswith(".rules"):
        return []
    try:  # a fork's own vocabulary decides its field names, as for `fmt`
        formatted = format_policy_file(Path(document.path), document.source)
    except ToolError:
        return []  # text that does not parse yet (mid-edit) is not formatted; its diagnostics say why
    if formatted == document.source:
        return []
    lines = document.lines
    end = types.Position(len(lines), 0)  # past the last line: the whole document is replaced
    return [types.TextEdit(types.Range(types.Position(0, 0), end), formatted)]


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
def on_code_action(ls: PolicyLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    document = ls.workspace.get_text_document(params.text_document.uri)
    actions = []
    for diagnostic in params.context.diagnostics:
        if diagnostic.source != SOURCE:
            continue
        for title, edit in suggestion_edits(document.source, diagnostic):
            actions.append(types.CodeAction(
                title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic], is_preferred=len(actions) == 0,
                edit=types.WorkspaceEdit(changes={params.text_document.uri: [edit]})))
    return actions


def serve() -> None:
    server.start_io()
