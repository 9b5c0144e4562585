"""Tell whether a message needs a person: an explicit request for one, frustration, or a
matter a help-center article cannot settle (fraud, a disputed charge, an account taken
over, legal threats, safety, data loss, outages, security incidents, bereavement, a
request to act on the account, a call back or a sales demo, an accessibility barrier,
money held, a contested refusal, a wrong bill, a bug that reached the customer's own
customers).

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
    # --- being called back: "ring me back", "give us a call", "can someone phone me today"
    (
        "asked_for_person",
        r"\b(?:call|ring|phone)\s+(?:me|us)\s+(?:back|today|tomorrow|asap|now|as\s+soon|please|when|on|at|about|this)\b"
        r"|\bgive\s+(?:me|us)\s+a\s+(?:quick\s+)?(?:call|ring|bell|phone\s+call)\b"
        r"|\b(?:someone|somebody|anyone|anybody)\s+(?:\w+\s+){0,3}(?:call|ring|phone)\s+(?:me|us)\b"
        r"|\b(?:request|arrange|schedule|book|get|want|like|need)\s+(?:a\s+)?(?:call\s*-?\s*back|phone\s+call|return\s+call)\b"
        r"|\b(?:could|can|would|will|please)\s+(?:you\s+)?(?:please\s+)?(?:call|ring|phone)\s+(?:me|us)\b",
        1.0,
    ),
    # --- a sales call, a demo or a meeting with the company before buying
    (
        "asked_for_person",
        r"\b(?:call|meeting|demo|chat|talk|conversation|session|word)\s+with\s+(?:your|a|an|the|one\s+of\s+your|someone\s+(?:from|on|in))\s+"
        r"(?:\w+\s+)?(?:sales|account\s+(?:manager|executive|rep)|solutions?\s+(?:engineer|consultant)|product\s+(?:specialist|expert)|specialist|consultant)\b"
        r"(?!\s+(?:leads?|pipelines?|reports?|data|deals?|figures|numbers|calls?|targets?|stages?|prospects?)\b)",
        1.0,
    ),
    (
        "asked_for_person",
        r"\b(?:book|schedule|arrange|set\s+up|organi[sz]e|request|get|see|want|like|need|have)\s+(?:a|an|some|the)?\s*"
        r"(?:quick\s+|short\s+|live\s+|personal(?:i[sz]ed)?\s+|guided\s+|product\s+|sales\s+)?(?:demo|demonstration|walk-?\s?through|sales\s+call|discovery\s+call)\b"
        r"(?!\s*(?:video|account|mode|data|workspace|project|site|store|page|template)s?\b)",
        0.9,
    ),
    (
        "asked_for_person",
        r"\b(?:sales\s+(?:team|rep|person|people|department)|account\s+(?:manager|executive))\b.{0,60}\b(?:call|contact|reach|meet|ring|phone|email|get\s+in\s+touch)\b"
        r"|\b(?:call|contact|reach|meet(?:ing)?|ring|phone|hear\s+from|get\s+in\s+touch\s+with|talk\s+to|speak\s+(?:to|with)|chat\s+with|demo\s+with)\b"
        r"(?:(?!\b(?:our|my)\b).){0,30}\b(?:sales(?:\s+(?:team|rep|person|people|department))?|account\s+(?:manager|executive))\b(?!\s+(?:leads?|pipelines?|reports?|data|deals?|figures|numbers|calls?|targets?|stages?)\b)",
        0.9,
    ),
    # --- a request that was refused and is contested ("my claim was rejected, that's unfair")
    (
        "appeal",
        r"\b(?:my|our|the|this)\s+(?:\w+\s+){0,2}(?:refund|claim|appeal|warranty|return|reimbursement|compensation|request|application|dispute|exchange|cancellation|complaint)s?\b"
        r".{0,40}\b(?:rejected|denied|refused|declined|turned\s+down|not\s+approved)\b"
        r"|\b(?:you|they|your\s+\w+)\s+(?:have\s+|just\s+)?(?:rejected|denied|refused|declined|turned\s+down)\s+(?:my|our)\b",
        0.9,
    ),
    # --- money held or an account restricted by the company
    (
        "funds_held",
        r"\b(?:my|our|the)\s+(?:\w+\s+)?(?:payouts?|funds|money|payments?|balance|earnings|withdrawals?|transfers?|deposits?|settlements?|disbursements?)\b"
        r".{0,50}\b(?:(?:on|under)\s+hold|held|frozen|withheld|blocked|suspended|paused|under\s+review|pending\s+review|restricted|not\s+(?:been\s+)?released)\b"
        r"|\b(?:froze|frozen|withheld|withholding|holding|blocked|restricted|suspended|paused|limited)\s+(?:my|our)\s+(?:\w+\s+)?"
        r"(?:account|funds|money|payouts?|payments?|balance|earnings|deposit|wallet|withdrawals?)\b"
        r"|\b(?:you|they|your\s+\w+)\s+(?:have\s+)?(?:frozen|froze|held|withheld|blocked|restricted|limited|put\s+a\s+hold\s+on|are\s+holding|are\s+withholding)\s+(?:my|our)\b"
        r"|\b(?:my|our|the)\s+(?:\w+\s+)?account\s+(?:is\s+|was\s+|has\s+been\s+|got\s+|been\s+|still\s+)?(?:restricted|limited|on\s+hold|under\s+review)\b"
        r"|\b(?:my|our)\s+(?:\w+\s+)?(?:payouts?|funds|money|balance|earnings|withdrawals?)\s+(?:is|are|has\s+been|have\s+been)\s+(?:still\s+)?stuck\b",
        0.9,
    ),
    # --- charged the wrong amount or plan
    (
        "billing_dispute",
        r"\b(?:billed|charged|invoiced)\b.{0,50}\b(?:but|even\s+though|although|when|while)\s+(?:i'?m|we'?re|i\s+am|we\s+are|i\s+was|we\s+were|i|we)\s+"
        r"(?:\w+\s+)?(?:on|only|still|just|have|had|never|already|downgraded|cancel+ed|switched|moved|use|paid|agreed)\b"
        r"|\brefund\s+(?:me\s+|us\s+)?the\s+difference\b|\bover-?billed\b"
        r"|\b(?:i'?m|we'?re|i\s+am|we\s+are)\s+(?:only\s+|still\s+)?on\s+(?:the\s+|a\s+)?\w+\s+(?:plan|tier|package|subscription|tariff)\b.{0,30}\b(?:but|yet)\b.{0,30}\b(?:invoice|bill|charge|statement|receipt|you)\b"
        r"|\b(?:billed|charged|invoiced)\b.{0,40}\b(?:i|we)\s+(?:already\s+|had\s+)?(?:cancel+ed|closed|ended|stopped|downgraded|returned)\b"
        r"|\b(?:invoice|bill|charge|billed|charged|invoiced|statement)\b.{0,60}\b(?:i|we)\s+(?:never|didn'?t|did\s+not|haven'?t|have\s+not)\s+"
        r"(?:upgrade|upgraded|subscribe|subscribed|sign\s+up|signed\s+up|agree|agreed|ask|asked|order|ordered|add|added|buy|bought|use|used)\b"
        r"|\b(?:billed|charged|invoiced)\s+(?:me|us)?\s*(?:for\s+)?(?:the\s+)?(?:wrong|incorrect)\s+(?:amount|plan|price|tier|rate|number)\b"
        r"|\b(?:wrong|incorrect)\s+(?:amount|plan|price|tier|rate|number\s+of\s+(?:seats|users|licen[cs]es))\b.{0,40}\b(?:billed|charged|invoiced|bill|invoice|charge)\b"
        r"|\b(?:billed|charged|invoiced)\b.{0,30}\b(?:wrong|incorrect)\s+(?:amount|plan|price|tier|rate)\b",
        0.9,
    ),
    (
        "billing_dispute",
        r"\b(?:you|they)(?:'ve|\s+have|\s+just)?\s+(?:billed|charged|invoiced|debited|took)\s+(?:me|us)\s+(?:\$|€|£|\d|for\s+(?:the\s+)?(?:\w+\s+)?(?:plan|tier|seats?|users?|months?|year|something|things?))",
        0.9,
    ),
    # --- data that vanished after the product's own sync, update or import
    (
        "data_loss",
        r"\b(?:disappeared|vanished|gone|(?<!\bi\s)(?<!\bwe\s)(?:deleted|erased|removed)|wiped|lost|blank|empty|missing)\b.{0,60}\b(?:after|since|when|during|following|because\s+of)\s+"
        r"(?:\w+\s+){0,3}(?:sync\w*|synchroni[sz]\w*|update\w*|upgrade\w*|import\w*|migration|release|restore|merge|patch|version)\b"
        r"|\b(?:after|since|when|during|following)\s+(?:[\w'’]+\s+){0,3}(?:sync\w*|synchroni[sz]\w*|update\w*|upgrade\w*|import\w*|migration|release|merge|patch)\b"
        r".{0,60}\b(?:disappeared|vanished|(?:is|are|was|were|all|now)\s+(?:gone|empty|blank)|got\s+deleted|were\s+deleted|got\s+erased|were\s+erased|wiped|lost)\b"
        r"|\b(?:sync\w*|update\w*|upgrade\w*|import\w*|migration)\b.{0,30}\b(?:deleted|erased|wiped|overwrote|removed|destroyed|corrupted)\s+(?:\w+\s+)?(?:all|every|my|our|the\s+whole|half)\b"
        r"|\b(?:everything|all\s+(?:of\s+)?(?:our|my|the)\s+\w+)\s+(?:\w+\s+){0,3}(?:is|are|has|have)\s+(?:\w+\s+)?(?:gone|disappeared|vanished)\b",
        0.9,
    ),
    # --- "I need someone to sort this out"
    (
        "asked_for_person",
        r"\b(?:need|want|get)\s+(?:someone|somebody|a\s+person|a\s+human)\s+to\s+(?:sort|resolve|handle|deal|take\s+care|fix|get\s+back|look\s+into|ring|phone)\b"
        r"|\b(?:can|could|will)\s+(?:someone|somebody|anyone|anybody)\s+(?:please\s+)?(?:sort|resolve|handle|deal\s+with|take\s+care\s+of|fix|look\s+into|get\s+back\s+to)\b",
        1.0,
    ),
    # --- duplicate charges and "someone must sort this out", other languages
    (
        "billing_dispute",
        r"\bcobr(?:aron|[oó]|ado|ada|ados|adas|aram|ou|ar)\s+(?:\w+\s+){0,3}(?:dos\s+veces|duas\s+vezes|2\s+veces|2\s+vezes|doble|por\s+duplicado|em\s+dobro|em\s+duplicidade|de\s+m[aá]s|a\s+mais)\b"
        r"|\b(?:cobro|cargo|cobran[çc]a|d[ée]bito)\s+(?:doble|duplicad[oa]|em\s+dobro|dupl[oa])\b"
        r"|\b(?:d[ée]bit[ée]e?s?|factur[ée]e?s?|pr[ée]lev[ée]e?s?|pay[ée]e?s?|cobrad[oa]s?)\s+(?:\w+\s+){0,2}(?:deux\s+fois|2\s+fois|en\s+double|trop)\b"
        r"|\b(?:double\s+(?:d[ée]bit|pr[ée]l[èe]vement|facturation)|pr[ée]l[èe]vement\s+en\s+double)\b"
        r"|\b(?:doppelt|zweimal|2\s*x|2-mal|zu\s+viel)\s+(?:\w+\s+){0,2}(?:abgebucht|berechnet|belastet|abgerechnet|eingezogen|bezahlt)\b"
        r"|\bDoppel(?:abbuchung|belastung|zahlung)\b",
        0.9,
    ),
    (
        "asked_for_person",
        r"\b(?:necesito|quiero|precis[oa]|quero)\s+que\s+(?:alguien|algu[ée]m)\b"
        r"|\b(?:que|pueda|puede|podr[ií]a)\s+alguien\s+(?:me\s+|lo\s+|la\s+)?(?:resuelva|resolver|revise|revisar|mire|arregle|solucione|llame|llamar|contacte)\b"
        r"|\balgu[ée]m\s+(?:pode|poderia|precisa)\s+(?:me\s+)?(?:resolver|verificar|olhar|ajudar|ligar|ver\s+isso|ver\s+isto)\b"
        r"|\bbesoin\s+que\s+quelqu['’]un\b|\bquelqu['’]un\s+(?:peut|pourrait|doit)\s+(?:me\s+)?(?:regarder|v[ée]rifier|r[ée]gler|r[ée]soudre|aider|rappeler|appeler|s['’]en\s+occuper)\b"
        r"|\b(?:brauche|benötige)\s+jemanden\b|\bjemand\s+(?:muss|soll|sollte)\s+sich\b|\bk(?:ann|[öo]nnte)\s+sich\s+(?:bitte\s+)?jemand\b",
        1.0,
    ),
    # --- being called back, other languages
    (
        "asked_for_person",
        r"\bll[aá]m(?:enme|ame|eme)\b|\bme\s+(?:pueden|puede|podr[ií]an|podr[ií]a)\s+llamar\b|\bque\s+me\s+llame[ns]?\b"
        r"|\brappel(?:ez|le)[- ]moi\b|\bappelez[- ]moi\b|\bme\s+rappeler\b|\bm['’]appeler\b"
        r"|\brufen\s+Sie\s+mich\b|\bR[üu]ckruf\b|\bmich\s+(?:bitte\s+)?(?:zur[üu]ck)?rufen\b|\bmich\s+(?:bitte\s+)?anrufen\b"
        r"|\bme\s+lig(?:ue|uem|ar)\b|\bliguem\s+para\s+mim\b|\bretornar\s+(?:a\s+)?(?:liga[çc][aã]o|o\s+contato)\b",
        1.0,
    ),
    # --- a demo or sales meeting, other languages
    (
        "asked_for_person",
        r"\b(?:agendar|programar|reservar|solicitar|pedir|marcar|quiero|quero|queremos|gostar[ií]amos\s+de)\s+(?:una?|uma)\s+(?:demo|demostraci[oó]n|demonstra[çc][aã]o|reuni[oó]n|reuni[aã]o|llamada|chamada)\b"
        r"|\b(?:equipo|equipe|departamento)\s+(?:de\s+)?(?:ventas|vendas|comercial)\b|\bhablar\s+con\s+(?:el\s+)?(?:ventas|comercial)\b|\bfalar\s+com\s+(?:o\s+)?(?:vendas|comercial)\b"
        r"|\b(?:une\s+d[ée]mo(?:nstration)?|un\s+rendez-vous)\b.{0,40}\b(?:commercial|[ée]quipe|conseiller|vous)\b|\b(?:service|[ée]quipe)\s+commercial[e]?\b"
        r"|\b(?:Demo|Vorführung|Termin|Gespräch|Beratungsgespräch)\b.{0,40}\b(?:Vertrieb\w*|Verkauf\w*|Berater\w*|vereinbaren|buchen)\b|\bVertriebs?(?:team|mitarbeiter\w*|abteilung)?\b",
        0.9,
    ),
    # --- refused requests, money held, vanished data, other languages
    (
        "appeal",
        r"\b(?:reembolso|reclamaci[oó]n|reclama[çc][aã]o|solicitud|solicita[çc][aã]o|garant[ií]a|devoluci[oó]n|devolu[çc][aã]o|pedido)\b.{0,40}\b(?:rechazad[oa]|denegad[oa]|negad[oa]|recusad[oa]|rejeitad[oa]|indeferid[oa])\b"
        r"|\b(?:rechazaron|denegaron|negaron|recusaram|negaram|rejeitaram)\s+(?:mi|mis|meu|minha|o\s+meu|a\s+minha)\b"
        r"|\b(?:remboursement|r[ée]clamation|demande|garantie|retour)\b.{0,40}\b(?:refus[ée]e?|rejet[ée]e?)\b"
        r"|\b(?:Erstattung|R[üu]ckerstattung|Antrag|Reklamation|Garantie\w*|Widerspruch|Anfrage)\b.{0,40}\babgelehnt\b",
        0.9,
    ),
    (
        "funds_held",
        r"\b(?:fondos|pagos|dinero|saldo|cuenta|transferencias?|dep[oó]sitos?)\b.{0,40}\b(?:retenid[oa]s?|congelad[oa]s?|bloquead[oa]s?|en\s+revisi[oó]n)\b"
        r"|\b(?:fonds|paiements?|virements?|argent|solde|compte|versements?)\b.{0,40}\b(?:bloqu[ée]e?s?|gel[ée]e?s?|retenue?s?|suspendue?s?|en\s+attente\s+depuis)\b"
        r"|\b(?:Auszahlung\w*|Geld|Zahlung\w*|Guthaben|Konto|[ÜU]berweisung\w*)\b.{0,40}\b(?:eingefroren|zur[üu]ckgehalten|einbehalten|gesperrt|blockiert)\b"
        r"|\b(?:saques?|pagamentos?|dinheiro|saldo|conta|repasses?|transfer[eê]ncias?)\b.{0,40}\b(?:retid[oa]s?|bloquead[oa]s?|congelad[oa]s?|em\s+an[aá]lise)\b",
        0.9,
    ),
    (
        "data_loss",
        r"\b(?:desaparecieron|desapareci[oó]|se\s+borraron|se\s+perdieron|sumiram|sumiu|desapareceram|apagad[oa]s|disparu(?:e?s)?|effac[ée]e?s|supprim[ée]e?s|verschwunden|gel[öo]scht|weg)\b"
        r".{0,60}\b(?:despu[eé]s|tras|desde|depois|ap[oó]s|apr[eè]s|depuis|nach|seit)\b.{0,30}\b(?:sincroniza\w*|actualiza\w*|atualiza\w*|importa\w*|synchro\w*|mise\s+[àa]\s+jour|import\w*|Sync\w*|Synchronisier\w*|Update\w*|Aktualisierung\w*)"
        r"|\b(?:despu[eé]s|tras|depois|ap[oó]s|apr[eè]s|nach|seit)\b.{0,30}\b(?:sincroniza\w*|actualiza\w*|atualiza\w*|importa\w*|synchro\w*|mise\s+[àa]\s+jour|import\w*|Sync\w*|Synchronisier\w*|Update\w*|Aktualisierung\w*)"
        r".{0,60}\b(?:desaparecieron|desapareci[oó]|se\s+borraron|se\s+perdieron|sumiram|sumiu|desapareceram|apagad[oa]s|disparu(?:e?s)?|effac[ée]e?s|supprim[ée]e?s|verschwunden|gel[öo]scht|weg)\b",
        0.9,
    ),
    # --- an accessibility barrier (a product question about accessibility is not one)
    (
        "accessibility",
        r"\b(?:screen\s*-?\s*readers?|voice\s*over|talk\s*back|jaws|nvda|narrator|magnifier|switch\s+(?:control|access)|voice\s+control|dragon|braille\s+display)\b"
        r".{0,80}\b(?:can'?t|cannot|can\s+not|unable|impossible|doesn'?t|does\s+not|won'?t|isn'?t|is\s+not|aren'?t|not\s+(?:working|labell?ed|announced|read|reachable|accessible)|skips?|ignores?|silent|stuck|trapped|nothing|unlabell?ed|no\s+way)\b"
        r"|\b(?:can'?t|cannot|unable|impossible|stuck|no\s+way)\b.{0,80}\b(?:screen\s*-?\s*readers?|voice\s*over|talk\s*back|jaws|nvda|narrator|magnifier|switch\s+control|braille)\b",
        0.9,
    ),
    (
        "accessibility",
        r"\b(?:i'?m|i\s+am|we'?re|he'?s|she'?s|my\s+\w+\s+is|as\s+a|being)\s+(?:\w+\s+)?(?:blind|visually\s+impaired|partially\s+sighted|deaf|hard\s+of\s+hearing|colou?r-?\s?blind|disabled|paraly[sz]ed|quadriplegic|dyslexic|low[- ]vision|a\s+wheelchair\s+user)\b"
        r".{0,100}\b(?:can'?t|cannot|can\s+not|unable|impossible|doesn'?t|does\s+not|won'?t|isn'?t|not\s+(?:able|possible|accessible|working)|no\s+way|stuck|have\s+to\s+ask|need\s+help)\b"
        r"|\b(?:i|we)\s+(?:can'?t|cannot|am\s+unable\s+to)\s+(?:use\s+a\s+mouse|see\s+the\s+screen|hear\s+the|read\s+(?:the\s+)?(?:small|tiny))\b"
        r"|\b(?:i\s+have|i'?ve\s+got|i\s+live\s+with|because\s+of\s+(?:my|a))\s+(?:a\s+|an\s+)?(?:\w+\s+)?(?:tremor|arthritis|parkinson'?s|dyslexia|low\s+vision|sight\s+loss|hearing\s+loss|"
        r"(?:visual|hearing|motor)\s+impairment|disability|limited\s+(?:mobility|dexterity|vision))\b"
        r".{0,100}\b(?:can'?t|cannot|can\s+not|unable|impossible|doesn'?t|does\s+not|won'?t|isn'?t|not\s+(?:able|possible|accessible)|no\s+way|stuck|struggle)\b"
        r"|\b(?:lector\s+de\s+pantalla|leitor\s+de\s+tela|lecteur\s+d['’][ée]cran|Bildschirmleser|Screenreader)\b.{0,80}\b(?:no\s+(?:puedo|funciona|lee)|n[aã]o\s+(?:consigo|funciona|l[eê])|ne\s+(?:peux|fonctionne|marche|lit)|impossible|imposs[ií]vel|imposible|kann\s+(?:ich\s+)?nicht|funktioniert\s+nicht|liest\s+nicht)\b"
        r"|\b(?:soy\s+(?:ciego|ciega|sordo|sorda)|sou\s+(?:cego|cega|surdo|surda)|je\s+suis\s+(?:aveugle|malvoyante?|sourde?)|ich\s+bin\s+(?:blind|sehbehindert|geh[öo]rlos|taub))\b",
        0.9,
    ),
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

# "What should I do if my refund is denied?" asks about a policy, not about a refusal.
_HYPOTHETICAL = re.compile(
    r"^\s*(?:what\s+(?:should|do|can|happens|if)|(?:can|do|will|would|should)\s+(?:i|we)|is\s+it\s+possible|"
    r"how\s+(?:long|often|soon)|when)\b.{0,40}\b(?:if|when|once|after)\b",
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

# A document named only by its code ("INV-0388", "ORD-11234", "ref 88120", "#40912"), together
# with a problem with it (still unpaid, never arrived, money gone), is the same kind of dispute.
_BARE_REFERENCE = re.compile(
    r"(?<![\w-])(?!(?:ERR|ERROR|HTTP|ISO|RFC|CVE|UTF|TLS|SSL|SHA|MD|IPV|COVID|SKU|API|IP)[-_]?\d)[A-Z]{2,5}[-_]?\d{3,}\b"
    r"|(?i:\b(?:inv|ord|txn|trx|ref|reference|pmt|rcpt|po|case|ticket|claim|parcel|shipment|tracking|transfer)\s*(?:#|no\.?|nr\.?|number)?\s*[-_:]?\s*#?\d{3,}\b)"
    r"|(?<![\w&])#\s?\d{4,}\b"
)
_REFERENCE_PROBLEM = re.compile(
    r"\b(?:unpaid|overdue|outstanding|past\s+due|still\s+(?:shows?|showing|says|marked|listed|pending|open|due|unpaid|not|hasn'?t|haven'?t)|"
    r"(?:never|hasn'?t|has\s+not|haven'?t|have\s+not|didn'?t|did\s+not|not\s+yet|still\s+not)\s+(?:\w+\s+)?"
    r"(?:arrived|received|come|came|shown|showed|gone\s+through|went\s+through|cleared|credited|refunded|delivered|processed|paid|reached|turned\s+up)|"
    r"missing|disappeared|vanished|bounced|double|twice|charged|refund\w*|wrong|incorrect|already\s+paid|(?:we|i)\s+paid|money\s+(?:is\s+|has\s+)?gone|"
    r"left\s+(?:my|our)\s+account|taken\s+from|debited|lost|stuck|impag[ao]d[ao]|pendiente|vencid[ao]|en\s+retard|impay[ée]e?|toujours|"
    r"unbezahlt|[üu]berf[äa]llig|noch\s+(?:nicht|offen)|nie\s+angekommen|em\s+aberto|atrasad[ao]|n[aã]o\s+(?:chegou|recebi|caiu)|no\s+(?:lleg[oó]|he\s+recibido))",
    re.IGNORECASE,
)


# The product misbehaved towards the customer's own customers: a send, charge or message
# reaching them (first) that went wrong (second). Sending to customers alone is a how-to.
_CUSTOMERS = (
    r"(?:customers|clients|users|members|subscribers|patients|guests|buyers|contacts|tenants|students|"
    r"donors|shoppers|followers|recipients|parents)"
)
_REACHED_CUSTOMERS = re.compile(
    r"\b(?:sent|emailed|messaged|texted|charged|billed|invoiced|notified|spammed|mailed|posted|went\s+out|got\s+sent|"
    rf"were\s+sent|was\s+sent|reached)\b.{{0,60}}\b(?:to\s+)?(?:all\s+(?:of\s+)?|every\s+(?:one\s+of\s+)?|\d+\s+of\s+)?(?:our|my)\s+(?:\w+\s+)?{_CUSTOMERS}\b"
    rf"|\b(?:our|my)\s+(?:\w+\s+)?{_CUSTOMERS}\s+(?:all\s+)?(?:got|received|were\s+(?:sent|charged|billed|emailed)|"
    r"are\s+(?:getting|complaining|receiving)|have\s+been\s+(?:getting|receiving|charged|sent|emailed)|keep\s+getting|complain\w*)\b",
    re.IGNORECASE,
)
_WENT_WRONG = re.compile(
    r"\b(?:duplicates?|duplicated|twice|three\s+times|\d+\s+(?:times|copies)|(?:two|three|four|five|six|ten|multiple|several|many)\s+(?:copies|times)|multiple\s+times|again\s+and\s+again|"
    r"over\s+and\s+over|repeatedly|dozens|hundreds|thousands|by\s+mistake|mistakenly|accidentally|in\s+error|wrong(?:ly)?|"
    r"spam\w*|bug|glitch|never\s+(?:asked|scheduled|meant|set|wanted)|shouldn'?t|should\s+not|without\s+(?:us|our|my|me|any|permission|consent|asking)|"
    r"furious|angry|upset|complain\w*|cancel+ed|overnight|midnight|at\s+\d{1,2}(?::\d\d)?\s*(?:am|a\.m\.)|in\s+the\s+middle\s+of\s+the\s+night|keep\s+getting|nonsense|garbled)\b",
    re.IGNORECASE,
)

# Two-part signals: (reason, what, what else, strength); both must be found.
_COMBINED: tuple[tuple[str, re.Pattern[str], re.Pattern[str], float], ...] = (
    ("billing_dispute", _BARE_REFERENCE, _REFERENCE_PROBLEM, 1.0),
    ("billing_dispute", _SPECIFIC_REFERENCE, _REFERENCE_PROBLEM, 1.0),
    ("customer_impact", _REACHED_CUSTOMERS, _WENT_WRONG, 0.9),
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
    hypothetical = bool(_HYPOTHETICAL.search(text))
    found = [(code, strength) for code, pattern, strength in _COMPILED if pattern.search(text)]
    found += [
        (code, strength)
        for code, what, other, strength in _COMBINED
        if what.search(text) and other.search(text)
    ]
    for code, strength in found:
        value = strength
        if how_to and (code in ("asked_for_person", "frustrated") or strength < 1.0):
            value *= 0.5  # "how do I get a manager to sign off" is a product question
        elif hypothetical and strength < 1.0:
            value *= 0.5  # "what happens if my payout is held" asks about a policy
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
