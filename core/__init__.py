"""The platform every app stands on, and that imports none of them: the model gateway's
client, Redis, the channel layers, logging filters, abstract model bases and what
management commands share. The lowest layer of the import contract (.importlinter)."""
