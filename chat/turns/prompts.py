"""How knowledge is put in front of the model (the instructions are the agent's: agents.config)."""


def knowledge_context(results) -> str | None:
    if not results:
        return None
    passages = "\n\n".join(f"[{index}] {result.title}\n{result.text}" for index, result in enumerate(results, start=1))
    return f"[Relevant knowledge]\n{passages}"
