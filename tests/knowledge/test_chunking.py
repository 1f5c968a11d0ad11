import re

import pytest

from knowledge.chunking import MAX_CHARS, OVERLAP, chunk_text

PROSE = " ".join(f"Sentence number {i} talks about returns, refunds and shipping windows." for i in range(60))


def words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def test_empty_and_blank_documents_have_no_chunks():
    assert chunk_text("") == []
    assert chunk_text("\n\n   \n") == []


def test_a_tiny_document_is_one_chunk_carrying_the_metadata():
    (chunk,) = chunk_text("Hello there.", metadata={"lang": "en"})
    assert (chunk.position, chunk.text, chunk.metadata) == (0, "Hello there.", {"lang": "en"})


def test_chunks_respect_the_size_limit_and_never_split_a_word():
    source_words = set(words(PROSE))
    chunks = chunk_text(PROSE)
    assert len(chunks) > 3
    assert [chunk.position for chunk in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert len(chunk.text) <= MAX_CHARS
        assert set(words(chunk.text)) <= source_words  # every token is a whole word of the source


def test_consecutive_chunks_of_a_section_overlap_by_about_the_overlap():
    chunks = chunk_text(PROSE)
    for previous, current in zip(chunks, chunks[1:]):
        carried = current.text[: OVERLAP + 20]
        head = " ".join(words(carried)[:4])
        assert head in previous.text[-(OVERLAP + 20) :], (previous.text[-120:], current.text[:120])


def test_headings_start_sections_and_travel_with_their_chunks():
    text = "# Returns\n\nReturn within 17 days.\n\n## Exceptions\n\nSale items are final.\n\n# Shipping\n\nShips in 2 days."
    chunks = chunk_text(text, metadata={"source": "p.md"})
    assert [chunk.text for chunk in chunks] == [
        "Returns\nReturn within 17 days.",
        "Returns > Exceptions\nSale items are final.",
        "Shipping\nShips in 2 days.",
    ]
    assert chunks[1].metadata == {"source": "p.md", "headings": ["Returns", "Exceptions"]}


def test_paragraphs_are_kept_whole_when_they_fit():
    paragraphs = [f"Paragraph {i} " + "word " * 30 for i in range(10)]
    chunks = chunk_text("\n\n".join(paragraphs))
    for paragraph in paragraphs:
        assert any(paragraph.strip() in chunk.text for chunk in chunks), paragraph[:20]


@pytest.mark.parametrize("unit", ["日本語の文章です。", "emoji 🎉🎉 party ", "café naïve résumé ", "e\u0301 combining "])
def test_multi_byte_text_is_never_cut_inside_a_character(unit):
    text = unit * 200
    chunks = chunk_text(text)
    assert chunks
    for chunk in chunks:
        chunk.text.encode("utf-8")  # would raise on a broken surrogate
        assert len(chunk.text) <= MAX_CHARS or " " not in chunk.text
        assert not chunk.text.startswith("\u0301")  # a combining mark never starts a chunk


def test_a_word_longer_than_a_chunk_is_kept_whole():
    long_word = "x" * (MAX_CHARS + 50)
    chunks = chunk_text(f"before {long_word} after")
    assert any(long_word in chunk.text for chunk in chunks)
