import pytest
from django.core.exceptions import ValidationError

from identity.access import AccessContext
from knowledge.access import normalize_access
from tests.knowledge.kb import add, found_sources, visible_sources

pytestmark = pytest.mark.django_db

ANONYMOUS = AccessContext.anonymous("acme")
ALICE = AccessContext("acme", user_id="alice")
CAROL_IN_SUPPORT = AccessContext("acme", user_id="carol", groups=frozenset({"support"}))
DAVE_OUTSIDER = AccessContext("acme", user_id="dave", groups=frozenset({"marketing"}))


@pytest.fixture
def library():
    add("acme", "open.md", "# Open\n\nThe office opens at nine.")
    add("acme", "public.md", "# Public\n\nPress kit and logos.", access={"public": True})
    add("acme", "alice.md", "# Alice\n\nAlice's salary review.", access={"users": ["alice"]})
    add("acme", "support.md", "# Support\n\nEscalation runbook for agents.", access={"groups": ["support"]})
    add("acme", "billing.md", "# Billing\n\nRefund override codes.", access={"users": ["bob"], "groups": ["billing"]})
    add("acme", "nobody.md", "# Nobody\n\nDraft not yet shared.", access={"public": False, "users": [], "groups": []})
    add("other-org", "other.md", "# Other\n\nAnother company's open page.")


@pytest.mark.parametrize(
    "requester, visible",
    [
        (ANONYMOUS, {"open.md", "public.md"}),
        (ALICE, {"open.md", "public.md", "alice.md"}),
        (CAROL_IN_SUPPORT, {"open.md", "public.md", "support.md"}),
        (DAVE_OUTSIDER, {"open.md", "public.md"}),
        (AccessContext("acme", user_id="bob"), {"open.md", "public.md", "billing.md"}),
        (AccessContext("acme", groups=frozenset({"billing", "support"})), {"open.md", "public.md", "support.md", "billing.md"}),
    ],
    ids=["anonymous", "listed user", "group member", "outsider", "user of a mixed list", "groups only"],
)
def test_each_requester_sees_exactly_their_set(library, requester, visible):
    assert visible_sources(requester) == visible


def test_a_restricted_best_match_never_appears_and_the_top_k_is_still_full():
    secret = "quarterly revenue forecast quarterly revenue forecast numbers"
    add("acme", "forecast.md", f"# Forecast\n\n{secret}", access={"groups": ["finance"]})
    for index in range(6):
        add("acme", f"note-{index}.md", f"# Note {index}\n\nThe quarterly newsletter number {index} mentions revenue once.")
    query = "quarterly revenue forecast"

    for outsider in (ANONYMOUS, DAVE_OUTSIDER, AccessContext("acme", user_id="finance")):
        results = found_sources(query, outsider, limit=3, min_score=0.0)  # weak matches too: the floor is not under test
        assert len(results) == 3
        assert "forecast.md" not in results

    insider = AccessContext("acme", user_id="x", groups=frozenset({"finance"}))
    assert found_sources(query, insider, limit=3)[0] == "forecast.md"


def test_a_restricted_document_can_be_opened_up_and_closed_again():
    from knowledge.access import apply_access

    document = add("acme", "memo.md", "# Memo\n\nThe parking garage closes for repairs.", access={"users": ["alice"]})
    assert found_sources("parking garage repairs", ANONYMOUS) == []
    apply_access(document, None)
    assert found_sources("parking garage repairs", ANONYMOUS) == ["memo.md"]
    apply_access(document, {"groups": ["facilities"]})
    assert found_sources("parking garage repairs", ANONYMOUS) == []


@pytest.mark.parametrize(
    "value, words",
    [
        ("public", "must be null or an object"),
        ({"public": "yes"}, "access.public must be true or false"),
        ({"users": "alice"}, "access.users must be a list of non-empty strings"),
        ({"groups": [""]}, "access.groups must be a list of non-empty strings"),
        ({"roles": ["x"]}, "Unknown access list keys: roles"),
    ],
)
def test_bad_access_lists_are_refused(value, words):
    with pytest.raises(ValidationError, match=words):
        normalize_access(value)


def test_an_access_context_cannot_be_made_without_an_organisation():
    for organization_id in (None, ""):
        with pytest.raises(ValueError, match="needs the organisation"):
            AccessContext(organization_id)


def test_the_same_user_and_groups_in_another_organisation_read_nothing_of_this_one(library):
    add("other-org", "alice-other.md", "# Alice\n\nOther-org notes for alice.", access={"users": ["alice"], "groups": ["support"]})
    elsewhere = AccessContext("other-org", user_id="alice", groups=frozenset({"support"}))
    assert visible_sources(elsewhere) == {"other.md", "alice-other.md"}


def test_access_lists_are_normalised():
    assert normalize_access({"users": [" b", "a", "a"]}) == {"public": False, "users": ["a", "b"], "groups": []}
    assert normalize_access(None) is None
