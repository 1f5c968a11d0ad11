"""The default instructions and how knowledge is put in front of the model."""

DEFAULT_SYSTEM_PROMPT = (
    "You are a helpful customer-support agent. Answer briefly and politely. "
    "For anything specific to this organisation (policies, prices, products, procedures), rely on the "
    "[Relevant knowledge] given to you, and call the knowledge_search tool when it is not enough. "
    "If the knowledge base has nothing on the question, say so plainly instead of guessing."
)


def knowledge_context(results) -> str | None:
    if not results:
        return None
    passages = "\n\n".join(f"[{index}] {result.title}\n{result.text}" for index, result in enumerate(results, start=1))
    return f"[Relevant knowledge]\n{passages}"
