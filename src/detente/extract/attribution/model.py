"""The attribution tagger's network: thinc layers registered for spaCy configs.

Input is a batch of parsed paragraphs. Each token gets hash embeddings of its features
(``features.FEATURES``) next to the vector the parser's shared tok2vec already computed for it
(``doc.tensor``, left frozen); a maxout layer mixes them, a bidirectional LSTM reads the whole
paragraph (content spans are long, a quote's end can be forty tokens from its start), and a
softmax gives each token a distribution over the BIO tags.
"""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import (
    LSTM,
    HashEmbed,
    Linear,
    Maxout,
    Model,
    Softmax,
    chain,
    concatenate,
    with_array,
    with_padded,
)
from thinc.types import Floats2d, Ints2d

from detente.extract.attribution.features import FEATURES, token_features


def _features_forward(model: Model, docs: list[Doc], is_train: bool):
    feats = [model.ops.asarray2i(token_features(doc), dtype="uint64") for doc in docs]
    return feats, lambda d_feats: []


def doc_features() -> Model[list[Doc], list[Ints2d]]:
    return Model("attribution_features", _features_forward)


def _tensor_forward(model: Model, docs: list[Doc], is_train: bool):
    width = model.attrs["width"]
    out = []
    for doc in docs:
        t = doc.tensor
        if t is None or t.shape != (len(doc), width):
            raise ValueError(
                f"the attribution tagger needs the parser's token vectors (doc.tensor of width {width}); "
                "run it after the pipeline's tok2vec"
            )
        out.append(model.ops.asarray2f(t, dtype="float32"))
    return out, lambda d_out: []


def doc_tensors(width: int) -> Model[list[Doc], list[Floats2d]]:
    return Model("attribution_tensors", _tensor_forward, attrs={"width": width})


def _identity_forward(model: Model, X: list[Floats2d], is_train: bool):
    return X, lambda dY: dY


def _crf_init(model: Model, X: object = None, Y: object = None) -> None:
    k = model.get_dim("nO")
    model.set_param("T", model.ops.alloc2f(k, k))
    model.set_param("S", model.ops.alloc1f(k))


def crf_transitions(n_labels: int) -> Model[list[Floats2d], list[Floats2d]]:
    """Holds the CRF's tag-to-tag scores ``T`` and first-tag scores ``S``; passes the emissions
    through unchanged. The component computes the CRF loss and gives these their gradients."""
    return Model(
        "crf",
        _identity_forward,
        init=_crf_init,
        dims={"nO": n_labels},
        params={"T": None, "S": None},
    )


@registry.architectures("detente.AttributionTagger.v1")
def build_attribution_tagger(
    n_labels: int = 7,
    tensor_width: int = 96,
    embed_width: int = 32,
    norm_rows: int = 20000,
    rows: int = 5000,
    hidden: int = 128,
    depth: int = 1,
    dropout: float = 0.3,
    crf: bool = True,
) -> Model[list[Doc], list[Floats2d]]:
    """Hash embeddings + frozen parser vectors -> maxout -> BiLSTM -> tag scores: emissions for
    a CRF (``crf``, the layer is the model's "crf" ref) or a softmax."""
    embeds = [
        HashEmbed(
            embed_width * 2 if name == "norm" else embed_width,
            norm_rows if name in ("norm", "lemma") else rows,
            column=k,
            seed=101 + k,
            dropout=dropout,
        )
        for k, name in enumerate(FEATURES)
    ]
    n_in = embed_width * (len(FEATURES) + 1) + tensor_width
    inputs = concatenate(
        chain(doc_features(), with_array(concatenate(*embeds))),
        doc_tensors(tensor_width),
    )
    layers = [
        inputs,
        with_array(Maxout(hidden, n_in, nP=2, dropout=dropout, normalize=True)),
        with_padded(LSTM(hidden, hidden, bi=True, depth=depth, dropout=dropout)),
    ]
    transitions = crf_transitions(n_labels) if crf else None
    if transitions is not None:
        layers += [with_array(Linear(n_labels, hidden)), transitions]
    else:
        layers.append(with_array(Softmax(n_labels, hidden)))
    model = chain(*layers)
    model.name = "attribution_tagger"
    if transitions is not None:
        model.set_ref("crf", transitions)
    return model
