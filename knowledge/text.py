"""Words of a text, as the full-text ranking and the offline answer read them."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

# Runs of letters, or of digits: "10gb" is "10" and "gb", as "10 GB" is.
WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
# The offline embedder's stopwords: frozen, because stored vectors were made with them.
BASE_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "my",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "this",
        "to",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    ]
)
STOPWORDS = BASE_STOPWORDS | frozenset(
    [
        "about",
        "after",
        "again",
        "all",
        "also",
        "am",
        "any",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "could",
        "did",
        "doing",
        "done",
        "down",
        "during",
        "each",
        "else",
        "ever",
        "few",
        "get",
        "gets",
        "getting",
        "got",
        "had",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "into",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "much",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "off",
        "once",
        "only",
        "other",
        "ours",
        "out",
        "over",
        "own",
        "please",
        "same",
        "she",
        "should",
        "some",
        "such",
        "than",
        "they",
        "those",
        "through",
        "too",
        "under",
        "until",
        "up",
        "us",
        "very",
        "via",
        "want",
        "were",
        "while",
        "whom",
        "would",
        "yes",
        "yet",
        "yours",
    ]
)
# The pieces \\w+ leaves of contractions ("don't" -> "don", "t") and a conversation's
# filler: words any question may carry that say nothing of its subject.
CONVERSATION_FILLER = frozenset(
    [
        "s",
        "t",
        "m",
        "d",
        "ll",
        "re",
        "ve",
        "don",
        "didn",
        "doesn",
        "isn",
        "aren",
        "wasn",
        "weren",
        "won",
        "wouldn",
        "couldn",
        "shouldn",
        "haven",
        "hasn",
        "hadn",
        "hi",
        "hello",
        "hey",
        "thanks",
        "thank",
        "ok",
        "okay",
        "anyway",
        "really",
        "actually",
        "basically",
        "just",
        "still",
        "maybe",
        "something",
        "anything",
        "everything",
        "nothing",
        "someone",
        "anyone",
        "thing",
        "things",
        "way",
        "bit",
        "lot",
        "sure",
        "know",
        "think",
        "need",
        "like",
        "say",
        "says",
        "said",
        "saying",
        "tell",
        "told",
        "going",
        "go",
        "goes",
    ]
)
_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


CORRECTED_WORD_LENGTH = 5


def correction(word: str, vocabulary_by_initial: dict) -> str | None:
    """The vocabulary's word one edit away from `word` (a transposition is one), with the
    same first letter: typos rarely change it, and real words one letter apart ("slower",
    "lower") usually do. Words shorter than CORRECTED_WORD_LENGTH, or with digits, have none."""
    if len(word) < CORRECTED_WORD_LENGTH or not word.isalpha():
        return None
    match = process.extractOne(word, vocabulary_by_initial.get(word[0], ()), scorer=OSA.distance, score_cutoff=1)
    return match[0] if match else None


def words(text: str) -> list[str]:
    """Lower-cased content words, in order (stopwords left out)."""
    return [word for word in WORD.findall(text.lower()) if word not in STOPWORDS and word not in CONVERSATION_FILLER]


def passage_body(text: str, metadata: dict) -> str:
    """A chunk's text without the heading path it starts with (chunks carry one
    when their document has headings), on one line."""
    if metadata.get("headings") and "\n" in text:
        text = text.split("\n", 1)[1]
    return " ".join(text.split())


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")


def _inline(text: str) -> str:
    return " ".join(_EMPHASIS.sub("", _LINK.sub(r"\1", text)).split())


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?:" else f"{text}."


def _table_sentences(rows: list[list[str]]) -> list[str]:
    """A table, a sentence per row: "Data: 5 GB." with two columns, else
    "Fibre 100: download speed 100 Mbps, price 25 euros / month."."""
    header, body = rows[0], rows[1:]
    sentences = []
    for row in body:
        if len(row) == 2:
            sentences.append(_sentence(f"{row[0]}: {row[1]}"))
        elif row:
            named = [f"{name.lower()} {cell}" if name else cell for name, cell in zip(header[1:], row[1:])]
            sentences.append(_sentence(f"{row[0]}: {', '.join(named)}"))
    return sentences


def plain_sentences(text: str, metadata: dict) -> list[str]:
    """A chunk as whole plain-text sentences: no heading path, no Markdown marks, list
    items and table rows as sentences of their own, code blocks left out, and a first
    sentence cut off by the chunk's start (the overlap with the chunk before) dropped."""
    if metadata.get("headings") and "\n" in text:
        text = text.split("\n", 1)[1]
    sentences: list[str] = []
    paragraph: list[str] = []
    table: list[list[str]] = []
    in_code = False

    def flush() -> None:
        if paragraph:
            sentences.extend(_sentence(part) for part in _SENTENCE_END.split(_inline(" ".join(paragraph))) if part.strip())
            paragraph.clear()
        if table:
            sentences.extend(_table_sentences(table))
            table.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            after = stripped[3:].strip()
            if in_code:
                in_code = False
            elif " " in after:  # a closing fence, prose after it: the chunk began inside the code
                paragraph.clear()
            else:
                flush()
                in_code = True
                continue
            if after:
                paragraph.append(after)
            continue
        if in_code:
            continue
        if stripped.startswith("|"):
            if paragraph:
                flush()
            if not _TABLE_RULE.match(stripped):
                table.append([_inline(cell) for cell in stripped.strip("|").split("|")])
            continue
        if table:
            flush()
        if not stripped or stripped.startswith("#"):
            flush()
        elif _LIST_ITEM.match(line):
            flush()
            paragraph.append(_LIST_ITEM.sub("", line))
            flush()
        else:
            paragraph.append(stripped)
    flush()
    if sentences and not sentences[0][:1].isupper() and not sentences[0][:1].isdigit():
        sentences = sentences[1:]
    return [sentence for sentence in sentences if any(character.isalnum() for character in sentence)]


def passage_for_embedding(text: str, metadata: dict) -> str:
    """What a chunk's vector is made of: its document's title and its headings, then its
    sentences in plain text (no Markdown marks, no code)."""
    lead = " - ".join(dict.fromkeys(part for part in [metadata.get("title", ""), *metadata.get("headings", [])] if part))
    body = " ".join(plain_sentences(text, metadata)) or passage_body(text, metadata)
    return f"{lead}\n{body}" if lead else body
