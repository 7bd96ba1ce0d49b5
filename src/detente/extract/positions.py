"""Positions: which party demands, offers, accepts or rejects what, with the evidence.

Three kinds of cue carry a stance: verbs ("Kyiv insisted on a truce", "Putin refused ..."),
nouns ("Putin's refusal to accept a ceasefire", "the ceasefire demand from Ukraine", "the
US-backed proposal") and adjectives ("Kyiv is ready for a ceasefire"); in a party's own words a
modal ("a settlement must ...") makes a demand. The actor is the cue's subject, possessor or
sponsor, resolved to a party; first-person words inside a quote belong to the speaker's party.
The issue comes from issue terms in the cue's scope. Negation flips acceptance and offers into
rejection; conditions ("only if", "so long as") and red lines are flagged. Analysts' claims about
a party are kept with lower confidence and ``source_kind="analyst"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Span, Token

from detente.config import DATA_DIR
from detente.extract.actors import Actor, ActorResolver
from detente.extract.mentions import Resolver
from detente.records import Evidence, Position, Quote

FIRST_PERSON = {"we", "i", "us", "our", "my"}
OWN_GROUP_NOUNS = {"group", "movement", "organisation", "organization", "militia"}
NEGATIONS = {"not", "n't", "never", "no"}
CONFIDENCE = {"own": 0.9, "reported": 0.75, "narrative": 0.6, "analyst": 0.4}


@dataclass(frozen=True, slots=True)
class PositionVocab:
    verbs: dict[str, str]  # lemma -> stance
    particles: dict[str, frozenset[str]]
    nouns: dict[str, str]
    adjectives: dict[str, str]
    sponsor_suffixes: frozenset[str]
    modals: frozenset[str]
    modal_phrases: tuple[str, ...]
    conditionals: tuple[str, ...]
    red_lines: tuple[str, ...]
    issues: dict[str, tuple[str, ...]]  # issue -> terms (lower case)
    weak: frozenset[str]
    issue_limits: dict[str, frozenset[str]]
    hypothetical: frozenset[str]
    scene_preps: frozenset[str]
    scene_marks: frozenset[str]
    silent_when_negated: frozenset[str]


@lru_cache(maxsize=4)
def load_vocab(path: Path = DATA_DIR / "positions.yaml") -> PositionVocab:
    with open(path, encoding="utf-8") as f:
        raw = yaml.safe_load(f)

    def invert(table: dict[str, list[str]]) -> dict[str, str]:
        return {w.lower(): stance for stance, words in table.items() for w in words}

    return PositionVocab(
        verbs=invert(raw["stance_verbs"]),
        particles={k: frozenset(str(w).lower() for w in v) for k, v in raw.get("verb_particles", {}).items()},
        nouns=invert(raw["stance_nouns"]),
        adjectives=invert(raw["stance_adjectives"]),
        sponsor_suffixes=frozenset(raw.get("sponsor_suffixes", [])),
        modals=frozenset(raw.get("demand_modals", [])),
        modal_phrases=tuple(raw.get("demand_phrases", [])),
        conditionals=tuple(raw.get("conditional_markers", [])),
        red_lines=tuple(raw.get("red_line_markers", [])),
        issues={k: tuple(str(t).lower() for t in v) for k, v in raw["issues"].items()},
        weak=frozenset(raw.get("weak_issue_terms", [])),
        issue_limits={k: frozenset(v) for k, v in raw.get("verb_issue_limits", {}).items()},
        hypothetical=frozenset(raw.get("hypothetical_modals", [])),
        scene_preps=frozenset(raw.get("scene_prepositions", [])),
        scene_marks=frozenset(raw.get("scene_conjunctions", [])),
        silent_when_negated=frozenset(raw.get("silent_when_negated", [])),
    )


def issue_patterns(vocab: PositionVocab) -> dict[str, re.Pattern[str]]:
    """One compiled alternation per issue, longest terms first."""
    return {
        issue: re.compile(
            r"(?<![\w-])(?:"
            + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
            + r")(?![\w-])"
        )
        for issue, terms in vocab.issues.items()
    }


def _has_phrase(words: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", words) is not None


class PositionFinder:
    """Finds positions in one parsed document, given its resolver and quotes."""

    def __init__(self, vocab: PositionVocab | None = None) -> None:
        self.v = vocab or load_vocab()
        self.patterns = issue_patterns(self.v)

    def find(
        self, resolver: Resolver, actors: ActorResolver, quotes: list[Quote], date: str | None
    ) -> list[Position]:
        self.r, self.actors, self.date = resolver, actors, date
        self.quotes = quotes
        found: list[Position] = []
        for sent in resolver.ix.sents:
            found.extend(self._sentence(sent))
        return _dedupe(found)

    # ---- issues -------------------------------------------------------------------------
    def issues_in(self, tokens: list[Token]) -> list[str]:
        """Issues named by a run of tokens, most specific evidence first."""
        if not tokens:
            return []
        words = "".join(
            t.text_with_ws.lower()
            if t.whitespace_
            else t.lower_ + (" " if t.is_punct and t.text != "-" else "")
            for t in tokens
        )
        words = (
            " ".join(t.lower_ for t in tokens) + " | " + words
        )  # spaced tokens and "de-escalate" as written
        lemmas = " ".join(t.lemma_.lower() for t in tokens)
        strong: list[str] = []
        weak: list[str] = []
        for issue, pattern in self.patterns.items():
            hits = {m.group(0) for text in (words, lemmas) for m in pattern.finditer(text)}
            if hits:
                (strong if any(h not in self.v.weak for h in hits) else weak).append(issue)
        if strong:
            found = list(dict.fromkeys(strong))
            # "stop attacks on energy infrastructure" is about the infrastructure, not a general truce
            if (
                "infrastructure" in found
                and "ceasefire" in found
                and not any(_has_phrase(words, t) for t in ("ceasefire", "truce", "cease-fire", "armistice"))
            ):
                found.remove("ceasefire")
            return found
        return list(dict.fromkeys(weak))[:1]

    # ---- context ------------------------------------------------------------------------
    def _quote_at(self, offset: int) -> Quote | None:
        for q in self.quotes:
            if q.start <= offset < q.end:
                return q
        return None

    def _source(self, tok: Token) -> tuple[str, Quote | None]:
        q = self._quote_at(tok.idx)
        if q is None:
            return "narrative", None
        speaker = self.actors.of_name(q.speaker)
        if q.speaker and speaker is None and q.speaker in self.actors.people:
            return "analyst", q
        return ("own" if q.kind == "direct" else "reported"), q

    def _actors_for(self, tok: Token | None, quote: Quote | None) -> list[Actor]:
        if tok is None:
            return []
        if quote is not None and (tok.lower_ in FIRST_PERSON or self._own_group(tok, quote)):
            actor = self.actors.of_name(quote.speaker)
            return [actor] if actor else []
        return self.actors.of_token(tok)

    def _own_group(self, tok: Token, quote: Quote) -> bool:
        """ "the group had accepted the plan", said by a Hamas official: the speaker's own group
        (only when the speaker speaks for an armed or political group: "the group" in a state
        leader's words is someone else)."""
        if tok.lower_ not in OWN_GROUP_NOUNS or not any(c.lower_ == "the" for c in tok.children):
            return False
        if any(c.dep_ in ("poss", "compound", "amod", "prep") for c in tok.children):
            return False
        speaker = self.actors.of_name(quote.speaker)
        entry = self.actors.gaz.lookup(speaker.party) if speaker is not None else None
        return entry is not None and entry.type == "group"

    # ---- cues ---------------------------------------------------------------------------
    def _sentence(self, sent: Span) -> list[Position]:
        out: list[Position] = []
        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.pos_ in ("VERB", "AUX") and lemma in self.v.verbs:
                out.extend(self._verb(tok, sent))
            elif tok.pos_ in ("NOUN", "PROPN") and lemma in self.v.nouns:
                out.extend(self._noun(tok, sent))
            elif tok.pos_ == "ADJ" and lemma in self.v.adjectives:
                out.extend(self._adjective(tok, sent))
            elif tok.lower_ in self.v.modals and tok.tag_ == "MD":
                out.extend(self._modal(tok, sent))
            elif tok.lower_ == "no" and tok.dep_ == "det":
                out.extend(self._there_will_be_no(tok, sent))
        return out

    def _there_will_be_no(self, det: Token, sent: Span) -> list[Position]:
        """ "There will be no truce while ...", in a party's own or reported words, rejects it.
        Told by the journalist it is a fact about the talks, not a stance."""
        noun = det.head
        verb = noun.head
        if verb.lemma_ != "be" or not any(c.dep_ == "expl" for c in verb.children):
            return []
        kind, quote = self._source(det)
        if quote is None:
            return []
        speaker = self.actors.of_name(quote.speaker)
        if speaker is None:
            return []
        named = [t for t in noun.subtree if t.i <= noun.i or t.dep_ in ("prep", "pobj", "compound")]
        return self._emit([speaker], self.issues_in(named), "reject", noun, sent, kind, quote)

    def _verb(self, verb: Token, sent: Span) -> list[Position]:
        lemma = verb.lemma_.lower()
        need = self.v.particles.get(lemma)
        if need and not any(c.lower_ in need for c in verb.children if c.dep_ in ("prt", "prep", "dative")):
            return []
        stance = self.v.verbs[lemma]
        if self._hypothetical(verb):
            return []  # "he could reject", "there is little reason for him to accept"
        kind, quote = self._source(verb)
        subject = self.r.subject_of(verb)
        if subject is None and verb.dep_ == "relcl":  # "the ceasefire the US imposed": no subject found
            return []
        actors = self._actors_for(subject, quote)
        if not actors and verb.dep_ in ("xcomp",) and verb.head.lemma_.lower() in self.v.verbs:
            return []  # handled by the governing verb ("refused to accept")
        if self._reported_by_other_stance(verb):
            return []  # "demanded that Moscow accept", "denied that Tehran had agreed"
        stance = self._polarity(verb, stance)
        if stance is None:
            return []
        issues = self._scope_issues(verb)
        limit = self.v.issue_limits.get(lemma)
        if limit is not None:  # "declared a truce" is an offer; "declared victory" is not
            issues = [i for i in issues if i in limit]
        return self._emit(actors, issues, stance, verb, sent, kind, quote)

    def _noun(self, noun: Token, sent: Span) -> list[Position]:
        lemma = noun.lemma_.lower()
        need = self.v.particles.get(lemma)
        if need and not any(c.lower_ in need for c in noun.children if c.dep_ == "prep"):
            return []  # "a call for a truce", not "held a call"
        stance = self.v.nouns[lemma]
        if self._in_condition(noun) and stance != "demand":
            return []
        kind, quote = self._source(noun)
        actors: list[Actor] = []
        agreement = noun.lemma_.lower() == "agreement"
        for child in noun.children:
            if child.dep_ == "poss" and not agreement:
                actors.extend(self._actors_for(child, quote))
            elif child.dep_ in ("compound", "amod", "nmod") and (
                child.ent_type_ in ("GPE", "NORP", "ORG", "PERSON") or self._sponsor(child)
            ):
                sponsor = self._sponsor(child)
                actors.extend(self.actors.of_token(sponsor or child))
            elif child.dep_ == "prep" and (
                child.lower_ in ("from", "by") or (agreement and child.lower_ == "between")
            ):
                # "an agreement between X and Y" is both parties' (when reached, checked below)
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        actors.extend(self.actors.of_token(obj))
        has_owner = any(c.dep_ == "poss" for c in noun.children)
        if not actors and not has_owner and noun.dep_ in ("dobj", "pobj"):  # "the mediators' plan" is theirs
            governor = noun.head if noun.dep_ == "dobj" else noun.head.head
            if governor.pos_ in ("VERB", "AUX"):
                actors = self._actors_for(self.r.subject_of(governor), quote)
        if not actors:
            return []
        if noun.lemma_.lower() == "agreement" and not self._agreement_reached(noun):
            return []
        excluded = self._poss_tokens(noun) | self._excluded(noun)
        scope = [t for t in noun.subtree if t not in excluded]
        rest = self._colon_list(noun, sent)
        issues = self.issues_in(scope + rest)
        if not issues and stance == "demand" and noun.dep_ == "nsubjpass":
            # "if his demands were fulfilled and Ukraine left the Donbas": the clause spells them out
            excluded |= self._excluded(noun.head, keep_clauses=True)
            issues = self.issues_in([t for t in noun.head.subtree if t not in excluded])
        return self._emit(actors, issues, stance, noun, sent, kind, quote)

    def _adjective(self, adj: Token, sent: Span) -> list[Position]:
        head = adj.head if adj.dep_ == "acomp" else adj
        subject = self.r.subject_of(head) if head.pos_ in ("VERB", "AUX") else None
        kind, quote = self._source(adj)
        actors = self._actors_for(subject, quote)
        stance = self._polarity(head if head.i != adj.i else adj, self.v.adjectives[adj.lemma_.lower()], adj)
        if stance is None:
            return []
        return self._emit(actors, self.issues_in(list(adj.subtree)), stance, adj, sent, kind, quote)

    def _modal(self, modal: Token, sent: Span) -> list[Position]:
        kind, quote = self._source(modal)
        if quote is None:
            return []  # a journalist's "must" is not a party's demand
        speaker = self.actors.of_name(quote.speaker)
        if speaker is None:
            return []
        verb = modal.head
        if any(c.dep_ == "neg" for c in verb.children):
            return []
        return self._emit([speaker], self.issues_in(list(verb.subtree)), "demand", verb, sent, kind, quote)

    # ---- helpers ------------------------------------------------------------------------
    def _reported_by_other_stance(self, verb: Token) -> bool:
        """A stance verb in the complement of a demand or a denial is that verb's content, not its
        own subject's stance: "leaders demanded that Moscow accept a truce" is no Russian acceptance,
        "officials denied that Tehran had agreed" no Iranian one, "asked him to accept" no acceptance."""
        gov = verb.head
        if verb.dep_ not in ("ccomp", "xcomp") or gov.i == verb.i:
            return False
        stance = self.v.verbs.get(gov.lemma_.lower())
        if stance == "demand":
            return True
        return stance == "reject" and verb.dep_ == "ccomp"

    def _hypothetical(self, verb: Token) -> bool:
        if any(c.dep_ == "aux" and c.lower_ in self.v.hypothetical for c in verb.children):
            return True
        if verb.head.pos_ == "NOUN" and any(c.lower_ == "to" and c.dep_ == "aux" for c in verb.children):
            return True  # "little reason for him to accept", "a plan to withdraw"
        return self._in_condition(verb)

    def _in_condition(self, tok: Token) -> bool:
        """Inside an 'if'/'unless' clause: a condition, not a stance ("if Russia wants peace")."""
        t = tok
        while t.head.i != t.i:
            if t.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in t.children
            ):
                return True
            t = t.head
        return False

    def _excluded(self, cue: Token, keep_clauses: bool = False) -> set[Token]:
        """Scope tokens that do not name the object of a stance: conditions ("if his demands
        were met, ..."), scene-setting phrases ("after talks in Riyadh"), negated parts ("and
        certainly not to X") and coordinated clauses ("agreed to X, but rejected Y")."""
        out: set[Token] = set()
        doc = cue.doc
        for t in cue.subtree:
            if t.i == cue.i:
                continue
            if t.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in t.children
            ):
                out.update(t.subtree)
                # A preposed condition runs on to the main clause's subject ("if X, the Y that Z, he would").
                subject = next(
                    (c for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i > t.i), None
                )
                if subject is not None:
                    out.update(doc[t.left_edge.i : subject.left_edge.i])
            elif self._aside(t, cue, keep_clauses):
                out.update(t.subtree)
        return out

    def _aside(self, t: Token, cue: Token, keep_clauses: bool = False) -> bool:
        scene = (t.dep_ == "prep" and t.lower_ in self.v.scene_preps) or (
            t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in self.v.scene_marks for c in t.children)
        )
        negated = t.pos_ == "ADP" and any(c.dep_ == "neg" for c in t.children)
        glued = t.i > 0 and t.doc[t.i - 1].text == "-" and not t.doc[t.i - 1].whitespace_
        other_clause = (  # "de-escalate" split by the tokenizer is one word, not a clause
            not keep_clauses
            and t.dep_ == "conj"
            and t.head.i == cue.i
            and t.pos_ in ("VERB", "AUX")
            and not glued
            and not self._same_commitment(t, cue)
        )
        return scene or negated or other_clause

    def _same_commitment(self, clause: Token, cue: Token) -> bool:
        """ "we will honor that, and we will stop the bombings": a clause joined by "and" that
        carries no stance word or negation of its own spells out what the cue commits to."""
        joined_by_and = any(c.dep_ == "cc" and c.lower_ == "and" for c in (*cue.children, *clause.children))
        own_stance = clause.lemma_.lower() in self.v.verbs or any(
            c.dep_ == "neg" or c.lower_ in NEGATIONS for c in clause.children
        )
        return joined_by_and and not own_stance

    def _sponsor(self, tok: Token) -> Token | None:
        """ "US-backed": the token naming the sponsor of a proposal."""
        if tok.lower_ in self.v.sponsor_suffixes:
            for c in tok.children:
                if c.ent_type_ in ("GPE", "NORP", "ORG"):
                    return c
            prev = tok.doc[tok.i - 2] if tok.i >= 2 and tok.doc[tok.i - 1].text == "-" else None
            if prev is not None and prev.ent_type_ in ("GPE", "NORP", "ORG"):
                return prev
        return None

    def _poss_tokens(self, noun: Token) -> set[Token]:
        return {t for c in noun.children if c.dep_ == "poss" for t in c.subtree}

    def _colon_list(self, noun: Token, sent: Span) -> list[Token]:
        """ "his demands ...: Not X and certainly not Y" — the list after a colon spells them out."""
        end = noun.right_edge.i + 1
        if end < sent.end and sent.doc[end].text == ":":
            return list(sent.doc[end + 1 : sent.end])
        return []

    def _agreement_reached(self, noun: Token) -> bool:
        """ "an agreement on X" counts as acceptance only when reached, not when sought."""
        head = noun.head
        return (
            head.lemma_.lower() not in ("seek", "want", "push", "urge", "need", "reach")
            or head.lemma_ == "reach"
        )

    def _scope_issues(self, verb: Token, only: set[str] | None = None) -> list[str]:
        subject = self.r.subject_of(verb)
        skip = set(subject.subtree) if subject is not None and subject.head.i == verb.i else set()
        skip |= self._excluded(verb)
        scope = [t for t in verb.subtree if t not in skip]
        if verb.dep_ == "relcl":
            scope = [verb.head, *scope]
        issues = self.issues_in(scope)
        return [i for i in issues if i in only] if only else issues

    def _polarity(self, head: Token, stance: str, word: Token | None = None) -> str | None:
        negated = any(c.dep_ == "neg" or c.lower_ in NEGATIONS for c in head.children)
        if word is not None and word.i != head.i:
            negated = negated or any(c.dep_ == "neg" for c in word.children)
        # "refused to accept": the governing verb decides
        if head.dep_ == "xcomp" and head.head.lemma_.lower() in self.v.verbs:
            gov = self.v.verbs[head.head.lemma_.lower()]
            if gov == "reject":
                negated = not negated
        if not negated:
            return stance
        if head.lemma_.lower() in self.v.silent_when_negated:
            return None  # "did not confirm the truce" is silence, not rejection
        return {"accept": "reject", "offer": "reject", "reject": None, "demand": None}[stance]

    def _flags(self, sent: Span) -> tuple[bool, bool]:
        low = " " + sent.text.lower() + " "
        conditional = any(_has_phrase(low, m) for m in self.v.conditionals)
        red = any(_has_phrase(low, m) for m in self.v.red_lines)
        return conditional, red

    def _emit(
        self,
        actors: list[Actor],
        issues: list[str],
        stance: str,
        cue: Token,
        sent: Span,
        kind: str,
        quote: Quote | None,
    ) -> list[Position]:
        if not actors or not issues:
            return []
        conditional, red = self._flags(sent)
        speaker = quote.speaker if quote is not None else None
        text = sent.text.strip()
        start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        evidence = Evidence(start, start + len(text), text, text)
        out = []
        for actor in actors:
            source = "analyst" if kind == "analyst" or actor.analyst else kind
            for issue in issues:
                out.append(
                    Position(
                        actor=actor.party,
                        issue=issue,
                        stance=stance,  # type: ignore[arg-type]
                        evidence=evidence,
                        speaker=speaker or actor.speaker,
                        source_kind=source,  # type: ignore[arg-type]
                        conditional=conditional,
                        red_line=red,
                        negated=False,
                        confidence=CONFIDENCE[source],
                        date=self.date,
                    )
                )
        return out


def _dedupe(items: list[Position]) -> list[Position]:
    """One position per (actor, issue, stance, sentence)."""
    seen: set[tuple[str, str, str, int]] = set()
    out = []
    for p in items:
        key = (p.actor, p.issue, p.stance, p.evidence.start)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
