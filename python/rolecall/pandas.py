"""pandas helpers: ``rolecall.pandas.classify(df, text="description", title="title", keep=[...])``.

Returns one row per input row, in order, with the ``rolecall batch`` columns (``role, family, status, score,
confidence, runner_up, runner_up_score, evidence, title, title_role, rules``) plus ``error``: a row whose text is
missing or empty keeps its place with ``error`` set and the verdict columns empty. No row is dropped.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from . import Engine

COLUMNS = ["role", "family", "status", "score", "confidence", "runner_up", "runner_up_score", "evidence", "title",
           "title_role", "rules", "error"]


def rows(engine: Engine, texts: Sequence[Any], titles: Optional[Sequence[Any]] = None,
         threads: Optional[int] = None) -> List[Dict[str, Any]]:
    """The batch columns for ``texts`` (and ``titles``), one dict per item; shared by the pandas and Polars helpers."""
    def clean(x: Any) -> Optional[str]:
        return x if isinstance(x, str) else None

    texts = [clean(t) for t in texts]
    titles = None if titles is None else [clean(t) for t in titles]
    todo = [i for i, t in enumerate(texts) if t is not None and t.strip()]
    found = engine._engine.rows_many([texts[i] for i in todo], None if titles is None else [titles[i] for i in todo],
                                     threads)
    out: List[Dict[str, Any]] = [dict.fromkeys(COLUMNS) for _ in texts]
    for i, row in enumerate(out):
        row["error"] = "the posting text is missing" if texts[i] is None else "the posting text is empty"
        row["title"] = None if titles is None else titles[i]
    for i, values in zip(todo, found):
        out[i].update(zip(COLUMNS[:-1], values))
        out[i]["error"] = None
    return out


def classify(df, text: str = "description", title: Optional[str] = "title", keep: Sequence[str] = (),
             engine: Optional[Engine] = None, threads: Optional[int] = None):
    """Classifies ``df[text]`` (titles from ``df[title]`` when that column exists); returns a new DataFrame with the
    ``keep`` columns first, then the batch columns, on ``df``'s index."""
    import pandas as pd

    engine = engine or Engine()
    titles = list(df[title]) if title is not None and title in df.columns else None
    result = pd.DataFrame(rows(engine, list(df[text]), titles, threads), columns=COLUMNS, index=df.index)
    return pd.concat([df[list(keep)], result], axis=1) if keep else result
