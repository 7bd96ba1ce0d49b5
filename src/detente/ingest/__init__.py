"""Ingest stage: sources (files, folders, globs, JSONL batches, RSS/Atom feeds, URLs) -> RawDocuments.

Every input that cannot be read becomes a ``Problem`` with a reason; the iterator never raises
for one bad input, so a batch always goes on.
"""

from detente.ingest.sources import iter_raw

__all__ = ["iter_raw"]
