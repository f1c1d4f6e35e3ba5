// A project's findings as staff read them (the 试算 results and a register project): the server
// sends the report's JSON (docs/report.md) and, under 「显示」, the same report in the regulation's
// words (engine/report_view.py): 第三十条第二款 for the article, 「实施 › 变更 第1项 › 事先申请」 with
// its description for a fact, dates as 2026年3月20日. The rule and its source lines stay, in small
// print, for tracing. Everything goes in as text, never as HTML.

import {$, el, shared} from "./common.js";

function factLine(line) {
  const node = el("div", line["值"] === undefined ? line["事实"] : `${line["事实"]}：${line["值"]}`, "fact");
  if (line["说明"]) node.append(el("small", `（${line["说明"]}）`));
  return node;
}

function heading(report, view) {
  const box = el("div", null, "report-heading");
  const facts = view["标题"].map((item) => `${item["项"]} ${item["值"]}`).join("　");
  box.append(el("h3", `${facts}　结论：${report["结论"]}`));
  box.append(el("p", `检查依据：${view["依据"]}`, "report-policy"));
  return box;
}

export function showReport(report, box = $("#result"), view = report["显示"]) {
  box.replaceChildren(heading(report, view));
  const shown = new Map(report["发现"].map((finding, index) => [finding, view["发现"][index]]));
  for (const {"类别": kind, "样式": style} of shared.meta["类别"]) {
    const findings = report["发现"].filter((f) => f["类别"] === kind);
    if (!findings.length) continue;
    const group = el("div", null, "kind " + style);
    group.dataset.kind = kind;
    group.append(el("h3", `${kind}（${findings.length} 项）`));
    for (const finding of findings) {
      const words = shown.get(finding);
      const node = el("details", null, "finding");
      node.dataset.rule = finding["规则"];
      const record = finding["项"] ? `（第${finding["项"]}项）` : "";
      const next = words["截止日期"] ? `　截止日期 ${words["截止日期"]}`
        : words["缺少"].length ? `　缺少 ${words["缺少"].map((line) => line["事实"]).join("、")}` : "";
      node.append(el("summary", `${words["条款"]}　${finding["摘要"]}${record}${next}`));
      node.append(el("div", "原文：" + finding["原文"]));
      if (finding["释义"]) node.append(el("div", "释义：" + finding["释义"], "reading"));
      if (words["版本说明"]) node.append(el("div", words["版本说明"], "version"));
      if (words["依据"].length) {
        const basis = el("div", null, "basis");
        basis.append(el("div", "依据的事实："), ...words["依据"].map(factLine));
        node.append(basis);
      }
      if (words["缺少"].length) {
        const missing = el("div", null, "basis missing");
        missing.append(el("div", "缺少（补充后可以判定）："), ...words["缺少"].map(factLine));
        node.append(missing);
      }
      node.append(el("div", "出处：" + words["出处"], "citation"));
      node.append(el("small", words["规则出处"], "source"));
      group.append(node);
    }
    box.append(group);
  }
  if (!report["发现"].length) box.append(el("p", "未发现问题。"));
}
