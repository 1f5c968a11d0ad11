"""Django settings for Smooth: the only module that reads the environment.

Every value has a default that works on a laptop (SQLite file, in-memory channel
layer). A bad value stops start-up with a message naming the variable; see
smooth/env.py. Names follow the smooth-operator servers (DESIGN.md).
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from smooth.env import env_bool, env_choice, env_fraction, env_int, env_list, env_secret, env_str, env_uuid

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# --- Django core -------------------------------------------------------------

_DEV_SECRET_KEY = "dev-only-insecure-key-set-DJANGO_SECRET_KEY-in-production"
SECRET_KEY = env_secret("DJANGO_SECRET_KEY", doc="Django's secret key: set it in production") or _DEV_SECRET_KEY
DEBUG = env_bool("DJANGO_DEBUG", False, doc="`1` for Django's debug pages")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"], doc="host names served (comma-separated)")

INSTALLED_APPS = [
    # daphne first: its runserver replaces Django's, so runserver speaks ASGI.
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "smooth",
    "agents",
    "chat",
    "widget_auth",
    "knowledge",
    "identity",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the docs page's assets, served by us: nothing from outside
    "adminapi",
    "limits",
    "handoff",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language from the django_language cookie, else Accept-Language. Where
    # Django's docs put it: after sessions, before CommonMiddleware (which may redirect).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "smooth.urls"
ASGI_APPLICATION = "smooth.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Storage -----------------------------------------------------------------


def _sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # WAL lets readers run beside the one writer; IMMEDIATE takes the
            # write lock at BEGIN so concurrent writers wait instead of failing.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        "TEST": {"NAME": str(path.with_name(f"test_{path.name}"))},
        # Keep each thread's connection: opening one (and re-running the pragmas)
        # on every ORM hop was over a quarter of a turn's CPU.
        "CONN_MAX_AGE": None,
    }


# PostgreSQL: a psycopg connection pool per process. Django's persistent
# connections (CONN_MAX_AGE) are not safe under ASGI; a pool is, and it saves the
# connect (a TCP and auth round trip and a server fork) on every ORM thread hop.
# Each connection is checked as it is taken (CONN_HEALTH_CHECKS), so after a
# database restart the broken ones are replaced instead of failing actions.
SMOOTH_DB_POOL_SIZE = env_int(
    "SMOOTH_DB_POOL_SIZE", 8, minimum=0, doc="PostgreSQL connections per process (`0`: no pool)"
)  # 0: no pool, a connection per ORM call
SMOOTH_DB_POOL_TIMEOUT_SECONDS = env_int(
    "SMOOTH_DB_POOL_TIMEOUT_SECONDS", 5, minimum=1, doc="how long an action waits for a pooled PostgreSQL connection"
)


def _postgresql_database(database: dict) -> dict:
    if SMOOTH_DB_POOL_SIZE:
        database["OPTIONS"] = {
            **database.get("OPTIONS", {}),
            "pool": {"min_size": 1, "max_size": SMOOTH_DB_POOL_SIZE, "timeout": SMOOTH_DB_POOL_TIMEOUT_SECONDS},
        }
    return database


_database_url = env_str(
    "DATABASE_URL", doc="the database (unset: SQLite `var/smooth.sqlite3` with WAL); e.g. `postgres://user@127.0.0.1:5432/smooth`"
)
if _database_url:
    try:
        _database: dict[str, Any] = dict(dj_database_url.parse(_database_url, conn_max_age=0, conn_health_checks=True))
    except Exception:  # the URL may hold a password: never echo it
        raise ImproperlyConfigured("DATABASE_URL is not a database URL this server understands") from None
    if _database["ENGINE"] == "django.db.backends.sqlite3":
        _database = _sqlite_database(Path(_database["NAME"]))
    elif _database["ENGINE"] == "django.db.backends.postgresql":
        _database = _postgresql_database(_database)
else:
    VAR_DIR.mkdir(exist_ok=True)  # a fresh checkout has no var/ yet
    _database = _sqlite_database(VAR_DIR / "smooth.sqlite3")
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = _redis_url = env_secret(
    "REDIS_URL",
    doc="set = channels-redis layer (shared by processes), the shared authContext replay cache, turn leases and turn journals; unset = in-memory",
)
SMOOTH_REDIS_MAX_CONNECTIONS = env_int("SMOOTH_REDIS_MAX_CONNECTIONS", 1000, minimum=10, doc="Redis connections per process")
REDIS_POOL_OPTIONS = {
    # redis-py 8 caps a pool at 100 connections and raises beyond it, so a burst of
    # group joins or sends (a thousand sockets connecting) failed.
    "max_connections": SMOOTH_REDIS_MAX_CONNECTIONS,
    # redis-py 8 times socket reads out after 5 s, exactly as long as the core
    # layer's blocking pop waits: a quiet channel raised TimeoutError, and a message
    # popped as the read gave up was lost. Reads must outlast the pop.
    "socket_timeout": 15,
    "socket_connect_timeout": 5,
}
# Which channels-redis layer carries the backplane (docs/DEPLOYING.md: "Choosing the Redis layer").
SMOOTH_CHANNEL_LAYER = env_choice(
    "SMOOTH_CHANNEL_LAYER", ("core", "pubsub"), "pubsub", doc='with `REDIS_URL`: `pubsub` or `core` (see "Choosing the Redis layer")'
)
CHANNEL_LAYERS: dict[str, dict[str, Any]]
if _redis_url:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": {"core": "core.layers.RedisChannelLayer", "pubsub": "core.layers.RedisPubSubChannelLayer"}[SMOOTH_CHANNEL_LAYER],
            "CONFIG": {"hosts": [{"address": _redis_url, **REDIS_POOL_OPTIONS}]},
        }
    }
    if SMOOTH_CHANNEL_LAYER == "core":
        # The core layer queues every socket of a process under one Redis key, and its
        # capacity (default 100) counts that whole queue: a burst to a busy process
        # was dropped without a word.
        CHANNEL_LAYERS["default"]["CONFIG"]["capacity"] = 10_000
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "core.layers.InMemoryChannelLayer"}}

# --- i18n, static ------------------------------------------------------------

# The languages the pages and the widget are shipped in (docs/DEVELOPING.md,
# "Translations"): each but English has its catalogue in locale/<code>/LC_MESSAGES/.
# English is the source language and the fallback.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Set for collectstatic in production; on a laptop files are served straight
# from the apps' static folders, with no collectstatic step.
STATIC_ROOT = env_str("DJANGO_STATIC_ROOT", doc="where `collectstatic` writes; unset = served from the apps (WhiteNoise)")
WHITENOISE_USE_FINDERS = True

# --- Logging -----------------------------------------------------------------

SMOOTH_LOG_FORMAT = env_choice(
    "SMOOTH_LOG_FORMAT", ["plain", "json"], "plain", doc="`json`: one JSON object per line, with the turn's ids (core.logformat)"
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "core.logformat.JsonFormatter"},
    },
    "filters": {"repeats": {"()": "core.logfilters.RepeatFilter", "window": 60}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": SMOOTH_LOG_FORMAT}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("SMOOTH_LOG_LEVEL", ["DEBUG", "INFO", "WARNING", "ERROR"], "INFO", doc="`DEBUG`, `INFO`, `WARNING`, `ERROR`"),
    },
    "loggers": {
        # httpx logs every request at INFO: one line per model call is noise, not news.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        # pypdf warns of every flaw of a damaged file; the ingestion run names the file once.
        "pypdf": {"level": "ERROR"},
        # The pub/sub layer logs a traceback a second while Redis is down.
        "channels_redis.pubsub": {"filters": ["repeats"]},
    },
}

# --- Observability (docs/OBSERVABILITY.md) -------------------------------------------
# Traces are exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set, configured by
# the standard OTEL_* variables (core.tracing); off otherwise.
SMOOTH_TRACE_CONTENT = env_bool("SMOOTH_TRACE_CONTENT", False, doc="`1`: traces carry the message text (never keys)")
SMOOTH_METRICS_TOKEN = env_secret("SMOOTH_METRICS_TOKEN", doc="a bearer token `/metrics` asks for (unset: open to whoever reaches it)")
# Read by prometheus-client itself at import (core.metrics); declared here for the table.
PROMETHEUS_MULTIPROC_DIR = env_str(
    "PROMETHEUS_MULTIPROC_DIR", doc="a folder shared by a machine's Smooth processes: `/metrics` sums them (emptied before they start)"
)

# --- Smooth ------------------------------------------------------------------

SMOOTH_AGENT_BIND = env_str("SMOOTH_AGENT_BIND", "127.0.0.1", doc="the address `manage.py serve` listens on")
SMOOTH_AGENT_PORT = env_int("SMOOTH_AGENT_PORT", 8787, minimum=0, maximum=65535, doc="the port `manage.py serve` listens on")

SMOOAI_GATEWAY_URL = env_str("SMOOAI_GATEWAY_URL", "https://llm.smoo.ai/v1", doc="OpenAI-compatible model gateway").rstrip("/")
if not SMOOAI_GATEWAY_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("SMOOAI_GATEWAY_URL must start with http:// or https://")
SMOOAI_GATEWAY_KEY = env_secret("SMOOAI_GATEWAY_KEY", doc="gateway key; unset in gateway mode = `LLM_UNAVAILABLE`")

# --- Agent turns -----------------------------------------------------------------

# gateway: the model gateway answers; offline: answers composed from the knowledge base
SMOOTH_AGENT_LLM = env_choice(
    "SMOOTH_AGENT_LLM",
    ["gateway", "offline"],
    "gateway",
    doc="`gateway` or `offline` (answers from the knowledge base; `scripts/run.sh` sets it)",
)
SMOOTH_AGENT_MODEL = env_str("SMOOTH_AGENT_MODEL", "claude-haiku-4-5", doc="model asked of the gateway, for agents that name none")
SMOOTH_AGENT_MAX_ITERATIONS = env_int(
    "SMOOTH_AGENT_MAX_ITERATIONS", 6, minimum=1, maximum=50, doc="model calls per turn, for agents that set none"
)
SMOOTH_AGENT_MAX_TOKENS = env_int("SMOOTH_AGENT_MAX_TOKENS", 512, minimum=1, maximum=100_000, doc="`max_tokens` of each model call")
# The agent's instructions; unset = the default support-agent prompt (chat/turns/prompts.py).
SMOOTH_AGENT_SYSTEM_PROMPT = env_str(
    "SMOOTH_AGENT_SYSTEM_PROMPT", doc="instructions for agents that have none of their own (unset: a support-agent prompt)"
)
# Extra tools: comma-separated dotted paths to tool classes (or instances).
SMOOTH_AGENT_TOOLS = env_list("SMOOTH_AGENT_TOOLS", doc="extra tools: comma-separated dotted paths to tool classes")
# Tools whose every call waits for the visitor's approval (write_confirmation_required):
# comma-separated names or glob patterns ("refund_*"), for agents with no list of their own.
SMOOTH_AGENT_CONFIRM_TOOLS = env_list(
    "SMOOTH_AGENT_CONFIRM_TOOLS",
    doc="tools whose calls wait for the visitor's approval, for agents with no list of their own: comma-separated names or glob patterns",
)
# Tools that run only for a verified visitor (a verified authContext, or a one-time code):
# names or glob patterns, for agents with no list of their own.
SMOOTH_AGENT_END_USER_TOOLS = env_list(
    "SMOOTH_AGENT_END_USER_TOOLS",
    doc="tools that run only for a verified visitor, for agents with no list of their own: names or glob patterns",
)
# The region a visitor's phone number without its country code is read in (identity intake).
SMOOTH_PHONE_DEFAULT_REGION = env_str(
    "SMOOTH_PHONE_DEFAULT_REGION", "US", doc="the region of a phone number given without its country code"
).upper()
# A short line sent as stream_preamble when a turn is about to call tools before any word of
# its answer ("One moment, I am looking that up."); unset = none.
SMOOTH_AGENT_PREAMBLE = env_str(
    "SMOOTH_AGENT_PREAMBLE", doc="a line sent as `stream_preamble` before a turn's tools when no word of its answer has streamed"
)
# A keepalive goes to the session's sockets this often while a turn waits on a tool or a person.
SMOOTH_KEEPALIVE_SECONDS = env_int(
    "SMOOTH_KEEPALIVE_SECONDS", 30, minimum=1, maximum=600, doc="how often a turn waiting on a tool or the visitor sends `keepalive`"
)
# How long a turn parked on a confirmation or an interaction waits before it ends (a terminal error).
SMOOTH_PARKED_TURN_TTL_MINUTES = env_int(
    "SMOOTH_PARKED_TURN_TTL_MINUTES",
    30,
    minimum=1,
    maximum=7 * 24 * 60,
    doc="how long a turn waiting for approval or a card waits before it ends with `TURN_EXPIRED`",
)
SMOOTH_AGENT_GATEWAY_CONNECT_TIMEOUT = env_int(
    "SMOOTH_AGENT_GATEWAY_CONNECT_TIMEOUT", 5, minimum=1, doc="seconds to connect to the gateway"
)
SMOOTH_AGENT_GATEWAY_FIRST_BYTE_TIMEOUT = env_int(
    "SMOOTH_AGENT_GATEWAY_FIRST_BYTE_TIMEOUT", 30, minimum=1, doc="seconds a model call may wait for its first byte"
)
SMOOTH_AGENT_GATEWAY_IDLE_TIMEOUT = env_int(
    "SMOOTH_AGENT_GATEWAY_IDLE_TIMEOUT", 30, minimum=1, doc="seconds a model call may wait between two chunks"
)
SMOOTH_AGENT_GATEWAY_RETRIES = env_int(
    "SMOOTH_AGENT_GATEWAY_RETRIES", 2, minimum=0, maximum=10, doc="retries before the first token (connect errors, 429, 5xx)"
)
# USD per million tokens (prompt, completion); models not listed cost 0. More (or other
# prices) from the environment: SMOOTH_AGENT_PRICES, read with the budgets below.
SMOOTH_AGENT_PRICES = {"claude-haiku-4-5": (1.0, 5.0)}

# The organisation an agent nobody registered joins on its first use (WIDGET_AUTH_STRICT unset).
SMOOTH_DEFAULT_ORG_ID = env_str(
    "SMOOTH_DEFAULT_ORG_ID", "default", doc="the organisation an agent nobody registered joins on its first session (strict mode off)"
)
# The display name an agent registers with when nobody named it.
SMOOTH_AGENT_NAME = env_str("SMOOTH_AGENT_NAME", "Smooth", doc="the name such an agent registers with")
# How a session is re-attached from a new connection (chat.binding): "origin" (by its id,
# from the origin it was created from: what upstream clients do), or "token" (sessions
# created with the resume_token capability only with their resume token).
SMOOTH_SESSION_RESUME = env_choice(
    "SMOOTH_SESSION_RESUME",
    ["origin", "token"],
    "origin",
    doc="how a new connection re-attaches a session: `origin` (by id from its own origin, as upstream clients do; verified visitors with a fresh `authContext` or the token), `token` (sessions created with the `resume_token` capability only with their token)",
)
# One turn per session: its lease lasts this long unless renewed (every third of it, while
# the turn runs), so a process that dies holding one frees the session after at most this.
SMOOTH_TURN_LEASE_SECONDS = env_int(
    "SMOOTH_TURN_LEASE_SECONDS",
    30,
    minimum=2,
    maximum=3600,
    doc="a turn's lease on its session (renewed every third of it): how soon a session whose process died takes a new turn",
)
# Sessions idle longer than this can no longer be re-attached; resume tokens live as long.
SMOOTH_SESSION_IDLE_TTL_HOURS = env_int(
    "SMOOTH_SESSION_IDLE_TTL_HOURS",
    24,
    minimum=1,
    maximum=24 * 365,
    doc="sessions idle longer cannot be re-attached; resume tokens live as long",
)
# The agent the chat page at / and the embed demo page talk to.
SMOOTH_CHAT_AGENT_ID = env_uuid(
    "SMOOTH_CHAT_AGENT_ID", "5e0e7a1c-0000-4000-8000-000000000001", doc="the agent the chat page at `/` and the `/embed` demo talk to"
)

# Frames larger than this are refused with VALIDATION_ERROR before parsing. It
# must stay below SMOOTH_WS_MAX_MESSAGE_BYTES, Daphne's transport limit, beyond
# which the socket itself is closed (1009) before the application sees a byte.
SMOOTH_MAX_FRAME_BYTES = env_int("SMOOTH_MAX_FRAME_BYTES", 256 * 1024, minimum=16 * 1024, doc="larger frames get `VALIDATION_ERROR`")
SMOOTH_WS_MAX_MESSAGE_BYTES = env_int(
    "SMOOTH_WS_MAX_MESSAGE_BYTES", 4 * 1024 * 1024, minimum=64 * 1024, doc="Daphne's transport limit; larger frames close the socket"
)
# On SIGTERM: how long running turns may go on finishing before they are cancelled.
SMOOTH_SHUTDOWN_DEADLINE_SECONDS = env_int(
    "SMOOTH_SHUTDOWN_DEADLINE_SECONDS", 25, minimum=0, doc="on SIGTERM, how long running turns may take to finish"
)
if SMOOTH_MAX_FRAME_BYTES >= SMOOTH_WS_MAX_MESSAGE_BYTES:
    raise ImproperlyConfigured("SMOOTH_MAX_FRAME_BYTES must be smaller than SMOOTH_WS_MAX_MESSAGE_BYTES")

WIDGET_AUTH_STRICT = env_bool("WIDGET_AUTH_STRICT", False, doc="`1`: refuse agents without an embed policy (and so unregistered ones)")
# authContext timestamps further than this from the server clock are refused.
WIDGET_AUTH_MAX_SKEW_SECONDS = 60

# --- Knowledge ---------------------------------------------------------------

# local: the shipped model (USE multilingual v3, knowledge.embeddings); onnx: a
# sentence-transformers model exported to ONNX in SMOOTH_EMBEDDING_MODEL_DIR;
# gateway: {SMOOAI_GATEWAY_URL}/embeddings (needs the key)
SMOOTH_AGENT_EMBEDDER = env_choice(
    "SMOOTH_AGENT_EMBEDDER",
    ["local", "onnx", "gateway"],
    "local",
    doc="`local` (the shipped model), `onnx` (a folder, `SMOOTH_EMBEDDING_MODEL_DIR`) or `gateway` (`/embeddings`, needs the key)",
)
SMOOTH_AGENT_EMBEDDING_MODEL = env_str("SMOOTH_AGENT_EMBEDDING_MODEL", "text-embedding-3-small", doc="model asked of `/embeddings`")
SMOOTH_EMBEDDING_MODEL_DIR = env_str(
    "SMOOTH_EMBEDDING_MODEL_DIR", "", doc="with `onnx`: a folder with `model.onnx` and `tokenizer.json` (needs `requirements-onnx.txt`)"
)
if SMOOTH_AGENT_EMBEDDER == "gateway" and not SMOOAI_GATEWAY_KEY:
    raise ImproperlyConfigured("SMOOTH_AGENT_EMBEDDER=gateway needs SMOOAI_GATEWAY_KEY")
if SMOOTH_AGENT_EMBEDDER == "onnx" and not SMOOTH_EMBEDDING_MODEL_DIR:
    raise ImproperlyConfigured("SMOOTH_AGENT_EMBEDDER=onnx needs SMOOTH_EMBEDDING_MODEL_DIR (a folder with model.onnx and tokenizer.json)")
# off: fused order; lexical: offline term-overlap rerank; gateway: {SMOOAI_GATEWAY_URL}/rerank
SMOOTH_AGENT_RERANK = env_choice("SMOOTH_AGENT_RERANK", ["off", "lexical", "gateway"], "off", doc="`off`, `lexical`, `gateway` (`/rerank`)")
SMOOTH_AGENT_RERANK_MODEL = env_str("SMOOTH_AGENT_RERANK_MODEL", "rerank-v3.5", doc="model asked of `/rerank`")
# Retrieval scores run from 0 to 1. Whether the knowledge answers a question at all is
# the relevance decision's (knowledge.retrieval); SMOOTH_RETRIEVAL_MIN_SCORE is a floor
# an operator may add: a passage below it is neither context nor citation.
SMOOTH_RETRIEVAL_MIN_SCORE = env_fraction(
    "SMOOTH_RETRIEVAL_MIN_SCORE",
    0.0,
    doc="0 to 1: a floor of the operator's own beside the relevance decision (passages scoring less are neither context nor citation)",
)
# How much the meaning (vector) similarity counts beside the full-text score (0 to 1;
# unset: 0.5). 0 ranks by full text alone.
SMOOTH_RETRIEVAL_DENSE_WEIGHT = env_fraction(
    "SMOOTH_RETRIEVAL_DENSE_WEIGHT", None, doc="0 to 1: how much similarity in meaning counts beside full text (0: full text alone)"
)
# A query's /embeddings and /rerank calls give up after this; retrieval then goes on
# without them (full-text ranking, the fused order) and logs a warning.
SMOOTH_AGENT_RETRIEVAL_TIMEOUT_SECONDS = env_int(
    "SMOOTH_AGENT_RETRIEVAL_TIMEOUT_SECONDS",
    3,
    minimum=1,
    maximum=60,
    doc="a question's `/embeddings` and `/rerank` calls give up after this (retrieval goes on without them)",
)
# 1: seed the demo knowledge (the "policies" set) when the server starts
SMOOTH_AGENT_SEED_KB = env_bool("SMOOTH_AGENT_SEED_KB", False, doc="`1`: seed the demo knowledge at start")
# Connectors read only public addresses unless this is on (knowledge.fetching): a source an
# organisation's admin makes must not read the cloud's metadata service or an intranet.
SMOOTH_KB_PRIVATE_ADDRESSES = env_bool(
    "SMOOTH_KB_PRIVATE_ADDRESSES", False, doc="`1`: knowledge sources may read private, loopback and link-local addresses (an intranet)"
)
# The GitHub connector (knowledge.connectors.github): its token when a source names no
# token file, and the API (GitHub Enterprise Server: https://HOST/api/v3).
GITHUB_TOKEN = env_secret("GITHUB_TOKEN", doc="GitHub token for `kb_ingest --github` and `kb_sync` when no `--github-token-file` is given")
GITHUB_API_URL = env_str(
    "GITHUB_API_URL", "https://api.github.com", doc="GitHub's REST API (Enterprise Server: `https://HOST/api/v3`)"
).rstrip("/")

# --- Identity --------------------------------------------------------------------

# jwt: bearer tokens verified with the key below make /ws and admin-API callers principals.
# none (development only): every admin-API caller is an admin of AUTH_DEV_ORG_ID
# (/ws stays anonymous). Unset: the admin API refuses every call with 401.
AUTH_MODE = (
    env_choice(
        "AUTH_MODE",
        ["jwt", "none"],
        "",
        doc="`jwt`: Bearer/`?token=` principals; `none` (development): admin-API callers are admins of `AUTH_DEV_ORG_ID`, /ws anonymous; unset: admin API refuses all, /ws anonymous",
    )
    or None
)
AUTH_JWT_HS256_SECRET = env_secret("AUTH_JWT_HS256_SECRET", doc="the key tokens are verified with (HS256; this or the RS256 key)")
AUTH_JWT_RS256_PUBLIC_KEY = env_secret("AUTH_JWT_RS256_PUBLIC_KEY", doc="the key tokens are verified with (RS256, PEM)")
AUTH_JWT_ISSUER = env_str("AUTH_JWT_ISSUER", doc="the `iss` tokens must carry (enforced when set)")
AUTH_JWT_AUDIENCE = env_str("AUTH_JWT_AUDIENCE", doc="the `aud` tokens must carry (enforced when set)")
AUTH_DEV_ORG_ID = env_str("AUTH_DEV_ORG_ID", "default", doc="with `AUTH_MODE=none`: the organisation every admin-API caller administers")
if AUTH_MODE == "jwt" and not (AUTH_JWT_HS256_SECRET or AUTH_JWT_RS256_PUBLIC_KEY):
    raise ImproperlyConfigured("AUTH_MODE=jwt needs AUTH_JWT_HS256_SECRET or AUTH_JWT_RS256_PUBLIC_KEY")
if AUTH_JWT_HS256_SECRET and AUTH_JWT_RS256_PUBLIC_KEY:
    raise ImproperlyConfigured("set one of AUTH_JWT_HS256_SECRET and AUTH_JWT_RS256_PUBLIC_KEY, not both")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["adminapi.authentication.BearerPrincipalAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["adminapi.permissions.IsPrincipal"],
    "EXCEPTION_HANDLER": "adminapi.errors.handle",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Smooth admin API",
    "DESCRIPTION": "Conversations, knowledge, agent settings and embed policies of one organisation, for its staff.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Visitor verification (one-time codes) ----------------------------------------

# The OTP service: a dotted path to a class with send_code() and verify() (chat.otp).
SMOOTH_OTP_SERVICE = env_str("SMOOTH_OTP_SERVICE", "chat.otp.EmailOtpService", doc="the one-time-code service (dotted path)")
SMOOTH_OTP_TTL_MINUTES = env_int("SMOOTH_OTP_TTL_MINUTES", 10, minimum=1, maximum=24 * 60, doc="a one-time code's life")
SMOOTH_OTP_MAX_ATTEMPTS = env_int("SMOOTH_OTP_MAX_ATTEMPTS", 5, minimum=1, maximum=20, doc="tries per one-time code")
# Codes go out by Django's email framework: SMTP when EMAIL_HOST is set, else printed by
# the console backend (development).
EMAIL_HOST = env_str("EMAIL_HOST", doc="the SMTP server for codes and escalations (unset: mail goes to the console)")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", doc="another Django email backend (dotted path; unset: SMTP with `EMAIL_HOST`, else the console)"
) or ("django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend")
# Where the file backend (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend) writes each message.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", doc="where the file email backend writes each message")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65535, doc="its port")
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "", doc="its user")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", doc="its password") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True, doc="`1`: STARTTLS")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1, maximum=120, doc="seconds an SMTP call may take")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Smooth <no-reply@localhost>", doc="the sender of codes")

# --- The turn's stages ----------------------------------------------------------------
# What other apps do in every turn and before it, in this order (chat.turns.stages):
# dotted paths to classes, as MIDDLEWARE is. An app left out of INSTALLED_APPS leaves its
# stages out. SMOOTH_SOCKET_MIDDLEWARE wraps /ws the same way (chat.routing), outermost first.
SMOOTH_TURN_STAGES = ["limits.stages.Rates", "handoff.stages.Handoff", "limits.stages.Budgets", "knowledge.stages.Context"]
SMOOTH_SOCKET_MIDDLEWARE = ["limits.admission.Admission"]

# --- Rate limits (limits/) ----------------------------------------------------------


# Each a count per period ("20/min", "5/10s", "100/h"); 0 = no limit (limits/apps.py checks
# them at start-up). The session and message rates are the defaults of agents that set none
# of their own.
SMOOTH_LIMIT_CONNECTIONS_PER_IP = env_str("SMOOTH_LIMIT_CONNECTIONS_PER_IP", "60/min", doc="new connections per address (`0`: no limit)")
SMOOTH_LIMIT_SOCKETS_PER_IP = env_int(
    "SMOOTH_LIMIT_SOCKETS_PER_IP", 50, minimum=0, doc="open sockets per address at once (`0`: no limit)"
)  # open at once; 0 = no limit
SMOOTH_LIMIT_SESSIONS_PER_IP = env_str(
    "SMOOTH_LIMIT_SESSIONS_PER_IP", "60/h", doc="new sessions per address, for agents with no rate of their own"
)
SMOOTH_LIMIT_MESSAGES_PER_SESSION = env_str(
    "SMOOTH_LIMIT_MESSAGES_PER_SESSION", "20/min", doc="messages per session, for agents with no rate of their own"
)
SMOOTH_LIMIT_MESSAGES_PER_AGENT = env_str(
    "SMOOTH_LIMIT_MESSAGES_PER_AGENT", "600/min", doc="messages per agent, for agents with no rate of their own"
)
SMOOTH_LIMIT_FRAMES_PER_SOCKET = env_str(
    "SMOOTH_LIMIT_FRAMES_PER_SOCKET", "20/s", doc="frames per socket (over it: `RATE_LIMITED` once a window)"
)
# One-time codes sent to one address, whichever sessions ask (a visitor can name anyone's address).
SMOOTH_OTP_SENDS_PER_ADDRESS = env_str("SMOOTH_OTP_SENDS_PER_ADDRESS", "5/h", doc="codes sent to one address, whichever sessions ask")
# A socket still over its frame rate this many windows in a row is closed with 1008.
SMOOTH_FLOOD_CLOSE_AFTER = env_int(
    "SMOOTH_FLOOD_CLOSE_AFTER", 5, minimum=1, maximum=3600, doc="windows in a row over the frame rate before the socket is closed (1008)"
)
# Proxies whose X-Forwarded-For is believed: comma-separated addresses or networks (CIDR).
SMOOTH_TRUSTED_PROXIES = env_list("SMOOTH_TRUSTED_PROXIES", doc="proxies whose `X-Forwarded-For` is believed (addresses or CIDR networks)")
for _proxy in SMOOTH_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"SMOOTH_TRUSTED_PROXIES: {_proxy!r} is not an address or network") from None

# --- Spend budgets and enforcement (limits/) -----------------------------------------


# Each tokens, a cost or both ("200000 tokens", "$2", "50k tokens, $0.50"); 0 = no cap
# (checked at start-up too). The session, visitor and agent budgets are the defaults of
# agents that set none of their own; the organisation's is the default of organisations
# without an OrganizationBudget.
SMOOTH_BUDGET_PER_SESSION = env_str(
    "SMOOTH_BUDGET_PER_SESSION", "200k tokens", doc="what one session may spend, for agents with no budget of their own (`0`: no cap)"
)
SMOOTH_BUDGET_PER_VISITOR_DAY = env_str(
    "SMOOTH_BUDGET_PER_VISITOR_DAY",
    "500k tokens",
    doc="what one visitor may spend per day on an agent, for agents with no budget of their own (`0`: no cap)",
)
SMOOTH_BUDGET_PER_AGENT_DAY = env_str(
    "SMOOTH_BUDGET_PER_AGENT_DAY", "0", doc="what an agent may spend per day, for agents with no budget of their own (`0`: no cap)"
)
SMOOTH_BUDGET_PER_ORG_MONTH = env_str(
    "SMOOTH_BUDGET_PER_ORG_MONTH",
    "0",
    doc="what an organisation may spend per month, for organisations with no budget of their own (`0`: no cap)",
)
# "report": nothing is refused by the embed policy's origin and authContext checks, the
# rate limits or the budgets; what would have been is logged and counted (limits.enforcement).
# An agent's own setting wins.
SMOOTH_ENFORCEMENT = env_choice(
    "SMOOTH_ENFORCEMENT",
    ("enforce", "report"),
    "enforce",
    doc="`report`: refuse nothing the embed policy's origin and authContext checks, the rate limits and the budgets would refuse; count it instead",
)


def _prices(raw: str | None) -> dict[str, tuple[float, float]]:
    """SMOOTH_AGENT_PRICES as JSON, {"model": [prompt, completion]}, USD per million tokens."""
    if not raw:
        return {}
    try:
        parsed = json.loads(raw)
        prices = {str(model): (float(pair[0]), float(pair[1])) for model, pair in parsed.items()}
    except (ValueError, TypeError, AttributeError, IndexError, KeyError):
        raise ImproperlyConfigured('SMOOTH_AGENT_PRICES must be JSON such as {"my-model": [0.15, 0.60]}') from None
    if any(price < 0 or price != price for pair in prices.values() for price in pair):
        raise ImproperlyConfigured("SMOOTH_AGENT_PRICES: prices are USD per million tokens, 0 or more")
    return prices


SMOOTH_AGENT_PRICES = {
    **SMOOTH_AGENT_PRICES,
    **_prices(
        env_str(
            "SMOOTH_AGENT_PRICES",
            doc='JSON `{"model": [prompt, completion]}` in USD per million tokens, added to the built-in prices (for cost caps and `usage.costUsd`)',
        )
    ),
}


# --- Handoff to people (handoff/) -----------------------------------------------------

# Visitor words that ask for a person without asking the model (comma-separated), added to
# the built-in list ("talk to a human", "agent please", ...), or replacing it with
# SMOOTH_ESCALATION_PHRASES_REPLACE=1.
SMOOTH_ESCALATION_PHRASES = env_list("SMOOTH_ESCALATION_PHRASES", doc="more visitor phrases that ask for a person (comma-separated)")
SMOOTH_ESCALATION_PHRASES_REPLACE = env_bool(
    "SMOOTH_ESCALATION_PHRASES_REPLACE", False, doc="`1`: `SMOOTH_ESCALATION_PHRASES` are the only ones"
)
# What the visitor reads when their words asked for a person.
SMOOTH_ESCALATION_REPLY = env_str(
    "SMOOTH_ESCALATION_REPLY",
    "I have asked a person from our team to join this conversation. They will answer you here.",
    doc="what the visitor reads when their words asked for a person",
)
# Operators told by email (comma-separated addresses) and by a signed POST, in the background.
SMOOTH_ESCALATION_EMAIL = env_list(
    "SMOOTH_ESCALATION_EMAIL", doc="operators emailed when a conversation waits for a person (comma-separated)"
)
SMOOTH_ESCALATION_WEBHOOK_URL = env_str(
    "SMOOTH_ESCALATION_WEBHOOK_URL",
    doc="a JSON POST when a conversation waits for a person, signed with `SMOOTH_ESCALATION_WEBHOOK_SECRET`",
)
if SMOOTH_ESCALATION_WEBHOOK_URL and not SMOOTH_ESCALATION_WEBHOOK_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("SMOOTH_ESCALATION_WEBHOOK_URL must start with http:// or https://")
SMOOTH_ESCALATION_WEBHOOK_SECRET = env_secret("SMOOTH_ESCALATION_WEBHOOK_SECRET", doc="the webhook's signing secret (HMAC-SHA256)")
SMOOTH_ESCALATION_TIMEOUT_SECONDS = env_int(
    "SMOOTH_ESCALATION_TIMEOUT_SECONDS", 5, minimum=1, maximum=60, doc="each email or webhook attempt's timeout"
)
SMOOTH_ESCALATION_ATTEMPTS = env_int("SMOOTH_ESCALATION_ATTEMPTS", 3, minimum=1, maximum=10, doc="email or webhook attempts per escalation")
SMOOTH_ESCALATION_RETRY_SECONDS = env_int(
    "SMOOTH_ESCALATION_RETRY_SECONDS", 2, minimum=0, maximum=300, doc="the first wait between attempts (doubling)"
)
