"""Attribution accuracy on PolNeAR (Newell, Margolin and Ruths, LREC 2018).

Each gold attribution has a source, a cue and a content, each one or more character spans. A
detente quote maps to an attribution as source = the speaker mention, cue = the cue span,
content = the quote's span. Each role is scored on its own, per article: a role's spans are
reduced to their extent (first start, last end) with surrounding quotation marks, punctuation
and spaces trimmed; *exact* = the same extent, *overlap* = at least one shared character;
system and gold spans are matched one to one (greedily, largest overlap first).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from detente.records import Document, Extraction

ROLES = ("source", "cue", "content")
TRIM = " \t\n\"'“”‘’.,;:()[]—–-"
Extent = tuple[int, int]


def trim(text: str, start: int, end: int) -> Extent:
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def read_articles(path: str | Path, limit: int | None = None) -> Iterator[dict]:
    """Articles of a PolNeAR JSONL file, gzip or not."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:  # type: ignore[operator]
        for n, line in enumerate(f):
            if limit is not None and n >= limit:
                return
            if line.strip():
                yield json.loads(line)


def gold_extents(article: dict) -> dict[str, list[Extent]]:
    text = article["text"]
    out: dict[str, list[Extent]] = {r: [] for r in ROLES}
    for attribution in article.get("attributions", []):
        for role in ROLES:
            spans = attribution.get(role) or []
            if spans:
                ext = trim(text, min(s["start"] for s in spans), max(s["end"] for s in spans))
                if ext[1] > ext[0]:
                    out[role].append(ext)
    return out


def system_extents(text: str, extraction: Extraction) -> dict[str, list[Extent]]:
    out: dict[str, list[Extent]] = {r: [] for r in ROLES}
    for q in extraction.quotes:
        out["content"].append(trim(text, q.start, q.end))
        if q.speaker_span is not None:
            out["source"].append(trim(text, q.speaker_span.start, q.speaker_span.end))
        if q.cue_span is not None:
            out["cue"].append(trim(text, q.cue_span.start, q.cue_span.end))
    return {r: [e for e in v if e[1] > e[0]] for r, v in out.items()}


def match_exact(gold: list[Extent], system: list[Extent]) -> int:
    pool = list(gold)
    hits = 0
    for s in system:
        if s in pool:
            pool.remove(s)
            hits += 1
    return hits


def match_overlap(gold: list[Extent], system: list[Extent]) -> int:
    pairs = sorted(
        (
            (min(g[1], s[1]) - max(g[0], s[0]), gi, si)
            for gi, g in enumerate(gold)
            for si, s in enumerate(system)
        ),
        reverse=True,
    )
    used_g: set[int] = set()
    used_s: set[int] = set()
    for overlap, gi, si in pairs:
        if overlap <= 0:
            break
        if gi not in used_g and si not in used_s:
            used_g.add(gi)
            used_s.add(si)
    return len(used_g)


@dataclass(slots=True)
class RoleCounts:
    gold: int = 0
    system: int = 0
    exact: int = 0
    overlap: int = 0

    def prf(self, hits: int) -> tuple[float, float, float]:
        p = hits / self.system if self.system else 0.0
        r = hits / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def as_dict(self) -> dict[str, float | int]:
        ep, er, ef = self.prf(self.exact)
        op, orr, of = self.prf(self.overlap)
        return {
            "exact_p": round(ep, 3),
            "exact_r": round(er, 3),
            "exact_f1": round(ef, 3),
            "overlap_p": round(op, 3),
            "overlap_r": round(orr, 3),
            "overlap_f1": round(of, 3),
            "gold": self.gold,
            "system": self.system,
        }


@dataclass(slots=True)
class Scores:
    roles: dict[str, RoleCounts] = field(default_factory=lambda: {r: RoleCounts() for r in ROLES})
    articles: int = 0

    def add(self, gold: dict[str, list[Extent]], system: dict[str, list[Extent]]) -> None:
        self.articles += 1
        for role in ROLES:
            c = self.roles[role]
            c.gold += len(gold[role])
            c.system += len(system[role])
            c.exact += match_exact(gold[role], system[role])
            c.overlap += match_overlap(gold[role], system[role])

    def as_dict(self) -> dict[str, dict]:
        return {role: c.as_dict() for role, c in self.roles.items()}


Extract = Callable[[Iterable[Document]], Iterator[Extraction]]


def score_polnear(articles: Iterable[dict], extract_many: Extract) -> Scores:
    """Score an extractor (anything with the shape of ``Extractor.extract_many``) on articles."""
    items = list(articles)
    docs = [Document(a["doc"], a["doc"], "polnear", a["text"], None, None, None, "en") for a in items]
    scores = Scores()
    for article, extraction in zip(items, extract_many(docs), strict=True):
        scores.add(gold_extents(article), system_extents(article["text"], extraction))
    return scores
