// The 条文 tab: the articles by chapter, with their rules and scenarios, searchable.

import {$, el, api, chineseNumber} from "./common.js";

let articles = [];
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

export async function loadArticles() {
  const {data} = await api("/api/articles");
  if (data.error) { $("#article-list").replaceChildren(el("div", data.error, "error")); return; }
  $("#policy-name").textContent = `政策工作台 · ${data["办法"]}（${data["文号"]}）`;
  articles = data["条文"];
  renderArticles();
}
$("#article-search").addEventListener("input", renderArticles);

