"""Who a mention refers to: persons, pronouns, institutions, parties and descriptions.

Shared by the quote and position extractors: both must turn a subject ("he", "the Kremlin",
"the Russian leader", "Russian lawmaker Andrey Klishas") into a named speaker or party.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from detente.extract.gazetteer import Gazetteer
from detente.extract.lexicon import Lexicon
from detente.extract.nlp import doc_index
from detente.extract.people import Cluster

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj", "expl")
PRONOUNS_M = {"he", "him", "his"}
PRONOUNS_F = {"she", "her"}
PRONOUNS_IT = {"it", "its"}
PRONOUNS_THEY = {"they", "them"}
ENTITY_SPEAKERS = ("ORG", "GPE", "NORP", "FAC")


@dataclass(slots=True)
class Speaker:
    """Who a mention names: a resolved name and the mention that named it."""

    name: str | None
    mention: Token | Span | None
    via: str  # "name", "pronoun", "entity", "description", "noun", "context"


class Resolver:
    """Resolves mentions in one parsed document, given its people."""

    def __init__(
        self, doc: Doc, clusters: dict[int, Cluster], gazetteer: Gazetteer, lexicon: Lexicon
    ) -> None:
        self.doc = doc
        self.ix = doc_index(doc)
        self.text = self.ix.text
        self.gaz = gazetteer
        self.lex = lexicon
        self.clusters = clusters
        self.mention_starts = sorted(clusters)
        self.person_at = self._person_index(doc, clusters)
        self.quoted: list[tuple[int, int]] = []
        self._quoted_starts: list[int] = []

    # ---- indexes ------------------------------------------------------------------------
    def _person_index(self, doc: Doc, clusters: dict[int, Cluster]) -> dict[int, Cluster]:
        """token index -> person cluster, for every token inside a person mention."""
        out: dict[int, Cluster] = {}
        for c in {id(c): c for c in clusters.values()}.values():
            for m in c.mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None:
                    for t in span:
                        out[t.i] = c
        return out

    def set_quoted(self, spans: list[tuple[int, int]]) -> None:
        """The direct quotes' spans: people named inside quotes are not antecedents of pronouns."""
        self.quoted = sorted(spans)
        self._quoted_starts = [s for s, _ in self.quoted]

    def in_quote(self, start: int, end: int) -> bool:
        k = bisect_right(self._quoted_starts, start) - 1  # quoted spans are sorted and disjoint
        return k >= 0 and end <= self.quoted[k][1]

    # ---- speakers -----------------------------------------------------------------------
    def token_at(self, offset: int) -> Token | None:
        span = self.doc.char_span(offset, min(offset + 1, len(self.text)), alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    def resolve(self, head: Token) -> Speaker | None:
        """The speaker a subject (or ``according to`` object) token refers to."""
        if head.i in self.person_at:
            c = self.person_at[head.i]
            return Speaker(c.name, self.mention_span(head), "name")
        # "Russian lawmaker Andrey Klishas", "former US ambassador ... Michael McFaul": the name inside.
        # "Deputy Prime Minister and Foreign Minister Ishaq Dar": through a coordinated title too.
        heads = [head, *(c for c in head.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN"))]
        for h in heads:
            for t in h.children:
                if t.dep_ in ("compound", "appos", "flat", "nmod") and t.i in self.person_at:
                    return Speaker(self.person_at[t.i].name, self.mention_span(t), "name")
        low = head.lower_
        if head.pos_ == "PRON" or low in PRONOUNS_M | PRONOUNS_F | PRONOUNS_IT | PRONOUNS_THEY:
            return self.pronoun(head)
        subtree = list(head.subtree)
        # A description: "the Russian leader", "the US president", "the Russian".
        ent = self.entity_of(head)
        if ent is not None and ent.label_ in ENTITY_SPEAKERS:
            if (
                ent.label_ == "NORP"
                and head.lower_ not in self.lex.role_heads
                and head.i in range(ent.start, ent.end)
            ):
                # "according to the Russian": a nationality standing for a person of it.
                found = self.person_of_party(self.gaz.state_of_demonym(ent.text), head.idx)
                if found:
                    return Speaker(found.name, head, "description")
            name = re.sub(r"^(?:the|The)\s+", "", ent.text)
            name = re.sub(r"(?:'s|’s)$", "", name)
            return Speaker(name, ent, "entity")
        if low in self.lex.role_heads or head.lemma_.lower() in self.lex.role_heads:
            party = None
            for t in subtree:
                if t.ent_type_ in ("NORP", "GPE"):
                    party = self.gaz.party_of(t.text)
            if any(t.lower_ == "the" for t in subtree) and head.tag_ != "NNS":
                found = self.person_of_party(party, head.idx, role=low)
                if found:
                    return Speaker(found.name, head, "description")
        if head.lemma_.lower() in self.lex.speech_nouns:
            for t in subtree:
                if t.i in self.person_at:
                    return Speaker(self.person_at[t.i].name, self.mention_span(t), "name")
            for t in subtree:
                e = self.entity_of(t)
                if e is not None and e.label_ in ("ORG", "GPE"):
                    return Speaker(re.sub(r"^(?:the|The)\s+", "", e.text), e, "entity")
            return None
        # A plain noun phrase: "European officials", "a Qatari official", "analysts".
        if head.pos_ in ("NOUN", "PROPN"):
            words = [t for t in subtree if t.i <= head.i and t.dep_ != "det" and not t.is_punct]
            if words:
                phrase = self.doc[words[0].i : head.i + 1]
                if any(t.ent_type_ for t in phrase) or (head.tag_ in ("NNS", "NNPS") and len(phrase) > 1):
                    return Speaker(phrase.text, phrase, "noun")
                if head.tag_ in ("NNS", "NNPS"):
                    return Speaker(None, phrase, "noun")  # "analysts", "sources": unnamed
        return None

    def with_phrase(self, who: Speaker | None, head: Token) -> Speaker | None:
        """The speaker, its mention widened to the whole noun phrase that names it
        ("longtime Democratic pollster Pat Caddell", "the Kremlin"): the span a reader would mark."""
        if who is None or who.via == "pronoun" or head.pos_ == "PRON":
            return who
        start = head.left_edge.i
        end = head.i + 1
        while (
            end < len(self.doc)
            and self.doc[end].dep_ in ("flat", "compound")
            and self.doc[end].head.i == head.i
        ):
            end += 1
        while start < head.i and (self.doc[start].is_punct or self.doc[start].dep_ == "cc"):
            start += 1
        return Speaker(who.name, self.doc[start:end], who.via)

    def mention_span(self, tok: Token) -> Span:
        c = self.person_at[tok.i]
        i, j = tok.i, tok.i + 1
        while i > 0 and self.person_at.get(i - 1) is c:
            i -= 1
        while j < len(self.doc) and self.person_at.get(j) is c:
            j += 1
        return self.doc[i:j]

    def entity_of(self, tok: Token) -> Span | None:
        return self.ix.ent(tok.i) if tok.ent_type_ else None

    def person_of_party(self, party: str | None, before: int, role: str | None = None) -> Cluster | None:
        """The most recently mentioned person of ``party`` (and role) before offset ``before``."""
        best: tuple[int, Cluster] | None = None
        for c in {id(c): c for c in self.clusters.values()}.values():
            if party and c.party != party:
                continue
            if role and not (c.role and role in c.role.lower()) and party is None:
                continue
            last = max((m.start for m in c.mentions if m.start < before), default=-1)
            if last >= 0 and (best is None or last > best[0]):
                best = (last, c)
        return best[1] if best else None

    def pronoun(self, tok: Token) -> Speaker | None:
        low = tok.lower_
        if low in PRONOUNS_M | PRONOUNS_F:
            gender = "m" if low in PRONOUNS_M else "f"
            # A subject earlier in the same sentence first ("Putin promised Trump that if his ..."),
            # else the nearest mention before.
            sent = self.ix.sent(tok.i)
            for t in sent:
                if t.i >= tok.i:
                    break
                c = self.person_at.get(t.i)
                if (
                    c is not None
                    and t.dep_ in ("nsubj", "nsubjpass")
                    and c.gender in (gender, None)
                    and not self.in_quote(t.idx, t.idx + 1)
                ):
                    return Speaker(c.name, tok, "pronoun")
            # Then the subject of the previous sentence, the usual topic a pronoun continues.
            if sent.start > 0:
                for t in self.ix.sent(sent.start - 1):
                    c = self.person_at.get(t.i)
                    if (
                        c is not None
                        and t.dep_ == "nsubj"
                        and t.head.dep_ == "ROOT"
                        and c.gender in (gender, None)
                    ) and not self.in_quote(t.idx, t.idx + 1):
                        return Speaker(c.name, tok, "pronoun")
            i = bisect_right(self.mention_starts, tok.idx) - 1
            while i >= 0:
                start = self.mention_starts[i]
                c = self.clusters[start]
                if not self.in_quote(start, start + 1) and c.gender in (gender, None):
                    return Speaker(c.name, tok, "pronoun")
                i -= 1
            return None
        if low in PRONOUNS_IT:
            # The nearest organisation or state named as a subject before this sentence's end.
            for sent in self.sentences_back(tok, 3):
                for t in reversed(list(sent)):
                    if t.i >= tok.i or t.dep_ not in SUBJECT_DEPS:
                        continue
                    e = self.entity_of(t)
                    if e is not None and e.label_ in ("ORG", "GPE"):
                        return Speaker(re.sub(r"^(?:the|The)\s+", "", e.text), tok, "pronoun")
            return None
        return None

    def sentences_back(self, tok: Token, n: int) -> list[Span]:
        sents = []
        sent = self.ix.sent(tok.i)
        while sent is not None and len(sents) < n:
            sents.append(sent)
            if sent.start == 0:
                break
            sent = self.ix.sent(sent.start - 1)
        return sents

    def subject_of(self, verb: Token) -> Token | None:
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        named = [c for c in subjects if c.i in self.person_at]
        if named:  # "Russian lawmaker Andrey Klishas stated": two subjects, the name wins
            return named[-1]
        for child in verb.children:
            if child.dep_ == "nsubj":
                return child
            if child.dep_ == "nsubjpass":  # "bombings were reported": the agent, if any, speaks
                agent = next((c for c in verb.children if c.dep_ == "agent"), None)
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
                return pobj
        # "…, saying …" / "and added" / "was meant to finalise X and ask Y": borrow the subject
        # of the governing verb, up a short chain of controlled and coordinated verbs.
        v = verb
        for _ in range(3):
            if v.dep_ not in ("advcl", "xcomp", "conj", "ccomp") or v.head.i == v.i:
                break
            v = v.head
            for child in v.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    return child
            if v.dep_ == "ccomp":
                break
        return None
