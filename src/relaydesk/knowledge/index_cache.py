"""A file cache of the knowledge index's numeric parts, so a start need not rebuild them.

Building the in-memory index means tokenizing every passage for BM25 and reading every
stored embedding; at 10,000 articles that is most of a start. ``KnowledgeIndex.load`` saves
what it built (embeddings, the BM25 posting arrays and their vocabulary, the passage ids in
index order) to ``<data dir>/cache/knowledge-index.npz`` and reuses it on the next load when,
and only when, the file's key still matches:

- the knowledge version (``queries.knowledge_version``: article count, highest passage id,
  latest article update), which any import, update or prune changes;
- the database (a hash of its URL without the password), the embedder's name and size;
- the tokenizer and BM25 code (a hash of ``bm25.py``) and this file format's version.

The texts are still read from the database on every load, and the passage ids read there
must equal the cached ones, in order, or the cache is not used. A file that is missing,
damaged or of another key is ignored and rebuilt; it is written whole under a temporary
name and renamed into place, so readers never see half a file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, cast

import numpy as np

from relaydesk import __version__
from relaydesk.knowledge import bm25

log = logging.getLogger(__name__)

#: Bumped whenever what the file holds or how the index uses it changes.
CACHE_FORMAT = 1
#: The cache file's name inside the cache folder.
CACHE_FILE = "knowledge-index.npz"


@dataclass(frozen=True)
class CachedIndex:
    """The numeric parts of a knowledge index, as the cache holds them."""

    passage_ids: np.ndarray  # int64, in index order (article slug, then position)
    vectors: np.ndarray  # float32 (passages, dim)
    title_vectors: np.ndarray  # float32 (articles, dim)
    outline_vectors: np.ndarray  # float32 (articles, dim)
    vocabulary: dict[str, int]
    passage_bm25: Mapping[str, np.ndarray]
    article_bm25: Mapping[str, np.ndarray]


@functools.cache
def _code_fingerprint() -> str:
    """Return a hash of the tokenizer's and BM25's code and the stemmer's version."""
    try:
        stemmer = metadata.version("snowballstemmer")
    except metadata.PackageNotFoundError:
        stemmer = "unknown"
    digest = hashlib.sha256(f"{CACHE_FORMAT}:{stemmer}".encode())
    try:
        digest.update(Path(bm25.__file__).read_bytes())
    except OSError:
        digest.update(__version__.encode())
    return digest.hexdigest()[:16]


def cache_key(
    database_url: str, embedder_name: str, dim: int, version: tuple[int, int, str]
) -> dict[str, Any]:
    """Return the key a cache file must carry to be used for this database and version."""
    return {
        "format": CACHE_FORMAT,
        "code": _code_fingerprint(),
        "database": hashlib.sha256(database_url.encode()).hexdigest()[:16],
        "embedder": embedder_name,
        "dim": dim,
        "version": list(version),
    }


def _key_bytes(key: Mapping[str, Any]) -> np.ndarray:
    return np.frombuffer(json.dumps(key, sort_keys=True).encode(), dtype=np.uint8)


def read_cache(path: Path, key: Mapping[str, Any]) -> CachedIndex | None:
    """Return the cached index parts at path if the file is readable and carries key."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if json.loads(data["key"].tobytes()) != json.loads(_key_bytes(key).tobytes()):
                log.info("knowledge index cache is stale", extra={"path": str(path)})
                return None
            words = data["vocabulary"].tobytes().decode()
            vocabulary = {term: i for i, term in enumerate(words.split("\n"))} if words else {}
            cached = CachedIndex(
                passage_ids=data["passage_ids"].astype(np.int64, copy=False),
                vectors=data["vectors"].astype(np.float32, copy=False),
                title_vectors=data["title_vectors"].astype(np.float32, copy=False),
                outline_vectors=data["outline_vectors"].astype(np.float32, copy=False),
                vocabulary=vocabulary,
                passage_bm25={k[2:]: data[k] for k in data.files if k.startswith("p_")},
                article_bm25={k[2:]: data[k] for k in data.files if k.startswith("a_")},
            )
    except (OSError, ValueError, KeyError, EOFError, UnicodeDecodeError, zipfile.BadZipFile):
        log.warning("ignoring unreadable knowledge index cache", extra={"path": str(path)})
        return None
    n, dim = cached.passage_ids.shape[0], int(key["dim"])
    if cached.vectors.shape != (n, dim) or cached.title_vectors.shape != (
        cached.outline_vectors.shape
    ):
        log.warning("ignoring inconsistent knowledge index cache", extra={"path": str(path)})
        return None
    return cached


def write_cache(path: Path, key: Mapping[str, Any], parts: CachedIndex) -> bool:
    """Write parts under key to path atomically; return False (and log) if it cannot."""
    arrays: dict[str, np.ndarray] = {
        "key": _key_bytes(key),
        "passage_ids": parts.passage_ids,
        "vectors": parts.vectors,
        "title_vectors": parts.title_vectors,
        "outline_vectors": parts.outline_vectors,
        "vocabulary": np.frombuffer("\n".join(parts.vocabulary).encode(), dtype=np.uint8),
    }
    arrays.update({f"p_{k}": v for k, v in parts.passage_bm25.items()})
    arrays.update({f"a_{k}": v for k, v in parts.article_bm25.items()})
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            np.savez(out, allow_pickle=False, **cast(dict[str, Any], arrays))
        os.replace(tmp, path)
        tmp = None
    except OSError:
        log.warning("could not write the knowledge index cache", extra={"path": str(path)})
        return False
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return True
