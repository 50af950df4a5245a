// The Node entry: loads the Node build of the WebAssembly module (tuned for
// speed, with the CLI's runCli, formatText and parseConfig) from disk synchronously
// at import time, so every export is ready without `await init()`. The
// default export `init()` is kept (it resolves at once) so code written for
// the browser entry runs unchanged. No top-level await: `require("zerodown")`
// works where Node supports require() of ES modules (20.19+, 22.12+).
import { readFileSync } from "node:fs";
import { initSync } from "./zerodown.js";

initSync({ module: readFileSync(new URL("./zerodown_bg.wasm", import.meta.url)) });

export * from "./zerodown.js";
export { default } from "./zerodown.js";
