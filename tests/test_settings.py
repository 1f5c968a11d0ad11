"""A bad environment value stops start-up with a message naming the variable (and never a secret)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def start(**env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    environment.update(env)
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=REPO, env=environment, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "variable, value, words",
    [
        ("SMOOTH_AGENT_PORT", "eighty", "SMOOTH_AGENT_PORT must be a whole number, got 'eighty'"),
        ("SMOOTH_AGENT_PORT", "70000", "SMOOTH_AGENT_PORT must be at most 65535, got 70000"),
        ("WIDGET_AUTH_STRICT", "maybe", "WIDGET_AUTH_STRICT must be 1 or 0"),
        ("DJANGO_DEBUG", "sometimes", "DJANGO_DEBUG must be 1 or 0"),
        ("SMOOAI_GATEWAY_URL", "llm.example.com", "SMOOAI_GATEWAY_URL must start with http:// or https://"),
        ("SMOOTH_LOG_LEVEL", "LOUD", "SMOOTH_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR; got 'LOUD'"),
        ("SMOOTH_MAX_FRAME_BYTES", "8", "SMOOTH_MAX_FRAME_BYTES must be at least 16384, got 8"),
        ("SMOOTH_AGENT_EMBEDDER", "gateway", "SMOOTH_AGENT_EMBEDDER=gateway needs SMOOAI_GATEWAY_KEY"),
        ("AUTH_MODE", "jwt", "AUTH_MODE=jwt needs AUTH_JWT_HS256_SECRET or AUTH_JWT_RS256_PUBLIC_KEY"),
        ("AUTH_MODE", "oauth", "AUTH_MODE must be one of jwt, none; got 'oauth'"),
        ("SMOOTH_AGENT_RERANK", "cohere", "SMOOTH_AGENT_RERANK must be one of off, lexical, gateway; got 'cohere'"),
        ("SMOOTH_CHAT_AGENT_ID", "agent-1", "SMOOTH_CHAT_AGENT_ID must be a UUID; got 'agent-1'"),
        ("SMOOTH_CHANNEL_LAYER", "kafka", "SMOOTH_CHANNEL_LAYER must be one of core, pubsub; got 'kafka'"),
        ("SMOOTH_DB_POOL_SIZE", "-1", "SMOOTH_DB_POOL_SIZE must be at least 0, got -1"),
        ("SMOOTH_SHUTDOWN_DEADLINE_SECONDS", "soon", "SMOOTH_SHUTDOWN_DEADLINE_SECONDS must be a whole number, got 'soon'"),
        ("SMOOTH_TURN_LEASE_SECONDS", "1", "SMOOTH_TURN_LEASE_SECONDS must be at least 2, got 1"),
        ("SMOOTH_RETRIEVAL_MIN_SCORE", "high", "SMOOTH_RETRIEVAL_MIN_SCORE must be a number from 0 to 1, got 'high'"),
        ("SMOOTH_RETRIEVAL_MIN_SCORE", "1.5", "SMOOTH_RETRIEVAL_MIN_SCORE must be a number from 0 to 1, got '1.5'"),
        ("SMOOTH_RETRIEVAL_DENSE_WEIGHT", "nan", "SMOOTH_RETRIEVAL_DENSE_WEIGHT must be a number from 0 to 1, got 'nan'"),
        ("SMOOTH_SESSION_RESUME", "cookie", "SMOOTH_SESSION_RESUME must be one of origin, token; got 'cookie'"),
        ("SMOOTH_SESSION_IDLE_TTL_HOURS", "0", "SMOOTH_SESSION_IDLE_TTL_HOURS must be at least 1, got 0"),
        ("SMOOTH_LIMIT_MESSAGES_PER_SESSION", "lots", "SMOOTH_LIMIT_MESSAGES_PER_SESSION: 'lots' is not a rate"),
        ("SMOOTH_LIMIT_SESSIONS_PER_IP", "5/fortnight", "SMOOTH_LIMIT_SESSIONS_PER_IP: '5/fortnight' is not a rate"),
        ("SMOOTH_TRUSTED_PROXIES", "10.0.0.1,proxy.local", "SMOOTH_TRUSTED_PROXIES: 'proxy.local' is not an address or network"),
        ("SMOOTH_BUDGET_PER_SESSION", "lots", "SMOOTH_BUDGET_PER_SESSION: 'lots' is not a budget"),
        ("SMOOTH_BUDGET_PER_ORG_MONTH", "0 tokens", "SMOOTH_BUDGET_PER_ORG_MONTH: '0 tokens': a token cap is from 1"),
        ("SMOOTH_ENFORCEMENT", "warn", "SMOOTH_ENFORCEMENT must be one of enforce, report; got 'warn'"),
        ("SMOOTH_AGENT_PRICES", "cheap", 'SMOOTH_AGENT_PRICES must be JSON such as {"my-model": [0.15, 0.60]}'),
        ("SMOOTH_AGENT_PRICES", '{"m": [1]}', 'SMOOTH_AGENT_PRICES must be JSON such as {"my-model": [0.15, 0.60]}'),
        ("SMOOTH_AGENT_PRICES", '{"m": [-1, 2]}', "SMOOTH_AGENT_PRICES: prices are USD per million tokens, 0 or more"),
        (
            "SMOOTH_AGENT_RETRIEVAL_TIMEOUT_SECONDS",
            "forever",
            "SMOOTH_AGENT_RETRIEVAL_TIMEOUT_SECONDS must be a whole number, got 'forever'",
        ),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable, value, words):
    result = start(**{variable: value})
    assert result.returncode != 0
    assert words in result.stderr


def test_a_bad_database_url_is_named_without_echoing_its_password():
    result = start(DATABASE_URL="notadb://user:hunter2-password@host/db")
    assert result.returncode != 0
    assert "DATABASE_URL is not a database URL" in result.stderr
    assert "hunter2-password" not in result.stderr


def test_the_defaults_start():
    assert start().returncode == 0


def test_prices_from_the_environment_add_to_the_built_in_ones():
    shown = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-v",
            "0",
            "-c",
            "from django.conf import settings; print(sorted(settings.SMOOTH_AGENT_PRICES.items()))",
        ],
        cwd=REPO,
        env={**os.environ, "SMOOTH_AGENT_PRICES": '{"my-model": [0.15, 0.6]}'},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.stdout.strip() == "[('claude-haiku-4-5', (1.0, 5.0)), ('my-model', (0.15, 0.6))]", shown.stderr


def test_both_jwt_keys_at_once_are_refused_without_echoing_either():
    result = start(AUTH_MODE="jwt", AUTH_JWT_HS256_SECRET="s3cret-value-1", AUTH_JWT_RS256_PUBLIC_KEY="pem-value-2")
    assert result.returncode != 0
    assert "set one of AUTH_JWT_HS256_SECRET and AUTH_JWT_RS256_PUBLIC_KEY, not both" in result.stderr
    assert "s3cret-value-1" not in result.stderr and "pem-value-2" not in result.stderr


def test_the_settings_table_and_env_example_agree_with_the_settings():
    from django.core.management import call_command

    call_command("settings_doc", check=True)  # CommandError names the file that disagrees


def test_a_stale_env_example_or_settings_table_fails_the_check_and_the_command_rewrites_it(tmp_path, settings):
    import shutil

    from django.core.management import CommandError, call_command

    from smooth.env import DECLARED

    (tmp_path / "docs").mkdir()
    for name in ("docs/CONFIGURATION.md", ".env.example"):
        shutil.copy(REPO / name, tmp_path / name)
    settings.BASE_DIR = tmp_path
    example = (tmp_path / ".env.example").read_text()
    (tmp_path / ".env.example").write_text(example.replace("SMOOTH_AGENT_PORT=8787", "SMOOTH_AGENT_PORT=9999"))
    with pytest.raises(CommandError, match=".env.example disagree"):
        call_command("settings_doc", check=True)
    call_command("settings_doc")
    call_command("settings_doc", check=True)
    written = (tmp_path / ".env.example").read_text()
    assert all(f"\n{name}=" in written for name in DECLARED)  # every variable settings read, each once
    assert "SMOOTH_AGENT_PORT=8787" in written and "SMOOTH_BUDGET_PER_SESSION=200k tokens" in written


def test_a_secret_is_never_written_with_a_value():
    from smooth.env import DECLARED

    secrets = [variable for variable in DECLARED.values() if variable.secret]
    assert {variable.name for variable in secrets} >= {"DJANGO_SECRET_KEY", "SMOOAI_GATEWAY_KEY", "AUTH_JWT_HS256_SECRET"}
    example = (REPO / ".env.example").read_text()
    assert all(f"\n{variable.name}=\n" in example for variable in secrets)
