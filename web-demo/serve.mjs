#!/usr/bin/env node
// A tiny static server for the web demo: web-demo/ at /, the built npm
// package (pkg/ at the repository root) at /pkg/. Localhost only, no logic.
// Text and WebAssembly are sent compressed (br or gzip, as the request's
// Accept-Encoding allows), with `Vary: Accept-Encoding`.
// Usage: node web-demo/serve.mjs [--port 8080]   (port 0 picks a free one)
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

const here = fileURLToPath(new URL(".", import.meta.url));
const roots = [
  ["/pkg/", join(here, "..", "pkg")],
  ["/", here],
];

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".diff": "text/plain; charset=utf-8",
  ".patch": "text/plain; charset=utf-8",
  ".sql": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
};

// What compresses: everything but images already compressed.
const compressible = new Set([".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".diff", ".patch", ".sql", ".txt", ".md"]);
const encoders = {
  // Quality 5: a fraction of the time of the maximum (11) for nearly its size.
  br: (body) => promisify(brotliCompress)(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  gzip: (body) => promisify(gzip)(body, { level: 6 }),
};

/** The encoding to send: br, then gzip, when the Accept-Encoding header allows it (q > 0). */
export function pickEncoding(header = "") {
  const accepted = new Map();
  for (const part of String(header).split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";").map((x) => x.trim());
    if (!name) continue;
    const q = params.find((p) => p.startsWith("q="));
    accepted.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  const ok = (name) => (accepted.get(name) ?? accepted.get("*") ?? 0) > 0;
  return ["br", "gzip"].find(ok) ?? null;
}

// Compressed bodies, kept until the file changes: path -> {key, encoding -> Promise<Buffer>}.
const cache = new Map();
function compressed(path, info, body, encoding) {
  const key = `${info.mtimeMs}:${info.size}`;
  let entry = cache.get(path);
  if (entry?.key !== key) cache.set(path, (entry = { key, bodies: new Map() }));
  if (!entry.bodies.has(encoding)) entry.bodies.set(encoding, encoders[encoding](body));
  return entry.bodies.get(encoding);
}

/** Maps a URL path to a file under one of the roots, or null when it escapes them. */
function resolve(urlPath) {
  for (const [prefix, dir] of roots) {
    if (!urlPath.startsWith(prefix)) continue;
    const rel = normalize(decodeURIComponent(urlPath.slice(prefix.length)));
    if (rel.startsWith("..") || rel.includes(`${sep}..`)) return null;
    return join(dir, rel);
  }
  return null;
}

/**
 * Starts the server. `route(urlPath)` may map extra paths to files (the
 * tests use it for pages that mimic merge-request URLs).
 */
export function startServer({ port = 0, host = "127.0.0.1", route = () => null } = {}) {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      let path = route(url.pathname) ?? resolve(url.pathname);
      if (!path) {
        res.writeHead(403).end("forbidden");
        return;
      }
      let info = await stat(path).catch(() => null);
      if (info?.isDirectory()) {
        if (!url.pathname.endsWith("/")) {
          res.writeHead(301, { location: `${url.pathname}/${url.search}` }).end();
          return;
        }
        path = join(path, "index.html");
        info = await stat(path).catch(() => null);
      }
      if (!info?.isFile()) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      let body = await readFile(path);
      const headers = {
        "content-type": types[extname(path)] ?? "application/octet-stream",
        "cache-control": "no-cache",
      };
      if (compressible.has(extname(path))) {
        headers.vary = "Accept-Encoding";
        const encoding = pickEncoding(req.headers["accept-encoding"]);
        if (encoding) {
          body = await compressed(path, info, body, encoding);
          headers["content-encoding"] = encoding;
        }
      }
      headers["content-length"] = String(body.length);
      res.writeHead(200, headers);
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (e) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(e));
    }
  });
  return new Promise((ok) => server.listen(port, host, () => ok(server)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const i = process.argv.indexOf("--port");
  const port = i > 0 ? Number(process.argv[i + 1]) : 8080;
  const server = await startServer({ port });
  const { port: actual } = server.address();
  console.log(`zerodown web demo: http://localhost:${actual}/playground/  (widget: /widget/)`);
}
