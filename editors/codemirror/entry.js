// What the workbench's source_editor.js uses from CodeMirror 6, re-exported from one module so that
// esbuild can bundle it (and only it) into engine/workbench/static/vendor/codemirror.js.
export {EditorState, EditorSelection, Compartment} from "@codemirror/state";
export {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, drawSelection,
} from "@codemirror/view";
export {defaultKeymap, history, historyKeymap, indentWithTab} from "@codemirror/commands";
export {StreamLanguage, HighlightStyle, syntaxHighlighting, indentUnit, bracketMatching} from "@codemirror/language";
export {tags} from "@lezer/highlight";
export {autocompletion, completionKeymap, startCompletion, closeCompletion, completionStatus} from "@codemirror/autocomplete";
export {setDiagnostics, lintKeymap, diagnosticCount} from "@codemirror/lint";
export {search, searchKeymap, highlightSelectionMatches} from "@codemirror/search";
