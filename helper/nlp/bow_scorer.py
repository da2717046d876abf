"""The link-request textcat's scores with numpy alone: no spaCy import, no Doc per comment (issue 10).

The trained model is spaCy's bag-of-n-grams textcat (helper/nlp/bow.py): each token's ORTH hash, hashed
n-grams of consecutive ones, two hashed rows of a weight table per key, summed per comment, a softmax.
None of that needs spaCy at serving time, and importing spaCy alone costs about a second of every cold
start. So `linktriage train` exports the two small tables next to the pipeline (`bow_weights.npz`, 2 MB),
and this module scores from them:

    scorer = BowScorer.load(models_dir / "pipeline")     # None when the export is missing or stale
    scorer.request_scores(["求链接", "好看"])               # → array([0.98, 0.02]), as doc.cats["REQUEST"]

Every hash is the one spaCy and thinc compute, written out here:

- a token's ORTH id: spaCy's string hash, MurmurHash64A(utf-8, seed 1), except spaCy's own symbol names
  ("ORTH", "flat", "NOUN"…), which have fixed small ids (exported with the weights);
- an n-gram key: thinc's `ops.ngrams`, MurmurHash64A over the n ORTH ids' bytes, seed 0;
- the weight rows: thinc's SparseLinear.v2, MurmurHash3_x86_32 of the key with seeds 0 and 1, modulo the
  table length.

The keys are equal to thinc's to the bit. The float sums run in another order (numpy's bincount, in
float64), so scores match spaCy's to about 1e-6, not to the last bit; tests/test_bow_scorer.py checks both
against `nlp.pipe` on the corpus. Comments are tokenised by `tokens` (MixedTokenizer's split as one regex);
the rare text whose spacing that regex does not reproduce goes through spaCy's tokenizer, imported then.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy

from helper.nlp.model_input import NOTE_MARK, XHS_CODE
from helper.vocab import CJK_RANGE

WEIGHTS_FILE = "bow_weights.npz"
LABEL = "REQUEST"

# MixedTokenizer's rule as one left-to-right scan (helper/nlp/tokenizer.py says why each piece is a token):
# a note token (¶…) is one token when it starts a space-separated chunk, then XHS codes, one CJK character,
# one punctuation mark or emoji, and the runs of other word characters between them.
# The alternatives are tried in order at each token: the common ones first (a CJK character, a run of other
# word characters; no other alternative can start with those), then the three that start with a mark and
# must precede the lone-mark one. That order alone made the scan ~40% faster than the reading order above.
# It also scans a batch joined with newlines (a text `tokens` accepts has none): the newline is a token of
# its own that marks where a text ends, and a note mark may start a line (MULTILINE's ^).
_TOKEN = re.compile(
    rf"[{CJK_RANGE}]"
    rf"|[^\W{CJK_RANGE}]+"
    rf"|(?:(?<= )|^){re.escape(NOTE_MARK)}\S+"
    rf"|{XHS_CODE}"
    r"|[^\w\s]"
    r"|\n",
    re.MULTILINE,
)
# What the scan reproduces exactly: single spaces between chunks (no other whitespace, none leading or
# trailing) and a note mark only where a chunk starts, a run of them (¶¶sells) included; anything else
# goes to spaCy's tokenizer.
_MARK_INSIDE = re.compile(rf"[^ {re.escape(NOTE_MARK)}]{re.escape(NOTE_MARK)}")
ORTH_MEMO_SIZE = 200_000  # token → ORTH id; CJK characters and common words repeat, numbers do not

_M64 = 0xC6A4A7935BD1E995
_MASK64 = (1 << 64) - 1


def _regular(text: str) -> bool:
    """Whether `tokens` can split the text (see _MARK_INSIDE)."""
    if not text or " ".join(text.split()) != text:  # 3x cheaper than one regex for the same test
        return False
    return NOTE_MARK not in text or _MARK_INSIDE.search(text) is None


def tokens(text: str) -> list[str] | None:
    """The token texts MixedTokenizer makes of `text`, or None when only spaCy's tokenizer can tell."""
    return _TOKEN.findall(text) if _regular(text) else None


def murmur64a(data: bytes, seed: int) -> int:
    """MurmurHash64A (Austin Appleby's MurmurHash2, 64-bit), as murmurhash's C code computes it."""
    h = (seed ^ (len(data) * _M64)) & _MASK64
    blocks = len(data) // 8
    for i in range(blocks):
        k = (int.from_bytes(data[8 * i:8 * i + 8], "little") * _M64) & _MASK64
        k ^= k >> 47
        h ^= (k * _M64) & _MASK64
        h = (h * _M64) & _MASK64
    tail = data[8 * blocks:]
    if tail:  # the C switch XORs the remaining bytes in little-endian order
        h = ((h ^ int.from_bytes(tail, "little")) * _M64) & _MASK64
    h ^= h >> 47
    h = (h * _M64) & _MASK64
    return h ^ (h >> 47)


def ngram_keys(ids: numpy.ndarray) -> numpy.ndarray:
    """thinc's `ops.ngrams` key of each row of `ids` (uint64, shape (k, n)): MurmurHash64A, seed 0,
    over the row's n little-endian uint64s, vectorised."""
    m = numpy.uint64(_M64)
    r = numpy.uint64(47)
    n = ids.shape[1]
    with numpy.errstate(over="ignore"):
        h = numpy.full(ids.shape[0], numpy.uint64((8 * n * _M64) & _MASK64), dtype=numpy.uint64)
        for j in range(n):
            k = ids[:, j] * m
            k ^= k >> r
            k *= m
            h ^= k
            h *= m
        h ^= h >> r
        h *= m
        h ^= h >> r
    return h


def weight_rows(keys: numpy.ndarray, seed: int, length: int) -> numpy.ndarray:
    """thinc SparseLinear's row of each key: MurmurHash3_x86_32 of the uint64 key, modulo length."""
    c1, c2 = numpy.uint32(0xCC9E2D51), numpy.uint32(0x1B873593)
    h = numpy.full(keys.shape[0], seed, dtype=numpy.uint32)
    with numpy.errstate(over="ignore"):
        for half in (keys & numpy.uint64(0xFFFFFFFF), keys >> numpy.uint64(32)):
            k = half.astype(numpy.uint32) * c1
            k = (k << numpy.uint32(15)) | (k >> numpy.uint32(17))
            k *= c2
            h ^= k
            h = (h << numpy.uint32(13)) | (h >> numpy.uint32(19))
            h = h * numpy.uint32(5) + numpy.uint32(0xE6546B64)
        h ^= numpy.uint32(8)
        h ^= h >> numpy.uint32(16)
        h *= numpy.uint32(0x85EBCA6B)
        h ^= h >> numpy.uint32(13)
        h *= numpy.uint32(0xC2B2AE35)
        h ^= h >> numpy.uint32(16)
    return (h % numpy.uint32(length)).astype(numpy.intp)


class _OrthIds(dict):
    """token text → spaCy ORTH id, computed on first sight (a dict's C-level lookups for the rest)."""

    def __init__(self, symbols: dict[str, int]):
        super().__init__()
        self.symbols = symbols

    def __missing__(self, word: str) -> int:
        if len(self) > ORTH_MEMO_SIZE:
            self.clear()
        orth = self.symbols.get(word)
        if orth is None:
            orth = murmur64a(word.encode("utf-8"), 1) if word else 0
        self[word] = orth
        return orth


class BowScorer:
    """Scores from an exported bag-of-n-grams textcat (see the module docstring)."""

    def __init__(self, *, weights, bias, labels, ngram_size: int, symbols: dict[str, int], model_version: str):
        self.weights = numpy.ascontiguousarray(weights, dtype=numpy.float32)  # (classes, length)
        self.bias = numpy.asarray(bias, dtype=numpy.float64)
        self.labels = list(labels)
        self.ngram_size = int(ngram_size)
        self.model_version = model_version
        self.length = self.weights.shape[1]
        self._label = self.labels.index(LABEL)
        self._orth = _OrthIds(symbols)
        self._spacy_tokenizer = None

    # -- export and load ------------------------------------------------------------------------

    @classmethod
    def from_pipeline(cls, nlp, model_version: str, pipe_name: str = "textcat") -> BowScorer:
        """The tables of a loaded spaCy pipeline whose textcat is linktriage.TextCatBOW.v1."""
        from spacy.symbols import IDS

        textcat = nlp.get_pipe(pipe_name)
        features, output = textcat.model.layers
        extract, resizable = features.layers[0].layers
        if extract.name != "extract_ngrams" or output.layers[0].name != "softmax_activation":
            raise ValueError(f"not an exclusive bag-of-n-grams textcat: {textcat.model.name}")
        linear = resizable.layers[0]
        if linear.attrs.get("v1_indexing"):
            raise ValueError("SparseLinear v1 indexing is not supported")
        n_classes, length = linear.get_dim("nO"), linear.get_dim("length")
        return cls(
            weights=linear.get_param("W").reshape(n_classes, length),
            bias=linear.get_param("b"),
            labels=list(textcat.labels),
            ngram_size=int(extract.attrs["ngram_size"]),
            symbols={k: int(v) for k, v in IDS.items() if k},
            model_version=model_version,
        )

    def save(self, path: str | Path) -> None:
        header = {"labels": self.labels, "ngram_size": self.ngram_size, "model_version": self.model_version,
                  "symbols": self._orth.symbols}
        with open(path, "wb") as f:  # an open file: numpy would append .npz to a name without it
            numpy.savez(f, weights=self.weights, bias=self.bias,
                        header=numpy.frombuffer(json.dumps(header, ensure_ascii=False).encode("utf-8"), dtype=numpy.uint8))

    @classmethod
    def load(cls, pipeline_dir: str | Path, model_version: str) -> BowScorer | None:
        """The export beside the pipeline, or None when it is missing, unreadable or from another training
        (a pipeline written by an older version, or copied over by hand): the caller then loads spaCy."""
        path = Path(pipeline_dir) / WEIGHTS_FILE
        try:
            with numpy.load(path, allow_pickle=False) as data:
                header = json.loads(bytes(data["header"]).decode("utf-8"))
                if header.get("model_version") != model_version:
                    return None
                return cls(weights=data["weights"], bias=data["bias"], labels=header["labels"],
                           ngram_size=header["ngram_size"], symbols=header["symbols"], model_version=model_version)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    # -- scoring ----------------------------------------------------------------------------------

    def words(self, text: str) -> list[str]:
        """The token texts the model reads of `text` (MixedTokenizer's split)."""
        words = tokens(text)
        if words is not None:
            return words
        if self._spacy_tokenizer is None:  # irregular spacing: only spaCy's tokenizer splits it exactly
            import spacy

            from helper.nlp.tokenizer import MixedTokenizer

            self._spacy_tokenizer = MixedTokenizer(spacy.blank("xx").vocab)
        return [t.text for t in self._spacy_tokenizer(text)]

    def _token_ids(self, texts: list[str]) -> tuple[numpy.ndarray, numpy.ndarray]:
        """(each token's ORTH id, the index of the text it is in), for all the texts' tokens in order."""
        orth = self._orth
        if all(map(_regular, texts)):
            # One scan and one id lookup for the whole batch; the newline tokens say where texts end.
            ids = numpy.fromiter(map(orth.__getitem__, _TOKEN.findall("\n".join(texts))), dtype=numpy.uint64)
            ends = ids == orth["\n"]
            if int(ends.sum()) == len(texts) - 1:  # always, unless a token's hash were the newline's
                doc_of = numpy.cumsum(ends)
                keep = ~ends
                return ids[keep], doc_of[keep]
        ids_list: list[int] = []
        lengths = numpy.empty(len(texts), dtype=numpy.intp)
        for i, text in enumerate(texts):
            words = self.words(text)
            ids_list.extend(map(orth.__getitem__, words))
            lengths[i] = len(words)
        return (numpy.fromiter(ids_list, dtype=numpy.uint64, count=len(ids_list)),
                numpy.repeat(numpy.arange(len(texts)), lengths))

    def probabilities(self, texts: list[str]) -> numpy.ndarray:
        """Softmax over the labels for each (non-empty) text: shape (len(texts), len(labels))."""
        unigrams, doc_of = self._token_ids(texts)
        keys, docs = [unigrams], [doc_of]
        for n in range(2, self.ngram_size + 1):
            if unigrams.shape[0] < n:
                break
            # an n-gram starts at token i when tokens i..i+n-1 are in one comment
            starts = numpy.nonzero(doc_of[:-(n - 1)] == doc_of[n - 1:])[0]
            window = numpy.stack([unigrams[starts + j] for j in range(n)], axis=1)
            keys.append(ngram_keys(window))
            docs.append(doc_of[starts])
        keys_all, docs_all = numpy.concatenate(keys), numpy.concatenate(docs)
        rows1 = weight_rows(keys_all, 0, self.length)
        rows2 = weight_rows(keys_all, 1, self.length)
        logits = numpy.empty((len(texts), len(self.labels)), dtype=numpy.float64)
        for c in range(len(self.labels)):
            table = self.weights[c]
            per_key = table[rows1].astype(numpy.float64) + table[rows2]
            logits[:, c] = numpy.bincount(docs_all, weights=per_key, minlength=len(texts)) + self.bias[c]
        logits -= logits.max(axis=1, keepdims=True)
        numpy.exp(logits, out=logits)
        logits /= logits.sum(axis=1, keepdims=True)
        return logits

    def request_scores(self, texts: list[str]) -> list[float]:
        """P(REQUEST) for each (non-empty) text, in order."""
        if not texts:
            return []
        return self.probabilities(texts)[:, self._label].tolist()
