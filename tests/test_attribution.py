"""The learned attribution tagger: CRF arithmetic, features, linking spans into attributions,
the combination with the rules, and the shipped model inside the extractor."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from detente.extract.attribution import crf
from detente.extract.attribution.component import SCORE_ATTR, SPANS_KEY, TAGS, tags_to_spans
from detente.extract.attribution.linking import link
from detente.extract.attribution.quotes import ModelAttribution, combine
from detente.records import Document, Quote
from detente.records import Span as TextSpan

# ---- CRF -------------------------------------------------------------------------------------

SMALL_TAGS = ("O", "B-X", "I-X")


def brute_force(emissions, trans, start):
    """log Z and the best path by enumerating every tag sequence."""

    def score(path):
        s = start[path[0]] + sum(emissions[i, t] for i, t in enumerate(path))
        return s + sum(trans[a, b] for a, b in itertools.pairwise(path))

    paths = list(itertools.product(range(len(start)), repeat=len(emissions)))
    return np.logaddexp.reduce([score(p) for p in paths]), max(paths, key=score), score


def test_crf_loss_gradients_and_viterbi_match_brute_force():
    rng = np.random.default_rng(3)
    pen_t, pen_s = crf.bio_penalty(SMALL_TAGS)
    trans = rng.standard_normal((3, 3)) + pen_t
    start = rng.standard_normal(3) + pen_s
    emissions = [rng.standard_normal((n, 3)) for n in (4, 1, 3)]
    gold = [np.array([0, 1, 2, 0]), np.array([1]), np.array([1, 2, 2])]
    loss, d_em, d_trans, _ = crf.nll(emissions, gold, trans, start)
    expected = 0.0
    for e, y in zip(emissions, gold, strict=True):
        log_z, best, score = brute_force(e, trans, start)
        expected += log_z - score(tuple(y))
        assert tuple(crf.viterbi(e, trans, start)) == best
    assert loss == pytest.approx(expected, rel=1e-6)
    eps = 1e-6
    bumped = [e.copy() for e in emissions]
    bumped[2][1, 2] += eps
    assert (crf.nll(bumped, gold, trans, start)[0] - loss) / eps == pytest.approx(d_em[2][1, 2], abs=1e-3)
    t2 = trans.copy()
    t2[1, 2] += eps
    assert (crf.nll(emissions, gold, t2, start)[0] - loss) / eps == pytest.approx(d_trans[1, 2], abs=1e-3)
    for m in crf.marginals(emissions, trans, start):
        assert np.allclose(m.sum(axis=1), 1.0)


def test_bio_constraints_never_open_a_span_with_an_inside_tag():
    pen_t, pen_s = crf.bio_penalty(TAGS)
    emissions = np.full((3, len(TAGS)), -5.0)
    emissions[:, TAGS.index("I-CONTENT")] = 5.0  # the network wants I-CONTENT everywhere
    tags = crf.viterbi(emissions, pen_t, pen_s)
    assert TAGS[tags[0]] == "B-CONTENT"
    assert tags_to_spans(tags) == [(0, 3, "CONTENT")]


# ---- features --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp():
    from detente.config import Settings
    from detente.extract.nlp import load_nlp

    return load_nlp(Settings(attribution="rules"))[0]


def test_features_see_the_quote_marks_and_the_reported_clause(nlp):
    from detente.extract.attribution.features import FEATURES, INSIDE, OPENING, OUT, token_features

    doc = nlp("“We will win,” he said.")
    feats = token_features(doc)
    assert feats.shape == (len(doc), len(FEATURES))
    quote = feats[:, FEATURES.index("quote")]
    assert quote[0] == OPENING and quote[1] == INSIDE and quote[-1] == OUT
    # The tokens of a reported clause share the branch of the sentence they hang from, and a
    # clause opened by "that" under "said" starts the same way whatever its words.
    first, second = nlp("He said that talks failed."), nlp("She said that prices rose.")
    f1, f2 = token_features(first), token_features(second)
    clause, starts = FEATURES.index("clause"), FEATURES.index("starts")
    assert f1[3, clause] == f1[4, clause] != f1[0, clause]  # "talks", "failed" vs "He"
    assert f1[2, starts] == f2[2, starts]  # "that" ... under "said"
    assert token_features(nlp("")).shape == (0, len(FEATURES))


# ---- linking ---------------------------------------------------------------------------------


def tagged(words: list[str], spans: list[tuple[int, int, str]], sent_starts: list[int] = (0,)) -> Doc:
    doc = Doc(Vocab(), words=words, sent_starts=[i in sent_starts for i in range(len(words))])
    group = []
    for s, e, label in spans:
        span = Span(doc, s, e, label=label)
        span._.set(SCORE_ATTR, 0.9)
        group.append(span)
    doc.spans[SPANS_KEY] = group
    return doc


def test_interrupted_quote_is_one_attribution_with_two_pieces():
    words = ["“", "A", ",", "”", "he", "said", ",", "“", "B", ".", "”"]
    doc = tagged(words, [(1, 2, "CONTENT"), (4, 5, "SOURCE"), (5, 6, "CUE"), (8, 9, "CONTENT")])
    (a,) = link(doc)
    assert a.cue.text == "said" and a.source.text == "he"
    assert [p.text for p in a.content] == ["A", "B"]
    assert a.score == pytest.approx(0.9)


def test_each_content_goes_to_the_cue_of_its_sentence():
    words = ["“", "A", "”", "he", "said", ".", "“", "B", "”", "she", "said", "."]
    spans = [
        (1, 2, "CONTENT"),
        (3, 4, "SOURCE"),
        (4, 5, "CUE"),
        (7, 8, "CONTENT"),
        (9, 10, "SOURCE"),
        (10, 11, "CUE"),
    ]
    first, second = link(tagged(words, spans, sent_starts=[0, 6]))
    assert [p.text for p in first.content] == ["A"] and first.source.text == "he"
    assert [p.text for p in second.content] == ["B"] and second.source.text == "she"


def test_a_source_serves_two_cues_and_loose_spans_are_kept():
    words = ["Smith", "said", "X", "and", "added", "Y", ".", "\n", "Z", "happened", "."]
    spans = [
        (0, 1, "SOURCE"),
        (1, 2, "CUE"),
        (2, 3, "CONTENT"),
        (4, 5, "CUE"),
        (5, 6, "CONTENT"),
        (8, 10, "CONTENT"),  # another paragraph, no cue there
    ]
    atts = link(tagged(words, spans, sent_starts=[0, 8]))
    assert [(a.source.text if a.source else None, [p.text for p in a.content]) for a in atts] == [
        ("Smith", ["X"]),
        ("Smith", ["Y"]),
        (None, ["Z happened"]),
    ]


# ---- combination -----------------------------------------------------------------------------


def q(start, end, kind="indirect", cue=(0, 4), speaker=None, who=None) -> Quote:
    """A quote over [start, end) with cue and speaker spans at the given offsets."""
    cue_span = TextSpan(cue[0], cue[1], "according to" if kind == "according" else "said")
    speaker_span = TextSpan(who[0], who[1], "x") if who else None
    real_kind = "indirect" if kind == "according" else kind
    return Quote("x", real_kind, start, end, speaker, speaker_span, cue_span.text, cue_span, "")  # type: ignore[arg-type]


def test_combine_keeps_precise_rules_and_fills_the_rest_from_the_model():
    direct = q(0, 10, "direct", cue=(11, 15), speaker="A")
    according = q(20, 30, "according", cue=(31, 43))
    reported, wider = q(60, 80, speaker="B"), q(90, 120, speaker="C")
    model = [
        ModelAttribution([q(0, 10, cue=(11, 15), speaker="A", who=(16, 20))], speech=True),
        ModelAttribution([q(22, 28, cue=(50, 55), speaker="D")], speech=True),  # another cue
        ModelAttribution([q(58, 80, cue=(81, 85))], speech=True),  # no name: takes B's
        ModelAttribution([q(90, 95)], speech=True),  # holds too little of the rules' quote
        ModelAttribution([q(130, 140, speaker="E")], speech=False),  # a belief
        ModelAttribution([q(150, 160, speaker="F")], speech=True),
    ]
    quotes, others = combine([direct, according, reported, wider], model)
    assert [(x.start, x.end, x.speaker) for x in quotes] == [
        (0, 10, "A"),
        (20, 30, None),
        (58, 80, "B"),
        (90, 120, "C"),
        (150, 160, "F"),
    ]
    assert quotes[0].speaker_span == TextSpan(16, 20, "x")  # the tagger's source span
    assert quotes[1] is according  # the tagger read another attribution there
    assert [(x.start, x.speaker) for x in others] == [(130, "E")]


# ---- the shipped model in the extractor ---------------------------------------------------------


@pytest.fixture(scope="module")
def extractor():
    from detente.extract.pipeline import Extractor

    return Extractor()


def test_shipped_model_loads_and_tags_spans(extractor):
    assert "detente_attribution" in extractor.nlp.pipe_names
    doc = extractor.nlp("Senator Jane Smith said on Tuesday that the ceasefire would hold.")
    labels = {s.label_ for s in doc.spans[SPANS_KEY]}
    assert {"SOURCE", "CUE", "CONTENT"} <= labels
    assert all(0.0 < s._.get(SCORE_ATTR) <= 1.0 for s in doc.spans[SPANS_KEY])


def test_beliefs_are_attributions_and_words_are_quotes_with_named_holders(extractor):
    text = (
        "Jane Smith, the envoy, arrived in Doha on Monday.\n\n"
        "She believes the talks will collapse unless both sides withdraw their troops. "
        "She told reporters that the blockade must end before any deal."
    )
    ex = extractor.extract(Document("t", "t.txt", "test", text, None, None, None, "en"))
    belief = [x for x in ex.attributions if "talks will collapse" in x.text]
    assert belief, [x.text for x in ex.attributions]
    assert belief[0].speaker == "Jane Smith" and belief[0].cue == "believes"
    assert not any("talks will collapse" in x.text for x in ex.quotes)
    words = [x for x in ex.quotes if "blockade must end" in x.text]
    assert words and words[0].speaker == "Jane Smith" and words[0].kind == "indirect"
    for x in [*ex.quotes, *ex.attributions]:
        assert text[x.start : x.end] == x.text


def test_unknown_attribution_setting_is_refused():
    from detente.config import Settings
    from detente.extract.pipeline import Extractor

    with pytest.raises(ValueError, match="rules, model or combined"):
        Extractor(Settings(attribution="oracle"))


def test_missing_model_directory_says_how_to_get_one(tmp_path):
    from detente.config import Settings
    from detente.extract.nlp import load_nlp

    with pytest.raises(FileNotFoundError, match="detente train attribution"):
        load_nlp(Settings(attribution_model=str(tmp_path)))


# ---- training ----------------------------------------------------------------------------------


def test_gold_pieces_are_trimmed_and_bad_offsets_dropped():
    from detente.extract.attribution.training import gold_pieces

    text = "“We will,” Smith said: no."
    article = {
        "text": text,
        "attributions": [
            {
                "source": [{"start": 11, "end": 17}],
                "cue": [{"start": 17, "end": 22}, {"start": 21, "end": 22}],
                "content": [{"start": 0, "end": 10}, {"start": 5, "end": 99}],
            }
        ],
    }
    pieces = [(text[s:e], label) for s, e, label in gold_pieces(article)]
    assert pieces == [("We will", "CONTENT"), ("Smith", "SOURCE"), ("said", "CUE"), (":", "CUE")]


def test_train_command_checks_its_files(tmp_path):
    from typer.testing import CliRunner

    import detente.cli.train  # noqa: F401  (registers the command)
    from detente.cli import app

    result = CliRunner().invoke(
        app,
        ["train", "attribution", "--train", str(tmp_path / "no.jsonl"), "--dev", "x", "-o", str(tmp_path)],
    )
    assert result.exit_code == 2 and "isnotafile" in "".join(ch for ch in result.output if ch.isalnum())


@pytest.mark.slow
def test_training_on_a_few_articles_gives_a_loadable_model(shared_dir, tmp_path):
    import spacy

    from detente.extract.attribution.training import train

    polnear = shared_dir / "data" / "polnear"
    best = train(
        polnear / "train.jsonl.gz",
        polnear / "dev.jsonl.gz",
        tmp_path / "run",
        overrides={
            "corpora.train.limit": 8,
            "corpora.dev.limit": 2,
            "training.max_epochs": 1,
            "training.eval_frequency": 5,
        },
    )
    assert (best / "train.cfg").is_file()
    tagger = spacy.load(best).get_pipe("detente_attribution")
    assert tagger.labels[0] == "O" and len(tagger.labels) == 7


def _piece(text: str, words: str, kind: str, speaker: str | None = None) -> Quote:
    s = text.index(words)
    return Quote(words, kind, s, s + len(words), speaker, None, "said", TextSpan(6, 10, "said"), "")


def test_a_paraphrase_around_quoted_words_is_kept_beside_them_or_instead_of_them():
    text = "Smith said voter fraud would be “one hell of a way to lose” in the November vote."
    para = _piece(text, "voter fraud would be “one hell of a way to lose” in the November vote", "indirect")
    short = _piece(text, "one hell of a way to lose", "direct", "Rule Name")
    # 7 of 15 words quoted: the quoted words stand; the paraphrase is a quote beside them when the
    # rules read reported speech there too, else an attribution
    quotes, others = combine([short], [ModelAttribution([para], speech=True)])
    assert [(x.text, x.kind) for x in quotes] == [(short.text, "direct")]
    assert [(x.text, x.speaker) for x in others] == [(para.text, "Rule Name")]
    reported = _piece(text, "voter fraud would be “one hell of a way to lose", "indirect", "Rule Name")
    quotes, others = combine([short, reported], [ModelAttribution([para], speech=True)])
    assert [(x.text, x.kind, x.speaker) for x in quotes] == [
        (para.text, "indirect", "Rule Name"),
        (short.text, "direct", "Rule Name"),
    ]
    assert not others
    # 7 of 8 words quoted: one direct statement
    text = "Smith said that “one hell of a way to lose”."
    para = _piece(text, "that “one hell of a way to lose", "indirect")
    most = _piece(text, "one hell of a way to lose", "direct", "Rule Name")
    quotes, _ = combine([most], [ModelAttribution([para], speech=True)])
    assert [(x.text, x.kind, x.speaker) for x in quotes] == [(para.text, "direct", "Rule Name")]
    # a belief around quoted words is not speech: only the quoted words are a quote
    quotes, others = combine([most], [ModelAttribution([para], speech=False)])
    assert [x.text for x in quotes] == [most.text] and [x.text for x in others] == [para.text]


def test_a_paraphrase_never_drops_or_repeats_the_rules_words():
    text = "Smith said talks “would fail” and warned that “we will not yield an inch” to anyone at all."
    fail = _piece(text, "would fail", "direct", "Smith")
    inch = _piece(text, "we will not yield an inch", "direct", "Smith")
    # the tagger's paraphrase holds the first quote and only part of the second: no paraphrase
    part = _piece(text, "talks “would fail” and warned that “we will not", "indirect")
    quotes, others = combine([fail, inch], [ModelAttribution([part], speech=True)])
    assert sorted(x.text for x in quotes) == sorted([fail.text, inch.text]) and not others
    # the rules read more of the words as reported speech than the tagger: theirs stands
    longer = _piece(
        text,
        "talks “would fail” and warned that “we will not yield an inch” to anyone at all",
        "indirect",
        "Smith",
    )
    shorter = _piece(text, "talks “would fail” and", "indirect")
    quotes, others = combine([fail, longer], [ModelAttribution([shorter], speech=True)])
    assert sorted(x.text for x in quotes) == sorted([fail.text, longer.text]) and not others


def test_rules_fold_a_quote_that_is_most_of_a_reported_statement_into_it():
    from detente.extract.quotes import merge_nested

    reported = Quote(
        "he made it “hot as a pistol”", "indirect", 0, 27, "Putin", None, "according to", None, ""
    )
    inner = Quote("hot as a pistol", "direct", 12, 27, "Putin", None, "according to", None, "")
    other = Quote("we will", "direct", 40, 47, "Jones", None, "said", None, "")
    merged = merge_nested([inner, other], [reported])
    assert [(x.text, x.kind) for x in merged] == [
        ("we will", "direct"),
        ("he made it “hot as a pistol”", "direct"),
    ]
    # a different speaker's words inside it are not folded
    assert len(merge_nested([replace(inner, speaker="Trump")], [reported])) == 2


def test_the_person_told_is_not_part_of_what_was_said(extractor):
    text = "Jane Smith told the visiting envoys on Monday that the blockade would end within a week."
    ex = extractor.extract(Document("t", "t.txt", "test", text, None, None, None, "en"))
    said = [x for x in ex.quotes if "blockade" in x.text]
    assert said and said[0].text.startswith("that the blockade"), [x.text for x in ex.quotes]


def test_tagged_words_with_no_cue_in_reach_are_left_to_the_rules(extractor):
    from spacy.tokens import SpanGroup

    text = "The border stayed quiet overnight.\n\nOfficials said the convoy had crossed."
    doc = extractor.nlp(text)
    quiet = doc.char_span(0, 33, label="CONTENT")  # no cue in its paragraph
    convoy = doc.char_span(text.index("the convoy"), len(text) - 1, label="CONTENT")
    said = doc.char_span(text.index("said"), text.index("said") + 4, label="CUE")
    doc.spans[SPANS_KEY] = SpanGroup(doc, name=SPANS_KEY, spans=[quiet, said, convoy])
    for s in doc.spans[SPANS_KEY]:
        s._.set(SCORE_ATTR, 0.9)
    ex = extractor.from_doc(Document("t", "t.txt", "test", text, None, None, None, "en"), doc)
    found = [x.text for x in [*ex.quotes, *ex.attributions]]
    assert "the convoy had crossed" in found and not any("border" in x for x in found)
