// An SQL editor: a textarea over a highlight layer, with a line-number gutter.
// Marks are UTF-16 ranges of the textarea's value (the `utf16` offsets of the
// findings' spans), so they land on the exact characters whatever the script.
//
// Rendering is incremental, so typing stays fast in a long migration: the
// layer and the gutter hold only the lines in sight (and a few around them),
// one block per line, placed where the textarea shows them. An edit or a
// scroll redraws only the blocks whose text or marks changed. A mark's line
// comes from the finding (`line`, 1-based, the span's `start.line`); its
// columns are its UTF-16 offsets less the offset where that line starts.
import { h } from "../lib/dom.js";

const RANK = { error: 3, warning: 2, info: 1 };
const OVERSCAN = 8; // lines drawn above and below the ones in sight

/** Offsets (UTF-16) where each line of `text` starts. */
function lineStarts(text) {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** The 0-based line holding offset `at` (binary search over `starts`). */
function lineAt(starts, at) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * What an edit changed: [p, oldEnd) of `before` became [p, newEnd) of
 * `after`. `caret` (where the caret is after the edit) is where an edit by
 * typing ends: checked with two native string comparisons, then the
 * character-by-character scan only when the guess is wrong (a paste over a
 * selection, an undo elsewhere).
 */
function changedRange(before, after, caret) {
  const s = after.length - caret; // unchanged text after the caret
  const oldEnd = before.length - s;
  if (s >= 0 && oldEnd >= 0) {
    const p = Math.min(caret, oldEnd);
    if (after.endsWith(before.slice(oldEnd)) && before.startsWith(after.slice(0, p))) {
      // Widen to the true common prefix and suffix? Not needed: any range
      // holding the edit is right, and this one is the edit itself.
      return [p, oldEnd, caret];
    }
  }
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let t = 0;
  while (t < max - p && before.charCodeAt(before.length - 1 - t) === after.charCodeAt(after.length - 1 - t)) t++;
  return [p, before.length - t, after.length - t];
}

export class Editor {
  /** `onInput()` fires on every edit; `onMarkClick(index)` when a gutter dot is clicked. */
  constructor(root, { onInput, onMarkClick } = {}) {
    this.marks = []; // [{start, end, line, severity, rule, index, stale?}], sorted, line 0-based
    this.selected = -1;
    this.rows = h("div", { class: "rows" });
    this.gutter = h("div", { class: "gutter", "aria-hidden": "true" }, this.rows);
    this.layer = h("div", { class: "layer", "aria-hidden": "true" });
    this.textarea = h("textarea", {
      class: "input", spellcheck: "false", autocapitalize: "off", autocomplete: "off",
      wrap: "off", "aria-label": "SQL migration",
    });
    this.scroller = h("div", { class: "code" }, this.layer, this.textarea);
    this.root = root;
    root.append(this.gutter, this.scroller);
    this.text = "";
    this.starts = [0];
    this.drawn = new Map(); // line -> {key, block, row}: what is on screen
    this.view = null; // {top, left, height, lh}: the textarea's scroll position and size
    this.linesShown = -1;
    this.onInput = onInput;
    this.textarea.addEventListener("input", () => this.edited());
    this.textarea.addEventListener("scroll", () => this.syncScroll());
    window.addEventListener("resize", () => this.syncScroll());
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
    this.starts = lineStarts(text);
    this.marks = [];
    this.syncScroll();
  }

  /**
   * Marks: [{start, end, line, severity, rule, index}], `start` and `end`
   * UTF-16 offsets, `line` the 1-based line of `start` (from the finding).
   */
  setMarks(marks, selected = -1) {
    this.marks = marks
      .map((m) => ({ ...m, line: this.checkedLine(m.start, (m.line ?? 0) - 1) }))
      .sort((a, b) => a.start - b.start || b.end - a.end);
    this.selected = selected;
    this.render();
  }

  /** Only the selected mark changes. */
  select(selected) {
    this.selected = selected;
    this.render();
  }

  /** `line` when offset `at` is on it, else the line found from the offset. */
  checkedLine(at, line) {
    const { starts } = this;
    if (line >= 0 && line < starts.length && starts[line] <= at && (line + 1 === starts.length || at < starts[line + 1])) return line;
    return lineAt(starts, at);
  }

  /** Selects a range (UTF-16 offsets) and scrolls it into view. */
  reveal(start, end) {
    this.textarea.focus({ preventScroll: true });
    this.textarea.setSelectionRange(start, end);
    const line = lineAt(this.starts, start);
    const lh = this.metrics().lh;
    const top = line * lh;
    if (top < this.textarea.scrollTop || top > this.textarea.scrollTop + this.textarea.clientHeight - 2 * lh) {
      this.textarea.scrollTop = Math.max(0, top - this.textarea.clientHeight / 3);
    }
    this.syncScroll();
  }

  /**
   * Replaces [start, end) (UTF-16 offsets) with `text` as the reader's own
   * edit would: one step of the textarea's undo history (execCommand keeps
   * it there; setting the value or setRangeText does not). Where the browser
   * does not take the command, the text is set directly. Leaves the caret
   * after the new text, and fires `onInput` as an edit does.
   */
  replace(start, end, text) {
    if (start === end && !text) return;
    const area = this.textarea;
    const before = area.value;
    const expected = before.slice(0, start) + text + before.slice(end);
    area.focus({ preventScroll: true });
    area.setSelectionRange(start, end);
    try {
      document.execCommand(text ? "insertText" : "delete", false, text); // fires "input": edited()
    } catch {
      // not supported: set below
    }
    if (area.value !== expected) {
      area.value = expected;
      area.setSelectionRange(start + text.length, start + text.length);
      this.edited();
    }
    this.reveal(start + text.length, start + text.length);
  }

  /** An edit in the textarea: move the marks after it, redraw the lines in sight that changed. */
  edited() {
    const before = this.text;
    const after = this.textarea.value;
    const oldStarts = this.starts;
    const [p, oldEnd, newEnd] = changedRange(before, after, this.textarea.selectionEnd);
    this.text = after;
    this.starts = lineStarts(after);
    this.shiftMarks(p, oldEnd, newEnd, lineAt(this.starts, newEnd) - lineAt(oldStarts, oldEnd));
    this.render();
    this.onInput?.();
  }

  /**
   * Keeps marks on their text while the linter has not caught up with an
   * edit of [p, oldEnd) into [p, newEnd) that added `lineDelta` lines.
   */
  shiftMarks(p, oldEnd, newEnd, lineDelta) {
    if (!this.marks.length) return;
    const delta = newEnd - oldEnd;
    this.marks = this.marks
      .map((m) => {
        let moved;
        if (m.end <= p) moved = m.stale ? m : { ...m };
        else if (m.start >= oldEnd) moved = { ...m, start: m.start + delta, end: m.end + delta, line: m.line + lineDelta };
        else {
          const start = Math.min(m.start, p);
          moved = { ...m, start, end: m.end >= oldEnd ? m.end + delta : newEnd, line: lineAt(this.starts, start) };
        }
        // Marks wait for the next lint in a lighter tone.
        moved.stale = true;
        return moved;
      })
      .filter((m) => m.end > m.start);
  }

  /** The line height and the textarea's scroll position and size (read once per scroll or resize). */
  metrics(fresh = false) {
    if (!this.view || fresh) {
      const lh = parseFloat(getComputedStyle(this.textarea).lineHeight) || 20;
      const { scrollTop, scrollLeft, clientHeight } = this.textarea;
      this.view = { top: scrollTop, left: scrollLeft, height: clientHeight || 440, lh };
    }
    return this.view;
  }

  render() {
    const { text, starts } = this;
    const lines = starts.length;
    const { top, height, lh } = this.metrics();
    const first = Math.max(0, Math.floor(top / lh) - OVERSCAN);
    const last = Math.min(lines, Math.ceil((top + height) / lh) + OVERSCAN); // exclusive
    const end = (l) => (l + 1 < lines ? starts[l + 1] - 1 : text.length); // end of line l, before its "\n"

    // The pieces of marks on the lines drawn, in order: [from, to, mark]
    // (columns in UTF-16), and each line's most severe mark (its gutter flag).
    const pieces = new Map();
    const flagged = new Map();
    let at = 0;
    for (const m of this.marks) {
      const start = Math.max(m.start, at);
      const stop = Math.min(m.end, text.length);
      if (stop <= start) continue; // overlapping marks: the first one wins
      at = stop;
      if (m.line >= first && m.line < last) {
        const prev = flagged.get(m.line);
        if (!prev || RANK[m.severity] > RANK[prev.severity]) flagged.set(m.line, m);
      }
      if (stop <= starts[first] || (last < lines && start >= starts[last])) continue;
      for (let l = Math.max(first, start === m.start ? m.line : lineAt(starts, start)); l < last && starts[l] < stop; l++) {
        const from = Math.max(start, starts[l]) - starts[l];
        const to = Math.min(stop, end(l)) - starts[l];
        if (to <= from) continue;
        if (!pieces.has(l)) pieces.set(l, []);
        pieces.get(l).push([from, to, m]);
      }
    }

    const drawn = new Map();
    const blocks = [];
    const rows = [];
    for (let l = first; l < last; l++) {
      const line = text.slice(starts[l], end(l));
      const marks = pieces.get(l) ?? [];
      const flag = flagged.get(l);
      const blockKey = `${line}\u0000${marks.map(([a, b, m]) =>
        `${a},${b},${m.severity},${m.rule},${m.index},${m.index === this.selected},${Boolean(m.stale)}`).join(";")}`;
      const rowKey = flag ? `${flag.severity},${flag.index},${flag.rule}` : "";
      const old = this.drawn.get(l);
      const entry = {
        blockKey, rowKey,
        block: old?.blockKey === blockKey ? old.block : drawLine(l, line, marks, this.selected),
        row: old?.rowKey === rowKey ? old.row : drawRow(l, flag),
      };
      drawn.set(l, entry);
      blocks.push(entry.block);
      rows.push(entry.row);
    }
    reconcile(this.layer, blocks);
    reconcile(this.rows, rows);
    this.drawn = drawn;
    this.drawnFirst = first;
    this.place();
    // On a phone the editor grows with the text, up to a limit (style.css):
    // past 20 lines the height no longer changes, so neither does the property.
    const shown = Math.min(lines, 20);
    if (shown !== this.linesShown) {
      this.linesShown = shown;
      this.root.style.setProperty("--zd-lines", String(shown));
    }
  }

  /** Puts the drawn lines where the textarea shows them. */
  place() {
    const { top, left, lh } = this.metrics();
    const y = (this.drawnFirst ?? 0) * lh - top;
    this.layer.style.transform = `translate(${-left}px, ${y}px)`;
    this.rows.style.transform = `translateY(${y}px)`;
  }

  /** Reads the textarea's scroll position (on scroll, resize, new text) and draws the lines now in sight. */
  syncScroll() {
    this.metrics(true);
    this.render();
  }
}

/** Makes `parent`'s children `nodes` (in order) moving as few as it can: the ones kept stay. */
function reconcile(parent, nodes) {
  const keep = new Set(nodes);
  for (const child of [...parent.children]) if (!keep.has(child)) child.remove();
  let at = parent.firstChild;
  for (const node of nodes) {
    if (at === node) at = at.nextSibling;
    else parent.insertBefore(node, at);
  }
}

/** A line's block: its text, with <mark>s for the pieces of marks on it. */
function drawLine(l, line, pieces, selected) {
  const parts = [];
  let at = 0;
  for (const [from, to, m] of pieces) {
    if (from > at) parts.push(line.slice(at, from));
    parts.push(h("mark", {
      class: `sev-${m.severity}${m.index === selected ? " selected" : ""}${m.stale ? " stale" : ""}`,
      dataset: { rule: m.rule, index: m.index },
    }, line.slice(from, to)));
    at = to;
  }
  if (at < line.length) parts.push(line.slice(at));
  if (!line.length) parts.push(h("br"));
  return h("div", { class: "l", dataset: { line: l + 1 } }, parts);
}

/** A gutter row: the line number, flagged with the line's most severe mark. */
function drawRow(l, m) {
  return h("div", m ? { class: `ln sev-${m.severity}`, dataset: { mark: m.index, line: l + 1 }, title: m.rule } : { class: "ln", dataset: { line: l + 1 } },
    String(l + 1));
}
