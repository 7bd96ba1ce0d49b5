"""Agreements: ceasefires, partial ceasefires, exchanges, peace deals and frameworks with their terms.

A sentence holds an agreement when it names one (a type word such as "truce" or "prisoner
exchange", or a noun such as "deal" or "halt" next to a scope such as "energy infrastructure")
and a verb makes it real or proposed ("agreed", "signed", "declared", "proposed"), outside
conditions, denials and hypotheticals. Terms are the numbers with their units near the mention
("30-day", "175 on each side", "thirty days", "26 countries"). Mentions of the same agreement in
one article are merged, so terms given in a later sentence join it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Span, Token

from detente.config import DATA_DIR
from detente.extract.actors import ActorResolver
from detente.extract.dates import first_date
from detente.extract.mentions import Resolver
from detente.extract.numbers import as_int, numbers_in
from detente.records import Agreement, Evidence

HYPOTHETICAL = {"could", "might", "may", "would", "should", "must"}
REFUSALS = {"deny", "refuse", "reject", "dismiss", "rebuff", "decline", "spurn", "oppose", "veto"}
# "leaders demanded that Moscow accept a truce": the truce is proposed, not agreed
DEMANDS = {"demand", "urge", "ask", "call", "press", "insist", "want", "push", "request"}
CONTEXT = "context"  # a mention that only adds terms to an agreement found elsewhere
CASUALTIES = re.compile(
    r"\b(?:killed|killing|kills|dead|died|deaths?|wounded|injured|displaced|casualties|toll)\b"
)
MEDIATION = re.compile(r"\b(?:mediated|brokered|hosted|facilitated)\s+by\b|\bwith the help of\b", re.I)


@dataclass(frozen=True, slots=True)
class AgreementVocab:
    types: tuple[tuple[str, tuple[str, ...]], ...]
    partial_scopes: tuple[str, ...]
    nouns: frozenset[str]
    status_verbs: dict[str, str]  # lemma -> status
    units: dict[str, str]  # word -> term key


@lru_cache(maxsize=4)
def load_vocab(path: Path = DATA_DIR / "negotiation.yaml") -> AgreementVocab:
    with open(path, encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    return AgreementVocab(
        types=tuple((k, tuple(v)) for k, v in raw["agreement_types"].items()),
        partial_scopes=tuple(raw["partial_scopes"]),
        nouns=frozenset(raw["agreement_nouns"]),
        status_verbs={w: status for status, words in raw["status_verbs"].items() for w in words},
        units={w: key for key, words in raw["units"].items() for w in words},
    )


@lru_cache(maxsize=64)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def _find(words: tuple[str, ...], text: str) -> list[tuple[int, int, str]]:
    """Whole-word occurrences of any of ``words`` (longest first at each place)."""
    return [(m.start(), m.end(), m.group(0)) for m in _pattern(words).finditer(text)]


class AgreementFinder:
    def __init__(self, vocab: AgreementVocab | None = None) -> None:
        self.v = vocab or load_vocab()

    def find(self, resolver: Resolver, actors: ActorResolver, doc_date: str | None) -> list[Agreement]:
        self.r, self.actors, self.doc_date = resolver, actors, doc_date
        self.near_terms: dict[int, dict[str, object]] = {}
        found: list[Agreement] = []
        for sent in resolver.ix.sents:
            found.extend(self._sentence(sent))
        return _merge(found, self.near_terms)

    # ---- one sentence ---------------------------------------------------------------------
    def _sentence(self, sent: Span) -> list[Agreement]:
        text = sent.text
        low = text.lower()
        mentions = self._mentions(sent, low)
        if not mentions:
            return []
        cues = self._status_cues(sent)
        date = first_date(text, self.doc_date)
        out = []
        for k, (start, end, kind) in enumerate(mentions):
            governing = self._governing(sent, start, cues)
            if governing is None:
                # Not agreed here ("following the ceasefire, who will ..."); its terms may still
                # complete an agreement made elsewhere in the article ("would unfold over 24 hours").
                status, parties = CONTEXT, []
            else:
                cue, status = governing
                parties = self._cue_parties(cue) or self._np_parties(sent, start)
            window_start = max(0, start - 40)
            window_end = mentions[k + 1][0] if k + 1 < len(mentions) else len(text)
            window = text[window_start:window_end]
            terms = self._terms(window)
            # Numbers that qualify the mention itself ("a three-month truce"): all a mention that
            # comes before the agreement is made may lend it.
            qualifying = self._terms(text[max(0, start - 25) : min(window_end, end + 25)])
            near = low[start : min(window_end, start + 70)]
            hits = {w for _s, _e, w in _find(self.v.partial_scopes, near)}
            scope = next((w for w in self.v.partial_scopes if w in hits), None)  # the list ranks them
            if kind == "ceasefire" and scope:
                kind = "partial_ceasefire"
            if scope and kind == "partial_ceasefire":
                terms.setdefault("scope", scope)
            ev_start = sent.start_char + (len(text) - len(text.lstrip()))
            evidence = Evidence(ev_start, ev_start + len(text.strip()), text.strip(), text.strip())
            agreement = Agreement(
                type=kind,  # type: ignore[arg-type]
                parties=parties,
                terms=terms,
                status=status,  # type: ignore[arg-type]
                evidence=evidence,
                date=date,
                confidence=0.7 if parties else 0.5,
            )
            self.near_terms[id(agreement)] = qualifying
            out.append(agreement)
        return out

    def _mentions(self, sent: Span, low: str) -> list[tuple[int, int, str]]:
        """Typed mentions of agreements in a sentence, in order, one per stretch of words."""
        typed: list[tuple[int, int, str]] = []
        candidates = [(kind, _find(words, low)) for kind, words in self.v.types]
        names: list[tuple[int, int]] = []
        if any(found for _kind, found in candidates):
            names = [
                (e.start_char - sent.start_char, e.end_char - sent.start_char)
                for e in self.r.ix.ents
                if e.label_ in ("ORG", "EVENT", "LAW", "FAC")
                and sent.start_char <= e.start_char < sent.end_char
            ]
        for kind, found in candidates:
            for s, e, _w in found:
                if any(a <= s and e <= b for a, b in names):
                    continue  # "North Atlantic Treaty Organization" names no treaty being made
                if re.search(r"\b(?:no|not a|not any|without a)\s+(?:\w+\s+)?$", low[max(0, s - 20) : s]):
                    continue  # "announced no ceasefire"
                if not any(a < e and s < b for a, b, _ in typed):
                    typed.append((s, e, kind))
        # Untyped nouns ("a 30-day stop of attacks against energy infrastructure") become partial
        # ceasefires when a scope follows closely.
        for s, e, w in _find(tuple(self.v.nouns), low):
            if any(a <= s < b or a < e <= b for a, b, _ in typed):
                continue
            tok = next((t for t in sent if t.idx - sent.start_char == s), None)
            if tok is None or not (tok.pos_ == "NOUN" or self._agreed_action(tok)):
                continue  # "would halt its strikes": a verb, not a named arrangement
            if w in ("stop", "halt", "pause", "moratorium") and _find(self.v.partial_scopes, low[e : e + 60]):
                typed.append((s, e, "partial_ceasefire"))
        typed.sort()
        merged: list[tuple[int, int, str]] = []
        for m in typed:  # "ceasefire deal", "truce agreement": one mention
            if merged and m[0] - merged[-1][1] <= 2 and m[2] == merged[-1][2]:
                merged[-1] = (merged[-1][0], m[1], m[2])
            else:
                merged.append(m)
        return merged

    def _governing(self, sent: Span, start: int, cues: list[tuple[Token, str]]) -> tuple[Token, str] | None:
        """The status cue that governs the mention at ``start``: an ancestor of it in the parse."""
        tok = next((t for t in sent if t.idx - sent.start_char >= start), None)
        if tok is None:
            return None
        by_token = {cue.i: (cue, status) for cue, status in cues}
        t = tok
        while True:  # up the parse, nearest first
            if t.i in by_token:
                return by_token[t.i]
            if t.pos_ in ("VERB", "AUX") and _refusal(t):
                return None  # "turned down the full ceasefire": refused, not agreed
            if t.head.i == t.i or (t.dep_ == "conj" and t.pos_ in ("VERB", "AUX")):
                return None  # "agreed to X, but turned down Y": Y is not governed by "agreed"
            t = t.head

    def _cue_parties(self, cue: Token) -> list[str]:
        """Parties that agreed: the cue's subject and its conjuncts, or "between X and Y"."""
        parties: list[str] = []
        for t in cue.subtree:
            if t.lower_ == "between":
                for obj in (c for c in t.children if c.dep_ == "pobj"):
                    parties.extend(a.party for a in self.actors.of_token(obj))
        subject = self.r.subject_of(cue) if cue.pos_ in ("VERB", "AUX") else None
        if subject is not None:
            parties.extend(a.party for a in self.actors.of_token(subject))
        return list(dict.fromkeys(parties))

    def _status_cues(self, sent: Span) -> list[tuple[Token, str]]:
        """Words that make agreements real or proposed (agreed / proposed / implemented / violated
        / expired), leaving out the hoped for, denied, conditional and hypothetical."""
        found: list[tuple[Token, str]] = []
        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.pos_ not in ("VERB", "AUX", "NOUN") or lemma not in self.v.status_verbs:
                continue
            if tok.pos_ == "NOUN" and lemma not in ("agreement",):
                continue
            if any(c.dep_ == "neg" for c in tok.children) or any(
                c.dep_ == "aux" and c.lower_ in HYPOTHETICAL and lemma not in ("propose", "offer")
                for c in tok.children
            ):
                continue
            if self._conditional(tok) or any(_refusal(a) for a in tok.ancestors):
                continue
            if (
                tok.tag_ == "VB"
                and any(c.lower_ == "to" and c.dep_ == "aux" for c in tok.children)
                and tok.head.lemma_.lower() not in self.v.status_verbs
            ):
                continue  # "refusal to accept a ceasefire", "reason to accept a truce": not one
            if lemma in ("take", "come", "go", "enter") and not any(
                t.lower_ in ("effect", "force") for t in tok.subtree
            ):
                continue  # only "took effect", "came into force"
            if tok.tag_ == "VBN" and any(
                c.dep_ == "auxpass" and c.lower_ in ("is", "are", "be") for c in tok.children
            ):
                continue  # "the moment a ceasefire is agreed": not yet
            status = self.v.status_verbs[lemma]
            if tok.pos_ == "NOUN":
                status = "agreed"
            if status == "agreed" and any(a.lemma_.lower() in DEMANDS for a in tok.ancestors):
                status = "proposed"  # "demanded that Moscow accept a ceasefire"
            elif (
                tok.tag_ == "VBN"
                and not any(c.dep_ in ("aux", "auxpass") for c in tok.children)
                and tok.dep_ == "amod"
            ):
                status = "proposed" if lemma == "propose" else status  # "the proposed ceasefire"
            found.append((tok, status))
        return found

    def _agreed_action(self, tok: Token) -> bool:
        """ "agreed to stop attacks on energy sites": the verb is what was agreed to."""
        head = tok.head
        return (
            tok.pos_ == "VERB"
            and tok.dep_ == "xcomp"
            and self.v.status_verbs.get(head.lemma_.lower()) in ("agreed", "proposed")
        )

    def _conditional(self, tok) -> bool:
        t = tok
        while t.head.i != t.i:
            if t.dep_ == "advcl" and any(c.lower_ in ("if", "unless", "once", "when") for c in t.children):
                return True
            t = t.head
        return False

    def _np_parties(self, sent: Span, start: int) -> list[str]:
        """Parties named inside the agreement's own noun phrase ("the US-Houthi ceasefire")."""
        tok = next((t for t in sent if t.idx - sent.start_char >= start), None)
        if tok is None:
            return []
        head = tok if tok.dep_ != "compound" else tok.head
        text = sent.text
        cut = MEDIATION.search(text)
        limit = sent.start_char + cut.start() if cut else sent.end_char
        parties: list[str] = []
        for tok in head.subtree:
            if tok.idx >= limit:
                break
            actor = None
            if tok.i in self.r.person_at:
                actor = self.actors.of_name(self.r.person_at[tok.i].name)
            elif tok.ent_type_ in ("GPE", "NORP", "ORG"):
                ent = self.r.entity_of(tok)
                actor = self.actors.of_name(ent.text if ent is not None else tok.text)
            if actor is not None and actor.party not in parties:
                parties.append(actor.party)
        return parties

    def _terms(self, window: str) -> dict[str, object]:
        terms: dict[str, object] = {}
        low = window.lower()
        for start, end, value in numbers_in(window):
            after = low[end : end + 40]
            if CASUALTIES.search(low[max(0, start - 25) : start] + " " + after[:30]):
                continue  # "fighting that killed more than 30 people": a toll, not a term
            m = re.match(r"\s*-?\s*([a-z]+)", after)
            unit = self.v.units.get(m.group(1)) if m else None
            if re.match(r"\s*(?:[a-z]+\s+){0,2}?(?:on each side|each|per side|apiece)\b", after) or re.match(
                r"\s*-?for-?\s*\d", after
            ):
                terms.setdefault("per_side", as_int(value))
                continue
            if unit is None and m and m.group(1) in ("for",):
                continue
            if (
                unit is not None
                and re.match(r"\s*-?\s*[a-z]+\s+of\b", after)
                and unit in ("days", "hours", "weeks", "months")
            ):
                continue  # "after five days of fighting": how long something lasted, not a term
            if unit is not None:
                terms.setdefault(unit, as_int(value))
        return terms


def _refusal(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    return lemma in REFUSALS or (lemma == "turn" and any(c.lower_ == "down" for c in tok.children))


def _merge(items: list[Agreement], near_terms: dict[int, dict[str, object]] | None = None) -> list[Agreement]:
    """One agreement per type in an article unless their terms disagree. A mention that only
    gives terms completes an agreement of the same type made before it in the article with the
    numbers around it ("the truce ... would unfold over 24 hours"), and one made after it with
    the numbers that qualify the mention itself ("rejected a three-month truce ... the RSF agreed
    to the truce")."""
    out = _merge_in_order(items)
    for i, a in enumerate(items):
        if a.status != CONTEXT or not near_terms:
            continue
        later = {id(b) for b in items[i + 1 :] if b.status != CONTEXT}
        for b in out:
            if b.type == a.type and id(b) in later:
                for k, v in near_terms.get(id(a), {}).items():
                    b.terms.setdefault(k, v)
                break
    return out


def _merge_in_order(items: list[Agreement]) -> list[Agreement]:
    out: list[Agreement] = []
    for a in items:
        twin = next(
            (
                b
                for b in out
                if b.type == a.type
                and all(b.terms.get(k) == v for k, v in a.terms.items() if k in b.terms and k != "scope")
            ),
            None,
        )
        if twin is None:
            if a.status != CONTEXT:
                out.append(a)
            continue
        for p in a.parties:
            if p not in twin.parties:
                twin.parties.append(p)
        for k, v in a.terms.items():
            twin.terms.setdefault(k, v)
        twin.date = twin.date or a.date
        if twin.status == "proposed" and a.status not in ("proposed", CONTEXT):
            twin.status = a.status
    return out
