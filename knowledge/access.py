"""Who may read what.

A document without an access list is visible to everyone in its organisation; a
`public` one to everyone; otherwise only to the listed users and members of the
listed groups. Anonymous requesters see unrestricted and public documents.

The organisation is part of the access context itself: there is no way to ask
for documents without saying whose, and every query filters on it first.

The filter is written once as SQL (`access_sql`) so that every search applies it
inside the database query, before ranking truncates anything.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from identity.access import AccessContext

MAX_PRINCIPALS = 1000


def normalize_access(value) -> dict | None:
    """The canonical access list, or ValidationError saying what is wrong."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValidationError("An access list must be null or an object {public, users, groups}.")
    unknown = set(value) - {"public", "users", "groups"}
    if unknown:
        raise ValidationError(f"Unknown access list keys: {', '.join(sorted(unknown))}.")
    public = value.get("public", False)
    if not isinstance(public, bool):
        raise ValidationError("access.public must be true or false.")
    lists = {}
    for key in ("users", "groups"):
        items = value.get(key, [])
        if not isinstance(items, list) or not all(isinstance(item, str) and item.strip() for item in items):
            raise ValidationError(f"access.{key} must be a list of non-empty strings.")
        if len(items) > MAX_PRINCIPALS:
            raise ValidationError(f"access.{key} may list at most {MAX_PRINCIPALS} entries.")
        lists[key] = sorted({item.strip() for item in items})
    return {"public": public, **lists}


@transaction.atomic
def apply_access(document, access: dict | None) -> None:
    """Store the access list and what the database filter reads from it."""
    from knowledge.models import AccessGrant

    access = normalize_access(access)
    document.access = access
    document.access_restricted = access is not None
    document.access_public = bool(access and access["public"])
    document.save(update_fields=["access", "access_restricted", "access_public", "updated_at"])
    document.grants.all().delete()
    if access:
        AccessGrant.objects.bulk_create(
            [AccessGrant(document=document, kind="user", principal=user) for user in access["users"]]
            + [AccessGrant(document=document, kind="group", principal=group) for group in access["groups"]]
        )


def access_sql(access: AccessContext, document_alias: str = "d") -> tuple[str, list]:
    """A WHERE fragment (and its parameters) true for the documents `access` may read:
    its organisation's, and of those only the ones its access lists let it."""
    clauses = [f"{document_alias}.access_restricted = %s", f"{document_alias}.access_public = %s"]
    params: list = [access.organization_id, False, True]
    grant_clauses, grant_params = [], []
    if access.user_id:
        grant_clauses.append("(g.kind = 'user' AND g.principal = %s)")
        grant_params.append(access.user_id)
    if access.groups:
        placeholders = ", ".join(["%s"] * len(access.groups))
        grant_clauses.append(f"(g.kind = 'group' AND g.principal IN ({placeholders}))")
        grant_params.extend(sorted(access.groups))
    if grant_clauses:
        clauses.append(
            f"EXISTS (SELECT 1 FROM knowledge_accessgrant g WHERE g.document_id = {document_alias}.id AND ({' OR '.join(grant_clauses)}))"
        )
        params.extend(grant_params)
    return f"({document_alias}.organization_id = %s AND (" + " OR ".join(clauses) + "))", params


def document_set_sql(document_sets: list[str] | None, document_alias: str = "d") -> tuple[str, list]:
    if not document_sets:
        return "", []
    placeholders = ", ".join(["%s"] * len(document_sets))
    return (
        " AND EXISTS (SELECT 1 FROM knowledge_document_document_sets s "
        "JOIN knowledge_documentset ds ON ds.id = s.documentset_id "
        f"WHERE s.document_id = {document_alias}.id AND ds.name IN ({placeholders}))",
        list(document_sets),
    )
