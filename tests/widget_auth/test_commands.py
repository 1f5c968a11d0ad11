import io
import json
import time
import uuid

import pytest
from django.core.management import CommandError, call_command

from agents.models import Agent
from tests.factories import AGENT_ID
from widget_auth.models import WidgetPolicy
from widget_auth.services import check_embed, verify_identity
from widget_auth.signatures import AuthContext

pytestmark = pytest.mark.django_db


def run(*args, stdin: str | None = None, monkeypatch=None) -> str:
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("bound", [[], ["--agent", AGENT_ID, "--origin", "https://APP.example.com"]], ids=["legacy", "v2"])
def test_keygen_policy_sign_verify_round_trip(monkeypatch, tmp_path, bound):
    run("widget_policy", "set", "--agent", AGENT_ID, "--origin", "https://app.example.com", "--org", "acme")
    keys = json.loads(run("widget_keygen", "--agent", AGENT_ID, "--json"))
    key_file = tmp_path / "host.key"
    key_file.write_text(keys["privateKey"] + "\n")

    auth_context = json.loads(run("widget_sign", "--user-id", "user-42", "--ed25519-key-file", str(key_file), *bound))

    agent = Agent.objects.select_related("embed_policy").get(id=AGENT_ID)
    assert (agent.organization_id, agent.embed_policy.public_key) == ("acme", keys["publicKey"])
    check_embed(agent=agent, origin="https://app.example.com", strict=True)
    identity = verify_identity(
        agent=agent,
        auth_context=AuthContext(auth_context["userId"], auth_context["signature"], auth_context["timestamp"]),
        origin="https://app.example.com",
        now=int(time.time()),
    )
    assert (identity.user_id, identity.format) == ("user-42", "v2" if bound else "legacy")


def test_a_policy_for_a_new_agent_registers_it_and_never_moves_another_organisations():
    run("widget_policy", "set", "--agent", AGENT_ID, "--origin", "*")
    assert Agent.objects.get(id=AGENT_ID).organization_id == "default"
    with pytest.raises(CommandError, match="belongs to organisation 'default'; move it with: manage.py agent set"):
        run("widget_policy", "set", "--agent", AGENT_ID, "--org", "acme")
    assert Agent.objects.get(id=AGENT_ID).organization_id == "default"


def test_the_legacy_format_can_be_switched_off_and_on():
    run("widget_policy", "set", "--agent", AGENT_ID, "--no-legacy-auth-context")
    assert WidgetPolicy.objects.get().accept_legacy_auth_context is False
    assert '"acceptLegacyAuthContext": true' in run("widget_policy", "set", "--agent", AGENT_ID, "--legacy-auth-context")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--origin", "https://x.example.com"], "--origin goes with --agent"),
        (["--agent", AGENT_ID, "--origin", "https://x.example.com/path"], "--origin: 'https://x.example.com/path': an origin has no path"),
        (["--agent", "nope"], "--agent must be a UUID"),
    ],
)
def test_sign_refuses_a_bad_binding(args, message):
    with pytest.raises(CommandError, match=message):
        run("widget_sign", "--user-id", "u", "--hmac-secret-file", "/dev/null", *args)


def test_hmac_secret_is_read_from_stdin_and_never_printed(monkeypatch):
    output = run(
        "widget_policy",
        "set",
        "--agent",
        AGENT_ID,
        "--scheme",
        "hmac-sha256",
        "--hmac-secret-file",
        "-",
        "--origin",
        "*",
        stdin="hunter2-secret\n",
        monkeypatch=monkeypatch,
    )
    assert "hunter2-secret" not in output
    assert WidgetPolicy.objects.get().hmac_secret == "hunter2-secret"
    assert "hunter2-secret" not in run("widget_policy", "show", "--agent", AGENT_ID)
    assert "hunter2-secret" not in run("widget_policy", "list")
    signed = json.loads(
        run(
            "widget_sign",
            "--user-id",
            "u",
            "--hmac-secret-file",
            "-",
            "--timestamp",
            "1700000000",
            stdin="hunter2-secret",
            monkeypatch=monkeypatch,
        )
    )
    assert signed == {"userId": "u", "signature": signed["signature"], "timestamp": 1700000000}
    assert len(signed["signature"]) == 64 and signed["signature"] == signed["signature"].lower()


def test_set_updates_only_the_fields_given_and_delete_removes():
    run("widget_policy", "set", "--agent", AGENT_ID, "--origin", "https://a.example.com", "--notes", "first")
    run("widget_policy", "set", "--agent", AGENT_ID, "--disable")
    policy = WidgetPolicy.objects.get()
    assert (policy.allowed_origins, policy.notes, policy.enabled) == (["https://a.example.com"], "first", False)
    run("widget_policy", "set", "--agent", AGENT_ID, "--no-origins", "--enable")
    policy.refresh_from_db()
    assert (policy.allowed_origins, policy.enabled) == ([], True)
    assert "deleted" in run("widget_policy", "delete", "--agent", AGENT_ID)
    assert not WidgetPolicy.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["widget_policy", "set", "--agent", "nope"], "--agent must be a UUID"),
        (["widget_policy", "set", "--agent", AGENT_ID, "--origin", "https://x.com/p"], "an origin has no path"),
        (["widget_policy", "set", "--agent", AGENT_ID, "--scheme", "ed25519"], "public_key: An Ed25519 policy needs the host's public key"),
        (["widget_policy", "set", "--agent", AGENT_ID, "--scheme", "ed25519", "--public-key", "abc"], "Not an Ed25519 public key"),
        (
            ["widget_policy", "set", "--agent", AGENT_ID, "--scheme", "hmac-sha256"],
            "hmac_secret: An HMAC-SHA256 policy needs a shared secret",
        ),
        (["widget_policy", "set", "--agent", AGENT_ID, "--hmac-secret-file", "/nonexistent/file"], "cannot read the HMAC secret"),
        (["widget_policy", "show", "--agent", str(uuid.UUID(int=5))], "has no widget policy"),
        (["widget_policy", "delete", "--agent", str(uuid.UUID(int=5))], "has no widget policy"),
        (["widget_sign", "--user-id", "u", "--ed25519-key-file", "/nonexistent/file"], "cannot read the Ed25519 private key"),
    ],
)
def test_bad_commands_fail_with_one_clear_line_and_write_nothing(args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        run(*args)
    assert not WidgetPolicy.objects.exists()
    assert not Agent.objects.exists()  # not even the agent a refused policy named


def test_sign_refuses_a_bad_private_key(tmp_path):
    key_file = tmp_path / "bad.key"
    key_file.write_text("abc")
    with pytest.raises(CommandError, match="not an Ed25519 private key"):
        run("widget_sign", "--user-id", "u", "--ed25519-key-file", str(key_file))
