// Styles shared by the playground and the widget, as text for constructable
// stylesheets (they work in shadow roots and under a strict style-src CSP).

export const BASE_CSS = `
:host, :root {
  --zd-ink: #1c2330; --zd-muted: #5b6576; --zd-line: #dde2ea; --zd-bg: #f6f7f9; --zd-card: #fff;
  --zd-error: #c62f3b; --zd-error-bg: #fdecee; --zd-warning: #975900; --zd-warning-bg: #fff4dc;
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
/* Code in the docs wraps rather than scrolls: every part readable without a scrollbar to reach. */
.md-code { white-space: pre-wrap; overflow-wrap: anywhere; }
/* Where the keyboard is, always visible (WCAG 2.4.7). */
:is(button, summary, a, input, select, [tabindex]):focus-visible { outline: 2px solid var(--zd-accent); outline-offset: 2px; }
`;

export const TIMELINE_CSS = `
.zd-plan { --zd-regular: #3b82c4; --zd-application: #8a63d2; --zd-post-deploy: #c77a12; --zd-background: #2b9a74; }
.zd-plan-change { color: var(--zd-muted); margin: 0 0 12px; font-size: 13px; overflow-wrap: anywhere; }
.zd-plan-change code { color: var(--zd-ink); background: #f1f3f7; border-radius: 4px; padding: 2px 6px; }
.zd-timeline { list-style: none; margin: 0; padding: 0 0 6px; display: grid; grid-auto-flow: column;
  grid-auto-columns: minmax(300px, 1fr); gap: 22px; overflow-x: auto; }
.zd-release { background: var(--zd-card); border: 1px solid var(--zd-line); border-radius: 10px; padding: 0 14px 12px;
  position: relative; min-width: 0; }
.zd-release + .zd-release::before { content: "→"; position: absolute; left: -18px; top: 12px; color: #98a1b3;
  font: 700 15px/1 var(--zd-sans); }
.zd-release-head { display: flex; align-items: baseline; flex-wrap: wrap; gap: 4px 10px; padding: 11px 0 9px;
  border-bottom: 1px solid var(--zd-line); margin-bottom: 4px; }
.zd-release-index { flex-basis: 100%; font: 600 11px/1.2 var(--zd-sans); text-transform: uppercase; letter-spacing: .05em; color: var(--zd-muted); }
.zd-release-version { margin: 0; font: 700 20px/1.1 var(--zd-sans); color: var(--zd-accent); }
.zd-release-head time { margin-left: auto; color: var(--zd-muted); font-size: 12px; }
.zd-phase h4 { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; margin: 12px 0 6px;
  font: 600 11.5px/1.2 var(--zd-sans); text-transform: uppercase; letter-spacing: .05em; color: var(--zd-ink); }
.zd-when { font-weight: 400; text-transform: none; letter-spacing: 0; color: var(--zd-muted); }
.zd-dot { width: 9px; height: 9px; border-radius: 50%; background: var(--zd-line); flex: none; }
.zd-phase-regular .zd-dot { background: var(--zd-regular); }
.zd-phase-application .zd-dot { background: var(--zd-application); }
.zd-phase-post-deploy .zd-dot { background: var(--zd-post-deploy); }
.zd-phase-background .zd-dot { background: var(--zd-background); }
.zd-step { border-left: 3px solid var(--zd-line); padding: 2px 0 2px 11px; margin: 0 0 12px 3px; }
.zd-step[data-phase="regular"] { border-color: var(--zd-regular); }
.zd-step[data-phase="application"] { border-color: var(--zd-application); }
.zd-step[data-phase="post-deploy"] { border-color: var(--zd-post-deploy); }
.zd-step[data-phase="background"] { border-color: var(--zd-background); }
.zd-step h5 { margin: 0 0 4px; font: 600 14px/1.35 var(--zd-sans); }
.zd-tags { display: flex; flex-wrap: wrap; gap: 5px; margin: 0 0 5px; }
.zd-tag { font: 500 11.5px/1 var(--zd-sans); padding: 3px 6px; border-radius: 4px; background: #f1f3f7; color: var(--zd-muted); }
code.zd-tag { font-family: var(--zd-mono); }
.zd-outside { background: var(--zd-warning-bg); color: var(--zd-warning); }
.zd-why { margin: 0 0 6px; color: var(--zd-muted); font-size: 13px; line-height: 1.45; }
.zd-requires { font-size: 12.5px; color: var(--zd-muted); margin: 0 0 6px; }
.zd-requires > span { font: 600 11px/1 var(--zd-sans); text-transform: uppercase; letter-spacing: .05em; }
.zd-requires ul { margin: 3px 0 0; padding-left: 18px; }
.zd-code { margin-top: 8px; }
.zd-code-head { display: flex; justify-content: space-between; align-items: center; font: 600 11px/1 var(--zd-sans);
  text-transform: uppercase; letter-spacing: .05em; color: var(--zd-muted); }
.zd-code pre { margin: 4px 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.zd-code-down pre { background: #fbf6f6; }
.zd-prose { margin: 4px 0 0; padding: 8px 10px; font-size: 13px; line-height: 1.45; background: #f7f4fd; border: 1px solid #e4dcf6;
  border-radius: 6px; }
.zd-copy { font: 500 12px/1 var(--zd-sans); padding: 4px 8px; border: 1px solid var(--zd-line); background: var(--zd-card);
  border-radius: 5px; cursor: pointer; color: var(--zd-ink); text-transform: none; letter-spacing: 0; }
.zd-copy:hover { border-color: var(--zd-accent); color: var(--zd-accent); }
.zd-overview { margin: 0 0 14px; padding: 8px 10px; border: 1px solid var(--zd-line); border-radius: 8px; background: #fafbfc; }
.zd-ov-releases, .zd-ov-steps { list-style: none; margin: 0; padding: 0; }
.zd-ov-releases { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 4px 16px; }
.zd-ov-release { display: flex; flex-direction: column; gap: 2px; min-width: 0; }
.zd-ov-version { font: 700 13px/1.6 var(--zd-sans); color: var(--zd-accent); }
.zd-ov-step { display: flex; gap: 6px; align-items: baseline; width: 100%; text-align: left; padding: 3px 6px 3px 8px; margin: 0;
  border: 0; border-left: 3px solid var(--zd-line); border-radius: 0 4px 4px 0; background: none; cursor: pointer;
  font: 13px/1.35 var(--zd-sans); color: var(--zd-ink); }
.zd-ov-step:hover { background: #f1eefb; }
.zd-ov-step[data-phase="regular"] { border-left-color: var(--zd-regular); }
.zd-ov-step[data-phase="application"] { border-left-color: var(--zd-application); }
.zd-ov-step[data-phase="post-deploy"] { border-left-color: var(--zd-post-deploy); }
.zd-ov-step[data-phase="background"] { border-left-color: var(--zd-background); }
.zd-ov-n { color: var(--zd-muted); flex: none; }
.zd-ov-phase { flex: none; font: 600 11px/1.2 var(--zd-sans); text-transform: uppercase; letter-spacing: .04em; color: var(--zd-muted); }
.zd-ov-title { min-width: 0; overflow-wrap: anywhere; }
.zd-step:focus { outline: 2px solid var(--zd-accent); outline-offset: 3px; }
@media (max-width: 720px) {
  .zd-ov-step { flex-wrap: wrap; }
  .zd-timeline { grid-auto-flow: row; grid-auto-columns: auto; gap: 26px; overflow-x: visible; }
  .zd-release + .zd-release::before { content: "↓"; left: 50%; top: -22px; }
}
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
