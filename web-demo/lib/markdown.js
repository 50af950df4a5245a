// The small Markdown subset of rule docs (headings, paragraphs, lists, code
// fences, inline code) rendered as DOM built from text nodes.
import { h } from "./dom.js";

/** Renders `md` into a DocumentFragment. `skipTitle` drops a leading `# id`. */
export function renderMarkdown(md, { skipTitle = false } = {}) {
  const out = document.createDocumentFragment();
  const lines = md.replace(/\r\n?/g, "\n").split("\n");
  let para = [];
  let list = null;
  const flush = () => {
    if (para.length) out.append(h("p", null, inline(para.join(" "))));
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = line.match(/^```\s*(\w*)\s*(\w*)/);
    if (fence) {
      flush();
      list = null;
      const code = [];
      for (i++; i < lines.length && !lines[i].startsWith("```"); i++) code.push(lines[i]);
      const tag = fence[2]; // `invalid` / `valid`
      out.append(
        h("pre", { class: `md-code${tag ? ` md-${tag}` : ""}`, dataset: tag ? { label: tag === "invalid" ? "Causes downtime" : "Safe" } : undefined },
          h("code", null, code.join("\n"))),
      );
      continue;
    }
    const head = line.match(/^(#{1,6})\s+(.*)$/);
    if (head) {
      flush();
      list = null;
      if (skipTitle && head[1].length === 1 && out.childNodes.length === 0) continue;
      out.append(h(`h${Math.min(head[1].length + 2, 6)}`, null, inline(head[2])));
      continue;
    }
    const item = line.match(/^\s*[-*]\s+(.*)$/);
    if (item) {
      flush();
      if (!list) out.append((list = h("ul")));
      list.append(h("li", null, inline(item[1])));
      continue;
    }
    if (!line.trim()) {
      flush();
      list = null;
      continue;
    }
    if (list && /^\s+/.test(line)) {
      list.lastChild.append(" ", ...inline(line.trim()));
      continue;
    }
    list = null;
    para.push(line.trim());
  }
  flush();
  return out;
}

/** Inline code spans as <code>, everything else text. */
function inline(text) {
  return text.split(/(`[^`]+`)/).filter(Boolean).map((part) =>
    part.startsWith("`") && part.endsWith("`") ? h("code", null, part.slice(1, -1)) : document.createTextNode(part),
  );
}
