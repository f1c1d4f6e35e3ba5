// The 试算项目 tab: evaluate a sample, an uploaded facts file or a project entered in the form.

import {$, el, api, TOKEN, shared, showReport} from "./common.js";

export function buildForm() {
  const form = $("#facts-form");
  form.replaceChildren();
  for (const field of shared.vocabulary["字段"]) {
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

