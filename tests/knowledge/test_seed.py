import io

import pytest
from django.core.management import CommandError, call_command

from identity.access import AccessContext
from knowledge.retrieval import search_blocking as search

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_demo_knowledge_answers_the_return_window_with_17_days():
    assert "4 added" in run("kb_seed")
    assert "4 unchanged" in run("kb_seed")
    (best,) = search("How long is the return window?", AccessContext.anonymous("default"), limit=1, document_sets=["policies"])
    assert "17 days" in best.text
    assert best.title == "Returns policy"
    assert best.url is None  # not a web source


@pytest.mark.parametrize(
    "query, words",
    [
        ("How long does standard shipping take?", "5 to 7 business days"),
        ("How fast is expedited shipping?", "Expedited shipping takes 2 business days"),
    ],
)
def test_the_demo_knowledge_has_the_shipping_times_in_the_top_3(query, words):
    """The agent is given the top 3 passages; the answer must be among them."""
    run("kb_seed")
    assert any(words in result.text for result in search(query, AccessContext.anonymous("default"), limit=3))


def test_the_search_command_prints_ranked_results_with_scores():
    run("kb_seed")
    output = run("kb_search", "return window", "--limit", "2")
    lines = output.splitlines()
    assert lines[0] == "1 result(s) for 'return window' as anonymous, judged relevant"
    assert lines[1].startswith("1. [0.") and "Returns policy" in lines[1]


def test_the_search_command_shows_what_a_floor_leaves_out():
    run("kb_seed")
    # Mostly words the knowledge base never mentions: a weak match.
    assert run("kb_search", "gym membership fees returns", "--min-score", "0.5").startswith("0 result(s)")
    below = run("kb_search", "gym membership fees returns", "--min-score", "0").splitlines()
    assert below[0].endswith("scoring at least 0") and "Returns policy" in below[1]
    assert 0 < float(below[1].split("[")[1].split("]")[0]) < 0.5


@pytest.mark.parametrize(
    "args, words",
    [
        (["x", "--limit", "0"], "--limit must be from 1"),
        (["  "], "the query is empty"),
        (["x", "--min-score", "2"], "--min-score must be from 0 to 1"),
        (["x", "--min-score", "nan"], "--min-score must be from 0 to 1"),
    ],
)
def test_the_search_command_refuses_bad_arguments(args, words):
    with pytest.raises(CommandError, match=words):
        run("kb_search", *args)


def test_search_as_a_user_and_group_is_named_in_the_output():
    assert "as user alice in staff" in run("kb_search", "anything", "--user", "alice", "--group", "staff")
