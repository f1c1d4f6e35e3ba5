// The policy text editor of the 编辑规则 tab, behind one small interface. Everything else on the
// page (editor.js, drafts, merge, reload notices, lint) reads and changes the text only through
// these functions, so the component behind them can change without touching its callers.
//
//   getText()                 the whole text
//   setText(text)             replace the whole text (caret to the start, undo history cleared); not reported to onChange
//   onChange(callback)        callback(text) after every edit by the staffer (typing, paste, completion, undo)
//   onSave(callback)          callback() on Ctrl+S
//   goTo(line, column)        put the caret there (1-based), scroll it into view and focus the editor
//   getCaret()                {line, column} of the caret (1-based)
//   showDiagnostics(list)     underline the errors of /api/check ({line, column, end_line, end_column, message,
//                             hint, code, severity: "error" (default) | "warning" | "info"}); [] clears
//   setVocabulary(vocabulary) the language and the policy's names, as /api/meta or /api/vocabulary gives them
//                             ({关键词组: {group: [words]}, 关键词: [{词, 作用}], 字段: [{字段, 类型, 说明}],
//                             参数: [name or {参数, 取值}]}):
//                             highlighting and completion use only these
//   focus()
//
// Behind it is CodeMirror 6 (static/vendor/codemirror.js, built by editors/codemirror/build.sh).

import {
  EditorState, EditorView, Compartment, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  highlightSpecialChars, drawSelection, defaultKeymap, history, historyKeymap, indentWithTab, indentUnit,
  autocompletion, completionKeymap, setDiagnostics, search, searchKeymap, highlightSelectionMatches,
} from "./vendor/codemirror.js";
import {policyLanguage, policyHighlighting} from "./policy_highlighting.js";
import {completionSource} from "./policy_completion.js";

const changeListeners = [];
const saveListeners = [];
const language = new Compartment();
let vocabulary = {"关键词组": {}, "关键词": [], "字段": [], "参数": []};
let replacing = false;  // setText is the page's doing, not the staffer's: no onChange

// CodeMirror's own words (search panel, announcements for screen readers), in the staff's language.
const PHRASES = {
  "Find": "查找", "Replace": "替换为", "next": "下一个", "previous": "上一个", "all": "全部", "match case": "区分大小写",
  "regexp": "正则表达式", "by word": "整词", "replace": "替换", "replace all": "全部替换", "close": "关闭",
  "current match": "当前匹配", "replaced $ matches": "已替换 $ 处", "replaced match on line $": "已替换第 $ 行的匹配",
  "on line": "第几行", "Go to line": "转到行", "go": "转到", "Completions": "补全", "Diagnostics": "错误",
  "No diagnostics": "没有错误", "Control character": "控制字符", "Selection deleted": "已删除所选内容",
  "folded code": "已折叠", "unfold": "展开", "to": "至",
};

function extensions() {
  return [
    lineNumbers(), highlightActiveLineGutter(), highlightSpecialChars(), history(), drawSelection(), highlightActiveLine(),
    highlightSelectionMatches(), search({top: true}),
    EditorView.lineWrapping,  // a 原文 line is often longer than the screen is wide
    indentUnit.of("  "),
    language.of(policyLanguage(vocabulary["关键词组"])), policyHighlighting,
    autocompletion({override: [(context) => completionSource(context, vocabulary)], icons: false}),
    keymap.of([
      {key: "Mod-s", preventDefault: true, run: () => { saveListeners.forEach((callback) => callback()); return true; }},
      ...completionKeymap, ...searchKeymap, ...historyKeymap, ...defaultKeymap,
      // Tab indents; Escape then Tab leaves the editor (CodeMirror's tab-focus mode), so a keyboard user is never trapped.
      indentWithTab,
    ]),
    EditorState.phrases.of(PHRASES),
    EditorView.contentAttributes.of({"aria-label": "政策文件", spellcheck: "false"}),
    EditorView.updateListener.of((update) => {
      if (update.docChanged && !replacing) {
        const text = update.state.doc.toString();
        changeListeners.forEach((callback) => callback(text));
      }
    }),
  ];
}

const view = new EditorView({
  parent: document.querySelector("#source"),
  state: EditorState.create({doc: "", extensions: extensions()}),
});

export function getText() {
  return view.state.doc.toString();
}

export function setText(text) {
  replacing = true;
  try {
    view.setState(EditorState.create({doc: text, extensions: extensions()}));
  } finally {
    replacing = false;
  }
}

export function onChange(callback) {
  changeListeners.push(callback);
}

export function onSave(callback) {
  saveListeners.push(callback);
}

/** The document offset of a 1-based line and column, kept inside the document. Columns count
 *  characters as the server does (a CJK character outside the BMP, like 𠮷, is one column but two
 *  UTF-16 units of the document). */
function offsetOf(line, column) {
  const doc = view.state.doc;
  const target = doc.line(Math.min(Math.max(line || 1, 1), doc.lines));
  let offset = target.from;
  let at = 1;
  for (const character of target.text) {
    if (at >= (column || 1)) break;
    offset += character.length;
    at += 1;
  }
  return offset;
}

export function goTo(line, column) {
  const at = offsetOf(line, column);
  view.dispatch({selection: {anchor: at}, effects: EditorView.scrollIntoView(at, {y: "center"})});
  view.focus();
}

export function getCaret() {
  const head = view.state.selection.main.head;
  const line = view.state.doc.lineAt(head);
  return {line: line.number, column: [...line.text.slice(0, head - line.from)].length + 1};
}

export function showDiagnostics(list) {
  const diagnostics = list.filter((error) => error.line).map((error) => {
    const from = offsetOf(error.line, error.column);
    let to = error.end_line ? offsetOf(error.end_line, error.end_column) : from;
    if (to <= from) to = Math.min(from + 1, view.state.doc.lineAt(from).to);  // at least the character the error points at
    const message = (error.code ? `[${error.code}] ` : "") + error.message + (error.hint ? "\n" + error.hint : "");
    return {from, to: Math.max(to, from), severity: error.severity || "error", message};
  });
  view.dispatch(setDiagnostics(view.state, diagnostics));
}

export function setVocabulary(words) {
  vocabulary = {"关键词组": words["关键词组"] || {"": words["关键词"] || []}, "关键词": words["关键词"] || [],
                "字段": words["字段"] || [], "参数": words["参数"] || []};
  view.dispatch({effects: language.reconfigure(policyLanguage(vocabulary["关键词组"]))});
}

export function focus() {
  view.focus();
}
