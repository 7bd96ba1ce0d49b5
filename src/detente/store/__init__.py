"""Store stage: extractions <-> SQLite (default) or another SQLAlchemy database."""

from detente.store.database import Store

__all__ = ["Store"]
