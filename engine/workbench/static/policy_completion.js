// Completion at the caret in the policy editor: after 【 the policy's parameters and named conditions
// (认定); elsewhere in rule code the vocabulary's fields, the language's keywords and the parameters.
// Every offer comes from the server's language definition or from the text's own 【名称】 = lines;
// nothing is offered inside a 原文 line, a comment or a quoted string unless asked for with Ctrl+Space.

const GROUP_LABEL = {
  KIND: "类别", COMPARISON: "比较", LIST_TEST: "列表比较", PRESENCE: "填写", UNIT: "单位", YES_NO: "是否",
  META_KEY: "文件信息", RENUMBER_OP: "条号对照", DECLARATIVE: "条文", "": "关键词",
};

/** Whether the caret, after `before` on its line, is in text that is not rule code. */
function inProse(before) {
  if (before.trimStart().startsWith(">") || before.includes("#")) return true;
  const opened = (before.match(/[“「]/g) || []).length - (before.match(/[”」]/g) || []).length;
  return opened > 0 || (before.match(/"/g) || []).length % 2 === 1;
}

/** 【names】 the text itself defines at the start of a line (parameters and 认定), in order of appearance. */
function namesDefinedIn(doc) {
  const names = [];
  for (const match of doc.toString().matchAll(/^\s*【([^】\n]+)】\s*=/gm)) names.push(match[1]);
  return names;
}

function parameterOptions(vocabulary, doc) {
  const known = new Map();
  for (const entry of vocabulary["参数"]) {
    const name = typeof entry === "string" ? entry : entry["参数"];
    known.set(name, typeof entry === "string" ? "参数" : (entry["取值"] || []).join("、"));
  }
  for (const name of namesDefinedIn(doc)) if (!known.has(name)) known.set(name, "本文件定义");
  return [...known].map(([name, detail]) => ({name, detail}));
}

export function completionSource(context, vocabulary) {
  const line = context.state.doc.lineAt(context.pos);
  const before = line.text.slice(0, context.pos - line.from);
  if (!context.explicit && inProse(before)) return null;

  const parameter = context.matchBefore(/【[^】\s]*/);
  if (parameter) {
    const closed = context.state.sliceDoc(context.pos, context.pos + 1) === "】";
    return {
      from: parameter.from + 1,
      options: parameterOptions(vocabulary, context.state.doc).map(({name, detail}) => ({
        label: name, apply: closed ? name : name + "】", detail, type: "variable",
      })),
      validFor: /^[^】\s]*$/,
    };
  }

  const word = context.matchBefore(/[\u4e00-\u9fff][\u4e00-\u9fff.]*/);
  if (!word && !context.explicit) return null;
  const options = [];
  const seen = new Set();
  const offer = (option) => {
    if (!seen.has(option.label)) {
      seen.add(option.label);
      options.push(option);
    }
  };
  for (const field of vocabulary["字段"]) {
    offer({label: field["字段"], detail: field["类型"] || "字段", info: field["说明"] || undefined, type: "property"});
  }
  // /api/meta says what each keyword does (若 → 条件); otherwise its group names it.
  const roles = new Map((vocabulary["关键词"] || []).filter((k) => typeof k === "object").map((k) => [k["词"], k["作用"]]));
  for (const [group, words] of Object.entries(vocabulary["关键词组"])) {
    for (const keyword of words) offer({label: keyword, detail: roles.get(keyword) || GROUP_LABEL[group] || "关键词", type: "keyword"});
  }
  for (const {name, detail} of parameterOptions(vocabulary, context.state.doc)) {
    offer({label: `【${name}】`, detail, type: "variable"});
  }
  return {from: word ? word.from : context.pos, options, validFor: /^[\u4e00-\u9fff.]*$/};
}
