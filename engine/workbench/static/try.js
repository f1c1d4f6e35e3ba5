// The 试算项目 tab: one project in the form — typed in, or filled from a sample or a facts file —
// evaluated as of the toolbar's 评估日期 (the facts' own 评估日期: one date for the whole form),
// saved as a facts file, and printed.

import {$, el, api, openPrintable} from "./common.js";
import {showReport} from "./report_view.js";
import {dateBox} from "./date_box.js";

dateBox($("#as-of"));  // the one 评估日期 of the form, shown as 2026-03-20 in any browser language
import {buildForm, clearErrors, fillForm, formValues, missingRequired, showErrors} from "./form.js";

let loading = Promise.resolve();  // a sample or file being put into the form; every button waits for it

export async function startForm() {
  const {data} = await api("/api/facts-form");
  if (data.error) { say(data.error, true); return; }
  buildForm(data);
}

function say(text, bad = false) {
  const status = $("#form-status");
  status.textContent = text;
  status.className = bad ? "error" : "ok";
  $("#form-problems").replaceChildren();
}

// Mistakes are told at their fields; those without a field (a key the vocabulary does not know,
// a file that is not YAML) are listed under the toolbar with their file, line and key path.
function tell(errors, summary) {
  clearErrors();
  const elsewhere = showErrors(errors);
  say(summary || `有 ${errors.length} 处需要修改，已在字段下方标出。`, true);
  for (const error of elsewhere) $("#form-problems").append(el("li", error["文字"] || error["信息"]));
}

function load(body) {
  loading = (async () => {
    const {data} = await api("/api/facts-form/load", body);
    if (data.error) { say(data.error, true); return; }
    fillForm(data["字段"]);
    // The file's 评估日期 is the form's: a file without one is evaluated as of today, as `cli.py eval` would.
    $("#as-of").value = data["评估日期"] || "";
    const asOf = data["评估日期"] ? "" : "文件未写评估日期，按今天评估。";
    $("#result").replaceChildren();
    if (data["错误"].length) tell(data["错误"], `已载入 ${data["文件"]}，其中 ${data["错误"].length} 处需要修改，已在字段下方标出。${asOf}`);
    else { clearErrors(); say(`已载入 ${data["文件"]}。${asOf}可以修改后评估、保存或打印。`); }
  })();
  return loading;
}

$("#sample").addEventListener("change", () => {
  if ($("#sample").value) load({sample: $("#sample").value});
});

$("#facts-file").addEventListener("change", async () => {
  const file = $("#facts-file").files[0];
  if (file) load({facts_text: await file.text(), name: file.name});
  $("#facts-file").value = "";  // choosing the same file again (after editing it) loads it again
});

$("#clear-form").addEventListener("click", () => {
  fillForm({});
  $("#sample").value = "";
  $("#result").replaceChildren();
  say("表单已清空。");
});

// The request for the project in the form, or null after marking at their fields the required
// fields left blank and the values the facts model does not accept.
async function formBody() {
  await loading;
  clearErrors();
  const missing = missingRequired();
  if (missing.length) { tell(missing); return null; }
  const body = {as_of: $("#as-of").value || null, fields: formValues()};
  const {data} = await api("/api/facts-form/check", body);
  if (data.error) { say(data.error, true); return null; }
  if (data["错误"].length) { tell(data["错误"]); return null; }
  return body;
}

$("#evaluate").addEventListener("click", async () => {
  const body = await formBody();
  if (!body) return;
  const {data} = await api("/api/evaluate", body);
  if (data.error) { data.facts_errors ? tell(data.facts_errors) : say(data.error, true); return; }
  clearErrors();
  say("");
  showReport(data);
  $("#result").scrollIntoView({block: "start"});
});

$("#save-facts").addEventListener("click", async () => {
  const body = await formBody();
  if (!body) return;
  const {data} = await api("/api/facts-form/save", body);
  if (data.error) { say(data.error, true); return; }
  if (data["错误"].length) { tell(data["错误"]); return; }
  const name = `${body.fields["项目.编号"]}.yaml`.replace(/[\\/:*?"<>|]/g, "_");
  const link = el("a");
  link.href = URL.createObjectURL(new Blob([data.yaml], {type: "application/x-yaml;charset=utf-8"}));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  say(`已保存为 ${name}（在浏览器的下载文件夹中）。可用「载入事实文件」再打开，或用 python3 cli.py eval 评估。`);
});

$("#print-report").addEventListener("click", async () => {
  const body = await formBody();
  if (!body) return;
  const failed = await openPrintable("/api/report", body);
  if (failed) failed.facts_errors ? tell(failed.facts_errors) : say(failed.error, true);
});
