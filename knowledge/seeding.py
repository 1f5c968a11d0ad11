"""Seeding the demo knowledge, from the command or at server start."""

from __future__ import annotations

import functools

from knowledge.demo import DEMO_DOCUMENTS, DEMO_SET
from knowledge.services import RunReport, reembed, run_ingestion


def seed_demo_knowledge(organization_id: str) -> RunReport:
    """The demo documents, ingested (unchanged ones skipped), and any of the organisation's
    chunks another embedding model made embedded again with the current one."""
    report = run_ingestion(
        organization_id=organization_id,
        label="demo:policies",
        items=[functools.partial(_same, document) for document in DEMO_DOCUMENTS],
        total=len(DEMO_DOCUMENTS),
        document_sets=[DEMO_SET],
        access=None,
    )
    reembed(organization_id=organization_id)
    return report


def _same(document):
    return document
