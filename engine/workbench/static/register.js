// The 台账 tab: the register of projects, one project's findings, history and facts.

import {$, el, api, openPrintable} from "./common.js";
import {showReport} from "./report_view.js";

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
  else showReport(report, findings, data["显示"]);
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
$("#register-print").addEventListener("click", async () => {
  const failed = await openPrintable("/api/register/report", {id: registerProject, as_of: $("#register-as-of").value || null});
  if (failed) $("#register-notice").replaceChildren(el("span", failed.error, "error"));
});
$("#register-load").addEventListener("click", loadRegister);
$("#register-as-of").addEventListener("change", loadRegister);
for (const id of ["#register-unit", "#register-stage", "#register-conclusion", "#register-month", "#register-sort"]) {
  $(id).addEventListener("change", () => renderRegister($("#register-as-of").value));
}
document.querySelector("nav button[data-tab=register]").addEventListener("click", () => {
  if (!registerRows.length) loadRegister();
});

