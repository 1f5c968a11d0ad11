"""Retrieval and offline-answer quality on the labelled help centres.

    .venv/bin/python bench/retrieval_quality.py                 # the tuning sets only
    .venv/bin/python bench/retrieval_quality.py --set airline   # one set (here the held-out one)
    .venv/bin/python bench/retrieval_quality.py --all --misses
    .venv/bin/python bench/retrieval_quality.py --all --as pdf   # the same documents as PDF files

    .venv/bin/python bench/retrieval_quality.py --languages --calibrate   # fit the relevance decision

For each set (tests/knowledge/sets), a table per question kind: recall@1, recall@3
and MRR of Smooth's retrieval as configured (the offline defaults unless the
environment says otherwise) and of plain BM25 over the same chunks; the offline
answer's fact rate; the false-refusal rate on answerable questions and the refusal
rate on unanswerable ones. Each set is loaded into a fresh SQLite database.

With --as, each document is first made into a file of that kind (tests/knowledge/files.py:
a PDF laid out by reportlab with a bookmark per heading, one without bookmarks, or a Word
file) and read back as kb_ingest reads one, so the figures show what the format loses.
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


def configure(name: str = "quality") -> None:
    """Django on a new, migrated SQLite file (bench/vectors.py uses it too)."""
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix=f'smooth-{name}-')}/{name}.sqlite3"
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
    parser.add_argument("--languages", action="store_true", help="also ask each set's translated questions (recall beside English)")
    parser.add_argument(
        "--as",
        dest="as_file",
        choices=["pdf", "pdf-without-outline", "docx"],
        help="load each document as a file of this kind (made from its Markdown), read back as kb_ingest reads one",
    )
    parser.add_argument(
        "--calibrate", action="store_true", help="fit the relevance decision on the sets run (tuning sets only!) and print it"
    )
    args = parser.parse_args()

    configure()
    from tests.knowledge import quality, sets

    names = [*sets.TUNING, *sets.HELD_OUT] if args.all else args.sets or list(sets.TUNING)
    if args.calibrate and set(names) & set(sets.HELD_OUT):
        parser.error("calibrate on tuning sets only: a held-out set must stay untouched")
    rows = []
    for name in names:
        help_centre = importlib.import_module(f"tests.knowledge.sets.{name}")
        organization = f"quality-{name}"
        quality.load(help_centre, organization, args.as_file)
        role = "tuning set" if name in sets.TUNING else "held out"
        if args.as_file:
            role += f", documents as {args.as_file}"
        for language in quality.languages_of(name) if args.languages else ("en",):
            by_tag = quality.evaluate(help_centre, organization, language)
            rows += [(features, answerable, language) for features, answerable in quality.calibration_rows(by_tag)]
            print(f"\n{name} ({role}, questions in {language}): {len(help_centre.DOCUMENTS)} documents\n")
            print(quality.table(f"{name} {language}", by_tag))
            if args.misses:
                print("\n".join(f"  - {miss}" for miss in by_tag["all"].misses))
    if args.calibrate:
        print("\n" + fit_relevance(rows))


MEANING_FEATURES = ("bias", "dense", "sentence", "gap", "agree")
# What is left when the query has no vector (the gateway's /embeddings failed, or the
# dense weight is 0): the full text's own evidence.
FULL_TEXT_FEATURES = ("bias", "lexical", "known", "unknown")


def _logistic(rows, names):
    """A logistic regression (plain gradient descent, L2, each class weighing the same)
    of answerable on the named features: (weights, probabilities)."""
    import numpy as np

    x = np.array([[features[name] for name in names] for features, _, _ in rows])
    y = np.array([1.0 if answerable else 0.0 for _, answerable, _ in rows])
    sample_weight = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    w = np.zeros(len(names))
    for _ in range(20000):
        p = 1 / (1 + np.exp(-(x @ w)))
        w -= 0.5 * (x.T @ (sample_weight * (p - y)) / len(y) + 0.001 * w)
    return w, 1 / (1 + np.exp(-(x @ w)))


def fit_relevance(rows, max_false_refusal: float = 0.05) -> str:
    """Two logistic models, and their thresholds: one over every feature, fitted on the
    questions in the knowledge's own language (English here); one over the meaning
    features alone, fitted on every language. The knowledge answers when either says so.
    The thresholds: the most unanswerable English questions refused with at most
    `max_false_refusal` of answerable ones refused, and twice that in the other languages."""
    import numpy as np

    every = list(rows[0][0])
    own = [row for row in rows if row[2] == "en"]
    words_w, _ = _logistic(own, every)
    meaning_w, _ = _logistic(rows, MEANING_FEATURES)
    x_all = np.array([[features[name] for name in every] for features, _, _ in rows])
    x_meaning = np.array([[features[name] for name in MEANING_FEATURES] for features, _, _ in rows])
    p_words = 1 / (1 + np.exp(-(x_all @ words_w)))
    p_meaning = 1 / (1 + np.exp(-(x_meaning @ meaning_w)))
    y = np.array([answerable for _, answerable, _ in rows])
    english = np.array([language == "en" for _, _, language in rows])
    best = None
    grid = np.linspace(0.02, 0.98, 97)
    for t_words in grid:
        for t_meaning in grid:
            kept = (p_words >= t_words) | (p_meaning >= t_meaning)
            false_refusal = float((~kept[y & english]).mean())
            other_false_refusal = float((~kept[y & ~english]).mean()) if (~english).any() else 0.0
            refused = float((~kept[~y & english]).mean())
            allowed = false_refusal <= max_false_refusal and other_false_refusal <= 2 * max_false_refusal
            if allowed and (best is None or refused > best[0]):
                best = (refused, false_refusal, t_words, t_meaning, other_false_refusal, float((~kept[~y & ~english]).mean()))
    refused, false_refusal, t_words, t_meaning, other_false, other_refused = best
    full_text_w, p_full_text = _logistic(own, FULL_TEXT_FEATURES)
    y_own = np.array([answerable for _, answerable, _ in own])
    t_full_text = float(np.sort(p_full_text[y_own])[int(max_false_refusal * y_own.sum())])
    return (
        "FULL_TEXT_MODEL = {" + ", ".join(f'"{n}": {v:.2f}' for n, v in zip(FULL_TEXT_FEATURES, full_text_w)) + "}\n"
        f"FULL_TEXT_THRESHOLD = {t_full_text:.2f}  # refuses {float((p_full_text[~y_own] < t_full_text).mean()):.2f}"
        " of unanswerable English questions\n"
        "WORDS_MODEL = {" + ", ".join(f'"{n}": {v:.2f}' for n, v in zip(every, words_w)) + "}\n"
        "MEANING_MODEL = {" + ", ".join(f'"{n}": {v:.2f}' for n, v in zip(MEANING_FEATURES, meaning_w)) + "}\n"
        f"WORDS_THRESHOLD, MEANING_THRESHOLD = {t_words:.2f}, {t_meaning:.2f}\n"
        f"# on these sets, in English: {refused:.2f} of unanswerable questions refused, {false_refusal:.2f} of answerable ones;"
        f" translated: {other_refused:.2f} and {other_false:.2f}"
    )


if __name__ == "__main__":
    main()
