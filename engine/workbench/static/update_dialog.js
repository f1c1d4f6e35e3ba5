// The question asked before a failed scenario's expected value is updated (the 规格场景 tab).
// One click that makes a scenario pass can also make it say something else: a row described as
// 「截止次日仍未签订」 that now expects 待办 no longer checks what its 说明 says. So the dialog shows
// the scenario, the example row with its 说明 and the old → new expectation, says plainly what the
// update means, and — when the rules the scenario checks use a parameter that moved (changed since
// the workbench started, or named otherwise in the scenario's title) — says the boundary moved and
// offers to open the row so its dates are moved instead. Everything is put on the page as text.

import {$, el} from "./common.js";

const NOTE = "说明";  // the examples' column that says, in words, what the row is

/** How a failure names the example row it ran: its 说明, else its cells. */
export function exampleLabel(example) {
  const cells = Object.entries(example);
  const note = example[NOTE];
  return note ? `例子「${note}」：` + cells.filter(([key]) => key !== NOTE).map(([, value]) => value).join(" | ")
              : "例子：" + cells.map(([key, value]) => `${key} = ${value}`).join("，");
}

function exampleTable(example, changedColumn, found) {
  const table = el("table", null, "example-table");
  const head = el("tr");
  const row = el("tr");
  Object.entries(example).forEach(([key, value], index) => {
    head.append(el("th", key));
    const cell = el("td", value);
    if (index === changedColumn) {
      cell.className = "changed";
      cell.textContent = `${value} → ${found}`;
    }
    row.append(cell);
  });
  table.append(head, row);
  return table;
}

// The parameters behind a moved boundary, as the server found them (scenario_desk.with_parameters).
function movedParameters(failure) {
  return (failure["参数"] || []).filter((p) => p["启动时"] || p["场景写的"]);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function boundaryWarning(moved, note, update) {
  const said = moved.map((p) => {
    const since = p["启动时"] ? `在本次启动后由 ${p["启动时"]} 改为 ${p["值"]}` : `现在是 ${p["值"]}`;
    const title = p["场景写的"] ? `，场景标题还写着「${p["场景写的"]}」` : "";
    return `【${p["参数"]}】${since}${title}`;
  }).join("；");
  if (DATE.test(update["原值"]) && DATE.test(update["新值"])) {
    // A deadline: it moves with the period, so the new date may well be right; it is to be checked, not trusted.
    return `参数改了：这个场景检验的规则用到的参数${said}。期望的是一个截止日期，期限变了，截止日期随之改变：`
      + `先按新的期限数一遍，确认「${update["新值"]}」确实是新的截止日期，再更新；同一条里检验边界（第几天签订、截止次日）的例子，`
      + "应把日期挪到新的边界上，而不是改它们的期望。";
  }
  return `边界移动了：这个场景检验的规则用到的参数${said}。例子里的日期（或数额）是按旧的边界选的，`
    + `改期望值会让这一行不再检验边界。应当把这一行的日期挪到新的边界上`
    + (note ? `（让它仍然是「${note}」）` : "")
    + `，并检查紧挨着边界另一侧的那一行，而不是改期望值。`;
}

/** Ask about updating the scenario's failed expectation: "update", "open" (open the row to move its
 *  dates) or "cancel". */
export function askBeforeUpdate(scenario) {
  const failure = scenario["失败"];
  const update = failure["更新"];
  const example = scenario["例子"];
  const note = example?.[NOTE];
  const dialog = $("#update-dialog");
  const parts = [el("h3", "改期望值之前，请先看这个场景说的是什么")];
  parts.push(el("p", `场景：「${scenario["场景"]}」（${update["文件"]} 第 ${scenario["行"]} 行）`, "dialog-scenario"));
  if (example) {
    parts.push(el("p", `例子（第 ${update["行"]} 行）` + (note ? `，说明：「${note}」` : "") + "："));
    parts.push(exampleTable(example, update["列"], update["新值"]));
  } else {
    parts.push(el("p", `步骤（第 ${update["行"]} 行）：${failure["步骤"]}`));
  }
  parts.push(el("p", `期望：「${update["原值"]}」 → 评估现在给出的「${update["新值"]}」`, "dialog-change"));
  const said = note ? `这一行的说明是「${note}」，它原来说这种情况应为「${update["原值"]}」，改后说应为「${update["新值"]}」。`
                    : `这一步原来说应为「${update["原值"]}」，改后说应为「${update["新值"]}」。`;
  parts.push(el("p", `改了以后，这个场景说的就是另一件事了：${said}只有在办法的意思确实变了、新的期望也符合场景的说明时才这样改；`
    + "否则不是场景错了，而是政策改错了，或者例子的数据需要调整。", "dialog-warning"));
  const moved = movedParameters(failure);
  if (moved.length) parts.push(el("p", boundaryWarning(moved, note, update), "dialog-boundary"));
  else if ((failure["参数"] || []).length) {
    const used = failure["参数"].map((p) => `【${p["参数"]}】 = ${p["值"]}`).join("；");
    parts.push(el("p", `这个场景检验的规则用到参数 ${used}。若改过它，失败可能是边界移动了：应挪动例子的日期或数额，而不是改期望值。`, "dialog-params"));
  }
  const open = el("button", example ? "打开这一行，改日期或数据" : "打开这一步", "dialog-open");
  const confirm = el("button", `仍然把期望改为「${update["新值"]}」`, "dialog-update danger");
  const cancel = el("button", "取消", "dialog-cancel");
  const buttons = el("div", null, "toolbar");
  buttons.append(open, confirm, cancel);
  parts.push(buttons);
  dialog.replaceChildren(...parts);
  return new Promise((resolve) => {
    const choose = (choice) => { dialog.close(); resolve(choice); };
    open.addEventListener("click", () => choose("open"));
    confirm.addEventListener("click", () => choose("update"));
    cancel.addEventListener("click", () => choose("cancel"));
    dialog.addEventListener("cancel", () => resolve("cancel"), {once: true});  // Esc
    dialog.showModal();
    (moved.length ? open : cancel).focus();  // Enter never updates by accident
  });
}
