"""KTAB's pseudo-random number generator, reimplemented bit for bit.

KTAB (``KTAB/kutils/libsrc/prng.cpp``) draws 64-bit words from the standard ``mt19937_64``
Mersenne Twister (the C++11 engine, as specified in ISO C++ [rand.predef]), then scrambles each
word with a one-to-one quadratic map ``q(x) = (x + C) * (2x + 3) mod 2**64`` where ``C`` is
the odd constant ``0xE08C1D668B756F83`` (the digits of the golden ratio). A uniform double is
``q(x) / (2**64 - 1)`` and ``probSel`` picks the first index whose cumulative probability reaches
one such uniform draw. The SMP uses the generator only for stochastic state transitions, one
draw per actor per turn, so a plain-Python engine is fast enough.
"""

from __future__ import annotations

from collections.abc import Sequence

_MASK64 = (1 << 64) - 1
_N = 312
_M = 156
_MATRIX_A = 0xB5026F5AA96619E9
_UPPER = _MASK64 & ~((1 << 31) - 1)  # most significant 33 bits
_LOWER = (1 << 31) - 1  # least significant 31 bits
_Q64C = 0xE08C1D668B756F83
_WORD_MAX = float(_MASK64)  # as in C++, (double)0xFFFFFFFFFFFFFFFF rounds to 2**64

KTAB_DEFAULT_SEED = 0xD67CC16FE69C185C  # KBase::dSeed


class MT19937_64:
    """The 64-bit Mersenne Twister of the C++ standard library (``std::mt19937_64``)."""

    def __init__(self, seed: int = 5489) -> None:
        self.seed(seed)

    def seed(self, seed: int) -> None:
        mt = [0] * _N
        mt[0] = seed & _MASK64
        for i in range(1, _N):
            prev = mt[i - 1]
            mt[i] = (6364136223846793005 * (prev ^ (prev >> 62)) + i) & _MASK64
        self._mt = mt
        self._index = _N

    def _twist(self) -> None:
        mt = self._mt
        for i in range(_N):
            x = (mt[i] & _UPPER) | (mt[(i + 1) % _N] & _LOWER)
            x_a = x >> 1
            if x & 1:
                x_a ^= _MATRIX_A
            mt[i] = mt[(i + _M) % _N] ^ x_a
        self._index = 0

    def next_u64(self) -> int:
        if self._index >= _N:
            self._twist()
        y = self._mt[self._index]
        self._index += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & _MASK64


def q_trans(x: int) -> int:
    """KTAB's bijective scramble of a 64-bit word (``KBase::qTrans``)."""
    return ((x + _Q64C) * (2 * x + 3)) & _MASK64


class KtabPRNG:
    """KTAB's ``KBase::PRNG``: mt19937_64 words passed through :func:`q_trans`."""

    def __init__(self, seed: int = KTAB_DEFAULT_SEED) -> None:
        if seed == 0:
            raise ValueError("seed 0 means 'truly random' in KTAB; pass an explicit non-zero seed")
        self.initial_seed = seed & _MASK64
        self._engine = MT19937_64(self.initial_seed)

    def uniform_u64(self) -> int:
        return q_trans(self._engine.next_u64())

    def uniform(self, a: float = 0.0, b: float = 1.0) -> float:
        x = float(self.uniform_u64()) / _WORD_MAX
        return a + (b - a) * x

    def prob_sel(self, probs: Sequence[float]) -> int:
        """Index drawn from a discrete distribution, by KTAB's cumulative-sum rule."""
        if len(probs) == 0:
            raise ValueError("prob_sel needs at least one probability")
        p = self.uniform(0.0, 1.0)
        total = 0.0
        for i, pi in enumerate(probs):
            total += float(pi)
            if p <= total:
                return i
        return len(probs) - 1  # round-off: the cumulative sum fell just short of p
