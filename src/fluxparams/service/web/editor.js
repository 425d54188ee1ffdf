// The script editor: a plain <textarea> over a <pre> that mirrors its text with the findings'
// ranges marked. The textarea stays the real, accessible input (label "Script"); the mirror is
// aria-hidden and only ever receives text nodes and <mark> elements.

const encoder = new TextEncoder();

// The UTF-16 index in `text` of a 1-based line and a 1-based column counted in UTF-8 bytes (the
// analyzer's positions, as libflux counts them).
export function indexOf(text, line, byteColumn) {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", start);
    if (next < 0) return text.length;
    start = next + 1;
  }
  let end = text.indexOf("\n", start);
  if (end < 0) end = text.length;
  let bytes = 1;
  let i = start;
  while (i < end && bytes < byteColumn) {
    const cp = text.codePointAt(i);
    bytes += encoder.encode(String.fromCodePoint(cp)).length;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

// The 1-based column in code points of a UTF-16 index, for "line:column" text.
export function characterColumn(text, index) {
  const lineStart = text.lastIndexOf("\n", index - 1) + 1;
  return Array.from(text.slice(lineStart, index)).length + 1;
}

export class Editor {
  constructor(textarea, mirror) {
    this.textarea = textarea;
    this.mirror = mirror;
    this.ranges = [];
    textarea.addEventListener("scroll", () => this.syncScroll());
    textarea.addEventListener("input", () => {
      this.ranges = []; // stale until the next findings arrive
      this.render();
    });
  }

  get value() {
    return this.textarea.value;
  }

  set value(text) {
    this.textarea.value = text;
    this.ranges = [];
    this.render();
  }

  // findings: [{line, column, end_line, end_column, severity}] for the current text.
  mark(findings) {
    const text = this.value;
    this.ranges = findings.map((f) => {
      const start = indexOf(text, f.line, f.column);
      const end = Math.max(start, indexOf(text, f.end_line, f.end_column));
      return { start, end, severity: f.severity === "error" ? "error" : "warning" };
    }).sort((a, b) => a.start - b.start || b.end - a.end);
    this.render();
  }

  render() {
    const text = this.value;
    const pieces = [];
    let at = 0;
    for (const r of this.ranges) {
      const start = Math.max(r.start, at);
      // An empty range (a missing token) still gets one visible cell.
      const end = Math.max(r.end, start + 1);
      if (start > at) pieces.push(document.createTextNode(text.slice(at, start)));
      const mark = document.createElement("mark");
      mark.className = r.severity;
      const covered = text.slice(start, Math.min(end, text.length));
      mark.textContent = covered === "" || covered === "\n" ? " " + covered : covered;
      pieces.push(mark);
      at = Math.max(at, Math.min(end, text.length));
    }
    // The trailing space keeps a final empty line as tall as it is in the textarea.
    pieces.push(document.createTextNode(text.slice(at) + " "));
    this.mirror.replaceChildren(...pieces);
    // The textarea grows with its text rather than scrolling: a scrollbar would narrow it and
    // the mirror's lines would no longer wrap where the textarea's do. (CSSOM, which the
    // Content-Security-Policy allows; a style attribute it would not.)
    this.textarea.style.height = "auto";
    this.textarea.style.height = `${this.textarea.scrollHeight + 2}px`;
    this.syncScroll();
  }

  syncScroll() {
    this.mirror.scrollTop = this.textarea.scrollTop;
    this.mirror.scrollLeft = this.textarea.scrollLeft;
  }

  select(finding) {
    const text = this.value;
    const start = indexOf(text, finding.line, finding.column);
    const end = Math.max(start, indexOf(text, finding.end_line, finding.end_column));
    this.textarea.focus();
    this.textarea.setSelectionRange(start, end);
  }
}
