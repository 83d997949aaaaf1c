"""A tiny BERT model written to disk in the files the semantic scorer reads, for tests."""

import json
import struct
from pathlib import Path

import numpy as np

WORDS = ("russia ukraine talks truce ceasefire collapsed broke down the in of a to and said ##s eu "
         "brussels sanctions eased relaxed restrictions were on oil").split()


def write_safetensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype=np.float32).tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))


def write_tiny_model(folder: Path, *, seed: int = 0, hidden: int = 8, layers: int = 1) -> Path:
    """A random two-head BERT of ``layers`` layers over a small vocabulary; returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", *WORDS, ".", ","]
    rng = np.random.default_rng(seed)
    inner = 2 * hidden

    def r(*shape):
        return rng.standard_normal(shape).astype(np.float32) * 0.5

    tensors = {
        "embeddings.word_embeddings.weight": r(len(vocabulary), hidden),
        "embeddings.position_embeddings.weight": r(64, hidden),
        "embeddings.token_type_embeddings.weight": r(2, hidden),
        "embeddings.LayerNorm.weight": np.ones(hidden), "embeddings.LayerNorm.bias": np.zeros(hidden),
    }
    for i in range(layers):
        p = f"encoder.layer.{i}."
        for name in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
            tensors[p + name + ".weight"], tensors[p + name + ".bias"] = r(hidden, hidden), r(hidden)
        tensors[p + "intermediate.dense.weight"], tensors[p + "intermediate.dense.bias"] = r(inner, hidden), r(inner)
        tensors[p + "output.dense.weight"], tensors[p + "output.dense.bias"] = r(hidden, inner), r(hidden)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            tensors[p + norm + ".weight"], tensors[p + norm + ".bias"] = np.ones(hidden), np.zeros(hidden)
    write_safetensors(folder / "model.safetensors", tensors)
    (folder / "config.json").write_text(json.dumps({
        "_name_or_path": "tiny-test-bert", "hidden_size": hidden, "num_attention_heads": 2,
        "num_hidden_layers": layers, "layer_norm_eps": 1e-12,
    }))
    (folder / "vocab.txt").write_text("\n".join(vocabulary) + "\n")
    return folder
