// 政策工作台: what every part of the page shares — the request helper with the launch secret,
// element building (always textContent, never HTML), Chinese numerals, and the
// vocabulary and the language's definition (/api/meta: kinds, keywords, units …) the server gives
// at start-up; the page keeps no word list of its own.

export const $ = (selector) => document.querySelector(selector);
export const el = (tag, text, className) => {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
};

// The server accepts writes only with this launch's secret, which it puts in the page's own HTML
// (another web page cannot read it); see engine/workbench/gate.py.
export const TOKEN = document.querySelector("meta[name=workbench-token]").content;

export async function api(path, body) {
  const headers = {"X-Workbench-Token": TOKEN};
  const response = await fetch(path, body === undefined ? {headers} : {
    method: "POST", headers: {...headers, "Content-Type": "application/json"}, body: JSON.stringify(body),
  });
  let data;
  try {
    data = await response.json();
  } catch {
    data = {error: `服务器的回答无法读取（HTTP ${response.status}）`};
  }
  for (const listener of answerListeners) listener(data, path);
  return {status: response.status, data};
}

// Called with every answer and the path it answered: policy_status.js reads which policy version answered.
export const answerListeners = [];

// The printable report (engine/templates/report.html) of what `body` names, in a new window. The
// window is opened at once, while the click still counts as the staffer's own (a window opened
// after the server's answer may be blocked), then shown the page the server rendered. Returns the
// answer's error, if any, for the caller to show; null when the report is open.
export async function openPrintable(path, body) {
  const printable = window.open("", "_blank");
  if (!printable) return {error: "浏览器阻止了新窗口。请允许本页面打开弹出窗口后再点「打印报告」。"};
  printable.document.title = "正在生成报告……";
  const {data} = await api(path, body);
  if (data.error) { printable.close(); return data; }
  const url = URL.createObjectURL(new Blob([data.html], {type: "text/html;charset=utf-8"}));
  printable.location.href = url;
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return null;
}

// Filled at start-up from /api/vocabulary (the policy's fields, keywords and parameters) and
// /api/meta (the language's definition; its shape is documented in engine/workbench/meta.py).
export const shared = {vocabulary: {"字段": [], "关键词": [], "参数": []}, meta: {"类别": []}};

// 28 → 二十八, 105 → 一百零五, 1010 → 一千零一十, as the gazette writes them (engine/text.py's
// to_chinese_number); article numbers go up to 9999, beyond which the digits are kept.
const CN = "零一二三四五六七八九";
export function chineseNumber(n) {
  if (!Number.isInteger(n) || n < 0 || n > 9999) return String(n);
  if (n === 0) return CN[0];
  let text = "", zero = false;
  for (const [value, unit] of [[1000, "千"], [100, "百"], [10, "十"], [1, ""]]) {
    const digit = Math.floor(n / value) % 10;
    if (digit) {
      text += (zero ? CN[0] : "") + CN[digit] + unit;
      zero = false;
    } else if (text) {
      zero = true;
    }
  }
  return text.startsWith("一十") ? text.slice(1) : text;
}

const NUMERAL = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9};
const MULTIPLIER = {"十": 10, "百": 100, "千": 1000, "万": 10000};
export function parseChineseNumber(text) {
  if (/^[0-9]+$/.test(text)) return Number(text);
  let total = 0, section = 0, digit = null;
  for (const char of text) {
    if (char in NUMERAL) { digit = NUMERAL[char]; continue; }
    const multiplier = MULTIPLIER[char];
    if (!multiplier) return null;
    if (multiplier === 10000) { total += (section + (digit ?? 0)) * 10000; section = 0; }
    else section += (digit ?? 1) * multiplier;
    digit = null;
  }
  return text ? total + section + (digit ?? 0) : null;
}

// The article-number forms from the language's definition (/api/meta 条号, engine/language.py);
// until it has loaded, the same values.
function articleForms() {
  const forms = shared.meta?.["条号"] || {};
  return {numerals: forms["数字"] || "零〇一二两三四五六七八九十百千", max: forms["最大条号"] || 9999, maxSub: forms["最大之"] || 99,
          ruleId: new RegExp("^(?:" + (forms["规则编号"] || "\\d+(?:之\\d+)?\\.\\d+") + ")$")};
}

const FULLWIDTH = /[０-９．]/g;
const halfWidth = (text) => text.replace(FULLWIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFEE0));

// What a staffer types for an article — 28, ２８, 第28条, 第二十八条, 二十八, 47之一, 第四十七条之一 —
// as its label (第二十八条, 第四十七条之一), or null. The 条文 search and the scenario box share it.
export function articleLabel(query) {
  const text = halfWidth(query).replace(/\s+/g, "");
  const {numerals, max, maxSub} = articleForms();
  const number = `([0-9]+|[${numerals}]+)`;
  const match = new RegExp(`^第?${number}条?(?:之${number})?$`).exec(text);
  if (!match) return null;
  const article = parseChineseNumber(match[1]);
  const sub = match[2] === undefined ? 0 : parseChineseNumber(match[2]);
  if (!article || sub === null || article > max || sub > maxSub || (match[2] !== undefined && !sub)) return null;
  return "第" + chineseNumber(article) + "条" + (sub ? "之" + chineseNumber(sub) : "");
}

// A rule id as the language writes it (28.2, 47之1.1; full-width digits and point accepted), or null.
export function ruleId(query) {
  const text = halfWidth(query).replace(/\s+/g, "");
  return articleForms().ruleId.test(text) ? text : null;
}
