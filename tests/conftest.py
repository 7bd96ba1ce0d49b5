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
