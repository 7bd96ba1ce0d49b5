"""Events: calls, meetings, summits, talks, statements and attacks, with who, where and when.

An event needs a trigger ("held a call", "summit", "met with a delegation", "announced") and
enough to place it: participants, and a date or a place. Dates resolve against the article
date; an event told without a date takes the date of the sentence just before it when that
one gave a date (news tells a day's events in order). Places are the named locations that
follow "in", "at" or "during" in the sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Span, Token

from detente.config import DATA_DIR
from detente.extract.actors import ActorResolver
from detente.extract.dates import first_date
from detente.extract.mentions import Resolver
from detente.records import Event, Evidence

PLACE_LABELS = ("GPE", "LOC", "FAC")
PLACE_PREPS = ("in", "at", "during")
PLACE_NOUNS = ("city", "capital", "town", "resort", "port", "village", "region", "province")
CARRY_SENTENCES = 3
# A cheap test before the date resolver: digits, month or weekday names, relative words.
MAY_HOLD_DATE = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|today|tonight|"
    r"yesterday|week|this morning|this evening)",
    re.I,
)


@lru_cache(maxsize=4)
def load_triggers(path: Path = DATA_DIR / "negotiation.yaml") -> dict[str, tuple[str, ...]]:
    with open(path, encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    return {k: tuple(v) for k, v in raw["events"].items()}


class EventFinder:
    def __init__(self, triggers: dict[str, tuple[str, ...]] | None = None) -> None:
        self.triggers = triggers or load_triggers()
        self.any_trigger = re.compile(
            r"(?<![\w-])(?:"
            + "|".join(re.escape(w) for ws in self.triggers.values() for w in ws)
            + r"|delegation)(?![\w-])"
        )
        self.patterns = {
            kind: re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])")
            for kind, words in self.triggers.items()
        }

    def find(self, resolver: Resolver, actors: ActorResolver, doc_date: str | None) -> list[Event]:
        self.r, self.actors = resolver, actors
        self.summits = len(re.findall(r"\bsummit\b", resolver.text.lower())) >= 2
        events: list[Event] = []
        sents = resolver.ix.sents
        dates: dict[int, str | None] = {}  # sentence number -> the date it gives, resolved when needed

        def date_of(n: int) -> str | None:
            if n not in dates:
                text = sents[n].text
                dates[n] = first_date(text, doc_date) if MAY_HOLD_DATE.search(text) else None
            return dates[n]

        for n, sent in enumerate(sents):
            if not self.any_trigger.search(sent.text.lower()):
                continue
            kind = self._kind(sent)
            if kind is None or any(t.dep_ == "neg" and t.head.dep_ == "ROOT" for t in sent):
                continue  # no trigger, or "did not attend the meeting"
            triggers = self._trigger_tokens(sent)
            date = date_of(n) or self._year_of_trigger(triggers)
            if not date:
                if self._future(sent, kind):
                    continue  # "talks would start soon": not (yet) an event
                earlier = (date_of(k) for k in range(n - 1, max(-1, n - 1 - CARRY_SENTENCES), -1))
                date = next((d for d in earlier if d and len(d) >= 10), None)
            people, parties = self._participants(sent)
            place = self._place(sent, statement=kind == "statement", anchors=self._anchors(triggers))
            if kind == "talks" and not place:
                continue  # "open to peace talks" names a topic, not a round of talks
            if kind in ("statement", "attack") and not date:
                continue  # background ("after Israel struck the airport"), not a dated event of the talks
            if kind == "meeting" and place and self.summits:
                kind = "summit"  # the article calls the leaders' meeting a summit elsewhere
            if place and parties:
                # "met in Abu Dhabi", "in the Kazakh city of Almaty": the host's state is where,
                # not who (unless named apart from the place too)
                hosts = {p for p in self._place_parties(sent, place) if not self._named_apart(sent, p, place)}
                parties = [p for p in parties if p not in hosts]
            participants = people or parties
            if not participants or not (date or place):
                continue
            if kind == "statement" and not (people or parties):
                continue
            text = sent.text.strip()
            start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
            events.append(
                Event(
                    type=kind,  # type: ignore[arg-type]
                    participants=participants,
                    evidence=Evidence(start, start + len(text), text, text),
                    date=date,
                    place=place,
                    confidence=0.7 if people else 0.5,
                )
            )
        return _merge(events)

    def _kind(self, sent: Span) -> str | None:
        low = sent.text.lower()
        if re.search(r"\bmet\b|\bmeeting\b", low) and "delegation" in low:
            return "talks"
        for kind, pattern in self.patterns.items():
            if pattern.search(low):
                return kind
        return None

    def _future(self, sent: Span, kind: str) -> bool:
        """Whether the verb governing the event's trigger is in the future ("would start")."""
        m = self.patterns[kind].search(sent.text.lower()) if kind in self.patterns else None
        if m is None:
            return False
        tok = next((t for t in sent if t.idx - sent.start_char >= m.start()), None)
        while tok is not None and tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
            tok = tok.head
        return tok is not None and any(
            c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll", "shall") for c in tok.children
        )

    def _place_parties(self, sent: Span, place: str) -> set[str]:
        """Parties named by the place itself or by words that qualify it ("the Kazakh city of")."""
        out: set[str] = set()
        host = self.actors.of_name(place.split(",")[0])
        if host is not None:
            out.add(host.party)
        for ent in sent.ents:
            if ent.label_ in ("GPE", "NORP") and ent.root.head.lower_ in PLACE_NOUNS:
                actor = self.actors.of_name(ent.text)
                if actor is not None:
                    out.add(actor.party)
        return out

    def _named_apart(self, sent: Span, party: str, place: str) -> bool:
        """Whether ``party`` is named in the sentence other than by the place itself."""
        for ent in sent.ents:
            if ent.label_ not in ("GPE", "NORP", "ORG") or ent.text in place:
                continue
            if ent.root.head.lower_ in PLACE_NOUNS:
                continue  # "the Kazakh city of Almaty": still the place
            actor = self.actors.of_name(ent.text)
            if actor is not None and actor.party == party:
                return True
        return False

    def _trigger_tokens(self, sent: Span) -> list[Token]:
        """The first token of every event word in the sentence."""
        out = []
        for m in self.any_trigger.finditer(sent.text.lower()):
            tok = next((t for t in sent if t.idx - sent.start_char >= m.start()), None)
            if tok is not None:
                out.append(tok)
        return out

    @staticmethod
    def _year_of_trigger(triggers: list[Token]) -> str | None:
        """ "their 2018 Helsinki summit": a year that modifies the trigger noun dates the event."""
        for tok in triggers:
            if tok.pos_ != "NOUN":
                continue
            for c in tok.children:
                if c.dep_ in ("nummod", "compound", "amod", "npadvmod") and re.fullmatch(
                    r"(?:19|20)\d\d", c.text
                ):
                    return c.text
        return None

    @staticmethod
    def _anchors(triggers: list[Token]) -> set[int]:
        """Every trigger word and the words up to the predicate that governs it: a place tied to
        one of them is where an event happened ("held talks in Riyadh", "the summit in
        Anchorage"); one elsewhere in the sentence usually is not ("briefed on the talks ...
        front lines in Kherson")."""
        out: set[int] = set()
        for tok in triggers:
            out.add(tok.i)
            while tok.head.i != tok.i and tok.pos_ not in ("VERB", "AUX"):
                tok = tok.head
                out.add(tok.i)
            out.update(c.i for c in tok.children if c.dep_ in ("dobj", "nsubj", "nsubjpass", "attr"))
        return out

    def _participants(self, sent: Span) -> tuple[list[str], list[str]]:
        people: list[str] = []
        parties: list[str] = []
        for tok in sent:
            if tok.i in self.r.person_at:
                name = self.r.person_at[tok.i].name
                if name not in people:
                    people.append(name)
            elif tok.ent_type_ in ("GPE", "NORP", "ORG"):
                ent = self.r.entity_of(tok)
                actor = self.actors.of_name(ent.text if ent is not None else tok.text)
                if actor is not None and actor.party not in parties:
                    parties.append(actor.party)
        return people, parties

    def _place(self, sent: Span, statement: bool = False, anchors: set[int] | None = None) -> str | None:
        ents = [
            e
            for e in sent.ents
            if e.label_ in PLACE_LABELS
            or (e.label_ == "ORG" and e.text.endswith(("Office", "Palace", "House")))
        ]
        for e in ents:
            before = sent.doc[e.start - 1] if e.start > 0 else None
            if before is not None and before.lower_ in ("the", "a", "an") and e.start > 1:
                before = sent.doc[e.start - 2]
            tied = anchors is None or (  # "the Alaska summit": a place naming the event itself
                e.root.dep_ in ("compound", "nmod", "amod")
                and bool(self.any_trigger.fullmatch(e.root.head.lower_))
            )
            if before is not None and before.lower_ == "of" and _place_of(before):
                pass  # "in the Egyptian resort of Sharm el-Sheikh"
            elif (before is None or before.lower_ not in PLACE_PREPS) and not (anchors and tied):
                continue
            if anchors is not None and not tied and before is not None and not _tied_prep(before, anchors):
                continue
            if statement and before.lower_ != "at" and e.label_ == "GPE":
                continue  # "sirens in Kyiv after Putin announced": not where the statement was made
            place = e.text
            nxt = e.end
            # "at the Elysee Palace in Paris"
            if (
                nxt + 1 < len(sent.doc)
                and sent.doc[nxt].lower_ == "in"
                and sent.doc[nxt + 1].ent_type_ == "GPE"
            ):
                city = next((x for x in ents if x.start == nxt + 1), None)
                if city is not None:
                    return _no_article(place) + ", " + city.text
            # "Riyadh, Saudi Arabia"
            if nxt + 1 < len(sent.doc) and sent.doc[nxt].text == "," and sent.doc[nxt + 1].ent_type_ == "GPE":
                tail = next((x for x in ents if x.start == nxt + 1), None)
                if tail is not None:
                    place = f"{place}, {tail.text}"
            return _no_article(place)
        return None


def _tied_prep(prep: Token, anchors: set[int]) -> bool:
    """A preposition hangs on an anchor, directly or through a short chain of the phrases that
    hold it ("the meeting at Elmendorf Air Force Base in Anchorage")."""
    tok = prep
    for _ in range(6):
        if tok.head.i == tok.i:
            return False
        tok = tok.head
        if tok.i in anchors:
            return True
        if tok.dep_ not in ("pobj", "prep", "compound", "appos", "conj"):
            return False
    return False


def _place_of(prep: Token) -> bool:
    """ "of" naming a place inside a place phrase: "(in) the resort of X", "(at) the city of X"."""
    head = prep.head
    return head.dep_ == "pobj" and head.head.lower_ in PLACE_PREPS


def _no_article(place: str) -> str:
    return re.sub(r"^the\s+", "", place)  # "the White House", but "The Hague" keeps its article


def _merge(events: list[Event]) -> list[Event]:
    out: list[Event] = []
    for e in events:
        twin = next(
            (
                o
                for o in out
                if o.type == e.type
                and o.date == e.date
                and (o.place == e.place or not o.place or not e.place)
                and set(o.participants) & set(e.participants)
            ),
            None,
        )
        if twin is None:
            out.append(e)
            continue
        twin.place = twin.place or e.place
        for p in e.participants:
            if p not in twin.participants:
                twin.participants.append(p)
    return out
