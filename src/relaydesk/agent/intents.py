"""Tell whether a message needs a person: an explicit request for one, frustration, or a
matter a help-center article cannot settle (fraud, a disputed charge, an account taken
over, legal threats, safety, data loss, outages, security incidents, bereavement, a
request to act on the account).

Two independent signals, combined by taking the stronger:

- **patterns**: linguistic patterns in English, Spanish, French, German and Portuguese for
  asking for a person ("speak to someone real", "pásame con un agente") and for the
  matters above ("my account was hacked", "chargeback", "passed away");
- **similarity**: the message's embedding compared with generic example phrasings of
  handoff intents and of ordinary help-center questions (``exemplars.py``). The score is the
  margin between the nearest handoff examples and the nearest ordinary questions, so a
  how-to question that merely mentions a person, an agent or a manager stays on the answer
  side.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from relaydesk.agent.exemplars import ANSWER_EXEMPLARS, HANDOFF_EXEMPLARS

if TYPE_CHECKING:
    from relaydesk.knowledge.embeddings import Embedder

log = logging.getLogger(__name__)

# --- patterns ------------------------------------------------------------------------------

_PERSON_EN = (
    r"(?:human|person|people|someone|somebody|anyone|anybody|agent|rep|representative|operator|"
    r"staff|employee|manager|supervisor|advisor|adviser|consultant|engineer|support(?: team| staff)?|"
    r"customer (?:service|support|care)|whoever (?:handles|deals with|is in charge of))"
)
_DET_EN = r"(?:(?:a|an|the|some|any|your|one of your)\s+)?(?:(?:real|live|actual|human|proper)\s+)?"

# (reason, pattern, strength). Strength 1.0: decisive on its own; 0.8: strong evidence.
_PATTERNS: tuple[tuple[str, str, float], ...] = (
    # --- asking for a person, English
    ("asked_for_person", rf"\b(?:speak|talk|chat)\w*\s+(?:to|with)\s+{_DET_EN}{_PERSON_EN}\b", 1.0),
    ("asked_for_person", r"\b(?:transfer|connect|put)\s+me\b", 1.0),
    ("asked_for_person", r"\bescalat(?:e|ed|ing)\s+(?:this|it|my|the issue|the matter|me)\b", 1.0),
    ("asked_for_person", r"^\s*(?:please\s+)?escalate\b", 1.0),
    (
        "asked_for_person",
        r"\bget\s+(?:me\s+)?(?:a|an|some|your)?\s*(?:human|person|manager|supervisor|agent|rep|representative|someone|somebody)\b(?!\s+to\s+\w)",
        1.0,
    ),
    ("asked_for_person", r"\b(?:real|live|actual)\s+(?:human|person|agent|people)\b", 1.0),
    ("asked_for_person", r"^\W*(?:human|agent|operator|representative|person)\b.{0,15}$", 1.0),
    ("asked_for_person", r"\b(?:human|agent|operator|representative)\s+please\b", 1.0),
    ("asked_for_person", r"\bnot\s+(?:a|an|to\s+a|with\s+a)\s+(?:bot|robot|machine|ai)\b", 1.0),
    ("asked_for_person", r"\b(?:automated|bot|robot|chatbot)\b.{0,40}\b(?:rather|instead)\b", 0.8),
    ("asked_for_person", r"\b(?:rather|instead)\b.{0,40}\b(?:automated|bot|robot|chatbot)\b", 0.8),
    (
        "asked_for_person",
        r"\b(?:on|over)\s+the\s+phone\b|\bphone\s+(?:number|call)\b|\bcall\s+me\b",
        0.8,
    ),
    ("asked_for_person", r"\bwho(?:ever)?\s+(?:handles|deals with|is in charge of)\b", 0.8),
    (
        "asked_for_person",
        r"\b(?:need|want|get)\s+(?:someone|somebody|a\s+person|a\s+human|an?\s+(?:agent|engineer|developer|technician|specialist|expert))\s+(?:to\s+(?:look|check|review|investigate|fix|help|call|contact)|on\s+(?:this|it)|now)\b",
        1.0,
    ),
    # --- frustration, English
    ("frustrated", r"\buseless\b", 1.0),
    (
        "frustrated",
        r"\b(?:not|isn'?t|aren'?t|wasn'?t|doesn'?t|don'?t|didn'?t|never)\s+(?:\w+\s+)?help(?:ing|ful|s)?\b(?!\s+(?:me\s+)?(?:to\s+)?(?:find|with|understand))",
        0.8,
    ),
    ("frustrated", r"\bwaste\s+of\s+(?:my\s+)?time\b|\bgoing\s+in\s+circles\b", 1.0),
    ("frustrated", r"\b(?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth|umpteenth)\s+time\b", 0.8),
    (
        "frustrated",
        r"\b(?:asked|explained|told you)\b.{0,30}\b(?:three|3|several|many|multiple)\s+times\b",
        0.8,
    ),
    (
        "steps_exhausted",
        r"\bnone\s+of\s+(?:that|this|these|those|it)\s+(?:worked|works|helped|helps)\b",
        0.9,
    ),
    # --- matters that need a person, English
    (
        "legal",
        r"\bcharge\s*-?\s*backs?\b|\blawyers?\b|\battorneys?\b|\blegal\s+action\b|\bsu(?:e|ing)\s+(?:you|your)\b",
        1.0,
    ),
    ("legal", r"\bformal\s+(?:complaint|demand|request|notice)\b|\bfile\s+a\s+complaint\b", 1.0),
    (
        "fraud",
        r"\bfraud(?:ulent)?\b|\bunauthori[sz]ed\s+(?:charge|payment|transaction|purchase)s?\b",
        1.0,
    ),
    (
        "account_compromised",
        r"\b(?:my|our)\s+(?:\w+\s+)?account\s+(?:was|got|has\s+been|have\s+been|is|been)\s+(?:hacked|compromised|taken\s+over|stolen|suspended|banned|disabled|deactivated|frozen)\b",
        1.0,
    ),
    ("account_compromised", r"\b(?:hacked|hijacked)\b", 0.9),
    ("security_incident", r"\bdata\s+breach\b|\bsecurity\s+(?:team|incident|breach)\b", 1.0),
    ("bereavement", r"\bpassed\s+away\b|\b(?:died|deceased)\b", 1.0),
    (
        "outage",
        r"\b(?:for|affects?|affecting)\s+(?:everyone|everybody|all\s+(?:of\s+)?(?:us|our\s+users))\b",
        0.8,
    ),
    (
        "billing_dispute",
        r"\b(?:double|twice|two\s+(?:identical\s+)?)\s*(?:charged?|charges|billed|billing)\b",
        0.9,
    ),
    ("billing_dispute", r"\b(?:overcharged|charged\s+(?:me|us)\s+twice)\b", 0.9),
    ("data_loss", r"\bwiped\s+(?:out|away)?\b", 0.8),
    (
        "data_loss",
        r"\b(?:your|the)\s+(?:app|update|upgrade|system|import|sync|bug|migration|software)\s+(?:has\s+)?(?:deleted|erased|destroyed|lost|removed|corrupted)\s+(?:all|every|my|our|thousands|hundreds)\b",
        1.0,
    ),
    (
        "account_compromised",
        r"\bsomeone\s+(?:else\s+)?(?:has\s+)?(?:changed|logged\s+into|accessed|is\s+using|used|took\s+over|got\s+into)\s+(?:my|our)\b",
        1.0,
    ),
    (
        "asked_for_person",
        r"\b(?:is|are)\s+there\s+(?:a|an|any)?\s*(?:real\s+)?(?:person|human|someone|somebody|anyone|anybody|people|agent|rep)\b"
        r"(?!\s*(?:field|column|option|setting|filter|property|role|type|picker|tag|view)s?\b)",
        1.0,
    ),
    (
        "asked_for_person",
        r"\b(?:speak|talk|chat)\w*\s+(?:to|with)\s+(?:your\s+|the\s+)?(?:sales|billing|accounts?)\b",
        1.0,
    ),
    (
        "billing_dispute",
        r"\b(?:invoice|bill|charge|receipt)\b.{0,30}\b(?:is|was)\s+(?:wrong|incorrect)\b",
        0.8,
    ),
    (
        "legal",
        r"\bdisput\w*\s+(?:this|it|the\s+(?:charge|payment|transaction))?\s*with\s+(?:my|the)\s+(?:bank|card\s+issuer|credit\s+card\s+company)\b|\breport\w*\s+(?:this|it|you)\s+to\s+my\s+bank\b",
        1.0,
    ),
    (
        "fraud",
        r"\b(?:i|we)\s+(?:didn'?t|did\s+not|never)\s+(?:do|did|order(?:ed)?|make|made|place(?:d)?|buy|bought|authori[sz]ed?|approved?)\s+(?:this|that|it|these|those|them|any)\b|\bwasn'?t\s+me\b",
        0.9,
    ),
    (
        "account_compromised",
        r"\b(?:someone|somebody)\b.{0,40}\b(?:with|on|from|into)\s+(?:my|our)\s+(?:account|card|login)\b",
        0.9,
    ),
    (
        "safety",
        r"\b(?:burn(?:ed|t)|cut|injured|hurt|shocked)\s+(?:my|me|him|her|them|our|us)\b|\b(?:caught|catches|catching)\s+fire\b|\bsparked\b|\bexploded\b|\belectric(?:al)?\s+shock\b|\b(?:went|go|taken)\s+to\s+(?:the\s+)?hospital\b|\ballergic\s+reaction\b|\binjur(?:y|ies|ed)\b",
        1.0,
    ),
    # --- Spanish
    (
        "asked_for_person",
        r"\bhablar\s+con\s+(?:una?\s+)?(?:persona|humano|alguien|agente|asesor|representante|operador|encargado|responsable)",
        1.0,
    ),
    ("asked_for_person", r"\b(?:p[aá]same|comun[ií]came|ponme|transfi[ée]reme)\s+con\b", 1.0),
    (
        "frustrated",
        r"\bno\s+me\s+(?:est[aá]s?\s+)?(?:ayuda|ayudas|ayudando|sirve)\b|\bin[uú]til\b",
        1.0,
    ),
    ("legal", r"\babogad[oa]s?\b|\bdenuncia\b|\breclamaci[oó]n\s+formal\b", 1.0),
    ("bereavement", r"\bfalleci[oó]\b|\bmuri[oó]\b", 1.0),
    (
        "outage",
        r"\bno\s+funciona\s+(?:para\s+nadie|nada)\b|\best[aá]\s+ca[ií]d[oa]\b|\bnada\s+funciona\b",
        1.0,
    ),
    (
        "account_compromised",
        r"\balguien\s+(?:ha\s+)?(?:cambi[oó]|entr[oó]|us[oó]|accedi[oó]|cambiado|entrado)\b|\bhacke(?:aron|ada|ado)\b",
        1.0,
    ),
    (
        "billing_dispute",
        r"\b(?:factura|cobro|cargo)\b.{0,30}\b(?:incorrect[oa]|equivocad[oa]|mal)\b",
        0.8,
    ),
    # --- French
    ("asked_for_person", r"\bparler\s+(?:à|a|avec)\s+(?:un|une|quelqu'un|quelqu’un|des)\b", 1.0),
    (
        "asked_for_person",
        r"\b(?:conseill[eè]re?|agent humain|vraie personne|pas\s+(?:à|a)\s+un\s+robot)\b",
        1.0,
    ),
    ("frustrated", r"\bne\s+m'aide\s+pas\b|\bne\s+sert\s+à\s+rien\b|\binutile\b", 1.0),
    ("legal", r"\bavocats?\b|\bporter\s+plainte\b|\bplainte\s+formelle\b", 1.0),
    ("bereavement", r"\bd[ée]c[ée]d[ée]e?\b", 1.0),
    (
        "outage",
        r"\bne\s+(?:fonctionne|marche)\s+(?:plus\s+)?pour\s+personne\b|\brien\s+ne\s+(?:marche|fonctionne)\b|\ben\s+panne\b",
        1.0,
    ),
    (
        "account_compromised",
        r"\bquelqu['’]un\s+a\s+(?:chang[ée]|modifi[ée]|utilis[ée]|acc[ée]d[ée])\b|\bpirat[ée]e?\b",
        1.0,
    ),
    ("billing_dispute", r"\bfacture\b.{0,30}\b(?:fausse|erron[ée]e|incorrecte)\b", 0.8),
    # --- German
    (
        "asked_for_person",
        r"\bmit\s+(?:einem|einer|jemandem)\s*(?:\w+\s+)?(?:Menschen|Mitarbeiter\w*|Berater\w*|Person|Agenten|Support\w*|Kundendienst\w*)?\b.{0,20}\b(?:sprechen|reden|telefonieren|verbinden)\b",
        1.0,
    ),
    ("asked_for_person", r"\bverbinden\s+Sie\s+mich\b|\bechte[nr]?\s+Menschen?\b", 1.0),
    ("frustrated", r"\bhilft\s+(?:mir\s+)?(?:überhaupt\s+|gar\s+)?nicht\b|\bnutzlos\b", 1.0),
    ("legal", r"\bAnwalt\b|\bAnwälte\b|\brechtliche\s+Schritte\b", 1.0),
    ("bereavement", r"\bverstorben\b|\bgestorben\b", 1.0),
    (
        "outage",
        r"\bfunktioniert\s+(?:bei\s+niemandem|gar\s+nichts|nichts\s+mehr)\b|\bist\s+(?:down|ausgefallen)\b",
        1.0,
    ),
    ("account_compromised", r"\bjemand\s+hat\s+(?:mein|meine|unser|unsere)\b|\bgehackt\b", 1.0),
    ("billing_dispute", r"\bRechnung\b.{0,30}\b(?:falsch|fehlerhaft)\b|\bGeld\s+zur[üu]ck\b", 0.8),
    # --- Portuguese
    ("asked_for_person", r"\bfalar\s+com\s+(?:um|uma|algu[ée]m|o|a)\b", 1.0),
    ("asked_for_person", r"\b(?:atendente|pessoa\s+de\s+verdade|me\s+transfir\w*)\b", 1.0),
    ("frustrated", r"\bn[aã]o\s+(?:est[aá]\s+)?(?:me\s+)?ajuda(?:ndo)?\b", 1.0),
    ("legal", r"\badvogad[oa]s?\b|\ba[cç][aã]o\s+judicial\b", 1.0),
    ("bereavement", r"\bfaleceu\b|\bmorreu\b", 1.0),
    (
        "outage",
        r"\bn[aã]o\s+funciona\s+para\s+ningu[ée]m\b|\bfora\s+do\s+ar\b|\bnada\s+funciona\b",
        1.0,
    ),
    (
        "account_compromised",
        r"\balgu[ée]m\s+(?:mudou|trocou|entrou|acessou|usou)\b|\b(?:invadid|hackead)[ao]\b",
        1.0,
    ),
    ("billing_dispute", r"\bfatura\b.{0,30}\b(?:errada|incorreta)\b", 0.8),
)

_COMPILED = tuple((reason, re.compile(p, re.IGNORECASE), s) for reason, p, s in _PATTERNS)

# A how-to question about the product ("how do I get a manager to approve…") is not a
# request for a person even when it names one.
_HOW_TO = re.compile(
    r"^\s*(?:hi[,!]?\s+|hey[,!]?\s+|hello[,!]?\s+)?(?:how\s+(?:do|can|could|should)\s+(?:i|we|you|my|our)|"
    r"can\s+(?:i|we)\s+(?:add|assign|set|make|create|give|invite|let|use|see|change|get\s+\w+\s+to)|"
    r"is\s+there\s+a\s+way|where\s+(?:do|can)\s+(?:i|we))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class IntentSignal:
    """How strongly a message needs a person, and why."""

    score: float  # 0..1
    reason: str  # a category code such as "asked_for_person", or "" when none
    pattern: float  # the pattern layer's strength (0 when no pattern matched)
    similarity: float  # the similarity layer's margin-based score (0..1)

    @property
    def needs_person(self) -> bool:
        """Tell whether the signal alone is enough to hand off."""
        return self.score >= 0.5


# A specific document (invoice, order, charge…) named by its number, together with a
# complaint about it, is a dispute a person must look at.
_SPECIFIC_REFERENCE = re.compile(
    r"\b(?:invoice|order|receipt|transaction|payment|charge|bill|booking|subscription|factura|facture|pedido|commande|Rechnung|Bestellung)"
    r"\s*(?:#|no\.?|nr\.?|number|n[ºo°])?\s*:?\s*#?[A-Z]{0,5}[-_]?\d{3,}\b",
    re.IGNORECASE,
)
_COMPLAINT = re.compile(
    r"\b(?:wrong|incorrect|rejected|denied|refused|not\s+right|isn'?t\s+right|unfair|overcharged|"
    r"charged|refund\w*|reverse\w*|dispute\w*|never\s+(?:received|arrived|ordered)|mistake|error)\b",
    re.IGNORECASE,
)


# Asking how to reach the company's people is asking for a person, even as a how-to.
_CONTACT_US = re.compile(
    r"\b(?:contact|reach|call|phone|email|e-mail)\s+(?:your\s+|the\s+)?(?:support|customer\s+(?:service|support|care)|help\s*desk|you\b|your\s+(?:team|staff|company))",
    re.IGNORECASE,
)


def match_patterns(text: str) -> tuple[float, str]:
    """Return the strongest matching pattern's strength and reason, or (0, "")."""
    best, reason = 0.0, ""
    if _SPECIFIC_REFERENCE.search(text) and _COMPLAINT.search(text):
        best, reason = 1.0, "billing_dispute"
    if _CONTACT_US.search(text):
        best, reason = 1.0, "asked_for_person"
    how_to = bool(_HOW_TO.search(text))
    for code, pattern, strength in _COMPILED:
        if pattern.search(text):
            value = strength
            if how_to and (code in ("asked_for_person", "frustrated") or strength < 1.0):
                value *= 0.5  # "how do I get a manager to sign off" is a product question
            if value > best:
                best, reason = value, code
    return best, reason


# --- similarity ----------------------------------------------------------------------------

_TOP_K = 2
# Margins between the nearest handoff examples and the nearest ordinary questions, mapped to
# 0..1: at _MARGIN_LOW and below, nothing; at _MARGIN_HIGH and above, certain.
_MARGIN_LOW = 0.05
_MARGIN_HIGH = 0.2
# The nearest handoff examples' mean similarity, mapped the same way.
_LEVEL_LOW = 0.4
_LEVEL_HIGH = 0.55


class HandoffDetector:
    """Scores messages for handoff intent with patterns and example similarity."""

    def __init__(self, embedder: Embedder, *, cache_dir: Path | None = None) -> None:
        self._embedder = embedder
        self._labels = [reason for reason, examples in HANDOFF_EXEMPLARS.items() for _ in examples]
        self._n_handoff = len(self._labels)
        vectors = _cached_embeddings(embedder, exemplar_texts(), cache_dir)
        self._handoff = vectors[: self._n_handoff]
        self._answer = vectors[self._n_handoff :]

    def similarity(self, vector: np.ndarray) -> tuple[float, str, float, float]:
        """Return (score 0..1, nearest handoff reason, handoff sim, answer sim) for a vector."""
        h = self._handoff @ vector
        a = self._answer @ vector
        top_h = np.sort(h)[-_TOP_K:]
        top_a = np.sort(a)[-_TOP_K:]
        s_h, s_a = float(top_h.mean()), float(top_a.mean())
        margin = s_h - s_a
        # Both must hold: closer to a handoff example than to any ordinary question, and
        # close enough to that example in absolute terms to mean the same thing.
        by_margin = (margin - _MARGIN_LOW) / (_MARGIN_HIGH - _MARGIN_LOW)
        by_level = (s_h - _LEVEL_LOW) / (_LEVEL_HIGH - _LEVEL_LOW)
        score = _clip(by_margin) * _clip(by_level)
        return score, self._labels[int(np.argmax(h))], s_h, s_a

    def assess(self, text: str, vector: np.ndarray) -> IntentSignal:
        """Return the handoff signal of text, whose embedding is vector."""
        pattern, reason = match_patterns(text)
        sim_score, sim_reason, _, _ = self.similarity(vector)
        if sim_score > pattern:
            return IntentSignal(sim_score, sim_reason, pattern, sim_score)
        return IntentSignal(pattern, reason, pattern, sim_score)


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))


_EMBED_LOCK = threading.Lock()


#: Example vectors shipped with the package (for the default model), so a fresh data dir
#: does not spend seconds embedding the examples before its first answer.
PACKAGED_VECTORS = Path(__file__).parent / "data"


def exemplar_texts() -> list[str]:
    """Return every example text, handoff examples first, in a stable order."""
    texts = [example for examples in HANDOFF_EXEMPLARS.values() for example in examples]
    return texts + list(ANSWER_EXEMPLARS)


def vectors_file_name(embedder_name: str, texts: list[str]) -> str:
    """Return the cache file name for the vectors of texts under an embedder."""
    digest = hashlib.sha256("\n".join([embedder_name, *texts]).encode("utf-8")).hexdigest()[:16]
    return f"intents-{digest}.npy"


def write_packaged_vectors(embedder: Embedder) -> Path:
    """Embed the examples and store them (float16) with the package; return the file."""
    texts = exemplar_texts()
    PACKAGED_VECTORS.mkdir(exist_ok=True)
    for old in PACKAGED_VECTORS.glob("intents-*.npy"):
        old.unlink()
    path = PACKAGED_VECTORS / vectors_file_name(embedder.name, texts)
    np.save(path, embedder.embed(texts).astype(np.float16))
    return path


def _cached_embeddings(embedder: Embedder, texts: list[str], cache_dir: Path | None) -> np.ndarray:
    """Embed texts, reusing the packaged vectors or a cache file keyed by embedder and texts."""
    name = vectors_file_name(embedder.name, texts)
    packaged = PACKAGED_VECTORS / name
    if packaged.is_file():
        shipped: np.ndarray = np.load(packaged).astype(np.float32)
        if shipped.shape == (len(texts), embedder.dim):
            norms = np.linalg.norm(shipped, axis=1, keepdims=True)
            unit: np.ndarray = (shipped / np.maximum(norms, 1e-12)).astype(np.float32)
            return unit
    path = cache_dir / name if cache_dir is not None else None
    if path is not None and path.is_file():
        try:
            cached: np.ndarray = np.load(path).astype(np.float32, copy=False)
            if cached.shape == (len(texts), embedder.dim):
                return cached
        except (OSError, ValueError):
            log.warning("ignoring unreadable intent cache", extra={"path": str(path)})
    with _EMBED_LOCK:
        vectors = embedder.embed(texts)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, vectors)
            tmp.replace(path)
        except OSError:
            log.warning("could not write intent cache", extra={"path": str(path)})
    return vectors
