"""Polars helper: ``rolecall.polars.classify(df, text="description", title="title", keep=[...])``, the same
columns and rules as :mod:`rolecall.pandas` (no row dropped; bad rows carry ``error``)."""

from __future__ import annotations

from typing import Optional, Sequence

from . import Engine
from .pandas import COLUMNS, rows


def classify(df, text: str = "description", title: Optional[str] = "title", keep: Sequence[str] = (),
             engine: Optional[Engine] = None, threads: Optional[int] = None):
    import polars as pl

    engine = engine or Engine()
    titles = df[title].to_list() if title is not None and title in df.columns else None
    result = pl.DataFrame(rows(engine, df[text].to_list(), titles, threads), schema=COLUMNS, orient="row")
    return pl.concat([df.select(list(keep)), result], how="horizontal") if keep else result
