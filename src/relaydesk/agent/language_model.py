"""py3langid's language model, held as a table of byte n-grams instead of its automaton.

py3langid finds its features (byte strings of 1-6 bytes) with an Aho-Corasick automaton
stored as a full transition table: 38,000 rows of 256 next states, 39 MB for the life of
the process, most of it for scripts a help desk never sees. Each state of that automaton
is a byte string (the path from the start), and after each byte of the text the automaton
sits in the state whose string is the longest suffix of the text so far. So a dictionary
from each state's string to the feature it emits gives the same walk: after each byte, look
up the text's last 6, 5, ... bytes (never more than one byte longer than the last match)
and take the first that is a state. That is ~12 MB instead of ~49 MB, the same feature
counts in the same order, so the same scores to the last bit
(``tests/agent/test_language_model.py`` compares both on every text of the evaluation sets).

The scoring after the walk is py3langid's, for its ``norm_probs=True`` mode.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

#: The longest state string (bytes) of py3langid 0.4's model: 6.
_MAX_STATE_BYTES = 8


class NgramLanguageModel:
    """py3langid's naive Bayes classifier restricted to some languages, walked by n-grams."""

    def __init__(
        self,
        states: dict[bytes, int],
        weights: np.ndarray,
        priors: np.ndarray,
        languages: Sequence[str],
    ) -> None:
        self._states = states
        self._longest = max(map(len, states), default=0)
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
        states = state_strings(table, row_of, outputs)
        return cls(
            states,
            np.ascontiguousarray(ptc[:, columns]),
            np.ascontiguousarray(pc[columns]),
            [classes[i] for i in columns],
        )

    def features(self, data: bytes) -> Counter[int] | None:
        """Return how often each feature occurs in data, in order of first occurrence."""
        states = self._states
        found: list[int] = []
        last = 0  # length of the state after the previous byte
        for end in range(1, len(data) + 1):
            length = min(last + 1, self._longest, end)
            while length:
                feature = states.get(data[end - length : end])
                if feature is not None:
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


def state_strings(
    table: np.ndarray, row_of: np.ndarray, outputs: Sequence[int]
) -> dict[bytes, int]:
    """Return {state's byte string: feature it emits, or -1} for the automaton's states.

    A breadth-first walk from the start state: a state first reached at depth d is reached
    by its own string (a transition adds at most one byte to the matched suffix), so its
    string is its parent's plus the byte.
    """
    count = len(row_of)
    depth = np.full(count, -1, dtype=np.int16)
    parent = np.zeros(count, dtype=np.int64)
    last_byte = np.zeros(count, dtype=np.uint8)
    depth[0] = 0
    frontier = np.array([0], dtype=np.int64)
    level = 0
    order: list[np.ndarray] = []
    while len(frontier):
        level += 1
        if level > _MAX_STATE_BYTES:
            raise ValueError("py3langid's automaton has states longer than expected")
        targets = table[row_of[frontier]]
        src, byte = np.nonzero(depth[targets] == -1)
        new, first = np.unique(targets[src, byte], return_index=True)
        depth[new] = level
        parent[new] = frontier[src[first]]
        last_byte[new] = byte[first]
        order.append(new)
        frontier = new.astype(np.int64)
    if (depth < 0).any():
        raise ValueError("py3langid's automaton has states its start cannot reach")
    strings: list[bytes] = [b""] * count
    parents = parent.tolist()
    ends = [bytes((b,)) for b in range(256)]
    byte_of = last_byte.tolist()
    for new in order:
        for state in new.tolist():
            strings[state] = strings[parents[state]] + ends[byte_of[state]]
    return dict(zip(strings[1:], outputs[1:], strict=True))


def _encode(text: str) -> bytes:
    """Return text as py3langid reads it: all-capitals lowered, NFC, UTF-8."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")
