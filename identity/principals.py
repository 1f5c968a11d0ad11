"""Who is asking: a principal from a verified token, with its organisation, role and groups."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from identity.access import AccessContext


class Role(IntEnum):
    """Ordered: admin ≥ curator ≥ basic."""

    BASIC = 1
    CURATOR = 2
    ADMIN = 3


@dataclass(frozen=True)
class Principal:
    user_id: str
    organization_id: str
    role: Role = Role.BASIC
    groups: frozenset[str] = field(default_factory=frozenset)
    name: str = ""
    email: str = ""

    @property
    def access(self) -> AccessContext:
        """What this principal may read: in its own organisation, and nowhere else."""
        return AccessContext(organization_id=self.organization_id, user_id=self.user_id, groups=self.groups)

    def at_least(self, role: Role) -> bool:
        return self.role >= role
