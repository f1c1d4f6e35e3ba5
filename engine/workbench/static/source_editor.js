// The policy text editor of the 编辑规则 tab, behind one small interface. Everything else on the
// page (editor.js, drafts, merge, reload notices, lint) reads and changes the text only through
// these functions, so the component behind them can change without touching its callers.
//
//   getText()                 the whole text
//   setText(text)             replace the whole text (caret to the start); not reported to onChange
//   onChange(callback)        callback(text) after every edit by the staffer (typing, paste, completion)
//   onSave(callback)          callback() on Ctrl+S
//   goTo(line, column)        put the caret there (1-based) and show it
//   showDiagnostics(list)     mark the errors of /api/check ({line, column, end_line, end_column, message}); [] clears
//   setVocabulary(vocabulary) what completion offers: {关键词: [...], 字段: [{字段}], 参数: [...]}
//   focus()
//
// This version is backed by the page's <textarea id="source"> with a line-number gutter.

const source = document.querySelector("#source");
const gutter = document.querySelector("#gutter");
const completions = document.querySelector("#completions");
const changeListeners = [];
const saveListeners = [];
let vocabulary = {"关键词": [], "字段": [], "参数": []};

export function getText() {
  return source.value;
}

export function setText(text) {
  source.value = text;
  source.setSelectionRange(0, 0);
  updateGutter();
}

export function onChange(callback) {
  changeListeners.push(callback);
}

export function onSave(callback) {
  saveListeners.push(callback);
}

export function goTo(line, column) {
  const lines = source.value.split("\n");
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  const caret = offset + (column || 1) - 1;
  source.focus();
  source.setSelectionRange(caret, caret);
  source.scrollTop = Math.max(0, (line - 5) * 20);
}

export function showDiagnostics(list) {
  // A textarea cannot underline a span; the list under the editor shows the errors.
  source.setAttribute("aria-invalid", list.length ? "true" : "false");
}

export function setVocabulary(words) {
  vocabulary = words;
}

export function focus() {
  source.focus();
}

function changed() {
  updateGutter();
  for (const callback of changeListeners) callback(source.value);
}

function updateGutter() {
  const count = source.value.split("\n").length;
  gutter.textContent = Array.from({length: count}, (_, i) => i + 1).join("\n");
  gutter.scrollTop = source.scrollTop;
}

source.addEventListener("scroll", () => { gutter.scrollTop = source.scrollTop; });
source.addEventListener("input", changed);

// Completion: Ctrl+Space lists keywords, field names and 【parameters】 that start like the word before the caret.
function wordBeforeCaret() {
  const before = source.value.slice(0, source.selectionStart);
  const match = before.match(/[【\u4e00-\u9fff.]*$/);
  return match ? match[0] : "";
}

function showCompletions() {
  const word = wordBeforeCaret();
  const bare = word.replace(/^【/, "");
  const candidates = [
    ...vocabulary["关键词"], ...vocabulary["字段"].map((f) => f["字段"]), ...vocabulary["参数"].map((p) => "【" + p + "】"),
  ].filter((c) => c.replace(/^【/, "").startsWith(bare) && c !== word).slice(0, 30);
  completions.replaceChildren();
  candidates.forEach((candidate, index) => {
    const item = document.createElement("li");
    item.textContent = candidate;
    if (index === 0) item.className = "selected";
    item.addEventListener("mousedown", (event) => { event.preventDefault(); insertCompletion(candidate); });
    completions.append(item);
  });
  completions.hidden = candidates.length === 0;
}

function insertCompletion(candidate) {
  const word = wordBeforeCaret();
  const start = source.selectionStart - word.length;
  source.setRangeText(candidate, start, source.selectionStart, "end");
  completions.hidden = true;
  changed();
}

source.addEventListener("keydown", (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key === "s") {
    event.preventDefault();
    for (const callback of saveListeners) callback();
    return;
  }
  if (event.ctrlKey && event.key === " ") { event.preventDefault(); showCompletions(); return; }
  if (completions.hidden) return;
  const items = [...completions.children];
  const current = items.findIndex((item) => item.classList.contains("selected"));
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    const next = (current + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
    items.forEach((item, i) => item.classList.toggle("selected", i === next));
  } else if (event.key === "Enter" || event.key === "Tab") {
    event.preventDefault();
    insertCompletion(items[Math.max(current, 0)].textContent);
  } else if (event.key === "Escape") {
    completions.hidden = true;
  }
});
