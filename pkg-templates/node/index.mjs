// The Node entry: loads the WebAssembly module from disk synchronously at
// import time, so every export is ready without `await init()`. The default
// export `init()` is kept (it resolves at once) so code written for the
// browser entry runs unchanged. No top-level await: `require("zerodown")`
// works where Node supports require() of ES modules (20.19+, 22.12+).
import { readFileSync } from "node:fs";
import { initSync } from "../web/zerodown.js";

initSync({ module: readFileSync(new URL("../web/zerodown_bg.wasm", import.meta.url)) });

export * from "../web/zerodown.js";
export { default } from "../web/zerodown.js";
