"""Ingest files, directories, http(s) URLs and connectors' locations (a website by its
sitemap, a GitHub repository) into the knowledge base, each run by its connector."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from core.commands import SmoothCommand
from knowledge import fetching
from knowledge.access import normalize_access
from knowledge.connectors import Connector, connectors, ingest
from knowledge.management.runs import RunBar, counts
from knowledge.models import Document
from knowledge.services import KEEP
from knowledge.sources import EXTENSIONS


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
        for each in connectors():  # files and pages (the positional sources), a website by its sitemap, a GitHub repository
            each.add_arguments(parser.add_argument_group(f"{each.kind} (knowledge.connectors)"))

    def handle(self, *args, org, document_sets, public, users, groups, org_wide, **options):
        requested = [(each, location) for each in connectors() for location in each.requested(options)]
        if not requested:
            raise CommandError("name at least one source: a file, a directory or a URL, or a connector's location (--help)")
        organization_id = org or settings.SMOOTH_DEFAULT_ORG_ID
        if organization_id != settings.SMOOTH_DEFAULT_ORG_ID and not Document.objects.filter(organization_id=organization_id).exists():
            self._warn(
                f"organisation {organization_id!r} has no documents yet: this run starts its knowledge (check --org if that is not meant)"
            )
        access = self._access(public, users, groups, org_wide)
        failures: list[str] = []
        with fetching.client() as client:
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

    def _collect(self, each: Connector, location, options, organization_id, document_sets, access, client) -> list[str]:
        """Run one connector over one location with a progress bar; print its counts; its errors."""
        bar = RunBar(self, location)
        try:
            chosen = each.settings(options)
            for line in getattr(each, "warnings", lambda *_: [])(location, chosen):
                self._warn(line)
            report = ingest(
                each,
                location,
                chosen,
                organization_id=organization_id,
                client=client,
                document_sets=document_sets,
                access=access,
                progress=bar,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        finally:
            bar.close()
        style = self.style.SUCCESS if not report.errors else self.style.WARNING
        self.stdout.write(style(f"{report.run.source}: {counts(report.run)}"))
        return report.errors
