#!/usr/bin/env bash
# Every test of the WebAssembly build and the npm package, in order:
#   1. build pkg/ (pkg-templates/build.sh) and the native CLI (parity reference)
#   2. wasm-bindgen-test under Node, then in headless Chromium
#   3. npm pack, npm install of the tarball into an empty folder (offline)
#   4. tsc --noEmit of a TypeScript usage file against the installed package
#   5. node --test tests/node/*.test.mjs (API, CLI, parity, size budget)
# Idempotent; downloads nothing but crates and the npm dev tools pinned in
# tests/node/package.json. ZERODOWN_SKIP_BROWSER=1 skips step 2's browser run.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

step() { printf '\n== %s\n' "$*" >&2; }

step "build pkg/ and the native CLI"
pkg-templates/build.sh
cargo build --bin zerodown

step "npm tools for the tests"
# Installs when anything package.json lists is missing (npm ls fails then).
if ! (cd tests/node && npm ls --depth=0 >/dev/null 2>&1); then
  (cd tests/node && npm install --no-audit --no-fund --loglevel=error)
fi

# wasm-bindgen-test-runner ships with wasm-bindgen-cli (build.sh installed it).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
step "wasm-bindgen-test under Node"
cargo test --target wasm32-unknown-unknown --no-default-features --features node --test wasm

if [[ "${ZERODOWN_SKIP_BROWSER:-}" != 1 ]]; then
  step "wasm-bindgen-test in headless Chromium"
  # Debian's chromium and chromium-driver; the runner starts Chrome headless.
  CHROMEDRIVER=${CHROMEDRIVER:-$(command -v chromedriver || echo /usr/bin/chromedriver)} \
    cargo test --target wasm32-unknown-unknown --no-default-features --features node --test wasm_browser
fi

step "npm pack and install into an empty folder"
install_dir=$(node -e 'import("./tests/node/helpers.mjs").then(m => console.log(m.installPackage()))')
echo "installed in $install_dir" >&2

step "tsc --noEmit of the generated declarations"
mkdir -p "$install_dir/types"
cp tests/node/types/usage.ts tests/node/types/tsconfig.json "$install_dir/types/"
echo '{ "type": "module" }' >"$install_dir/types/package.json"
tests/node/node_modules/.bin/tsc -p "$install_dir/types/tsconfig.json"

step "Node tests of the installed package"
ZERODOWN_INSTALL_DIR="$install_dir" node --test tests/node/*.test.mjs

rm -rf "$install_dir"
