"""Sparse (full-text) candidates: SQLite FTS5 BM25, or PostgreSQL full-text search
(ts_rank_cd over the stored `search_vector` column; see migration 0002).

Both run one SQL query that applies the organisation, the access filter and the
document-set filter before ORDER BY ... LIMIT, so nothing the requester may not
read can take a place in the candidate list.
"""

from __future__ import annotations

import re
import time

from django.db import connection

from knowledge.access import AccessContext, access_sql
from knowledge.embeddings import STOPWORDS

_TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_TERMS = 32
# A term in more than this share of all chunks carries almost no BM25 weight
# but makes the match set (and the cost of scoring it) the whole corpus.
COMMON_TERM_SHARE = 0.25
COMMON_TERM_FLOOR = 1000  # below this many chunks nothing is pruned


def query_terms(query: str) -> list[str]:
    """Distinct content words, safe to splice into an FTS expression (only \\w characters)."""
    seen: list[str] = []
    for word in _TOKEN.findall(query.lower()):
        if word not in STOPWORDS and word not in seen:
            seen.append(word)
    return seen[:MAX_QUERY_TERMS]


def document_set_sql(document_sets: list[str] | None, document_alias: str = "d") -> tuple[str, list]:
    if not document_sets:
        return "", []
    placeholders = ", ".join(["%s"] * len(document_sets))
    return (
        " AND EXISTS (SELECT 1 FROM knowledge_document_document_sets s "
        "JOIN knowledge_documentset ds ON ds.id = s.documentset_id "
        f"WHERE s.document_id = {document_alias}.id AND ds.name IN ({placeholders}))",
        list(document_sets),
    )


def _match_expression(vendor: str, words: list[str]) -> str:
    if vendor == "postgresql":
        return " | ".join(words)
    return " OR ".join(f'"{word}"' for word in words)


def selective_terms(words: list[str]) -> list[str]:
    """The query's words without those that occur in more than COMMON_TERM_SHARE
    of all chunks. When every word is that common, none is left: full-text
    ranking would score the whole corpus to tell almost nothing apart, and the
    dense ranking (which sees the same words) answers alone."""
    if not words:
        return words
    common = _common_words_postgres(words) if connection.vendor == "postgresql" else _common_words_sqlite(words)
    return [word for word in words if word not in common]


def _common_words_sqlite(words: list[str]) -> set[str]:
    # Counts stop at the threshold, so a ubiquitous word costs no more than a rare one.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM knowledge_chunk")
        threshold = int(cursor.fetchone()[0] * COMMON_TERM_SHARE)
        if threshold < COMMON_TERM_FLOOR:
            return set()
        common = set()
        for word in words:
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM knowledge_chunk_fts WHERE knowledge_chunk_fts MATCH %s LIMIT %s)",
                [_match_expression("sqlite", [word]), threshold + 1],
            )
            if cursor.fetchone()[0] > threshold:
                common.add(word)
    return common


_lexeme_stats: dict = {"expires": 0.0, "rows": 0.0, "frequencies": {}}
_STATS_SECONDS = 60.0


def _lexeme_frequencies() -> tuple[float, dict[str, float]]:
    """PostgreSQL's own statistics of the search_vector column (refreshed by ANALYZE):
    the table's row estimate and the share of rows holding each common lexeme."""
    if time.monotonic() < _lexeme_stats["expires"]:
        return _lexeme_stats["rows"], _lexeme_stats["frequencies"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'knowledge_chunk'")
        row = cursor.fetchone()
        rows = float(row[0]) if row else 0.0
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = 'knowledge_chunk' AND attname = 'search_vector'"
        )
        row = cursor.fetchone()
    frequencies = dict(zip(row[0], row[1])) if row and row[0] else {}
    _lexeme_stats.update(expires=time.monotonic() + _STATS_SECONDS, rows=rows, frequencies=frequencies)
    return rows, frequencies


def _common_words_postgres(words: list[str]) -> set[str]:
    rows, frequencies = _lexeme_frequencies()
    if rows * COMMON_TERM_SHARE < COMMON_TERM_FLOOR or not frequencies:
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT word, tsvector_to_array(to_tsvector('english', word)) FROM unnest(%s::text[]) AS word", [words])
        lexemes = dict(cursor.fetchall())
    return {word for word in words if any(frequencies.get(lexeme, 0.0) > COMMON_TERM_SHARE for lexeme in lexemes.get(word) or [])}


def forget_statistics() -> None:
    _lexeme_stats.update(expires=0.0, rows=0.0, frequencies={})


def refresh_statistics() -> None:
    """After bulk changes: let PostgreSQL re-measure the lexemes (a sample, quick)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE knowledge_chunk")
    forget_statistics()


def sparse_search(query: str, *, access: AccessContext, limit: int, document_sets: list[str] | None = None) -> list[tuple[int, float]]:
    """(chunk id, score) best first; higher is better."""
    words = selective_terms(query_terms(query))
    if not words:
        return []
    access_clause, access_params = access_sql(access)
    sets_clause, sets_params = document_set_sql(document_sets)
    if connection.vendor == "postgresql":
        sql = (
            "SELECT c.id, ts_rank_cd(c.search_vector, q) AS score "
            "FROM knowledge_chunk c JOIN knowledge_document d ON d.id = c.document_id, "
            "to_tsquery('english', %s) q "
            "WHERE c.search_vector @@ q AND c.organization_id = %s "
            f"AND {access_clause}{sets_clause} ORDER BY score DESC, c.id LIMIT %s"
        )
    else:
        sql = (
            "SELECT c.id, -bm25(knowledge_chunk_fts) AS score FROM knowledge_chunk_fts "
            "JOIN knowledge_chunk c ON c.id = knowledge_chunk_fts.rowid "
            "JOIN knowledge_document d ON d.id = c.document_id "
            "WHERE knowledge_chunk_fts MATCH %s AND c.organization_id = %s "
            f"AND {access_clause}{sets_clause} ORDER BY bm25(knowledge_chunk_fts), c.id LIMIT %s"
        )
    match = _match_expression(connection.vendor, words)
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, access.organization_id, *access_params, *sets_params, limit])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]
