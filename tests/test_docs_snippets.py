"""The documented host-backend example (docs/AGENTS.md) really produces an authContext Smooth accepts."""

import re
import textwrap
import time
from pathlib import Path

from widget_auth.signatures import AuthContext, generate_ed25519_key_pair, verify_auth_context

AGENTS_PAGE = Path(__file__).resolve().parent.parent / "docs" / "AGENTS.md"


def test_the_documented_host_backend_snippet_signs_a_bound_auth_context():
    block = re.search(r"```python\n( *# host backend, Ed25519.*?)```", AGENTS_PAGE.read_text(), re.S).group(1)
    snippet = textwrap.dedent(block)
    private_key, public_key = generate_ed25519_key_pair()
    namespace = {"PRIVATE_KEY_FROM_WIDGET_KEYGEN": private_key}
    exec(compile(snippet, "docs/AGENTS.md", "exec"), namespace)
    context = namespace["auth_context"]("user-42")
    verification = verify_auth_context(
        scheme="ed25519",
        key=public_key,
        context=AuthContext(context["userId"], context["signature"], context["timestamp"]),
        now=int(time.time()),
        max_skew=60,
        agent_id=namespace["AGENT_ID"],
        origin=namespace["ORIGIN"],
        accept_legacy=False,  # the example signs the bound format, which works with legacy off
    )
    assert verification.format == "v2"
