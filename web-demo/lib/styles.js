// Styles shared by the playground and the widget, as text for constructable
// stylesheets (they work in shadow roots and under a strict style-src CSP).

export const BASE_CSS = `
:host, :root {
  --zd-ink: #1c2330; --zd-muted: #5b6576; --zd-line: #dde2ea; --zd-bg: #f6f7f9; --zd-card: #fff;
  --zd-error: #c62f3b; --zd-error-bg: #fdecee; --zd-warning: #a86300; --zd-warning-bg: #fff4dc;
  --zd-info: #2f62c6; --zd-info-bg: #e8effc; --zd-ok: #1f7a4d; --zd-ok-bg: #e4f5ec;
  --zd-accent: #5a3fc0; --zd-mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
  --zd-sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
}
.sev { display: inline-block; font: 600 11px/1 var(--zd-sans); text-transform: uppercase; letter-spacing: .04em;
  padding: 3px 6px; border-radius: 4px; }
.sev-error.sev, .pill.sev-error { color: var(--zd-error); background: var(--zd-error-bg); }
.sev-warning.sev, .pill.sev-warning { color: var(--zd-warning); background: var(--zd-warning-bg); }
.sev-info.sev, .pill.sev-info { color: var(--zd-info); background: var(--zd-info-bg); }
.pill { font: 600 12px/1 var(--zd-sans); padding: 5px 9px; border-radius: 999px; }
.pill.ok { color: var(--zd-ok); background: var(--zd-ok-bg); }
.md-code, .zd-code pre { font: 12.5px/1.5 var(--zd-mono); background: #f1f3f7; border: 1px solid var(--zd-line);
  border-radius: 6px; padding: 8px 10px; overflow-x: auto; margin: 6px 0; white-space: pre; }
.md-code { position: relative; }
.md-code[data-label]::before { content: attr(data-label); display: block; font: 600 10.5px/1.4 var(--zd-sans);
  text-transform: uppercase; letter-spacing: .05em; margin-bottom: 4px; }
.md-invalid { border-left: 3px solid var(--zd-error); } .md-invalid::before { color: var(--zd-error); }
.md-valid { border-left: 3px solid var(--zd-ok); } .md-valid::before { color: var(--zd-ok); }
code { font-family: var(--zd-mono); font-size: .92em; }
`;

export const TIMELINE_CSS = `
.zd-plan-change { color: var(--zd-muted); margin: 0 0 10px; font-size: 13px; }
.zd-timeline { list-style: none; margin: 0; padding: 0 0 4px; display: grid; grid-auto-flow: column;
  grid-auto-columns: minmax(260px, 1fr); gap: 14px; overflow-x: auto; counter-reset: rel; }
.zd-release { background: var(--zd-card); border: 1px solid var(--zd-line); border-radius: 10px; padding: 0 12px 12px;
  position: relative; min-width: 0; }
.zd-release-head { display: flex; align-items: baseline; gap: 8px; padding: 10px 0 8px; border-bottom: 1px solid var(--zd-line);
  margin-bottom: 8px; }
.zd-release-index { font: 600 11px/1 var(--zd-sans); text-transform: uppercase; letter-spacing: .05em; color: var(--zd-muted); }
.zd-release-version { font-size: 18px; color: var(--zd-accent); }
.zd-release-head time { margin-left: auto; color: var(--zd-muted); font-size: 12px; }
.zd-phase h5 { margin: 10px 0 6px; font: 600 11px/1.2 var(--zd-sans); text-transform: uppercase; letter-spacing: .05em; color: var(--zd-muted); }
.zd-step { border-left: 3px solid var(--zd-line); padding: 2px 0 4px 10px; margin-bottom: 10px; }
.zd-step[data-phase="regular"] { border-color: #3b82c4; }
.zd-step[data-phase="application"] { border-color: #8a63d2; }
.zd-step[data-phase="post-deploy"] { border-color: #d98a1c; }
.zd-step[data-phase="background"] { border-color: #2b9a74; }
.zd-step h6 { margin: 0 0 3px; font-size: 14px; }
.zd-why { margin: 0 0 6px; color: var(--zd-muted); font-size: 13px; }
.zd-requires { margin: 0 0 6px; padding-left: 18px; font-size: 12.5px; color: var(--zd-muted); }
.zd-code-head { display: flex; justify-content: space-between; align-items: center; font: 600 11px/1 var(--zd-sans);
  text-transform: uppercase; letter-spacing: .05em; color: var(--zd-muted); margin-top: 6px; }
.zd-copy { font: 500 12px/1 var(--zd-sans); padding: 4px 8px; border: 1px solid var(--zd-line); background: var(--zd-card);
  border-radius: 5px; cursor: pointer; color: var(--zd-ink); }
.zd-copy:hover { border-color: var(--zd-accent); color: var(--zd-accent); }
`;

/** Adopts the given CSS texts into a document or shadow root. */
export function adoptStyles(root, ...texts) {
  const sheets = texts.map((t) => {
    const s = new CSSStyleSheet();
    s.replaceSync(t);
    return s;
  });
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, ...sheets];
}
