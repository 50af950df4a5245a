// An SQL editor: a textarea over a highlight layer, with a line-number gutter.
// Marks are UTF-16 ranges of the textarea's value (the `utf16` offsets of the
// findings' spans), so they land on the exact characters whatever the script.
import { h } from "../lib/dom.js";

export class Editor {
  /** `onInput()` fires on every edit; `onMarkClick(index)` when a gutter dot is clicked. */
  constructor(root, { onInput, onMarkClick } = {}) {
    this.marks = []; // [{start, end, severity, rule, index}]
    this.selected = -1;
    this.gutter = h("div", { class: "gutter", "aria-hidden": "true" });
    this.layer = h("pre", { class: "layer", "aria-hidden": "true" });
    this.textarea = h("textarea", {
      class: "input", spellcheck: "false", autocapitalize: "off", autocomplete: "off",
      wrap: "off", "aria-label": "SQL migration",
    });
    this.scroller = h("div", { class: "code" }, this.layer, this.textarea);
    this.root = root;
    root.append(this.gutter, this.scroller);
    this.lineCount = 0;
    this.text = "";
    this.textarea.addEventListener("input", () => {
      this.shiftMarks(this.text, this.textarea.value);
      this.text = this.textarea.value;
      this.render();
      onInput?.();
    });
    this.textarea.addEventListener("scroll", () => this.syncScroll());
    this.gutter.addEventListener("click", (e) => {
      const i = e.target.closest?.("[data-mark]")?.dataset.mark;
      if (i !== undefined) onMarkClick?.(Number(i));
    });
  }

  get value() {
    return this.textarea.value;
  }

  set value(text) {
    this.textarea.value = text;
    this.text = text;
    this.marks = [];
    this.render();
  }

  setMarks(marks, selected = -1) {
    this.marks = marks;
    this.selected = selected;
    this.render();
  }

  /** Selects a range (UTF-16 offsets) and scrolls it into view. */
  reveal(start, end) {
    this.textarea.focus({ preventScroll: true });
    this.textarea.setSelectionRange(start, end);
    const line = this.text.slice(0, start).split("\n").length - 1;
    const lh = parseFloat(getComputedStyle(this.textarea).lineHeight) || 20;
    const top = line * lh;
    if (top < this.textarea.scrollTop || top > this.textarea.scrollTop + this.textarea.clientHeight - 2 * lh) {
      this.textarea.scrollTop = Math.max(0, top - this.textarea.clientHeight / 3);
    }
  }

  /** Keeps marks on their text while the linter has not caught up with an edit. */
  shiftMarks(before, after) {
    if (!this.marks.length) return;
    let p = 0;
    const max = Math.min(before.length, after.length);
    while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
    let s = 0;
    while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
    const oldEnd = before.length - s;
    const delta = after.length - before.length;
    this.marks = this.marks
      .map((m) => {
        if (m.end <= p) return m;
        if (m.start >= oldEnd) return { ...m, start: m.start + delta, end: m.end + delta };
        return { ...m, start: Math.min(m.start, p), end: m.end >= oldEnd ? m.end + delta : oldEnd + delta };
      })
      .filter((m) => m.end > m.start);
    // Marks wait for the next lint in a lighter tone.
    this.marks = this.marks.map((m) => (m.stale ? m : { ...m, stale: true }));
  }

  render() {
    const text = this.text;
    // The layer holds the same text as the textarea (transparent) with <mark>s.
    const sorted = [...this.marks].sort((a, b) => a.start - b.start || b.end - a.end);
    const frag = document.createDocumentFragment();
    let at = 0;
    for (const m of sorted) {
      const start = Math.max(m.start, at);
      const end = Math.min(m.end, text.length);
      if (end <= start) continue; // overlapping marks: the first one wins
      frag.append(text.slice(at, start));
      frag.append(h("mark", {
        class: `sev-${m.severity}${m.index === this.selected ? " selected" : ""}${m.stale ? " stale" : ""}`,
        dataset: { rule: m.rule, index: m.index },
      }, text.slice(start, end)));
      at = end;
    }
    frag.append(text.slice(at) + "\n");
    this.layer.replaceChildren(frag);

    const lines = text.split("\n").length;
    const flagged = new Map(); // line -> most severe mark
    const rank = { error: 3, warning: 2, info: 1 };
    for (const m of this.marks) {
      const line = m.line ?? text.slice(0, m.start).split("\n").length;
      const prev = flagged.get(line);
      if (!prev || rank[m.severity] > rank[prev.severity]) flagged.set(line, m);
    }
    const nums = document.createDocumentFragment();
    for (let i = 1; i <= lines; i++) {
      const m = flagged.get(i);
      nums.append(h("div", m ? { class: `ln sev-${m.severity}`, dataset: { mark: m.index }, title: m.rule } : { class: "ln" }, String(i)));
    }
    this.gutter.replaceChildren(nums);
    this.lineCount = lines;
    // On a phone the editor grows with the text (up to a limit), see style.css.
    this.root.style.setProperty("--zd-lines", String(lines));
    this.syncScroll();
  }

  syncScroll() {
    const { scrollTop, scrollLeft } = this.textarea;
    this.layer.style.transform = `translate(${-scrollLeft}px, ${-scrollTop}px)`;
    this.gutter.scrollTop = scrollTop;
  }
}
