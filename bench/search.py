"""Search at scale: 100,000 documents (Japanese and English, incident-sized texts) in a fresh
database, then ~200 varied searches; prints p50/p95/max in milliseconds per database.

    .venv/bin/python bench/search.py [--database sqlite|postgresql|both] [--documents 100000]
                                     [--queries 200]

SQLite: a fresh file var/bench-search.sqlite3. PostgreSQL: the database kizuki_bench_search on
127.0.0.1:5432 (dropped and created again). Each database runs in its own process (Django's
settings are per process). The documents are written in bulk with the product's tokenizer
and full-text writer (knowledge.tokenizer, knowledge.fulltext): the same terms and vectors
index_document writes, without one transaction per document. A search is timed as the API
runs it: queries.search (visibility, filters, count, ranking, snippets)."""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SQLITE_FILE = ROOT / "var" / "bench-search.sqlite3"
PG_NAME = "kizuki_bench_search"
PG_URL = f"postgresql://postgres@127.0.0.1:5432/{PG_NAME}"

# Words of the incidents in the seeds: most documents hold a few common ones, some rare ones.
JA_COMMON = ["障害", "決済", "遅延", "エラー", "対応", "影響", "復旧", "原因", "調査", "確認"]
JA_WORDS = [
    "決済API",
    "決済基盤",
    "データベース",
    "タイムアウト",
    "接続",
    "再起動",
    "顧客",
    "通知",
    "配送",
    "在庫",
    "認証",
    "ログイン",
    "証明書",
    "期限切れ",
    "ネットワーク",
    "ロードバランサ",
    "キャッシュ",
    "メモリ",
    "ディスク",
    "バッチ",
    "デプロイ",
    "ロールバック",
    "監視",
    "アラート",
    "再発防止",
    "暫定対応",
    "恒久対応",
    "問い合わせ",
    "カード",
    "ポイント",
    "クーポン",
    "検索",
    "画像",
    "アプリ",
    "スマートフォン",
    "レスポンス",
    "負荷",
    "スロークエリ",
    "インデックス",
    "フェイルオーバー",
    "レプリカ",
    "設定変更",
    "権限",
    "外部連携",
    "加盟店",
    "残高",
    "送金",
]
JA_GLUE = ["が", "を", "で", "の", "に", "は", "と", "から", "により", "について"]
JA_ENDINGS = [
    "発生しました。",
    "確認しています。",
    "対応中です。",
    "実施しました。",
    "見られます。",
    "復旧しました。",
    "調査中です。",
    "判明しました。",
]
EN_COMMON = ["error", "payment", "timeout", "database", "service", "customer", "failed", "deploy"]
EN_WORDS = [
    "checkout",
    "latency",
    "gateway",
    "certificate",
    "expired",
    "rollback",
    "cache",
    "queue",
    "backlog",
    "replica",
    "failover",
    "memory",
    "disk",
    "network",
    "balancer",
    "login",
    "token",
    "search",
    "index",
    "query",
    "batch",
    "notification",
    "inventory",
    "shipping",
    "coupon",
    "balance",
    "transfer",
    "merchant",
    "api",
    "config",
    "permission",
    "monitoring",
    "alert",
]
EN_GLUE = ["the", "a", "of", "to", "in", "on", "for", "was", "were", "after", "because"]

QUERIES_JA = [*JA_COMMON, *JA_WORDS, "決済 遅延", "障害 原因", "データベース 接続", "証明書 期限"]
QUERIES_EN = [*EN_COMMON, *EN_WORDS, "payment failing", "database timeouts", "expired cert"]


def ja_sentence(rng: random.Random) -> str:
    words = [rng.choice(JA_COMMON if rng.random() < 0.3 else JA_WORDS) for _ in range(3)]
    glue = [rng.choice(JA_GLUE) for _ in range(3)]
    return "".join(w + g for w, g in zip(words, glue, strict=True)) + rng.choice(JA_ENDINGS)


def en_sentence(rng: random.Random) -> str:
    words = []
    for _ in range(rng.randint(6, 12)):
        pool = EN_GLUE if rng.random() < 0.4 else (EN_COMMON if rng.random() < 0.3 else EN_WORDS)
        words.append(rng.choice(pool))
    return " ".join(words).capitalize() + "."


def text(rng: random.Random, japanese: bool, sentences: int) -> str:
    make = ja_sentence if japanese else en_sentence
    return " ".join(make(rng) for _ in range(sentences))


# kind, share, sentences in the text (min, max)
KINDS = [
    ("incident", 0.10, (2, 8)),
    ("timeline", 0.50, (1, 2)),
    ("status_update", 0.30, (1, 4)),
    ("retrospective", 0.10, (20, 60)),
]


def document(rng: random.Random, number: int) -> dict[str, Any]:
    kind = rng.choices([k[0] for k in KINDS], weights=[k[1] for k in KINDS])[0]
    low, high = next(k[2] for k in KINDS if k[0] == kind)
    japanese = rng.random() < 0.7
    incident = rng.randint(1, 10_000)
    title = (
        f"INC-{incident} " + (text(rng, japanese, 1)[:40])
        if kind in {"incident", "retrospective"}
        else f"INC-{incident}"
    )
    return {
        "kind": kind,
        "source_id": str(number),
        "title": title,
        "body": text(rng, japanese, rng.randint(low, high)),
        "index_title": kind in {"incident", "retrospective"},
        "severity": rng.choice([None, 1, 2, 3, 3, 4, 4, 5]),
        "team": rng.randint(0, 4),
        "age_days": rng.random() * 3 * 365,
    }


def queries(rng: random.Random, count: int) -> list[tuple[str, dict[str, Any]]]:
    """Mostly plain words (Japanese more often), some pairs, incident numbers, one-character
    words, and a share with filters."""
    found: list[tuple[str, dict[str, Any]]] = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.55:
            q = rng.choice(QUERIES_JA)
        elif roll < 0.85:
            q = rng.choice(QUERIES_EN)
        elif roll < 0.95:
            q = f"INC-{rng.randint(1, 10_000)}"
        else:
            q = rng.choice(["障", "遅", "済", "監"])
        filters: dict[str, Any] = {}
        if rng.random() < 0.3:
            filters = rng.choice(
                [
                    {"kind": "retrospective"},
                    {"kind": "incident"},
                    {"severity": 2},
                    {"team": "team-1"},
                    {"since_days": 90},
                ]
            )
        found.append((q, filters))
    return found


def child(args: argparse.Namespace) -> dict[str, Any]:
    """In the process whose KIZUKI_DATABASE_URL names the fresh database."""
    import django  # noqa: PLC0415  Django is set up only here, once the URL is chosen

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuki.config.settings")
    django.setup()
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection, transaction  # noqa: PLC0415

    from kizuki.accounts import actions as accounts  # noqa: PLC0415
    from kizuki.knowledge import fulltext  # noqa: PLC0415
    from kizuki.knowledge import queries as search_queries  # noqa: PLC0415
    from kizuki.knowledge.models import Document, DocumentText  # noqa: PLC0415
    from kizuki.knowledge.tokenizer import terms  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    teams = [accounts.create_team(f"team-{n}", f"Team {n}") for n in range(5)]
    reader = accounts.create_user("bench", "viewer")
    rng = random.Random(7)
    now = datetime(2026, 11, 25, tzinfo=UTC)
    started = time.perf_counter()
    batch = 2000
    for first in range(0, args.documents, batch):
        rows = [document(rng, n) for n in range(first, min(first + batch, args.documents))]
        made = [
            Document(
                kind=row["kind"],
                source_id=row["source_id"],
                title=row["title"],
                url=f"/bench/{row['source_id']}/",
                team=teams[row["team"]],
                severity=row["severity"],
                occurred_at=now - timedelta(days=row["age_days"]),
                updated_at=now,
            )
            for row in rows
        ]
        vectors = [
            (terms(row["title"]) if row["index_title"] else [], terms(row["body"])) for row in rows
        ]
        with transaction.atomic():
            Document.objects.bulk_create(made)
            DocumentText.objects.bulk_create(
                DocumentText(
                    document=document,
                    body=row["body"],
                    title_terms=" ".join(title),
                    body_terms=" ".join(body),
                )
                for document, row, (title, body) in zip(made, rows, vectors, strict=True)
            )
            fulltext.write_vectors([(d.pk, t, b) for d, (t, b) in zip(made, vectors, strict=True)])
    built = time.perf_counter() - started
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE knowledge_document")
        else:
            cursor.execute("INSERT INTO knowledge_fts(knowledge_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")

    timings: list[float] = []
    slowest: tuple[float, str] = (0.0, "")
    plan = queries(random.Random(11), args.queries)
    for q, raw in [plan[0], *plan]:  # the first once more, to warm the caches
        filters = search_queries.SearchFilters(
            kind=raw.get("kind", ""),
            team=raw.get("team", ""),
            severity=raw.get("severity"),
            since=(now - timedelta(days=raw["since_days"])).date() if "since_days" in raw else None,
        )
        start = time.perf_counter()
        results = search_queries.search(reader, q, filters, page=1, page_size=20)
        elapsed = (time.perf_counter() - start) * 1000
        timings.append(elapsed)
        if elapsed > slowest[0]:
            slowest = (elapsed, f"{q} {raw} ({results.count} found)")
    timings = timings[1:]
    ordered = sorted(timings)
    return {
        "documents": Document.objects.count(),
        "build_seconds": round(built, 1),
        "queries": len(timings),
        "p50": round(statistics.median(timings), 1),
        "p95": round(ordered[int(len(ordered) * 0.95) - 1], 1),
        "max": round(ordered[-1], 1),
        "slowest": slowest[1],
    }


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)


def run(database: str, args: argparse.Namespace) -> dict[str, Any]:
    if database == "sqlite":
        SQLITE_FILE.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{SQLITE_FILE}"
    else:
        psql(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        psql(f"CREATE DATABASE {PG_NAME}")
        url = PG_URL
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            "--documents",
            str(args.documents),
            "--queries",
            str(args.queries),
        ],
        env={**os.environ, "KIZUKI_DATABASE_URL": url},
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args)))
        return
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    for database in databases:
        result = run(database, args)
        print(
            f"{database:<10} {result['documents']} documents"
            f" (built in {result['build_seconds']} s), {result['queries']} searches:"
            f" p50 {result['p50']} ms, p95 {result['p95']} ms, max {result['max']} ms;"
            f" slowest: {result['slowest']}"
        )


if __name__ == "__main__":
    main()
