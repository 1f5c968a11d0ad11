"""Registers every agent id already in use, before policies and sessions point at agents.

An agent with an embed policy belongs to the policy's organisation (blank: the
default one). An agent known only from sessions belongs to the organisation
holding most of them (ties: the default organisation, then the first by name).
Each agent takes its organisation's former AgentSettings as its own settings.
"""

from collections import Counter

from django.conf import settings
from django.db import migrations


def register(apps, schema_editor):
    Agent = apps.get_model("agents", "Agent")
    WidgetPolicy = apps.get_model("widget_auth", "WidgetPolicy")
    Session = apps.get_model("chat", "Session")
    AgentSettings = apps.get_model("chat", "AgentSettings")
    default_org = settings.SMOOTH_DEFAULT_ORG_ID

    owners = {policy.agent_id: policy.organization_id or default_org for policy in WidgetPolicy.objects.all()}
    session_orgs: dict = {}
    for agent_id, organization_id in Session.objects.exclude(agent_id=None).values_list("agent_id", "organization_id"):
        session_orgs.setdefault(agent_id, Counter())[organization_id] += 1
    for agent_id, counts in session_orgs.items():
        if agent_id not in owners:
            owners[agent_id] = min(counts, key=lambda org: (-counts[org], org != default_org, org))

    # Its name: the one its latest session in its own organisation carries.
    names = {
        (agent_id, organization_id): name
        for agent_id, organization_id, name in Session.objects.exclude(agent_id=None)
        .order_by("created_at")
        .values_list("agent_id", "organization_id", "agent_name")
    }
    custom = {row.organization_id: row for row in AgentSettings.objects.all()}
    for agent_id, organization_id in owners.items():
        row = custom.get(organization_id)
        Agent.objects.get_or_create(
            id=agent_id,
            defaults={
                "organization_id": organization_id,
                "name": names.get((agent_id, organization_id)) or settings.SMOOTH_AGENT_NAME,
                "model": row.model if row else "",
                "system_prompt": row.system_prompt if row else "",
                "max_iterations": row.max_iterations if row else None,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0001_initial"),
        ("chat", "0003_agent_settings"),
        ("widget_auth", "0001_initial"),
    ]

    operations = [migrations.RunPython(register, migrations.RunPython.noop)]
