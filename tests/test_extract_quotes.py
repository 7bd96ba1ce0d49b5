"""Quotes: every quotation-mark style, split and multi-paragraph quotes, reported speech, speakers."""

from __future__ import annotations

import pytest

from detente.extract.quote_marks import find_marked
from detente.records import Document


@pytest.fixture(scope="module")
def extractor():
    from detente.extract.pipeline import Extractor

    return Extractor()


def quotes_of(extractor, text: str):
    ex = extractor.extract(Document("t", "t.txt", "test", text, None, None, None, "en"))
    for q in ex.quotes:  # offsets are evidence: they must point at the text
        assert text[q.start : q.end] == q.text
        if q.speaker_span:
            assert text[q.speaker_span.start : q.speaker_span.end] == q.speaker_span.text
    return ex.quotes


def find(quotes, fragment: str):
    hits = [q for q in quotes if fragment in q.text]
    assert hits, f"no quote holding {fragment!r} in {[q.text for q in quotes]}"
    return hits[0]


@pytest.mark.parametrize(
    ("open_", "close"),
    [("“", "”"), ('"', '"'), ("«", "»"), ("„", "“")],
    ids=["curly", "straight", "guillemets", "low"],
)
def test_quote_mark_styles(extractor, open_, close):
    text = f"{open_}We will not accept a freeze of the front line,{close} Ukrainian President Volodymyr Zelenskyy said."
    q = find(quotes_of(extractor, text), "freeze of the front line")
    assert q.kind == "direct"
    assert q.speaker == "Volodymyr Zelenskyy"
    assert q.cue == "said"


def test_split_quote_keeps_its_speaker(extractor):
    text = (
        "“The corridor must open before any talks,” the Qatari prime minister said on Sunday. "
        "“Without aid there is nothing to discuss.”"
    )
    text = "Mohammed bin Abdulrahman Al Thani hosted the delegations in Doha.\n" + text
    quotes = quotes_of(extractor, text)
    first = find(quotes, "corridor must open")
    second = find(quotes, "Without aid")
    assert first.speaker == second.speaker == "Mohammed bin Abdulrahman Al Thani"


def test_quote_spanning_paragraphs(extractor):
    text = (
        "Kaja Kallas, the EU foreign policy chief, spoke at length.\n\n"
        "“Pressure on Moscow has to rise before a ceasefire can hold.\n\n"
        "“Europe will keep paying for Ukraine's air defence,” she said."
    )
    marked = find_marked(text)
    assert len(marked) == 1 and "Pressure on Moscow" in text[marked[0].start : marked[0].end]
    q = find(quotes_of(extractor, text), "Pressure on Moscow")
    assert "air defence" in q.text
    assert q.speaker == "Kaja Kallas"


def test_pronoun_speaker_resolves_to_nearest_person(extractor):
    text = (
        "Abbas Araghchi, Iran's foreign minister, met the Omani mediator. "
        '"There is no agreement on a ceasefire yet," he wrote on X.'
    )
    q = find(quotes_of(extractor, text), "no agreement on a ceasefire")
    assert q.speaker == "Abbas Araghchi"
    assert q.speaker_span is not None and q.speaker_span.text == "he"


def test_institution_speaker(extractor):
    text = "The Kremlin said the moratorium on strikes would last thirty days, according to a readout."
    q = find(quotes_of(extractor, text), "moratorium on strikes")
    assert q.kind == "indirect"
    assert q.speaker == "Kremlin"


@pytest.mark.parametrize(
    ("sentence", "content", "speaker"),
    [
        (
            "Indian Foreign Secretary Vikram Misri said that both sides would stop firing at 5 pm.",
            "both sides would stop firing",
            "Vikram Misri",
        ),
        (
            "According to Pakistani Foreign Minister Ishaq Dar, the ceasefire was agreed without conditions.",
            "the ceasefire was agreed without conditions",
            "Ishaq Dar",
        ),
        (
            "Hamas negotiators would accept a phased release of hostages, Egyptian officials told reporters.",
            "would accept a phased release of hostages",
            "Egyptian officials",
        ),
        (
            "Israeli Prime Minister Benjamin Netanyahu warned that the war would resume if talks failed.",
            "the war would resume if talks failed",
            "Benjamin Netanyahu",
        ),
        (
            "Hours later, Egyptian Foreign Minister Badr Abdelatty announced during a press briefing in Cairo "
            "that the crossing would reopen on Monday.",
            "the crossing would reopen on Monday",
            "Badr Abdelatty",
        ),
    ],
    ids=["said-that", "according-to", "trailing-told", "warned", "announced-during-a-briefing-that"],
)
def test_reported_speech(extractor, sentence, content, speaker):
    q = find(quotes_of(extractor, sentence), content)
    assert q.kind == "indirect"
    assert q.speaker == speaker
    assert sentence.strip().startswith(q.sentence[:20])


def test_scare_quotes_are_not_quotes(extractor):
    text = "The so-called “peace dividend” was debated as the “coalition of the willing” met in Paris."
    assert quotes_of(extractor, text) == []


def test_unattributed_quote_has_no_speaker(extractor):
    text = "The talks went on all night.\n\n“Nobody here expects a deal before the weekend is over.”"
    q = find(quotes_of(extractor, text), "Nobody here expects")
    assert q.speaker is None


def test_orphan_closing_mark_backfills_to_the_sentence_after_the_attribution(extractor):
    text = (
        "According to Samuel Greene, the summit changed little. Perhaps the line will hold. "
        'Perhaps not, though," Greene remarked.'
    )
    q = find(quotes_of(extractor, text), "Perhaps not, though")
    assert q.text.startswith("Perhaps the line will hold")
    assert q.speaker == "Samuel Greene"


def test_reported_clause_after_a_scene_phrase_on_the_cue(extractor):
    quotes = quotes_of(
        extractor,
        "Indian Prime Minister Narendra Modi announced during a televised address that India would "
        "pause its military operations against Pakistan.",
    )
    q = find(quotes, "India would pause its military operations")
    assert q.kind == "indirect" and q.speaker == "Narendra Modi"


def test_typewriter_quotation_marks_pair_up():
    text = "''This isn't tax reform,'' said Ms. Lee. ``It is anti-reform.'' The students'' union agreed."
    assert [text[m.start : m.end] for m in find_marked(text)] == [
        "This isn't tax reform,",
        "It is anti-reform.",
    ]  # a stray '' is no quote
