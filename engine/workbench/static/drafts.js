// Drafts: the staffer's unsaved text, kept in the browser, per policy file (named by the file's
// identity from /api/policy) and per tab, with the version and text of the file it was based on. The
// base is what makes a later save safe: when the file has changed since, the draft is merged with the
// file as it is now (merge.js) instead of being saved over it.
//
// Per tab as well as per file, so that two tabs on one file never overwrite each other's draft: a tab
// keeps its id across reloads (sessionStorage), and a new tab adopts the newest draft of the file that
// a closed tab left behind (marked when the tab goes away), so closing a tab loses nothing either.

const PREFIX = "政策工作台草稿：";
const LEGACY = "政策工作台草稿";  // before drafts were per file: {text, version}, one for every tab and file
const TAB = sessionStorage.getItem("政策工作台标签页") || crypto.randomUUID();
sessionStorage.setItem("政策工作台标签页", TAB);

const keyOf = (identity, tab = TAB) => `${PREFIX}${identity}：${tab}`;
let current = null;  // the identity this tab edits, to mark its draft when the tab goes away

/** The draft of one policy file for this tab: {text, baseVersion, baseText, savedAt}, or null. */
export function readDraft(identity, file) {
  current = identity;
  const own = localStorage.getItem(keyOf(identity));
  if (own) return {...JSON.parse(own), closed: false};
  const left = Object.keys(localStorage)
    .filter((key) => key.startsWith(`${PREFIX}${identity}：`))
    .map((key) => ({key, draft: JSON.parse(localStorage.getItem(key))}))
    .filter(({draft}) => draft.closed)
    .sort((a, b) => (a.draft.savedAt < b.draft.savedAt ? 1 : -1))[0];
  if (left) {  // a closed tab's draft: this tab carries it on
    localStorage.removeItem(left.key);
    localStorage.setItem(keyOf(identity), JSON.stringify({...left.draft, closed: false}));
    return left.draft;
  }
  // A draft left by the page before drafts were per file is adopted only by the file it was based on.
  const legacy = JSON.parse(localStorage.getItem(LEGACY) || "null");
  if (legacy && file && legacy.version === file.version) {
    localStorage.removeItem(LEGACY);
    return {text: legacy.text, baseVersion: file.version, baseText: file.text, savedAt: null};
  }
  return null;
}

/** Keep the draft; false when the browser refuses (its storage is full). */
export function writeDraft(identity, text, base) {
  try {
    localStorage.setItem(keyOf(identity), JSON.stringify({
      text, baseVersion: base.version, baseText: base.text, savedAt: new Date().toISOString(), closed: false,
    }));
    return true;
  } catch {
    return false;
  }
}

export function dropDraft(identity) {
  localStorage.removeItem(keyOf(identity));
}

// The tab goes away (closed, or reloaded: then it finds its own draft again first).
window.addEventListener("pagehide", () => {
  const stored = current && localStorage.getItem(keyOf(current));
  if (stored) localStorage.setItem(keyOf(current), JSON.stringify({...JSON.parse(stored), closed: true}));
});
