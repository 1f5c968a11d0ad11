"""Sparse (full-text) candidates: SQLite FTS5 BM25, or PostgreSQL full-text search
(ts_rank_cd over the stored `search_vector` column; see migration 0002).

Both run one SQL query that applies the organisation, the access filter and the
document-set filter before ORDER BY ... LIMIT, so nothing the requester may not
read can take a place in the candidate list.
"""
from __future__ import annotations

import re

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


def _matches_sql(vendor: str) -> str:
    if vendor == "postgresql":
        return "SELECT 1 FROM knowledge_chunk WHERE search_vector @@ to_tsquery('english', %s) LIMIT %s"
    return "SELECT 1 FROM knowledge_chunk_fts WHERE knowledge_chunk_fts MATCH %s LIMIT %s"


def selective_terms(words: list[str]) -> list[str]:
    """The query's words without those that occur in most chunks, as long as a
    rarer one remains. Each count stops at the threshold, so this costs little."""
    if len(words) < 2:
        return words
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM knowledge_chunk")
        threshold = int(cursor.fetchone()[0] * COMMON_TERM_SHARE)
        if threshold < COMMON_TERM_FLOOR:
            return words
        rare = []
        for word in words:
            cursor.execute(f"SELECT count(*) FROM ({_matches_sql(vendor)}) AS matches", [_match_expression(vendor, [word]), threshold + 1])
            if cursor.fetchone()[0] <= threshold:
                rare.append(word)
    return rare or words


def sparse_search(query: str, *, access: AccessContext, organization_id: str, limit: int, document_sets: list[str] | None = None) -> list[tuple[int, float]]:
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
        cursor.execute(sql, [match, organization_id, *access_params, *sets_params, limit])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]
