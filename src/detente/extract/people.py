"""People: named persons, their roles and organisations, and every mention linked to a full name.

Names come from the NER (corrected by the gazetteer ruler). Roles come from the three forms news
writing uses: a title before the name ("Russian President Vladimir Putin", "Trump's special envoy
Steve Witkoff"), an apposition after it ("Ilya Matveyev, a political scientist at ..."), or a
copula ("Stefan Wolff is Professor of ..."). Surnames, "Mr X" and gazetteer aliases link to the
fullest form of the name in the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from spacy.tokens import Doc, Span

from detente.extract.gazetteer import Gazetteer, name_key
from detente.extract.lexicon import Lexicon
from detente.extract.nlp import doc_index
from detente.records import Mention, Person

POSSESSIVE = {"'s", "’s", "'", "’"}
STOP_PUNCT = {",", ";", ":", "(", ")", "—", "–", '"', "“", "”", "‘", "’", "!", "?"}
NATIONALITY_LABELS = {"NORP", "GPE"}
ORG_LABELS = {"ORG", "GPE", "NORP", "FAC"}
# Last words that make a capitalised phrase a place or thing, not a person.
PLACE_HEADS = {
    "strait",
    "sea",
    "river",
    "island",
    "islands",
    "bay",
    "gulf",
    "mountains",
    "square",
    "palace",
    "street",
    "airport",
    "base",
    "mode",
    "region",
    "oblast",
    "province",
    "district",
    "city",
    "times",
}
QUANTIFIER = re.compile(r"^(?:one|two|three|four|five|several|some|both|all|each|many)\s+of\s+", re.I)


# "a member of X, <role> <name>": X is the body the person belongs to.
MEMBER_WORDS = frozenset({"member", "head", "chief", "leader", "chair", "chairman", "chairwoman"})


@dataclass(slots=True)
class Cluster:
    """One person in a document while it is being built."""

    name: str
    tokens: list[str]
    mentions: list[Mention] = field(default_factory=list)
    role: str | None = None
    org: str | None = None
    party: str | None = None
    gender: str | None = None
    subject_at: int = -1  # offset of the latest mention that was a grammatical subject

    @property
    def surname(self) -> str:
        return self.tokens[-1]


def _clean_tokens(span: Span, lex: Lexicon) -> Span | None:
    """Trim possessives, punctuation, honorifics and titles from a PERSON entity."""
    start, end = span.start, span.end
    doc = span.doc
    while end > start and (doc[end - 1].text in POSSESSIVE or doc[end - 1].is_punct):
        end -= 1
    while start < end and (
        doc[start].lower_ in lex.honorifics
        or doc[start].lower_ in lex.role_heads
        or doc[start].lower_ in lex.role_modifiers
        or not doc[start].text[:1].isupper()
        or doc[start].is_punct
    ):
        start += 1
    if start >= end:
        return None
    return doc[start:end]


def _looks_like_name(span: Span, gaz: Gazetteer) -> bool:
    text = span.text
    if any(ch.isdigit() for ch in text) or len(text) < 2:
        return False
    if not all(
        t.text[:1].isupper() or t.is_punct or t.lower_ in {"bin", "al", "el", "von", "der", "de", "van"}
        for t in span
    ):
        return False
    entry = gaz.lookup(text)
    if entry is not None and entry.type != "person":
        return False
    if gaz.state_of_demonym(text) or span[-1].lower_ in PLACE_HEADS:
        return False
    return not (len(span) == 1 and text.isupper() and len(text) <= 5)


@lru_cache(maxsize=65536)
def _similar(a: str, b: str) -> bool:
    a, b = name_key(a), name_key(b)
    return a == b or SequenceMatcher(None, a, b).ratio() >= 0.8


class PeopleFinder:
    """Finds the people of one parsed document."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon) -> None:
        self.gaz = gazetteer
        self.lex = lexicon

    # ---- public -------------------------------------------------------------------------
    def find(self, doc: Doc) -> tuple[list[Person], dict[int, Cluster]]:
        """People of ``doc`` and an index from each mention's start offset to its cluster."""
        clusters: list[Cluster] = []
        index: dict[int, Cluster] = {}
        spans = [s for e in doc.ents if e.label_ == "PERSON" and (s := _clean_tokens(e, self.lex))]
        spans = [s for s in spans if _looks_like_name(s, self.gaz)]
        # Full names first so that surnames can link to them, but keep text order within each pass.
        for span in [s for s in spans if len(s) > 1] + [s for s in spans if len(s) == 1]:
            cluster = self._cluster_for(span, clusters, index)
            kind = "name" if len(span) > 1 or cluster.tokens == [span.text] else "surname"
            before = doc[span.start - 1] if span.start > 0 else None
            if before is not None and before.lower_ in self.lex.honorifics:
                kind = "title"
                if before.lower_ in self.lex.female_titles:
                    cluster.gender = cluster.gender or "f"
                elif before.lower_ in self.lex.male_titles:
                    cluster.gender = cluster.gender or "m"
            cluster.mentions.append(Mention(span.start_char, span.end_char, span.text, kind))
            index[span.start_char] = cluster
            if span.root.dep_ in ("nsubj", "nsubjpass"):
                cluster.subject_at = max(cluster.subject_at, span.start_char)
            self._read_role(span, cluster)
        self._rescue_surnames(doc, clusters, index)
        people = []
        for c in clusters:
            c.mentions.sort(key=lambda m: m.start)
            entry = self.gaz.person(c.name)
            if entry is not None:
                c.party = c.party or entry.party
                c.gender = c.gender or entry.gender
            if c.org and not c.party and not self.lex.is_analyst(c.role):
                c.party = self.gaz.party_of(c.org)  # officials speak for their state; analysts do not
            people.append(Person(c.name, c.role, c.org, c.party, c.gender, list(c.mentions)))  # type: ignore[arg-type]
        return people, index

    def _rescue_surnames(self, doc: Doc, clusters: list[Cluster], index: dict[int, Cluster]) -> None:
        """Later mentions of the surname of someone named in full that the NER missed or read as
        another kind of entity ("Al-Houthi" taken for the Houthis): the person is meant."""
        taken = [(m.start, m.end) for c in clusters for m in c.mentions]
        text = doc_index(doc).text
        for c in [c for c in clusters if len(c.tokens) > 1 and len(c.surname) >= 3]:
            first = min(m.start for m in c.mentions)
            for hit in re.finditer(rf"(?<![\w-]){re.escape(c.surname)}(?![\w-])", text):
                s, e = hit.span()
                if s <= first or any(a < e and s < b for a, b in taken):
                    continue
                if s >= 2 and text[s - 2 : s] in ("’s", "'s"):
                    continue
                c.mentions.append(Mention(s, e, hit.group(0), "surname"))
                taken.append((s, e))
                index[s] = c
                span = doc.char_span(s, e, alignment_mode="expand")
                if span is not None and span.root.dep_ in ("nsubj", "nsubjpass"):
                    c.subject_at = max(c.subject_at, s)

    # ---- clustering ---------------------------------------------------------------------
    def _cluster_for(self, span: Span, clusters: list[Cluster], index: dict[int, Cluster]) -> Cluster:
        text = span.text
        tokens = text.split()
        entry = self.gaz.person(text)
        if len(span) > 1:
            for c in clusters:
                if _similar(c.surname, tokens[-1]) and c.tokens[0][:1] == tokens[0][:1]:
                    if len(text) > len(c.name) and entry is None:
                        c.name, c.tokens = text, tokens
                    return c
                if entry is not None and self.gaz.person(c.name) is entry:
                    return c
            c = Cluster(text, tokens)
            clusters.append(c)
            return c
        # A single token: a surname (or a first name) of someone named in full, nearest first.
        candidates = [
            c
            for c in clusters
            if len(c.tokens) > 1
            and (_similar(c.surname, text) or any(name_key(t) == name_key(text) for t in c.tokens))
        ]
        if entry is not None:
            candidates = [c for c in candidates if self.gaz.person(c.name) in (entry, None)] or candidates
        if candidates:

            def recency(c: Cluster) -> tuple[int, int]:
                before = [m.start for m in c.mentions if m.start < span.start_char]
                return (c.subject_at if c.subject_at < span.start_char else -1, max(before, default=-1))

            return max(candidates, key=recency)
        if entry is not None:
            c = next((c for c in clusters if self.gaz.person(c.name) is entry), None)
            if c is None:
                c = Cluster(entry.name, entry.name.split())
                clusters.append(c)
            return c
        c = next((c for c in clusters if c.tokens == tokens), None)
        if c is None:
            c = Cluster(text, tokens)
            clusters.append(c)
        return c

    # ---- roles --------------------------------------------------------------------------
    def _read_role(self, span: Span, cluster: Cluster) -> None:
        for found in (self._title_before(span), self._after(span)):
            if found is None:
                continue
            role, org = found
            if role and not cluster.role:
                cluster.role = role
            if org and not cluster.org:
                cluster.org = org

    def _canonical_org(self, text: str) -> str:
        text = re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I)
        entry = self.gaz.lookup(text)
        if entry is not None and entry.type == "state":
            return entry.name  # "US" -> United States
        if entry is not None and entry.type in ("group", "institution"):
            return text  # "Ansar Allah" as written; the party (Houthis) is kept separately
        return self.gaz.state_of_demonym(text) or text

    def _has_role_head(self, words: list[str]) -> bool:
        low = [w.lower() for w in words]
        if any(w in self.lex.role_heads for w in low):
            return True
        return any(" ".join(low[i : i + 2]) in self.lex.role_heads for i in range(len(low) - 1))

    def _title_before(self, span: Span) -> tuple[str | None, str | None] | None:
        """ "Russian President", "Trump's special envoy", "former US ambassador to Russia"."""
        doc = span.doc
        i = span.start - 1
        first = span.start
        org: str | None = None
        while i >= 0:
            t = doc[i]
            if t.text in POSSESSIVE and i > 0:
                owner = doc[i - 1]
                ent = doc_index(doc).ent(owner.i)
                if ent is not None:
                    if ent.label_ in ORG_LABELS:
                        org = self._canonical_org(ent.text)
                    first = ent.start
                    break
                break
            if (t.is_punct and t.text not in (".",)) or t.pos_ in ("DET", "VERB", "AUX", "PRON", "NUM"):
                break
            if (
                t.lower_ in ("of", "to", "for")
                and i + 1 == first
                and i > 0
                and (
                    doc[i - 1].lower_ in self.lex.role_heads
                    or (doc[i - 1].is_title and doc[i - 1].pos_ in ("NOUN", "PROPN"))
                )
                # "adviser to US President Donald Trump": a title already stands between the
                # preposition and the name, so what comes before is someone else's role
                and not self._has_role_head([doc[k].text for k in range(i + 1, span.start)])
            ):
                first = i
                i -= 1
                continue
            if t.ent_type_ in ORG_LABELS and t.ent_iob_ in ("B", "I"):
                first = i
                i -= 1
                continue
            if (
                t.lower_ in self.lex.role_heads
                or t.lower_ in self.lex.role_modifiers
                or (t.is_title and t.pos_ in ("PROPN", "NOUN", "ADJ"))
            ):
                first = i
                i -= 1
                continue
            if (
                t.is_lower
                and t.pos_ in ("NOUN", "ADJ")
                and i + 1 < span.start
                and doc[i + 1].lower_ in self.lex.role_heads
            ):
                first = i  # "party leader", "military commander"
                i -= 1
                continue
            break
        words = doc[first : span.start]
        tokens = [t for t in words if t.text not in POSSESSIVE]
        # Drop the possessor ("Trump's", "Qatar's") from the role.
        cut = max((j for j in range(first, span.start) if doc[j].text in POSSESSIVE), default=first - 1)
        tokens = [t for t in tokens if t.i > cut]
        while tokens and tokens[0].lower_ in ("of", "to", "for", "and"):
            tokens = tokens[1:]
        # A leading nationality or organisation is the org: "Russian President", "IRGC commander".
        while (
            tokens
            and tokens[0].ent_type_ in ORG_LABELS
            and tokens[0].lower_ not in self.lex.role_modifiers  # "Defence Minister" is a role
            and org is None
        ):
            ent_tokens = [tokens[0]]
            while len(ent_tokens) < len(tokens) and tokens[len(ent_tokens)].ent_iob_ == "I":
                ent_tokens.append(tokens[len(ent_tokens)])
            if len(ent_tokens) == len(tokens):
                break
            org = self._canonical_org(" ".join(t.text for t in ent_tokens))
            tokens = tokens[len(ent_tokens) :]
        while tokens and tokens[-1].lower_ in self.lex.honorifics:  # "Prime Minister Sheikh X"
            tokens = tokens[:-1]
        role_words = [t.text for t in tokens]
        if not role_words or not self._has_role_head(role_words):
            rev = self._reverse_apposition(span, first)
            return rev if rev else ((None, org) if org else None)
        if all(t.lower_ in self.lex.honorifics or t.text.endswith(".") for t in tokens):
            rev = self._reverse_apposition(span, first)
            if rev:
                return rev
        return " ".join(role_words), org or self._member_of_before(span, first)

    def _member_of_before(self, span: Span, first: int) -> str | None:
        """The body named in "a member of the Russian delegation, senator X": the name stands in
        apposition to "member" (or "head", "chief", ...), whose "of" phrase names a body with a
        proper name or nationality in it ("his team", "the delegation" say too little)."""
        doc = span.doc
        comma = first - 1
        member = span.root.head
        if comma < 2 or doc[comma].text != "," or span.root.dep_ != "appos" or member.i >= comma:
            return None
        if member.lemma_.lower() not in MEMBER_WORDS:
            return None
        prep = next((c for c in member.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
        body = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        if body is None or body.i >= comma:
            return None
        words = [
            t for t in doc[prep.i + 1 : body.i + 1] if t.pos_ not in ("DET", "PRON") and t.dep_ != "poss"
        ]
        if not any(t.pos_ == "PROPN" or t.ent_type_ in ORG_LABELS for t in words):
            return None
        return self._canonical_org(" ".join(t.text for t in words))

    def _reverse_apposition(self, span: Span, first: int) -> tuple[str | None, str | None] | None:
        """ "his top military commander, Gen. Valery Gerasimov"."""
        doc = span.doc
        j = first - 1
        if j < 1 or doc[j].text != ",":
            return None
        end = j
        k = j - 1
        while k >= 0 and doc[k].pos_ in ("NOUN", "ADJ", "PROPN") and not doc[k].is_punct:
            k -= 1
        words = [t.text for t in doc[k + 1 : end]]
        if words and doc[end - 1].lower_ in self.lex.role_heads:
            return " ".join(words), None
        return None

    def _after(self, span: Span) -> tuple[str | None, str | None] | None:
        """Apposition or copula after the name: ", a professor of X at Y," / " is Director of Y"."""
        doc = span.doc
        i = span.end
        if i < len(doc) and doc[i].text in POSSESSIVE:
            return None
        if i < len(doc) and doc[i].lower_ == "of":  # "Vasily Kashin of Moscow's Higher School of Economics"
            return self._org_phrase(doc, i + 1)
        # "Anton Siluanov and Kirill Dmitriev, two of ..." : skip the coordinated names.
        while i + 1 < len(doc) and doc[i].lower_ == "and" and doc[i + 1].ent_type_ == "PERSON":
            i += 1
            while i < len(doc) and doc[i].ent_type_ == "PERSON":
                i += 1
        if (i < len(doc) and doc[i].lower_ in ("is", "was") and i + 1 < len(doc)) or (
            i < len(doc) and doc[i].text == ","
        ):
            start = i + 1
        else:
            return None
        end = start
        patron: str | None = None  # the party of the person the role serves ("adviser to Trump")
        while end < len(doc):
            t = doc[end]
            if t.text in STOP_PUNCT or (t.text == "." and t.is_sent_end) or t.is_space:
                break
            if t.ent_type_ == "PERSON" and end > start:
                cut = self._role_of_someone(doc, start, end)
                if cut is None:
                    return None  # "Vance, Secretary of State Marco Rubio": a list of titled names
                end, patron = cut  # "Boulos, a senior adviser to US President Donald Trump"
                break
            if t.lower_ in ("who", "which", "that", "whose"):
                break
            if t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBN", "VBG"):
                break
            if t.lower_ == "and" and end > start:
                break
            end += 1
        workplace = self._workplace(doc, end)  # "..., who works at the X Laboratory"
        while end > start and doc[end - 1].is_punct:
            end -= 1
        phrase = doc[start:end]
        if not len(phrase) or phrase[0].lower_ == "and":
            return None
        text = phrase.text
        text = re.sub(r"^(?:a|an|the)\s+", "", text, flags=re.I)
        text = QUANTIFIER.sub("", text)
        text = re.sub(r"^(?:a|an|the)\s+", "", text, flags=re.I)
        org: str | None = None
        # Possessor: "Russia's senior economic officials".
        m = re.match(r"^(.+?)(?:'s|’s)\s+(.+)$", text)
        if m and self.gaz.party_of(m.group(1)):
            org, text = self._canonical_org(m.group(1)), m.group(2)
        m = re.search(r"\s+at\s+(?:the\s+)?(.+)$", text)
        if m:
            org, text = m.group(1), text[: m.start()]
        else:
            m = re.search(r"\s+(?:of|for)\s+(?:the\s+)?([A-Z].+)$", text)
            if m and not self.gaz.state_of_demonym(m.group(1).split()[0]):
                candidate = m.group(1)
                if self.gaz.lookup(candidate) is not None and self.gaz.lookup(candidate).type == "state":
                    org = candidate  # "president of Ukraine": the state stays in the role too
                else:
                    org, text = candidate, text[: m.start()]
        if org:
            org = re.sub(r"\s+in\s+[A-Z][\w\s]*$", "", org.rstrip(" .,"))  # "... Center in Berlin"
            org = re.sub(r"^(?:the\s+)?(?:independent\s+)?", "", org)
        words = text.split()
        if not words or (
            not self._has_role_head([w.strip(".,") for w in words])
            and not (words and words[-1].rstrip("s").lower() in self.lex.role_heads)
        ):
            return (None, org) if org else None
        org = org or workplace or patron
        # A leading nationality goes to org when no other org was found.
        first = words[0]
        state = self.gaz.state_of_demonym(first)
        if state and len(words) > 1 and org is None:
            org = state
        plural_subject = doc[span.end].lower_ == "and" or QUANTIFIER.match(phrase.text) is not None
        if (
            plural_subject
            and words[-1].lower().endswith("s")
            and words[-1][:-1].lower() in self.lex.role_heads
        ):
            words[-1] = words[-1][:-1]
        return " ".join(words), (self._canonical_org(org) if org else None)

    def _role_of_someone(self, doc: Doc, start: int, person: int) -> tuple[int, str | None] | None:
        """In "a senior adviser to US President Donald Trump", where the apposition's own role ends
        (at "to") and the party of the person it serves; None when no such preposition leads to
        the name."""
        k = person - 1
        while k > start and (doc[k].is_title or doc[k].ent_type_ in ORG_LABELS or doc[k].text == "."):
            k -= 1
        if k <= start or doc[k].lower_ not in ("to", "for", "of"):
            return None
        name_end = person
        while name_end < len(doc) and doc[name_end].ent_type_ == "PERSON":
            name_end += 1
        entry = self.gaz.person(doc[person:name_end].text)
        party = entry.party if entry is not None else None
        if party is None:  # "US President X": the title's nationality
            for t in doc[k + 1 : person]:
                party = party or self.gaz.state_of_demonym(t.text) or self.gaz.party_of(t.text)
        return k, party

    def _workplace(self, doc: Doc, i: int) -> str | None:
        """The organisation in a relative clause right after an apposition: "who works at X",
        "who teaches at X", "who heads X"."""
        if i + 2 >= len(doc) or doc[i].lower_ not in ("who", "that"):
            return None
        verb = doc[i + 1]
        if verb.lemma_.lower() not in ("work", "teach", "serve", "head", "lead", "research", "direct"):
            return None
        k = i + 2
        if doc[k].lower_ in ("at", "for", "with"):
            k += 1
        found = self._org_phrase(doc, k)
        return found[1] if found else None

    def _org_phrase(self, doc: Doc, start: int) -> tuple[str | None, str | None] | None:
        ents = [e for e in doc.ents if e.start >= start and e.start <= start + 3 and e.label_ in ORG_LABELS]
        if not ents:
            return None
        ent = ents[-1] if len(ents) > 1 and doc[ents[0].end].text in POSSESSIVE else ents[0]
        return None, self._canonical_org(ent.text)
