// 政策工作台: the page. Plain JavaScript modules, no build step: one module per tab, this one
// switches tabs and starts them. Everything taken from the server or a file is put on the page
// with textContent, never as HTML.
import {$, el, api, shared} from "./common.js";
import {loadArticles} from "./articles.js";
import {loadPolicy} from "./editor.js";
import {setVocabulary} from "./source_editor.js";
import {startForm} from "./try.js";
import {loadScenarios} from "./scenarios.js";
import "./register.js";

// ------------------------------------------------------------------ tabs
document.querySelectorAll("nav button").forEach((button) => button.addEventListener("click", () => {
  document.querySelectorAll("nav button, .tab").forEach((node) => node.classList.remove("active"));
  button.classList.add("active");
  $("#" + button.dataset.tab).classList.add("active");
}));

// ------------------------------------------------------------------ start
(async () => {
  const [{data: vocab}, {data: meta}, {data: samples}] = await Promise.all([api("/api/vocabulary"), api("/api/meta"), api("/api/samples")]);
  if (!vocab.error) shared.vocabulary = vocab;
  // The findings view's kinds (in report order, with their CSS classes); the article-number forms of
  // the search and the scenario box.
  if (!meta.error) shared.meta = meta;
  if (!meta.error) setVocabulary(meta);  // the editor's highlighting and completion: the language's own definition
  for (const name of samples["示例"] || []) {
    const option = el("option", name);
    option.value = name;
    $("#sample").append(option);
  }
  startForm();
  loadArticles();
  loadScenarios();
  loadPolicy(true);
})();
