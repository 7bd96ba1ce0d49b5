"""Word lists used by the rule extractors, loaded once from ``data/lexicon.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from detente.config import DATA_DIR


@dataclass(frozen=True, slots=True)
class Lexicon:
    speech_verbs: frozenset[str]
    weak_reported_verbs: frozenset[str]
    act_verbs: frozenset[str]
    addressee_verbs: frozenset[str]
    speech_nouns: frozenset[str]
    role_heads: frozenset[str]
    role_modifiers: frozenset[str]
    honorifics: frozenset[str]
    female_titles: frozenset[str]
    male_titles: frozenset[str]
    analyst_roles: frozenset[str]

    def is_role_head(self, words: str) -> bool:
        return words.lower() in self.role_heads

    def is_analyst(self, role: str | None) -> bool:
        """Whether a role names a commentator (professor, analyst, ...) rather than a party's official."""
        if not role:
            return False
        low = role.lower()
        return any(r in low.split() or (" " in r and r in low) for r in self.analyst_roles)


@lru_cache(maxsize=4)
def load_lexicon(path: Path = DATA_DIR / "lexicon.yaml") -> Lexicon:
    with open(path, encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    return Lexicon(**{k: frozenset(str(w).lower() for w in raw.get(k, [])) for k in Lexicon.__slots__})
