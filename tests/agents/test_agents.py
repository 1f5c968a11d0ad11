"""Agents from the shell, in the Django admin, and on first use."""

import io
import json
import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from agents.models import Agent
from tests.factories import AGENT_ID, make_agent, make_session

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("agent", *args, stdout=out)
    return out.getvalue()


def shown(output: str) -> dict:
    return json.loads(output[output.index("{") :])


def test_create_set_show_list_and_delete(settings, tmp_path):
    settings.SMOOTH_AGENT_MODEL = "server-model"
    created = shown(run("create", "--org", "acme", "--name", "Sales bot", "--model", "sales-model"))
    assert (created["organizationId"], created["name"], created["model"], created["enabled"]) == ("acme", "Sales bot", "sales-model", True)
    agent_id = created["id"]

    prompt = tmp_path / "prompt.txt"
    prompt.write_text("Sell politely.\n")
    changed = shown(
        run("set", "--agent", agent_id, "--system-prompt-file", str(prompt), "--max-iterations", "3", "--model", "", "--disable")
    )
    assert (changed["systemPrompt"], changed["maxIterations"], changed["model"], changed["enabled"]) == (
        "Sell politely.",
        3,
        "server-model",
        False,
    )
    assert shown(run("show", "--agent", agent_id)) == changed
    assert f"{agent_id}  disabled  org=acme  name='Sales bot'" in run("list", "--org", "acme")
    assert run("list", "--org", "globex") == "no agents\n"

    moved = shown(run("set", "--agent", agent_id, "--org", "globex"))
    assert moved["organizationId"] == "globex"
    assert "deleted" in run("delete", "--agent", agent_id)
    assert not Agent.objects.exists()


def test_create_with_a_chosen_id_and_the_server_defaults():
    created = shown(run("create", "--org", "acme", "--id", AGENT_ID))
    assert (created["id"], created["name"], created["customised"]) == (
        AGENT_ID,
        "Smooth",
        {"model": False, "systemPrompt": False, "maxIterations": False, "tools": False, "confirmTools": False, "endUserTools": False},
    )


def test_tools_and_confirmation_are_set_reset_and_validated_from_the_shell(settings):
    settings.SMOOTH_AGENT_CONFIRM_TOOLS = ["delete_*"]
    created = shown(run("create", "--org", "acme", "--id", AGENT_ID))
    assert (created["tools"], created["confirmTools"]) == (None, ["delete_*"])  # the server's defaults
    changed = shown(
        run("set", "--agent", AGENT_ID, "--tools", "knowledge_search, order_status", "--confirm-tools", "refund_*,cancel_order")
    )
    assert (changed["tools"], changed["confirmTools"]) == (["knowledge_search", "order_status"], ["refund_*", "cancel_order"])
    assert (changed["customised"]["tools"], changed["customised"]["confirmTools"]) == (True, True)
    none = shown(run("set", "--agent", AGENT_ID, "--confirm-tools", ""))
    assert (none["confirmTools"], none["customised"]["confirmTools"]) == ([], True)  # none at all, not the default
    reset = shown(run("set", "--agent", AGENT_ID, "--tools", "default", "--confirm-tools", "default"))
    assert (reset["tools"], reset["confirmTools"], reset["customised"]["tools"]) == (None, ["delete_*"], False)
    limited = shown(run("set", "--agent", AGENT_ID, "--messages-per-session", "5/min", "--sessions-per-ip", "0"))
    assert (limited["rateLimits"]["messagesPerSession"], limited["rateLimits"]["sessionsPerIp"]) == ("5/min", "0")
    with pytest.raises(CommandError, match="is not a rate"):
        run("set", "--agent", AGENT_ID, "--messages-per-agent", "often")
    with pytest.raises(CommandError, match="at most 128 characters"):
        run("set", "--agent", AGENT_ID, "--tools", "x" * 129)
    assert Agent.objects.get(id=AGENT_ID).tools is None  # nothing half-written


@pytest.mark.parametrize(
    "args, words",
    [
        (["create", "--org", "acme", "--id", "nope"], "--agent must be a UUID"),
        (["create", "--org", "acme", "--max-iterations", "99"], "max_iterations: Ensure this value is less than or equal to 50."),
        (["create", "--org", "", "--name", "x"], "organization_id: This field cannot be blank."),
        (["show", "--agent", str(uuid.UUID(int=9))], "no agent 00000000-0000-0000-0000-000000000009 is registered"),
        (["set", "--agent", str(uuid.UUID(int=9)), "--name", "x"], "is registered"),
        (["set", "--agent", AGENT_ID, "--system-prompt-file", "/nonexistent"], "cannot read the system prompt"),
    ],
)
def test_bad_commands_fail_with_one_line_and_change_nothing(args, words):
    make_agent(name="Untouched")
    with pytest.raises(CommandError, match=words):
        run(*args)
    assert list(Agent.objects.values_list("name", flat=True)) == ["Untouched"]


def test_an_agent_id_already_registered_is_not_created_again():
    make_agent(organization_id="globex")
    with pytest.raises(CommandError, match=f"agent {AGENT_ID} is already registered"):
        run("create", "--org", "acme", "--id", AGENT_ID)
    assert Agent.objects.get().organization_id == "globex"


def test_an_agent_with_sessions_is_disabled_not_deleted():
    session = make_session()
    with pytest.raises(CommandError, match="has sessions; disable it instead of deleting it"):
        run("delete", "--agent", str(session.agent_id))
    assert Agent.objects.filter(id=session.agent_id).exists()


def acme_staff_signed_in(client, django_user_model) -> None:
    staff = django_user_model.objects.create_user("acme-staff", password="pw", is_staff=True)
    staff.groups.add(Group.objects.get_or_create(name="org:acme")[0])
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="agents"))
    client.force_login(staff)


def test_staff_cannot_move_an_existing_agent_in_the_admin(client, django_user_model):
    agent = make_agent(organization_id="acme", name="Acme bot")
    acme_staff_signed_in(client, django_user_model)
    page = client.get(f"/admin/agents/agent/{agent.id}/change/")
    assert page.status_code == 200 and 'name="organization_id"' not in page.text  # shown, not editable
    client.post(f"/admin/agents/agent/{agent.id}/change/", {"name": "Renamed", "organization_id": "globex", "enabled": "on"})
    agent.refresh_from_db()
    assert (agent.name, agent.organization_id) == ("Renamed", "acme")


def test_staff_set_an_agents_tool_lists_in_the_admin_and_a_bad_one_is_refused(client, django_user_model):
    agent = make_agent(organization_id="acme", name="Acme bot")
    acme_staff_signed_in(client, django_user_model)
    url = f"/admin/agents/agent/{agent.id}/change/"
    form = {"name": "Acme bot", "enabled": "on", "tools": '["knowledge_search", "order_status"]', "confirm_tools": '["refund_*"]'}
    saved = client.post(url, {**form, "end_user_tools": '["order_*"]'})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    agent.refresh_from_db()
    assert (agent.tools, agent.confirm_tools, agent.end_user_tools) == (["knowledge_search", "order_status"], ["refund_*"], ["order_*"])
    refused = client.post(url, {**form, "end_user_tools": '"order_*"'})
    assert refused.status_code == 200 and "must be a list of at most 100 tool names" in refused.content.decode()
    agent.refresh_from_db()
    assert agent.end_user_tools == ["order_*"]  # nothing half-written


def test_budgets_and_enforcement_are_set_and_validated_from_the_shell(settings):
    settings.SMOOTH_BUDGET_PER_SESSION = "200k tokens"
    run("create", "--org", "acme", "--id", AGENT_ID)
    changed = shown(run("set", "--agent", AGENT_ID, "--budget-per-visitor-day", "50k tokens, $2", "--enforcement", "report"))
    assert changed["budgets"]["perVisitorDay"] == "50000 tokens, $2.00" and changed["budgets"]["perSession"] == "200000 tokens"
    assert changed["enforcement"] == "report"
    with pytest.raises(CommandError, match="is not a budget"):
        run("set", "--agent", AGENT_ID, "--budget-per-agent-day", "plenty")
    reset = shown(run("set", "--agent", AGENT_ID, "--budget-per-visitor-day", "", "--enforcement", ""))
    assert reset["enforcement"] == "enforce" and reset["budgets"]["perVisitorDay"] == "0"  # the server's (no cap here)
    assert Agent.objects.get(id=AGENT_ID).budget_per_visitor_day == ""


def test_staff_see_spend_against_the_budgets_and_what_report_only_let_through(client, django_user_model, settings):
    from limits import enforcement
    from limits.models import OrganizationBudget, Spend

    settings.SMOOTH_BUDGET_PER_AGENT_DAY = "0"
    agent = make_agent(organization_id="acme", name="Acme bot", budget_per_agent_day="50k tokens", enforcement="report")
    OrganizationBudget.objects.create(organization_id="acme", per_month="$10")
    from django.utils import timezone

    today = timezone.now().date()
    Spend.objects.create(
        scope="agent", key=str(agent.id), period=today, organization_id="acme", tokens=1234, nano_usd=10_000_000, updated_at=timezone.now()
    )
    for origin in ("https://evil.example", "https://evil.example", None):
        kind = "origin" if origin else "rate_limit"
        enforcement.report(agent=agent, kind=kind, reason="test", origin=origin)
    acme_staff_signed_in(client, django_user_model)
    page = client.get(f"/admin/agents/agent/{agent.id}/change/").content.decode()
    assert "1,234 tokens, $0.01 of 50,000 tokens" in page
    assert "0 tokens, $0.00 of $10.00" in page  # the organisation's month: nothing spent this month yet
    assert "reporting only; would have refused: 2 from https://evil.example (origin), 1 (rate limit) in the last 24 h" in page


def test_staff_cap_their_own_organisations_month_only(client, django_user_model):
    from limits.models import OrganizationBudget

    acme_staff_signed_in(client, django_user_model)
    staff = django_user_model.objects.get(username="acme-staff")
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="limits"))
    url = "/admin/limits/organizationbudget/add/"
    refused = client.post(url, {"organization_id": "globex", "per_month": "$5"})
    assert refused.status_code == 200 and "only use organisations you belong to" in refused.content.decode()
    bad = client.post(url, {"organization_id": "acme", "per_month": "five dollars"})
    assert bad.status_code == 200 and "is not a budget" in bad.content.decode()
    assert client.post(url, {"organization_id": "acme", "per_month": "$5"}).status_code == 302
    assert list(OrganizationBudget.objects.values_list("organization_id", "per_month")) == [("acme", "$5")]
