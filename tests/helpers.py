"""What tests say to a session, for either client (the in-process ProtocolClient of
tests/clients.py, or the live WireClient of tests/e2e/live.py): both answer `request`
and `receive` with validated events."""

from __future__ import annotations

TERMINAL = frozenset({"eventual_response", "error", "cancelled"})


def send(session_id, request_id: str, message: str = "hello?", **fields) -> dict:
    """A send_message frame."""
    return {"action": "send_message", "requestId": request_id, "sessionId": str(session_id), "message": message, **fields}


async def until_terminal(client, request_id: str | None = None, timeout: float = 15) -> list[dict]:
    """The events up to a terminal one (of turn `request_id`, when given), in order."""
    events: list[dict] = []
    while not events or events[-1]["type"] not in TERMINAL or (request_id is not None and events[-1].get("requestId") != request_id):
        events.append(await client.receive(timeout=timeout))
    return events


async def turn(client, session_id, message: str = "hello?", request_id: str = "m-1", **fields) -> list[dict]:
    """Send a message; the events after its 202, up to its terminal one."""
    ack = await client.request(send(session_id, request_id, message, **fields))
    assert (ack["type"], ack["status"], ack["requestId"]) == ("immediate_response", 202, request_id), ack
    return await until_terminal(client, request_id)


def text_of(events: list[dict]) -> str:
    """The streamed text of `events`."""
    return "".join(event["token"] for event in events if event["type"] == "stream_token")
