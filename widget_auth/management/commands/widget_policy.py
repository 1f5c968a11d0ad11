"""Create, update, show, list and delete agents' widget policies from the shell."""

from __future__ import annotations

import json

from django.core.management.base import CommandError
from django.db import transaction

from agents.services import AgentExists, registered_for_operator
from core.commands import SmoothCommand, parse_agent_id, subparser, validation_as_command_error
from widget_auth.management.commands._arguments import read_secret
from widget_auth.models import WidgetPolicy
from widget_auth.selectors import SCHEME_BY_NAME, describe_policy
from widget_auth.services import save_policy
from widget_auth.validators import clean_origin_patterns


class Command(SmoothCommand):
    help = "Manage an agent's widget (embed) policy: set, show, list, delete."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)

        set_ = subparser(sub, "set", help="create the agent's policy, or update the fields given")
        set_.add_argument("--agent", required=True, help="agent id (UUID)")
        set_.add_argument(
            "--origin",
            action="append",
            dest="origins",
            help="an allowed origin pattern; repeat for several; replaces the list (*, https://a.example.com, https://*.example.com)",
        )
        set_.add_argument("--no-origins", action="store_true", help="empty the list: no site may embed the agent")
        set_.add_argument("--org", help="organisation an agent not yet registered joins (default: SMOOTH_DEFAULT_ORG_ID)")
        set_.add_argument("--scheme", choices=sorted(SCHEME_BY_NAME), help="how authContext is verified")
        set_.add_argument("--public-key", help="the host's Ed25519 public key (base64)")
        set_.add_argument("--hmac-secret-file", metavar="PATH", help="read the HMAC shared secret from PATH ('-' = stdin)")
        legacy = set_.add_mutually_exclusive_group()
        legacy.add_argument(
            "--legacy-auth-context",
            dest="legacy",
            action="store_const",
            const=True,
            help='also accept "{userId}:{timestamp}" authContexts (the default)',
        )
        legacy.add_argument(
            "--no-legacy-auth-context", dest="legacy", action="store_const", const=False, help='accept only the bound "v2:..." format'
        )
        state = set_.add_mutually_exclusive_group()
        state.add_argument("--enable", action="store_true", help="allow embedding under this policy")
        state.add_argument("--disable", action="store_true", help="refuse every session of this agent")
        set_.add_argument("--notes", help="free text for staff")

        show = subparser(sub, "show", help="print one agent's policy as JSON (never the HMAC secret)")
        show.add_argument("--agent", required=True)
        subparser(sub, "list", help="one line per policy")
        delete = subparser(sub, "delete", help="delete the agent's policy")
        delete.add_argument("--agent", required=True)

    def handle(self, *args, verb, **options):
        getattr(self, f"handle_{verb}")(**options)

    def handle_set(self, *, agent, origins, no_origins, org, scheme, public_key, hmac_secret_file, legacy, enable, disable, notes, **_):
        fields: dict = {}
        if origins is not None and no_origins:
            raise CommandError("give --origin or --no-origins, not both")
        if origins is not None:
            fields["allowed_origins"] = origins
        if no_origins:
            fields["allowed_origins"] = []
        if scheme is not None:
            fields["key_scheme"] = SCHEME_BY_NAME[scheme]
        if public_key is not None:
            fields["public_key"] = public_key.strip()
        if hmac_secret_file is not None:
            fields["hmac_secret"] = read_secret(hmac_secret_file, "HMAC secret")
        if legacy is not None:
            fields["accept_legacy_auth_context"] = legacy
        if enable or disable:
            fields["enabled"] = enable
        if notes is not None:
            fields["notes"] = notes
        with validation_as_command_error(), transaction.atomic():  # no agent registered for a refused policy
            if "allowed_origins" in fields:
                fields["allowed_origins"] = clean_origin_patterns(fields["allowed_origins"])
            try:
                registered = registered_for_operator(parse_agent_id(agent), org)
            except AgentExists as exc:
                raise CommandError(str(exc)) from None
            policy, created = save_policy(agent=registered, **fields)
        self.stdout.write(self.style.SUCCESS(f"{'created' if created else 'updated'} the policy of agent {policy.agent_id}"))
        self.stdout.write(json.dumps(describe_policy(policy), indent=2))

    def handle_show(self, *, agent, **_):
        self.stdout.write(json.dumps(describe_policy(self._policy(agent)), indent=2))

    def handle_list(self, **_):
        policies = WidgetPolicy.objects.select_related("agent").order_by("agent_id")
        if not policies:
            self.stdout.write("no widget policies")
        for policy in policies:
            origins = ",".join(policy.allowed_origins) or "-"
            state = "enabled" if policy.enabled else "disabled"
            self.stdout.write(
                f"{policy.agent_id}  {state}  org={policy.agent.organization_id}  key={policy.key_scheme or 'none'}  origins={origins}"
            )

    def handle_delete(self, *, agent, **_):
        policy = self._policy(agent)
        policy.delete()
        self.stdout.write(self.style.SUCCESS(f"deleted the policy of agent {agent}"))

    def _policy(self, agent: str) -> WidgetPolicy:
        policy = WidgetPolicy.objects.select_related("agent").filter(agent_id=parse_agent_id(agent)).first()
        if policy is None:
            raise CommandError(f"agent {agent} has no widget policy")
        return policy
