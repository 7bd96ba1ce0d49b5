"""Token features for the attribution tagger, read off a parsed paragraph.

Every feature is a 64-bit id (a spaCy string hash, or two of them mixed) that the model's hash
embeddings look up. Besides the word itself they describe where the token hangs in the parse
(its head's lemma and its own relation, two more steps up the tree, the branch of the sentence
it belongs to), which subtrees start or end at it (a reported clause usually runs from the
first to the last token of the speech verb's complement), and whether it lies inside quotation
marks, which a window over neighbouring words cannot see.
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, LEMMA, NORM, SENT_START, SHAPE, SUFFIX, TAG
from spacy.tokens import Doc

from detente.extract.quote_marks import scan_paragraph

ATTRS = [NORM, LEMMA, SHAPE, SUFFIX, TAG, DEP, ENT_IOB, ENT_TYPE, HEAD]
# Column names of ``token_features``, in order (the model builds one embedding table for each).
FEATURES = (
    "norm",
    "lemma",
    "shape",
    "suffix",
    "tag",
    "dep",
    "entity",
    "head1",  # head's lemma with the token's relation to it
    "head2",  # the head's head's lemma with the head's relation
    "head3",
    "quote",  # outside, inside, opening or closing quotation marks
    "place",  # sentence start, and on which side of its head the token stands
    "starts",  # the largest subtree that starts at this token: its relation and its head's lemma
    "ends",  # the largest subtree that ends here
    "clause",  # the branch of the sentence root the token is in: its relation and the root's lemma
)
_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xC2B2AE3D27D4EB4F)
OUT, INSIDE, OPENING, CLOSING, BEFORE_CLOSER = (np.uint64(k) for k in range(1, 6))


def _mix(a: np.ndarray, b: np.ndarray, salt: int) -> np.ndarray:
    """One id for a pair of ids (wrapping 64-bit arithmetic)."""
    with np.errstate(over="ignore"):
        return (a * _M1) ^ (b * _M2 + np.uint64(salt))


def quote_states(doc: Doc) -> np.ndarray:
    """Per token: outside quotes, inside, an opening or closing mark, or before an unmatched closer."""
    states = np.full(len(doc), OUT, dtype=np.uint64)
    if not len(doc):
        return states
    starts = doc.to_array([IDX]).astype(np.int64).ravel()
    text = doc.text  # built anew from the tokens on every access
    for m in scan_paragraph(text, 0, len(text)):
        first = m.start if m.start is not None else 0
        lo, hi = np.searchsorted(starts, first), np.searchsorted(starts, m.end)
        states[lo:hi] = INSIDE if m.start is not None else BEFORE_CLOSER
        if m.start is not None and lo > 0:
            states[lo - 1] = OPENING
        if hi < len(doc):
            states[hi] = CLOSING
    return states


def subtree_edges(heads: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last token of each token's subtree, from absolute head indices: every token
    passes its edges up to its head until nothing changes (as many rounds as the tree is deep),
    which is much faster than asking spaCy token by token."""
    n = len(heads)
    lefts = np.arange(n, dtype=np.int64)
    rights = lefts.copy()
    for _ in range(n):
        new_l, new_r = lefts.copy(), rights.copy()
        np.minimum.at(new_l, heads, lefts)
        np.maximum.at(new_r, heads, rights)
        if np.array_equal(new_l, lefts) and np.array_equal(new_r, rights):
            break
        lefts, rights = new_l, new_r
    return lefts, rights


def token_features(doc: Doc) -> np.ndarray:
    """An (n_tokens, len(FEATURES)) uint64 array of feature ids."""
    n = len(doc)
    out = np.zeros((n, len(FEATURES)), dtype=np.uint64)
    if not n:
        return out
    arr = doc.to_array(ATTRS).astype(np.uint64)
    norm, lemma, shape, suffix, tag, dep, iob, ent, rel = arr.T
    idx = np.arange(n, dtype=np.int64)
    h1 = idx + rel.astype(np.int64)  # HEAD is stored as a relative offset
    h2 = h1[h1]
    h3 = h2[h1]
    out[:, 0] = norm
    out[:, 1] = lemma
    out[:, 2] = shape
    out[:, 3] = suffix
    out[:, 4] = tag
    out[:, 5] = dep
    out[:, 6] = _mix(iob, ent, 6)
    out[:, 7] = _mix(lemma[h1], dep, 7)
    out[:, 8] = _mix(lemma[h2], dep[h1], 8)
    out[:, 9] = _mix(lemma[h3], dep[h2], 9)
    out[:, 10] = quote_states(doc)
    side = np.sign(h1 - idx).astype(np.int64) + 1  # 0: head to the left, 1: root, 2: to the right
    sent_start = doc.to_array([SENT_START]).astype(np.int64).ravel() == 1
    out[:, 11] = (side + 3 * sent_start + 1).astype(np.uint64)
    # Subtree edges: each position keeps the largest subtree that starts (ends) there.
    lefts, rights = subtree_edges(h1)
    by_size = np.argsort(rights - lefts, kind="stable")  # later (larger) assignments win
    for col, edges in ((12, lefts), (13, rights)):
        owner = np.full(n, -1, dtype=np.int64)
        owner[edges[by_size]] = by_size
        has = owner >= 0
        out[has, col] = _mix(dep[owner[has]], lemma[h1[owner[has]]], col)
    # The child of the root on the path up from each token (the root itself for the root).
    cur = idx.copy()
    for _ in range(n):
        nxt = h1[cur]
        move = (nxt != cur) & (h1[nxt] != nxt)
        if not move.any():
            break
        cur = np.where(move, nxt, cur)
    out[:, 14] = _mix(dep[cur], lemma[h1[cur]], 14)
    return out
