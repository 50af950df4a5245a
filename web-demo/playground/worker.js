// Lints off the main thread so typing never waits for the linter.
// Protocol: {id, type: "lint", sql, options, path} | {id, type: "plan", change, options}
//        -> {id, ok: true, result} | {id, ok: false, error: {message, code}}
// On start it posts {type: "ready", version, hasPlan, rules}.
import init, * as zerodown from "../pkg/full/zerodown.js";

const ready = init({ module_or_path: new URL("../pkg/full/zerodown_bg.wasm", import.meta.url) }).then(() => {
  postMessage({
    type: "ready",
    version: zerodown.version(),
    hasPlan: typeof zerodown.plan === "function",
    rules: zerodown.rules(),
  });
}, (e) => postMessage({ type: "failed", error: { message: String(e?.message ?? e) } }));

onmessage = async ({ data }) => {
  await ready;
  try {
    let result;
    if (data.type === "lint") result = zerodown.lint(data.sql, data.options, data.path ?? null);
    else if (data.type === "plan") result = zerodown.plan(data.change, data.options);
    else throw new Error(`unknown request ${data.type}`);
    postMessage({ id: data.id, ok: true, result });
  } catch (e) {
    postMessage({ id: data.id, ok: false, error: { message: String(e?.message ?? e), code: e?.code } });
  }
};
