"""Generated articles with their extractions already made, to fill a store fast (no spaCy).

For speed benchmarks of the store, the report and the web app at sizes the example corpus cannot
reach. Texts are assembled from templates, so every quote, mention, position, agreement and event
carries true offsets into its text, as real extractions do. The content is meaningless on purpose.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from detente.records import (
    Agreement,
    Document,
    Event,
    Evidence,
    Extraction,
    Mention,
    Person,
    Position,
    Quote,
    Span,
)

ACTORS = (
    "Russia", "Ukraine", "United States", "Israel", "Hamas", "Iran", "India", "Pakistan", "Thailand",
    "Cambodia", "Armenia", "Azerbaijan", "DR Congo", "Rwanda", "Sudan", "Ethiopia", "Serbia", "Kosovo",
    "Colombia", "Yemen",
)  # fmt: skip
ISSUES = {
    "ceasefire": "a ceasefire",
    "territory": "the border line",
    "prisoners": "a prisoner exchange",
    "sanctions": "sanctions relief",
    "security_guarantees": "security guarantees",
    "humanitarian": "aid corridors",
    "process": "direct talks",
    "peace_agreement": "a peace agreement",
}
VERBS = {"demand": "demanded", "offer": "offered", "accept": "accepted", "reject": "rejected"}
FIRST = (
    "Anna",
    "Boris",
    "Carla",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hassan",
    "Irina",
    "Jonas",
    "Kemal",
    "Lena",
)
LAST = (
    "Morozov",
    "Novak",
    "Okafor",
    "Petrov",
    "Quinn",
    "Rahimi",
    "Sato",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weber",
    "Yilmaz",
)
ROLES = ("Foreign Minister", "President", "chief negotiator", "spokesperson", "Prime Minister", "envoy")
PLACES = ("Geneva", "Istanbul", "Doha", "Riyadh", "Vienna", "Oslo", "Nairobi", "Cairo")
FILLER_SENTENCES = (
    "Officials met late into the night while diplomats briefed reporters on the latest drafts. ",
    "Observers said the talks had reached a difficult stage, with monitoring and verification still open. ",
    "Humanitarian groups warned that shelling near the front line had damaged roads, power lines and water plants. ",
    "Negotiators exchanged maps and lists, and mediators shuttled between the delegations in separate rooms. ",
)


@dataclass(slots=True)
class _Builder:
    text: str = ""
    mentions: dict[str, list[Mention]] = field(default_factory=dict)

    def add(self, piece: str) -> tuple[int, int]:
        start = len(self.text)
        self.text += piece
        return start, len(self.text)


def synthetic_extraction(n: int, rng: random.Random) -> Extraction:
    """Article number ``n``: two parties, their spokespeople, quotes, positions, maybe a deal."""
    a, b = rng.sample(ACTORS, 2)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    year = rng.choice((2024, 2025))
    date = f"{year}-{month:02d}-{day:02d}"
    people = []
    for actor in (a, b):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {ACTORS.index(actor)}"
        people.append(Person(name, rng.choice(ROLES), actor, actor, None, []))
    bld = _Builder()
    quotes: list[Quote] = []
    positions: list[Position] = []
    for _ in range(rng.randint(2, 4)):
        person = rng.choice(people)
        actor = person.party or a
        issue = rng.choice(list(ISSUES))
        stance = rng.choice(list(VERBS))
        s0 = len(bld.text)
        m0, m1 = bld.add(person.name)
        person.mentions.append(Mention(m0, m1, person.name, "name"))
        c0, c1 = bld.add(" said")
        bld.add(" that ")
        q0, q1 = bld.add(f"{actor} {VERBS[stance]} {ISSUES[issue]} in talk number {n}")
        bld.add(". ")
        sentence = bld.text[s0:].strip()
        quotes.append(
            Quote(
                bld.text[q0:q1], "indirect", q0, q1, person.name, Span(m0, m1, person.name),
                "said", Span(c0 + 1, c1, "said"), sentence, 0.8,
            )
        )  # fmt: skip
        positions.append(
            Position(
                actor, issue, stance, Evidence(q0, q1, bld.text[q0:q1], sentence), speaker=person.name,
                source_kind="own", confidence=round(rng.uniform(0.4, 0.9), 2), date=date,
            )
        )  # fmt: skip
        filler = FILLER_SENTENCES[: rng.randint(1, len(FILLER_SENTENCES))]
        bld.add("".join(filler))  # whole sentences, so pages and screenshots read like prose
    agreements: list[Agreement] = []
    if rng.random() < 0.5:
        s0, s1 = bld.add(f"{a} and {b} agreed to a {rng.randint(3, 90)}-day ceasefire. ")
        ev = Evidence(s0, s1 - 1, bld.text[s0 : s1 - 1], bld.text[s0 : s1 - 1])
        agreements.append(
            Agreement("ceasefire", [a, b], {"days": rng.randint(3, 90)}, "agreed", ev, date, 0.7)
        )
    place = rng.choice(PLACES)
    s0, s1 = bld.add(f"Delegations of {a} and {b} held talks in {place}. ")
    ev = Evidence(s0, s1 - 1, bld.text[s0 : s1 - 1], bld.text[s0 : s1 - 1])
    events = [Event("talks", [a, b], ev, date, place, 0.7)]
    text = bld.text.strip()
    doc_id = hashlib.sha1(f"synthetic-{n}-{text}".encode()).hexdigest()[:16]
    document = Document(
        doc_id, f"synthetic-{n}", f"synthetic:{n}", text, f"{a} and {b}: talks {n}", date, "metadata", "en"
    )
    return Extraction(document, people, quotes, positions, agreements, events)


def synthetic_extractions(count: int, seed: int = 0) -> Iterator[Extraction]:
    rng = random.Random(seed)
    for n in range(count):
        yield synthetic_extraction(n, rng)
