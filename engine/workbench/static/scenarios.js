// The 规格场景 tab: the policy's own feature scenarios by article (the 条号 box filters the list);
// run all, one article's or one; read each failure in Chinese (file:line, the example row it ran,
// the step, expected against found) and, after an intended change, update a failed step's
// expected value — only after a dialog that shows the scenario, the example row with its 说明 and
// old → new, says that the scenario then says something else, and, when the rules' parameters
// moved, suggests moving the example's dates instead (update_dialog.js); view, edit and save a
// feature file (version-checked like the policy). The tool's bundled scenarios, shown for a policy
// copy with no features/ beside it, are read-only until copied beside the policy.

import {$, el, api, articleLabel} from "./common.js";
import {askBeforeUpdate, exampleLabel} from "./update_dialog.js";

const state = {file: null, version: null, running: false, writable: true};

function runButton(text, body) {
  const button = el("button", text, "run");
  button.addEventListener("click", () => run(body));
  return button;
}

export async function loadScenarios() {
  const {data} = await api("/api/scenarios");
  const list = $("#scenario-list");
  if (data.error) { list.replaceChildren(el("div", data.error, "error")); return; }
  list.replaceChildren(...data["问题"].map((problem) => el("pre", problem, "scenario-failure")));
  showFolder(data);
  const files = $("#feature-file");
  const chosen = files.value;
  files.replaceChildren(...data["文件"].map((entry) => Object.assign(el("option", entry["文件"]), {value: entry["文件"]})));
  if (chosen) files.value = chosen;
  const groups = Object.entries(data["条文"]);
  if (data["未标条号"].length) groups.push(["未标条号", data["未标条号"]]);
  for (const [label, scenarios] of groups) {
    const box = el("div", null, "scenario-group");
    box.dataset.article = label;
    const heading = el("h3", `${label}（${scenarios.length}）`);
    if (label !== "未标条号") heading.append(runButton("运行本条", {article: label}));
    box.append(heading);
    const items = el("ul");
    for (const scenario of scenarios) {
      const item = el("li", null, "scenario");
      item.dataset.file = scenario["文件"];
      item.dataset.line = scenario["行"];
      item.append(el("span", scenario["场景"], "name"));
      item.append(runButton("运行", {file: scenario["文件"], line: scenario["行"]}));
      const view = el("button", "查看", "view");
      view.addEventListener("click", () => openFile(scenario["文件"], scenario["行"]));
      item.append(view);
      items.append(item);
    }
    box.append(items);
    list.append(box);
  }
  filterList();
}

// Which folder a save rewrites; a read-only folder (the tool's own bundled scenarios) says so, with
// the one button that makes the scenarios editable: a copy beside the policy.
function showFolder(data) {
  state.writable = data["可写"] !== false;
  $("#feature-folder").textContent = `（${data["文件夹"]}${state.writable ? "" : "，只读"}）`;
  $("#feature-text").readOnly = !state.writable;
  $("#feature-save").disabled = !state.writable;
  const notice = $("#feature-readonly");
  notice.hidden = state.writable;
  if (state.writable) { notice.replaceChildren(); return; }
  const copy = el("button", "复制到政策文件旁", "copy-features");
  copy.addEventListener("click", copyBeside);
  notice.replaceChildren(el("span", data["只读说明"]), copy);
}

async function copyBeside() {
  const {data} = await api("/api/scenarios/copy", {});
  if (data.error) { $("#feature-readonly").append(el("p", data.error, "error")); return; }
  await loadScenarios();
  $("#feature-status").textContent = `已复制到 ${data["文件夹"]}：之后的修改都写在这里`;
  if (state.file) await openFile(state.file);
}

// The list shows the article the 条号 box names (any form the search accepts), or all of them.
function filterList() {
  const query = $("#scenario-article").value.trim();
  const label = query ? articleLabel(query) : null;
  for (const group of document.querySelectorAll("#scenario-list .scenario-group")) {
    group.hidden = Boolean(label) && group.dataset.article !== label;
  }
}

async function run(body) {
  if (state.running) return;  // the server runs one at a time and answers a second request with 429
  state.running = true;
  document.querySelectorAll("#scenarios button.run, #run-scenarios").forEach((b) => { b.disabled = true; });
  const result = $("#scenario-result");
  result.replaceChildren(el("p", "运行中……"));
  try {
    const {data} = await api("/api/scenarios", body);
    showRun(data, body);
  } finally {
    state.running = false;
    document.querySelectorAll("#scenarios button.run, #run-scenarios").forEach((b) => { b.disabled = false; });
  }
}

function showRun(data, body) {
  const result = $("#scenario-result");
  if (data.error) { result.replaceChildren(el("p", data.error, "error")); return; }
  result.replaceChildren(el("p", data["摘要"], data["失败"] ? "summary failed" : "summary passed"));
  result.scrollIntoView({block: "nearest"});  // where the staffer is looking, also when the list is above it
  for (const problem of data["问题"]) result.append(el("pre", problem, "scenario-failure"));
  for (const scenario of data["场景"]) {
    if (!scenario["失败"]) continue;
    const failure = scenario["失败"];
    const box = el("div", null, "scenario-failure");
    // The rows of one outline share its heading line: each failure names the row it ran.
    if (scenario["例子"]) box.append(el("p", exampleLabel(scenario["例子"]), "example-row"));
    box.append(el("pre", failure["全文"]));
    if (failure["期望"] || failure["实际"]) box.append(el("p", `期望：${failure["期望"]}　实际：${failure["实际"]}`, "expected"));
    const update = failure["更新"];
    if (update && state.writable) {
      const button = el("button", `把期望值「${update["原值"]}」改为「${update["新值"]}」…`, "update-expected");
      button.addEventListener("click", () => updateExpected(scenario, body));
      box.append(button);
    } else if (update) {
      box.append(el("p", "这些规格文件只读：先点上方的「复制到政策文件旁」，才能更新期望值。", "read-only-note"));
    }
    const view = el("button", "查看这一步", "view");
    view.addEventListener("click", () => openFile(scenario["文件名"], failure["行"]));
    box.append(view);
    result.append(box);
  }
}

// The dialog first (update_dialog.js); then either the row is opened for its dates to be moved, or
// the step's value is rewritten in its feature file and the same selection is run again.
async function updateExpected(scenario, body) {
  const update = scenario["失败"]["更新"];
  const choice = await askBeforeUpdate(scenario);
  if (choice === "open") { await openFile(update["文件"], update["行"]); return; }
  if (choice !== "update") return;
  const {data: file} = await api("/api/scenarios/file?file=" + encodeURIComponent(update["文件"]));
  if (file.error) { $("#scenario-result").prepend(el("p", file.error, "error")); return; }
  const {data} = await api("/api/scenarios/update", {file: update["文件"], version: file["版本"], line: update["行"],
                                                     written: update["原值"], found: update["新值"], column: update["列"]});
  if (data.error) { $("#scenario-result").prepend(el("p", data.error, "error")); return; }
  if (state.file === update["文件"]) await openFile(update["文件"], update["行"]);
  $("#feature-status").textContent = `已更新 ${update["文件"]} 第 ${update["行"]} 行：${data["步骤"]}`;
  await run(body);
}

async function openFile(name, line) {
  const {data} = await api("/api/scenarios/file?file=" + encodeURIComponent(name));
  if (data.error) { $("#feature-status").textContent = data.error; return; }
  state.file = name;
  state.version = data["版本"];
  $("#feature-file").value = name;
  const text = $("#feature-text");
  text.value = data["文本"];
  $("#feature-status").textContent = "";
  if (line) showLine(text, data["文本"], line);
}

// Select the line, scroll the text to it (lines do not wrap here) and the text box into the window:
// below a long list of failures it would otherwise stay under the fold.
function showLine(text, content, line) {
  const lines = content.split("\n");
  const start = lines.slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0);
  text.focus({preventScroll: true});
  text.setSelectionRange(start, start + (lines[line - 1] || "").length);
  text.scrollTop = Math.max(0, (line - 4) * (text.scrollHeight / lines.length));
  text.scrollIntoView({block: "nearest"});
}

async function saveFile(force = false) {
  if (!state.file || !state.writable) return;
  const {status, data} = await api("/api/scenarios/save", {file: state.file, text: $("#feature-text").value, version: state.version, force});
  if (status === 422 && !force) {
    $("#feature-status").textContent = data.error;
    if (window.confirm(data.error + "\n\n仍然保存吗？保存后运行场景会报告这些问题。")) await saveFile(true);
    return;
  }
  if (data.error) { $("#feature-status").textContent = data.error; return; }
  state.version = data["版本"];
  $("#feature-status").textContent = "已保存";
  await loadScenarios();
}

$("#run-scenarios").addEventListener("click", () => {
  const query = $("#scenario-article").value.trim();
  if (!query) { run({}); return; }
  const label = articleLabel(query);
  if (!label) { $("#scenario-result").replaceChildren(el("p", `无法识别的条号「${query}」：写成如 28、第28条 或 第二十八条`, "error")); return; }
  run({article: label});
});
$("#scenario-article").addEventListener("input", filterList);
$("#feature-file").addEventListener("change", () => openFile($("#feature-file").value));
$("#feature-save").addEventListener("click", () => saveFile());
