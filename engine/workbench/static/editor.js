// The 编辑规则 tab: the policy file's text, checked and linted as it is typed, saved against the
// version it is based on. The text is reached only through source_editor.js. An unsaved edit is kept
// as a draft per policy file (drafts.js) with the version it was based on; when the file changed
// since (a colleague, `git checkout`), the save shows the merge (merge.js) instead of writing over
// the newer file. A changed parameter is carried through its quotes and 摘要 from carry.js.

import {$, el, api} from "./common.js";
import {loadArticles} from "./articles.js";
import * as sourceEditor from "./source_editor.js";
import {readDraft, writeDraft, dropDraft} from "./drafts.js";
import {openMerge, mergeOpen} from "./merge.js";
import {showWarnings, showCarry, applyEdits, problemItem} from "./carry.js";
import {setKnownVersion, onReloaded} from "./policy_status.js";

let identity = null;  // which policy file: names its draft
let base = {version: null, text: ""};  // the file's version and text the editor's text is based on

function setStatus(text, className) {
  $("#editor-status").textContent = text;
  $("#editor-status").className = className;
}

let checkTimer = null;
let lastCheck = {text: null, broken: false};  // whether the live check found compile errors, in which text
async function check() {
  const text = sourceEditor.getText();
  const {status: answered, data} = await api("/api/check", {text});
  if (sourceEditor.getText() !== text) return;  // edited meanwhile: the check already scheduled answers for the new text
  lastCheck = {text, broken: answered === 200 && !data.ok && (data.errors || []).length > 0};
  const list = $("#diagnostics");
  list.replaceChildren();
  const unsaved = text === base.text ? "" : "（未保存）";
  if (data.ok && (data.warnings || []).length) {  // compiles, but lint has something to say: not a plain pass
    setStatus(`能编译（${data.articles} 条，${data.rules} 条规则），但有 ${data.warnings.length} 条提醒，见下方「检查提醒」${unsaved}`, "warn");
  } else if (data.ok) {
    setStatus(`检查通过：${data.articles} 条，${data.rules} 条规则${unsaved}`, "ok");
  } else {
    const count = (data.errors || []).length;
    setStatus(count ? `${count} 处错误` + (data.error ? "：" + data.error : "") : data.error, "bad");  // e.g. a refused request
  }
  const errors = data.errors || [];
  const warnings = (data.warnings || []).map((warning) => ({...warning, severity: "warning"}));
  sourceEditor.showDiagnostics([...errors, ...warnings].filter((item) => item.line));
  for (const error of errors) {
    const item = problemItem(error, sourceEditor.goTo);
    item.dataset.line = error.line || "";
    list.append(item);
  }
  showWarnings(warnings, sourceEditor.goTo);
  showCarry(data["连带"] || null, carryThrough);
}

function keepDraft(text) {
  if (text === base.text) dropDraft(identity);
  else if (!writeDraft(identity, text, base)) $("#editor-notice").textContent = "浏览器没有空间保存草稿：请尽快保存";
}

function edited(text) {
  keepDraft(text);
  clearTimeout(checkTimer);
  checkTimer = setTimeout(check, 300);
}
sourceEditor.onChange(edited);
sourceEditor.onSave(() => save());

/** Put text into the editor as if the staffer had typed it: kept as a draft and checked. */
function replaceText(text) {
  sourceEditor.setText(text);
  edited(text);
}

function carryThrough(edits) {
  const {text, skipped} = applyEdits(sourceEditor.getText(), edits);
  replaceText(text);
  $("#editor-notice").textContent = `已在编辑器里改了 ${edits.length - skipped} 处` + (skipped ? `，${skipped} 处那一行已变，没有改` : "")
    + "；检查无误后保存。";
}

export async function loadPolicy(keepDrafts) {
  const {data} = await api("/api/policy");
  if (data.error) { setStatus(data.error, "bad"); return; }
  identity = data.identity;
  base = {version: data.version, text: data.text};
  setKnownVersion(data.version);
  $("#editor-file").textContent = data.file;
  const draft = keepDrafts ? readDraft(identity, base) : null;
  if (draft && draft.text !== data.text) {
    sourceEditor.setText(draft.text);
    if (draft.baseVersion === data.version) {
      $("#editor-notice").textContent = "已恢复上次未保存的修改";
    } else {
      // The file changed since the draft was made: the draft stays on its own base until merged.
      base = {version: draft.baseVersion, text: draft.baseText};
      $("#editor-notice").textContent = "已恢复上次未保存的修改；文件此后已被修改，请先合并";
      startMerge();
    }
  } else {
    sourceEditor.setText(data.text);
    dropDraft(identity);
    $("#editor-notice").textContent = "";
  }
  check();
}

async function startMerge() {
  const {status, data} = await api("/api/merge", {base: base.text, mine: sourceEditor.getText()});
  if (status !== 200) { setStatus(data.error, "bad"); return; }
  openMerge(data, {
    onMerged(text) {
      base = {version: data.version, text: data.text};  // the save now goes against the file as it is now
      replaceText(text);
      $("#editor-notice").textContent = "已合并到编辑器：检查无误后保存";
    },
    onDiscard() {
      base = {version: data.version, text: data.text};
      dropDraft(identity);
      sourceEditor.setText(data.text);
      $("#editor-notice").textContent = "已换成文件现在的内容";
      check();
    },
    onLater() {
      $("#editor-notice").textContent = "草稿还没有合并：保存时会再显示合并";
    },
  });
}

// The file changed on disk while this page was open: take the new text when nothing is unsaved; keep
// an unsaved draft on its base (saving it shows the merge).
onReloaded(async () => {
  loadArticles();
  if (mergeOpen()) return;
  if (sourceEditor.getText() === base.text) {
    loadPolicy(false);
  } else {
    $("#editor-notice").textContent = "文件已在磁盘上更改；你的修改还没保存，保存时会先显示合并";
  }
});

$("#reload").addEventListener("click", () => {
  if (sourceEditor.getText() !== base.text && !confirm("放弃未保存的修改，重新载入文件？")) return;
  dropDraft(identity);
  loadPolicy(false);
});

const CONFIRM_BROKEN = "修改后的政策文件不能编译。仍然保存吗？（保存后工作台会沿用上一个能编译的版本评估项目，页面顶部会一直提示）";

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
    setStatus("修改后的政策文件不能编译，没有保存。", "bad");
    return;
  }
  let {status, data} = await api("/api/save", {text, version: base.version, force: knownBroken});
  if (status === 422 && data.errors && confirm(CONFIRM_BROKEN)) {
    ({status, data} = await api("/api/save", {text, version: base.version, force: true}));
  }
  if (status === 200) {
    base = {version: data.version, text};
    dropDraft(identity);
    setStatus(data.compiled ? "已保存" : "已保存，但不能编译：项目仍按上一个能编译的版本评估", data.compiled ? "ok" : "bad");
    $("#editor-notice").textContent = "";
    loadArticles();
  } else if (status === 409) {
    setStatus("文件已在别处被修改：请合并后再保存", "bad");
    startMerge();
  } else {
    setStatus(data.error, "bad");
  }
}
$("#save").addEventListener("click", save);
