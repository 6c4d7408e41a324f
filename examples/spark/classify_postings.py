"""Classify a partitioned postings dataset on Apache Spark with rolecall, two ways.

    python3 classify_postings.py --input postings.csv --output out.parquet [--mode pandas|pipe] [--master local[2]]
    spark-submit classify_postings.py --input s3://.../postings/ --output s3://.../roles/ --mode pandas

``--mode pandas`` (default) runs the rolecall Python package inside ``mapInPandas``: each Python worker compiles the
engine once (a module-level cache; Spark reuses its Python workers), never per row. Install the wheel on the
executors (``pip install ./python`` in the image, or ``--py-files``/``--archives`` with a packed environment).

``--mode pipe`` sends each partition through ``rolecall batch --input-format jsonl --format jsonl --quiet`` with
``RDD.pipe``, for clusters that cannot install wheels: ship the binary with ``--files rolecall`` (it is found in the
task's working directory) or give its path with ``--binary``. Postings without text never reach the binary; they
come back as error rows, so every input record is in the output exactly once either way.

Input: CSV with a header (multi-line quoted fields allowed) or JSON Lines (``.jsonl``), with the columns named by
``--id-col``, ``--text-col`` and ``--title-col``. Output: Parquet with the input's id and the batch columns (role,
family, status, score, confidence, runner_up, runner_up_score, evidence, title, title_role, rules, error).
"""

from __future__ import annotations

import argparse
import json
import os

from pyspark.sql import SparkSession, functions as F

COLUMNS = ("id string, role string, family string, status string, score double, confidence double, "
           "runner_up string, runner_up_score double, evidence string, title string, title_role string, "
           "rules string, error string")

_ENGINE = None


def _engine():
    """One engine per Python worker process."""
    global _ENGINE
    if _ENGINE is None:
        import rolecall

        _ENGINE = rolecall.Engine()
    return _ENGINE


def classify_frames(text_col: str, title_col: str | None):
    def run(batches):
        import pandas as pd
        import rolecall.pandas as rp

        engine = _engine()
        for pdf in batches:
            out = rp.classify(pdf, text=text_col, title=title_col, engine=engine, threads=1)
            out.insert(0, "id", pdf["id"].astype(str).values)
            out["title"] = out["title"].astype(object)
            yield out.astype({"score": "float64", "confidence": "float64", "runner_up_score": "float64"})

    return run


def pipe_partitions(df, binary: str, text_col: str, title_col: str | None):
    """`rolecall batch` over each partition's JSON Lines; rows without text become error rows in Spark."""
    spark = df.sparkSession
    has_text = F.col(text_col).isNotNull() & (F.length(F.trim(F.col(text_col))) > 0)
    fields = [F.col("id").cast("string").alias("id"), F.col(text_col).alias("description")]
    if title_col:
        fields.append(F.col(title_col).alias("title"))
    lines = df.where(has_text).select(F.to_json(F.struct(*fields)).alias("line")).rdd.map(lambda r: r.line)
    cmd = f"{binary} batch --input-format jsonl --format jsonl --quiet --id-col id --text-col description"
    if title_col:
        cmd += " --title-col title"
    out = lines.pipe(cmd, env={"NO_COLOR": "1"})

    def row(line: str):
        d = json.loads(line)
        first = (d.get("runners_up") or [None])[0]
        counted = [e["text"] for e in d.get("evidence", []) if e["counted"] and e["role"] == d["role"]]
        return (str(d["source"]), d["role"], d["family"], d["status"], float(d["score"]), float(d["confidence"]),
                first["role"] if first else None, float(first["score"]) if first else None,
                "; ".join(dict.fromkeys(counted)), d.get("title"),
                ((d.get("drift") or {}).get("stated") or {}).get("role"), d["rules"], None)

    classified = spark.createDataFrame(out.map(row), COLUMNS)
    empty = df.where(~has_text | F.col(text_col).isNull()).select(
        F.col("id").cast("string").alias("id"),
        *[F.lit(None).cast(t.split()[1]).alias(t.split()[0]) for t in COLUMNS.split(", ")[1:-1]],
        F.when(F.col(text_col).isNull(), "the posting text is missing").otherwise("the posting text is empty").alias("error"),
    )
    return classified.unionByName(empty)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--mode", choices=["pandas", "pipe"], default="pandas")
    ap.add_argument("--master", default=None, help="e.g. local[2]; spark-submit sets it otherwise")
    ap.add_argument("--id-col", default="id")
    ap.add_argument("--text-col", default="description")
    ap.add_argument("--title-col", default="title", help="'' for none")
    ap.add_argument("--binary", default="./rolecall", help="pipe mode: the rolecall binary on the executors")
    ap.add_argument("--partitions", type=int, default=None)
    a = ap.parse_args()

    builder = SparkSession.builder.appName("rolecall")
    if a.master:
        builder = builder.master(a.master)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    if a.input.endswith((".jsonl", ".ndjson", ".json")):
        df = spark.read.json(a.input)
    else:
        df = spark.read.csv(a.input, header=True, multiLine=True, escape='"')
    df = df.withColumnRenamed(a.id_col, "id") if a.id_col != "id" else df
    if a.partitions:
        df = df.repartition(a.partitions)
    title_col = a.title_col if a.title_col and a.title_col in df.columns else None
    cols = ["id", a.text_col] + ([title_col] if title_col else [])
    df = df.select(*cols)
    if a.mode == "pandas":
        result = df.mapInPandas(classify_frames(a.text_col, title_col), COLUMNS)
    else:
        binary = a.binary if os.path.isabs(a.binary) else a.binary
        result = pipe_partitions(df, binary, a.text_col, title_col)
    result.write.mode("overwrite").parquet(a.output)
    spark.stop()


if __name__ == "__main__":
    main()
