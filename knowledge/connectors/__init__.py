"""Connectors: knowledge read from where it lives (a folder or file on the server, a web
page, a website by its sitemap, a GitHub repository), for `kb_ingest` and the scheduled
`kb_sync`.

A connector lists a location's documents as a `Collection`: lazy reads, one a source,
that `knowledge.services.run_ingestion` runs like any other (a failed read is named in
the run's errors and the run goes on). Its documents are stored under the collection's
`key` (Document.ingest_root), which scopes pruning: a document of the collection that a
complete listing no longer names is deleted. A read may raise `Unchanged` (an HTTP 304,
the same blob SHA) when what it asked with the document's stored `fetch` state says
nothing changed: it is kept and counted unchanged, at the cost of one request.

Each connector is an object with:

- `kind`: its name, as `KnowledgeSource.kind` stores it ("files", "url", "sitemap", "github");
- `add_arguments(parser)`: its `kb_ingest` options (a flag naming the location, and its
  own settings);
- `requested(options) -> list[str]`: the locations `kb_ingest`'s parsed options ask it to
  read (empty when its flag was not given; "files" and "url" share the positional ones);
- `settings(options) -> dict`: its settings from those options, JSON (what a
  KnowledgeSource keeps in `options`);
- `key(location, settings) -> str`: the collection's key;
- `collect(location, settings, *, known, client) -> Collection`: the listing, with
  `known` the stored `fetch` state of the collection's documents ({source: fetch}) and
  `client` an httpx.Client the caller opened (and closes);
- optionally `warnings(location, settings) -> list[str]`: what the operator should hear
  before a run (a file skipped); kb_ingest and kb_sync print them with `warning:`.

`connectors()` lists them (each module of CONNECTOR_MODULES defines CONNECTOR, or
CONNECTORS for several); kb_ingest and kb_sync find one by kind, and both run it with
`ingest`.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from knowledge.models import Document
from knowledge.services import KEEP, RunReport, run_ingestion
from knowledge.sources import SourceDocument


@dataclass
class Collection:
    key: str  # Document.ingest_root of its documents, e.g. "sitemap:https://help.example.com/sitemap.xml"
    items: Iterable[Callable[[], SourceDocument]]  # each reads one source: SourceError or Unchanged may stop it
    total: int | None = None  # how many items, when known (the progress bar's length)
    errors: list[str] = field(default_factory=list)  # what the listing could not read, each naming its source
    complete: bool = True  # the listing named every document: only then are the others pruned
    # Every source the listing named: kept even when its read fails (a 500, a spent rate
    # limit), so that only what the listing no longer names is pruned.
    listed: list[str] = field(default_factory=list)


class Connector(Protocol):
    kind: str

    def add_arguments(self, parser: Any) -> None: ...

    def requested(self, options: dict) -> list[str]: ...

    def settings(self, options: dict) -> dict: ...

    def key(self, location: str, settings: dict) -> str: ...

    def collect(self, location: str, settings: dict, *, known: dict[str, dict], client: httpx.Client) -> Collection: ...


def known_fetch_state(organization_id: str, key: str) -> dict[str, dict]:
    """The stored `fetch` state of the collection's documents, by source."""
    rows = Document.objects.filter(organization_id=organization_id, ingest_root=key).values_list("source", "metadata")
    return {source: (metadata or {}).get("fetch", {}) for source, metadata in rows}


# Each module defines CONNECTOR (or CONNECTORS); imported on first use (they import this module).
CONNECTOR_MODULES = ("knowledge.connectors.files", "knowledge.connectors.sitemap", "knowledge.connectors.github")


@functools.cache
def connectors() -> tuple[Connector, ...]:
    modules = [importlib.import_module(name) for name in CONNECTOR_MODULES]
    return tuple(each for module in modules for each in getattr(module, "CONNECTORS", None) or (module.CONNECTOR,))


def connector(kind: str) -> Connector:
    for candidate in connectors():
        if candidate.kind == kind:
            return candidate
    raise KeyError(f"no connector {kind!r}; known: {', '.join(each.kind for each in connectors())}")


def ingest(
    each: Connector,
    location: str,
    settings: dict,
    *,
    organization_id: str,
    client: httpx.Client,
    document_sets: Iterable[str] = (),
    access: Any = KEEP,
    progress: Callable[[int, int | None], None] | None = None,
    knowledge_source: Any = None,
) -> RunReport:
    """One run of a connector over a location: listed, read, stored, and, when the
    listing was complete, what it no longer names pruned. Recorded as an IndexingRun (of
    `knowledge_source`, when a KnowledgeSource is what is run)."""
    key = each.key(location, settings)
    listing = each.collect(location, settings, known=known_fetch_state(organization_id, key), client=client)
    return run_ingestion(
        organization_id=organization_id,
        label=f"{each.kind}:{location}",
        items=listing.items,
        total=listing.total,
        document_sets=list(document_sets),
        access=access,
        ingest_root=listing.key,
        prune=listing.complete,
        seen_sources=listing.listed,
        progress=progress,
        errors=listing.errors,
        knowledge_source=knowledge_source,
    )
