#!/usr/bin/env bash
# Builds the npm package `zerodown` into pkg/ (git-ignored):
#   1. cargo build --lib --target wasm32-unknown-unknown --profile wasm
#      (the release profile with opt-level "z"; no `cli` feature, so no clap)
#   2. wasm-bindgen --target web (installed with `cargo install` at the exact
#      version Cargo.lock pins when missing or different)
#   3. optionally wasm-opt (WASM_OPT=/path/to/wasm-opt; off by default: it
#      does not shrink the gzip size, see BENCHMARKS.md)
#   4. pkg/ assembled from pkg-templates/, version taken from Cargo.toml.
# Usage: pkg-templates/build.sh [--dev]   (--dev: unoptimized, fast build)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

profile=wasm
if [[ "${1:-}" == "--dev" ]]; then
  profile=dev
fi
profile_dir=$profile
[[ $profile == dev ]] && profile_dir=debug

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
bindgen_version=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; print }' Cargo.lock | sed 's/^version = "\(.*\)"$/\1/')
if [[ -z "$version" || -z "$bindgen_version" ]]; then
  echo "build.sh: cannot read the versions from Cargo.toml / Cargo.lock" >&2
  exit 1
fi

if ! command -v wasm-bindgen >/dev/null || [[ "$(wasm-bindgen --version)" != "wasm-bindgen $bindgen_version" ]]; then
  echo "installing wasm-bindgen-cli $bindgen_version" >&2
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

cargo build --lib --no-default-features --target wasm32-unknown-unknown --profile "$profile"

out=pkg
rm -rf "$out"
mkdir -p "$out/web" "$out/node" "$out/bin"
wasm-bindgen --target web --remove-name-section --remove-producers-section \
  --out-dir "$out/web" --out-name zerodown \
  "target/wasm32-unknown-unknown/$profile_dir/zerodown.wasm"

if [[ -n "${WASM_OPT:-}" ]]; then
  "$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/web/zerodown_bg.wasm" -o "$out/web/zerodown_bg.wasm"
fi

# The glue's types for the raw exports are not part of the API.
rm -f "$out/web/zerodown_bg.wasm.d.ts" "$out/web/.gitignore" "$out/web/package.json"

tpl=pkg-templates
sed "s/@VERSION@/$version/" "$tpl/package.json" >"$out/package.json"
cp "$tpl/README.md" "$tpl/LICENSE" "$out/"
cp "$tpl/node/index.mjs" "$out/node/"
cp "$tpl/bin/zerodown.mjs" "$out/bin/"
chmod +x "$out/bin/zerodown.mjs"

echo "built $out/ (zerodown $version, profile $profile)" >&2
