"""Text ranking used by every search endpoint: BM25 over lightly stemmed tokens.

Raw BM25 is squashed into 0..1 with ``raw / (raw + SQUASH)`` so that a score does not depend on
the other hits (stable across requests) and lands in the range the filtering levels expect.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    """a an and are as at be been but by do does for from has have he her here his how i in
    into is it its me my of on or our out over she so than that the their them then there
    these they this those to up us was we were what when where which while who why will with
    you your show find any some someone something moment moments video videos clip clips
    scene part please""".split()
)

K1 = 1.2
B = 0.75
SQUASH = 3.0


def stem(word: str) -> str:
    """A tiny suffix stripper: enough to match chop/chopping/chopped, onion/onions."""
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)] + repl
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # chopp -> chop, stopp -> stop
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]  # score/scored -> scor
    return word


def tokenize(text: str, *, keep_stopwords: bool = False) -> list[str]:
    words = _WORD.findall(text.lower().replace("'s", ""))
    return [stem(w) for w in words if keep_stopwords or w not in _STOP]


@dataclass(frozen=True)
class Doc:
    key: tuple[str, int]
    text: str


class Ranker:
    """BM25 with IDF taken from the candidates plus a fixed background collection.

    The background (the bundled sample corpus) keeps IDF sensible when a namespace holds
    only one or two videos.
    """

    def __init__(self, docs: Sequence[Doc], background: Iterable[str] = ()) -> None:
        self.docs = list(docs)
        self._tokens = [Counter(tokenize(d.text)) for d in self.docs]
        bg = [set(tokenize(t)) for t in background]
        self._n = len(self.docs) + len(bg)
        self._df: Counter[str] = Counter()
        for toks in self._tokens:
            self._df.update(toks.keys())
        for s in bg:
            self._df.update(s)
        lengths = [sum(t.values()) for t in self._tokens]
        self._avg = (sum(lengths) / len(lengths)) if lengths else 1.0

    def idf(self, term: str) -> float:
        df = self._df.get(term, 0)
        return math.log(1.0 + (self._n - df + 0.5) / (df + 0.5))

    def raw(self, query_terms: Sequence[str], index: int) -> float:
        toks = self._tokens[index]
        length = sum(toks.values()) or 1
        total = 0.0
        for term in set(query_terms):
            tf = toks.get(term, 0)
            if tf:
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / self._avg))
                total += self.idf(term) * norm
        return total

    def rank(self, query: str) -> list[tuple[Doc, float]]:
        """Docs with a non-zero score, best first; ties ordered by doc key.

        The squashed BM25 is scaled by how much of the query (IDF-weighted) the doc covers,
        so a doc matching one word of a long query lands below the "high" filter (0.4).
        """
        terms = sorted(set(tokenize(query) or tokenize(query, keep_stopwords=True)))
        weights = {t: self.idf(t) for t in terms}
        total = sum(weights.values()) or 1.0
        scored: list[tuple[Doc, float]] = []
        for i, doc in enumerate(self.docs):
            raw = self.raw(terms, i)
            if raw > 0:
                covered = sum(w for t, w in weights.items() if t in self._tokens[i]) / total
                score = raw / (raw + SQUASH) * (0.4 + 0.6 * covered)
                scored.append((doc, round(score, 6)))
        scored.sort(key=lambda pair: (-pair[1], pair[0].key))
        return scored


def text_score(query: str, text: str, background: Iterable[str] = ()) -> float:
    ranked = Ranker([Doc(("", 0), text)], background).rank(query)
    return ranked[0][1] if ranked else 0.0
