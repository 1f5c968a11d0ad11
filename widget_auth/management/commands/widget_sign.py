"""Sign an authContext for a user id, as a host's backend would."""

import json
import time

from django.core.management.base import CommandError

from core.commands import SmoothCommand, parse_agent_id
from widget_auth.keys import InvalidKey
from widget_auth.management.commands._arguments import read_secret
from widget_auth.origins import InvalidOrigin, normalize_origin, parse_origin
from widget_auth.signatures import sign_ed25519, sign_hmac_sha256


class Command(SmoothCommand):
    help = (
        "Print a signed authContext {userId, signature, timestamp} for testing a host integration. With --agent "
        '(and --origin, the embedding page\'s) it signs the bound "v2:{agentId}:{origin}:{timestamp}:{userId}", '
        'valid for that agent on that site only; without, the legacy "{userId}:{timestamp}".'
    )

    def add_arguments(self, parser):
        parser.add_argument("--user-id", required=True, help="the host's id for its logged-in user")
        key = parser.add_mutually_exclusive_group(required=True)
        key.add_argument("--ed25519-key-file", metavar="PATH", help="the Ed25519 private key (base64) in PATH ('-' = stdin)")
        key.add_argument("--hmac-secret-file", metavar="PATH", help="the HMAC shared secret in PATH ('-' = stdin)")
        parser.add_argument("--agent", help="the agent id the context is for (signs the bound v2 format)")
        parser.add_argument(
            "--origin", help="with --agent: the origin of the page that embeds the agent (omit for a client that sends none)"
        )
        parser.add_argument("--timestamp", type=int, help="unix seconds to sign (default: now)")

    def handle(self, *args, user_id, ed25519_key_file, hmac_secret_file, agent, origin, timestamp, **options):
        if not user_id:
            raise CommandError("--user-id must not be empty")
        if origin is not None and agent is None:
            raise CommandError("--origin goes with --agent (the bound format names both)")
        if origin is not None:
            try:
                parse_origin(origin)
            except InvalidOrigin as exc:
                raise CommandError(f"--origin: {exc}") from None
        binding = {"agent_id": parse_agent_id(agent), "origin": normalize_origin(origin)} if agent else {}
        timestamp = int(time.time()) if timestamp is None else timestamp
        if ed25519_key_file:
            try:
                signature = sign_ed25519(read_secret(ed25519_key_file, "Ed25519 private key"), user_id, timestamp, **binding)
            except InvalidKey as exc:
                raise CommandError(f"not an Ed25519 private key: {exc}") from None
        else:
            signature = sign_hmac_sha256(read_secret(hmac_secret_file, "HMAC secret"), user_id, timestamp, **binding)
        self.stdout.write(json.dumps({"userId": user_id, "signature": signature, "timestamp": timestamp}))
