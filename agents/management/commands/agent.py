"""Register, change, show, list and delete agents from the shell."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import CommandError

from agents.models import Agent
from agents.serializers import AgentOutput
from agents.services import LIMIT_SETTINGS, AgentExists, AgentInUse, create_agent, delete_agent, move_agent, update_agent
from core.commands import SmoothCommand, parse_agent_id, subparser, validation_as_command_error


def _read_prompt(path: str) -> str:
    try:
        return sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot read the system prompt from {path}: {exc.strerror}") from None


def _names(value: str) -> list[str] | None:
    """A comma-separated list; "default" is the server's default (None)."""
    if value.strip() == "default":
        return None
    return [name.strip() for name in value.split(",") if name.strip()]


class Command(SmoothCommand):
    help = "Manage agents: create, set, show, list, delete. An agent belongs to one organisation; its sessions live there."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)

        def settings_arguments(command, *, creating: bool):
            command.add_argument("--name", help="the name visitors see" + (" (default: SMOOTH_AGENT_NAME)" if creating else ""))
            command.add_argument("--model", help="model asked of the gateway ('' = the server default)")
            command.add_argument(
                "--system-prompt-file",
                metavar="PATH",
                help="read the agent's instructions from PATH ('-' = stdin; empty = the server default)",
            )
            command.add_argument("--max-iterations", type=int, help="model calls per turn at most (0 = the server default)")
            command.add_argument(
                "--tools",
                metavar="NAMES",
                help="comma-separated names of the registered tools the agent may call ('' = none; 'default' = every registered tool)",
            )
            command.add_argument(
                "--confirm-tools",
                metavar="PATTERNS",
                help="comma-separated names or glob patterns of tools whose calls wait for approval "
                "('' = none; 'default' = SMOOTH_AGENT_CONFIRM_TOOLS)",
            )
            command.add_argument(
                "--end-user-tools",
                metavar="PATTERNS",
                help="comma-separated names or glob patterns of tools only a verified visitor may run "
                "('' = none; 'default' = SMOOTH_AGENT_END_USER_TOOLS)",
            )
            for option, what in (
                ("--sessions-per-ip", "new sessions per visitor address"),
                ("--messages-per-session", "messages per session"),
                ("--messages-per-agent", "messages to the agent from everyone"),
            ):
                command.add_argument(option, metavar="RATE", help=f"{what}, e.g. 20/min ('0' = no limit; '' = the server default)")
            for option, what in (
                ("--budget-per-session", "what one session may spend"),
                ("--budget-per-visitor-day", "what one visitor may spend per day (UTC)"),
                ("--budget-per-agent-day", "what the agent may spend per day (UTC)"),
            ):
                command.add_argument(
                    option, metavar="BUDGET", help=f"{what}, e.g. '50k tokens, $2' ('0' = no cap; '' = the server default)"
                )
            command.add_argument(
                "--enforcement",
                choices=["", "enforce", "report"],
                help="'report': refuse nothing, count what would have been refused ('' = SMOOTH_ENFORCEMENT)",
            )
            state = command.add_mutually_exclusive_group()
            state.add_argument("--enable", action="store_true", help="the agent takes sessions")
            state.add_argument("--disable", action="store_true", help="refuse new sessions and every action on existing ones")

        create = subparser(sub, "create", help="register an agent and print it as JSON")
        create.add_argument("--org", required=True, help="the organisation the agent belongs to")
        create.add_argument("--id", dest="agent", help="the agent id (default: a new UUID); must not be registered yet")
        settings_arguments(create, creating=True)

        set_ = subparser(sub, "set", help="change the fields given")
        set_.add_argument("--agent", required=True, help="agent id (UUID)")
        set_.add_argument("--org", help="move the agent to this organisation (its past sessions stay where they are)")
        settings_arguments(set_, creating=False)

        show = subparser(sub, "show", help="print one agent as JSON")
        show.add_argument("--agent", required=True)
        listing = subparser(sub, "list", help="one line per agent")
        listing.add_argument("--org", help="only this organisation's agents")
        delete = subparser(sub, "delete", help="delete an agent that has no sessions (else disable it)")
        delete.add_argument("--agent", required=True)

    def handle(self, *args, verb, **options):
        try:
            with validation_as_command_error():
                getattr(self, f"handle_{verb}")(**options)
        except (AgentExists, AgentInUse) as exc:
            raise CommandError(str(exc)) from None

    def _fields(self, options) -> dict:
        fields = {}
        if options.get("name") is not None:
            fields["name"] = options["name"]
        if options.get("model") is not None:
            fields["model"] = options["model"]
        if options.get("system_prompt_file") is not None:
            fields["system_prompt"] = _read_prompt(options["system_prompt_file"]).strip()
        if options.get("max_iterations") is not None:
            fields["max_iterations"] = options["max_iterations"] or None
        for option in LIMIT_SETTINGS:
            if options.get(option) is not None:
                fields[option] = options[option].strip()
        for option in ("tools", "confirm_tools", "end_user_tools"):
            if options.get(option) is not None:
                fields[option] = _names(options[option])
        if options.get("enable") or options.get("disable"):
            fields["enabled"] = bool(options.get("enable"))
        return fields

    def _show(self, agent: Agent) -> None:
        self.stdout.write(json.dumps(AgentOutput(agent).data, indent=2))

    def handle_create(self, *, org, agent, **options):
        created = create_agent(organization_id=org, agent_id=parse_agent_id(agent) if agent else None, **self._fields(options))
        self.stdout.write(self.style.SUCCESS(f"registered agent {created.id} in organisation {created.organization_id}"))
        self._show(created)

    def handle_set(self, *, agent, org, **options):
        found = self._agent(agent)
        if org is not None and org != found.organization_id:
            move_agent(found, org)
        updated = update_agent(found, **self._fields(options))
        self.stdout.write(self.style.SUCCESS(f"updated agent {updated.id}"))
        self._show(updated)

    def handle_show(self, *, agent, **_):
        self._show(self._agent(agent))

    def handle_list(self, *, org, **_):
        agents = Agent.objects.order_by("organization_id", "name", "id")
        if org:
            agents = agents.filter(organization_id=org)
        if not agents:
            self.stdout.write("no agents")
        for agent in agents:
            state = "enabled" if agent.enabled else "disabled"
            self.stdout.write(f"{agent.id}  {state}  org={agent.organization_id}  name={agent.name!r}")

    def handle_delete(self, *, agent, **_):
        found = self._agent(agent)
        delete_agent(found)
        self.stdout.write(self.style.SUCCESS(f"deleted agent {found.id}"))

    def _agent(self, agent: str) -> Agent:
        found = Agent.objects.select_related("embed_policy").filter(id=parse_agent_id(agent)).first()
        if found is None:
            raise CommandError(f"no agent {agent} is registered")
        return found
