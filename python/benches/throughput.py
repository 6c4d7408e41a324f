"""Throughput of the Python package against the CLI and a plain pure-Python phrase matcher.

    python3 python/benches/throughput.py [--postings 20000] [--threads N]

The corpus is the project's own ads (fixtures/bench and fixtures/postings, our words) repeated and shuffled to
``--postings`` items. Printed, on the same texts:

1. ``Engine.classify_many`` on all cores, and on one thread;
2. ``rolecall batch --input-format jsonl --format jsonl -j N`` on the same texts (a JSON Lines file);
3. a baseline a Python user would write first: pyahocorasick over every literal phrase and name of the pack
   (lower-cased text, overlapping matches, the role with the most matched phrases wins). It has no word boundaries,
   regexes, proximity rules, negation, boilerplate, scores or evidence: it is the floor of what such a tool costs,
   not an equal.

Needs ``pip install ./python pyahocorasick``; the binary is ``target/release/rolecall`` (or ``ROLECALL_BIN``).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import pathlib
import random
import subprocess
import tempfile
import time

import rolecall

ROOT = pathlib.Path(__file__).resolve().parents[2]


def corpus(n: int) -> list[str]:
    ads = [p.read_text() for d in ("fixtures/bench", "fixtures/postings") for p in sorted((ROOT / d).glob("*.txt"))]
    rng = random.Random(20261205)
    return [rng.choice(ads) for _ in range(n)]


def pack_phrases() -> dict[str, list[str]]:
    """Every literal phrase and name of the pack, per role (from the rule files; patterns and proximity rules are
    left out, `~` and `*` marks stripped)."""
    import tomllib

    out: dict[str, list[str]] = {}
    for f in sorted((ROOT / "rules").glob("*.toml")):
        data = tomllib.loads(f.read_text())
        if "id" not in data:
            continue
        phrases = list(data.get("names", []))
        for area in data.get("areas", []):
            phrases += area.get("phrases", [])
        out[data["id"]] = [p.replace("~", "").replace("*", "").lower() for p in phrases]
    return out


def timed(label: str, n: int, bytes_: int, fn) -> float:
    start = time.perf_counter()
    fn()
    secs = time.perf_counter() - start
    print(f"{label:46} {n / secs:10.0f} postings/s {bytes_ / secs / 1e6:8.1f} MB/s")
    return n / secs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--postings", type=int, default=20000)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    texts = corpus(a.postings)
    size = sum(len(t.encode()) for t in texts)
    print(f"{len(texts)} postings, {size / 1e6:.1f} MB of text, {a.threads} threads")
    engine = rolecall.Engine()
    many = timed(f"Engine.classify_many ({a.threads} threads)", len(texts), size,
                 lambda: engine.classify_many(texts, threads=a.threads))
    one = timed("Engine.classify_many (1 thread)", len(texts), size, lambda: engine.classify_many(texts, threads=1))
    import rolecall.pandas as rp

    rows = timed(f"rolecall.pandas rows (batch columns, {a.threads} threads)", len(texts), size,
          lambda: rp.rows(engine, texts, threads=a.threads))

    binary = os.environ.get("ROLECALL_BIN") or str(ROOT / "target" / "release" / "rolecall")
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / "in.jsonl"
        src.write_text("".join(json.dumps({"id": i, "description": t}) + "\n" for i, t in enumerate(texts)))
        for j in sorted({1, a.threads}):
            timed(f"rolecall batch -j {j} (process, JSON Lines)", len(texts), size, lambda j=j: subprocess.run(
                [binary, "batch", str(src), "--format", "jsonl", "-j", str(j), "-q", "-o", str(pathlib.Path(tmp) / "out.jsonl")],
                check=True))

    try:
        import ahocorasick
    except ImportError:
        print("pyahocorasick not installed: baseline skipped (pip install pyahocorasick)")
        return
    phrases = pack_phrases()
    automaton = ahocorasick.Automaton()
    owners: dict[str, set[str]] = collections.defaultdict(set)
    for role, ps in phrases.items():
        for p in ps:
            owners[p].add(role)
    for p, roles in owners.items():
        automaton.add_word(p, (p, tuple(sorted(roles))))
    automaton.make_automaton()

    def baseline() -> None:
        for t in texts:
            seen: dict[str, set[str]] = collections.defaultdict(set)
            for _, (p, roles) in automaton.iter(t.lower()):
                for r in roles:
                    seen[r].add(p)
            max(seen.items(), key=lambda kv: len(kv[1]), default=None)

    base = timed(f"pyahocorasick baseline ({sum(map(len, phrases.values()))} phrases, 1 thread)", len(texts), size, baseline)
    print(f"against the baseline: classify_many (full answers) {many / base:.1f}x on {a.threads} threads, "
          f"{one / base:.1f}x on one; the DataFrame rows {rows / base:.1f}x")


if __name__ == "__main__":
    main()
