"""Seed the demo knowledge (the "policies" set)."""

from django.conf import settings

from core.commands import SmoothCommand
from knowledge.seeding import seed_demo_knowledge


class Command(SmoothCommand):
    help = 'Load the demo knowledge: a "policies" set (17-day returns, 5-7 day standard and 2-day expedited shipping, ...).'

    def add_arguments(self, parser):
        parser.add_argument("--org", default=None, help="organisation (default: SMOOTH_DEFAULT_ORG_ID)")

    def handle(self, *args, org=None, **options):
        report = seed_demo_knowledge(org or settings.SMOOTH_DEFAULT_ORG_ID)
        run = report.run
        self.stdout.write(
            self.style.SUCCESS(
                f"demo knowledge for {run.organization_id}: {run.documents_added} added, "
                f"{run.documents_updated} updated, {run.documents_unchanged} unchanged"
            )
        )
