"""The spaCy pipe ``detente_attribution``: tags source, cue and content spans in each paragraph.

It reads the parse and the tok2vec output of the pipeline it runs in, so it goes after the
parser and NER; it writes ``doc.spans["attribution"]`` (labels SOURCE, CUE, CONTENT), each span's
mean tag probability in ``span._.attribution_score`` (an extension, so that it survives
``Doc.from_docs``), and leaves every other annotation alone. Tags are decoded with Viterbi under
the BIO constraints (a span starts with its B tag), with the CRF's learned transition scores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span, SpanGroup
from spacy.training import Example, validate_examples
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Model, SequenceCategoricalCrossentropy, set_dropout_rate
from thinc.types import Floats2d

from detente.extract.attribution import crf as crf_ops

ROLES = ("SOURCE", "CUE", "CONTENT")
TAGS = ("O", *(f"{p}-{r}" for r in ROLES for p in ("B", "I")))
SPANS_KEY = "attribution"
SCORE_ATTR = "attribution_score"
if not Span.has_extension(SCORE_ATTR):
    Span.set_extension(SCORE_ATTR, default=None)

DEFAULT_MODEL = {
    "@architectures": "detente.AttributionTagger.v1",
    "n_labels": len(TAGS),
    "tensor_width": 96,
    "embed_width": 32,
    "norm_rows": 20000,
    "rows": 5000,
    "hidden": 128,
    "depth": 1,
    "dropout": 0.3,
    "crf": True,
}


PENALTY_T, PENALTY_S = crf_ops.bio_penalty(TAGS)


def tags_to_spans(tags: np.ndarray) -> list[tuple[int, int, str]]:
    """(start token, end token, role) for each B(-I*) run."""
    spans: list[tuple[int, int, str]] = []
    for i, t in enumerate(tags):
        tag = TAGS[t]
        if tag.startswith("B-"):
            spans.append((i, i + 1, tag[2:]))
        elif tag.startswith("I-") and spans and spans[-1][1] == i:
            spans[-1] = (spans[-1][0], i + 1, spans[-1][2])
    return spans


def gold_tags(example: Example, key: str) -> list[str]:
    """The reference spans as BIO tags over the predicted tokens ("O" outside every span)."""
    tags = ["O"] * len(example.predicted)
    if key not in example.reference.spans:
        return tags
    for span in example.get_aligned_spans_y2x(example.reference.spans[key], allow_overlap=True):
        if span.label_ not in ROLES:
            continue
        for i in range(span.start, span.end):
            tags[i] = ("B-" if i == span.start else "I-") + span.label_
    return tags


@registry.scorers("detente.attribution_scorer.v1")
def make_attribution_scorer() -> Callable[..., dict[str, Any]]:
    return score_attribution


def score_attribution(examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
    """Exact span P/R/F per role (spaCy's span scorer on ``doc.spans["attribution"]``)."""
    key = kwargs.get("spans_key", SPANS_KEY)
    return Scorer.score_spans(
        examples,
        f"spans_{key}",
        getter=lambda doc, attr: doc.spans.get(attr[len("spans_") :], []),
        has_annotation=lambda doc: True,
        allow_overlap=True,
    )


@Language.factory(
    "detente_attribution",
    default_config={
        "model": DEFAULT_MODEL,
        "spans_key": SPANS_KEY,
        "scorer": {"@scorers": "detente.attribution_scorer.v1"},
    },
    default_score_weights={
        f"spans_{SPANS_KEY}_f": 1.0,
        f"spans_{SPANS_KEY}_p": 0.0,
        f"spans_{SPANS_KEY}_r": 0.0,
    },
)
def make_attribution_tagger(
    nlp: Language, name: str, model: Model, spans_key: str, scorer: Callable | None
) -> AttributionTagger:
    return AttributionTagger(nlp.vocab, model, name, spans_key=spans_key, scorer=scorer)


class AttributionTagger(TrainablePipe):
    """Per-token BIO tags for attribution roles, decoded into labelled spans."""

    def __init__(
        self,
        vocab: Vocab,
        model: Model,
        name: str = "detente_attribution",
        *,
        spans_key: str = SPANS_KEY,
        scorer: Callable | None = score_attribution,
    ) -> None:
        self.vocab = vocab
        self.model = model
        self.name = name
        self.cfg: dict[str, Any] = {"spans_key": spans_key, "labels": list(TAGS)}
        self.scorer = scorer

    @property
    def labels(self) -> tuple[str, ...]:
        return TAGS

    @property
    def key(self) -> str:
        return self.cfg["spans_key"]

    def predict(self, docs: Iterable[Doc]) -> list[Floats2d]:
        docs = list(docs)
        if not any(len(doc) for doc in docs):
            return [self.model.ops.alloc2f(len(doc), len(TAGS)) for doc in docs]
        return self.model.predict(docs)

    @property
    def crf(self) -> Model | None:
        return self.model.get_ref("crf") if self.model.has_ref("crf") else None

    def _transitions(self) -> tuple[np.ndarray, np.ndarray]:
        crf = self.crf
        assert crf is not None
        T = self.model.ops.to_numpy(crf.get_param("T")).astype(np.float64)
        S = self.model.ops.to_numpy(crf.get_param("S")).astype(np.float64)
        return T + PENALTY_T, S + PENALTY_S

    def set_annotations(self, docs: Iterable[Doc], scores: list[Floats2d]) -> None:
        docs = list(docs)
        if self.crf is not None:
            T, S = self._transitions()
            emissions = [self.model.ops.to_numpy(x).astype(np.float64) for x in scores]
            tag_seqs = [crf_ops.viterbi(e, T, S) for e in emissions]
            prob_seqs = crf_ops.marginals(emissions, T, S)
        else:  # a softmax: the same decoding over log-probabilities, with no learned transitions
            prob_seqs = [self.model.ops.to_numpy(x) for x in scores]
            tag_seqs = [
                crf_ops.viterbi(np.log(np.clip(p, 1e-9, 1.0)), PENALTY_T, PENALTY_S) for p in prob_seqs
            ]
        for doc, probs, tags in zip(docs, prob_seqs, tag_seqs, strict=True):
            spans = []
            for s, e, role in tags_to_spans(tags):
                span = Span(doc, s, e, label=role)
                span._.set(SCORE_ATTR, round(float(probs[np.arange(s, e), tags[s:e]].mean()), 4))
                spans.append(span)
            doc.spans[self.key] = SpanGroup(doc, name=self.key, spans=spans)

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Any = None,
        losses: dict[str, float] | None = None,
    ) -> dict[str, float]:
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        examples = list(examples)
        validate_examples(examples, "AttributionTagger.update")
        if not any(len(eg.predicted) for eg in examples):
            return losses
        set_dropout_rate(self.model, drop)
        scores, backprop = self.model.begin_update([eg.predicted for eg in examples])
        loss, d_scores = self.get_loss(examples, scores)
        backprop(d_scores)
        if sgd not in (None, False):
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def get_loss(self, examples: Iterable[Example], scores: list[Floats2d]) -> tuple[float, list[Floats2d]]:
        """Cross-entropy of the softmax, or the CRF's negative log-likelihood; with a CRF this
        also adds the gradients of its transition scores."""
        truths = [gold_tags(eg, self.key) for eg in examples]
        crf = self.crf
        if crf is None:
            loss_func = SequenceCategoricalCrossentropy(names=TAGS, normalize=False)
            d_scores, loss = loss_func(scores, truths)
            return float(loss), d_scores
        index = {t: k for k, t in enumerate(TAGS)}
        gold = [np.array([index[t] for t in tags], dtype=np.int64) for tags in truths]
        T, S = self._transitions()
        emissions = [self.model.ops.to_numpy(x).astype(np.float64) for x in scores]
        loss, d_em, d_T, d_S = crf_ops.nll(emissions, gold, T, S)
        crf.inc_grad("T", self.model.ops.asarray2f(d_T.astype(np.float32)))
        crf.inc_grad("S", self.model.ops.asarray1f(d_S.astype(np.float32)))
        return loss, [self.model.ops.asarray2f(d) for d in d_em]

    def initialize(
        self, get_examples: Callable[[], Iterable[Example]], *, nlp: Language | None = None
    ) -> None:
        sample = list(islice(get_examples(), 10))
        docs = [eg.predicted for eg in sample]
        truths = []
        for eg in sample:
            tags = gold_tags(eg, self.key)
            truths.append(self.model.ops.asarray2f([[float(t == tag) for t in TAGS] for tag in tags]))
        self.model.initialize(X=docs, Y=truths)

    def add_label(self, label: str) -> int:
        raise NotImplementedError("the attribution tagger's labels are fixed: SOURCE, CUE, CONTENT")
