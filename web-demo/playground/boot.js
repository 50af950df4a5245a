// Starts the linter worker before the rest of the page's modules have loaded:
// it has the WebAssembly module to fetch and compile. Messages that arrive
// before app.js takes over are kept for it.
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
const early = [];
worker.onmessage = (event) => early.push(event);
window.zerodownBoot = { worker, early };
