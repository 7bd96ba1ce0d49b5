"""Known people, states, armed groups, institutions and places, from user-extensible JSONL files.

The small English model mislabels famous names (Trump as ORG, Kyiv as PERSON); an entity ruler
built from this gazetteer fixes those before the statistical NER runs. The same entries tell
which party a person, capital or institution stands for ("Kremlin" -> Russia).
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

LABELS = {"person": "PERSON", "state": "GPE", "group": "ORG", "institution": "ORG", "place": "GPE"}


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key for matching names."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("\u2019", "'")
    return re.sub(r"[\W_]+", " ", s.casefold()).strip()


@dataclass(slots=True)
class Entry:
    type: str
    name: str
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    org: str | None = None
    party: str | None = None
    gender: str | None = None
    demonyms: list[str] = field(default_factory=list)
    capital: str | None = None

    @property
    def forms(self) -> list[str]:
        return [self.name, *self.aliases]


class Gazetteer:
    """Lookup tables over the entries of one or more gazetteer files."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: list[Entry] = list(entries)
        self._by_key: dict[str, Entry] = {}
        self._demonym: dict[str, str] = {}
        for e in self.entries:
            for form in e.forms:
                self._by_key.setdefault(name_key(form), e)
            for d in e.demonyms:
                self._demonym.setdefault(name_key(d), e.name)
            if e.capital:
                self._by_key.setdefault(name_key(e.capital), Entry("place", e.capital, party=e.name))

    @classmethod
    def load(cls, paths: Iterable[Path]) -> Gazetteer:
        entries: list[Entry] = []
        for path in paths:
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    line = line.strip()
                    if not line or line.startswith("#"):
                        continue
                    try:
                        raw = json.loads(line)
                    except json.JSONDecodeError as e:
                        log.warning("%s:%d: not JSON (%s); line skipped", path, n, e)
                        continue
                    if "_comment" in raw:
                        continue
                    if raw.get("type") not in LABELS or not raw.get("name"):
                        log.warning("%s:%d: needs a 'name' and a 'type' in %s", path, n, sorted(LABELS))
                        continue
                    known = {k: raw[k] for k in Entry.__slots__ if k in raw}
                    entries.append(Entry(**known))
        return cls(entries)

    def lookup(self, text: str) -> Entry | None:
        """The entry a name, alias or capital refers to (``"the Kremlin"`` included)."""
        key = name_key(text)
        hit = self._by_key.get(key)
        if hit is None and key.startswith("the "):
            hit = self._by_key.get(key[4:])
        return hit

    def person(self, text: str) -> Entry | None:
        e = self.lookup(text)
        return e if e is not None and e.type == "person" else None

    def state_of_demonym(self, word: str) -> str | None:
        """``"Ukrainian"`` -> ``"Ukraine"``."""
        return self._demonym.get(name_key(word))

    def party_of(self, text: str) -> str | None:
        """The party a name stands for: a state, its capital, demonym, institution or leader."""
        e = self.lookup(text)
        if e is not None:
            return e.party or (e.name if e.type in ("state", "group") else None)
        return self.state_of_demonym(text)

    def ruler_patterns(self) -> list[dict]:
        """Phrase patterns for spaCy's EntityRuler (labels PERSON, GPE, ORG, NORP)."""
        patterns: list[dict] = []
        seen: set[tuple[str, str]] = set()

        def add(label: str, text: str, ent_id: str) -> None:
            if (label, text) not in seen:
                seen.add((label, text))
                patterns.append({"label": label, "pattern": text, "id": ent_id})

        for e in self.entries:
            for form in e.forms:
                add(LABELS[e.type], form, e.name)
            if e.capital:
                add("GPE", e.capital, e.capital)
            for d in e.demonyms:
                if d.isupper():  # "US" is the state, not the adjective
                    continue
                add("NORP", d, e.name)
        return patterns
