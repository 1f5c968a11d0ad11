"""Who is reading: the organisation (always), and the user and groups when known. Every
read of knowledge is asked with one (knowledge.access turns it into its filter)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AccessContext:
    organization_id: str
    user_id: str | None = None
    groups: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not isinstance(self.organization_id, str) or not self.organization_id:
            raise ValueError("an access context needs the organisation it reads in")

    @classmethod
    def anonymous(cls, organization_id: str) -> AccessContext:
        return cls(organization_id)
