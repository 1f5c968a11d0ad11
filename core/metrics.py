"""Smooth's Prometheus metrics: every one defined here, in the client's default registry,
and recorded where its event happens (the apps above import this module). Served at
/metrics (smooth.metrics_view), with what is read at scrape time (`Readings`) added there.

With several processes on one host, prometheus-client's multiprocess mode: each process
writes its figures to files in PROMETHEUS_MULTIPROC_DIR and a scrape of any one of them
sums every process's (`exposition`). The client reads that variable itself, when it is
first imported, so this module reads it from the environment too, not from settings: what
counts is what the client saw. A process marks itself dead as it stops (`serve` calls
`mark_this_process_dead`), and a scrape forgets the open sockets of processes that died
without doing so (a SIGKILL); the counters of dead processes stay in the sums, as totals must.

Labels stay few and bounded: agent ids (an organisation's agents), outcomes and error
codes from fixed lists. Never a session id, a question or anything a visitor typed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, multiprocess, values
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import choose_encoder

# The client opens its files as the metrics below are made: say what is wrong in one line.
_folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _folder and not os.path.isdir(_folder):
    raise ImproperlyConfigured(f"PROMETHEUS_MULTIPROC_DIR={_folder} is not a folder: create it (empty) before starting Smooth, or unset it")

# Latencies from a millisecond (a first token) to a minute (a long tool turn).
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

# livesum: the sockets open in the processes that are running now.
open_sockets = Gauge("smooth_open_sockets", "Protocol WebSockets (/ws) open now", multiprocess_mode="livesum")
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

# kind: rate_limit, budget, origin, auth_context (limits.models.ReportedRefusal.Kind);
# mode: enforced, or report_only (a would-be refusal that report-only mode let through).
ENFORCED, REPORT_ONLY = "enforced", "report_only"
refusals = Counter("smooth_refusals_total", "Requests refused, by kind and mode", ["kind", "mode"])

escalations = Counter("smooth_escalations_total", "Conversations handed to a person, by agent", ["agent"])
takeover_seconds = Histogram(
    "smooth_takeover_seconds",
    "From an escalation to a person taking the conversation over",
    buckets=(5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0, 14400.0, 86400.0),
)

# rating: up, down
answer_feedback = Counter("smooth_answer_feedback_total", "Visitors' ratings of answers, by agent and rating", ["agent", "rating"])

# The visitor's own data (chat.handlers.visitor_data). mode: erase, audited; format: text, html.
conversation_erasures = Counter(
    "smooth_conversation_erasures_total", "Conversations visitors deleted, by agent and mode", ["agent", "mode"]
)
transcript_downloads = Counter(
    "smooth_transcript_downloads_total", "Transcripts visitors downloaded, by agent and format", ["agent", "format"]
)


@dataclass(frozen=True)
class Readings:
    """What a scrape reads at that moment, in the process that serves it (smooth.metrics_view).
    Never written to the multiprocess files, so never summed across processes."""

    waiting_for_a_person: int | None  # None: not read (handoff not installed, or no answer in time)
    channel_layer: str  # the layer's class name
    channel_layer_reachable: bool
    redis_reachable: bool | None  # None: REDIS_URL is not set


class _ReadingsCollector:
    def __init__(self, readings: Readings):
        self.readings = readings

    def collect(self) -> Iterator[Metric]:
        readings = self.readings
        if readings.waiting_for_a_person is not None:
            yield GaugeMetricFamily(
                "smooth_conversations_waiting", "Conversations waiting for a person now (every organisation)", readings.waiting_for_a_person
            )
        layer = GaugeMetricFamily(
            "smooth_channel_layer_reachable",
            "1 when the channel layer answered this scrape (the in-memory layer always does)",
            labels=["layer"],
        )
        layer.add_metric([readings.channel_layer], float(readings.channel_layer_reachable))
        yield layer
        yield GaugeMetricFamily("smooth_redis_configured", "1 when REDIS_URL is set", float(readings.redis_reachable is not None))
        if readings.redis_reachable is not None:
            yield GaugeMetricFamily(
                "smooth_redis_reachable", "1 when Redis answered a PING during this scrape", float(readings.redis_reachable)
            )


def multiprocess_dir() -> str | None:
    """The folder every process writes its figures to, or None when this process keeps its own."""
    if not getattr(values.ValueClass, "_multiprocess", False):
        return None
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def exposition(readings: Readings, accept: str | None) -> tuple[bytes, str]:
    """Every metric, and its content type: what every process recorded (multiprocess mode) or
    this one did, then the readings; OpenMetrics when the scraper's Accept asks for it (as
    Prometheus does), else the Prometheus text format. Reads files: call it off the event loop."""
    registry = CollectorRegistry(auto_describe=False)
    folder = multiprocess_dir()
    if folder is None:
        registry.register(REGISTRY)
    else:
        forget_dead_processes(folder)
        registry.register(multiprocess.MultiProcessCollector(None, path=folder))
    registry.register(_ReadingsCollector(readings))
    encode, content_type = choose_encoder(accept or "")
    return encode(registry), content_type


def mark_this_process_dead() -> None:
    """This process's live gauges (its open sockets) leave the sums: call it as the process stops."""
    folder = multiprocess_dir()
    if folder is not None:
        multiprocess.mark_process_dead(os.getpid(), folder)


_LIVE_GAUGE_FILE = re.compile(r"gauge_live[a-z]+_(\d+)\.db")


def forget_dead_processes(folder: str) -> None:
    """Drop the live gauges of processes that died without marking themselves dead. Process ids
    are this host's: the folder is never shared across hosts or PID namespaces (containers)."""
    pids = {int(match.group(1)) for match in map(_LIVE_GAUGE_FILE.fullmatch, os.listdir(folder)) if match}
    for pid in pids:
        if not _running(pid):
            try:
                multiprocess.mark_process_dead(pid, folder)
            except FileNotFoundError:  # another process's scrape removed it first
                pass


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: asks only whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's: it runs
        return True
    return True
