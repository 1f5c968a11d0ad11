"""Knowledge sources kept in sync: their settings checked (one set of words for the admin
and the API), their schedule, and their runs, one at a time per source across every
machine that runs `kb_sync`.

The lock is a lease on the source's row, taken by one UPDATE that compares and sets
(`running_token`, `running_until`, and for a scheduled run `next_run_at` still due): only
one of several UPDATEs racing for the row changes it, on SQLite as on PostgreSQL. No
transaction stays open while the run reads and stores documents (each document commits on
its own). The run renews its lease as it reads documents, so one whose process died frees
its source once the lease runs out (`LEASE`), and the run that takes the source over marks
the dead one's IndexingRun failed.

The schedule: `every_minutes` after the start of the last run, or, with `at`, at that time
of day (TIME_ZONE) every `every_minutes // 1440` days; none: only when asked (`request_run`,
`kb_sync --source`). A new source with a schedule is due at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePath

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from knowledge.access import normalize_access
from knowledge.connectors import connector, ingest
from knowledge.models import IndexingRun, KnowledgeSource

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=30)
MINUTES_A_DAY = 24 * 60
MAX_EVERY_MINUTES = 366 * MINUTES_A_DAY
MAX_DOCUMENT_SETS = 50
# What a source may be told by anyone who manages it, and what only an operator (a
# superuser, the shell) may set: what is read with the server's own access (a folder on the
# server; a repository, while GITHUB_TOKEN is set), or a setting naming a server file, an
# environment variable or another endpoint (a GitHub API URL would receive the server's
# token). A secret itself is never a setting.
OPERATOR_SUFFIXES = ("_file", "_env", "_url")
SECRET_WORDS = ("token", "secret", "password", "credential", "apikey", "api_key")
EDITABLE = ("name", "kind", "location", "options", "access", "document_sets", "every_minutes", "at", "enabled")


# --- What a source may say ----------------------------------------------------------------


def clean_fields(fields: dict) -> dict:
    """The fields, checked and in their stored form; ValidationError keyed by field, with
    the words the admin and the API both show."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(fields)

    def check(name: str, cleaner: Callable) -> None:
        if name in fields:
            try:
                cleaned[name] = cleaner(fields[name])
            except ValidationError as exc:
                errors[name] = exc.messages

    check("name", _clean_name)
    check("kind", _clean_kind)
    check("options", clean_options)
    check("access", normalize_access)
    check("document_sets", clean_document_sets)
    check("every_minutes", _clean_every_minutes)
    if "location" in fields and "kind" not in errors:
        check("location", lambda value: clean_location(cleaned.get("kind"), value))
    if cleaned.get("at") is not None and "every_minutes" not in errors:
        every = cleaned.get("every_minutes")
        if not every or every % MINUTES_A_DAY:
            errors["at"] = [f"A time of day needs a schedule in whole days (every_minutes a multiple of {MINUTES_A_DAY})."]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_name(value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("A source needs a name.")
    if len(value.strip()) > 255:
        raise ValidationError("A name has at most 255 characters.")
    return value.strip()


def _clean_kind(value) -> str:
    if value not in KnowledgeSource.Kind.values:
        raise ValidationError(f"The kind must be one of: {', '.join(KnowledgeSource.Kind.values)}.")
    try:
        connector(value)
    except KeyError:
        raise ValidationError(f"No connector reads {value!r} sources on this server.") from None
    return value


def clean_location(kind: str | None, value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("A source needs a location.")
    location = value.strip()
    if len(location) > 2048:
        raise ValidationError("A location has at most 2048 characters.")
    if kind == KnowledgeSource.Kind.FILES and not PurePath(location).is_absolute():
        raise ValidationError("A folder or file on the server is named by its absolute path (/srv/help).")
    if kind in (KnowledgeSource.Kind.URL, KnowledgeSource.Kind.SITEMAP):
        try:
            url = httpx.URL(location)
        except httpx.InvalidURL:
            url = None
        if url is None or url.scheme not in ("http", "https") or not url.host:
            raise ValidationError("The location must be an http(s) URL.")
    return location


def clean_options(value) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError("The options must be a JSON object of the connector's settings.")
    for key in value:
        lowered = key.lower()
        if any(word in lowered for word in SECRET_WORDS) and not lowered.endswith(("_file", "_env")):
            raise ValidationError(
                f"Options never hold a secret ({key}): name the file that holds it instead (token_file), set by an operator."
            )
    return value


def clean_document_sets(value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(name, str) and name.strip() for name in value):
        raise ValidationError("The document sets must be a list of names.")
    names = sorted({name.strip() for name in value})
    if len(names) > MAX_DOCUMENT_SETS or any(len(name) > 255 for name in names):
        raise ValidationError(f"At most {MAX_DOCUMENT_SETS} document sets, each name at most 255 characters.")
    return names


def _clean_every_minutes(value) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_EVERY_MINUTES:
        raise ValidationError(f"every_minutes is a whole number from 1 to {MAX_EVERY_MINUTES} (a year), or empty: only when asked.")
    return value


def _operator_kind(kind: str | None) -> str | None:
    """What a source of this kind reads with the server's own access, if it does."""
    if kind == KnowledgeSource.Kind.FILES:
        return "a folder or file on the server"
    if kind == KnowledgeSource.Kind.GITHUB and getattr(settings, "GITHUB_TOKEN", None):
        return "a GitHub repository while the server has a GITHUB_TOKEN (it reads with it)"
    return None


def _operator_named(options: dict | None) -> list[str]:
    """The options that name a server file, environment variable or endpoint."""
    return sorted(key for key in options or {} if key.lower().endswith(OPERATOR_SUFFIXES))


def check_operator(source: KnowledgeSource | None, fields: dict, *, operator: bool) -> None:
    """ValidationError unless the caller may make these changes. Only an operator sets a
    folder on the server, or options naming a server file, variable or endpoint, and only
    an operator moves a source that has them (another repository read with the operator's
    token is another organisation's, perhaps)."""
    if operator:
        return
    moving = "kind" in fields or "location" in fields
    where = "kind" if "kind" in fields else "location"
    server_kind = _operator_kind(fields.get("kind")) or (_operator_kind(source.kind) if source else None)
    named_before = _operator_named(source.options) if source else []
    named = _operator_named(fields["options"]) if isinstance(fields.get("options"), dict) else []
    only = "Only an operator (a superuser in the Django admin) sets {}."
    errors: dict[str, list[str]] = {}
    if moving and server_kind:
        errors[where] = [only.format(server_kind)]
    if "options" in fields and (named or named_before):
        errors["options"] = [only.format(f"options naming a server file, variable or endpoint ({', '.join(named or named_before)})")]
    elif moving and named_before:
        errors.setdefault(where, []).append(only.format(f"where a source with {', '.join(named_before)} reads"))
    if errors:
        raise ValidationError(errors)


# --- Writes -------------------------------------------------------------------------------


def create_source(*, organization_id: str, operator: bool, **fields) -> KnowledgeSource:
    """A new source of the organisation; with a schedule it is due at once."""
    _only_editable(fields)
    for required in ("name", "kind", "location"):
        fields.setdefault(required, "")
    check_operator(None, fields, operator=operator)
    cleaned = clean_fields(fields)
    source = KnowledgeSource(organization_id=organization_id, **cleaned)
    source.next_run_at = timezone.now() if source.every_minutes else None
    _save(source, None)
    return source


def update_source(source: KnowledgeSource, *, operator: bool, **fields) -> KnowledgeSource:
    """Changes the editable settings only (never the lease, which a run may hold), and
    moves the next run when the schedule changed."""
    _only_editable(fields)
    check_operator(source, fields, operator=operator)
    if "kind" in fields and "location" not in fields:
        fields["location"] = source.location  # checked against the new kind
    merged = {"every_minutes": source.every_minutes, "at": source.at, **fields}
    cleaned = clean_fields(merged)
    for name in fields:
        setattr(source, name, cleaned[name])
    changed = list(fields)
    if {"every_minutes", "at"} & set(fields):
        source.next_run_at = _rescheduled(source, timezone.now())
        changed.append("next_run_at")
    _save(source, changed)
    return source


def _only_editable(fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not knowledge source settings: {', '.join(sorted(unknown))}")


def _save(source: KnowledgeSource, changed: list[str] | None) -> None:
    try:
        with transaction.atomic():
            if changed is None:
                source.save(force_insert=True)
            else:
                source.save(update_fields=[*changed, "updated_at"])
    except IntegrityError:
        raise ValidationError({"name": ["The organisation has a source of this name already."]}) from None


def delete_source(source: KnowledgeSource) -> None:
    """The source goes; its documents stay (delete them as documents), its runs lose their link."""
    source.delete()


def request_run(source: KnowledgeSource) -> KnowledgeSource:
    """Due now: the next kb_sync runs it (one that is running finishes first, then runs again)."""
    source.next_run_at = timezone.now()
    KnowledgeSource.objects.filter(pk=source.pk).update(next_run_at=source.next_run_at)
    return source


# --- The schedule -------------------------------------------------------------------------


def next_run_after(every_minutes: int | None, at: dt.time | None, started: dt.datetime) -> dt.datetime | None:
    """When a run that started at `started` is followed by the next, by the schedule."""
    if not every_minutes:
        return None
    if at is None:
        return started + dt.timedelta(minutes=every_minutes)
    local = timezone.localtime(started)
    day = local.date() if timezone.make_aware(dt.datetime.combine(local.date(), at)) > local else local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=every_minutes // MINUTES_A_DAY - 1), at))


def _rescheduled(source: KnowledgeSource, now: dt.datetime) -> dt.datetime | None:
    """The next run after a change of schedule: none without one; else by the new schedule
    from the last run's start (at once if it never ran), or sooner if one is due already."""
    if not source.every_minutes:
        return None
    last = source.last_run.started_at if source.last_run_id and source.last_run else None
    scheduled = next_run_after(source.every_minutes, source.at, last) if last else now
    due = source.next_run_at if source.next_run_at and source.next_run_at <= now else None
    return min((when for when in (scheduled, due) if when), default=None)


# --- Reads --------------------------------------------------------------------------------


def due_sources(now: dt.datetime | None = None) -> QuerySet[KnowledgeSource]:
    return KnowledgeSource.objects.filter(enabled=True, next_run_at__lte=now or timezone.now()).order_by("next_run_at", "id")


def is_running(source: KnowledgeSource, now: dt.datetime | None = None) -> bool:
    return source.running_until is not None and source.running_until > (now or timezone.now())


# --- The lease ----------------------------------------------------------------------------


class LeaseLost(Exception):
    """The run held its source past its lease and another kb_sync took it over."""


@dataclass(frozen=True)
class Claim:
    source: KnowledgeSource
    token: str
    started: dt.datetime
    lease: dt.timedelta
    abandoned_since: dt.datetime | None  # the start of a run whose lease ran out unreleased


def claim(source_id: uuid.UUID, *, lease: dt.timedelta = LEASE, due_only: bool = True) -> Claim | None:
    """The source, held for this run for `lease` (renewed as it reads), or None when
    another run holds it, it is disabled, or (`due_only`) it is not due (any more)."""
    now = timezone.now()
    seen = KnowledgeSource.objects.filter(pk=source_id).values("running_token", "running_until", "running_since").first()
    if seen is None or (seen["running_until"] is not None and seen["running_until"] > now):
        return None
    token = uuid.uuid4().hex
    free = KnowledgeSource.objects.filter(pk=source_id, enabled=True, running_token=seen["running_token"])
    free = free.filter(Q(running_until__isnull=True) | Q(running_until__lte=now))
    if due_only:
        free = free.filter(next_run_at__lte=now)
    if free.update(running_token=token, running_until=now + lease, running_since=now) != 1:
        return None
    source = KnowledgeSource.objects.get(pk=source_id)
    return Claim(source, token, now, lease, seen["running_since"] if seen["running_token"] else None)


def renew(held: Claim) -> None:
    if not KnowledgeSource.objects.filter(pk=held.source.pk, running_token=held.token).update(running_until=timezone.now() + held.lease):
        raise LeaseLost(f"the run held {held.source.name!r} past its lease and another kb_sync took it over")


def release(held: Claim, *, run: IndexingRun | None, error: str) -> dt.datetime | None:
    """Frees the source, recording the run; returns its next run. The next run is the
    schedule's from this run's start, or sooner if one was asked for meanwhile."""
    now = timezone.now()
    current = KnowledgeSource.objects.filter(pk=held.source.pk).values("every_minutes", "at", "next_run_at").first()
    if current is None:
        return None  # deleted meanwhile
    scheduled = next_run_after(current["every_minutes"], current["at"], held.started)
    asked = current["next_run_at"] if current["next_run_at"] and current["next_run_at"] > held.started else None
    next_run_at = min((when for when in (scheduled, asked) if when), default=None)
    KnowledgeSource.objects.filter(pk=held.source.pk, running_token=held.token).update(
        running_token="",
        running_until=None,
        running_since=None,
        last_run=run,
        last_error=error[:10_000],
        next_run_at=next_run_at,
        updated_at=now,
    )
    return next_run_at


class _Renewing:
    """The run's progress callback: renews the lease every third of it, then reports on."""

    def __init__(self, held: Claim, progress: Callable[[int, int | None], None] | None):
        self.held, self.progress, self.renewed = held, progress, time.monotonic()

    def __call__(self, done: int, total: int | None) -> None:
        if time.monotonic() - self.renewed >= self.held.lease.total_seconds() / 3:
            renew(self.held)
            self.renewed = time.monotonic()
        if self.progress:
            self.progress(done, total)


# --- A run --------------------------------------------------------------------------------


class SyncOutcome(StrEnum):
    RAN = "ran"  # ran, every document read
    FAILED = "failed"  # ran with errors, or could not run
    BUSY = "busy"  # another run holds it
    NOT_DUE = "not due"  # another kb_sync ran it meanwhile
    DISABLED = "disabled"


@dataclass
class SyncResult:
    source: KnowledgeSource
    outcome: SyncOutcome
    run: IndexingRun | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    next_run_at: dt.datetime | None = None
    abandoned: bool = False  # the previous run's process stopped before it finished


def label_of(source: KnowledgeSource) -> str:
    """What its IndexingRuns are named (`ingest`'s label)."""
    return f"{source.kind}:{source.location}"


def sync_source(
    source: KnowledgeSource,
    *,
    client: httpx.Client,
    lease: dt.timedelta = LEASE,
    due_only: bool = True,
    progress: Callable[[int, int | None], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> SyncResult:
    """One run of the source, if it can be held: an IndexingRun linked to it, its last
    run, error and next run recorded. Any failure is the result, never raised (but an
    interruption, after the source is freed)."""
    if not source.enabled:
        return SyncResult(source, SyncOutcome.DISABLED)
    held = claim(source.pk, lease=lease, due_only=due_only)
    if held is None:
        return _not_held(source)
    source = held.source
    result = SyncResult(source, SyncOutcome.RAN, abandoned=held.abandoned_since is not None)
    if held.abandoned_since is not None:
        _close_abandoned(held)
    try:
        each = connector(source.kind)
        result.warnings = list(getattr(each, "warnings", lambda *_: [])(source.location, source.options))
        for line in result.warnings:
            if warn:
                warn(line)
        report = ingest(
            each,
            source.location,
            source.options,
            organization_id=source.organization_id,
            client=client,
            document_sets=source.document_sets,
            access=source.access,
            progress=_Renewing(held, progress),
            knowledge_source=source,
        )
        result.run, result.errors = report.run, report.errors
    except LeaseLost as exc:
        result.run, result.errors, result.outcome = _run_of(held, str(exc)), [str(exc)], SyncOutcome.FAILED
        return result  # the source is another run's now: nothing of it is written
    except BaseException as exc:
        if isinstance(exc, Exception):
            logger.warning("knowledge source %s (%s) failed", source.name, source.id, exc_info=not isinstance(exc, ValidationError))
        result.errors = [_described(exc)]
        result.run = _run_of(held, result.errors[0])
        result.next_run_at = release(held, run=result.run, error=result.errors[0])
        result.outcome = SyncOutcome.FAILED
        if not isinstance(exc, Exception):
            raise
        return result
    if result.errors:
        result.outcome = SyncOutcome.FAILED
    result.next_run_at = release(held, run=result.run, error="\n".join(result.errors))
    return result


def _not_held(source: KnowledgeSource) -> SyncResult:
    now = timezone.now()
    current = KnowledgeSource.objects.filter(pk=source.pk).first() or source
    if is_running(current, now):
        return SyncResult(current, SyncOutcome.BUSY)
    return SyncResult(current, SyncOutcome.NOT_DUE if current.enabled else SyncOutcome.DISABLED, next_run_at=current.next_run_at)


def _described(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], str):
        return exc.args[0]  # no connector of this kind
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else f"{type(exc).__name__} (see the log)"


def _run_of(held: Claim, error: str) -> IndexingRun:
    """The IndexingRun of a run that stopped with an exception: the one `ingest` began for
    the source (it records the exception), or, when it stopped before there was one (the
    listing), a failed one that says why: the source's, unless it was deleted meanwhile."""
    run = IndexingRun.objects.filter(knowledge_source=held.source, started_at__gte=held.started).order_by("-started_at").first()
    if run is None:
        still_there = KnowledgeSource.objects.filter(pk=held.source.pk).exists()
        run = IndexingRun.objects.create(
            organization_id=held.source.organization_id,
            source=label_of(held.source),
            knowledge_source=held.source if still_there else None,
            status=IndexingRun.Status.FAILED,
            error=error[:10_000],
            finished_at=timezone.now(),
        )
    return run


ABANDONED = "stopped before it finished: its kb_sync ended without freeing the source, whose lease then ran out"


def _close_abandoned(held: Claim) -> None:
    """The runs of a kb_sync that died holding the source: failed, not running for ever."""
    assert held.abandoned_since is not None
    IndexingRun.objects.filter(
        knowledge_source=held.source,
        status=IndexingRun.Status.RUNNING,
        started_at__gte=held.abandoned_since,
        started_at__lt=held.started,
    ).update(status=IndexingRun.Status.FAILED, error=ABANDONED, finished_at=held.started)


def named_sources(names: Iterable[str], organization_id: str | None = None) -> list[KnowledgeSource]:
    """The sources named (by name or id, in `organization_id` when given); ValueError
    saying which name finds none, or finds one in several organisations."""
    found: list[KnowledgeSource] = []
    for name in names:
        rows = KnowledgeSource.objects.filter(organization_id=organization_id) if organization_id else KnowledgeSource.objects.all()
        try:
            matches = list(rows.filter(Q(name=name) | Q(id=uuid.UUID(name))))
        except ValueError:
            matches = list(rows.filter(name=name))
        if not matches:
            raise ValueError(f"no knowledge source {name!r}" + (f" in organisation {organization_id!r}" if organization_id else ""))
        if len(matches) > 1:
            organizations = ", ".join(sorted(match.organization_id for match in matches))
            raise ValueError(f"{len(matches)} sources are named {name!r} (organisations {organizations}): say which with --org")
        found += [match for match in matches if match not in found]
    return found


def describe_schedule(source: KnowledgeSource) -> str:
    """ "every 6 h", "every 1 d at 02:00", "when asked"."""
    minutes = source.every_minutes
    if not minutes:
        return "when asked"
    if minutes % MINUTES_A_DAY == 0:
        every = f"every {minutes // MINUTES_A_DAY} d"
    elif minutes % 60 == 0:
        every = f"every {minutes // 60} h"
    else:
        every = f"every {minutes} min"
    return every + (f" at {source.at:%H:%M}" if source.at else "")
