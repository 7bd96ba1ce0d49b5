"""A linear-chain CRF over BIO tags, in numpy: training loss, marginals and Viterbi decoding.

The network scores each tag for each token (emissions); the CRF adds a learned score for every
pair of neighbouring tags and for the first tag, so a span's boundaries are chosen together
rather than token by token. Transitions the BIO scheme forbids (O -> I-X, B-X -> I-Y) carry a
fixed large penalty and never win. Sequences of a batch are padded and run in one pass.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

FORBIDDEN = -1e4


def bio_penalty(tags: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(transition penalty K x K, start penalty K): 0 where allowed, ``FORBIDDEN`` where not."""
    k = len(tags)
    trans = np.zeros((k, k), dtype=np.float32)
    for j, tag in enumerate(tags):
        if tag.startswith("I-"):
            role = tag[2:]
            for i, prev in enumerate(tags):
                if prev not in (f"B-{role}", f"I-{role}"):
                    trans[i, j] = FORBIDDEN
    start = np.array([FORBIDDEN if t.startswith("I-") else 0.0 for t in tags], dtype=np.float32)
    return trans, start


def _lse(x: np.ndarray, axis: int) -> np.ndarray:
    m = x.max(axis=axis, keepdims=True)
    return (m + np.log(np.exp(x - m).sum(axis=axis, keepdims=True))).squeeze(axis)


def _pad(emissions: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    lengths = np.array([len(e) for e in emissions], dtype=np.int64)
    k = emissions[0].shape[1]
    padded = np.zeros((len(emissions), max(int(lengths.max()), 1), k), dtype=np.float64)
    for b, e in enumerate(emissions):
        padded[b, : len(e)] = e
    return padded, lengths


def _forward_backward(
    E: np.ndarray, lengths: np.ndarray, trans: np.ndarray, start: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """alpha, beta (B x T x K, log space) and log Z (B) of padded emissions."""
    B, T, K = E.shape
    alpha = np.zeros((B, T, K))
    beta = np.zeros((B, T, K))
    alpha[:, 0] = start + E[:, 0]
    for t in range(1, T):
        new = _lse(alpha[:, t - 1, :, None] + trans[None], axis=1) + E[:, t]
        alpha[:, t] = np.where((t < lengths)[:, None], new, alpha[:, t - 1])
    for t in range(T - 2, -1, -1):
        new = _lse(trans[None] + (E[:, t + 1] + beta[:, t + 1])[:, None, :], axis=2)
        beta[:, t] = np.where((t + 1 < lengths)[:, None], new, 0.0)
    log_z = _lse(alpha[:, T - 1], axis=1)
    return alpha, beta, log_z


def marginals(emissions: Sequence[np.ndarray], trans: np.ndarray, start: np.ndarray) -> list[np.ndarray]:
    """Per-token tag probabilities of each sequence."""
    if not emissions or not any(len(e) for e in emissions):
        return [np.zeros((len(e), len(start))) for e in emissions]
    E, lengths = _pad(emissions)
    alpha, beta, log_z = _forward_backward(E, lengths, trans, start)
    P = np.exp(alpha + beta - log_z[:, None, None])
    return [P[b, :n] for b, n in enumerate(lengths)]


def nll(
    emissions: Sequence[np.ndarray], gold: Sequence[np.ndarray], trans: np.ndarray, start: np.ndarray
) -> tuple[float, list[np.ndarray], np.ndarray, np.ndarray]:
    """Negative log-likelihood of the gold tags (summed over sequences) and its gradients with
    respect to the emissions, the transition scores and the start scores."""
    keep = [b for b, e in enumerate(emissions) if len(e)]
    d_em = [np.zeros_like(e, dtype=np.float32) for e in emissions]
    d_trans = np.zeros_like(trans, dtype=np.float64)
    d_start = np.zeros_like(start, dtype=np.float64)
    if not keep:
        return 0.0, d_em, d_trans, d_start
    E, lengths = _pad([emissions[b] for b in keep])
    Y = np.zeros(E.shape[:2], dtype=np.int64)
    for r, b in enumerate(keep):
        Y[r, : lengths[r]] = gold[b]
    alpha, beta, log_z = _forward_backward(E, lengths, trans, start)
    B, T, K = E.shape
    valid = np.arange(T)[None, :] < lengths[:, None]
    rows = np.arange(B)[:, None]
    gold_score = (np.take_along_axis(E, Y[:, :, None], axis=2)[:, :, 0] * valid).sum(axis=1)
    gold_score += start[Y[:, 0]]
    pair = valid[:, 1:]
    gold_score += (trans[Y[:, :-1], Y[:, 1:]] * pair).sum(axis=1)
    loss = float((log_z - gold_score).sum())
    P = np.exp(alpha + beta - log_z[:, None, None]) * valid[:, :, None]
    onehot = np.zeros_like(P)
    onehot[rows, np.arange(T)[None, :], Y] = 1.0
    onehot *= valid[:, :, None]
    dE = P - onehot
    for r, b in enumerate(keep):
        d_em[b] = dE[r, : lengths[r]].astype(np.float32)
    d_start = P[:, 0].sum(axis=0) - np.bincount(Y[:, 0], minlength=K)
    for t in range(1, T):
        m = pair[:, t - 1]
        if not m.any():
            break
        x = alpha[m, t - 1, :, None] + trans[None] + (E[m, t] + beta[m, t])[:, None, :] - log_z[m, None, None]
        d_trans += np.exp(x).sum(axis=0)
        np.add.at(d_trans, (Y[m, t - 1], Y[m, t]), -1.0)
    return loss, d_em, d_trans, d_start


def viterbi(emissions: np.ndarray, trans: np.ndarray, start: np.ndarray) -> np.ndarray:
    """The best tag sequence for one sequence's emissions."""
    n, k = emissions.shape
    if not n:
        return np.zeros(0, dtype=np.int64)
    score = start + emissions[0]
    back = np.zeros((n, k), dtype=np.int64)
    cols = np.arange(k)
    for i in range(1, n):
        cand = score[:, None] + trans
        back[i] = cand.argmax(axis=0)
        score = cand[back[i], cols] + emissions[i]
    tags = np.zeros(n, dtype=np.int64)
    tags[-1] = int(score.argmax())
    for i in range(n - 1, 0, -1):
        tags[i - 1] = back[i, tags[i]]
    return tags
