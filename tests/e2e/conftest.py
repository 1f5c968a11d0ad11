"""Live servers shared by the end-to-end tests, with the embed policies they need."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.live import start_server
from widget_auth.signatures import generate_ed25519_key_pair

SHOP = "https://shop.example.com"
ED25519_AGENT = str(uuid.UUID(int=0xA1))
HMAC_AGENT = str(uuid.UUID(int=0xB2))
HMAC_SECRET = "e2e-shared-secret-value"


@pytest.fixture(scope="session")
def host_keys():
    private_key, public_key = generate_ed25519_key_pair()
    return {"private": private_key, "public": public_key}


def _configure_policies(server, host_keys) -> None:
    for args, stdin in [
        (["--agent", ED25519_AGENT, "--origin", SHOP, "--scheme", "ed25519", "--public-key", host_keys["public"]], None),
        (
            ["--agent", HMAC_AGENT, "--origin", "https://*.good.example.com", "--scheme", "hmac-sha256", "--hmac-secret-file", "-"],
            HMAC_SECRET,
        ),
    ]:
        result = server.manage("widget_policy", "set", *args, stdin=stdin)
        assert result.returncode == 0, result.stderr


@pytest.fixture(scope="session")
def smooth_server(tmp_path_factory, host_keys):
    server = start_server(tmp_path_factory.mktemp("live"))
    _configure_policies(server, host_keys)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def strict_server(tmp_path_factory, host_keys):
    server = start_server(tmp_path_factory.mktemp("strict"), WIDGET_AUTH_STRICT="1")
    _configure_policies(server, host_keys)
    yield server
    server.stop()
