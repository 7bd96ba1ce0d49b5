"""Attribution accuracy on PolNeAR (Newell, Margolin and Ruths, LREC 2018).

A gold attribution has a source, a cue and a content, each one or more character spans (the
source may be absent). A system's quote, or other attribution (``Extraction.attributions``: a
belief, an intention), maps to an attribution as source = the speaker mention,
cue = the cue span, content = the quote's span; consecutive quotes that share their speaker
mention and cue, with the cue between them ("“A,” he said, “B.”"), form one attribution with a
two-piece content, as PolNeAR annotates an interrupted quote.

Each role is scored on its own, per article, like the published figures (a role filler is one
"span" however many pieces it has):

- every piece is trimmed of surrounding whitespace, quotation marks and punctuation (``TRIM``):
  PolNeAR's content includes the quotation marks in about a sixth of direct quotes, and the
  final full stop is never in it, so neither should cost a match;
- **exact**: the same extent after trimming (first character of the first piece to the last
  character of the last); the pieces in between are not compared, since a ``Quote`` has one span;
- **overlap**: at least one character in common between the two sets of trimmed pieces (a
  span lying in the gap of a discontinuous span does not overlap it);
- matching is one to one: exact by equal extents, overlap greedily by the size of the common
  part, largest first; P = matched / system, R = matched / gold.

``errors`` aligns whole attributions (by content overlap) to name what went wrong, for tuning
the rules: missed and spurious attributions, content boundaries, wrong or missing sources and cues.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from detente.config import Settings
from detente.records import Document, Extraction

log = logging.getLogger(__name__)

ROLES = ("source", "cue", "content")
TRIM = frozenset(" \t\n\r\xa0\"'“”‘’«»„.,;:!?()[]—–-…")

SHOW_CLIP = 160  # error examples show at most this many characters of each piece

Piece = tuple[int, int]
Extract = Callable[[Iterable[Document]], Iterator[Extraction]]


@dataclass(frozen=True, slots=True)
class RoleSpan:
    """One role filler: sorted, trimmed, non-overlapping pieces of the article text."""

    pieces: tuple[Piece, ...]

    @property
    def extent(self) -> Piece:
        return self.pieces[0][0], self.pieces[-1][1]

    def common(self, other: RoleSpan) -> int:
        """Characters in both spans (zero when they only touch or one lies in the other's gap)."""
        n = 0
        for a0, a1 in self.pieces:
            for b0, b1 in other.pieces:
                n += max(0, min(a1, b1) - max(a0, b0))
        return n

    def show(self, text: str, clip: int = 0) -> str:
        """The pieces' text joined by " … "; each longer than ``clip`` shortened in its middle."""
        shown = []
        for s, e in self.pieces:
            piece = " ".join(text[s:e].split())
            if clip and len(piece) > clip:
                piece = f"{piece[: clip // 2]} [...] {piece[-clip // 2 :]}"
            shown.append(piece)
        return " … ".join(shown)


def trim(text: str, start: int, end: int) -> Piece:
    """The piece without surrounding whitespace, quotation marks and punctuation."""
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def _trim_or_keep(text: str, start: int, end: int) -> Piece:
    """Trimmed, except a piece that is nothing but punctuation (a ":" cue) keeps it."""
    s, e = trim(text, start, end)
    if s < e:
        return s, e
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def role_span(text: str, pieces: Iterable[Piece]) -> RoleSpan | None:
    """Trimmed, sorted and merged pieces; None when nothing but whitespace is left."""
    kept: list[Piece] = []
    for s, e in sorted(_trim_or_keep(text, s, e) for s, e in pieces):
        if e <= s:
            continue
        if kept and s <= kept[-1][1]:
            kept[-1] = (kept[-1][0], max(e, kept[-1][1]))
        else:
            kept.append((s, e))
    return RoleSpan(tuple(kept)) if kept else None


@dataclass(frozen=True, slots=True)
class Attribution:
    source: RoleSpan | None
    cue: RoleSpan | None
    content: RoleSpan | None

    def role(self, name: str) -> RoleSpan | None:
        return getattr(self, name)


# ---- reading ---------------------------------------------------------------------------------


def read_articles(path: str | Path, limit: int | None = None) -> Iterator[dict]:
    """Articles of a PolNeAR JSONL file (gzip or plain, told by the first bytes, not the name).

    Lines that are not JSON objects with a ``text`` string are logged and skipped."""
    path = Path(path)
    with path.open("rb") as probe:
        packed = probe.read(2) == b"\x1f\x8b"
    opener = gzip.open if packed else open
    n = 0
    with opener(path, "rt", encoding="utf-8") as f:  # type: ignore[operator]
        for lineno, line in enumerate(f, 1):
            if limit is not None and n >= limit:
                return
            if not line.strip():
                continue
            try:
                article = json.loads(line)
            except json.JSONDecodeError as e:
                log.warning("%s:%d: not JSON (%s); skipped", path, lineno, e)
                continue
            if not isinstance(article, dict) or not isinstance(article.get("text"), str):
                log.warning("%s:%d: no article text; skipped", path, lineno)
                continue
            article.setdefault("doc", f"{path.name}#{lineno}")
            n += 1
            yield article


def gold_attributions(article: dict) -> list[Attribution]:
    """The article's annotated attributions; spans whose offsets do not fit the text are dropped."""
    text = article["text"]
    out = []
    for a in article.get("attributions") or []:
        roles = {}
        for role in ROLES:
            pieces = [
                (s["start"], s["end"])
                for s in a.get(role) or []
                if 0 <= s.get("start", -1) < s.get("end", -1) <= len(text)
            ]
            roles[role] = role_span(text, pieces)
        out.append(Attribution(**roles))
    return out


def system_attributions(text: str, extraction: Extraction) -> list[Attribution]:
    """The extraction's quotes and other attributions (beliefs, intentions: PolNeAR marks those
    too) as attributions, interrupted quotes joined (see module doc)."""
    out: list[Attribution] = []
    last_key: tuple | None = None
    pieces: list[Piece] = []
    for q in sorted([*extraction.quotes, *extraction.attributions], key=lambda q: (q.start, q.end)):
        src = (q.speaker_span.start, q.speaker_span.end) if q.speaker_span else None
        cue = (q.cue_span.start, q.cue_span.end) if q.cue_span else None
        key = (src, cue)
        if out and cue is not None and key == last_key and pieces[-1][1] <= cue[0] and cue[1] <= q.start:
            pieces.append((q.start, q.end))
            out[-1] = Attribution(out[-1].source, out[-1].cue, role_span(text, pieces))
            continue
        pieces = [(q.start, q.end)]
        out.append(
            Attribution(
                role_span(text, [src]) if src else None,
                role_span(text, [cue]) if cue else None,
                role_span(text, pieces),
            )
        )
        last_key = key
    return flatten(out)


def _within(inner: RoleSpan, outer: RoleSpan) -> bool:
    s, e = inner.extent
    return inner.extent != outer.extent and any(a <= s and e <= b for a, b in outer.pieces)


def flatten(attributions: list[Attribution]) -> list[Attribution]:
    """Without the attributions whose content lies inside another's content (a phrase quoted
    within a paraphrase): PolNeAR gives each token at most one label, so it never annotates
    such a nested attribution, and the outer one is what its annotators mark."""
    contents = [a.content for a in attributions if a.content is not None]
    return [a for a in attributions if a.content is None or not any(_within(a.content, c) for c in contents)]


# ---- matching --------------------------------------------------------------------------------


def match_exact(gold: list[RoleSpan], system: list[RoleSpan]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, system index) with equal extents."""
    free: dict[Piece, list[int]] = {}
    for gi, g in enumerate(gold):
        free.setdefault(g.extent, []).append(gi)
    pairs = []
    for si, s in enumerate(system):
        slots = free.get(s.extent)
        if slots:
            pairs.append((slots.pop(0), si))
    return pairs


def match_overlap(gold: list[RoleSpan], system: list[RoleSpan]) -> list[tuple[int, int]]:
    """One-to-one pairs sharing at least one character, the largest common parts first."""
    candidates = []
    for gi, g in enumerate(gold):
        g0, g1 = g.extent
        for si, s in enumerate(system):
            s0, s1 = s.extent
            if s0 < g1 and g0 < s1 and (n := g.common(s)) > 0:
                candidates.append((-n, gi, si))
    candidates.sort()
    used_g: set[int] = set()
    used_s: set[int] = set()
    pairs = []
    for _, gi, si in candidates:
        if gi not in used_g and si not in used_s:
            used_g.add(gi)
            used_s.add(si)
            pairs.append((gi, si))
    return pairs


# ---- scores ----------------------------------------------------------------------------------


def prf(hits: int, system: int, gold: int) -> tuple[float, float, float]:
    p = hits / system if system else 0.0
    r = hits / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass(slots=True)
class RoleCounts:
    gold: int = 0
    system: int = 0
    exact: int = 0
    overlap: int = 0

    def as_dict(self) -> dict[str, float | int]:
        ep, er, ef = prf(self.exact, self.system, self.gold)
        op, orr, of = prf(self.overlap, self.system, self.gold)
        return {
            "exact_p": round(ep, 3),
            "exact_r": round(er, 3),
            "exact_f1": round(ef, 3),
            "overlap_p": round(op, 3),
            "overlap_r": round(orr, 3),
            "overlap_f1": round(of, 3),
            "gold": self.gold,
            "system": self.system,
            "exact": self.exact,
            "overlap": self.overlap,
        }


@dataclass(slots=True)
class Scores:
    """Counts for one system over the articles seen so far."""

    roles: dict[str, RoleCounts] = field(default_factory=lambda: {r: RoleCounts() for r in ROLES})
    articles: int = 0

    def add(self, gold: list[Attribution], system: list[Attribution]) -> None:
        self.articles += 1
        for role in ROLES:
            g = [x for a in gold if (x := a.role(role)) is not None]
            s = [x for a in system if (x := a.role(role)) is not None]
            c = self.roles[role]
            c.gold += len(g)
            c.system += len(s)
            c.exact += len(match_exact(g, s))
            c.overlap += len(match_overlap(g, s))

    def as_dict(self) -> dict[str, dict[str, float | int]]:
        return {role: c.as_dict() for role, c in self.roles.items()}


# ---- errors ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ErrorExample:
    kind: str  # see ``classify``
    doc: str
    gold: str  # "source | cue | content" as text, "" when there is no gold attribution
    system: str
    context: str  # the sentence-ish stretch around the content


def _show(a: Attribution | None, text: str) -> str:
    if a is None:
        return ""
    return " | ".join(x.show(text, clip=SHOW_CLIP) if x else "-" for x in (a.source, a.cue, a.content))


def _context(text: str, *atts: Attribution | None, width: int = 60) -> str:
    """The text from just before the earliest role to just after the latest, clipped in the middle."""
    spans = [x.extent for a in atts if a for x in (a.source, a.cue, a.content) if x]
    s = max(0, min(p[0] for p in spans) - width)
    e = min(len(text), max(p[1] for p in spans) + width)
    return RoleSpan(((s, e),)).show(text, clip=3 * SHOW_CLIP)


def _content_kind(text: str, g: RoleSpan, s: RoleSpan) -> str:
    (g0, g1), (s0, s1) = g.extent, s.extent
    lead = text[g0:s0].strip().lower() if g0 < s0 else ""
    if lead == "that" and g1 == s1:
        return "content: gold adds leading 'that'"
    where = []
    if g0 != s0:
        where.append("starts " + ("later" if s0 > g0 else "earlier"))
    if g1 != s1:
        where.append("ends " + ("earlier" if s1 < g1 else "later"))
    return "content: system " + " and ".join(where)


def _role_kind(role: str, g: RoleSpan | None, s: RoleSpan | None) -> str | None:
    if g is None and s is None:
        return None
    if g is None:
        return f"{role}: system has one, gold none"
    if s is None:
        return f"{role}: missing"
    if g.extent == s.extent:
        return None
    if not g.common(s):
        return f"{role}: wrong span"
    (g0, g1), (s0, s1) = g.extent, s.extent
    return f"{role}: system " + ("shorter" if s1 - s0 < g1 - g0 else "longer or shifted")


def classify(text: str, gold: list[Attribution], system: list[Attribution]) -> list[tuple[str, int, int]]:
    """(kind, gold index or -1, system index or -1) for every error in one article.

    Attributions are paired by content overlap (one to one); an unpaired gold one is
    "missed", an unpaired system one "spurious" (often a quoted phrase inside a reported
    content that has its own gold attribution); paired ones are checked role by role."""
    gi_ok = [i for i, a in enumerate(gold) if a.content]
    si_ok = [i for i, a in enumerate(system) if a.content]
    g_content = [c for a in gold if (c := a.content)]
    s_content = [c for a in system if (c := a.content)]
    pairs = [(gi_ok[a], si_ok[b]) for a, b in match_overlap(g_content, s_content)]
    out: list[tuple[str, int, int]] = []
    paired_g = {g for g, _ in pairs}
    paired_s = {s for _, s in pairs}
    for gi, a in enumerate(gold):
        if gi not in paired_g:
            direct = a.content is not None and _is_direct(text, a.content)
            out.append(("missed " + ("direct" if direct else "indirect"), gi, -1))
    for si, a in enumerate(system):
        if si not in paired_s:
            inside = a.content is not None and any(a.content.common(g) for g in g_content)
            out.append(("spurious, inside another gold content" if inside else "spurious", -1, si))
    for gi, si in pairs:
        g, s = gold[gi], system[si]
        if g.content.extent != s.content.extent:  # type: ignore[union-attr]
            out.append((_content_kind(text, g.content, s.content), gi, si))  # type: ignore[arg-type]
        for role in ("source", "cue"):
            if kind := _role_kind(role, g.role(role), s.role(role)):
                out.append((kind, gi, si))
    return out


def _is_direct(text: str, content: RoleSpan) -> bool:
    """A content opened by a quotation mark (looking back over spaces)."""
    i = content.pieces[0][0] - 1
    while i >= 0 and text[i] in " \t\xa0":
        i -= 1
    return i >= 0 and text[i] in "\"“‘'«„"


@dataclass(slots=True)
class Errors:
    """Error counts by kind, with a few examples of each."""

    keep: int = 0  # examples kept per kind
    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[ErrorExample]] = field(default_factory=dict)

    def add(self, doc: str, text: str, gold: list[Attribution], system: list[Attribution]) -> None:
        for kind, gi, si in classify(text, gold, system):
            self.counts[kind] += 1
            kept = self.examples.setdefault(kind, [])
            if len(kept) < self.keep:
                g = gold[gi] if gi >= 0 else None
                s = system[si] if si >= 0 else None
                kept.append(ErrorExample(kind, doc, _show(g, text), _show(s, text), _context(text, g, s)))

    def as_dict(self) -> dict[str, object]:
        return {
            kind: {"count": n, "examples": [_example_dict(e) for e in self.examples.get(kind, [])]}
            for kind, n in self.counts.most_common()
        }


def _example_dict(e: ErrorExample) -> dict[str, str]:
    return {"doc": e.doc, "gold": e.gold, "system": e.system, "context": e.context}


# ---- running ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Evaluation:
    """One system's scores and errors."""

    scores: Scores = field(default_factory=Scores)
    errors: Errors = field(default_factory=Errors)


def to_document(article: dict) -> Document:
    """The article as a Document whose text is the annotated text unchanged (offsets agree)."""
    doc = str(article.get("doc", ""))
    return Document(doc, doc, "polnear", article["text"], None, None, None, "en")


def evaluate(
    articles: Iterable[dict], systems: Mapping[str, Extract], examples: int = 0
) -> dict[str, Evaluation]:
    """Score each system (anything shaped like ``Extractor.extract_many``) on the same articles."""
    items = list(articles)
    docs = [to_document(a) for a in items]
    golds = [gold_attributions(a) for a in items]
    results: dict[str, Evaluation] = {}
    for name, extract_many in systems.items():
        ev = results[name] = Evaluation(errors=Errors(keep=examples))
        for article, gold, extraction in zip(items, golds, extract_many(docs), strict=True):
            system = system_attributions(article["text"], extraction)
            ev.scores.add(gold, system)
            ev.errors.add(str(article.get("doc", "")), article["text"], gold, system)
    return results


MODES = ("rules", "model", "combined")


def evaluate_modes(
    articles: Iterable[dict],
    settings: Settings | None = None,
    modes: Sequence[str] = MODES,
    examples: int = 0,
) -> dict[str, Evaluation]:
    """Score the extractor with quotes from each source (``Settings.attribution``) on the same
    articles. Every article is parsed once, with the attribution tagger in the pipeline when any
    mode needs it; each mode's extractor then reads that same parse (the rules ignore the tagger's
    spans), so the systems differ only in where their quotes come from."""
    from detente.extract.nlp import parse_many
    from detente.extract.pipeline import Extractor

    settings = settings or Settings()
    items = list(articles)
    docs = [to_document(a) for a in items]
    golds = [gold_attributions(a) for a in items]
    extractors = {m: Extractor(settings.with_(attribution=m)) for m in modes}
    parser = next((x for m, x in extractors.items() if m != "rules"), extractors[modes[0]])
    results = {m: Evaluation(errors=Errors(keep=examples)) for m in modes}
    parsed = parse_many(parser.nlp, (d.text for d in docs), settings.batch_size, settings.n_process)
    for article, gold, document, doc in zip(items, golds, docs, parsed, strict=True):
        name, text = str(article.get("doc", "")), article["text"]
        for m, extractor in extractors.items():
            system = system_attributions(text, extractor.from_doc(document, doc))
            results[m].scores.add(gold, system)
            results[m].errors.add(name, text, gold, system)
    return results


def report(results: Mapping[str, Evaluation], with_errors: bool = False) -> dict[str, dict]:
    """``{system: {role: {...}, ...}}``; with ``errors`` under each system when asked."""
    out: dict[str, dict] = {}
    for name, ev in results.items():
        out[name] = ev.scores.as_dict()
        if with_errors:
            out[name]["errors"] = ev.errors.as_dict()
    return out
