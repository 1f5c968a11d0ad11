"""Log lines as JSON objects (SMOOTH_LOG_FORMAT=json), one a line, for a log pipeline
that parses them; the plain format stays the default.

Each line carries the ids of the work it was logged in: `bind(...)` adds them to the
current context (a turn's task binds its session, requestId and agent as it starts, and
the database threads it calls inherit them), and the trace id when a span is recording
(core.tracing). Only ids are bound, never what a visitor typed.
"""

from __future__ import annotations

import contextvars
import json
import logging
from datetime import UTC, datetime

from opentelemetry import trace

_fields: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("smooth_log_fields", default=None)


def bind(**fields: object) -> None:
    """Add `fields` (ids) to every line logged from here on in this context: a task's
    own, so that a turn's bind ends with its task."""
    _fields.set({**(_fields.get() or {}), **{name: str(value) for name, value in fields.items() if value is not None}})


def bound() -> dict[str, str]:
    return dict(_fields.get() or {})


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(_fields.get() or {})
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            line["traceId"], line["spanId"] = f"{context.trace_id:032x}", f"{context.span_id:016x}"
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
