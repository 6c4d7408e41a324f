import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

PathLike = Union[str, os.PathLike[str]]

class RulesError(ValueError): ...

class Verdict:
    role: str
    name: Optional[str]
    family: str
    status: str
    score: float
    confidence: float
    runners_up: List[Dict[str, Any]]
    roles: List[Dict[str, Any]]
    evidence: List[Dict[str, Any]]
    title: Optional[str]
    title_from: Optional[str]
    drift: Optional[Dict[str, Any]]
    rules: str
    @property
    def areas(self) -> List[Dict[str, Any]]: ...
    def to_dict(self) -> Dict[str, Any]: ...

class Engine:
    def __init__(self, rules: Optional[PathLike] = ..., rules_add: Union[None, PathLike, Iterable[PathLike]] = ...) -> None: ...
    @property
    def rules_hash(self) -> str: ...
    def roles(self) -> List[Dict[str, str]]: ...
    def classify(self, text: str, title: Optional[str] = ..., title_guess: bool = ...) -> Verdict: ...
    def classify_many(
        self,
        texts: Sequence[str],
        titles: Optional[Sequence[Optional[str]]] = ...,
        threads: Optional[int] = ...,
        title_guess: bool = ...,
    ) -> List[Verdict]: ...
    def title(self, title: str) -> Dict[str, Any]: ...
    def drift(self, title: str, text: str) -> Dict[str, Any]: ...
    def explain(self, text: str, role: str, vs: Optional[str] = ...) -> Dict[str, Any]: ...
