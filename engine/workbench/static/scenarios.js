// The 规格场景 tab: run the policy's own feature scenarios, all or one article's.

import {$, api} from "./common.js";

$("#run-scenarios").addEventListener("click", async () => {
  const button = $("#run-scenarios");
  button.disabled = true;  // the server runs one at a time and answers a second click with 429
  $("#scenario-result").textContent = "运行中……";
  try {
    const {data} = await api("/api/scenarios", {article: $("#scenario-article").value.trim()});
    $("#scenario-result").textContent = data.error ? data.error
      : `通过 ${data.passed}，失败 ${data.failed}\n${data.summary}\n${data.failures.join("\n")}`;
  } finally {
    button.disabled = false;
  }
});

