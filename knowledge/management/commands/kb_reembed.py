"""Embed again, with the current model, every chunk another model embedded."""

from core.commands import SmoothCommand, progress
from knowledge.embeddings import get_embedder
from knowledge.services import reembed, stale_chunks


class Command(SmoothCommand):
    help = (
        "Give every chunk a vector of the current embedding model (SMOOTH_AGENT_EMBEDDER). Batches are "
        "committed one by one: stop it at any time (Ctrl-C) and run it again to resume."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", default=None, help="only this organisation's chunks (default: every organisation)")
        parser.add_argument("--batch-size", type=int, default=64, help="chunks embedded and committed together (default 64)")

    def handle(self, *args, org=None, batch_size=64, **options):
        model = get_embedder().name
        total = stale_chunks(org).count()
        if not total:
            self.stdout.write(self.style.SUCCESS(f"every chunk already has a {model} vector"))
            return
        with progress(self, total=total, unit="chunk", desc=f"embedding with {model}") as bar:
            done = reembed(organization_id=org, batch_size=max(1, batch_size), progress=lambda step: bar.update(step.done - bar.n))
        self.stdout.write(self.style.SUCCESS(f"{done} chunks embedded again with {model}"))
