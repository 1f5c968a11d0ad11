"""The server's own files and single web pages as connectors: "files" (a folder, read
recursively, or one file) and "url" (one http(s) page). kb_ingest reads its positional
arguments with them, and kb_sync a KnowledgeSource of these kinds, the same way as a
website or a repository.

A folder's documents are stored under its resolved path (Document.ingest_root), which
scopes pruning: with `prune`, a document of the folder whose file is gone is deleted (one
whose file is there but fails to read is kept), and nothing of another folder, upload or page. A folder with no supported file prunes nothing
(an unmounted volume must not empty the knowledge base). A single file is stored under its
folder's path, and never prunes. A page is stored under "url:<its address>".
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import httpx

from knowledge.connectors import Collection
from knowledge.sources import EXTENSIONS, fetch_url, read_file, relative_source, walk_directory


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


class Files:
    kind = "files"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--prune", action="store_true", help="delete documents of an ingested directory whose files are gone")
        parser.add_argument(
            "--prefix",
            default="",
            help="put before each file's source, which is its path under the folder given (e.g. --prefix help/ makes help/returns.md)",
        )

    def requested(self, options: dict) -> list[str]:
        return [location for location in options.get("sources") or [] if not is_url(location)]

    def settings(self, options: dict) -> dict:
        return {"prefix": options.get("prefix") or "", "prune": bool(options.get("prune"))}

    def key(self, location: str, settings: dict) -> str:
        path = Path(location)
        return str(path.resolve() if path.is_dir() or not path.exists() else path.resolve().parent)

    def warnings(self, location: str, settings: dict) -> list[str]:
        """What an operator should hear before the run: files skipped, nothing to read, a
        prune that cannot apply."""
        path, found = Path(location), []
        if path.is_dir():
            files, skipped = walk_directory(path)
            found += [f"{file}: skipped, not a supported file type ({', '.join(sorted(EXTENSIONS))})" for file in skipped]
            if not files:
                found.append(f"{location}: no supported files found, nothing to ingest")
        elif path.exists() and settings.get("prune"):
            found.append(f"--prune applies to directories only; ignored for {location}")
        return found

    def collect(self, location: str, settings: dict, *, known: dict[str, dict], client: httpx.Client) -> Collection:
        path, prefix = Path(location), settings.get("prefix") or ""
        key = self.key(location, settings)
        if path.is_dir():
            folder = path.resolve()
            files, _ = walk_directory(path)
            items = [functools.partial(read_file, file, root=folder, prefix=prefix) for file in files]
            listed = [relative_source(file, folder, prefix) for file in files]  # a file that fails to read is kept
            return Collection(key, items, len(items), complete=bool(settings.get("prune")) and bool(files), listed=listed)
        if path.exists():
            return Collection(key, [functools.partial(read_file, path, root=path.resolve().parent, prefix=prefix)], 1, complete=False)
        return Collection(key, [], 0, [f"{location}: no such file or directory"], complete=False)


class Url:
    kind = "url"

    def add_arguments(self, parser: Any) -> None:
        pass  # kb_ingest's positional arguments name pages

    def requested(self, options: dict) -> list[str]:
        return [location for location in options.get("sources") or [] if is_url(location)]

    def settings(self, options: dict) -> dict:
        return {}

    def key(self, location: str, settings: dict) -> str:
        return f"url:{location}"

    def collect(self, location: str, settings: dict, *, known: dict[str, dict], client: httpx.Client) -> Collection:
        return Collection(self.key(location, settings), [functools.partial(fetch_url, location, client=client)], 1, complete=False)


CONNECTORS = (Files(), Url())
