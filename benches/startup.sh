#!/usr/bin/env bash
# Start-up benchmark: how long `rolecall classify` takes for one pasted posting, end to end (process start,
# compiling the embedded pack, classifying, printing). Uses hyperfine when installed (apt-get install hyperfine),
# else a plain loop. Usage: benches/startup.sh [POSTING]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=./target/release/rolecall
posting=${1:-fixtures/postings/technical-product-owner.txt}
if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 3 --runs 50 "$bin classify $posting" "$bin classify --format json $posting"
else
    runs=50
    start=$(date +%s%N)
    for _ in $(seq $runs); do "$bin" classify "$posting" >/dev/null; done
    end=$(date +%s%N)
    echo "mean over $runs runs: $(( (end - start) / runs / 1000 )) µs"
fi
