#!/usr/bin/env bash
# Cost benchmark: what `batch -j 1` and `drift -j 1` cost per MB of input, counted by cachegrind: instructions,
# L1 data-cache misses and L2 misses, with the simulated caches sized as this project's reference machine (32 KB
# L1d, 512 KB L2 per core, both 8-way).
#
# Why: on a shared VM, one run's time swings by 5-10 %, and even medians of 16 interleaved rounds by about 2 %,
# so a change worth 1-2 % cannot be told from noise by timing it. These counts repeat within 0.1 %. They are
# not time (a miss costs more than an instruction, and the core overlaps some of both), so compare two builds
# with them, and confirm a change that matters with `cargo bench --bench batch`.
#
# Usage: benches/cost.sh CSV [BASELINE_BINARY]
#   CSV: postings, e.g. the corpus `ROLECALL_BENCH_MB=20 cargo bench --bench batch` leaves in
#        target/bench-corpus.csv (cachegrind reads about 1 MB a second: keep it to tens of MB)
#   BASELINE_BINARY: an older rolecall, counted on the same input; the table then shows this build / baseline
# Needs valgrind (apt-get install valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: benches/cost.sh CSV [BASELINE_BINARY]" >&2
    exit 2
fi
csv=$1
base=${2:-}
command -v valgrind >/dev/null || { echo "cost.sh: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
[ -r "$csv" ] || { echo "cost.sh: cannot read $csv" >&2; exit 2; }
[ -z "$base" ] || [ -x "$base" ] || { echo "cost.sh: $base is not an executable" >&2; exit 2; }
cargo build --release --quiet
bins=(target/release/rolecall)
[ -n "$base" ] && bins+=("$base")
mb=$(awk -v b="$(stat -c %s "$csv")" 'BEGIN { printf "%.3f", b / 1e6 }')
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The summary line of a cachegrind file, as "Ir D1-misses L2-misses" (reads and writes together).
counts() {
    awk '/^events:/ { for (i = 2; i <= NF; i++) col[$i] = i }
         /^summary:/ { print $col["Ir"], $col["D1mr"] + $col["D1mw"], $col["DLmr"] + $col["DLmw"] }' "$1"
}

echo "input: $csv ($mb MB); per MB of input: instructions, L1d misses, L2 misses (millions)"
printf '%-6s %-10s %12s %12s %12s\n' command build "Ir/MB" "L1d miss/MB" "L2 miss/MB"
for cmd in batch drift; do
    for i in "${!bins[@]}"; do
        file="$out/$cmd.$i"
        valgrind --tool=cachegrind --cache-sim=yes --D1=32768,8,64 --LL=524288,8,64 \
            --cachegrind-out-file="$file" "${bins[$i]}" "$cmd" -j 1 -q "$csv" >/dev/null 2>"$file.log" ||
            { echo "cost.sh: ${bins[$i]} $cmd failed:" >&2; tail -5 "$file.log" >&2; exit 1; }
        read -r ir d1 l2 < <(counts "$file")
        echo "$cmd $i $ir $d1 $l2" >> "$out/all"
        name=$([ "$i" = 0 ] && echo this || echo baseline)
        awk -v c="$cmd" -v n="$name" -v mb="$mb" -v ir="$ir" -v d1="$d1" -v l2="$l2" \
            'BEGIN { printf "%-6s %-10s %12.2f %12.3f %12.3f\n", c, n, ir / mb / 1e6, d1 / mb / 1e6, l2 / mb / 1e6 }'
    done
    if [ -n "$base" ]; then
        awk -v c="$cmd" '$1 == c { ir[$2] = $3; d1[$2] = $4; l2[$2] = $5 }
            END { printf "%-6s %-10s %11.3fx %11.3fx %11.3fx\n", c, "this/base", ir[0] / ir[1], d1[0] / d1[1], l2[0] / l2[1] }' \
            "$out/all"
    fi
done
