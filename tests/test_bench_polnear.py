"""The PolNeAR scorer on hand-made gold and system spans, its reader, and a smoke run."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator

import pytest

from detente.bench.polnear import (
    Attribution,
    RoleSpan,
    Scores,
    classify,
    evaluate,
    gold_attributions,
    match_exact,
    match_overlap,
    read_articles,
    report,
    role_span,
    system_attributions,
    trim,
)
from detente.records import Document, Extraction, Quote, Span

TEXT = "Mr Smith said “we will not stop,” and he added, “never.” Officials said talks failed."
#       0         1         2         3         4         5         6         7         8


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return i, i + len(needle)


def rs(*pieces: tuple[int, int]) -> RoleSpan:
    return RoleSpan(tuple(pieces))


def quote(text: str, content: str, speaker: str | None, cue: str | None, nth: int = 0) -> Quote:
    """A quote whose speaker and cue are the ``nth`` occurrences of those words."""
    s, e = at(text, content)
    sp = Span(*at(text, speaker, nth), speaker) if speaker else None
    cu = Span(*at(text, cue, nth), cue) if cue else None
    return Quote(content, "direct", s, e, speaker, sp, cue, cu, "")


def extraction(text: str, quotes: list[Quote]) -> Extraction:
    return Extraction(Document("d", "d", "t", text, None, None, None, "en"), quotes=quotes)


# ---- spans ------------------------------------------------------------------------------------


def test_trim_drops_quotation_marks_punctuation_and_spaces():
    s, e = at(TEXT, " “we will not stop,” ")
    assert TEXT[slice(*trim(TEXT, s, e))] == "we will not stop"
    assert trim(TEXT, 13, 15) == (15, 15)  # nothing but a space and a quotation mark


def test_role_span_sorts_trims_merges_and_drops_empty_pieces():
    text = "“a b” c, “d”"
    span = role_span(text, [(8, 12), (0, 5), (1, 3)])
    assert span is not None and [text[s:e] for s, e in span.pieces] == ["a b", "d"]
    assert span.extent == (1, 11)
    assert role_span(text, [(5, 6), (8, 9)]) is None  # spaces only
    colon = role_span("He said: no", [(7, 9)])  # a cue that is only punctuation keeps it
    assert colon is not None and colon.pieces == ((7, 8),)


def test_common_counts_only_characters_in_both_pieces():
    gold = rs((0, 10), (20, 30))  # discontinuous: a gap from 10 to 20
    assert gold.common(rs((12, 18))) == 0  # inside the gap
    assert gold.common(rs((5, 25))) == 10
    assert gold.common(rs((10, 20))) == 0  # touching is not overlapping


# ---- matching ---------------------------------------------------------------------------------


def test_exact_compares_extents_one_to_one():
    gold = [rs((0, 10)), rs((20, 30))]
    assert match_exact(gold, [rs((0, 10)), rs((0, 10))]) == [(0, 0)]  # a gold span is used once
    assert match_exact([rs((0, 4), (6, 10))], [rs((0, 10))]) == [(0, 0)]  # same extent, other pieces
    assert match_exact(gold, [rs((0, 9))]) == []
    assert match_exact([rs((0, 10)), rs((0, 10))], [rs((0, 10)), rs((0, 10))]) == [(0, 0), (1, 1)]


def test_overlap_is_one_to_one_largest_first():
    gold = [rs((0, 10)), rs((20, 30))]
    assert len(match_overlap(gold, [rs((5, 25))])) == 1  # one system span, one gold span
    assert match_overlap(gold, [rs((8, 22))]) == [(0, 0)]  # ties go to the first gold span
    assert sorted(match_overlap(gold, [rs((5, 8)), rs((25, 40))])) == [(0, 0), (1, 1)]
    # greedy by size: the big overlap claims gold 0 although system 0 came first
    assert sorted(match_overlap([rs((0, 10))], [rs((9, 12)), rs((0, 8))])) == [(0, 1)]
    assert match_overlap([rs((0, 10), (20, 30))], [rs((12, 18))]) == []  # in the gap


def test_scores_per_role_exact_and_overlap():
    scores = Scores()
    gold = [
        Attribution(rs((0, 5)), rs((6, 10)), rs((11, 40))),
        Attribution(None, rs((41, 45)), rs((50, 60))),
    ]
    system = [Attribution(rs((0, 5)), rs((6, 9)), rs((11, 40)))]
    scores.add(gold, system)
    d = scores.as_dict()
    assert d["source"]["gold"] == 1 and d["source"]["exact_f1"] == 1.0
    assert d["cue"]["exact_f1"] == 0.0 and d["cue"]["overlap_p"] == 1.0 and d["cue"]["overlap_r"] == 0.5
    assert d["content"]["exact_p"] == 1.0 and d["content"]["exact_r"] == 0.5
    assert d["content"]["exact_f1"] == pytest.approx(2 / 3, abs=1e-3)


def test_empty_system_scores_zero_without_dividing_by_zero():
    scores = Scores()
    scores.add([Attribution(rs((0, 5)), rs((6, 10)), rs((11, 40)))], [])
    assert scores.as_dict()["content"] == {
        "exact_p": 0.0,
        "exact_r": 0.0,
        "exact_f1": 0.0,
        "overlap_p": 0.0,
        "overlap_r": 0.0,
        "overlap_f1": 0.0,
        "gold": 1,
        "system": 0,
        "exact": 0,
        "overlap": 0,
    }


# ---- gold and system attributions ------------------------------------------------------------


def test_gold_attributions_keep_discontinuous_content_and_missing_source():
    text = "“A,” he said, “B.” Then: it rained."
    article = {
        "doc": "x",
        "text": text,
        "attributions": [
            {
                "source": [{"start": 5, "end": 7}],
                "cue": [{"start": 8, "end": 12}],
                "content": [{"start": 0, "end": 4}, {"start": 14, "end": 18}],
            },
            {
                "cue": [{"start": 19, "end": 24}],
                "content": [{"start": 25, "end": 35}, {"start": 99, "end": 120}],
            },
        ],
    }
    first, second = gold_attributions(article)
    assert first.content is not None and [text[s:e] for s, e in first.content.pieces] == ["A", "B"]
    assert first.source is not None and first.source.extent == (5, 7)
    assert second.source is None
    assert second.content is not None and second.content.pieces == ((25, 34),)  # bad offsets dropped


def test_interrupted_quote_becomes_one_attribution():
    text = "“We will,” Smith said, “fight.” Smith said peace is near."
    quotes = [
        quote(text, "We will", "Smith", "said"),
        quote(text, "fight", "Smith", "said"),
        quote(text, "peace is near", "Smith", "said", nth=1),
    ]
    attributions = system_attributions(text, extraction(text, quotes))
    assert len(attributions) == 2
    joined = attributions[0].content
    assert joined is not None and [text[s:e] for s, e in joined.pieces] == ["We will", "fight"]
    assert (
        attributions[1].content is not None
        and text[slice(*attributions[1].content.extent)] == "peace is near"
    )


def test_quotes_sharing_a_speaker_are_not_joined_when_the_cue_is_not_between_them():
    text = "Smith said “we will” and “we must”."
    quotes = [quote(text, "we will", "Smith", "said"), quote(text, "we must", "Smith", "said")]
    assert len(system_attributions(text, extraction(text, quotes))) == 2


def test_quote_without_speaker_has_no_source():
    text = "“We will,” officials said."
    (a,) = system_attributions(text, extraction(text, [quote(text, "We will", None, "said")]))
    assert a.source is None and a.cue is not None and a.content is not None


# ---- errors ----------------------------------------------------------------------------------


def test_classify_names_missed_spurious_and_role_errors():
    text = "Smith said that talks failed. Jones said “no.” Rain fell, Lee noted."
    gold = [
        Attribution(rs(at(text, "Smith")), rs(at(text, "said")), rs(at(text, "that talks failed"))),
        Attribution(rs(at(text, "Jones")), rs(at(text, "said", 1)), rs(at(text, "no"))),
    ]
    system = [
        Attribution(None, rs(at(text, "said")), rs(at(text, "talks failed"))),
        Attribution(rs(at(text, "Lee")), rs(at(text, "noted")), rs(at(text, "Rain fell"))),
    ]
    kinds = sorted(k for k, _, _ in classify(text, gold, system))
    assert kinds == ["content: gold adds leading 'that'", "missed direct", "source: missing", "spurious"]


def test_classify_content_boundaries_and_wrong_source():
    text = "Smith said talks failed badly, Jones added."
    gold = [Attribution(rs(at(text, "Jones")), rs(at(text, "added")), rs(at(text, "talks failed badly")))]
    system = [Attribution(rs(at(text, "Smith")), rs(at(text, "added")), rs(at(text, "talks failed")))]
    kinds = sorted(k for k, _, _ in classify(text, gold, system))
    assert kinds == ["content: system ends earlier", "source: wrong span"]


# ---- reading and running ---------------------------------------------------------------------

ARTICLES = [
    {
        "doc": "a1",
        "text": "“We will,” Smith said.",
        "attributions": [
            {
                "source": [{"start": 11, "end": 16, "text": "Smith"}],
                "cue": [{"start": 17, "end": 21, "text": "said"}],
                "content": [{"start": 0, "end": 10, "text": "“We will,”"}],
            }
        ],
    },
    {"doc": "a2", "text": "Nothing was said here by anyone at all.", "attributions": []},
]


def write_jsonl(path, rows, packed: bool) -> None:
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if packed:
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(lines)
    else:
        path.write_text(lines, encoding="utf-8")


def test_reads_gzip_and_plain_whatever_the_name(tmp_path):
    write_jsonl(plain := tmp_path / "a.jsonl", ARTICLES, packed=False)
    write_jsonl(packed := tmp_path / "a.data", ARTICLES, packed=True)  # gzip without .gz
    assert list(read_articles(plain)) == list(read_articles(packed)) == ARTICLES
    assert [a["doc"] for a in read_articles(packed, limit=1)] == ["a1"]


def test_bad_lines_are_skipped_with_a_warning(tmp_path, caplog):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"doc": "x", "text": "ok"}\nnot json\n[1, 2]\n\n{"doc": "y"}\n', encoding="utf-8")
    assert [a["doc"] for a in read_articles(path)] == ["x"]
    assert sum("skipped" in r.getMessage() for r in caplog.records) == 3


class FakeExtractor:
    """Finds "“...,” NAME said" only: enough to exercise the evaluation end to end."""

    def extract_many(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        for d in documents:
            quotes = []
            if "” Smith said" in d.text:
                quotes.append(quote(d.text, "We will", "Smith", "said"))
            yield Extraction(d, quotes=quotes)


class NoQuotes:
    def extract_many(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        return (Extraction(d) for d in documents)


def test_evaluate_scores_several_systems_on_the_same_articles():
    results = evaluate(ARTICLES, {"rules": FakeExtractor().extract_many, "none": NoQuotes().extract_many}, 2)
    summary = report(results, with_errors=True)
    assert list(summary) == ["rules", "none"]
    for role in ("source", "cue", "content"):
        assert summary["rules"][role]["exact_f1"] == 1.0
        assert summary["none"][role]["overlap_r"] == 0.0
    assert summary["rules"]["errors"] == {}
    missed = summary["none"]["errors"]["missed direct"]
    assert missed["count"] == 1 and missed["examples"][0]["gold"] == "Smith | said | We will"
    assert "errors" not in report(results)["rules"]


@pytest.mark.slow
def test_smoke_three_polnear_dev_articles(shared_dir):
    from detente.bench.polnear import evaluate_modes

    articles = list(read_articles(shared_dir / "data" / "polnear" / "dev.jsonl.gz", limit=3))
    assert len(articles) == 3
    summary = report(evaluate_modes(articles))
    assert list(summary) == ["rules", "model", "combined"]
    for name, roles in summary.items():
        for role in ("source", "cue", "content"):
            d = roles[role]
            assert d["gold"] > 0 and d["system"] > 0, name
            assert 0.0 <= d["exact_f1"] <= d["overlap_f1"] <= 1.0
        assert roles["content"]["overlap"] > 0  # each system finds at least some of the quotes
    # The tagger is trained on PolNeAR: it finds more of its attributions than the rules.
    assert summary["model"]["content"]["overlap_r"] > summary["rules"]["content"]["overlap_r"]


def test_cli_json_and_errors(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import detente.bench.polnear
    import detente.cli.bench  # registers the commands
    from detente.cli import app

    def fake_modes(articles, settings=None, modes=("rules", "model", "combined"), examples=0):
        systems = {m: (FakeExtractor() if m == "combined" else NoQuotes()).extract_many for m in modes}
        return evaluate(articles, systems, examples)

    monkeypatch.setattr(detente.bench.polnear, "evaluate_modes", fake_modes)
    write_jsonl(path := tmp_path / "dev.jsonl.gz", ARTICLES, packed=True)
    result = CliRunner().invoke(app, ["bench", "polnear", str(path), "--json", "--no-speed"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert list(summary) == ["rules", "model", "combined"]
    for role in ("source", "cue", "content"):
        assert summary["combined"][role]["exact_f1"] == summary["combined"][role]["overlap_f1"] == 1.0
        assert summary["rules"][role]["exact_f1"] == 0.0 and summary["rules"][role]["gold"] == 1
    result = CliRunner().invoke(
        app, ["bench", "polnear", str(path), "--system", "rules", "--no-speed", "--json"]
    )
    assert result.exit_code == 0 and list(json.loads(result.stdout)) == ["rules"]
    result = CliRunner().invoke(app, ["bench", "polnear", str(path), "--errors", "1", "--no-speed"])
    assert result.exit_code == 0 and "missed direct" in result.stdout
    for bad in (["--system", "oracle"], ["--model", str(tmp_path)]):
        result = CliRunner().invoke(app, ["bench", "polnear", str(path), "--no-speed", *bad])
        assert result.exit_code != 0
    result = CliRunner().invoke(app, ["bench", "polnear", str(tmp_path / "absent.jsonl")])
    assert result.exit_code != 0


def test_classify_embedded_quote_and_short_source():
    text = "The New York Post reports that her team wanted to “keep it quiet.”"
    content = rs((at(text, "that")[0], at(text, "quiet")[1]))
    gold = [Attribution(rs(at(text, "The New York Post")), rs(at(text, "reports")), content)]
    system = [
        Attribution(rs(at(text, "New York Post")), rs(at(text, "reports")), rs(at(text, "her team wanted"))),
        Attribution(rs(at(text, "New York Post")), rs(at(text, "reports")), rs(at(text, "keep it quiet"))),
    ]
    kinds = sorted(k for k, _, _ in classify(text, gold, system))
    assert kinds == [
        "content: system starts later and ends earlier",
        "source: system shorter",
        "spurious, inside another gold content",
    ]


def test_a_quote_inside_another_attributions_content_is_not_scored_on_its_own():
    # PolNeAR labels each token once: the paraphrase is the attribution, not the phrase it quotes.
    text = "Smith said voter fraud “would be one hell of a way to lose” in November. Jones said “no”."
    outer = quote(text, "voter fraud “would be one hell of a way to lose” in November", "Smith", "said")
    inner = quote(text, "would be one hell of a way to lose", "Smith", "said")
    alone = quote(text, "no", "Jones", "said")
    attributions = system_attributions(text, extraction(text, [outer, inner, alone]))
    contents = [text[slice(*a.content.extent)] for a in attributions if a.content]
    assert contents == ["voter fraud “would be one hell of a way to lose” in November", "no"]
