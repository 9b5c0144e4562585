"""py3langid's language model, held as a table of byte n-grams instead of its automaton.

py3langid finds its features (byte strings of 1-6 bytes) with an Aho-Corasick automaton
stored as a full transition table: 38,000 rows of 256 next states, 39 MB for the life of
the process (49 MB with its Python lists), most of it for scripts a help desk never sees.
Each state of that automaton is a byte string (the path from the start), and after each
byte of the text the automaton sits in the state whose string is the longest suffix of the
text so far. So a sorted table of the states' strings, with the feature each emits, gives
the same walk: after each byte, look up the text's last 6, 5, ... bytes (never more than
one byte longer than the last match) and take the first that is a state. The strings are
packed in integers (bytes, then length) and all of a text's n-grams are looked up at once
with ``numpy.searchsorted``: 1.3 MB instead of 49, the same feature counts in the same
order, so the same scores to the last bit (``tests/agent/test_language_model.py`` compares
both on every text of the evaluation sets).

The scoring after the walk is py3langid's, for its ``norm_probs=True`` mode.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

#: The longest state string (bytes) of py3langid 0.4's model is 6; keys hold up to 7.
_MAX_STATE_BYTES = 7


class NgramLanguageModel:
    """py3langid's naive Bayes classifier restricted to some languages, walked by n-grams."""

    def __init__(
        self,
        states: StateTable,
        weights: np.ndarray,
        priors: np.ndarray,
        languages: Sequence[str],
    ) -> None:
        self._states = states
        self._weights = weights
        self._priors = priors
        self.languages = list(languages)

    @classmethod
    def load(cls, languages: Sequence[str]) -> NgramLanguageModel:
        """Load py3langid's packaged model restricted to languages (ISO 639-1 codes)."""
        from py3langid.langid import MODEL_DIR, MODEL_FILE  # type: ignore[import-untyped]
        from py3langid.modelio import load_model  # type: ignore[import-untyped]

        ptc, pc, classes, nextmove, rows, outputs = load_model(MODEL_DIR / MODEL_FILE)
        unknown = set(languages) - set(classes)
        if unknown:
            raise ValueError(f"py3langid has no model for {sorted(unknown)}")
        columns = [i for i, code in enumerate(classes) if code in set(languages)]
        table = np.frombuffer(nextmove, dtype=f"u{nextmove.itemsize}").reshape(-1, 256)
        row_of = np.frombuffer(rows, dtype=f"u{rows.itemsize}")
        return cls(
            state_table(table, row_of, np.asarray(outputs, dtype=np.int32)),
            np.ascontiguousarray(ptc[:, columns]),
            np.ascontiguousarray(pc[columns]),
            [classes[i] for i in columns],
        )

    def features(self, data: bytes) -> Counter[int] | None:
        """Return how often each feature occurs in data, in order of first occurrence."""
        # emitted[n - 1][end]: what the state spelt by data[end - n + 1 : end + 1] emits,
        # NOT_A_STATE when no state is spelt so.
        emitted = self._states.lookup(data)
        found: list[int] = []
        last = 0  # length of the state after the previous byte
        for end in range(len(data)):
            length = min(last + 1, len(emitted), end + 1)
            while length:
                feature = emitted[length - 1][end]
                if feature != NOT_A_STATE:
                    if feature >= 0:
                        found.append(feature)
                    break
                length -= 1
            last = length
        return Counter(found) if found else None

    def classify(self, text: str) -> tuple[str, float]:
        """Return (language, probability) for text, as py3langid's ``classify`` does."""
        scores = self._probabilities(_encode(text))
        best = int(scores.argmax())
        return self.languages[best], float(scores[best])

    def _probabilities(self, data: bytes) -> Any:
        visits = self.features(data)
        if visits:
            idx = np.fromiter(visits.keys(), dtype=np.intp, count=len(visits))
            counts = np.fromiter(visits.values(), dtype=np.float32, count=len(visits))
            scores = np.log1p(counts) @ self._weights[idx] + self._priors
        else:
            scores = np.full(len(self.languages), 0.0, dtype=np.float32)
        # The temperature sqrt(bytes) keeps the softmax calibrated across lengths.
        scores *= 1.0 / math.sqrt(len(data) or 1)
        np.exp(scores - scores.max(), out=scores)
        scores /= scores.sum()
        return scores


#: What ``StateTable.lookup`` gives for a byte string that is no state.
NOT_A_STATE = -2


class StateTable:
    """The automaton's states as sorted integer keys (the string's bytes, then its length)."""

    def __init__(self, keys: np.ndarray, emits: np.ndarray, longest: int) -> None:
        order = np.argsort(keys)
        self._keys = keys[order]
        self._emits = emits[order]
        self.longest = longest

    @classmethod
    def of(cls, strings: dict[bytes, int]) -> StateTable:
        """Build the table from {state's string: feature it emits, or -1}."""
        keys = np.array([_key(s) for s in strings], dtype=np.uint64)
        emits = np.array(list(strings.values()), dtype=np.int32)
        return cls(keys, emits, max(map(len, strings), default=0))

    def lookup(self, data: bytes) -> list[list[int]]:
        """Return, for n = 1..longest (at most len(data)), what data[end - n + 1 : end + 1]
        emits for each end: a feature, -1 (none) or ``NOT_A_STATE``."""
        text = np.frombuffer(data, dtype=np.uint8).astype(np.uint64)
        count = min(self.longest, len(text))
        keys = np.empty((count, len(text)), dtype=np.uint64)
        value = np.zeros(len(text), dtype=np.uint64)
        for n in range(1, count + 1):
            # value[end] = the n bytes ending at end, big-endian (where there are n of them;
            # the first n - 1 ends are never read).
            value[n - 1 :] += text[: len(text) - n + 1] << np.uint64(8 * (n - 1))
            np.bitwise_or(value << np.uint64(3), np.uint64(n), out=keys[n - 1])
        flat = keys.ravel()
        at = np.searchsorted(self._keys, flat)
        np.minimum(at, len(self._keys) - 1, out=at)
        emitted = np.where(self._keys[at] == flat, self._emits[at], NOT_A_STATE)
        rows: list[list[int]] = emitted.reshape(count, len(text)).tolist()
        return rows

    def as_dict(self) -> dict[bytes, int]:
        """Return {state's string: feature it emits} (for tests)."""
        out = {}
        for key, emit in zip(self._keys.tolist(), self._emits.tolist(), strict=True):
            length = key & 7
            out[(key >> 3).to_bytes(length, "big")] = emit
        return out


def _key(string: bytes) -> int:
    return int.from_bytes(string, "big") << 3 | len(string)


def state_table(table: np.ndarray, row_of: np.ndarray, outputs: np.ndarray) -> StateTable:
    """Return the automaton's states (all but the start) with the feature each emits.

    A breadth-first walk from the start state: a state first reached at depth d is reached
    by its own string (a transition adds at most one byte to the matched suffix), so its
    string is its parent's plus the byte.
    """
    count = len(row_of)
    depth = np.full(count, -1, dtype=np.int16)
    value = np.zeros(count, dtype=np.uint64)  # the string's bytes, big-endian
    depth[0] = 0
    frontier = np.array([0], dtype=np.int64)
    level = 0
    while len(frontier):
        level += 1
        targets = table[row_of[frontier]]
        src, byte = np.nonzero(depth[targets] == -1)
        new, first = np.unique(targets[src, byte], return_index=True)
        if len(new) and level > _MAX_STATE_BYTES:
            raise ValueError("py3langid's automaton has states longer than expected")
        depth[new] = level
        value[new] = (value[frontier[src[first]]] << np.uint64(8)) | byte[first].astype(np.uint64)
        frontier = new.astype(np.int64)
    if (depth < 0).any():
        raise ValueError("py3langid's automaton has states its start cannot reach")
    keys = (value[1:] << np.uint64(3)) | depth[1:].astype(np.uint64)
    return StateTable(keys, outputs[1:].astype(np.int32), int(depth.max()))


def _encode(text: str) -> bytes:
    """Return text as py3langid reads it: all-capitals lowered, NFC, UTF-8."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")
