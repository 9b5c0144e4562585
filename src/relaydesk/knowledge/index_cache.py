"""A file cache of the whole knowledge index, so a start need not rebuild it.

Building the in-memory index means reading every passage with its embedding and tokenizing
every passage for BM25; at 10,000 articles that was most of a start. ``KnowledgeIndex.load``
saves what it built (texts, embeddings, the BM25 posting arrays and their vocabulary) to
``<data dir>/cache/knowledge-index.npz`` and reuses it on the next load when, and only when,
the file's key still matches:

- the knowledge version (``queries.knowledge_version``: article count, highest passage id,
  latest article update), which any import, update or prune changes;
- the database (a hash of its URL), the embedder's name and size;
- the tokenizer and BM25 code (a hash of ``bm25.py``), the stemmer's version and this file
  format's version;

and the database's passages still have the cached number and sum of ids
(``queries.passage_guard``), a second check that costs one small query. Anything else (no
file, a damaged file, another key) means the index is rebuilt from the database and the
file rewritten: whole, under a temporary name, then renamed into place, so a reader never
sees half a file. The database stays the only source of truth; deleting the folder is safe.
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
from itertools import accumulate
from pathlib import Path
from typing import Any, cast

import numpy as np

from relaydesk import __version__
from relaydesk.knowledge import bm25

log = logging.getLogger(__name__)

#: Bumped whenever what the file holds or how the index uses it changes.
CACHE_FORMAT = 2
#: The cache file's name inside the cache folder.
CACHE_FILE = "knowledge-index.npz"


@dataclass(frozen=True)
class CachedIndex:
    """Everything a knowledge index is made of, as the cache holds it.

    Passages are in index order (article slug, then position); ``passage_article`` gives
    each passage's article and ``starts`` each article's first passage.
    """

    passage_ids: np.ndarray  # int64 (passages,)
    passage_article: np.ndarray  # int32 (passages,)
    starts: np.ndarray  # int64 (articles,)
    heading_paths: list[str]  # JSON lists
    texts: list[str]
    slugs: list[str]
    titles: list[str]
    urls: list[str | None]
    vectors: np.ndarray  # float32 (passages, dim)
    title_vectors: np.ndarray  # float32 (articles, dim)
    outline_vectors: np.ndarray  # float32 (articles, dim)
    vocabulary: dict[str, int]
    passage_bm25: Mapping[str, np.ndarray]
    article_bm25: Mapping[str, np.ndarray]

    def passage_guard(self) -> tuple[int, int]:
        """Return (number of passages, sum of their ids), to compare with the database's."""
        return int(self.passage_ids.shape[0]), int(self.passage_ids.sum())


_STRING_LISTS = ("heading_paths", "texts", "slugs", "titles", "urls")


def _pack(strings: list[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """Return the strings as one UTF-8 blob and their end offsets (-1 ends a None)."""
    ends = np.fromiter(
        accumulate(len(s) if s is not None else 0 for s in strings), np.int64, len(strings)
    )
    missing = np.fromiter((s is None for s in strings), bool, len(strings))
    ends[missing] = -1
    blob = "".join(s for s in strings if s is not None).encode()
    return np.frombuffer(blob, dtype=np.uint8), ends


def _unpack(blob: np.ndarray, ends: np.ndarray) -> list[str | None]:
    text = blob.tobytes().decode()
    out: list[str | None] = []
    start = 0
    for end in ends.tolist():
        if end < 0:
            out.append(None)
        else:
            out.append(text[start:end])
            start = end
    return out


def _strings(blob: np.ndarray, ends: np.ndarray) -> list[str]:
    values = _unpack(blob, ends)
    if any(v is None for v in values):
        raise ValueError("a missing value where a string is required")
    return cast(list[str], values)


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
            urls = _unpack(data["urls"], data["urls_ends"])
            cached = CachedIndex(
                passage_ids=data["passage_ids"].astype(np.int64, copy=False),
                passage_article=data["passage_article"].astype(np.int32, copy=False),
                starts=data["starts"].astype(np.int64, copy=False),
                heading_paths=_strings(data["heading_paths"], data["heading_paths_ends"]),
                texts=_strings(data["texts"], data["texts_ends"]),
                slugs=_strings(data["slugs"], data["slugs_ends"]),
                titles=_strings(data["titles"], data["titles_ends"]),
                urls=urls,
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
    n, articles, dim = cached.passage_ids.shape[0], len(cached.slugs), int(key["dim"])
    if (
        cached.vectors.shape != (n, dim)
        or cached.title_vectors.shape != (articles, dim)
        or cached.outline_vectors.shape != (articles, dim)
        or cached.passage_article.shape != (n,)
        or cached.starts.shape != (articles,)
        or not len(cached.texts) == len(cached.heading_paths) == n
        or not len(cached.titles) == len(cached.urls) == articles
    ):
        log.warning("ignoring inconsistent knowledge index cache", extra={"path": str(path)})
        return None
    return cached


def write_cache(path: Path, key: Mapping[str, Any], parts: CachedIndex) -> bool:
    """Write parts under key to path atomically; return False (and log) if it cannot."""
    arrays: dict[str, np.ndarray] = {
        "key": _key_bytes(key),
        "passage_ids": parts.passage_ids,
        "passage_article": parts.passage_article,
        "starts": parts.starts,
        "vectors": parts.vectors,
        "title_vectors": parts.title_vectors,
        "outline_vectors": parts.outline_vectors,
        "vocabulary": np.frombuffer("\n".join(parts.vocabulary).encode(), dtype=np.uint8),
    }
    for name in _STRING_LISTS:
        arrays[name], arrays[f"{name}_ends"] = _pack(getattr(parts, name))
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
    except (OSError, ValueError):  # ValueError: a text that cannot be written as UTF-8
        log.warning("could not write the knowledge index cache", extra={"path": str(path)})
        return False
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return True
