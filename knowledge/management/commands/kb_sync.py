"""Run the knowledge sources that are due (or the ones named), each an IndexingRun, one run
at a time per source however many machines run this at once: made for cron or a
Kubernetes CronJob (knowledge.sync holds the lease)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone

from core.commands import SmoothCommand
from knowledge import fetching
from knowledge.management.runs import RunBar, counts
from knowledge.models import KnowledgeSource
from knowledge.sync import LEASE, SyncOutcome, SyncResult, describe_schedule, due_sources, is_running, named_sources, sync_source

ERRORS_SHOWN = 5  # per failed source, at the end; its run keeps them all


def when(moment: dt.datetime | None) -> str:
    return "when asked" if moment is None else timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")


class Command(SmoothCommand):
    help = (
        "Run every enabled knowledge source that is due (or the ones named), one run at a time per source across machines: "
        "safe to call from cron or a Kubernetes CronJob on several at once. One line per source; exits non-zero when one failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            action="append",
            dest="names",
            default=[],
            metavar="NAME_OR_ID",
            help="run this source now, due or not (its name or id); repeatable",
        )
        parser.add_argument("--org", default=None, help="only this organisation's sources (and the one whose name --source gives)")
        parser.add_argument("--all", "--force", action="store_true", dest="everything", help="run every enabled source now, due or not")
        parser.add_argument(
            "--lease",
            type=int,
            default=int(LEASE.total_seconds() // 60),
            metavar="MINUTES",
            help="how long a run holds its source without renewing (it renews as it reads documents): "
            "a run whose process died frees it after this long",
        )
        parser.add_argument(
            "--list", action="store_true", dest="listing", help="list the sources, their schedules and last runs; run nothing"
        )

    def handle(self, *args, names, org, everything, lease, listing, **options):
        if names and everything:
            raise CommandError("--source runs the sources named, --all every one: give one of them")
        if lease < 1:
            raise CommandError("--lease is a number of minutes, at least 1")
        if listing:
            return self._list(org)
        if names:
            try:
                sources = named_sources(names, org)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
        else:
            chosen = KnowledgeSource.objects.filter(enabled=True).order_by("organization_id", "name") if everything else due_sources()
            sources = list(chosen.filter(organization_id=org) if org else chosen)
        if not sources:
            self.stdout.write("no knowledge source is enabled" if everything else "no knowledge source is due")
            return
        failed: list[SyncResult] = []
        with fetching.client() as client:
            for source in sources:
                bar = RunBar(self, source.name)
                try:
                    result = sync_source(
                        source,
                        client=client,
                        lease=dt.timedelta(minutes=lease),
                        due_only=not (names or everything),
                        progress=bar,
                        warn=self._warn,
                    )
                except Exception as exc:  # a fault around the run (the database): the other sources still run
                    result = SyncResult(source, SyncOutcome.FAILED, errors=[f"{type(exc).__name__}: {exc}"])
                finally:
                    bar.close()
                self._line(result)
                if result.outcome == SyncOutcome.FAILED:
                    failed.append(result)
        if failed:
            lines = []
            for result in failed:
                shown = result.errors[:ERRORS_SHOWN]
                more = len(result.errors) - len(shown)
                lines += [f"{_who(result.source)}: {error}" for error in shown]
                lines += [f"{_who(result.source)}: … and {more} more (its indexing run lists them)"] if more > 0 else []
            raise CommandError(f"{len(failed)} source(s) failed (the others ran):\n" + "\n".join(lines))

    def _warn(self, line: str) -> None:
        self.stderr.write(f"warning: {line}", style_func=self.style.WARNING)

    def _line(self, result: SyncResult) -> None:
        who, run = _who(result.source), result.run
        after = " (the run before stopped without finishing)" if result.abandoned else ""
        if result.outcome == SyncOutcome.RAN and run is not None:
            self.stdout.write(self.style.SUCCESS(f"{who}: {counts(run)}; next run {when(result.next_run_at)}{after}"))
        elif result.outcome == SyncOutcome.FAILED:
            done = f"{counts(run)}, " if run is not None and run.documents_seen else ""
            self.stdout.write(
                self.style.ERROR(f"{who}: failed, {done}{len(result.errors)} error(s); next run {when(result.next_run_at)}{after}")
            )
        elif result.outcome == SyncOutcome.BUSY:
            until = result.source.running_until
            self.stdout.write(f"{who}: running elsewhere (its lease ends {when(until)}), skipped")
        elif result.outcome == SyncOutcome.NOT_DUE:
            self.stdout.write(f"{who}: run by another kb_sync meanwhile (next run {when(result.next_run_at)}), skipped")
        else:
            self.stdout.write(self.style.WARNING(f"{who}: disabled, skipped"))

    def _list(self, org: str | None) -> None:
        sources = KnowledgeSource.objects.select_related("last_run").order_by("organization_id", "name")
        sources = sources.filter(organization_id=org) if org else sources
        now = timezone.now()
        for source in sources:
            last = source.last_run
            state = "running" if is_running(source, now) else "enabled" if source.enabled else "disabled"
            last_said = f"last run {when(last.started_at)} {last.status}" if last else "never run"
            self.stdout.write(
                f"{_who(source)}: {source.kind} {source.location}; {describe_schedule(source)}, {state}; "
                f"next run {when(source.next_run_at) if source.enabled else '-'}; {last_said}"
            )
        if not sources:
            self.stdout.write("no knowledge source" + (f" in organisation {org!r}" if org else ""))


def _who(source: KnowledgeSource) -> str:
    return f"{source.name} [{source.organization_id}]"
