"""Generate an Ed25519 key pair for an agent's embed policy."""

import json

from django.db import transaction

from agents.services import registered_for_operator
from core.commands import SmoothCommand, parse_agent_id, validation_as_command_error
from widget_auth.models import WidgetPolicy
from widget_auth.services import save_policy
from widget_auth.signatures import generate_ed25519_key_pair


class Command(SmoothCommand):
    help = (
        "Generate an Ed25519 key pair. The private key goes to the host's backend (it signs authContext); "
        "the public key goes on the agent's widget policy. With --agent the public key is stored on the policy."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agent", type=str, help="agent id whose policy gets the public key (agent and policy created if missing)")
        parser.add_argument("--json", dest="as_json", action="store_true", help="print {privateKey, publicKey} as JSON")

    def handle(self, *args, agent=None, as_json=False, **options):
        private_key, public_key = generate_ed25519_key_pair()
        if agent:
            with validation_as_command_error(), transaction.atomic():
                registered = registered_for_operator(parse_agent_id(agent))
                save_policy(agent=registered, key_scheme=WidgetPolicy.KeyScheme.ED25519, public_key=public_key)
        if as_json:
            self.stdout.write(json.dumps({"privateKey": private_key, "publicKey": public_key}))
            return
        self.stdout.write(f"private key (give to the host's backend, keep secret, shown once): {private_key}")
        self.stdout.write(f"public key (for the widget policy): {public_key}")
        if agent:
            self.stdout.write(self.style.SUCCESS(f"stored the public key on the policy of agent {agent}"))
