"""Full-text ranking: BM25F over each organisation's chunks, held in memory.

Each process keeps one index per organisation (knowledge.indexes), rebuilt when
its IndexVersion moves. Access is never cached: the caller passes the
documents the requester may read, and everything else scores nothing.

What a help centre needs, and plain BM25 lacks:
- fields: a match in the document's title or the chunk's headings counts
  TITLE_WEIGHT times a match in the body;
- stems and surface forms: a query word matches its stem ("refunds" finds
  "refund") and, with an extra SURFACE_WEIGHT, its exact form, so "team"
  prefers "team" over "Teams";
- the document as well as the chunk: a chunk's score blends in its document's
  (DOCUMENT_WEIGHT), so words spread over a long article still find it;
- proximity: query words that stand next to each other in the chunk too add
  up to PROXIMITY_WEIGHT;
- typos: a query word the organisation's vocabulary lacks is replaced by the
  nearest word in it (one edit, two for long words), if there is one.

Scores are calibrated: each is the share of the query's BM25 weight the chunk
earns (a term's weight is its idf times the most a match can score), so 1.0
means every word matched as strongly as it can and a score means the same
across queries. Words no chunk has count against every chunk (each with
UNKNOWN_WORD_SHARE of the weight of the corpus's rarest word, up to
UNKNOWN_WORDS_COUNTED of them), which is what lets a question about something
the help centre never mentions score low everywhere.
"""

from __future__ import annotations

import json
import logging
import math
from array import array
from dataclasses import dataclass, field, replace

import numpy as np
from django.db import connection

from knowledge.indexes import VersionedIndexes
from knowledge.ranking import best_first
from knowledge.text import correction, passage_body, stem, words

logger = logging.getLogger(__name__)

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 3.0
SURFACE_WEIGHT = 1.0
DOCUMENT_WEIGHT = 0.3
PROXIMITY_WEIGHT = 0.15
UNKNOWN_WORD_SHARE = 1.0
UNKNOWN_WORDS_COUNTED = 3
PROXIMITY_CANDIDATES = 100


@dataclass
class _Postings:
    """One inverted index over `units` (chunks or documents): term -> (units, weighted tf)."""

    starts: np.ndarray  # int64, per term id: where its postings begin (one more entry at the end)
    units: np.ndarray  # int32
    frequencies: np.ndarray  # float32, field-weighted term frequency
    lengths: np.ndarray  # float32, field-weighted length per unit
    average_length: float

    @property
    def count(self) -> int:
        return len(self.lengths)

    def bm25(self, term_id: int, weight: float) -> tuple[np.ndarray, np.ndarray, float]:
        """(units, scores, the most a unit can score) for one term."""
        begin, end = self.starts[term_id], self.starts[term_id + 1]
        units, tf = self.units[begin:end], self.frequencies[begin:end]
        idf = math.log(1 + (self.count - len(units) + 0.5) / (len(units) + 0.5))
        norm = K1 * (1 - B + B * self.lengths[units] / self.average_length)
        return units, weight * idf * tf * (K1 + 1) / (tf + norm), weight * idf * (K1 + 1)

    def unknown_weight(self, weight: float) -> float:
        """A word no unit has weighs as the rarest word there is (one unit has it), so
        a corpus of one document does not make every known word worthless beside it."""
        return weight * math.log(1 + (self.count - 0.5) / 1.5) * (K1 + 1)


@dataclass
class LexicalIndex:
    version: int
    chunk_ids: np.ndarray  # int64
    document_codes: np.ndarray  # int32, per chunk
    document_keys: dict  # the document id as the database returns it -> code
    terms: dict[str, int]  # "s:<stem>" and "w:<word>" -> term id
    chunks: _Postings
    documents: _Postings
    sequence_terms: np.ndarray  # int32: every chunk's stems' term ids, in order (proximity)
    sequence_starts: np.ndarray  # int64, per chunk: where its stems begin (one more entry at the end)
    vocabulary_by_initial: dict[str, list[str]]  # every surface word by its first letter, for the spelling corrector

    def score(self, query_words: list[str | None], readable_codes: np.ndarray) -> np.ndarray:
        """Calibrated scores of every chunk (0 for the ones not readable), for the query's
        words as `_known_words` reads them."""
        scores = np.zeros(len(self.chunk_ids), dtype=np.float64)
        if not query_words or not len(self.chunk_ids):
            return scores
        chunk_part, chunk_best = self._bm25(self.chunks, query_words)
        document_part, document_best = self._bm25(self.documents, query_words)
        if chunk_best:
            scores += (1 - DOCUMENT_WEIGHT - PROXIMITY_WEIGHT) * chunk_part / chunk_best
        if document_best:
            scores += DOCUMENT_WEIGHT * (document_part / document_best)[self.document_codes]
        readable = np.isin(self.document_codes, readable_codes)
        scores[~readable] = 0.0
        self._add_proximity(scores, query_words)
        return scores

    def has(self, key: str) -> bool:
        """Whether some chunk holds the term (the vocabulary keeps words of deleted chunks)."""
        term_id = self.terms.get(key)
        return term_id is not None and self.chunks.starts[term_id + 1] > self.chunks.starts[term_id]

    def _known_words(self, query: str) -> list[str | None]:
        """The query's distinct content words, each corrected to the vocabulary when
        it is unknown; None for a word nothing resembles."""
        known: list[str | None] = []
        for word in dict.fromkeys(words(query)):
            if self.has(f"w:{word}") or self.has(f"s:{stem(word)}"):
                known.append(word)
            else:
                known.append(correction(word, self.vocabulary_by_initial))
        return known

    def _bm25(self, postings: _Postings, query_words: list[str | None]) -> tuple[np.ndarray, float]:
        scores = np.zeros(postings.count, dtype=np.float64)
        unknown = min(query_words.count(None), UNKNOWN_WORDS_COUNTED)
        best = unknown * UNKNOWN_WORD_SHARE * postings.unknown_weight(1.0 + SURFACE_WEIGHT)
        for word in query_words:
            if word is None:
                continue
            for key, weight in ((f"s:{stem(word)}", 1.0), (f"w:{word}", SURFACE_WEIGHT)):
                if not self.has(key):  # a known stem in a form no chunk uses: the stem alone counts
                    continue
                term_id = self.terms[key]
                units, unit_scores, most = postings.bm25(term_id, weight)
                scores[units] += unit_scores
                best += most
        return scores, best

    def _add_proximity(self, scores: np.ndarray, query_words: list[str | None]) -> None:
        stems = [self.terms.get(f"s:{stem(word)}") for word in query_words if word is not None]
        pairs = {(a, b) for a, b in zip(stems, stems[1:]) if a is not None and b is not None and a != b}
        if not pairs:
            return
        take = min(PROXIMITY_CANDIDATES, int((scores > 0).sum()))
        if not take:
            return
        for index in np.argpartition(-scores, take - 1)[:take]:
            sequence = self.sequence_terms[self.sequence_starts[index] : self.sequence_starts[index + 1]]
            present = set(zip(sequence.tolist(), sequence[1:].tolist()))
            found = sum(1 for a, b in pairs if (a, b) in present or (b, a) in present)
            scores[index] += PROXIMITY_WEIGHT * found / len(pairs)


def _postings(units: np.ndarray, term_ids: np.ndarray, weights: np.ndarray, unit_count: int, term_count: int) -> _Postings:
    """One entry per occurrence (unit, term id, weight), summed per (term, unit)."""
    lengths = np.bincount(units, weights=weights, minlength=unit_count).astype(np.float32)
    average_length = float(lengths.mean()) if lengths.any() else 1.0  # once, not per query term
    order = np.argsort(term_ids.astype(np.int64) * max(unit_count, 1) + units, kind="stable")
    terms_sorted, units_sorted = term_ids[order], units[order]
    if not len(order):
        return _Postings(
            np.zeros(term_count + 1, dtype=np.int64), units_sorted.astype(np.int32), np.zeros(0, np.float32), lengths, average_length
        )
    changes = np.flatnonzero((np.diff(terms_sorted) != 0) | (np.diff(units_sorted) != 0)) + 1
    firsts = np.concatenate([[0], changes])
    summed = np.add.reduceat(weights[order], firsts).astype(np.float32)
    starts = np.searchsorted(terms_sorted[firsts], np.arange(term_count + 1)).astype(np.int64)
    return _Postings(starts, units_sorted[firsts].astype(np.int32), summed, lengths, average_length)


@dataclass
class _Tokens:
    """An organisation's chunks as word ids, kept between index versions so that a rebuild
    reads and tokenises only the chunks it has not seen (chunk ids never change text)."""

    word_ids: dict[str, int] = field(default_factory=dict)
    stem_ids: dict[str, int] = field(default_factory=dict)
    stem_of_word: array = field(default_factory=lambda: array("i"))  # per word id: its stem's id
    chunks: dict = field(default_factory=dict)  # chunk id -> (title, heading word ids, body word ids)

    def ids(self, text: str) -> array:
        found = array("i")
        for word in words(text):
            word_id = self.word_ids.get(word)
            if word_id is None:
                word_id = self.word_ids[word] = len(self.word_ids)
                self.stem_of_word.append(self.stem_ids.setdefault(stem(word), len(self.stem_ids)))
            found.append(word_id)
        return found


_tokens: dict[str, _Tokens] = {}
_FETCH_BATCH = 500


def _tokenized(organization_id: str) -> tuple[_Tokens, list]:
    """The organisation's tokens, brought up to date, and its chunks' (id, document id) in order."""
    tokens = _tokens.setdefault(organization_id, _Tokens())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id, c.document_id, d.title FROM knowledge_chunk c JOIN knowledge_document d ON d.id = c.document_id "
            "WHERE c.organization_id = %s ORDER BY c.id",
            [organization_id],
        )
        rows = cursor.fetchall()
        # A chunk is read again only if it is new or its document was retitled.
        missing = [chunk_id for chunk_id, _, title in rows if chunk_id not in tokens.chunks or tokens.chunks[chunk_id][0] != title]
        for begin in range(0, len(missing), _FETCH_BATCH):
            batch = missing[begin : begin + _FETCH_BATCH]
            cursor.execute(
                "SELECT c.id, c.text, c.metadata, d.title FROM knowledge_chunk c JOIN knowledge_document d ON d.id = c.document_id "
                f"WHERE c.id IN ({', '.join(['%s'] * len(batch))})",
                batch,
            )
            for chunk_id, text, metadata, title in cursor.fetchall():
                metadata = _metadata(metadata)
                heading = tokens.ids(" ".join([title or "", *metadata.get("headings", [])]))
                tokens.chunks[chunk_id] = (title, heading, tokens.ids(passage_body(text, metadata)))
    current = {row[0] for row in rows}
    for gone in [chunk_id for chunk_id in tokens.chunks if chunk_id not in current]:
        del tokens.chunks[gone]
    return tokens, [(row[0], row[1]) for row in rows]


def _build(organization_id: str, version: int) -> LexicalIndex:
    tokens, rows = _tokenized(organization_id)
    word_ids, stem_ids, stem_of_word = tokens.word_ids, tokens.stem_ids, tokens.stem_of_word
    document_keys: dict = {}
    # One entry per word occurrence: the chunk, the word, whether it is a title or heading
    # word. Title words come first in a chunk, so a chunk's words in order are its sequence.
    occurrence_words, occurrence_titles, counts = array("i"), array("b"), array("q")
    codes, first_of_document = array("i"), array("b")
    for chunk_id, document_id in rows:
        _, heading, body = tokens.chunks[chunk_id]
        code = document_keys.get(document_id)
        first_of_document.append(code is None)
        if code is None:
            code = document_keys[document_id] = len(document_keys)
        codes.append(code)
        occurrence_words.extend(heading)
        occurrence_words.extend(body)
        occurrence_titles.extend(b"\x01" * len(heading) + b"\x00" * len(body))
        counts.append(len(heading) + len(body))

    stems_of_words = np.frombuffer(stem_of_word, dtype=np.int32)
    word_of = np.frombuffer(occurrence_words, dtype=np.int32)
    stem_terms = stems_of_words[word_of] if len(word_of) else np.zeros(0, dtype=np.int32)
    chunk_of = np.repeat(np.arange(len(rows), dtype=np.int64), np.frombuffer(counts, dtype=np.int64))
    in_title = np.frombuffer(occurrence_titles, dtype=np.int8).astype(bool)
    # Term ids: stems first, then words.
    terms = {f"s:{value}": index for value, index in stem_ids.items()}
    terms.update({f"w:{value}": len(stem_ids) + index for value, index in word_ids.items()})
    both_terms = np.concatenate([stem_terms, word_of + len(stem_ids)])
    both_chunks = np.concatenate([chunk_of, chunk_of])
    both_weights = np.tile(np.where(in_title, TITLE_WEIGHT, 1.0), 2)
    document_codes = np.frombuffer(codes, dtype=np.int32).copy()
    # A document's title counts once for it: from its first chunk only.
    counted = np.tile(~in_title | np.frombuffer(first_of_document, dtype=np.int8).astype(bool)[chunk_of], 2)
    index = LexicalIndex(
        version=version,
        chunk_ids=np.fromiter((chunk_id for chunk_id, _ in rows), dtype=np.int64, count=len(rows)),
        document_codes=document_codes,
        document_keys=document_keys,
        terms=terms,
        chunks=_postings(both_chunks, both_terms, both_weights, len(rows), len(terms)),
        documents=_postings(
            document_codes[both_chunks[counted]].astype(np.int64),
            both_terms[counted],
            both_weights[counted],
            len(document_keys),
            len(terms),
        ),
        sequence_terms=stem_terms.astype(np.int32),
        sequence_starts=np.concatenate([[0], np.cumsum(np.frombuffer(counts, dtype=np.int64))]).astype(np.int64),
        vocabulary_by_initial={},  # filled below, from the words some chunk still has
    )
    index.vocabulary_by_initial = _by_initial(word for word in word_ids if index.has(f"w:{word}"))
    return index


def _by_initial(vocabulary) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for word in vocabulary:
        grouped.setdefault(word[0], []).append(word)
    return grouped


def _metadata(value) -> dict:
    if isinstance(value, str):  # SQLite returns JSON as text through a raw cursor
        return json.loads(value or "{}")
    return value or {}


# _build is looked up at each build (not bound here), so a test can slow it down.
indexes: VersionedIndexes[LexicalIndex] = VersionedIndexes(
    "full-text", lambda organization_id, version: _build(organization_id, version), lambda index: len(index.chunk_ids)
)


def index_for(organization_id: str) -> LexicalIndex:
    return indexes.get(organization_id)


@dataclass(frozen=True)
class LexicalMatch:
    ranking: list[tuple[int, float]]  # (chunk id, calibrated score) best first
    # How many of the query's content words the organisation's knowledge lacks, and has (a
    # misspelling of one of its words counts as had): a question about something else
    # names something the knowledge never mentions.
    unknown: int
    known: int


def lexical_search(query: str, *, organization_id: str, readable: list, limit: int) -> LexicalMatch:
    """The chunks of the `readable` documents best first, and what the knowledge knows of the query's words."""
    index = index_for(organization_id)
    query_words = index._known_words(query)
    unknown = sum(word is None for word in query_words)
    match = LexicalMatch([], unknown, len(query_words) - unknown)
    codes = np.asarray([index.document_keys[key] for key in readable if key in index.document_keys], dtype=np.int32)
    if not len(codes):
        return match
    scores = index.score(query_words, codes)
    return replace(match, ranking=best_first(scores, index.chunk_ids, min(limit, int((scores > 0).sum()))))


def forget_cache() -> None:
    indexes.forget()
    _tokens.clear()
