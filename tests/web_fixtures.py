"""Stores for the report and web tests: generated articles plus one hostile article."""

from __future__ import annotations

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

HOSTILE_TEXT = (
    'Mallory said that <script>window.__pwned = 1; alert("x")</script> would never happen. '
    '<img src=x onerror="window.__pwned = 2"> The envoy <a href="javascript:window.__pwned=3">clicked</a> here. '
    "Hostilia accepted a ceasefire on Monday. Hostilia and Ruritania agreed to a 7-day truce."
)
HOSTILE_ACTOR = 'Hostilia<svg onload="window.__pwned=4">'


def hostile_extraction() -> Extraction:
    text = HOSTILE_TEXT
    doc = Document(
        "hostile0000000001",
        "hostile.txt",
        "/tmp/hostile.txt",
        text,
        '<script>window.__pwned = 5</script>Hostile "title"',
        "2025-05-01",
        "metadata",
        "en",
        url="javascript:window.__pwned=6",
    )
    q0 = text.index("<script>")
    q1 = text.index(" would never")
    who = "Mallory <b onmouseover=alert(1)>Evil</b>"
    person = Person(who, "envoy <i>", None, HOSTILE_ACTOR, None, [Mention(0, 7, "Mallory", "name")])
    quote = Quote(
        text[q0:q1],
        "indirect",
        q0,
        q1,
        who,
        Span(0, 7, "Mallory"),
        "said",
        Span(8, 12, "said"),
        text[:q1],
        0.9,
    )
    p0 = text.index("Hostilia accepted")
    p1 = p0 + len("Hostilia accepted a ceasefire")
    sentence = "Hostilia accepted a ceasefire on Monday."
    pos = Position(
        HOSTILE_ACTOR, "ceasefire", "accept", Evidence(p0, p1, text[p0:p1], sentence), date="2025-05-01"
    )
    a0 = text.index("Hostilia and")
    a1 = len(text)
    agreement = Agreement(
        "ceasefire",
        [HOSTILE_ACTOR, "Ruritania"],
        {"days": 7, "scope": "<script>x</script>"},
        "agreed",
        Evidence(a0, a1, text[a0:a1], text[a0:a1]),
        "2025-05-01",
    )
    event = Event(
        "talks", [HOSTILE_ACTOR], Evidence(a0, a1, text[a0:a1], text[a0:a1]), "2025-05-01", "<b>Geneva</b>"
    )
    return Extraction(doc, [person], [quote], [pos], [agreement], [event])


def fill(store, articles: int = 40) -> None:
    from detente.bench.synthetic import synthetic_extractions

    for ex in synthetic_extractions(articles, seed=1):
        store.add(ex)
    store.add(hostile_extraction())
