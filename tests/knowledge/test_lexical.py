"""The full-text ranking (knowledge.lexical): fields, stems against surface forms,
typos, calibrated scores, access, and rebuilding."""

import threading

import pytest

from identity.access import AccessContext
from knowledge import indexes, lexical
from knowledge.retrieval import search_blocking
from tests.knowledge.kb import add, found_sources

pytestmark = pytest.mark.django_db

ANYONE = AccessContext.anonymous("acme")


@pytest.fixture(autouse=True)
def full_text_alone(settings):
    """These are the full-text half's tests: the meaning half stays out of them."""
    settings.SMOOTH_RETRIEVAL_DENSE_WEIGHT = 0.0


def test_team_does_not_match_microsoft_teams_over_the_page_about_teams_of_people():
    add(
        "acme",
        "teams.md",
        "# Microsoft Teams\n\nPost updates to Microsoft Teams. Teams channels get every event. Teams webhooks need a URL.",
    )
    add("acme", "seats.md", "# Inviting people\n\nInvite your team from the Members page. Each member of a team takes a seat.")
    assert found_sources("how do I add my team", ANYONE, limit=2, min_score=0.0)[0] == "seats.md"
    # The stem still finds the plural when nothing else does.
    assert found_sources("teams webhook url", ANYONE, limit=1) == ["teams.md"]


def test_a_match_in_the_title_outranks_the_same_word_in_passing():
    add("acme", "refunds.md", "# Refunds\n\nMoney goes back to the card you paid with within five days.")
    add("acme", "orders.md", "# Orders\n\nOrders ship in two days. Refunds are covered on another page. Orders can be tracked.")
    assert found_sources("refunds", ANYONE, limit=1) == ["refunds.md"]


def test_a_misspelt_word_is_corrected_to_the_vocabulary():
    add("acme", "voicemail.md", "# Voicemail\n\nCall 1750 to hear your voicemail.")
    add("acme", "billing.md", "# Billing\n\nBills arrive on the first of the month.")
    assert found_sources("voicemial number", ANYONE, limit=1, min_score=0.0) == ["voicemail.md"]
    # A real word one letter from another is left alone: no "slower" -> "lower".
    add("acme", "prices.md", "# Prices\n\nOur lower prices apply to every plan.")
    assert lexical.index_for("acme")._known_words("slower internet") == [None, None]


def test_scores_are_shares_of_the_question_so_a_full_match_nears_one_and_unknown_words_pull_down():
    add("acme", "esim.md", "# eSIM activation\n\nActivate your eSIM from the app: scan the QR code.")
    for topic in ("Opening hours", "Delivery", "Invoices", "Gift cards", "Passwords", "Roaming", "Repairs", "Contact"):
        add("acme", f"{topic}.md", f"# {topic}\n\nAll about {topic.lower()}, every day of the week.")

    def score(question: str) -> float:
        return search_blocking(question, ANYONE, limit=1, min_score=0.0)[0].score

    assert 0.5 < score("esim activation qr code") <= 1.0
    # Two words nothing mentions weigh as much as the two that match: the score halves.
    assert 0.0 < score("esim activation for my gym membership") < 0.65 * score("esim activation")


def test_below_the_floor_nothing_is_returned(settings):
    add("acme", "esim.md", "# eSIM activation\n\nActivate your eSIM from the app: scan the QR code.")
    weak = search_blocking("cancel my gym membership app", ANYONE, limit=3, min_score=0.0)
    assert weak and weak[0].score < 0.2
    settings.SMOOTH_RETRIEVAL_MIN_SCORE = 0.2
    assert search_blocking("cancel my gym membership app", ANYONE, limit=3) == []
    assert found_sources("esim activation", ANYONE) == ["esim.md"]


def test_an_unreadable_document_scores_nothing_and_a_change_rebuilds_the_index():
    add("acme", "open.md", "# Parcel lockers\n\nPick up parcels from a locker.")
    add("acme", "staff.md", "# Parcel lockers for staff\n\nStaff lockers open with a badge.", access={"groups": ["staff"]})
    assert found_sources("parcel lockers staff badge", ANYONE) == ["open.md"]
    staff = AccessContext("acme", user_id="u-1", groups=frozenset({"staff"}))
    assert found_sources("parcel lockers staff badge", staff)[0] == "staff.md"
    add("acme", "new.md", "# Gift wrapping\n\nWrapping costs two euros.")
    assert found_sources("gift wrapping", ANYONE) == ["new.md"]  # the new version's index, not the cached one


@pytest.mark.django_db(transaction=True)  # the background build reads on its own connection
def test_a_large_organisation_searches_its_previous_index_while_the_new_one_builds(monkeypatch):
    monkeypatch.setattr(indexes, "INLINE_REBUILD_CHUNKS", 0)
    add("acme", "lockers.md", "# Parcel lockers\n\nPick up parcels from a locker.")
    assert found_sources("parcel lockers", ANYONE) == ["lockers.md"]  # the first build is at once
    built = threading.Event()
    real_build = lexical._build

    def slow_build(organization_id, version):
        built.wait(10)  # held until the test has searched the previous index
        return real_build(organization_id, version)

    monkeypatch.setattr(lexical, "_build", slow_build)
    add("acme", "wrapping.md", "# Gift wrapping\n\nWrapping costs two euros.")
    assert found_sources("gift wrapping", ANYONE) == []  # not in the previous index yet
    assert found_sources("parcel lockers", ANYONE) == ["lockers.md"]  # which goes on serving
    built.set()
    lexical.indexes.wait()
    assert found_sources("gift wrapping", ANYONE) == ["wrapping.md"]
