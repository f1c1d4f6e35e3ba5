// Highlighting of the policy language in the editor: a CodeMirror stream tokenizer whose words all come
// from the language's definition as the server gives it (the keyword groups of grammar/policy.lark),
// so a keyword added to the grammar is highlighted without a change here.

import {StreamLanguage, HighlightStyle, syntaxHighlighting, tags} from "./vendor/codemirror.js";

// How each keyword group of the grammar is shown; words written inline in the rules ("") are keywords.
const GROUP_STYLE = {
  KIND: "atom", COMPARISON: "operatorKeyword", LIST_TEST: "operatorKeyword", PRESENCE: "operatorKeyword",
  UNIT: "unit", YES_NO: "bool", META_KEY: "definitionKeyword", RENUMBER_OP: "keyword", DECLARATIVE: "keyword",
};

const HEADING = /^第[零〇一二两三四五六七八九十百千0-9]+[章条节](之[零〇一二两三四五六七八九十0-9]+)?/;
const FIELD = /^[\u4e00-\u9fff]+(\.[\u4e00-\u9fff]+)+/;
const NUMBER = /^(\d{4}-\d{2}-\d{2}|[0-9０-９]+([.．][0-9０-９]+)*)/;

/** A StreamLanguage for the given keyword groups ({group name: [words]}). */
export function policyLanguage(groups) {
  // Chinese has no spaces between words: at each position the longest keyword wins.
  const styleOf = new Map();
  for (const [group, words] of Object.entries(groups || {})) {
    for (const word of words) if (!styleOf.has(word)) styleOf.set(word, GROUP_STYLE[group] || "keyword");
  }
  const byLength = [...styleOf.keys()].sort((a, b) => b.length - a.length);
  return StreamLanguage.define({
    name: "政策规则",
    startState: () => ({inString: null}),
    copyState: (state) => ({...state}),
    token(stream, state) {
      if (state.inString) return finishString(stream, state);
      if (stream.sol() && stream.match(/^>.*/)) return "quote";  // a line of the 原文
      if (stream.eatSpace()) return null;
      if (stream.match(/^#.*/)) return "comment";
      const open = stream.peek();
      if (open === "“" || open === "\"" || open === "「") {
        stream.next();
        state.inString = {"“": "”", "\"": "\"", "「": "」"}[open];
        return finishString(stream, state);
      }
      if (stream.match(/^【[^】\n]*】?/)) return "variableName.special";
      if (stream.sol() && stream.match(HEADING)) {
        stream.match(/^[^#\n]*/);  // the heading's title, e.g. （采购和合同签订）
        return "heading";
      }
      if (stream.match(FIELD)) return "propertyName";
      if (stream.match(NUMBER)) return "number";
      for (const word of byLength) {
        if (stream.match(word)) return styleOf.get(word);
      }
      stream.next();
      return null;
    },
    languageData: {commentTokens: {line: "#"}},
  });
}

function finishString(stream, state) {
  while (!stream.eol()) {
    if (stream.next() === state.inString) {
      state.inString = null;
      break;
    }
  }
  return "string";
}

export const policyHighlighting = syntaxHighlighting(HighlightStyle.define([
  {tag: tags.comment, color: "#6a737d", fontStyle: "italic"},
  {tag: tags.quote, color: "#5c4a1e"},
  {tag: tags.string, color: "#1a7f37"},
  {tag: [tags.number, tags.unit], color: "#0550ae"},
  {tag: tags.propertyName, color: "#0b6e75"},
  {tag: tags.special(tags.variableName), color: "#8250df"},
  {tag: tags.keyword, color: "#23466b", fontWeight: "bold"},
  {tag: tags.definitionKeyword, color: "#23466b", fontWeight: "bold"},
  {tag: tags.operatorKeyword, color: "#b35900"},
  {tag: tags.bool, color: "#0550ae"},
  {tag: tags.atom, color: "#b00020", fontWeight: "bold"},
  {tag: tags.heading, color: "#23466b", fontWeight: "bold"},
]));
