"""rolecall: which role a job posting really describes, with the evidence.

The same engine as the ``rolecall`` command line, compiled once per :class:`Engine` and called in process::

    >>> import rolecall
    >>> engine = rolecall.Engine()                  # the built-in rule pack
    >>> v = engine.classify("You will own and order the product backlog, write user stories with "
    ...                     "acceptance criteria and accept the team's work in the sprint review.")
    >>> v.role, v.status
    ('product-owner', 'match')
    >>> text = "Own the product backlog and write user stories."
    >>> e = engine.classify(text).evidence[0]
    >>> text[e["start"]:e["end"]] == e["text"]      # spans are Python string indices
    True

``Verdict.to_dict()`` is exactly the object ``rolecall classify --format json`` prints (byte offsets there).
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union
import os

from ._rolecall import Engine as _Engine
from ._rolecall import RulesError

__all__ = ["Engine", "Verdict", "RulesError"]

PathLike = Union[str, "os.PathLike[str]"]


class Verdict:
    """One posting's answer.

    Attributes: ``role`` (role id or ``"other"``), ``family``, ``status`` (``match``, ``ambiguous``, ``none`` or
    ``uncertain``), ``score`` and ``confidence`` are read at once; ``name``, ``runners_up``, ``roles``, ``areas`` (the
    best role's areas), ``evidence`` (dicts whose ``start``/``end`` are Python string indices into the text;
    ``byte_start``/``byte_end`` keep the UTF-8 offsets), ``title``, ``title_from``, ``drift`` and ``rules`` come from
    the full answer, parsed on first use (a batch that only reads roles never pays for the evidence).
    """

    __slots__ = ("role", "family", "status", "score", "confidence", "_json", "_spans", "_data", "_evidence")

    def __init__(self, raw: str, spans: Sequence[Tuple[int, int]], head: Tuple[str, str, str, float, float]):
        self.role, self.family, self.status, self.score, self.confidence = head
        self._json, self._spans = raw, spans
        self._data: Optional[Dict[str, Any]] = None
        self._evidence: Optional[List[Dict[str, Any]]] = None

    def _full(self) -> Dict[str, Any]:
        if self._data is None:
            self._data = json.loads(self._json)
        return self._data

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._full()[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def evidence(self) -> List[Dict[str, Any]]:
        if self._evidence is None:
            evidence = []
            for e, (start, end) in zip(self._full().get("evidence", []), self._spans):
                item = dict(e)
                item["byte_start"], item["byte_end"] = e["start"], e["end"]
                item["start"], item["end"] = start, end
                evidence.append(item)
            self._evidence = evidence
        return self._evidence

    @property
    def areas(self) -> List[Dict[str, Any]]:
        roles = self._full().get("roles") or []
        return roles[0]["areas"] if roles and roles[0]["role"] == self.role else []

    def to_dict(self) -> Dict[str, Any]:
        """The ``rolecall classify --format json`` object (a fresh copy)."""
        return json.loads(self._json)

    def __repr__(self) -> str:
        return f"Verdict(role={self.role!r}, status={self.status!r}, score={self.score}, confidence={self.confidence})"


def _paths(p: Union[None, PathLike, Iterable[PathLike]]) -> List[str]:
    if p is None:
        return []
    if isinstance(p, (str, os.PathLike)):
        return [os.fspath(p)]
    return [os.fspath(x) for x in p]


class Engine:
    """The compiled rule pack: the built-in one, ``rules=DIR`` instead, plus every ``rules_add`` directory.

    Compile once and reuse: an engine is safe to share between threads. A pack that does not compile raises
    :class:`RulesError` listing every diagnostic with ``file:line:col``.
    """

    def __init__(self, rules: Optional[PathLike] = None, rules_add: Union[None, PathLike, Iterable[PathLike]] = None):
        self._engine = _Engine(os.fspath(rules) if rules is not None else None, _paths(rules_add))

    @property
    def rules_hash(self) -> str:
        """The pack's hash: same hash, same answers."""
        return self._engine.rules_hash

    def roles(self) -> List[Dict[str, str]]:
        """Every role of the pack: ``[{"id", "name", "family"}]``."""
        return [{"id": i, "name": n, "family": f} for i, n, f in self._engine.roles()]

    def classify(self, text: str, title: Optional[str] = None, title_guess: bool = True) -> Verdict:
        """Classifies one posting. ``title`` is reported with its drift, never scored; without it, a short first
        line naming a role is read as the title (``title_guess=False`` turns that off), as the CLI does."""
        return Verdict(*self._engine.classify(text, title, title_guess))

    def classify_many(
        self,
        texts: Sequence[str],
        titles: Optional[Sequence[Optional[str]]] = None,
        threads: Optional[int] = None,
        title_guess: bool = True,
    ) -> List[Verdict]:
        """Classifies many postings on all cores (the GIL is released), answers in input order."""
        answers = self._engine.classify_many(list(texts), None if titles is None else list(titles), threads, title_guess)
        return [Verdict(*a) for a in answers]

    def title(self, title: str) -> Dict[str, Any]:
        """A job title's reading: role, seniority and what was kept apart (``rolecall title --format json``)."""
        return json.loads(self._engine.title(title))

    def drift(self, title: str, text: str) -> Dict[str, Any]:
        """The title's role against the role the body describes (one ``rolecall drift`` row)."""
        return json.loads(self._engine.drift(title, text))

    def explain(self, text: str, role: str, vs: Optional[str] = None) -> Dict[str, Any]:
        """Why ``text`` scores as it does for ``role``, and against ``vs`` (``rolecall explain --format json``)."""
        return json.loads(self._engine.explain(text, role, vs))
