"""Retrieval and offline-answer quality on the labelled help centres.

    .venv/bin/python bench/retrieval_quality.py                 # the tuning sets only
    .venv/bin/python bench/retrieval_quality.py --set airline   # one set (here the held-out one)
    .venv/bin/python bench/retrieval_quality.py --all --misses

For each set (tests/knowledge/sets), a table per question kind: recall@1, recall@3
and MRR of Smooth's retrieval as configured (the offline defaults unless the
environment says otherwise) and of plain BM25 over the same chunks; the offline
answer's fact rate; the false-refusal rate on answerable questions and the refusal
rate on unanswerable ones. Each set is loaded into a fresh SQLite database.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure() -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='smooth-quality-')}/quality.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "smooth.settings"
    os.environ.setdefault("SMOOTH_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", action="append", dest="sets", help="a set of tests/knowledge/sets (repeatable)")
    parser.add_argument("--all", action="store_true", help="every set, the held-out ones too")
    parser.add_argument("--misses", action="store_true", help="list the questions whose answer lacks the fact")
    parser.add_argument("--floors", action="store_true", help="what each SMOOTH_RETRIEVAL_MIN_SCORE would refuse")
    args = parser.parse_args()

    configure()
    from tests.knowledge import quality, sets

    names = [*sets.TUNING, *sets.HELD_OUT] if args.all else args.sets or list(sets.TUNING)
    for name in names:
        help_centre = importlib.import_module(f"tests.knowledge.sets.{name}")
        organization = f"quality-{name}"
        quality.load(help_centre, organization)
        by_tag = quality.evaluate(help_centre, organization)
        role = "tuning set" if name in sets.TUNING else "held out"
        print(f"\n{name} ({role}): {len(help_centre.DOCUMENTS)} documents\n")
        print(quality.table(name, by_tag))
        if args.floors:
            print("\n" + quality.floor_table(by_tag["all"]))
        if args.misses:
            print("\n".join(f"  - {miss}" for miss in by_tag["all"].misses))


if __name__ == "__main__":
    main()
