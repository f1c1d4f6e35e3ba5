// 政策工作台: the page. Plain JavaScript, no build step. Everything taken from the server or a
// file is put on the page with textContent, never as HTML.
"use strict";

const $ = (selector) => document.querySelector(selector);
const el = (tag, text, className) => {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
};

// The server accepts writes only with this launch's secret, which it puts in the page's own HTML
// (another web page cannot read it); see engine/workbench/gate.py.
const TOKEN = document.querySelector("meta[name=workbench-token]").content;

async function api(path, body) {
  const headers = {"X-Workbench-Token": TOKEN};
  const response = await fetch(path, body === undefined ? {headers} : {
    method: "POST", headers: {...headers, "Content-Type": "application/json"}, body: JSON.stringify(body),
  });
  let data;
  try {
    data = await response.json();
  } catch {
    data = {error: `服务器的回答无法读取（HTTP ${response.status}）`};
  }
  return {status: response.status, data};
}

// ------------------------------------------------------------------ tabs
document.querySelectorAll("nav button").forEach((button) => button.addEventListener("click", () => {
  document.querySelectorAll("nav button, .tab").forEach((node) => node.classList.remove("active"));
  button.classList.add("active");
  $("#" + button.dataset.tab).classList.add("active");
}));

// ------------------------------------------------------------------ articles
let articles = [];
const CN = "零一二三四五六七八九";
function chineseNumber(n) {
  if (n < 10) return CN[n];
  if (n < 20) return "十" + (n % 10 ? CN[n % 10] : "");
  if (n < 100) return CN[Math.floor(n / 10)] + "十" + (n % 10 ? CN[n % 10] : "");
  return String(n);
}

function renderArticles() {
  const query = $("#article-search").value.trim();
  const label = /^\d+$/.test(query) ? "第" + chineseNumber(Number(query)) + "条" : query;
  const list = $("#article-list");
  list.replaceChildren();
  let chapter = null;
  let box = null;
  for (const article of articles) {
    const haystack = article["条号"] + article["标题"] + article["原文"];
    if (query && !(article["条号"] === label || haystack.includes(query))) continue;
    if (article["章"] !== chapter) {
      chapter = article["章"];
      box = el("div", null, "chapter");
      box.append(el("h2", chapter));
      list.append(box);
    }
    const node = el("div", null, "article");
    node.id = "article-" + article["条号"];
    node.append(el("h3", `${article["条号"]}（${article["标题"]}）`));
    node.append(el("div", article["原文"], "text"));
    if (!article["可检查"]) node.append(el("div", "声明性条款", "declarative"));
    for (const rule of article["规则"]) node.append(el("div", rule["写法"], "rule"));
    if (article["场景"].length) node.append(el("div", "规格场景：" + article["场景"].join("；"), "scenarios"));
    box.append(node);
  }
}

async function loadArticles() {
  const {data} = await api("/api/articles");
  if (data.error) { $("#article-list").replaceChildren(el("div", data.error, "error")); return; }
  $("#policy-name").textContent = `政策工作台 · ${data["办法"]}（${data["文号"]}）`;
  articles = data["条文"];
  renderArticles();
}
$("#article-search").addEventListener("input", renderArticles);

// ------------------------------------------------------------------ editor
const source = $("#source");
let version = null;
let savedText = "";
let vocabulary = {"字段": [], "关键词": [], "参数": []};
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

async function loadPolicy(keepDraft) {
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
    ...vocabulary["关键词"], ...vocabulary["字段"].map((f) => f["字段"]), ...vocabulary["参数"].map((p) => "【" + p + "】"),
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

// ------------------------------------------------------------------ try a project
function buildForm() {
  const form = $("#facts-form");
  form.replaceChildren();
  for (const field of vocabulary["字段"]) {
    const label = el("label");
    label.append(el("span", `${field["字段"]}${field["必填"] ? "（必填）" : ""}${field["单位"] ? "" : ""}`));
    label.title = field["说明"];
    let input;
    if (field["类型"] === "是否" || field["类型"] === "词") {
      input = el("select");
      input.append(el("option", "（未填）"));
      input.firstChild.value = "";
      for (const word of field["类型"] === "是否" ? ["是", "否"] : field["取值"]) input.append(el("option", word));
    } else if (field["类型"] === "词列表") {
      input = el("fieldset");
      for (const word of field["取值"]) {
        const option = el("label", null);
        const box = el("input");
        box.type = "checkbox";
        box.value = word;
        option.append(box, document.createTextNode(word));
        input.append(option);
      }
    } else {
      input = el("input");
      input.type = field["类型"] === "日期" ? "date" : "text";
      input.placeholder = {"金额": "如 680万元", "期限": field["单位"] === "月" ? "如 18个月、3年" : "如 10个工作日", "日期列表": "如 2026-06-01、2026-12-01", "年份列表": "如 2026、2027"}[field["类型"]] || "";
    }
    input.dataset.field = field["字段"];
    input.dataset.type = field["类型"];
    label.append(input);
    form.append(label);
  }
}

function formFacts() {
  const fields = {};
  for (const input of $("#facts-form").querySelectorAll("[data-field]")) {
    const type = input.dataset.type;
    if (type === "词列表") {
      const words = [...input.querySelectorAll("input:checked")].map((box) => box.value);
      if (words.length) fields[input.dataset.field] = words;
    } else if ((type === "日期列表" || type === "年份列表") && input.value.trim()) {
      fields[input.dataset.field] = input.value.split(/[、,，\s]+/).filter(Boolean);
    } else if (input.value !== "") {
      fields[input.dataset.field] = input.value;
    }
  }
  return fields;
}

function showReport(report, box = $("#result")) {
  box.replaceChildren(el("h3", `${report["项目编号"]} ${report["项目名称"]}　结论：${report["结论"]}`));
  const order = ["不适用", "违规", "后果", "警示", "待办", "无法判定", "提示"];
  for (const kind of order) {
    const findings = report["发现"].filter((f) => f["类别"] === kind);
    if (!findings.length) continue;
    const group = el("div", null, "kind kind-" + kind);
    group.append(el("h3", `${kind}（${findings.length}）`));
    for (const finding of findings) {
      const node = el("details", null, "finding");
      node.dataset.rule = finding["规则"];
      const extra = finding["截止日期"] ? `　截止日期 ${finding["截止日期"]}` : finding["缺少"].length ? `　缺少 ${finding["缺少"].join("、")}` : "";
      const record = finding["项"] ? `（第${finding["项"]}项）` : "";
      node.append(el("summary", `${finding["条号"]} 规则${finding["规则"]}：${finding["摘要"]}${record}${extra}`));
      node.append(el("div", "原文：" + finding["原文"]));
      if (finding["释义"]) node.append(el("div", "释义：" + finding["释义"], "reading"));
      node.append(el("div", "依据：" + Object.entries(finding["依据"]).map(([k, v]) => `${k} = ${v}`).join("；"), "basis"));
      node.append(el("div", "出处：" + finding["出处"], "basis"));
      group.append(node);
    }
    box.append(group);
  }
  if (!report["发现"].length) box.append(el("p", "未发现问题。"));
}

$("#evaluate").addEventListener("click", async () => {
  const sample = $("#sample").value;
  const file = $("#facts-file").files[0];
  const body = {as_of: $("#as-of").value || null};
  if (sample) body.sample = sample;
  else if (file) body.facts_text = await file.text();
  else body.fields = formFacts();
  const {data} = await api("/api/evaluate", body);
  if (data.error) { $("#result").replaceChildren(el("div", data.error, "error")); return; }
  showReport(data);
  const link = $("#print-report");
  link.hidden = !sample;
  link.href = `/report?sample=${encodeURIComponent(sample)}&as_of=${encodeURIComponent($("#as-of").value)}&token=${encodeURIComponent(TOKEN)}`;
});

// ------------------------------------------------------------------ scenarios
$("#run-scenarios").addEventListener("click", async () => {
  const button = $("#run-scenarios");
  button.disabled = true;  // the server runs one at a time and answers a second click with 429
  $("#scenario-result").textContent = "运行中……";
  try {
    const {data} = await api("/api/scenarios", {article: $("#scenario-article").value.trim()});
    $("#scenario-result").textContent = data.error ? data.error
      : `通过 ${data.passed}，失败 ${data.failed}\n${data.summary}\n${data.failures.join("\n")}`;
  } finally {
    button.disabled = false;
  }
});

// ------------------------------------------------------------------ 台账 (the register)
// Every register call is a POST with the launch secret, like the page's other writes: the register
// holds the bureau's project data. Edits are recorded by the server as events (来源：表单).
let registerRows = [];
let registerProject = null;

function monthEnd(isoDay) {
  const [year, month] = isoDay.split("-").map(Number);
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);  // day 0 of next month
}

function renderRegister(asOf) {
  const unit = $("#register-unit").value, stage = $("#register-stage").value;
  const conclusion = $("#register-conclusion").value, month = $("#register-month").checked;
  const last = monthEnd(asOf);
  let rows = registerRows.filter((r) => (!unit || r["建设单位"] === unit) && (!stage || r["阶段"] === stage)
    && (!conclusion || r["结论"] === conclusion) && (!month || (r["下一截止日期"] && r["下一截止日期"] <= last)));
  const sort = $("#register-sort").value;
  if (sort === "violations") rows = [...rows].sort((a, b) => b["违规数"] - a["违规数"] || a["项目编号"].localeCompare(b["项目编号"]));
  if (sort === "id") rows = [...rows].sort((a, b) => a["项目编号"].localeCompare(b["项目编号"]));
  const body = $("#register-table tbody");
  body.replaceChildren();
  for (const row of rows) {
    const tr = el("tr", null, "conclusion-" + row["结论"]);
    const link = el("a", row["项目编号"]);
    link.href = "#";
    link.addEventListener("click", (event) => { event.preventDefault(); openProject(row["项目编号"]); });
    const first = el("td");
    first.append(link);
    tr.append(first);
    for (const value of [row["项目名称"], row["建设单位"], row["阶段"], row["结论"], row["违规数"] || "",
                         row["下一截止日期"] || "", row["剩余天数"] === null ? "" : `${row["剩余天数"]} 天`, row["截止事项"] || ""]) {
      tr.append(el("td", String(value)));
    }
    if (row["违规"].length) tr.title = row["违规"].join("\n");
    body.append(tr);
  }
  $("#register-count").textContent = `共 ${rows.length} 个项目` + (month ? `（本月到期：至 ${last}）` : "");
}

function fillSelect(select, values) {
  const kept = select.value;
  select.replaceChildren(el("option", "全部"));
  select.firstChild.value = "";
  for (const value of values) select.append(el("option", value));
  select.value = values.includes(kept) ? kept : "";
}

async function loadRegister() {
  const {data} = await api("/api/register/list", {as_of: $("#register-as-of").value || null});
  if (data.error) { $("#register-count").replaceChildren(el("span", data.error, "error")); return; }
  if (!$("#register-as-of").value) $("#register-as-of").value = data["评估日期"];
  registerRows = data["项目"];
  fillSelect($("#register-unit"), data["单位"]);
  fillSelect($("#register-stage"), data["阶段"]);
  renderRegister(data["评估日期"]);
}

function shownValue(value) {
  if (value === null || value === undefined) return "（未填）";
  if (Array.isArray(value)) return value.length ? value.map(shownValue).join("、") : "无";
  if (typeof value === "object") return Object.entries(value).map(([k, v]) => `${k}：${v}`).join("，");
  return String(value);
}

function buildRegisterForm(data) {
  const form = $("#register-form");
  form.replaceChildren(el("h3", "事实（改一项、按回车或离开输入框即保存，并记为一条变更）"));
  for (const field of data["字段"]) {
    const label = el("label", field["字段"]);
    label.title = field["说明"];
    const value = data["事实"][field["字段"]];
    let input;
    if (field["类型"] === "词" || field["类型"] === "是否") {
      input = el("select");
      for (const word of ["", ...(field["类型"] === "是否" ? ["是", "否"] : field["取值"])]) input.append(el("option", word));
    } else {
      input = el("input");
      if (field["类型"] === "日期") input.type = "date";
      if (field["类型"].endsWith("列表")) input.placeholder = "用顿号分开；确定没有写「无」";
    }
    input.value = value === undefined ? "" : Array.isArray(value) ? (value.length ? value.join("、") : "无") : String(value);
    input.dataset.field = field["字段"];
    input.dataset.saved = input.value;
    input.addEventListener("change", () => saveRegisterField(input));
    label.append(input);
    form.append(label);
  }
}

async function saveRegisterField(input) {
  const notice = $("#register-notice");
  const {data} = await api("/api/register/set", {id: registerProject, field: input.dataset.field, value: input.value});
  if (data.error) {
    notice.replaceChildren(el("span", data.error, "error"));
    input.value = input.dataset.saved;
    return;
  }
  notice.textContent = data["变更"] ? `已记录：${data["变更"]["字段"]} ${shownValue(data["变更"]["原值"])} → ${shownValue(data["变更"]["新值"])}` : "没有变化";
  await openProject(registerProject, true);
}

async function openProject(id, keepNotice) {
  const {data} = await api("/api/register/project", {id, as_of: $("#register-as-of").value || null});
  if (data.error) { $("#register-count").replaceChildren(el("span", data.error, "error")); return; }
  registerProject = id;
  $("#register-list").hidden = true;
  $("#register-project").hidden = false;
  if (!keepNotice) $("#register-notice").textContent = "";
  const report = data["报告"];
  $("#register-title").textContent = `${report["项目编号"]} ${report["项目名称"]}`;
  const findings = $("#register-findings");
  if (report["错误"]) findings.replaceChildren(el("div", "无法评估：" + report["错误"], "error"));
  else showReport(report, findings);
  const history = $("#register-history");
  history.replaceChildren();
  for (const event of [...data["历史"]].reverse()) {
    const item = el("li");
    item.append(el("span", `${event["时间"]}　${event["人员"]}（${event["来源"]}）`, "when"));
    item.append(el("span", `${event["字段"]}：${shownValue(event["原值"])} → ${shownValue(event["新值"])}`));
    history.append(item);
  }
  buildRegisterForm(data);
}

$("#register-back").addEventListener("click", () => {
  $("#register-project").hidden = true;
  $("#register-list").hidden = false;
  loadRegister();
});
$("#register-print").addEventListener("click", () => window.print());
$("#register-load").addEventListener("click", loadRegister);
$("#register-as-of").addEventListener("change", loadRegister);
for (const id of ["#register-unit", "#register-stage", "#register-conclusion", "#register-month", "#register-sort"]) {
  $(id).addEventListener("change", () => renderRegister($("#register-as-of").value));
}
document.querySelector("nav button[data-tab=register]").addEventListener("click", () => {
  if (!registerRows.length) loadRegister();
});

// ------------------------------------------------------------------ start
(async () => {
  const [{data: vocab}, {data: samples}] = await Promise.all([api("/api/vocabulary"), api("/api/samples")]);
  if (!vocab.error) vocabulary = vocab;
  for (const name of samples["示例"] || []) {
    const option = el("option", name);
    option.value = name;
    $("#sample").append(option);
  }
  buildForm();
  loadArticles();
  loadPolicy(true);
})();
