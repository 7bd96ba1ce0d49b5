"""Actors: the party a person, institution or phrase speaks for.

A state's leader, minister, spokesperson, negotiator or envoy speaks for that state; an
institution or capital stands for its state ("Kremlin", "Kyiv", "White House"); a nationality
stands for its state ("Ukrainian officials"). Analysts and commentators are sources, not parties.
The tables come from the gazetteer, so users extend them there.

"The two sides", "both parties", "the warring sides" name the two parties of the conflict or
accord last spelt out in the article ("the war between Armenia and Azerbaijan", "a ceasefire
between India and Pakistan", "Israel and Hamas agreed"): a "between" phrase whose noun is a
war, truce or deal, or the subject of "agree", "sign", "fight", naming exactly two parties.
Talks, contacts and exchanges do not count, since those are often between a party and a mediator.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from detente.extract.gazetteer import Gazetteer
from detente.extract.lexicon import Lexicon
from detente.extract.mentions import Resolver, Speaker

# Nouns for which "between X and Y" names the two sides.
SIDES_OF = frozenset(
    {
        "war", "conflict", "fighting", "fight", "hostility", "clash", "tension", "dispute", "standoff",
        "ceasefire", "cease-fire", "truce", "armistice", "deal", "agreement", "accord", "treaty",
        "peace",
    }
)  # fmt: skip
# Verbs whose coordinated subjects are the two sides ("Israel and Hamas agreed to a truce").
SIDE_VERBS = frozenset({"agree", "sign", "reach", "fight", "clash"})
# Plural nouns that, with "two", "both" or "warring", name the two sides.
SIDE_NOUNS = frozenset({"side", "party", "country", "nation", "belligerent", "adversary", "foe", "rival"})


@dataclass(frozen=True, slots=True)
class Actor:
    party: str
    speaker: str | None  # the person or institution named, when it is not the party itself
    analyst: bool = False  # an analyst's view of the party, not the party's own statement


class ActorResolver:
    """Maps resolved speakers and subject tokens of one document to parties."""

    def __init__(self, resolver: Resolver, gazetteer: Gazetteer, lexicon: Lexicon) -> None:
        self.r = resolver
        self.gaz = gazetteer
        self.lex = lexicon
        self.people = {c.name: c for c in resolver.clusters.values()}
        self._pairs: list[tuple[int, tuple[Actor, Actor]]] | None = None

    def of_name(self, name: str | None) -> Actor | None:
        """The party of a speaker's name: a person, an institution, a state, a nationality phrase."""
        if not name:
            return None
        person = self.people.get(name)
        if person is not None:
            if self.lex.is_analyst(person.role) and not self.gaz.person(person.name):
                return None
            return Actor(person.party, person.name) if person.party else None
        party = self.gaz.party_of(name)
        if party:
            return Actor(party, None if party == name else name)
        for word in name.split():  # "Ukrainian officials", "the Israeli government"
            party = self.gaz.state_of_demonym(word) or self.gaz.party_of(word)
            if party:
                return Actor(party, name)
        return None

    def of_speaker(self, speaker: Speaker | None) -> Actor | None:
        return self.of_name(speaker.name) if speaker else None

    def of_token(self, tok: Token) -> list[Actor]:
        """Parties a subject or possessor token refers to, including its conjuncts
        ("Ukraine and Russia have agreed")."""
        if self._is_sides(tok):
            return self._sides(tok)
        found: list[Actor] = []
        for t in [tok, *[c for c in tok.children if c.dep_ == "conj"]]:
            actor = self._single(t)
            candidates = [actor] if actor is not None else []
            if t.pos_ == "NOUN":
                # "the foreign ministers of Congo and Rwanda": every state after "of"
                candidates += [self._single(c) for c in self._of_objects(t)]
            for a in candidates:
                if a is not None and a.party not in {f.party for f in found}:
                    found.append(a)
        return found

    def _of_objects(self, tok: Token) -> list[Token]:
        """Conjuncts of the object of "of"/"from" after a common noun (the first is found by
        :meth:`_single`)."""
        if tok.pos_ != "NOUN":
            return []
        out: list[Token] = []
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "from")):
            objs = [c for c in prep.children if c.dep_ == "pobj"]
            out.extend(objs[1:])  # the parser sometimes hangs "and Rwanda" on "of" directly
            for obj in objs:
                # a name may hold its own "of" ("the Republic of the Congo and Rwanda")
                ent = self.r.entity_of(obj)
                inside = list(ent) if ent is not None else [obj]
                for t in inside:
                    out.extend(c for c in t.children if c.dep_ == "conj" and c not in inside)
        return out

    def _is_sides(self, tok: Token) -> bool:
        """ "the two sides", "both parties", "the warring countries"."""
        if tok.lemma_.lower() not in SIDE_NOUNS or tok.tag_ not in ("NNS", "NNPS"):
            return False
        return any(c.lower_ in ("two", "both", "warring") for c in tok.children)

    def _side_pairs(self) -> list[tuple[int, tuple[Actor, Actor]]]:
        """(token index, the two parties) of every "<war/truce/deal> between X and Y" and every
        "X and Y agreed / signed / fought" in the doc."""
        if self._pairs is None:
            self._pairs = []
            for t in self.r.doc:
                if t.lower_ == "between" and t.head.lemma_.lower() in SIDES_OF:
                    named = [c for c in t.children if c.dep_ == "pobj"]
                elif (
                    t.dep_ == "nsubj"
                    and t.head.lemma_.lower() in SIDE_VERBS
                    and any(c.dep_ == "conj" for c in t.children)
                ):
                    named = [t]
                else:
                    continue
                found: list[Actor] = []
                for obj in named:
                    if self._is_sides(obj):
                        continue
                    for a in self.of_token(obj):
                        if a.party not in {f.party for f in found}:
                            found.append(a)
                if len(found) == 2:
                    self._pairs.append((t.i, (found[0], found[1])))
        return self._pairs

    def _sides(self, tok: Token) -> list[Actor]:
        """The two parties "the two sides" at ``tok`` refers to: the last pair named before it."""
        before = [pair for i, pair in self._side_pairs() if i < tok.i]
        return list(before[-1]) if before else []

    def _single(self, tok: Token) -> Actor | None:
        if tok.lower_ in ("country", "government", "side", "delegation", "forces", "army"):
            owner = next((c for c in tok.children if c.dep_ == "poss"), None)
            if owner is not None:  # "his country", "Russia's delegation"
                inner = self._single(owner)
                if inner is not None:
                    return inner
        actor = self.of_speaker(self.r.resolve(tok))
        if actor is not None:
            return actor
        if tok.pos_ == "NOUN":  # "the leaders of Armenia and Azerbaijan", "a meeting of leaders from X"
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "from")):
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if obj is not None and obj.i != tok.i:
                    found = self._single(obj)
                    if found is not None:
                        return found
        if tok.ent_type_ in ("GPE", "NORP", "ORG"):
            ent = self.r.entity_of(tok)
            return self.of_name(ent.text if ent is not None else tok.text)
        for child in tok.children:  # "the Kremlin readout", "Ukrainian officials"
            if child.dep_ in ("compound", "amod", "nmod") and child.ent_type_ in ("GPE", "NORP", "ORG"):
                return self.of_name(child.text)
        return None
