"""How knowledge is put in front of the model (the instructions are the agent's: agents.config)."""

NOTHING_RELEVANT = (
    "[Knowledge]\nNothing in the knowledge base answers this question. Do not guess: say plainly "
    "that you do not know, and offer to bring in a person from the team."
)


def knowledge_context(results) -> str:
    """The passages retrieval kept (none when its relevance decision found that the
    knowledge does not answer), with what to do when they do not answer."""
    if not results:
        return NOTHING_RELEVANT
    passages = "\n\n".join(f"[{index}] {result.title}\n{result.text}" for index, result in enumerate(results, start=1))
    return f"[Relevant knowledge]\n{passages}\n\nAnswer from these passages. If they do not answer the question, say that you do not know."
