// Drafts: the staffer's unsaved text, kept in the browser, one per policy file (named by the file's
// identity from /api/policy), with the version and text of the file it was based on. The base is
// what makes a later save safe: when the file has changed since, the draft is merged with the file
// as it is now (merge.js) instead of being saved over it.

const PREFIX = "政策工作台草稿：";
const LEGACY = "政策工作台草稿";  // before drafts were per file: {text, version}, one for every tab and file

/** The draft of one policy file: {text, baseVersion, baseText, savedAt}, or null. */
export function readDraft(identity, current) {
  const stored = localStorage.getItem(PREFIX + identity);
  if (stored) return JSON.parse(stored);
  // A draft left by the page before drafts were per file is adopted only by the file it was based on.
  const legacy = JSON.parse(localStorage.getItem(LEGACY) || "null");
  if (legacy && current && legacy.version === current.version) {
    localStorage.removeItem(LEGACY);
    return {text: legacy.text, baseVersion: current.version, baseText: current.text, savedAt: null};
  }
  return null;
}

/** Keep the draft; false when the browser refuses (its storage is full). */
export function writeDraft(identity, text, base) {
  try {
    localStorage.setItem(PREFIX + identity, JSON.stringify({
      text, baseVersion: base.version, baseText: base.text, savedAt: new Date().toISOString(),
    }));
    return true;
  } catch {
    return false;
  }
}

export function dropDraft(identity) {
  localStorage.removeItem(PREFIX + identity);
}
