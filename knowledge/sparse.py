"""Sparse (full-text) candidates: SQLite FTS5 BM25, or PostgreSQL full-text search.

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


def sparse_search(query: str, *, access: AccessContext, organization_id: str, limit: int, document_sets: list[str] | None = None) -> list[tuple[int, float]]:
    """(chunk id, score) best first; higher is better."""
    words = query_terms(query)
    if not words:
        return []
    access_clause, access_params = access_sql(access)
    sets_clause, sets_params = document_set_sql(document_sets)
    if connection.vendor == "postgresql":
        sql = (
            "SELECT c.id, ts_rank_cd(to_tsvector('english', c.text), q) AS score "
            "FROM knowledge_chunk c JOIN knowledge_document d ON d.id = c.document_id, "
            "to_tsquery('english', %s) q "
            "WHERE to_tsvector('english', c.text) @@ q AND c.organization_id = %s "
            f"AND {access_clause}{sets_clause} ORDER BY score DESC, c.id LIMIT %s"
        )
        match = " | ".join(words)
    else:
        sql = (
            "SELECT c.id, -bm25(knowledge_chunk_fts) AS score FROM knowledge_chunk_fts "
            "JOIN knowledge_chunk c ON c.id = knowledge_chunk_fts.rowid "
            "JOIN knowledge_document d ON d.id = c.document_id "
            "WHERE knowledge_chunk_fts MATCH %s AND c.organization_id = %s "
            f"AND {access_clause}{sets_clause} ORDER BY bm25(knowledge_chunk_fts), c.id LIMIT %s"
        )
        match = " OR ".join(f'"{word}"' for word in words)
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, organization_id, *access_params, *sets_params, limit])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]
