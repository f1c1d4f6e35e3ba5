// Beside the check: lint warnings (the same as `cli.py lint`, e.g. W208: a quote that names another
// number than its rule uses) and, when a parameter was changed against the policy in use, everything
// that still says its old value — 依据 quotes, 摘要, the 原文 sentence they quote, and scenarios —
// with a one-step update of the policy text: previewed first, then applied to the editor's text
// (never straight to disk). Scenarios are listed: they are updated after a run shows what fails.

import {$, el} from "./common.js";

const GUIDE = "docs/为本县定制办法.md 的「本县办法修订了：版本链」";

/** One error or warning of /api/check as staff read it: where and what (the sentence), what this
 *  kind of warning is for, what to do on this page; the code small, for asking a colleague. A click
 *  goes to its line. */
export function problemItem(problem, goTo) {
  const item = el("li", null, "problem");
  item.dataset.code = problem.code;
  const where = problem.line ? `第 ${problem.line} 行` + (problem.article ? `（${problem.article}）` : "") + "：" : "";
  const head = el("div", where + problem.message, "problem-message");
  head.append(el("span", problem.code, "code"));
  head.lastChild.title = "代码：向同事或开发人员说明时用";
  item.append(head);
  if (problem.meaning) item.append(el("div", problem.meaning, "problem-meaning"));
  const hint = problem.page_hint ?? problem.hint;
  if (hint) item.append(el("div", "怎么改：" + hint, "problem-hint"));
  if (problem.line) {
    item.title = "点击跳到这一行";
    item.addEventListener("click", () => goTo(problem.line, problem.column));
  }
  return item;
}

/** The lint warnings of /api/check, each one a link to its line. */
export function showWarnings(warnings, goTo) {
  $("#lint").replaceChildren(...warnings.map((warning) => problemItem(warning, goTo)));
  $("#lint-box").hidden = warnings.length === 0;
  $("#lint-count").textContent = `${warnings.length} 条（能编译，但可能写错了，请逐条看一下）`;
}

/** The carry-through panel for the answer's 连带 (null: no parameter changed); apply(edits) puts the
 *  previewed edits into the editor's text. */
export function showCarry(carried, apply) {
  const panel = $("#carry");
  if (!carried) {
    panel.hidden = true;
    panel.replaceChildren();
    return;
  }
  const changes = carried["参数"].map((c) => `【${c["参数"]}】 ${c["原值"]} → ${c["新值"]}`).join("；");
  const parts = [el("h3", `参数改了：${changes}`)];
  const edits = carried["修改"];
  const quotes = edits.filter((e) => e["类别"] !== "原文");
  if (quotes.length) {
    parts.push(el("p", `还写着旧值的依据和摘要（${quotes.length} 处）：`));
    const list = el("ul", null, "carry-list");
    for (const edit of quotes) list.append(el("li", `第 ${edit["行"]} 行 规则${edit["规则"]} ${edit["类别"]}：${edit["改前"].trim()}`));
    parts.push(list);
  } else {
    // Only what this check looked for: quotes of the old value. A quote may still name the number
    // in another form (「十个工作日」); lint's W208 below says so when it does.
    const olds = carried["参数"].map((c) => `「${c["原值"]}」`).join("、");
    parts.push(el("p", `没有依据或摘要还写着旧值 ${olds}（其他写法见下方 lint 警告）。`, "ok"));
  }
  for (const original of carried["原文"]) {
    parts.push(el("p", `${original["条号"]}的原文（第 ${original["行"]} 行）写的是「${original["原值"]}」：「${original["文字"]}」。`
      + `原文是办法的正式文本：这个数额变了，说明办法修订了。依据须一字不差地引自原文，所以一并修改时原文这一句也改，`
      + `原文出处（正式文本的副本）也要换成修订后的文字（否则 lint 报 W204）。注意：在本文件里直接改，等于办法从施行之日起就是新数额；`
      + `修订前的行为应仍按原办法判定时，不要在这里改，而是起草修订版（开头写 ${carried["修订写法"]}，有自己的施行日期），`
      + `见 ${GUIDE}。`, "carry-amendment"));
  }
  if (carried["场景"].length) {
    parts.push(el("p", `规格场景里还写着旧值的（${carried["场景"].length} 处）。保存后到「规格场景」运行：检验边界的例子（第几天、截止次日）`
      + "把日期或数额挪到新的边界上，连同说明一起改；截止日期这类随参数而变的期望值，核对后再更新："));
    const list = el("ul", null, "carry-scenarios");
    for (const mention of carried["场景"]) {
      const heading = mention["文字"].includes(mention["场景"]);  // the line is the scenario's own heading
      list.append(el("li", `${mention["文件"]}:${mention["行"]}　` + (heading ? mention["文字"] : `${mention["场景"]}：${mention["文字"]}`)));
    }
    parts.push(list);
  }
  if (edits.length) {
    const preview = el("button", "一并修改依据和摘要…");
    preview.id = "carry-preview";
    preview.addEventListener("click", () => showPreview(panel, edits, apply));
    parts.push(preview);
  }
  panel.replaceChildren(...parts);
  panel.hidden = false;
}

function showPreview(panel, edits, apply) {
  const table = el("table", null, "carry-preview");
  const head = el("tr");
  for (const title of ["行", "类别", "改前", "改后"]) head.append(el("th", title));
  table.append(head);
  for (const edit of edits) {
    const row = el("tr", null, "carry-" + edit["类别"]);
    row.append(el("td", String(edit["行"])), el("td", edit["类别"] === "原文" ? "原文（修订）" : edit["类别"]),
      el("td", edit["改前"]), el("td", edit["改后"]));
    table.append(row);
  }
  const confirmButton = el("button", `应用这 ${edits.length} 处修改到编辑器（不会直接保存）`);
  confirmButton.id = "carry-apply";
  confirmButton.addEventListener("click", () => apply(edits));
  const cancel = el("button", "取消");
  cancel.addEventListener("click", () => { table.remove(); actions.remove(); });
  const actions = el("div", null, "toolbar");
  actions.append(confirmButton, cancel);
  panel.querySelector(".carry-preview")?.remove();
  panel.append(table, actions);
}

/** The text with each edit applied where its line still reads as previewed; how many were skipped. */
export function applyEdits(text, edits) {
  const lines = text.split("\n");
  let skipped = 0;
  for (const edit of edits) {
    const line = lines[edit["行"] - 1] ?? "";
    const ending = line.endsWith("\r") ? "\r" : "";  // a file with Windows line ends keeps them
    if (line.slice(0, line.length - ending.length) === edit["改前"]) lines[edit["行"] - 1] = edit["改后"] + ending;
    else skipped += 1;
  }
  return {text: lines.join("\n"), skipped};
}
