"""Dates against the article date, numbers in words, agreements with terms, events with place and date."""

from __future__ import annotations

import pytest

from detente.extract.dates import first_date, resolve_dates
from detente.extract.numbers import numbers_in, words_to_number
from detente.records import Document


@pytest.mark.parametrize(
    ("text", "doc_date", "expected"),
    [
        ("talks on Tuesday", "2025-01-02", "2024-12-31"),  # back across a year boundary
        ("the call on Friday", "2025-03-01", "2025-02-28"),  # back across a month boundary
        ("on Saturday", "2025-04-19", "2025-04-19"),  # the article's own day
        ("next Monday", "2025-05-07", "2025-05-12"),
        ("on Tuesday (Mar 18)", None, "--03-18"),  # no year can be known
        ("on March 18", "2025-06-01", "2025-03-18"),
        ("on 30 December", "2025-01-02", "2024-12-30"),
        ("a week ago", "2025-03-18", "2025-03-11"),
        ("yesterday", "2025-03-01", "2025-02-28"),
        ("in April", "2025-08-16", "2025-04"),
        ("since 2014", "2025-08-16", "2014"),
        ("on June 24, 2025", None, "2025-06-24"),
    ],
)
def test_dates_resolve_against_the_article_date(text, doc_date, expected):
    assert first_date(text, doc_date) == expected


def test_weekday_without_article_date_gives_nothing():
    assert resolve_dates("on Tuesday", None) == []


@pytest.mark.parametrize(
    ("words", "value"),
    [("thirty", 30), ("twenty-six", 26), ("one hundred and seventy-five", 175), ("two thousand", 2000)],
)
def test_words_to_number(words, value):
    assert words_to_number(words) == value


def test_numbers_in_text():
    values = [
        v for _, _, v in numbers_in("a 72-hour truce, thirty days, 1,000-for-1,000, two-and-a-half hours")
    ]
    assert values == [72, 30, 1000, 1000, 2.5]


@pytest.fixture(scope="module")
def extractor():
    from detente.extract.pipeline import Extractor

    return Extractor()


def extract(extractor, text: str, date: str | None = "2025-05-10"):
    ex = extractor.extract(Document("t", "t.txt", "test", text, None, date, None, "en"))
    for item in [*ex.agreements, *ex.events]:
        assert text[item.evidence.start : item.evidence.end] == item.evidence.text
    return ex


def test_prisoner_exchange_with_numbers_in_words(extractor):
    ex = extract(
        extractor,
        "Russia and Ukraine agreed on Friday to a prisoner exchange of one thousand prisoners each.",
    )
    (a,) = [a for a in ex.agreements if a.type == "prisoner_exchange"]
    assert a.terms["per_side"] == 1000
    assert set(a.parties) == {"Russia", "Ukraine"} and a.status == "agreed"
    assert a.date == "2025-05-09"


def test_partial_ceasefire_by_scope(extractor):
    ex = extract(extractor, "Moscow agreed to a thirty-day halt of strikes on energy infrastructure.")
    (a,) = ex.agreements
    assert a.type == "partial_ceasefire" and a.terms["days"] == 30 and "energy" in a.terms["scope"]


def test_terms_in_a_later_sentence_join_the_agreement(extractor):
    ex = extract(
        extractor,
        "Thailand and Cambodia agreed to an unconditional ceasefire on Monday. "
        "The ceasefire will be monitored for 72 hours by military attaches.",
        "2025-07-28",
    )
    (a,) = ex.agreements
    assert a.type == "ceasefire" and a.terms.get("hours") == 72 and set(a.parties) == {"Thailand", "Cambodia"}


@pytest.mark.parametrize(
    "text",
    [
        "Hamas could accept a truce if Israel withdrew.",
        "Iran denied having reached a ceasefire agreement.",
        "Nobody would seek a ceasefire while the war goes well.",
        "There is little reason for Moscow to accept a truce.",
    ],
    ids=["hypothetical", "denied", "would", "infinitive"],
)
def test_talk_of_agreements_is_not_an_agreement(extractor, text):
    assert extract(extractor, text).agreements == []


def test_proposed_agreement(extractor):
    ex = extract(extractor, "Egypt proposed a 60-day truce between Israel and Hamas on Sunday.")
    (a,) = ex.agreements
    assert a.status == "proposed" and a.terms["days"] == 60


def test_call_with_resolved_date(extractor):
    ex = extract(
        extractor,
        "Indian Prime Minister Narendra Modi held a phone call with Pakistani Prime Minister Shehbaz Sharif on Thursday.",
        "2025-05-10",
    )
    (e,) = ex.events
    assert e.type == "call" and e.date == "2025-05-08"
    assert set(e.participants) == {"Narendra Modi", "Shehbaz Sharif"}


def test_talks_with_place(extractor):
    ex = extract(
        extractor,
        "Armenian and Azerbaijani delegations met in Abu Dhabi, United Arab Emirates, on July 10.",
        "2025-07-12",
    )
    (e,) = ex.events
    assert e.type == "talks" and e.place.startswith("Abu Dhabi") and e.date == "2025-07-10"


def test_summit_place_with_venue(extractor):
    ex = extract(
        extractor,
        "Macron spoke at a summit at the Elysee Palace in Paris on Thursday with Volodymyr Zelenskyy.",
        "2025-09-05",
    )
    (e,) = ex.events
    assert e.type == "summit" and "Paris" in e.place and e.date == "2025-09-04"


def test_refused_or_demanded_agreements_are_not_agreed(extractor):
    text = (
        "Azerbaijan agreed on Monday to halt strikes on Armenian energy infrastructure for 14 days, "
        "but it turned down the full ceasefire that the mediators had asked it to accept.\\n\\n"
        "A day earlier the leaders of France and Germany demanded that Baku accept an unconditional "
        "30-day truce."
    ).replace("\\n", "\n")
    ex = extractor.extract(Document("a", "a.txt", "test", text, None, "2025-05-12", None, "en"))
    by_type = {a.type: a for a in ex.agreements}
    partial = by_type["partial_ceasefire"]
    assert partial.status == "agreed" and partial.terms.get("days") == 14 and "Azerbaijan" in partial.parties
    assert by_type.get("ceasefire") is None or by_type["ceasefire"].status == "proposed"


def test_event_place_is_tied_to_the_event_not_to_any_place_in_the_sentence(extractor):
    ex = extract(
        extractor,
        "People briefed on the talks said Baku wanted Armenia to pull back from the border villages "
        "in the Tavush region. Armenia and Azerbaijan held talks on Monday in the Kazakh city of Almaty. "
        "The 2023 Brussels meeting between Armenia and Azerbaijan had ended without a deal.",
        date="2025-05-14",
    )
    places = {(e.type, e.place) for e in ex.events}
    assert ("talks", "Tavush") not in places and not any(p and "Tavush" in p for _t, p in places)
    talks = [e for e in ex.events if e.type == "talks"]
    assert talks and talks[0].place == "Almaty" and talks[0].date == "2025-05-12"
    assert set(talks[0].participants) == {"Armenia", "Azerbaijan"}
    old = [e for e in ex.events if e.place == "Brussels"]
    assert old and old[0].date == "2023"


def test_a_death_toll_is_not_a_term(extractor):
    ex = extract(
        extractor,
        "Ethiopia and Eritrea agreed on Sunday to a ceasefire after clashes killed 40 people. "
        "They also agreed to a prisoner exchange of 120 detainees.",
    )
    by_type = {a.type: a for a in ex.agreements}
    assert "count" not in by_type["ceasefire"].terms
    assert by_type["prisoner_exchange"].terms.get("count") == 120


def test_terms_of_a_rejected_proposal_complete_the_agreement_made_later(extractor):
    ex = extract(
        extractor,
        "The government rejected a proposal for a three-month humanitarian truce on Friday. "
        "The RSF said on Thursday that it had agreed to the humanitarian truce.",
    )
    pause = next(a for a in ex.agreements if a.type == "humanitarian_pause")
    assert pause.status == "agreed" and pause.terms.get("months") == 3


def test_host_city_is_the_place_not_a_participant_and_friday_crosses_the_month(extractor):
    ex = extract(
        extractor,
        "The foreign ministers of Armenia and Azerbaijan met in Abu Dhabi on Friday for a fresh round of talks.",
        date="2025-03-02",
    )
    talks = [e for e in ex.events if e.place == "Abu Dhabi"]
    assert talks and talks[0].date == "2025-02-28"
    assert set(talks[0].participants) == {"Armenia", "Azerbaijan"}
