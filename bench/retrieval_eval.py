"""Report article-level retrieval top-1/top-3 on an eval set (kb/ + cases.jsonl).

.venv/bin/python bench/retrieval_eval.py ../shared/eval/dev [--backend minilm|hashing] [--misses]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from relaydesk.db.engine import Database
from relaydesk.db.migrate import upgrade_to_head
from relaydesk.knowledge import KnowledgeIndex, import_articles, load_embedder
from relaydesk.knowledge.evaluation import load_answer_cases, score_retrieval
from relaydesk.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("set_dir", type=Path)
    parser.add_argument("--backend", default="minilm")
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), embedding_backend=args.backend)
        db = Database(settings.resolved_database_url)
        upgrade_to_head(db.engine)
        embedder = load_embedder(settings)
        started = time.perf_counter()
        report = import_articles(db, args.set_dir / "kb", embedder)
        import_s = time.perf_counter() - started
        index = KnowledgeIndex.load(db, embedder)
        score = score_retrieval(index, load_answer_cases(args.set_dir / "cases.jsonl"))
        db.dispose()
    result = score.as_dict()
    if not args.misses:
        result.pop("misses")
    result["articles"] = len(report.added)
    result["import_seconds"] = round(import_s, 2)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
