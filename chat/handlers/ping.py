"""ping → pong."""

from chat import protocol


async def ping(conn, frame: dict, request_id: str | None) -> None:
    await conn.send(protocol.pong(request_id))
