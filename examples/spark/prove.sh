#!/usr/bin/env bash
# Proves the Spark job on this machine: Spark in local mode with 2 executor threads classifies the development
# postings (../shared/data/postings-dev.csv when present, else a corpus made from our fixtures) both ways (the
# Python package in mapInPandas, and `rolecall batch` through RDD.pipe), and checks each against `rolecall batch`
# on the same input: the same ids and roles row for row, every input record exactly once. Prints records/s.
# Installs what it needs when missing: Debian's openjdk-17-jre-headless, PyPI's pyspark and pyarrow, the wheel.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if ! command -v java >/dev/null 2>&1; then
    apt-get install -y -q openjdk-17-jre-headless >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null && apt-get install -y -q openjdk-17-jre-headless >/dev/null; }
fi
python3 -c "import pyspark, pyarrow, pandas" 2>/dev/null || python3 -m pip install --quiet pyspark pyarrow pandas
python3 -c "import maturin" 2>/dev/null || command -v maturin >/dev/null || python3 -m pip install --quiet "maturin>=1.5,<2"
cargo build --release --quiet
maturin build --release --quiet -m python/Cargo.toml -o "$work/wheels" >/dev/null 2>&1
python3 -m pip install --quiet --no-deps --target "$work/pylib" "$work"/wheels/*.whl 2>/dev/null
export PYTHONPATH="$work/pylib${PYTHONPATH:+:$PYTHONPATH}"
bin=$root/target/release/rolecall

data=$root/../shared/data/postings-dev.csv
if [ ! -f "$data" ]; then
    data=$work/postings.csv
    python3 - "$data" <<'PY'
import csv, pathlib, random, sys
root = pathlib.Path.cwd()
ads = [(p.stem, p.read_text()) for d in ("fixtures/bench", "fixtures/postings") for p in sorted((root / d).glob("*.txt"))]
rng = random.Random(7)
with open(sys.argv[1], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "title", "description"])
    for i in range(3000):
        name, text = rng.choice(ads)
        w.writerow([f"p{i}", text.splitlines()[0][:80], text if i % 500 else ""])
PY
fi
echo "data: $data"
"$bin" batch "$data" --id-col id --text-col description --title-col title --format jsonl -q \
    -o "$work/ref.jsonl" --errors "$work/ref-errors.csv" || true

for mode in pandas pipe; do
    start=$(date +%s.%N)
    python3 "$here/classify_postings.py" --input "$data" --output "$work/out-$mode" --mode "$mode" \
        --master "local[2]" --partitions 4 --binary "$bin" 2>"$work/spark-$mode.log" || { cat "$work/spark-$mode.log"; exit 1; }
    secs=$(echo "$(date +%s.%N) - $start" | bc)
    python3 - "$data" "$work/ref.jsonl" "$work/out-$mode" "$mode" "$secs" <<'PY'
import csv, json, sys
import pandas as pd
csv.field_size_limit(10**9)
data, ref, out, mode, secs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
ids = [r["id"] for r in csv.DictReader(open(data, newline=""))]
want = {}
for line in open(ref):
    d = json.loads(line)
    want[str(d["source"])] = d["role"]
got = pd.read_parquet(out)
assert got["id"].is_unique, f"{mode}: an id appears twice"
assert sorted(got["id"]) == sorted(ids), f"{mode}: {len(got)} rows for {len(ids)} input records"
roles = dict(zip(got["id"], got["role"]))
errors = dict(zip(got["id"], got["error"]))
bad = [i for i in ids if i in want and roles[i] != want[i]]
assert not bad, f"{mode}: {len(bad)} roles differ from rolecall batch, e.g. {bad[:5]}"
missing = [i for i in ids if i not in want]
assert all(isinstance(errors[i], str) and errors[i] for i in missing), f"{mode}: an unclassified record has no error"
print(f"spark {mode:6}: {len(ids)} records, each once; roles equal to rolecall batch on {len(want)}, "
      f"{len(missing)} error rows; {len(ids) / secs:.0f} records/s end to end ({secs:.1f} s with Spark's start)")
PY
done
