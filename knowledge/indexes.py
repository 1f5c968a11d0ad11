"""The in-memory search indexes of each organisation (full text and vectors), kept
per process and brought up to date when the organisation's IndexVersion moves:
rebuilt whole, or, for a kind that can (a large organisation's vectors), updated
by the chunks that changed.

- A search never runs on the thread that serves every socket's database work:
  retrieval runs it on `search_executor`, whose threads have database connections
  of their own.
- A small organisation's index is rebuilt by the search that finds it stale, so
  what was just ingested is found at once.
- A large one (more than INLINE_REBUILD_CHUNKS chunks) is rebuilt or updated on a
  thread of its own while its previous index goes on serving.
- `warm` builds every organisation's indexes when the server starts.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, TypeVar

from django.db import close_old_connections, connection

from knowledge.models import Chunk, IndexVersion

logger = logging.getLogger(__name__)

INLINE_REBUILD_CHUNKS = 5000

search_executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="smooth-search")

Index = TypeVar("Index")


def current_version(organization_id: str) -> int:
    return IndexVersion.objects.filter(organization_id=organization_id).values_list("version", flat=True).first() or 0


def with_own_connection(function: Callable, *args, **kwargs):
    """Run `function` on a thread that is not Django's shared database thread, with
    that thread's own connection handled as a request's would be."""
    close_old_connections()
    try:
        return function(*args, **kwargs)
    finally:
        connection.close()  # back to the pool (PostgreSQL), or a file handle closed (SQLite)


class VersionedIndexes(Generic[Index]):
    """One kind of index (full text or vectors) for every organisation."""

    def __init__(
        self,
        kind: str,
        build: Callable[[str, int], Index],
        size: Callable[[Index], int],
        update: Callable[[str, int, Index], Index] | None = None,
    ):
        """`update(organization_id, version, previous)`, where given, brings a stale
        index up to date (it may build anew); without it a stale index is rebuilt."""
        self.kind = kind
        self._build = build
        self._size = size
        self._update = update
        self._cache: dict[str, Index] = {}
        self._versions: dict[str, int] = {}
        self._building: dict[str, threading.Thread] = {}
        self._build_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, organization_id: str) -> Index:
        """The organisation's index at its current version, or, while a large one
        rebuilds in the background, the one before."""
        version = current_version(organization_id)
        with self._lock:
            cached = self._cache.get(organization_id)
            if cached is not None and self._versions[organization_id] >= version:
                return cached
            if cached is not None and self._size(cached) > INLINE_REBUILD_CHUNKS:
                self._start_background(organization_id, version)
                return cached
        return self._build_once(organization_id, version)

    def _build_once(self, organization_id: str, version: int) -> Index:
        """Build unless another thread just did: one build of an organisation at a time."""
        with self._lock:
            build_lock = self._build_locks.setdefault(organization_id, threading.Lock())
        with build_lock:
            with self._lock:
                previous = self._cache.get(organization_id)
                if previous is not None and self._versions[organization_id] >= version:
                    return previous
            started = time.perf_counter()
            if previous is not None and self._update is not None:
                index, action = self._update(organization_id, version, previous), "brought up to date"
            else:
                index, action = self._build(organization_id, version), "built"
            logger.info(
                "%s the %s index of organisation %s (%d chunks, version %d) in %.2f s",
                action,
                self.kind,
                organization_id,
                self._size(index),
                version,
                time.perf_counter() - started,
            )
            return self._store(organization_id, version, index)

    def build_in_background(self, organization_id: str) -> threading.Thread:
        with self._lock:
            return self._start_background(organization_id, None)

    def _start_background(self, organization_id: str, version: int | None) -> threading.Thread:
        running = self._building.get(organization_id)
        if running is None:
            logger.info("building the %s index of organisation %s in the background", self.kind, organization_id)
            running = threading.Thread(
                target=self._build_in_background,
                args=(organization_id, version),
                name=f"smooth-index-{self.kind}",
                daemon=True,
            )
            self._building[organization_id] = running
            running.start()
        return running

    def _build_in_background(self, organization_id: str, version: int | None) -> None:
        try:

            def build():
                self._build_once(organization_id, current_version(organization_id) if version is None else version)

            with_own_connection(build)
        except Exception:
            logger.exception("building an organisation's %s index failed; its previous index goes on serving", self.kind)
        finally:
            with self._lock:
                self._building.pop(organization_id, None)

    def _store(self, organization_id: str, version: int, index: Index) -> Index:
        with self._lock:
            if self._versions.get(organization_id, -1) <= version:
                self._cache[organization_id], self._versions[organization_id] = index, version
            return self._cache[organization_id]

    def wait(self, timeout: float = 60.0) -> None:
        """For commands and tests: until no index is building in the background."""
        for thread in list(self._building.values()):
            thread.join(timeout)

    def forget(self) -> None:
        self.wait()
        with self._lock:
            self._cache.clear()
            self._versions.clear()


def registered() -> list[VersionedIndexes]:
    from knowledge import dense, lexical

    return [lexical.indexes, dense.indexes]


def warm() -> list[threading.Thread]:
    """Load the embedding model and build every organisation's indexes, in the
    background (at server start), so no visitor's first search waits for either."""
    from knowledge.embeddings import get_embedder, model_executor

    model_executor.submit(get_embedder)
    organizations = list(Chunk.objects.values_list("organization_id", flat=True).distinct())
    return [indexes.build_in_background(organization) for indexes in registered() for organization in organizations]


def forget_all() -> None:
    for indexes in registered():
        indexes.forget()
