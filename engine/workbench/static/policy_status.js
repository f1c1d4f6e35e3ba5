// Which version of the policy file answered: every answer of the server says which version is on
// disk and which one projects are evaluated with (政策文件), and the request that found the file
// changed on disk says so (重新载入). Two things follow on the page, whatever tab is open:
// - a lasting banner while the file on disk does not compile (after a forced save, or a colleague's
//   broken edit): projects are evaluated with the last version that compiled, named with its time;
// - a notice when the file changed on disk (a colleague, `git checkout`, Notepad), and the parts of
//   the page that show the policy load it again.

import {$, api, answerListeners} from "./common.js";

let known = null;  // the file version this page last loaded or saved
const reloadListeners = [];

/** The page itself loaded or saved this version: an answer carrying it is no news. */
export function setKnownVersion(version) {
  known = version;
}

/** callback(version) when the file changed on disk since this page last loaded or saved it. */
export function onReloaded(callback) {
  reloadListeners.push(callback);
}

const short = (version) => (version || "").slice(0, 8);
const clock = (iso) => (iso || "").replace("T", " ").slice(0, 16);

function showBanner(state) {
  const banner = $("#policy-banner");
  if (state["能编译"] || !state["评估所用"]) {
    banner.hidden = true;
    return;
  }
  const inUse = state["评估所用"];
  banner.textContent = `政策文件现在的版本（${short(state["版本"])}）不能编译。试算、台账和报告仍按上一个能编译的版本评估：`
    + `版本 ${short(inUse["版本"])}，${clock(inUse["载入时间"])} 载入。保存一个能编译的版本后恢复。`
    + (state["错误"] ? `\n错误：${state["错误"]}` : "");
  banner.hidden = false;
}

function showReloaded(version, at) {
  const notice = $("#reload-notice");
  notice.querySelector("span").textContent = `文件已在磁盘上更改，已重新载入（版本 ${short(version)}${at ? "，" + clock(at) : ""}）。`;
  notice.hidden = false;
}

answerListeners.push((data, path) => {
  const state = data && data["政策文件"];
  if (!state) return;
  showBanner(state);
  const version = state["版本"];
  if (path === "/api/save") {
    known = version;  // this page's own save
  } else if (known !== null && version && version !== known) {
    known = version;
    showReloaded(version, data["重新载入"] && data["重新载入"]["时间"]);
    for (const callback of reloadListeners) callback(version);
  }
});

$("#reload-notice button").addEventListener("click", () => { $("#reload-notice").hidden = true; });

// A page left open learns of a change on disk without waiting for the staffer's next request.
const POLL_MS = 5000;
setInterval(() => {
  if (known !== null && document.visibilityState === "visible") api("/api/status");
}, POLL_MS);
