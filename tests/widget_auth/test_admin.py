import pytest
from django.urls import reverse

from tests.factories import AGENT_ID, make_agent, make_policy, make_session
from widget_auth.models import WidgetPolicy
from widget_auth.signatures import generate_ed25519_key_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("owner", "owner@example.com", "pw-for-tests")
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def agent():
    return make_agent()


def _form(**overrides):
    data = {
        "agent": AGENT_ID,
        "enabled": "on",
        "accept_legacy_auth_context": "on",
        "allowed_origins": "https://app.example.com",
        "key_scheme": "",
        "public_key": "",
        "hmac_secret": "",
        "notes": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_policy_list_shows_policies_without_their_hmac_secret(staff_client):
    make_policy(allowed_origins=["https://app.example.com"], key_scheme="hmac-sha256", hmac_secret="TOP-SECRET-VALUE")
    response = staff_client.get(reverse("admin:widget_auth_widgetpolicy_changelist"))
    assert response.status_code == 200
    assert AGENT_ID in response.text
    assert "https://app.example.com" in response.text
    assert "TOP-SECRET-VALUE" not in response.text


def test_the_change_page_never_shows_the_secret_back(staff_client):
    policy = make_policy(allowed_origins=["*"], key_scheme="hmac-sha256", hmac_secret="TOP-SECRET-VALUE")
    response = staff_client.get(reverse("admin:widget_auth_widgetpolicy_change", args=[policy.pk]))
    assert response.status_code == 200
    assert "TOP-SECRET-VALUE" not in response.text


def test_adding_a_policy_normalises_origins(staff_client):
    response = staff_client.post(
        reverse("admin:widget_auth_widgetpolicy_add"),
        _form(allowed_origins="HTTPS://App.Example.com\n\nhttps://*.example.org:8443\nhttps://app.example.com"),
    )
    assert response.status_code == 302, response.text
    policy = WidgetPolicy.objects.get(agent_id=AGENT_ID)
    assert policy.allowed_origins == ["https://app.example.com", "https://*.example.org:8443"]


def test_a_bad_origin_is_refused_with_the_validators_words(staff_client):
    response = staff_client.post(reverse("admin:widget_auth_widgetpolicy_add"), _form(allowed_origins="https://app.example.com/path"))
    assert response.status_code == 200
    assert "an origin has no path, query, user or spaces" in response.text
    assert not WidgetPolicy.objects.exists()


@pytest.mark.parametrize(
    "public_key, words",
    [("not-a-key", "Not an Ed25519 public key"), ("A" * 43, "not a valid Ed25519 public key"), ("", "An Ed25519 policy needs the host")],
)
def test_a_bad_ed25519_key_is_refused(staff_client, public_key, words):
    response = staff_client.post(reverse("admin:widget_auth_widgetpolicy_add"), _form(key_scheme="ed25519", public_key=public_key))
    assert response.status_code == 200
    assert words in response.text
    assert not WidgetPolicy.objects.exists()


def test_a_valid_ed25519_key_is_stored(staff_client):
    _, public_key = generate_ed25519_key_pair()
    response = staff_client.post(reverse("admin:widget_auth_widgetpolicy_add"), _form(key_scheme="ed25519", public_key=public_key))
    assert response.status_code == 302
    assert WidgetPolicy.objects.get().public_key == public_key


def test_a_blank_secret_keeps_the_stored_one_and_a_new_one_replaces_it(staff_client):
    policy = make_policy(allowed_origins=["*"], key_scheme="hmac-sha256", hmac_secret="first-secret")
    url = reverse("admin:widget_auth_widgetpolicy_change", args=[policy.pk])
    assert staff_client.post(url, _form(allowed_origins="*", key_scheme="hmac-sha256", notes="edited")).status_code == 302
    policy.refresh_from_db()
    assert (policy.hmac_secret, policy.notes) == ("first-secret", "edited")
    assert staff_client.post(url, _form(allowed_origins="*", key_scheme="hmac-sha256", hmac_secret="second-secret")).status_code == 302
    policy.refresh_from_db()
    assert policy.hmac_secret == "second-secret"


def test_switching_away_from_hmac_drops_the_secret(staff_client):
    policy = make_policy(allowed_origins=["*"], key_scheme="hmac-sha256", hmac_secret="first-secret")
    url = reverse("admin:widget_auth_widgetpolicy_change", args=[policy.pk])
    assert staff_client.post(url, _form(allowed_origins="*", key_scheme="")).status_code == 302
    policy.refresh_from_db()
    assert policy.hmac_secret == ""


def test_an_hmac_policy_needs_a_secret(staff_client):
    response = staff_client.post(reverse("admin:widget_auth_widgetpolicy_add"), _form(key_scheme="hmac-sha256"))
    assert "An HMAC-SHA256 policy needs a shared secret." in response.text


def test_conversations_are_listed_and_searchable_by_email_session_and_conversation_id(staff_client):
    from chat import services
    from chat.models import Participant

    session = make_session(user_name="Zed")
    Participant.objects.filter(id=session.user_participant_id).update(email="zed@example.com")
    services.record_user_message(session=session, text="Zed asks about returns", request_id="m-1")
    other = make_session(user_name="Other")
    services.record_user_message(session=other, text="Other asks about shipping", request_id="m-1")
    url = reverse("admin:chat_conversation_changelist")
    for term in ["zed@example.com", str(session.session_id), str(session.conversation_id)]:
        response = staff_client.get(url, {"q": term})
        assert response.status_code == 200
        assert "Zed asks about returns" in response.text, term
        assert "Other asks about shipping" not in response.text, term
    assert staff_client.get(url, {"q": "not-a-uuid"}).status_code == 200
    detail = staff_client.get(reverse("admin:chat_conversation_change", args=[other.conversation_id]))
    assert detail.status_code == 200
    assert str(other.session_id) in detail.text


def test_sessions_are_searchable_by_session_id(staff_client):
    session = make_session()
    response = staff_client.get(reverse("admin:chat_session_changelist"), {"q": str(session.session_id)})
    assert response.status_code == 200
    assert "1 session" in response.text or "1 result" in response.text


def test_staff_cannot_add_conversations_or_edit_messages(staff_client):
    assert staff_client.get(reverse("admin:chat_conversation_add")).status_code == 403
    assert staff_client.get(reverse("admin:chat_message_add")).status_code == 403
