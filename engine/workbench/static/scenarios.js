// The 规格场景 tab: the policy's own feature scenarios by article; run all, one article's or one;
// read each failure in Chinese (file:line, the step, expected against found) and, after an
// intended change, update a failed step's expected value with one confirmed click; view, edit and
// save a feature file (version-checked like the policy).

import {$, el, api, articleLabel} from "./common.js";

const state = {file: null, version: null, running: false};

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
  $("#feature-folder").textContent = `（${data["文件夹"]}）`;
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
    box.append(el("pre", failure["全文"]));
    if (failure["期望"] || failure["实际"]) box.append(el("p", `期望：${failure["期望"]}　实际：${failure["实际"]}`, "expected"));
    const update = failure["更新"];
    if (update) {
      const button = el("button", `把期望值「${update["原值"]}」改为「${update["新值"]}」`, "update-expected");
      button.addEventListener("click", () => updateExpected(update, body));
      box.append(button);
    }
    const view = el("button", "查看这一步", "view");
    view.addEventListener("click", () => openFile(scenario["文件名"], failure["行"]));
    box.append(view);
    result.append(box);
  }
}

// One confirmed click: rewrite the step's value in its feature file, then run the same selection again.
async function updateExpected(update, body) {
  const question = `把 ${update["文件"]} 第 ${update["行"]} 行的期望值「${update["原值"]}」改为评估现在给出的「${update["新值"]}」？\n`
    + "只有在政策是有意修改的情况下才应这样做。";
  if (!window.confirm(question)) return;
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
  if (line) {  // put the caret on the step's line and scroll it into view (lines do not wrap here)
    const lines = data["文本"].split("\n");
    const offset = lines.slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0);
    text.focus({preventScroll: true});
    text.setSelectionRange(offset, offset);
    text.scrollTop = Math.max(0, (line - 4) * (text.scrollHeight / lines.length));
  }
}

async function saveFile(force = false) {
  if (!state.file) return;
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
$("#feature-file").addEventListener("change", () => openFile($("#feature-file").value));
$("#feature-save").addEventListener("click", () => saveFile());
