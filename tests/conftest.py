"""Fixtures shared by the whole suite."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only ../shared folder (benchmarks, reference data); skip when a clone has none."""
    if not (SHARED / "eval" / "score.py").is_file():
        pytest.skip("../shared is not beside the repository (benchmark data are not shipped with detente)")
    return SHARED


@pytest.fixture(scope="session")
def eval_score(shared_dir: Path):
    """The extraction benchmark's own scorer, ../shared/eval/score.py, as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("detente_eval_score", shared_dir / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return REPO / "examples"


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server for the session (installed with apt-get when missing)."""
    from pgserver import ThrowawayPostgres, Unavailable

    try:
        server = ThrowawayPostgres().start()
    except Unavailable as e:
        pytest.skip(f"no PostgreSQL server: {e}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(postgres) -> str:
    """The URL of a fresh, empty PostgreSQL database."""
    return postgres.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A fresh database of each kind: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "t.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def reliability_log():
    """Record a figure for `make reliability`'s summary line (a JSON file named by
    $DETENTE_RELIABILITY_LOG; nothing is written when it is unset)."""
    import json
    import os

    path = os.environ.get("DETENTE_RELIABILITY_LOG")

    def record(key: str, value: object) -> None:
        if not path:
            return
        log = Path(path)
        data = json.loads(log.read_text()) if log.exists() else {}
        data[key] = value
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(json.dumps(data, indent=1))

    return record


@pytest.fixture(scope="session")
def detente_cli() -> list[str]:
    """The command that runs detente's CLI in this environment."""
    import sys

    script = Path(sys.executable).parent / "detente"
    return (
        [str(script)] if script.exists() else [sys.executable, "-c", "from detente.cli import main; main()"]
    )
