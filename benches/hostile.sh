#!/usr/bin/env bash
# Hostile inputs at full size on the release binary: what each gives, how long it takes, and peak memory.
# Usage: benches/hostile.sh   (needs python3 and /usr/bin/time; writes its inputs to target/hostile/)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/rolecall
dir=target/hostile
mkdir -p "$dir"
python3 - "$dir" <<'PY'
import sys, os, json
d = sys.argv[1]
po = "You will own the product backlog, write user stories with acceptance criteria and run backlog refinement. "
def w(name, data, mode="w"):
    with open(os.path.join(d, name), mode) as f: f.write(data)
big = (po * (50_000_000 // len(po)))
w("field-50mb.csv", "id,description\n1,\"" + po + "\"\n2,\"" + big + "\"\n3,\"" + po + "\"\n")
w("posting-50mb.txt", big)
w("million-lines.txt", po + "- ok\n" * 1_000_000)
w("nul.txt", (po + "\0" * 50) * 100_000)
# Every few words a role's name with someone-else cues on both sides; every line a "Benefits:" field.
w("names-everywhere.txt", "The Product Owner reports to you and works with the Scrum Master in your team. " * 200_000)
w("field-lines.txt", "Benefits: health cover and a pension\nYou will own the product backlog.\n" * 200_000)
w("invalid-utf8.csv", b"id,description\n1,\"" + po.encode() + b"\xff\xfe\xc3\x28\"\n2,\"" + po.encode() + b"\"\n", "wb")
w("zero-width-rtl-emoji.txt", (po.replace(" ", " \u200b") + "\u202e\u05d0\u05d1 \u0627\u0644 \U0001F680\U0001F469\u200d\U0001F4BB ") * 60_000)
w("html-scripts.txt", ("<div><script>alert('x')</script><p onclick=\"y\">" + po + "</p><style>p{}</style></div>") * 50_000)
w("unterminated-quote.csv", "id,description\n" + "".join(f"{i},\"{po}\"\n" for i in range(100_000)) + "100000,\"" + po * 1000)
w("line-200mb.jsonl", "{\"id\": 1, \"text\": \"" + "x " * 100_000_000 + "\"}\n{\"id\": 2, \"text\": \"" + po + "\"}\n")
head = 'id = "x-role"\nname = "X"\nfamily = "f"\nsummary = "s"\n'
w("pack-deep.toml", head + "areas = " + "[" * 100_000 + "]" * 100_000 + "\n")
w("pack-regex.toml", head + "[[areas]]\nid = \"a\"\nname = \"A\"\nweight = 1.0\npatterns = ['own[a-z]{1,1000}{1,1000}{1,1000}']\n")
with open(os.path.join(d, "pack-100k.toml"), "w") as f:
    f.write(head + "names = [\"x role\"]\n[[areas]]\nid = \"a\"\nname = \"A\"\nweight = 1.0\nphrases = [\n")
    for i in range(100_000): f.write(f'  "phrase number {i} of many",\n')
    f.write("]\n[[examples]]\nexpect = \"x-role\"\ntext = \"As our x role you do phrase number 7 of many and phrase number 9 of many\"\n")
PY
printf '%-28s %-6s %9s %10s  %s\n' case exit seconds "peak MiB" outcome
run() {
  local name=$1; shift
  local t0; t0=$(date +%s.%N)
  set +e
  /usr/bin/time -f '%M' -o "$dir/rss" "$@" > "$dir/out" 2> "$dir/err"
  local code=$?
  set -e
  local t1; t1=$(date +%s.%N)
  local rss; rss=$(tail -1 "$dir/rss")
  local what
  # A batch summary, a diagnostic or a lint total; for `classify --format csv`, the role of its one row.
  what=$(cat "$dir/err" "$dir/out" | grep -m1 -E 'read [0-9]|error\[|: [0-9]+ errors?,' | sed 's/^rolecall: //' | cut -c1-100 || true)
  if [ -z "$what" ]; then what=$(sed -n 2p "$dir/out" | cut -d, -f2); fi
  printf '%-28s %-6s %9.2f %10.1f  %s\n' "$name" "$code" "$(echo "$t1 - $t0" | bc)" "$(echo "$rss / 1024" | bc -l)" "$what"
}
run "50 MB field (default limit)" $bin batch "$dir/field-50mb.csv" -o "$dir/rows.csv"
run "50 MB field (limit 64 MB)"   $bin batch "$dir/field-50mb.csv" --max-field-bytes 64000000 -o "$dir/rows.csv"
run "50 MB posting (classify)"    $bin classify "$dir/posting-50mb.txt" --format csv
run "a million short lines"       $bin classify "$dir/million-lines.txt" --format csv
run "NUL bytes (15 MB)"           $bin classify "$dir/nul.txt" --format csv
run "names everywhere (16 MB)"    $bin classify "$dir/names-everywhere.txt" --format csv
run "field lines (14 MB)"         $bin classify "$dir/field-lines.txt" --format csv
run "invalid UTF-8 (batch)"       $bin batch "$dir/invalid-utf8.csv"
run "zero-width, RTL, emoji"      $bin classify "$dir/zero-width-rtl-emoji.txt" --format csv
run "HTML with scripts (11 MB)"   $bin classify "$dir/html-scripts.txt" --format csv
run "unterminated quote at end"   $bin batch "$dir/unterminated-quote.csv" -o "$dir/rows.csv"
run "200 MB JSON line"            $bin batch "$dir/line-200mb.jsonl" -o "$dir/rows.csv"
run "pack: 100,000-deep TOML"     $bin rules lint "$dir/pack-deep.toml"
run "pack: exploding regex"       $bin rules lint "$dir/pack-regex.toml"
run "pack: 100,000-phrase role"   $bin rules lint "$dir/pack-100k.toml"
