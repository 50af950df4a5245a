#!/usr/bin/env bash
# Builds what the web demo needs and runs all its tests:
#   1. the npm package into pkg/ (pkg-templates/build.sh; SKIP_PKG_BUILD=1 reuses pkg/)
#   2. npm ci (playwright-core pinned in package-lock.json; the only network use)
#   3. the extension's vendor/ copy of the package and widget
#   4. node --test: unit, Node CI-script and end-to-end tests in headless
#      Chromium (/usr/bin/chromium, or $CHROMIUM)
# Idempotent: every step rebuilds its output from scratch.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")

if [[ "${SKIP_PKG_BUILD:-}" != 1 ]]; then
  "$root/pkg-templates/build.sh"
fi
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
node extension/build.mjs
node --test --test-concurrency=1 tests/
