"""What kb_ingest and kb_sync show of a run: a progress bar drawn once the run knows its
length (a connector's listing comes first), and its counts as one line."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from tqdm import tqdm

from core.commands import progress
from knowledge.models import IndexingRun


class RunBar:
    """A progress callback for `ingest`: the bar opens at the first document read, with
    the listing's total (silent under `minimum` documents, or off a terminal)."""

    def __init__(self, command: BaseCommand, label: str, *, minimum: int = 20):
        self.command, self.label, self.minimum = command, label, minimum
        self.bar: tqdm | None = None

    def __call__(self, done: int, total: int | None) -> None:
        if self.bar is None:
            self.bar = progress(self.command, total=total, minimum=self.minimum, desc=self.label[-40:], unit="doc")
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def counts(run: IndexingRun) -> str:
    return (
        f"{run.documents_seen} seen, {run.documents_added} added, {run.documents_updated} updated, "
        f"{run.documents_unchanged} unchanged, {run.documents_deleted} deleted"
    )
