// The 编辑规则 tab: the policy file's text, checked as it is typed, saved with the version it was
// loaded at (the server refuses a save over a newer file). The text itself is reached only through
// source_editor.js.

import {$, el, api} from "./common.js";
import {loadArticles} from "./articles.js";
import * as sourceEditor from "./source_editor.js";

let version = null;
let savedText = "";
const DRAFT = "政策工作台草稿";

let checkTimer = null;
let lastCheck = {text: null, broken: false};  // whether the live check found compile errors, in which text
async function check() {
  const text = sourceEditor.getText();
  const {status: answered, data} = await api("/api/check", {text});
  if (sourceEditor.getText() !== text) return;  // edited meanwhile: the check already scheduled answers for the new text
  lastCheck = {text, broken: answered === 200 && !data.ok && (data.errors || []).length > 0};
  const list = $("#diagnostics");
  list.replaceChildren();
  const status = $("#editor-status");
  if (data.ok) {
    status.textContent = `检查通过：${data.articles} 条，${data.rules} 条规则` + (text === savedText ? "" : "（未保存）");
    status.className = "ok";
  } else {
    const count = (data.errors || []).length;
    status.textContent = count ? `${count} 处错误` + (data.error ? "：" + data.error : "") : data.error;  // e.g. a refused request
    status.className = "bad";
  }
  const errors = data.errors || [];
  sourceEditor.showDiagnostics(errors.filter((error) => error.line));
  for (const error of errors) {
    const item = el("li", error.rendered);
    item.dataset.line = error.line || "";
    item.addEventListener("click", () => error.line && sourceEditor.goTo(error.line, error.column));
    list.append(item);
  }
}

sourceEditor.onChange((text) => {
  localStorage.setItem(DRAFT, JSON.stringify({text, version}));
  clearTimeout(checkTimer);
  checkTimer = setTimeout(check, 300);
});
sourceEditor.onSave(() => save());

export async function loadPolicy(keepDraft) {
  const {data} = await api("/api/policy");
  version = data.version;
  savedText = data.text;
  $("#editor-file").textContent = data.file;
  const draft = keepDraft ? JSON.parse(localStorage.getItem(DRAFT) || "null") : null;
  if (draft && draft.text !== data.text) {
    sourceEditor.setText(draft.text);
    $("#editor-notice").textContent = "已恢复上次未保存的修改";
  } else {
    sourceEditor.setText(data.text);
    localStorage.removeItem(DRAFT);
    $("#editor-notice").textContent = "";
  }
  check();
}

$("#reload").addEventListener("click", () => {
  if (sourceEditor.getText() !== savedText && !confirm("放弃未保存的修改，重新载入文件？")) return;
  localStorage.removeItem(DRAFT);
  loadPolicy(false);
});

const CONFIRM_BROKEN = "修改后的政策文件不能编译。仍然保存吗？（保存后工作台会沿用上一个能用的版本评估项目）";

async function save() {
  const text = sourceEditor.getText();
  // Ask before sending a text the check finds broken: the server's 422 is then never needed (the
  // browser would log it as a failed request); it still guards a file changed in between.
  if (lastCheck.text !== text) {
    clearTimeout(checkTimer);
    await check();
  }
  const knownBroken = lastCheck.text === text && lastCheck.broken;
  if (knownBroken && !confirm(CONFIRM_BROKEN)) {
    $("#editor-status").textContent = "修改后的政策文件不能编译，没有保存。";
    $("#editor-status").className = "bad";
    return;
  }
  let {status, data} = await api("/api/save", {text, version, force: knownBroken});
  if (status === 422 && confirm(CONFIRM_BROKEN)) {
    ({status, data} = await api("/api/save", {text, version, force: true}));
  }
  if (status === 200) {
    version = data.version;
    savedText = text;
    localStorage.removeItem(DRAFT);
    $("#editor-status").textContent = "已保存";
    $("#editor-status").className = "ok";
    loadArticles();
  } else {
    $("#editor-status").textContent = data.error;
    $("#editor-status").className = "bad";
  }
}
$("#save").addEventListener("click", save);
