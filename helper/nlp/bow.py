"""The bag-of-n-grams text classifier architecture, registered as `linktriage.TextCatBOW.v1`.

It is spaCy's TextCatBOW.v3 with one change that matters on 2 cores: spaCy's n-gram extractor
de-duplicates each doc's n-gram keys with `numpy.unique` (a sort per comment, ~40 % of the model's
time on short comments). The sparse linear layer sums weight × value over all keys, so passing a
repeated key twice with value 1 gives the same score and the same gradient as passing it once with
value 2; we skip the de-duplication.
"""

from __future__ import annotations

from functools import partial

from spacy.attrs import ORTH
from spacy.ml.models.textcat import resize_and_set_ref
from spacy.util import registry
from thinc.api import Logistic, Model, SparseLinear_v2, chain, resizable, with_cpu
from thinc.layers.resizable import resize_linear_weighted

NEG_VALUE = -5000  # as spaCy: the output bias a newly added label starts from


def extract_ngrams(ngram_size: int, attr: int = ORTH) -> Model:
    model: Model = Model("extract_ngrams", _extract_forward)
    model.attrs["ngram_size"] = ngram_size
    model.attrs["attr"] = attr
    return model


def _extract_forward(model: Model, docs, is_train: bool):
    ops, xp = model.ops, model.ops.xp
    size, attr = model.attrs["ngram_size"], model.attrs["attr"]
    batch_keys, lengths = [], []
    for doc in docs:
        unigrams = ops.asarray(doc.to_array([attr]))
        keys = [unigrams] + [ops.ngrams(n, unigrams) for n in range(2, min(size, len(unigrams)) + 1)]
        keys = xp.concatenate(keys) if len(keys) > 1 else unigrams
        batch_keys.append(keys)
        lengths.append(keys.shape[0])
    keys = xp.concatenate(batch_keys) if batch_keys else xp.zeros((0,), dtype="uint64")
    vals = xp.ones(keys.shape[0], dtype="f")

    def backprop(d_output):
        return []

    return (keys, vals, ops.asarray(lengths, dtype="int32")), backprop


@registry.architectures("linktriage.TextCatBOW.v1")
def build_bow_text_classifier(exclusive_classes: bool, ngram_size: int, no_output_layer: bool,
                              length: int = 262144, nO: int | None = None) -> Model:
    from spacy.ml.models.textcat import softmax_activation

    length = 2 ** (length - 1).bit_length()
    sparse_linear = SparseLinear_v2(nO=nO, length=length)
    fill_defaults = {"b": 0, "W": 0}
    output_layer = None
    if not no_output_layer:
        fill_defaults["b"] = NEG_VALUE
        output_layer = softmax_activation() if exclusive_classes else Logistic()
    resizable_layer = resizable(sparse_linear, resize_layer=partial(resize_linear_weighted, fill_defaults=fill_defaults))
    model = with_cpu(chain(extract_ngrams(ngram_size), resizable_layer), sparse_linear.ops)
    if output_layer:
        model = chain(model, with_cpu(output_layer, output_layer.ops))
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse_linear)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return model
