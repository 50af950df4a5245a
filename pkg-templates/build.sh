#!/usr/bin/env bash
# Builds the npm package `zerodown` into pkg/ (git-ignored):
#   1. four cargo builds of the library for wasm32-unknown-unknown, without
#      the `cli` feature (no clap):
#      web/  the browser module: profile `wasm` (release with opt-level "z"),
#            lint, lintFiles, rules, explain, version (findings carry plans);
#      ruby/ the same exports with feature `ruby`: also reads Rails
#            migrations (`.rb`), in lint, lintFiles and lintDiff. Loaded
#            separately (by the widget only when a diff holds a `.rb`
#            migration) so that web/ stays within its size budget;
#      full/ the same with feature `full`: also plan, planFiles, formatPlan,
#            changeFromArgs, schedule, upgradePath, fleetCheck, analyzeSchema,
#            moveCheck, formatRehearsal;
#      node/ the Node module: profile `release` (opt-level 3, for throughput)
#            with LLVM's inline threshold at 60 (a module 20% smaller that
#            instantiates faster at the same throughput, see BENCHMARKS.md),
#            feature `node`: also runCli (the command line of src/cli/,
#            with clap), formatText, parseConfig and parseCalendar;
#   2. wasm-bindgen --target web for each (installed with `cargo install` at
#      the exact version Cargo.lock pins when missing or different);
#   3. wasm-opt -O3 on the Node module (binaryen 132 from npm, installed with
#      tests/node's tools when missing, or WASM_OPT=/path/to/wasm-opt): about
#      7% faster and 14% smaller. Functions with one caller are inlined only
#      up to 150 bytes (-ocimfs; binaryen's default has no limit): whole
#      parsers inlined into one function made V8 compile them all on the
#      first call, 13 -> 35 ms. Not on the browser modules: -Oz made their
#      gzip size larger (see BENCHMARKS.md);
#   4. pkg/ assembled from pkg-templates/, version taken from Cargo.toml.
# Usage: pkg-templates/build.sh [--dev]   (--dev: unoptimized, fast build)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

web_profile=wasm
node_profile=release
if [[ "${1:-}" == "--dev" ]]; then
  web_profile=dev
  node_profile=dev
fi

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
bindgen_version=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; print }' Cargo.lock | sed 's/^version = "\(.*\)"$/\1/')
if [[ -z "$version" || -z "$bindgen_version" ]]; then
  echo "build.sh: cannot read the versions from Cargo.toml / Cargo.lock" >&2
  exit 1
fi

# Debian's binaryen (wasm-opt 108) breaks wasm-bindgen 0.2.130's modules; the
# npm package's (132) does not.
wasm_opt=${WASM_OPT:-$root/tests/node/node_modules/binaryen/bin/wasm-opt}
if [[ "${1:-}" != "--dev" && ! -x "$wasm_opt" ]]; then
  echo "installing binaryen (npm) for wasm-opt" >&2
  (cd tests/node && npm install --no-audit --no-fund --loglevel=error)
fi

if ! command -v wasm-bindgen >/dev/null || [[ "$(wasm-bindgen --version)" != "wasm-bindgen $bindgen_version" ]]; then
  echo "installing wasm-bindgen-cli $bindgen_version" >&2
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

out=pkg
rm -rf "$out"
mkdir -p "$out/web" "$out/ruby" "$out/full" "$out/node" "$out/bin"

# bindgen FEATURES PROFILE DIR [RUSTFLAGS [WASM_OPT_LEVEL]]: one module, its
# glue and its declarations.
bindgen() {
  local features=$1 profile=$2 dir=$3 flags=${4:-} opt=${5:-} profile_dir=$2
  [[ $profile == dev ]] && profile_dir=debug
  local envs=()
  [[ -n $flags ]] && envs=(RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }$flags")
  env "${envs[@]}" cargo build --lib --no-default-features --features "$features" \
    --target wasm32-unknown-unknown --profile "$profile"
  wasm-bindgen --target web --remove-name-section --remove-producers-section \
    --out-dir "$out/$dir" --out-name zerodown \
    "target/wasm32-unknown-unknown/$profile_dir/zerodown.wasm"
  if [[ -n $opt && $profile != dev ]]; then
    # The features rustc enables by default for wasm32-unknown-unknown.
    # shellcheck disable=SC2086 # $opt is a list of flags
    "$wasm_opt" $opt --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
      --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
      "$out/$dir/zerodown_bg.wasm" -o "$out/$dir/zerodown_bg.wasm"
  fi
  # The raw exports' types are not part of the API.
  rm -f "$out/$dir/zerodown_bg.wasm.d.ts" "$out/$dir/.gitignore" "$out/$dir/package.json"
}

# Browser: size first (web: linting; ruby: linting with the Ruby front end;
# full: every export). Node: speed first, every export plus the CLI's.
bindgen "" "$web_profile" web
bindgen ruby "$web_profile" ruby
bindgen full "$web_profile" full
bindgen node "$node_profile" node "-C llvm-args=-inline-threshold=60" "-O3 -ocimfs 150"

tpl=pkg-templates
sed "s/@VERSION@/$version/" "$tpl/package.json" >"$out/package.json"
cp "$tpl/README.md" "$tpl/LICENSE" "$out/"
cp "$tpl/node/index.mjs" "$out/node/"
cp "$tpl/bin/zerodown.mjs" "$out/bin/"
chmod +x "$out/bin/zerodown.mjs"

echo "built $out/ (zerodown $version; web: profile $web_profile, node: profile $node_profile)" >&2
