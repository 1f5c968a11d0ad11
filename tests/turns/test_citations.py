from chat.turns.citations import MAX_CITATIONS, SNIPPET_CHARS, Citation, collect, snippet
from knowledge.text import passage_body


def cite(source: str, score: float = 1.0) -> Citation:
    return Citation(id=source, title=source, snippet="s", score=score)


def test_citations_keep_the_first_of_each_document_in_order_and_stop_at_8():
    auto = [cite("a", 0.9), cite("b", 0.8)]
    tool = [cite("b", 0.99), cite("c")] + [cite(f"t{i}") for i in range(10)]
    collected = collect(auto, tool)
    assert [c.id for c in collected] == ["a", "b", "c", "t0", "t1", "t2", "t3", "t4"]
    assert len(collected) == MAX_CITATIONS
    assert collected[1].score == 0.8  # the auto-context occurrence wins


def test_snippets_are_cut_at_a_word_near_500_characters():
    text = "word " * 300
    cut = snippet(text.strip())
    assert len(cut) <= SNIPPET_CHARS + 1 and cut.endswith("…")
    assert cut[:-1].split() == ["word"] * len(cut[:-1].split())
    assert snippet("short") == "short"


def test_the_heading_path_is_left_out_of_the_passage():
    assert passage_body("Returns > Window\nWithin 17  days.", {"headings": ["Returns", "Window"]}) == "Within 17 days."
    assert passage_body("First line.\nSecond line.", {}) == "First line. Second line."


def test_url_is_omitted_not_null_without_a_web_source():
    assert "url" not in cite("policies/a.md").as_event()
    assert Citation(id="https://x.test/a", title="A", snippet="s", score=1, url="https://x.test/a").as_event()["url"] == "https://x.test/a"
