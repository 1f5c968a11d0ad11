"""Run a knowledge search from the shell, as a given user / groups or anonymous."""

from django.conf import settings
from django.core.management.base import CommandError

from core.commands import SmoothCommand
from identity.access import AccessContext
from knowledge.retrieval import MAX_LIMIT, search_blocking


class Command(SmoothCommand):
    help = "Print the ranked results of a knowledge search, with their scores, as the requester given (default: anonymous)."

    def add_arguments(self, parser):
        parser.add_argument("query")
        parser.add_argument("--org", default=None, help="organisation (default: SMOOTH_DEFAULT_ORG_ID)")
        parser.add_argument("--user", default=None, help="search as this user id")
        parser.add_argument("--group", action="append", default=[], help="a group the requester belongs to; repeatable")
        parser.add_argument("--set", action="append", dest="document_sets", default=[], help="only this document set; repeatable")
        parser.add_argument("--limit", type=int, default=5, help=f"how many results (1 to {MAX_LIMIT})")
        parser.add_argument(
            "--min-score",
            type=float,
            default=None,
            help="every result scoring at least this, 0 to 1, instead of the relevance decision (0 shows all)",
        )

    def handle(self, *args, query, org, user, group, document_sets, limit, min_score, **options):
        if not 1 <= limit <= MAX_LIMIT:
            raise CommandError(f"--limit must be from 1 to {MAX_LIMIT}")
        if min_score is not None and not 0.0 <= min_score <= 1.0:  # also refuses nan
            raise CommandError("--min-score must be from 0 to 1")
        if not query.strip():
            raise CommandError("the query is empty")
        access = AccessContext(org or settings.SMOOTH_DEFAULT_ORG_ID, user_id=user, groups=frozenset(group))
        results = search_blocking(query, access, limit=limit, document_sets=document_sets or None, min_score=min_score)
        who = f"user {user}" if user else "anonymous"
        if group:
            who += f" in {', '.join(group)}"
        kept = "judged relevant" if min_score is None else f"scoring at least {min_score:g}"
        self.stdout.write(f"{len(results)} result(s) for {query!r} as {who}, {kept}")
        for rank, result in enumerate(results, start=1):
            snippet = " ".join(result.text.split())[:160]
            self.stdout.write(f"{rank}. [{result.score:.4f}] {result.title} ({result.url or result.source})\n   {snippet}")
