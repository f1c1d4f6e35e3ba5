// Date boxes that show a date as staff write it (2026-03-20, or 2026年3月20日 as the facts files
// also accept), whatever the browser's language. A native <input type="date"> shows the browser's
// own format (mm/dd/yyyy in an English Chromium) and neither lang="zh-CN" nor anything else the page
// can set changes that, so the box is a text box; its 「日历」 button opens the browser's date
// picker (showPicker) on a hidden date input and writes the chosen day back as yyyy-mm-dd. What
// is typed is checked by the server like any facts value and told at its field.

import {el} from "./common.js";

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const WRITTEN = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/;

// 2026年3月20日 → 2026-03-20 (for the picker to open on it); anything else that is not ISO → "".
function isoOf(text) {
  const value = text.trim();
  if (ISO.test(value)) return value;
  const written = WRITTEN.exec(value);
  return written ? `${written[1]}-${written[2].padStart(2, "0")}-${written[3].padStart(2, "0")}` : "";
}

// Turns `box` (an <input>) into a text date box and returns the calendar button placed after it.
export function dateBox(box) {
  box.type = "text";
  box.placeholder = "如 2026-03-20";
  box.autocomplete = "off";
  box.classList.add("date-box");
  const picker = el("input", null, "date-picker");
  picker.type = "date";
  picker.tabIndex = -1;
  picker.setAttribute("aria-hidden", "true");
  const button = el("button", "日历", "date-button");
  button.type = "button";
  button.title = "在日历中选日期";
  button.addEventListener("click", () => {
    picker.value = isoOf(box.value);
    try {
      picker.showPicker();
    } catch {
      picker.focus();  // a browser without showPicker: the hidden input still takes the keyboard
    }
  });
  picker.addEventListener("change", () => {
    if (!picker.value) return;
    box.value = picker.value;
    box.dispatchEvent(new Event("input", {bubbles: true}));
    box.dispatchEvent(new Event("change", {bubbles: true}));
  });
  const holder = el("span", null, "date-tools");
  holder.append(button, picker);
  box.after(holder);
  return holder;
}
