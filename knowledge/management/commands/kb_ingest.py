"""Ingest files, directories and http(s) URLs into the knowledge base."""

from __future__ import annotations

import functools
from pathlib import Path

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from core.commands import SmoothCommand, progress
from knowledge.access import normalize_access
from knowledge.connectors import connectors, ingest
from knowledge.models import Document
from knowledge.services import KEEP, run_ingestion
from knowledge.sources import EXTENSIONS, fetch_url, read_file, walk_directory


class Command(SmoothCommand):
    help = (
        "Ingest sources: files, directories (recursively: "
        + ", ".join(sorted(EXTENSIONS))
        + ") and http(s) URLs. Idempotent: unchanged content is skipped, changed content replaces its chunks."
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="*", help="file paths, directory paths or http(s) URLs")
        parser.add_argument("--org", default=None, help="organisation (default: SMOOTH_DEFAULT_ORG_ID)")
        parser.add_argument(
            "--set", action="append", dest="document_sets", default=[], help="add the documents to this document set; repeatable"
        )
        access = parser.add_argument_group("access (default: keep what is stored; new documents are visible to the whole organisation)")
        access.add_argument("--public", action="store_true", help="visible to everyone")
        access.add_argument("--user", action="append", dest="users", default=[], help="restrict to this user id; repeatable")
        access.add_argument("--group", action="append", dest="groups", default=[], help="restrict to members of this group; repeatable")
        access.add_argument("--org-wide", action="store_true", help="remove any access list: visible to the whole organisation")
        parser.add_argument("--prune", action="store_true", help="delete documents of an ingested directory whose files are gone")
        parser.add_argument(
            "--prefix",
            default="",
            help="put before each file's source, which is its path under the folder given (e.g. --prefix help/ makes help/returns.md)",
        )
        for each in connectors():  # a website by its sitemap, a GitHub repository
            each.add_arguments(parser.add_argument_group(f"{each.kind} (knowledge.connectors)"))

    def handle(self, *args, sources, org, document_sets, public, users, groups, org_wide, prune, prefix, **options):
        requested = [(each, location) for each in connectors() for location in each.requested(options)]
        if not sources and not requested:
            raise CommandError("name at least one source: a file, a directory or a URL, or a connector's location (--help)")
        organization_id = org or settings.SMOOTH_DEFAULT_ORG_ID
        if organization_id != settings.SMOOTH_DEFAULT_ORG_ID and not Document.objects.filter(organization_id=organization_id).exists():
            self._warn(
                f"organisation {organization_id!r} has no documents yet: this run starts its knowledge (check --org if that is not meant)"
            )
        access = self._access(public, users, groups, org_wide)
        failures: list[str] = []
        with httpx.Client(timeout=httpx.Timeout(20.0, connect=5.0)) as client:
            for source in sources:
                failures += self._ingest(source, organization_id, document_sets, access, prune, prefix, client)
            for each, location in requested:
                failures += self._collect(each, location, options, organization_id, document_sets, access, client)
        if failures:
            raise CommandError(f"{len(failures)} source(s) failed (the rest were ingested):\n" + "\n".join(failures))

    def _warn(self, line: str) -> None:
        self.stderr.write(f"warning: {line}", style_func=self.style.WARNING)

    def _access(self, public, users, groups, org_wide):
        if org_wide and (public or users or groups):
            raise CommandError("--org-wide cannot be combined with --public, --user or --group")
        if org_wide:
            return None
        if not (public or users or groups):
            return KEEP
        try:
            return normalize_access({"public": public, "users": users, "groups": groups})
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None

    def _ingest(self, source, organization_id, document_sets, access, prune, prefix, client) -> list[str]:
        root = ""
        if source.startswith(("http://", "https://")):
            items = [lambda: fetch_url(source, client=client)]
        else:
            path = Path(source)
            if path.is_dir():
                folder = path.resolve()
                files, skipped = walk_directory(path)
                for file in skipped:
                    self._warn(f"{file}: skipped, not a supported file type ({', '.join(sorted(EXTENSIONS))})")
                if not files:
                    self._warn(f"{source}: no supported files found, nothing to ingest")
                items = [functools.partial(read_file, file, root=folder, prefix=prefix) for file in files]
            elif path.exists():
                folder = path.resolve().parent
                items = [lambda: read_file(path, root=folder, prefix=prefix)]
            else:
                return [f"{source}: no such file or directory"]
            root = str(folder)
        if prune and not (root and Path(source).is_dir()):
            self.stderr.write(f"--prune applies to directories only; ignored for {source}")
            prune = False

        return self._run(
            source,
            lambda bar: run_ingestion(
                organization_id=organization_id,
                label=source,
                items=items,
                total=len(items),
                document_sets=document_sets,
                access=access,
                ingest_root=root,
                prune=prune,
                progress=lambda done, total: bar.update(1),
            ),
            total=len(items),
        )

    def _collect(self, each, location, options, organization_id, document_sets, access, client) -> list[str]:
        return self._run(
            f"{each.kind}:{location}",
            lambda bar: ingest(
                each,
                location,
                each.settings(options),
                organization_id=organization_id,
                client=client,
                document_sets=document_sets,
                access=access,
                progress=lambda done, total: bar.update(1),
            ),
            total=None,
        )

    def _run(self, label: str, running, *, total: int | None) -> list[str]:
        """Run one ingestion with a progress bar; print its counts; its errors."""
        bar = progress(self, total=total, minimum=20, desc=label[-40:], unit="doc")
        try:
            report = running(bar)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        finally:
            bar.close()
        run = report.run
        self.stdout.write(
            (self.style.SUCCESS if not report.errors else self.style.WARNING)(
                f"{label}: {run.documents_seen} seen, {run.documents_added} added, {run.documents_updated} updated, "
                f"{run.documents_unchanged} unchanged, {run.documents_deleted} deleted"
            )
        )
        return report.errors
