// The 编辑规则 tab: the policy file's text, checked as it is typed, saved with the version it was
// loaded at (the server refuses a save over a newer file), with completion on Ctrl+Space.

import {$, el, api, shared} from "./common.js";
import {loadArticles} from "./articles.js";

const source = $("#source");
let version = null;
let savedText = "";
const DRAFT = "政策工作台草稿";

function updateGutter() {
  const count = source.value.split("\n").length;
  $("#gutter").textContent = Array.from({length: count}, (_, i) => i + 1).join("\n");
  $("#gutter").scrollTop = source.scrollTop;
}
source.addEventListener("scroll", () => { $("#gutter").scrollTop = source.scrollTop; });

function goToLine(line, column) {
  const lines = source.value.split("\n");
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  source.focus();
  source.setSelectionRange(offset + (column || 1) - 1, offset + (column || 1) - 1);
  source.scrollTop = Math.max(0, (line - 5) * 20);
}

let checkTimer = null;
async function check() {
  const {data} = await api("/api/check", {text: source.value});
  const list = $("#diagnostics");
  list.replaceChildren();
  const status = $("#editor-status");
  if (data.ok) {
    status.textContent = `检查通过：${data.articles} 条，${data.rules} 条规则` + (source.value === savedText ? "" : "（未保存）");
    status.className = "ok";
  } else {
    const count = (data.errors || []).length;
    status.textContent = count ? `${count} 处错误` + (data.error ? "：" + data.error : "") : data.error;  // e.g. a refused request
    status.className = "bad";
  }
  for (const error of data.errors || []) {
    const item = el("li", error.rendered);
    item.dataset.line = error.line || "";
    item.addEventListener("click", () => error.line && goToLine(error.line, error.column));
    list.append(item);
  }
}

source.addEventListener("input", () => {
  localStorage.setItem(DRAFT, JSON.stringify({text: source.value, version}));
  updateGutter();
  clearTimeout(checkTimer);
  checkTimer = setTimeout(check, 300);
});

export async function loadPolicy(keepDraft) {
  const {data} = await api("/api/policy");
  version = data.version;
  savedText = data.text;
  $("#editor-file").textContent = data.file;
  const draft = keepDraft ? JSON.parse(localStorage.getItem(DRAFT) || "null") : null;
  if (draft && draft.text !== data.text) {
    source.value = draft.text;
    $("#editor-notice").textContent = "已恢复上次未保存的修改";
  } else {
    source.value = data.text;
    localStorage.removeItem(DRAFT);
    $("#editor-notice").textContent = "";
  }
  updateGutter();
  check();
}

$("#reload").addEventListener("click", () => {
  if (source.value !== savedText && !confirm("放弃未保存的修改，重新载入文件？")) return;
  localStorage.removeItem(DRAFT);
  loadPolicy(false);
});

$("#save").addEventListener("click", async () => {
  let {status, data} = await api("/api/save", {text: source.value, version});
  if (status === 422 && confirm("修改后的政策文件不能编译。仍然保存吗？（保存后工作台会沿用上一个能用的版本评估项目）")) {
    ({status, data} = await api("/api/save", {text: source.value, version, force: true}));
  }
  if (status === 200) {
    version = data.version;
    savedText = source.value;
    localStorage.removeItem(DRAFT);
    $("#editor-status").textContent = "已保存";
    $("#editor-status").className = "ok";
    loadArticles();
  } else {
    $("#editor-status").textContent = data.error;
    $("#editor-status").className = "bad";
  }
});

// Completion: Ctrl+Space lists keywords, field names and 【parameters】 that start like the word before the caret.
const completions = $("#completions");
function wordBeforeCaret() {
  const before = source.value.slice(0, source.selectionStart);
  const match = before.match(/[【\u4e00-\u9fff.]*$/);
  return match ? match[0] : "";
}
function showCompletions() {
  const word = wordBeforeCaret();
  const bare = word.replace(/^【/, "");
  const candidates = [
    ...shared.vocabulary["关键词"], ...shared.vocabulary["字段"].map((f) => f["字段"]), ...shared.vocabulary["参数"].map((p) => "【" + p + "】"),
  ].filter((c) => c.replace(/^【/, "").startsWith(bare) && c !== word).slice(0, 30);
  completions.replaceChildren();
  candidates.forEach((candidate, index) => {
    const item = el("li", candidate, index === 0 ? "selected" : "");
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
  source.dispatchEvent(new Event("input"));
}
source.addEventListener("keydown", (event) => {
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

