"""The Python package against the command line: same engine, same JSON, spans as Python string indices."""

import json
import os
import pathlib
import subprocess

import pytest

import rolecall

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = sorted((ROOT / "fixtures" / "postings").glob("*.txt"))


def cli_binary():
    for candidate in [os.environ.get("ROLECALL_BIN"), ROOT / "target" / "release" / "rolecall", ROOT / "target" / "debug" / "rolecall"]:
        if candidate and pathlib.Path(candidate).exists():
            return str(candidate)
    pytest.fail("no rolecall binary: build it with cargo build (or set ROLECALL_BIN)")


def cli(*args, stdin=""):
    out = subprocess.run([cli_binary(), *args], input=stdin.encode(), capture_output=True, check=False)
    return out.stdout.decode()


@pytest.fixture(scope="module")
def engine():
    return rolecall.Engine()


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_classify_is_the_cli_object(engine, path):
    text = path.read_text()
    want = json.loads(cli("classify", "--format", "json", "-", stdin=text))
    assert engine.classify(text).to_dict() == want
    titled = json.loads(cli("classify", "--format", "json", "--title", "Product Owner", "-", stdin=text))
    assert engine.classify(text, title="Product Owner").to_dict() == titled


def test_title_drift_and_explain_are_the_cli_objects(engine):
    assert engine.title("Sr. Technical Product Owner (m/w/d)") == json.loads(
        cli("title", "--format", "json", "Sr. Technical Product Owner (m/w/d)"))
    tpo = (ROOT / "fixtures" / "postings" / "technical-product-owner.txt").read_text()
    want = json.loads(cli("explain", "--format", "json", "--role", "technical-product-owner", "--vs", "product-owner", "-", stdin=tpo))
    assert engine.explain(tpo, "technical-product-owner", vs="product-owner") == want
    d = engine.drift("Scrum Master", tpo)
    assert (d["drift"], d["body"]["role"]) == ("far", "technical-product-owner")
    with pytest.raises(ValueError, match="no role `astronaut`"):
        engine.explain(tpo, "astronaut")


def test_spans_are_python_indices_on_non_ascii_text(engine):
    text = "Zoë 🚀 — Ärger? Nein: you own the product backlog, write user stories with acceptance criteria 👍."
    v = engine.classify(text)
    assert v.role == "product-owner" and v.evidence
    raw = text.encode()
    for e in v.evidence:
        assert text[e["start"]:e["end"]] == e["text"]
        assert raw[e["byte_start"]:e["byte_end"]].decode() == e["text"]
    assert any(e["start"] != e["byte_start"] for e in v.evidence), "the text has multi-byte characters before"


def test_threads_give_the_same_answers_in_order(engine):
    texts = [p.read_text() for p in FIXTURES] * 5
    one = [v.to_dict() for v in engine.classify_many(texts, threads=1)]
    many = [v.to_dict() for v in engine.classify_many(texts, threads=4)]
    assert one == many == [engine.classify(t).to_dict() for t in texts]
    titles = ["Product Owner", None] * (len(texts) // 2) + [None] * (len(texts) % 2)
    titled = engine.classify_many(texts, titles=titles, threads=3)
    assert [v.title for v in titled][:2] == ["Product Owner", engine.classify(texts[1]).title]
    with pytest.raises(ValueError, match="one per text"):
        engine.classify_many(texts, titles=["x"])


def test_bad_packs_raise_with_every_diagnostic(tmp_path):
    (tmp_path / "broken.toml").write_text('id = "x"\nname = "X"\nfamily = "f"\nsummary = "s"\nareas = 3\n')
    with pytest.raises(rolecall.RulesError) as err:
        rolecall.Engine(rules=tmp_path)
    assert "broken.toml:5:" in str(err.value)
    with pytest.raises(rolecall.RulesError, match="no-such-dir"):
        rolecall.Engine(rules_add=[tmp_path / "no-such-dir"])


def test_engine_reports_its_pack(engine):
    assert engine.rules_hash == json.loads(cli("title", "--format", "json", "CTO"))["rules"]
    ids = {r["id"] for r in engine.roles()}
    assert {"technical-product-owner", "tech-owner", "technology-officer", "cto"} <= ids


def test_pandas_round_trip_keeps_every_row():
    pd = pytest.importorskip("pandas")
    import rolecall.pandas as rp

    texts = [p.read_text() for p in FIXTURES]
    df = pd.DataFrame({"id": range(len(texts) + 2), "description": texts + [None, "   "], "title": ["Product Owner"] * (len(texts) + 2)})
    out = rp.classify(df, keep=["id"])
    assert list(out["id"]) == list(df["id"]) and len(out) == len(df)
    assert list(out["error"][-2:]) == ["the posting text is missing", "the posting text is empty"]
    assert out["role"][-2:].isna().all()
    engine = rolecall.Engine()
    for i, t in enumerate(texts):
        v = engine.classify(t, title="Product Owner", title_guess=False)
        assert (out["role"][i], out["status"][i], out["title_role"][i]) == (v.role, v.status, "product-owner")
    assert out["error"][: len(texts)].isna().all()


def test_polars_round_trip_keeps_every_row():
    pl = pytest.importorskip("polars")
    import rolecall.polars as rpl

    texts = [p.read_text() for p in FIXTURES]
    df = pl.DataFrame({"id": list(range(len(texts) + 1)), "description": texts + [None]})
    out = rpl.classify(df, title=None, keep=["id"])
    assert out["id"].to_list() == df["id"].to_list()
    assert out["error"].to_list()[-1] == "the posting text is missing"
    engine = rolecall.Engine()
    assert out["role"].to_list()[:-1] == [engine.classify(t, title_guess=False).role for t in texts]


def test_docstring_examples_run():
    import doctest

    failures, tried = doctest.testmod(rolecall, verbose=False)
    assert tried >= 4 and failures == 0


def test_dataframe_columns_are_rolecall_batch_rows(tmp_path):
    pd = pytest.importorskip("pandas")
    import csv
    import rolecall.pandas as rp

    texts = [p.read_text() for p in FIXTURES]
    titles = ["Product Owner", None, "Chief Technology Officer"] * len(texts)
    df = pd.DataFrame({"id": [f"r{i}" for i in range(len(texts))], "title": titles[: len(texts)], "description": texts})
    src = tmp_path / "in.csv"
    df.to_csv(src, index=False)
    batch = list(csv.DictReader(open(cli_out(tmp_path, "batch", str(src), "--format", "csv", "-q"), newline="")))
    out = rp.classify(df, keep=["id"])
    assert len(batch) == len(out)
    for want, (_, got) in zip(batch, out.iterrows()):
        for col in ["role", "family", "status", "runner_up", "evidence", "title", "title_role", "rules"]:
            value = "" if got[col] is None or (isinstance(got[col], float) and pd.isna(got[col])) else got[col]
            assert value == want[col], (col, got["id"])
        for col in ["score", "confidence", "runner_up_score"]:
            assert (float(want[col]) if want[col] else None) == (None if pd.isna(got[col]) else got[col]), (col, got["id"])


def cli_out(tmp_path, *args):
    """Runs the CLI with `-o` into a file under `tmp_path` and returns its path."""
    target = tmp_path / "out.csv"
    subprocess.run([cli_binary(), *args, "-o", str(target)], check=True, capture_output=True)
    return target
