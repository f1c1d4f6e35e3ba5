// The 试算 form: a project's facts field by field, laid out from /api/facts-form (the facts
// vocabulary: one section per stage, each field with its description), read back as key paths
// (合同.签订日期 → text, 词列表 → words, 记录列表 → records), filled from a file, and marked at the
// field where a value is missing or wrong. The 评估日期 is the toolbar's, not a field here.

import {$, el, chineseNumber} from "./common.js";
import {dateBox} from "./date_box.js";

const PLACEHOLDERS = {"金额": "如 680万元", "日期列表": "如 2026-06-01、2026-12-01", "年份列表": "如 2026、2027"};
const LIST_SEPARATORS = /[、,，;；\s]+/;
let layout = {"阶段": []};
let uniqueId = 0;

const chineseArticles = (numbers) => numbers.length ? `（第${numbers.map(chineseNumber).join("、")}条）` : "";

// One input for one field; `path` is where its value goes (实施.变更[0].日期 inside a record).
function input(field, path) {
  const id = `form-${++uniqueId}`;
  let control;
  if (field["类型"] === "是否" || field["类型"] === "词列表") {
    // Radio buttons and checkboxes with their words beside them; 是否 keeps 未填 (unknown) as its own choice.
    control = el("span", null, "choices");
    const many = field["类型"] === "词列表";
    const words = many ? field["取值"] : ["", "是", "否"];
    for (const word of words) {
      const option = el("label", null, "choice");
      const box = el("input");
      box.type = many ? "checkbox" : "radio";
      box.name = id;
      box.value = word;
      if (!many && word === "") box.checked = true;
      option.append(box, document.createTextNode(word || "未填"));
      control.append(option);
    }
    if (many) {
      // Nothing ticked is unknown (未填); 「以上皆无」 says that none of the words applies, which is known.
      const option = el("label", null, "choice none");
      const box = el("input");
      box.type = "checkbox";
      box.name = id;
      box.dataset.none = "true";
      option.append(box, document.createTextNode("以上皆无"));
      control.append(option);
      control.addEventListener("change", (event) => {
        if (!event.target.checked) return;
        for (const other of control.querySelectorAll("input")) {
          if ((other.dataset.none === "true") !== (event.target.dataset.none === "true")) other.checked = false;
        }
      });
    }
  } else if (field["类型"] === "词") {
    control = el("select");
    control.append(el("option", "（未填）"));
    control.firstChild.value = "";
    for (const word of field["取值"]) control.append(el("option", word));
  } else {
    control = el("input");
    control.type = "text";
    control.placeholder = field["类型"] === "期限" ? (field["单位"] === "月" ? "如 18个月、3年" : "如 10个工作日")
      : PLACEHOLDERS[field["类型"]] || "";
  }
  control.id = id;
  control.classList.add("value");
  control.dataset.type = field["类型"];
  const box = el("div", null, "field" + (field["必填"] ? " required" : ""));
  box.dataset.path = path;
  const label = el("label", field["名称"]);
  label.htmlFor = id;
  if (field["必填"]) label.append(el("span", "必填", "required-mark"));
  box.append(label, control, el("div", `${field["说明"]}${chineseArticles(field["条"] || [])}`, "description"),
             el("div", null, "field-error"));
  if (field["类型"] === "日期") dateBox(control);  // 2026-03-20 whatever the browser's language (date_box.js)
  return box;
}

function recordList(field) {
  const box = el("div", null, "field records");
  box.dataset.path = field["字段"];
  box.dataset.type = "记录列表";
  box.append(el("h4", `${field["名称"]}（每项一条）`), el("div", `${field["说明"]}${chineseArticles(field["条"] || [])}`, "description"),
             el("div", null, "field-error"), el("div", null, "record-items"));
  const add = el("button", `添加一项${field["名称"]}`, "add-record");
  add.type = "button";
  add.addEventListener("click", () => {
    addRecord(box, field).querySelector(".value")?.focus();
    countFilled();
  });
  box.append(add);
  return box;
}

function addRecord(box, field, values = {}) {
  const items = box.querySelector(".record-items");
  const record = el("fieldset", null, "record");
  record.append(el("legend", ""));
  for (const item of field["记录字段"]) {
    const itemBox = input(item, item["名称"]);
    itemBox.dataset.name = item["名称"];
    record.append(itemBox);
  }
  const remove = el("button", "删除此项", "remove-record");
  remove.type = "button";
  remove.addEventListener("click", () => { record.remove(); numberRecords(box); countFilled(); });
  record.append(remove);
  items.append(record);
  numberRecords(box);
  for (const [name, value] of Object.entries(values)) {
    const target = record.querySelector(`.field[data-name="${CSS.escape(name)}"]`);
    if (target) setValue(target, value);
  }
  return record;
}

// Each record's fields carry their key path with the record's index, as the facts model names errors.
function numberRecords(box) {
  box.querySelectorAll(":scope > .record-items > .record").forEach((record, index) => {
    record.querySelector("legend").textContent = `第${index + 1}项`;
    for (const field of record.querySelectorAll(".field")) field.dataset.path = `${box.dataset.path}[${index}].${field.dataset.name}`;
  });
}

export function buildForm(formLayout) {
  layout = formLayout;
  const form = $("#facts-form");
  form.replaceChildren();
  for (const stage of layout["阶段"]) {
    const section = el("details", null, "stage");
    section.dataset.stage = stage["阶段"];
    section.open = stage["字段"].some((field) => field["必填"]);
    const summary = el("summary", stage["阶段"]);
    summary.append(el("span", "", "filled"));
    section.append(summary);
    const grid = el("div", null, "stage-fields");
    let subgroup = "";
    for (const field of stage["字段"]) {
      if ((field["小组"] || "") !== subgroup) {
        subgroup = field["小组"] || "";
        if (subgroup) grid.append(el("h4", subgroup.replaceAll(".", " · "), "subgroup"));
      }
      grid.append(field["类型"] === "记录列表" ? recordList(field) : input(field, field["字段"]));
    }
    section.append(grid);
    form.append(section);
  }
  countFilled();
}

// How many fields of each stage are filled, beside its name, so a folded stage still shows what it holds.
function countFilled() {
  for (const section of $("#facts-form").querySelectorAll(".stage")) {
    const filled = [...section.querySelectorAll(".stage-fields > .field")].filter((box) =>
      box.dataset.type === "记录列表" ? box.querySelector(".record") : valueOf(box) !== "").length;
    section.querySelector("summary .filled").textContent = filled ? `（已填 ${filled} 项）` : "";
  }
}
$("#facts-form").addEventListener("change", countFilled);

function fieldOf(path) {
  for (const stage of layout["阶段"]) for (const field of stage["字段"]) if (field["字段"] === path) return field;
  return null;
}

function valueOf(box) {
  const control = box.querySelector(":scope > .value");
  switch (control.dataset.type) {
    case "是否": return control.querySelector("input:checked")?.value || "";
    case "词列表": {
      if (control.querySelector("input[data-none]:checked")) return [];
      const words = [...control.querySelectorAll("input:checked")].map((choice) => choice.value);
      return words.length ? words : "";
    }
    case "日期列表": case "年份列表": {
      const items = control.value.split(LIST_SEPARATORS).filter(Boolean);
      return items.length ? items : "";
    }
    default: return control.value.trim();
  }
}

function setValue(box, value) {
  const control = box.querySelector(":scope > .value");
  const type = control.dataset.type;
  if (type === "是否" || type === "词列表") {
    const chosen = type === "是否" ? [value] : [].concat(value);
    for (const choice of control.querySelectorAll("input")) {
      choice.checked = choice.dataset.none ? chosen.length === 0 : chosen.includes(choice.value);
    }
  } else if (type === "日期列表" || type === "年份列表") {
    control.value = [].concat(value).join("、");
  } else {
    control.value = value;
    // A word or date from a file that the box cannot show (not an allowed word, 2025-02-30) stays
    // visible as written, next to the message that says what to write instead; it is not dropped.
    if (control.value !== value && control.tagName === "SELECT") control.append(el("option", value));
    else if (control.value !== value) control.type = "text";
    control.value = value;
  }
}

// {key path: value}: blanks are sent too and dropped by the server (absent means unknown).
export function formValues() {
  const values = {};
  for (const box of $("#facts-form").querySelectorAll(".stage-fields > .field")) {
    if (box.dataset.type === "记录列表") {
      const records = [...box.querySelectorAll(".record")].map((record) => Object.fromEntries(
        [...record.querySelectorAll(".field")].map((field) => [field.dataset.name, valueOf(field)])));
      values[box.dataset.path] = records.length ? records : "";
    } else {
      values[box.dataset.path] = valueOf(box);
    }
  }
  return values;
}

export function fillForm(values) {
  buildForm(layout);
  for (const [path, value] of Object.entries(values)) {
    const box = $("#facts-form").querySelector(`.stage-fields > .field[data-path="${CSS.escape(path)}"]`);
    if (!box) continue;
    if (box.dataset.type === "记录列表") for (const record of value) addRecord(box, fieldOf(path), record);
    else setValue(box, value);
    box.closest("details").open = true;
  }
  countFilled();
}

// The form is never sent as a web form (that would reload the page and lose what was entered).
$("#facts-form").addEventListener("submit", (event) => event.preventDefault());

// A mark goes when its field is edited; the toolbar's summary goes with the last one.
$("#facts-form").addEventListener("input", (event) => {
  const box = event.target.closest(".field.invalid");
  if (!box) return;
  box.classList.remove("invalid");
  box.querySelector(":scope > .field-error").textContent = "";
  if (!$("#facts-form .field.invalid") && !$("#form-problems").children.length) $("#form-status").textContent = "";
});

export function clearErrors() {
  for (const node of $("#facts-form").querySelectorAll(".field-error")) node.textContent = "";
  for (const node of $("#facts-form").querySelectorAll(".field.invalid")) node.classList.remove("invalid");
}

// Marks each mistake at its field; returns the mistakes that have no field in the form (an unknown key).
export function showErrors(errors) {
  const elsewhere = [];
  for (const error of errors) {
    const box = $("#facts-form").querySelector(`.field[data-path="${CSS.escape(error["键"])}"]`);
    if (!box) { elsewhere.push(error); continue; }
    box.classList.add("invalid");
    const note = box.querySelector(":scope > .field-error");
    note.textContent = [note.textContent, error["信息"] + (error["提示"] ? `（${error["提示"]}）` : "")].filter(Boolean).join("；");
    box.closest("details").open = true;
  }
  const first = $("#facts-form .field.invalid");
  if (first) {
    first.scrollIntoView({block: "center"});
    first.querySelector("input, select")?.focus({preventScroll: true});
  }
  return elsewhere;
}

// The required fields (项目.编号, 名称, 建设单位) are checked here first, so a blank one is named at
// its field before anything is sent.
export function missingRequired() {
  const missing = [];
  for (const box of $("#facts-form").querySelectorAll(".stage-fields > .field.required")) {
    if (valueOf(box) === "") missing.push({"键": box.dataset.path, "信息": `必填：请填写「${box.querySelector("label").firstChild.textContent}」`});
  }
  return missing;
}
