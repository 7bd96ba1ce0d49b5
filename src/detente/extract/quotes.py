"""Quotes: direct quotes (in quotation marks) and reported speech, each with its speaker.

Direct quotes come from the quotation marks (``quote_marks``); their speaker from an
attribution in the same sentence frame (a speech verb and its subject, "according to X", a
colon introduction), else from the neighbouring quote of a split quote, else from the previous
paragraph when the quote stands alone. Reported speech comes from the dependency parse: a speech
verb with a clausal complement ("X said (that) ...", "..., X told reporters") or "according to X".
Speakers resolve to a person's full name, a pronoun to the nearest compatible person, an
institution or party to its name, a description ("the Russian leader") to the person it fits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from detente.extract.gazetteer import Gazetteer
from detente.extract.lexicon import Lexicon
from detente.extract.mentions import Resolver, Speaker
from detente.extract.quote_marks import Marked, find_marked
from detente.records import Quote
from detente.records import Span as TextSpan

TRIM = " \t\n,.;:—–-\"“”‘’'"


@dataclass(slots=True)
class Attribution:
    speaker: Speaker
    cue: Token | Span
    start: int  # character extent of the attribution clause
    end: int


def _span_of(x: Token | Span) -> tuple[int, int]:
    if isinstance(x, Token):
        return x.idx, x.idx + len(x.text)
    return x.start_char, x.end_char


def _text_span(text: str, x: Token | Span | None) -> TextSpan | None:
    if x is None:
        return None
    s, e = _span_of(x)
    return TextSpan(s, e, text[s:e])


def strip_span(text: str, start: int, end: int, trim: str = TRIM) -> tuple[int, int]:
    """``start``/``end`` moved inwards past spaces, punctuation and quotation marks in ``trim``."""
    while start < end and text[start] in trim:
        start += 1
    while end > start and text[end - 1] in trim:
        end -= 1
    return start, end


# A paraphrase and the quoted words inside it are one (direct) statement when the quoted words
# make up at least this share of the paraphrase's words ('He made the US “hot as a pistol”,
# according to X'); below it the quoted phrase is a quote of its own beside the paraphrase.
SAME_STATEMENT_SHARE = 0.5


def word_count(text: str) -> int:
    return sum(any(ch.isalnum() for ch in w) for w in text.split())


def quoted_share(outer: list[Quote], inner: list[Quote]) -> float:
    """Share of the words of ``outer`` (a paraphrase, maybe in pieces) that ``inner`` quote."""
    return sum(word_count(q.text) for q in inner) / max(1, sum(word_count(q.text) for q in outer))


def merge_nested(direct: list[Quote], indirect: list[Quote]) -> list[Quote]:
    """Both lists, with each direct quote that makes up most of a reported one by the same
    speaker folded into it (the reported one then counts as direct)."""
    out_indirect = []
    dropped: set[int] = set()
    for q in indirect:
        inner = [
            i
            for i, d in enumerate(direct)
            if q.start <= d.start and d.end <= q.end and d.speaker == q.speaker and i not in dropped
        ]
        if inner and quoted_share([q], [direct[i] for i in inner]) >= SAME_STATEMENT_SHARE:
            dropped.update(inner)
            q = replace(q, kind="direct")
        out_indirect.append(q)
    return [d for i, d in enumerate(direct) if i not in dropped] + out_indirect


class QuoteFinder:
    """Finds the quotes of one parsed document, given its people."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon) -> None:
        self.gaz = gazetteer
        self.lex = lexicon
        self._reported_verbs = lexicon.speech_verbs - lexicon.weak_reported_verbs

    # ---- entry point --------------------------------------------------------------------
    def find(self, resolver: Resolver) -> list[Quote]:
        """Quotes of the document the resolver was built for."""
        self.r = resolver
        self.doc = resolver.doc
        self.ix = resolver.ix
        self.text = resolver.text
        marked = find_marked(self.text)
        self.direct_spans: list[tuple[int, int]] = []
        direct = self._direct(marked)
        indirect = self._indirect(direct)
        return sorted(merge_nested(direct, indirect), key=lambda q: q.start)

    # ---- quoted spans -----------------------------------------------------------------------
    def _in_direct(self, start: int, end: int) -> bool:
        return self.r.in_quote(start, end)

    def _direct_share(self, start: int, end: int) -> float:
        """Share of the characters of [start, end) that lie inside direct quotes."""
        if end <= start:
            return 0.0
        inside = sum(max(0, min(end, e) - max(start, s)) for s, e in self.direct_spans)
        return inside / (end - start)

    # ---- attributions ---------------------------------------------------------------------
    def _attributions(self, start: int, end: int, verbs: frozenset[str]) -> list[Attribution]:
        """Speech cues in text[start:end] outside direct quotes, with their speakers."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return []
        found: list[Attribution] = []
        for t in span:
            if self._in_direct(t.idx, t.idx + 1):
                continue
            if t.lower_ == "according" and t.i + 1 < len(self.doc) and self.doc[t.i + 1].lower_ == "to":
                obj = next((c for c in self.doc[t.i + 1].children if c.dep_ == "pobj"), None)
                if obj is not None:
                    who = self.r.with_phrase(self.r.resolve(obj), obj)
                    if who is not None:
                        found.append(
                            Attribution(who, self.doc[t.i : t.i + 2], t.idx, obj.idx + len(obj.text))
                        )
                continue
            if t.pos_ == "NOUN" and t.lemma_.lower() in self.lex.speech_nouns:
                owner = next((c for c in t.children if c.dep_ == "poss"), None)
                who = self.r.resolve(owner) if owner is not None else None
                if who is not None and who.name and verbs is not self._reported_verbs:
                    found.append(Attribution(who, t, owner.idx, t.idx + len(t.text)))
                continue
            if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in verbs:
                subj = self.r.subject_of(t)
                if subj is None:
                    continue
                who = self.r.with_phrase(self.r.resolve(subj), subj)
                if who is not None:
                    found.append(
                        Attribution(who, t, min(subj.idx, t.idx), max(subj.idx, t.idx) + len(t.text))
                    )
        return found

    # ---- direct quotes --------------------------------------------------------------------
    def _frame(self, m: Marked) -> tuple[int, int]:
        """The sentences around a quote where its attribution may stand."""
        start_tok = self.r.token_at(m.start if m.start is not None else m.end)
        end_tok = self.r.token_at(max(m.end - 1, 0))
        a = self.ix.sent(start_tok.i).start_char if start_tok is not None else m.paragraph[0]
        b = self.ix.sent(end_tok.i).end_char if end_tok is not None else m.paragraph[1]
        # The sentence after the closing mark when the quote closes a sentence: “...,” he said.
        after = self.text[m.end + 1 : m.end + 3] if m.end < len(self.text) else ""
        if after.startswith((" ", ",")) and end_tok is not None:
            nxt = self.r.token_at(min(m.end + 2, len(self.text) - 1))
            if (
                nxt is not None
                and self.ix.sent(nxt.i).start_char >= b
                and self.ix.sent(nxt.i).start_char < m.paragraph[1]
            ):
                lead = self.text[m.end + 1 : self.ix.sent(nxt.i).end_char].strip()
                short = len(lead.split()) <= 12 and not any(q in lead for q in '"“”')
                # '... the Russians?" Greene stated.': a sentence that is only the attribution
                # ends on its speech verb; '"B." He added that ...' starts a new statement.
                last = re.sub(r"[\W_]+$", "", lead).rsplit(" ", 1)[-1].lower()
                attribution_only = short and (
                    last in self.lex.speech_verbs
                    or last.rstrip("sd") in self.lex.speech_verbs
                    or last.endswith("ed")
                )
                if lead[:1].islower() or lead[:1] in (",",) or attribution_only:
                    b = self.ix.sent(nxt.i).end_char
        return max(a, m.paragraph[0]), min(max(b, m.end), m.paragraph[1])

    def _backfill_orphan(self, m: Marked) -> int:
        """Where a quote that has only a closing mark begins: the first sentence after the last
        attribution in its paragraph, else the paragraph's start."""
        tok = self.r.token_at(max(m.end - 1, 0))
        if tok is None:
            return m.paragraph[0]
        sent = self.ix.sent(tok.i)
        start = sent.start_char
        while start > m.paragraph[0]:
            prev = self.ix.sent(sent.start - 1) if sent.start > 0 else None
            if prev is None or prev.start_char < m.paragraph[0]:
                break
            if self._attributions(prev.start_char, prev.end_char, self.lex.speech_verbs):
                break
            sent, start = prev, prev.start_char
        return max(start, m.paragraph[0])

    def _direct(self, marked: list[Marked]) -> list[Quote]:
        items: list[tuple[int, int, Marked]] = []
        for m in marked:
            start = m.start if m.start is not None else self._backfill_orphan(m)
            s, e = strip_span(self.text, start, m.end)
            if e - s < 2 or not re.search(r"\w", self.text[s:e]):
                continue
            items.append((s, e, m))
        self.direct_spans = sorted((s, e) for s, e, _ in items)
        self.r.set_quoted(self.direct_spans)
        # Where an attribution is reused, the quotes in one frame share it.
        results: list[tuple[int, int, Marked, Attribution | None, str]] = []
        for s, e, m in items:
            fs, fe = self._frame(m)
            atts = self._attributions(fs, fe, self.lex.speech_verbs | self.lex.act_verbs)
            att = self._nearest(atts, s, e)
            results.append((s, e, m, att, "frame" if att else ""))
        # Split quotes and stand-alone quote paragraphs borrow a neighbour's speaker.
        for k, (s, e, m, att, _how) in enumerate(results):
            if att is not None:
                continue
            borrowed = self._neighbour(results, k)
            if borrowed is not None:
                results[k] = (s, e, m, borrowed, "context")
        quotes: list[Quote] = []
        for s, e, m, att, how in results:
            n_words = len(re.findall(r"\w+", self.text[s:e]))
            if n_words <= 4 and not (att is not None and how == "frame" and self._cited(m, s, e, att)):
                continue  # scare quotes and titles: "Easter truce", "Russia hoax", "root causes"
            quotes.append(self._make(s, e, "direct", att, 0.9 if how == "frame" else 0.6))
        return quotes

    def _cited(self, m: Marked, s: int, e: int, att: Attribution) -> bool:
        """Whether a short quoted phrase is cited words rather than a scare quote: it ends its
        sentence, is followed at once by its attribution, or follows its cue closely."""
        tail = self.text[e : m.paragraph[1]]
        tail = tail.lstrip("\"”’'»")
        if re.match(r"^\s*[.!?]|^\s*$", tail) or re.search(r"[.!?][\"”’'»]?$", self.text[s : e + 2]):
            return True
        if tail.lstrip(" ,")[:1] and att.start >= e and att.start - e <= 4:
            return True
        cue_end = _span_of(att.cue)[1]
        between = re.findall(r"\w+", self.text[cue_end:s])
        return cue_end <= s and len(between) <= 3 and "that" not in between

    def _nearest(self, atts: list[Attribution], s: int, e: int) -> Attribution | None:
        if not atts:
            return None
        named = [a for a in atts if a.speaker.name]
        pool = named or atts
        return min(pool, key=lambda a: min(abs(a.start - e), abs(a.end - s)))

    def _neighbour(self, results: list, k: int) -> Attribution | None:
        s, e, m, _, _ = results[k]
        para = m.paragraph
        # Same paragraph: the previous quote, then the next one (a split quote).
        for j in [*range(k - 1, -1, -1), *range(k + 1, len(results))]:
            sj, ej, mj, attj, how = results[j]
            if mj.paragraph != para or attj is None or how == "context":
                continue
            if j > k and attj.start > sj:
                continue  # '"A," said X. "B," said Y.': B's speaker is not A's
            between = self.text[min(e, ej) : max(s, sj)]
            if len(between) < 200:
                return attj
        # A paragraph that is only this quote: the last speaker of the previous paragraph.
        rest = (self.text[para[0] : s] + self.text[e : para[1]]).strip(TRIM)
        if rest:
            return None
        prev_para = [r for r in results[:k] if r[2].paragraph[1] < para[0] and r[3] is not None]
        before = self.text[: para[0]].rstrip()
        prev_start = before.rfind("\n") + 1
        atts = self._attributions(prev_start, len(before), self.lex.speech_verbs)
        candidates = [a for a in atts if a.speaker.name]
        if prev_para and prev_para[-1][2].paragraph[0] >= prev_start:
            candidates.append(prev_para[-1][3])
        if not candidates:
            return None
        return max(candidates, key=lambda a: a.start)

    # ---- reported speech ---------------------------------------------------------------------
    def _indirect(self, direct: list[Quote]) -> list[Quote]:
        verbs = self._reported_verbs
        quotes: list[Quote] = []
        seen: set[tuple[int, int]] = set()
        for sent in self.ix.sents:
            for att in self._attributions(sent.start_char, sent.end_char, verbs):
                span = self._reported_content(sent, att)
                if span is None:
                    continue
                s, e = strip_span(self.text, *span)
                if e - s < 8 or (s, e) in seen or len(re.findall(r"\w+", self.text[s:e])) < 3:
                    continue
                if self._direct_share(s, e) >= 0.5:
                    continue  # the reported words are a direct quote, already found
                seen.add((s, e))
                quotes.append(self._make(s, e, "indirect", att, 0.8 if att.speaker.via == "name" else 0.6))
        return quotes

    def _reported_content(self, sent: Span, att: Attribution) -> tuple[int, int] | None:
        cue = att.cue
        if isinstance(cue, Span):  # according to X: the rest of the sentence
            if att.start - sent.start_char > 3:
                return sent.start_char, att.start
            return att.end, sent.end_char
        comp = next(
            (c for c in cue.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")), None
        )
        if comp is not None and not (
            comp.tag_ in ("VBD", "VBZ", "VBP")
            or any(c.dep_ in ("nsubj", "nsubjpass", "mark", "expl", "aux", "auxpass") for c in comp.children)
        ):
            comp = None  # not a clause of its own
        # "told senior officials gathered in X that ...", "announced during a briefing that ...":
        # the reported clause opens at a 'that' shortly after the cue, whatever the parse says.
        that = next(
            (t for t in sent if cue.i < t.i <= cue.i + 16 and t.lower_ == "that" and t.dep_ == "mark"), None
        )
        if that is not None and self._noun_complement(that, cue):
            that = None  # "reiterated Trump's assertion that ...": the clause belongs to the noun
        if that is not None and any(
            t.dep_ == "relcl" or (t.tag_ == "VBG" and t.pos_ == "VERB") for t in self.doc[cue.i + 1 : that.i]
        ):
            that = None  # "declaring a truce that appeared aimed at showing ... that": another verb's clause
        if that is not None and (comp is None or (comp.left_edge.i < that.i and comp.i < that.i)):
            return that.idx + len(that.text), self._clause_end(sent, that)
        if comp is None:
            # "..., Trump later told X": the clause is the sentence head the cue hangs off.
            before = self.text[sent.start_char : att.start].rstrip()
            after = self.text[_span_of(cue)[1] : sent.end_char]
            if before.endswith((",", ',"', ",”")) and len(after.split()) <= 8:
                return sent.start_char, len(before) + sent.start_char - 1
            return None
        if comp.dep_ == "xcomp" and not any(c.dep_ in ("nsubj", "mark") for c in comp.children):
            return None  # "denied having reached": an action, not words
        left = comp.left_edge
        if left.i < cue.i:  # the reported clause comes first: "X happened, he said."
            if comp.i > cue.i or att.start <= left.idx:
                return None
            return left.idx, att.start
        start = left.idx
        if left.lower_ == "that" and left.dep_ == "mark":
            start = left.idx + len(left.text)
        return start, self._clause_end(sent, left)

    def _noun_complement(self, that: Token, cue: Token) -> bool:
        head = that.head
        while head.dep_ not in ("ROOT",) and head.head.i != head.i:
            noun = head.head
            if head.dep_ in ("acl", "relcl") and noun.lemma_.lower() in self.lex.speech_nouns:
                # "announced during an Oval Office briefing that ...": a scene-setting phrase on
                # the cue, which the parser took for the clause's noun
                scene = noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.i == cue.i
                return not scene
            if head.dep_ in ("ccomp", "advcl", "conj"):
                return False
            head = head.head
        return False

    def _clause_end(self, sent: Span, first: Token) -> int:
        """Where reported words end: the sentence's end, or earlier at a participle clause that
        follows a closing quotation mark ("... a “total ceasefire,” marking what he ...")."""
        for t in sent:
            if t.i <= first.i or t.i + 1 >= sent.end:
                continue
            if t.text in ("”", '"') and self.doc[t.i + 1].tag_ == "VBG" and self.doc[t.i - 1].text == ",":
                return t.idx + 1
        return sent.end_char

    # ---- records ------------------------------------------------------------------------
    def _make(self, s: int, e: int, kind: str, att: Attribution | None, confidence: float) -> Quote:
        tok_s, tok_e = self.r.token_at(s), self.r.token_at(max(e - 1, s))
        sent_s = self.ix.sent(tok_s.i).start_char if tok_s is not None else s
        sent_e = self.ix.sent(tok_e.i).end_char if tok_e is not None else e
        speaker = att.speaker if att else None
        cue = att.cue if att else None
        return Quote(
            text=self.text[s:e],
            kind=kind,  # type: ignore[arg-type]
            start=s,
            end=e,
            speaker=speaker.name if speaker else None,
            speaker_span=_text_span(self.text, speaker.mention) if speaker else None,
            cue=cue.text if cue is not None else None,
            cue_span=_text_span(self.text, cue),
            sentence=self.text[sent_s:sent_e].strip(),
            confidence=confidence if speaker and speaker.name else min(confidence, 0.5),
        )
