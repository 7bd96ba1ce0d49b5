"""Quotes from the attribution tagger, and their combination with the rule-based quotes.

The tagger's attributions (``linking``) become ``Quote`` records: one per content piece, the
pieces of one attribution sharing its source and cue spans. The source is resolved to a full
name, an institution or a party with the rules' ``Resolver`` (a name inside the source phrase
first, else pronouns to the nearest compatible person, "the Russian leader" to the person it
fits), so a model quote names its speaker the way a rule quote does.

PolNeAR, which the tagger learns from, marks every attribution: words, but also beliefs,
intentions, findings ("X believes", "X wants to", "the poll shows"). Only words are quotes: an
attribution is speech when its cue is a speech act (the lexicon's reported-speech verbs,
"according to", a colon, a statement noun) and, for reported speech, its content is a clause;
quoted words count with any speech or act verb. The others go to ``Extraction.attributions``.

``combine`` keeps the rules where they are precise and lets the tagger supply the rest: for a
quote in quotation marks or with "according to", the rules' words and speaker stand, and the
tagger adds the source and cue spans it read; the tagger replaces the rules' other reported
speech where the two overlap, and adds what the rules did not find.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from detente.extract.attribution.linking import link
from detente.extract.lexicon import Lexicon
from detente.extract.mentions import Resolver, Speaker
from detente.extract.quotes import SAME_STATEMENT_SHARE, quoted_share, strip_span, word_count
from detente.records import Quote
from detente.records import Span as TextSpan

QUOTE_MARKS = "\"“”‘’'«»„"
CLAUSE_SUBJECTS = ("nsubj", "nsubjpass", "csubj", "expl")
COVER = 0.6  # share of a rule quote's words a tagger attribution must hold to replace it


@dataclass(slots=True)
class ModelAttribution:
    """One attribution of the tagger as quote records (one per content piece)."""

    quotes: list[Quote]
    speech: bool

    @property
    def start(self) -> int:
        return min(q.start for q in self.quotes)

    @property
    def end(self) -> int:
        return max(q.end for q in self.quotes)

    def overlaps(self, q: Quote) -> bool:
        return any(p.start < q.end and q.start < p.end for p in self.quotes)

    def same_cue(self, q: Quote) -> bool:
        """Whether its cue is the quote's (overlapping spans), or one of the two has none."""
        mine = self.quotes[0].cue_span
        theirs = q.cue_span
        return mine is None or theirs is None or (mine.start < theirs.end and theirs.start < mine.end)

    def wraps(self, q: Quote) -> bool:
        """Whether one of its content pieces holds the quote and words besides it: a paraphrase
        that quotes a phrase ('Trump said voter fraud “would be one hell of a way to lose”')."""
        return any(
            p.start <= q.start
            and q.end <= p.end
            and word_count(p.text[: q.start - p.start] + " " + p.text[q.end - p.start :]) > 0
            for p in self.quotes
        )

    def covers(self, q: Quote) -> bool:
        """Whether its content holds at least ``COVER`` of the quote's characters."""
        inside = sum(max(0, min(p.end, q.end) - max(p.start, q.start)) for p in self.quotes)
        return inside >= COVER * (q.end - q.start)


def _text_span(text: str, span: Span | None) -> TextSpan | None:
    if span is None:
        return None
    return TextSpan(span.start_char, span.end_char, text[span.start_char : span.end_char])


def _is_clause(piece: Span) -> bool:
    """Whether the words are a clause: their head is a verb with its own subject ("that talks
    failed", "we will win"), not a noun ("a truce", "Trump's assertion that ...")."""
    root = piece.root
    return root.pos_ in ("VERB", "AUX") and any(
        c.dep_ in CLAUSE_SUBJECTS and piece.start <= c.i < piece.end for c in root.children
    )


ADDRESSEE_DEPS = frozenset({"dobj", "dative", "npadvmod", "prep", "advmod", "punct"})


def _hangs_on(token: Token, verb: Token) -> bool:
    """Whether the token is in the subtree of one of the verb's non-clausal dependents."""
    while token.head.i != verb.i:
        if token.head.i == token.i:
            return False
        token = token.head
    return token.dep_ in ADDRESSEE_DEPS


class ModelQuotes:
    """Turns the tagger's spans in a parsed document into quotes with resolved speakers."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.reported = lexicon.speech_verbs - lexicon.weak_reported_verbs
        self.quoting = lexicon.speech_verbs | lexicon.act_verbs

    def find(self, resolver: Resolver) -> list[ModelAttribution]:
        out: list[ModelAttribution] = []
        for a in link(resolver.doc):
            if not a.content or a.cue is None:
                # words with no cue in reach say nothing of who spoke (on PolNeAR dev 28% of
                # such spans are exact, against 65% of those with a cue): left to the rules
                continue
            cue, speaker = a.cue, self._speaker(resolver, a.source)
            quotes = [
                q
                for piece in a.content
                if (q := self._quote(resolver, cue, a.score, piece, speaker)) is not None
            ]
            if quotes:
                out.append(ModelAttribution(quotes, self.is_speech(cue, a.content, quotes)))
        return out

    def is_speech(self, cue_span: Span, content: list[Span], quotes: list[Quote]) -> bool:
        """Whether the attribution reports words (a quote) rather than a belief or an intention."""
        direct = all(q.kind == "direct" for q in quotes)
        cue = cue_span.text.lower()
        root = cue_span.root
        lemma = root.lemma_.lower()
        if cue == "according to" or cue.endswith(":"):
            return True
        if direct:  # "X's statement: “...”" as well as "X said “...”"
            return lemma in self.quoting or (root.pos_ == "NOUN" and lemma in self.lex.speech_nouns)
        return root.pos_ in ("VERB", "AUX") and lemma in self.reported and any(_is_clause(p) for p in content)

    def _speaker(self, r: Resolver, source: Span | None) -> Speaker | None:
        if source is None:
            return None
        named = [t for t in source if t.i in r.person_at]
        if named:  # "Russian lawmaker Andrey Klishas", "Ilya Matveyev, a political scientist"
            return Speaker(r.person_at[named[0].i].name, source, "name")
        who = r.resolve(source.root)
        return Speaker(who.name if who else None, source, who.via if who else "noun")

    def _without_addressee(self, piece: Span, cue: Span) -> Span:
        """The piece without the person spoken to when the tagger took them in: after "told",
        "warned" and the like, words that hang on the verb before its "that" clause (the
        addressee and the verb's own modifiers: "told senior officials on Saturday that ...")
        are not what was said; the content starts at the clause."""
        if cue.root.lemma_.lower() not in self.lex.addressee_verbs:
            return piece
        verb, doc = cue.root, piece.doc
        for clause in verb.rights:
            start = clause.left_edge.i
            if clause.dep_ != "ccomp" or not piece.start < start < piece.end:
                continue
            lead = doc[piece.start : start]
            if any(t.dep_ in ("dobj", "dative") and t.head.i == verb.i for t in lead) and all(
                _hangs_on(t, verb) for t in lead
            ):
                return doc[start : piece.end]
        return piece

    def _quote(
        self, r: Resolver, cue: Span, score: float, piece: Span, speaker: Speaker | None
    ) -> Quote | None:
        text = r.text
        piece = self._without_addressee(piece, cue)
        s, e = strip_span(text, piece.start_char, piece.end_char)
        if e - s < 2:
            return None
        before = text[max(0, piece.start_char - 2) : piece.start_char]
        direct = r.in_quote(s, e) or any(m in before for m in QUOTE_MARKS)
        e = _closing_mark(text, s, e)
        tok_s, tok_e = r.token_at(s), r.token_at(max(e - 1, s))
        sent_s = r.ix.sent(tok_s.i).start_char if tok_s is not None else s
        sent_e = r.ix.sent(tok_e.i).end_char if tok_e is not None else e
        confidence = round(score if speaker and speaker.name else min(score, 0.5), 3)
        return Quote(
            text=text[s:e],
            kind="direct" if direct else "indirect",
            start=s,
            end=e,
            speaker=speaker.name if speaker else None,
            speaker_span=_text_span(text, speaker.mention) if speaker else None,  # type: ignore[arg-type]
            cue=cue.text,
            cue_span=_text_span(text, cue),
            sentence=text[sent_s:sent_e].strip(),
            confidence=confidence,
        )


def _closing_mark(text: str, start: int, end: int) -> int:
    """``end`` moved past the closing quotation mark (and a stop or comma before it) when the
    words open a quotation they do not close ('that “we want peace' -> 'that “we want peace”')."""
    words = text[start:end]
    if words.count("“") <= words.count("”") and words.count('"') % 2 == 0:
        return end
    j = end
    while j < len(text) and j - end < 2 and text[j] in ".,!?":
        j += 1
    return j + 1 if j < len(text) and text[j] in '”"' else end


def _precise(q: Quote) -> bool:
    """A rule quote of the kinds the rules get right: quoted words, or 'according to'."""
    return q.kind == "direct" or (q.cue or "").lower() == "according to"


def _sorted(quotes: list[Quote]) -> list[Quote]:
    return sorted(quotes, key=lambda q: (q.start, q.end))


def split(model: list[ModelAttribution]) -> tuple[list[Quote], list[Quote]]:
    """The tagger's attributions alone: (quotes, other attributions)."""
    quotes = [q for m in model if m.speech for q in m.quotes]
    others = [q for m in model if not m.speech for q in m.quotes]
    return _sorted(quotes), _sorted(others)


def _common(a: Quote, b: Quote) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _wrapped(m: ModelAttribution, inner: list[Quote], reported: bool) -> tuple[list[Quote], list[Quote]]:
    """(quotes, other attributions) from a tagger attribution and the precise quotes inside it.

    When the quoted words are at least half of the paraphrase ('that “we want the war to end
    on fair terms”'), the two are one statement, kept as the paraphrase (the way PolNeAR marks
    it, "that" included), a direct quote. When they are a smaller part ('said voter fraud “would be
    one hell of a way to lose” in November'), the quoted phrases stand as quotes of their own
    and the paraphrase is kept beside them: as a quote if the rules also read reported speech
    there (``reported``: whether such a paraphrase is a quote is for the rules, the precise side
    on speech, to say), else as an attribution, as is a paraphrase that is not speech (a
    belief). Quotes keep the rules' speaker; the paraphrase takes it when the tagger found none."""
    first = m.quotes[0]
    inner = [_with_spans(r, first) for r in inner]
    name = next((r.speaker for r in inner if r.speaker), None)
    outer = [replace(q, speaker=q.speaker or name) for q in m.quotes]
    if m.speech and quoted_share(m.quotes, inner) >= SAME_STATEMENT_SHARE:
        return [replace(q, kind="direct") for q in outer], []
    if m.speech and reported:
        return [*outer, *inner], []
    return inner, outer


def _with_spans(r: Quote, m: Quote) -> Quote:
    """A rule quote with the source and cue spans the tagger read for it (its own when the
    tagger has none) and the tagger's speaker when the rules named none."""
    return replace(
        r,
        speaker=r.speaker or m.speaker,
        speaker_span=m.speaker_span or r.speaker_span,
        cue=m.cue if m.cue_span else r.cue,
        cue_span=m.cue_span or r.cue_span,
    )


def _paraphrases(model: list[ModelAttribution], precise: list[Quote]) -> dict[int, list[Quote]]:
    """Tagger attributions (by index) that paraphrase around precise quotes, with those quotes:
    every precise quote such an attribution touches lies inside its words, and none of them is
    inside another precise quote (the rules already read that statement)."""
    out: dict[int, list[Quote]] = {}
    for k, m in enumerate(model):
        touched = [r for r in precise if m.overlaps(r)]
        inner = [
            r
            for r in touched
            if m.wraps(r) and not any(o is not r and o.start <= r.start and r.end <= o.end for o in precise)
        ]
        if inner and len(inner) == len(touched):
            out[k] = inner
    return out


def combine(rules: list[Quote], model: list[ModelAttribution]) -> tuple[list[Quote], list[Quote]]:
    """(quotes, other attributions) from the rules' quotes and the tagger's attributions.

    - A rule quote in quotation marks or with "according to" keeps its words and speaker; when
      the tagger read the same attribution, its source and cue spans are taken (the rules' own
      when the tagger has none) and a speaker the rules left unnamed is the tagger's.
    - A tagger attribution that paraphrases around such quotes is kept beside them (``_wrapped``).
    - The rules' other reported speech gives way to the tagger's attribution over the same
      words (a speech verb the rules recognised makes it a quote); a tagger quote without a
      named speaker takes the name of the rule quote it replaces. Where the rules read more of
      the words as reported speech than the tagger did, theirs stands.
    - Tagger attributions that overlap no rule quote are added: speech to the quotes, the rest
      to the attributions.
    """
    precise = [r for r in rules if _precise(r)]
    reported = [r for r in rules if not _precise(r)]
    paraphrases = _paraphrases(model, precise)
    inside = {id(r) for inner in paraphrases.values() for r in inner}
    quotes: list[Quote] = []
    for r in precise:
        if id(r) in inside:
            continue
        best = max(
            (m for m in model if m.overlaps(r) and m.same_cue(r)),
            key=lambda m: max(_common(q, r) for q in m.quotes),
            default=None,
        )
        quotes.append(r if best is None else _with_spans(r, best.quotes[0]))
    others: list[Quote] = []
    replaced: set[int] = set()
    for k, m in enumerate(model):
        inner = paraphrases.get(k)
        if inner is None and any(m.overlaps(r) for r in precise):
            continue  # its words are a rule quote's, merged above
        donors = [i for i, r in enumerate(reported) if m.overlaps(r)]
        if any(not m.covers(reported[i]) for i in donors):
            if inner:
                quotes.extend(_with_spans(r, m.quotes[0]) for r in inner)
            continue  # the rules read more of these words as reported speech: theirs stands
        if inner:
            said, other = _wrapped(m, inner, reported=bool(donors))
            quotes.extend(said)
            others.extend(other)
            if m.speech:
                replaced.update(donors)
            continue
        if not m.speech:  # a belief or intention; rule quotes over the same words stay quotes
            others.extend(m.quotes)
            continue
        replaced.update(donors)
        name = next((reported[i].speaker for i in donors if reported[i].speaker), None)
        quotes.extend(replace(q, speaker=q.speaker or name) for q in m.quotes)
    quotes.extend(r for i, r in enumerate(reported) if i not in replaced)
    return _sorted(quotes), _sorted(others)
