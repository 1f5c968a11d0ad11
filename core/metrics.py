"""Smooth's Prometheus metrics: every one defined here, in the client's default registry,
and recorded where its event happens (the apps above import this module). Served at
/metrics (smooth.urls); with several processes, each writes its figures where
PROMETHEUS_MULTIPROC_DIR says and /metrics sums them (docs/OBSERVABILITY.md).

Labels stay few and bounded: agent ids (an organisation's agents), outcomes and error
codes from fixed lists. Never a session id, a question or anything a visitor typed.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

# Latencies from a millisecond (a first token) to a minute (a long tool turn).
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

open_sockets = Gauge("smooth_open_sockets", "WebSockets open now", multiprocess_mode="livesum")
sessions_created = Counter("smooth_sessions_created_total", "Conversation sessions created")

# outcome: answered, cancelled, refused (a limit, a budget or an access check said no), error;
# code: the error event's code for refused and error, "" otherwise.
turns = Counter("smooth_turns_total", "Turns ended, by outcome", ["outcome", "code"])
first_token_seconds = Histogram(
    "smooth_turn_first_token_seconds", "From a message's 202 to its turn's first token", buckets=LATENCY_BUCKETS
)
turn_seconds = Histogram("smooth_turn_seconds", "From a message's 202 to its turn's terminal event", ["outcome"], buckets=LATENCY_BUCKETS)

gateway_seconds = Histogram("smooth_gateway_request_seconds", "Model gateway calls, whole", ["model"], buckets=LATENCY_BUCKETS)
gateway_errors = Counter("smooth_gateway_errors_total", "Model gateway calls that failed, by error code", ["code"])
tokens = Counter("smooth_tokens_total", "Model tokens, by agent and kind (input, output)", ["agent", "kind"])
cost_usd = Counter("smooth_cost_usd_total", "Model spend in US dollars, by agent", ["agent"])

retrieval_seconds = Histogram("smooth_retrieval_seconds", "Knowledge searches of turns, whole", buckets=LATENCY_BUCKETS)

# kind: rate_limit, budget, origin, auth_context; mode: enforced, or report_only (a would-be refusal)
refusals = Counter("smooth_refusals_total", "Requests refused, by kind and mode", ["kind", "mode"])

escalations = Counter("smooth_escalations_total", "Conversations handed to a person, by agent", ["agent"])
takeover_seconds = Histogram(
    "smooth_takeover_seconds",
    "From an escalation to a person taking the conversation over",
    buckets=(5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0, 14400.0, 86400.0),
)

# rating: up, down
answer_feedback = Counter("smooth_answer_feedback_total", "Visitors' ratings of answers, by agent and rating", ["agent", "rating"])
