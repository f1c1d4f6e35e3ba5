// The merge view: the staffer's draft and the file's own changes side by side, when the file changed
// since the draft was based on it (a colleague saved, `git checkout`, another editor). The server
// merges (POST /api/merge, three-way, line by line) and answers with groups of lines: unchanged,
// changed only in the file (taken), changed only in the draft (kept), or changed in both — a conflict
// the staffer decides: the file's lines, the draft's, or both. Nothing is saved here: the merged
// text goes into the editor, based on the file's new version, and is saved from there.

import {$, el} from "./common.js";

const CHOICES = [["文件", "用文件现在的"], ["我的", "用我的"], ["两者", "两者都要（先文件的，后我的）"]];
const LABELS = {"文件": "只有文件改了：已并入", "我的": "只有你改了：保留", "两边一样": "两边改得一样", "冲突": "两边都改了：请选择"};

const lineCount = (text) => (text ? text.split("\n").length - (text.endsWith("\n") ? 1 : 0) : 0);

/** Show the merge of `merge` (the answer of /api/merge); onMerged(text) when the staffer merges,
 *  onDiscard() when they take the file as it is now and drop their draft. */
export function openMerge(merge, {onMerged, onDiscard, onLater}) {
  const view = $("#merge-view");
  const groups = merge.groups;
  const choices = new Map();  // conflict group → "文件" | "我的" | "两者"
  const changed = groups.filter((g) => g["类别"] !== "相同");
  const counts = (kind) => changed.filter((g) => g["类别"] === kind).length;

  const summary = el("p", `你的草稿所依据的版本之后，文件已被修改（可能是同事保存了、用 git 切换了版本，或在别的编辑器里改了）。`
    + `左边是原来的，中间是文件现在的，右边是你的草稿。只有一边改了的地方已自动合并；`
    + `${merge.conflicts ? `有 ${merge.conflicts} 处两边都改了，请逐处选择。` : "没有冲突。"}`
    + `合并后的文字放进编辑器，检查无误后再保存。`);
  summary.className = "merge-summary";
  const tally = el("p", `只有文件改了 ${counts("文件")} 处，只有你改了 ${counts("我的")} 处，两边改得一样 ${counts("两边一样")} 处，冲突 ${counts("冲突")} 处。`);
  tally.className = "merge-tally";

  const list = el("div", null, "merge-groups");
  let line = 1;  // where each group starts in the file as it is now
  groups.forEach((group, index) => {
    if (group["类别"] === "相同") {
      line += lineCount(group["文字"]);
      return;
    }
    const box = el("div", null, "merge-group merge-" + group["类别"]);
    box.dataset.group = index;
    box.append(el("h4", `文件第 ${line} 行附近 · ${LABELS[group["类别"]]}`));
    const columns = el("div", null, "merge-columns");
    for (const [side, title] of [["原来", "原来（你开始编辑时）"], ["文件", "文件现在"], ["我的", "你的草稿"]]) {
      const column = el("div", null, "merge-side merge-side-" + side);
      column.append(el("div", title, "merge-side-title"), el("pre", group[side] || "（无）"));
      columns.append(column);
    }
    box.append(columns);
    if (group["类别"] === "冲突") {
      const choose = el("div", null, "merge-choices");
      for (const [value, label] of CHOICES) {
        const option = el("label");
        const radio = el("input");
        radio.type = "radio";
        radio.name = `merge-${index}`;
        radio.value = value;
        radio.addEventListener("change", () => { choices.set(group, value); refresh(); });
        option.append(radio, document.createTextNode(label));
        choose.append(option);
      }
      box.append(choose);
    }
    list.append(box);
    line += lineCount(group["文件"]);
  });

  const apply = el("button", "合并到编辑器");
  apply.id = "merge-apply";
  const discard = el("button", "放弃我的修改，用文件现在的内容");
  discard.id = "merge-discard";
  const later = el("button", "稍后再合并");
  later.id = "merge-later";
  const actions = el("div", null, "toolbar merge-actions");
  actions.append(apply, discard, later);

  function refresh() {
    const open = groups.filter((g) => g["类别"] === "冲突" && !choices.has(g)).length;
    apply.disabled = open > 0;
    apply.title = open ? `还有 ${open} 处冲突没有选择` : "";
  }
  apply.addEventListener("click", () => {
    const text = groups.map((group) => {
      switch (group["类别"]) {
        case "相同": return group["文字"];
        case "文件": return group["文件"];
        case "冲突": {
          const choice = choices.get(group);
          return choice === "两者" ? group["文件"] + group["我的"] : group[choice];
        }
        default: return group["我的"];  // 我的, 两边一样
      }
    }).join("");
    close();
    onMerged(text);
  });
  discard.addEventListener("click", () => {
    if (!confirm("放弃你的草稿，编辑器里换成文件现在的内容？")) return;
    close();
    onDiscard();
  });
  later.addEventListener("click", () => { close(); onLater(); });
  refresh();

  view.replaceChildren(el("h3", "合并：文件在你编辑期间已被修改"), summary, tally, actions, list);
  view.hidden = false;
  $("#editor .editor-wrap").hidden = true;
  view.scrollIntoView({block: "start"});
}

function close() {
  $("#merge-view").hidden = true;
  $("#editor .editor-wrap").hidden = false;
}

export const mergeOpen = () => !$("#merge-view").hidden;
