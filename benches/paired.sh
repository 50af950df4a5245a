#!/usr/bin/env bash
# Paired run against squawk (BENCHMARKS.md, "Both cores and bounded memory"):
# the bench corpus (2,545 generated files, 10.0 MB) written to a folder, then
# each command RUNS times in turn (squawk, zerodown --jobs 1, zerodown with
# the default jobs, npx zerodown when pkg/ is built), printing each run's wall
# time, user and system CPU and peak memory (GNU time), then the medians.
#
#   pip install squawk-cli==2.70.0     # the peer, a prebuilt binary
#   cargo build --release              # target/release/zerodown
#   benches/paired.sh [RUNS] [FORMAT]  # default 5 runs, json
#
# SCALE=4 copies the corpus four times (40 MB), to see how memory grows.
# KEEP=DIR leaves the corpus folder in DIR (for other measurements by hand);
# CORPUS=DIR measures such a folder again instead of generating the corpus.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-5}
format=${2:-json}
scale=${SCALE:-1}
work=$(mktemp -d)
trap 'if [[ -n "${KEEP:-}" ]]; then rm -rf "$KEEP" && mv "$work/corpus" "$KEEP"; fi; rm -rf "$work"' EXIT

if [[ -n "${CORPUS:-}" ]]; then
  # A corpus folder kept by an earlier run (KEEP=DIR): measured as it is.
  cp -r "$CORPUS" "$work/corpus"
else
# `--only none`: write the corpus, measure nothing.
cargo bench --manifest-path "$root/Cargo.toml" --bench lint -- --only none --write "$work/corpus.json" >/dev/null
node -e '
  const fs = require("fs"), path = require("path");
  const [file, dir, scale] = process.argv.slice(1);
  const files = JSON.parse(fs.readFileSync(file, "utf8"));
  for (let c = 0; c < Number(scale); c++) {
    for (const f of files) {
      const p = path.join(dir, String(c), f.path);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, f.sql);
    }
  }' "$work/corpus.json" "$work/corpus" "$scale"
fi
sql=$(find "$work/corpus" -name '*.sql' | sort)
echo "corpus: $(echo "$sql" | wc -l) files, $(cat $sql | wc -c) bytes; format $format; $runs runs each" >&2

zd="$root/target/release/zerodown"
declare -A cmds=(
  [squawk]="squawk --reporter json $sql"
  [zerodown-jobs1]="$zd lint --format $format --jobs 1 $work/corpus"
  [zerodown]="$zd lint --format $format $work/corpus"
)
order=(squawk zerodown-jobs1 zerodown)
if [[ -f "$root/pkg/bin/zerodown.mjs" ]]; then
  cmds[npx-zerodown]="node $root/pkg/bin/zerodown.mjs lint --format $format $work/corpus"
  order+=(npx-zerodown)
fi
command -v squawk >/dev/null || { echo "squawk is not installed: pip install squawk-cli==2.70.0" >&2; exit 1; }

for name in "${order[@]}"; do : >"$work/$name.times"; done
for ((r = 1; r <= runs; r++)); do
  for name in "${order[@]}"; do
    # shellcheck disable=SC2086 # the command is a word list
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" ${cmds[$name]} >/dev/null 2>"$work/err" || true
    # GNU time puts "Command exited with non-zero status 1" (findings) first.
    tail -n 1 "$work/t" >>"$work/$name.times"
    echo "run $r $name: $(tail -n 1 "$work/t") (wall s, user s, sys s, peak KB)" >&2
  done
done
printf '\n%-16s %10s %8s %8s %12s\n' command "wall (s)" user sys "peak (MB)"
for name in "${order[@]}"; do
  sort -n "$work/$name.times" | awk -v n="$name" '{w[NR]=$1; u[NR]=$2; s[NR]=$3; m[NR]=$4}
    END { i = int((NR + 1) / 2); printf "%-16s %10.2f %8.2f %8.2f %12.1f\n", n, w[i], u[i], s[i], m[i] / 1024 }'
done
