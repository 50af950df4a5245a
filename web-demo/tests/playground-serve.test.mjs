// serve.mjs compresses text and WebAssembly per Accept-Encoding (br, gzip),
// says so with Vary, and sends the same bytes once decoded.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { get } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { serve, ROOT, DEMO } from "./helpers.mjs";

let server;
before(async () => (server = await serve()));
after(async () => server?.close());

/** The raw response (no decoding), as node:http gives it. */
function raw(path, headers = {}, method = "GET") {
  return new Promise((resolve, reject) => {
    get(`${server.base}${path}`, { headers, method }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
}

const FILES = [
  ["/pkg/web/zerodown_bg.wasm", join(ROOT, "pkg", "web", "zerodown_bg.wasm"), "application/wasm"],
  ["/pkg/full/zerodown_bg.wasm", join(ROOT, "pkg", "full", "zerodown_bg.wasm"), "application/wasm"],
  ["/playground/app.js", join(DEMO, "playground", "app.js"), "text/javascript; charset=utf-8"],
  ["/playground/", join(DEMO, "playground", "index.html"), "text/html; charset=utf-8"],
];

test("br and gzip per Accept-Encoding, with Vary, for the wasm modules and the pages", async (t) => {
  for (const [path, file, type] of FILES) {
    const original = readFileSync(file);
    const br = await raw(path, { "accept-encoding": "gzip, deflate, br" });
    assert.equal(br.status, 200);
    assert.equal(br.headers["content-encoding"], "br", path);
    assert.equal(br.headers.vary, "Accept-Encoding");
    assert.equal(br.headers["content-type"], type);
    assert.equal(Number(br.headers["content-length"]), br.body.length);
    assert.ok(br.body.length < original.length * 0.6, `${path}: ${br.body.length} bytes of ${original.length}`);
    assert.ok(brotliDecompressSync(br.body).equals(original), `${path}: br decodes to the file`);

    const gz = await raw(path, { "accept-encoding": "gzip" });
    assert.equal(gz.headers["content-encoding"], "gzip", path);
    assert.equal(gz.headers.vary, "Accept-Encoding");
    assert.ok(gunzipSync(gz.body).equals(original), `${path}: gzip decodes to the file`);

    const plain = await raw(path, {});
    assert.equal(plain.headers["content-encoding"], undefined, `${path}: nothing accepted, nothing encoded`);
    assert.equal(plain.headers.vary, "Accept-Encoding");
    assert.ok(plain.body.equals(original));
    t.diagnostic(`${path}: ${original.length} bytes, br ${br.body.length}, gzip ${gz.body.length}`);
  }
});

test("q=0 refuses an encoding; HEAD sends the headers only", async () => {
  const noBr = await raw("/playground/app.js", { "accept-encoding": "br;q=0, gzip;q=0.5" });
  assert.equal(noBr.headers["content-encoding"], "gzip");
  const none = await raw("/playground/app.js", { "accept-encoding": "br;q=0, gzip;q=0" });
  assert.equal(none.headers["content-encoding"], undefined);
  const head = await raw("/pkg/web/zerodown_bg.wasm", { "accept-encoding": "br" }, "HEAD");
  assert.equal(head.headers["content-encoding"], "br");
  assert.ok(Number(head.headers["content-length"]) > 0);
  assert.equal(head.body.length, 0);
  const { pickEncoding } = await import("../serve.mjs");
  assert.equal(pickEncoding("*"), "br");
  assert.equal(pickEncoding("identity"), null);
  assert.equal(pickEncoding(undefined), null);
});
