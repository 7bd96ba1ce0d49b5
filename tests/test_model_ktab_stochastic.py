"""KTAB SMP: the logged stochastic run against our distribution of outcomes over many seeds.

KTAB's stochastic run depends on its PRNG and on its thread timing; the exact replay is tested in
``test_model_ktab_reference_runs``. Here the logged outcome must simply be a typical draw: for every
actor and dimension its final position lies inside the central 95% of 200 seeded runs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from detente.bench.ktab import seed_sweep


@pytest.mark.slow
def test_logged_stochastic_outcome_lies_in_the_bulk_of_our_distribution(shared_dir: Path) -> None:
    data = shared_dir / "data" / "ktab"
    if not (data / "reference").is_dir():
        pytest.skip("KTAB reference data not present")
    sw = seed_sweep(data, n_seeds=200)
    assert sw.final.shape == (200, 5, 3)
    # the seeds really produce different outcomes
    assert np.all(sw.final.std(axis=0) > 1.0)
    # the logged final coordinates are typical draws
    assert np.all((sw.rank >= 0.025) & (sw.rank <= 0.975)), sw.rank
    # and so is the number of turns KTAB took
    lo, hi = np.percentile(sw.steps, [2.5, 97.5])
    assert lo <= sw.logged_steps <= hi
