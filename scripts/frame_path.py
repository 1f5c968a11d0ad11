"""The path of one send_message frame through Smooth's modules.

    .venv/bin/python scripts/frame_path.py [--offline] [--list]

Runs a server in this process (SQLite in a temporary folder, the in-memory channel
layer, a local HTTP server playing the model gateway, or offline answers), opens a
socket, creates a session, answers one turn to warm every cache, then traces the second
turn from its frame to its terminal event. It prints how many of Smooth's modules the
turn's calls visit, how many of them the path enters again after leaving them (per
thread: the event loop's, the database thread's, the search threads'), and the steps
from one app to another. `--list` prints the path.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import threading
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
APPS = ("adminapi", "agents", "chat", "core", "handoff", "identity", "knowledge", "limits", "smooth", "widget_auth")
AGENT_ID = "5e0e7a1c-0000-4000-8000-000000000001"


def configure(offline: bool, gateway_url: str | None) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='smooth-path-')}/path.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "smooth.settings"
    os.environ["SMOOTH_LOG_LEVEL"] = "WARNING"
    os.environ["SMOOTH_AGENT_LLM"] = "offline" if offline else "gateway"
    if gateway_url:
        os.environ["SMOOAI_GATEWAY_URL"], os.environ["SMOOAI_GATEWAY_KEY"] = gateway_url, "sk-path"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class Tracer:
    """Smooth's modules, in the order each thread's calls enter them."""

    def __init__(self) -> None:
        self.paths: dict[int, list[str]] = defaultdict(list)

    def __call__(self, frame, event, arg):
        if event != "call":
            return
        module = frame.f_globals.get("__name__", "")
        if module.split(".", 1)[0] not in APPS:
            return
        path = self.paths[threading.get_ident()]
        if not path or path[-1] != module:
            path.append(module)

    def start(self) -> None:
        threading.setprofile(self)
        sys.setprofile(self)

    def stop(self) -> None:
        sys.setprofile(None)
        threading.setprofile(None)


def returned_to(path: list[str]) -> set[str]:
    """The modules `path` enters again after it had left them."""
    seen: set[str] = set()
    again = set()
    for module in path:
        if module in seen:
            again.add(module)
        seen.add(module)
    return again


def app_edges(path: list[str]) -> set[tuple[str, str]]:
    """The (from app, to app) steps of `path` between two apps (core.gateway is one of its own)."""

    def app(module: str) -> str:
        return "core.gateway" if module.startswith("core.gateway") else module.split(".", 1)[0]

    return {(app(a), app(b)) for a, b in zip(path, path[1:]) if app(a) != app(b)}


async def one_turn(communicator, session_id: str, request_id: str) -> None:
    await communicator.send_json_to(
        {"action": "send_message", "requestId": request_id, "sessionId": session_id, "message": "How long do refunds take?"}
    )
    while True:
        event = await communicator.receive_json_from(timeout=30)
        if event["type"] in ("eventual_response", "error", "cancelled"):
            return


async def trace() -> Tracer:
    from channels.testing import WebsocketCommunicator

    from smooth.asgi import application

    communicator = WebsocketCommunicator(application, "/ws", headers=[(b"origin", b"https://shop.example")])
    await communicator.connect()
    await communicator.send_json_to({"action": "create_conversation_session", "requestId": "c", "agentId": AGENT_ID})
    session_id = (await communicator.receive_json_from(timeout=30))["data"]["sessionId"]
    await one_turn(communicator, session_id, "warm")
    tracer = Tracer()
    tracer.start()
    try:
        await one_turn(communicator, session_id, "traced")
    finally:
        tracer.stop()
    await communicator.disconnect()
    return tracer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offline", action="store_true", help="offline answers (no model, no budgets)")
    parser.add_argument("--list", action="store_true", help="print each thread's path")
    args = parser.parse_args()
    gateway = None
    if not args.offline:
        from tests.fakegateway import FakeGateway

        reply = {"kind": "text", "text": "Refunds reach your card within 5 working days."}
        gateway = FakeGateway([reply, reply]).start()
    configure(args.offline, gateway.url if gateway else None)
    from knowledge.seeding import seed_demo_knowledge

    seed_demo_knowledge("default")
    tracer = asyncio.run(trace())
    if gateway:
        gateway.stop()
    paths = list(tracer.paths.values())
    modules = {module for path in paths for module in path}
    again = set().union(*map(returned_to, paths))
    edges = set().union(*map(app_edges, paths))
    print(f"modules visited: {len(modules)}; modules the path returns to after leaving them: {len(again)}")
    print(f"steps between apps: {len(edges)}: " + ", ".join(f"{a}->{b}" for a, b in sorted(edges)))
    if args.list:
        for thread, path in tracer.paths.items():
            print(f"\nthread {thread}:\n  " + "\n  ".join(path))


if __name__ == "__main__":
    main()
