// The 条文 tab: the articles by chapter, with the parameters their rules use (and their values now),
// their rules and scenarios, searchable by article
// number (28, 第28条, 第二十八条, 第四十七条之一), rule id (28.2), parameter (【合同签订时限】 or
// without brackets), field (合同.签订日期) or any words of the text, spaces ignored (the text
// says 10 个工作日, a staffer types 10个工作日).

import {$, el, api, articleLabel, ruleId} from "./common.js";

let articles = [];
// Spaces do not count when comparing text; 【合同签订时限】 finds the rules that use the parameter,
// 合同签订时限 also the text that names it.
const plain = (text) => text.replace(/\s+/g, "");

export function articleMatches(article, query) {
  const label = articleLabel(query);
  if (label) return article["条号"] === label;
  const rule = ruleId(query);
  if (rule) return article["规则"].some((each) => each["规则"] === rule);
  const wanted = plain(query);
  const haystack = [article["条号"], article["标题"], article["原文"], ...article["规则"].map((rule) => rule["写法"])].join("\n");
  return plain(haystack).includes(wanted);
}

function renderArticles() {
  const query = $("#article-search").value.trim();
  const list = $("#article-list");
  list.replaceChildren();
  let chapter = null;
  let box = null;
  for (const article of articles) {
    if (query && !articleMatches(article, query)) continue;
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
    // The values the rules use now: the text may say 10 个工作日 while 【合同签订时限】 is 15.
    if (article["参数"]?.length) {
      const params = el("div", "本条规则用到的参数（在「编辑规则」页文件开头的「参数」下修改）：", "params");
      const list = el("ul");
      for (const param of article["参数"]) {
        const item = el("li");
        item.dataset.param = param["参数"];
        item.append(el("span", `【${param["参数"]}】`, "param-name"), " = ", el("span", param["值"], "param-value"));
        list.append(item);
      }
      params.append(list);
      node.append(params);
    }
    for (const rule of article["规则"]) {
      const line = el("div", rule["写法"], "rule");
      line.dataset.rule = rule["规则"];
      node.append(line);
    }
    if (article["场景"].length) node.append(el("div", "规格场景：" + article["场景"].join("；"), "scenarios"));
    box.append(node);
  }
  if (query && !list.children.length) list.append(el("p", `没有找到「${query}」。可按条号（28、第28条、第二十八条）、规则号（28.2）、参数名、字段名或原文中的文字搜索。`, "empty"));
}

export async function loadArticles() {
  const {data} = await api("/api/articles");
  if (data.error) { $("#article-list").replaceChildren(el("div", data.error, "error")); return; }
  $("#policy-name").textContent = `政策工作台 · ${data["办法"]}（${data["文号"]}）`;
  articles = data["条文"];
  renderArticles();
}
$("#article-search").addEventListener("input", renderArticles);
