"""The zyte article-extraction metric: 4-token shingle precision, recall and F1.

Implements the definition in ../shared/benchmarks/README.md: per-document TP/FP/FN over
multisets of 4-token shingles, normalised so that every document weighs the same, then
precision and recall averaged over documents and F1 taken from those averages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    toks = tokens(text)
    if not toks:
        return Counter()
    if len(toks) < size:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + size]) for i in range(len(toks) - size + 1))


@dataclass(frozen=True)
class DocScore:
    tp: float
    fp: float
    fn: float
    exact: bool

    @property
    def precision(self) -> float | None:
        if self.tp + self.fp == 0:
            return None
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        if self.tp + self.fn == 0:
            return None
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn)


def score_document(truth: str, predicted: str) -> DocScore:
    want, got = shingles(truth), shingles(predicted)
    tp = sum(min(n, got[s]) for s, n in want.items())
    fp = sum(max(0, n - want[s]) for s, n in got.items())
    fn = sum(max(0, n - got[s]) for s, n in want.items())
    total = tp + fp + fn
    exact = tokens(truth) == tokens(predicted)
    if total == 0:
        return DocScore(0.0, 0.0, 0.0, exact)
    return DocScore(tp / total, fp / total, fn / total, exact)


@dataclass(frozen=True)
class Summary:
    precision: float
    recall: float
    f1: float
    accuracy: float
    documents: int


def summarise(scores: Iterable[DocScore]) -> Summary:
    scores = list(scores)
    precisions = [p for s in scores if (p := s.precision) is not None]
    recalls = [r for s in scores if (r := s.recall) is not None]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    accuracy = sum(s.exact for s in scores) / len(scores) if scores else 0.0
    return Summary(p, r, f1, accuracy, len(scores))
