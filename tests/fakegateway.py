"""A fake OpenAI-compatible model gateway: a real HTTP server on a local port
that streams scripted replies as server-sent events, and fails on demand.

Script items (as in the conformance scenarios' mockLlmScript):
  {"kind": "text", "text": "..."}                      streamed word by word
  {"kind": "toolCall", "name": "...", "arguments": "{...}"}
  {"kind": "status", "status": 429}                    an HTTP error answer
  {"kind": "malformed"}                                a non-JSON event
  {"kind": "hang"}                                     headers, then silence
  {"kind": "drop", "text": "...", "after": 2}          some tokens, then the connection closes
  {"kind": "stall", "text": "...", "after": 2, "seconds": 2}  some tokens, a long pause, then the connection closes
  {"kind": "slow", "text": "...", "delay": 0.1}         every token after a delay, then a normal end
  {"kind": "burst", "text": "..."}                      every event of the reply in a single write
  {"kind": "raw", "events": [<payload>, ...]}           each payload as one SSE data event (a dict is sent as JSON), then the end
  {"kind": "status", "status": 401, "body": {...}}      an HTTP error answer with that JSON body
Every completed reply reports usage of 10 prompt and 5 completion tokens, unless
the item says "usage": False. Other paths (/embeddings, /rerank) answer from
`routes[path suffix](request body) -> (status, JSON body)`, which may block.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

USAGE = {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}


def tokens_of(text: str) -> list[str]:
    """Split text into word-ish deltas whose concatenation is the text."""
    return re.findall(r"\S+\s*|\s+", text)


class FakeGateway:
    def __init__(self, script: list[dict] | None = None):
        self.script: list[dict] = list(script or [])
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.routes: dict = {}
        self._lock = threading.Lock()

    def push(self, *items: dict) -> None:
        with self._lock:
            self.script.extend(items)

    def _next(self) -> dict:
        with self._lock:
            return self.script.pop(0) if self.script else {"kind": "text", "text": "(the fake gateway's script is empty)"}

    def start(self) -> FakeGateway:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # the body ends when the connection closes

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                route = next((handler for suffix, handler in gateway.routes.items() if self.path.endswith(suffix)), None)
                if route is not None:
                    status, answer = route(json.loads(body))
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.end_headers()
                    self.wfile.write(json.dumps(answer).encode())
                    return
                gateway.requests.append(json.loads(body))
                gateway.headers.append(dict(self.headers))
                item = gateway._next()
                if item["kind"] == "status":
                    self.send_response(item["status"])
                    self.send_header("content-type", "application/json")
                    self.end_headers()
                    self.wfile.write(json.dumps(item.get("body", {"error": {"message": "scripted failure"}})).encode())
                    return
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.end_headers()
                try:
                    gateway._stream(self.wfile, item)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the caller abandoned the stream (a cancelled turn): as a real gateway would see it

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @staticmethod
    def _event(wfile, payload) -> None:
        data = payload if isinstance(payload, str) else json.dumps(payload)
        wfile.write(f"data: {data}\n\n".encode())
        wfile.flush()

    def _stream(self, wfile, item: dict) -> None:
        kind = item["kind"]
        if kind == "hang":
            time.sleep(item.get("seconds", 5))
            return
        if kind == "malformed":
            self._event(wfile, "{not json")
            return
        if kind == "raw":
            for payload in item["events"]:
                self._event(wfile, payload)
            return
        if kind == "toolCall":
            call_id = item.get("id", "call_1")
            arguments = item.get("arguments", "{}")
            half = len(arguments) // 2
            for piece in (
                {"index": 0, "id": call_id, "type": "function", "function": {"name": item["name"], "arguments": arguments[:half]}},
                {"index": 0, "function": {"arguments": arguments[half:]}},
            ):
                self._event(wfile, {"choices": [{"index": 0, "delta": {"tool_calls": [piece]}, "finish_reason": None}]})
            self._finish(wfile, "tool_calls", item.get("usage", True))
            return
        if kind == "burst":
            buffer = _Buffer()
            self._stream(buffer, {"kind": "text", "text": item["text"]})
            wfile.write(buffer.data)
            wfile.flush()
            return
        pieces = tokens_of(item.get("text", ""))
        self._event(wfile, {"choices": [{"index": 0, "delta": {"role": "assistant", "content": None}, "finish_reason": None}]})
        for index, piece in enumerate(pieces):
            if kind in ("drop", "stall") and index == item.get("after", 2):
                if kind == "stall":
                    time.sleep(item.get("seconds", 2))
                return
            if kind == "slow":
                time.sleep(item.get("delay", 0.1))
            self._event(wfile, {"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]})
        self._finish(wfile, "stop", item.get("usage", True))

    def _finish(self, wfile, reason: str, usage: bool = True) -> None:
        self._event(wfile, {"choices": [{"index": 0, "delta": {}, "finish_reason": reason}]})
        if usage:
            self._event(wfile, {"choices": [], "usage": USAGE})
        self._event(wfile, "[DONE]")


class _Buffer:
    """Collects what _stream writes, to send it in one go."""

    def __init__(self):
        self.data = b""

    def write(self, data: bytes) -> None:
        self.data += data

    def flush(self) -> None:
        pass
