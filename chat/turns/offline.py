"""Offline answers (SMOOTH_AGENT_LLM=offline): no language model; the reply quotes the
whole sentences of the relevant passages that answer the question best, chosen by
meaning (the embedding model, sentence by sentence) and by the question's words, and
says plainly when the knowledge base has nothing (retrieval's relevance decision
returned no passage), offering a person."""

from __future__ import annotations

import asyncio
import math
import re

from chat.turns.outcome import TurnOutcome
from knowledge.embeddings import in_model_thread, similarities
from knowledge.retrieval import SearchResult
from knowledge.text import correction, plain_sentences, stem, words

NOTHING_FOUND = (
    "I could not find anything about that in our help articles, so I don't know. "
    "Could you rephrase it, or would you like a person on our team to help?"
)
MAX_SENTENCES = 3
# A sentence joins the lead one only if it covers at least this share of what the lead covers.
COMPANION_SHARE = 0.5
# The lead's next sentence in its passage joins it with less: it often finishes the lead's thought.
FOLLOWING_SHARE = 0.25
# Questions that want a figure ("how long", "how much", "when"...): sentences with one rank higher.
_WANTS_FIGURE = re.compile(r"\b(how (much|many|long|fast|big|often|quickly|soon)|when|price|cost|fee|limit|max(imum)?|min(imum)?)\b", re.I)
FIGURE_BONUS = 0.15
# How much a sentence's passage score counts: (score / best passage's score) ** this.
PASSAGE_EXPONENT = 2.0
# A sentence's rank: MEANING_WEIGHT of its calibrated similarity to the question, the
# rest the share of the question's words it holds.
MEANING_WEIGHT = 0.6
# A sentence sharing no word with the question (one asked in another language, or about
# something else) needs at least this similarity in meaning to be quoted.
MEANING_ALONE = 0.33
WORD_DELAY_SECONDS = 0.015


def _question_stems(question: str, sentence_words: list[list[str]]) -> set[str]:
    """The question's stems; a misspelt word ("cancle") is read as the passages' word one
    edit away with the same first letter, as retrieval read it."""
    present: dict[str, set[str]] = {}
    for sentence in sentence_words:
        for word in sentence:
            present.setdefault(word[0], set()).add(word)
    stems = set()
    for word in words(question):
        if word not in present.get(word[0], ()):
            word = correction(word, present) or word
        stems.add(stem(word))
    return stems


def compose_reply(question: str, results) -> tuple[str, list]:
    """Two or three whole sentences from the passages, the one that answers first: each
    sentence is ranked by its similarity in meaning to the question and by the share of
    the question's words it holds (rarer words among the candidates weigh more), scaled
    by its passage's relevance. Returns the reply and the passages it quoted, which are
    all it may cite. Runs the embedding model: call it off the event loop."""
    candidates = [(result, sentence) for result in results for sentence in plain_sentences(result.text, result.metadata)]
    if not candidates:
        return NOTHING_FOUND, []
    # A sentence is about what its section's headings say, too ("Opening hours": "Monday to Friday, 9 am to 6 pm").
    sentence_words = [words(" ".join([*result.metadata.get("headings", []), sentence])) for result, sentence in candidates]
    wanted = _question_stems(question, sentence_words)
    meaning = _meaning(question, [sentence for _, sentence in candidates])
    sentence_stems = [{stem(word) for word in sentence} & wanted for sentence in sentence_words]
    holding = {word: sum(word in stems for stems in sentence_stems) for word in wanted}
    weights = {word: math.log(1 + len(candidates) / (1 + count)) for word, count in holding.items()}
    total = sum(weights.values()) or 1.0
    top_score = max(result.score for result in results) or 1.0
    wants_figure = bool(_WANTS_FIGURE.search(question))

    def rank(position: int) -> float:
        result, sentence = candidates[position]
        coverage = sum(weights[word] for word in sentence_stems[position]) / total
        if not coverage and meaning[position] < MEANING_ALONE:
            return 0.0  # neither the question's words nor close to it: no answer
        fit = MEANING_WEIGHT * meaning[position] + (1 - MEANING_WEIGHT) * coverage
        if fit and wants_figure and any(character.isdigit() for character in sentence):
            fit += FIGURE_BONUS
        return fit * (result.score / top_score) ** PASSAGE_EXPONENT

    scores = [rank(position) for position in range(len(candidates))]
    ranked = sorted(range(len(candidates)), key=lambda position: (-scores[position], position))
    lead = ranked[0]
    if scores[lead] <= 0:
        return NOTHING_FOUND, []
    chosen = [candidates[lead]]
    # The lead's next sentence in its passage, when it too speaks of the question,
    # usually finishes what the lead began ("A factory reset erases..." "To reset, hold...").
    following = lead + 1
    if (
        following < len(candidates)
        and candidates[following][0] is candidates[lead][0]
        and scores[following] >= FOLLOWING_SHARE * scores[lead]
    ):
        chosen.append(candidates[following])
    for position in ranked[1:]:
        if len(chosen) >= MAX_SENTENCES or scores[position] < COMPANION_SHARE * scores[lead]:
            break
        if candidates[position][1] not in {sentence for _, sentence in chosen}:
            chosen.append(candidates[position])
    return _quote(chosen)


def _meaning(question: str, sentences: list[str]) -> list[float]:
    """Each sentence's similarity in meaning to the question, 0..1 (none with the
    gateway's embeddings: a network call per answer; the words have to do)."""
    found = similarities(question, sentences)
    return [0.0] * len(sentences) if found is None else [float(value) for value in found]


def _quote(chosen: list) -> tuple[str, list]:
    """ "From <title>: s1 s2" per document, the lead sentence's document first."""
    by_document: dict[str, tuple[SearchResult, list[str]]] = {}
    for result, sentence in chosen:
        by_document.setdefault(result.source, (result, []))[1].append(sentence)
    parts = [f"From {result.title}: " + " ".join(sentences) for result, sentences in by_document.values()]
    return " ".join(parts), [result for result, _ in by_document.values()]


def words_of(reply: str) -> list[str]:
    """The reply as word-sized tokens whose concatenation is the reply."""
    return re.findall(r"\S+\s*", reply)


async def say(events, text: str) -> None:
    """Stream a fixed reply word by word, at the same reading pace."""
    for index, word in enumerate(words_of(text)):
        if index:
            await asyncio.sleep(WORD_DELAY_SECONDS)
        await events.token(word)


async def offline_turn(events, question: str, results) -> TurnOutcome:
    """The composed reply, streamed word by word at a reading pace (so it visibly streams)."""
    reply, used = await in_model_thread(compose_reply, question, results)
    await say(events, reply)
    return TurnOutcome(reply, [], None, grounding=used)
