"""Chunks as plain sentences, for quoting (knowledge.text.plain_sentences)."""

from knowledge.chunking import chunk_text
from knowledge.text import plain_sentences


def sentences_of(markdown: str) -> list[list[str]]:
    return [plain_sentences(chunk.text, chunk.metadata) for chunk in chunk_text(markdown)]


def test_markdown_marks_go_and_links_keep_their_text():
    [sentences] = sentences_of("# Plans\n\nThe **Plus** plan costs `22` euros. See [the price list](https://example.com/p) for *more*.")
    assert sentences == ["The Plus plan costs 22 euros.", "See the price list for more."]


def test_list_items_and_table_rows_read_as_sentences():
    [sentences] = sentences_of(
        "# Plans\n\n- 5 concurrent jobs\n- Linux runners\n1. Open the app\n2. Scan the code\n\n"
        "| Plan | Speed | Price |\n| --- | --- | --- |\n| Fibre 100 | 100 Mbps | 25 euros |\n\n"
        "| What | Basic |\n| --- | --- |\n| Data | 5 GB |"
    )
    assert sentences == [
        "5 concurrent jobs.",
        "Linux runners.",
        "Open the app.",
        "Scan the code.",
        "Fibre 100: speed 100 Mbps, price 25 euros.",
        "Data: 5 GB.",
    ]


def test_code_blocks_are_left_out():
    [sentences] = sentences_of("# Setup\n\nRun the installer.\n\n```\ncurl -sSL https://x | sh\n```\n\nThen restart.")
    assert sentences == ["Run the installer.", "Then restart."]


def test_a_chunk_that_begins_mid_sentence_or_inside_code_starts_at_its_first_whole_sentence():
    assert plain_sentences("Refunds\nmonth, and then the plan ends. Refunds take five days.", {"headings": ["Refunds"]}) == [
        "Refunds take five days."
    ]
    assert plain_sentences("Caching\n}}\npaths: [x]\n``` Each repository keeps 10 GB.", {"headings": ["Caching"]}) == [
        "Each repository keeps 10 GB."
    ]


def test_sentences_split_at_ends_but_not_inside_numbers_or_abbreviations_before_lower_case():
    [sentences] = sentences_of("# Hours\n\nOpen from 9 a.m. to 6 p.m. daily. Version 2.5 is current! Is it? Yes.")
    assert sentences == ["Open from 9 a.m. to 6 p.m. daily.", "Version 2.5 is current!", "Is it?", "Yes."]
