"""The model gateway (an OpenAI-compatible HTTP API): its one client, its errors
and the pieces of a streamed completion. Below chat and knowledge; both import it."""

from core.gateway.client import GatewayClient, GatewayTimeouts, close_loop_client, configured_client, gateway
from core.gateway.errors import Failure, GatewayError, redact
from core.gateway.streaming import Completion, ToolCall, Usage

__all__ = [
    "Completion",
    "Failure",
    "GatewayClient",
    "GatewayError",
    "GatewayTimeouts",
    "close_loop_client",
    "ToolCall",
    "Usage",
    "configured_client",
    "gateway",
    "redact",
]
