"""Knowledge sources and kb_sync: due sources run and no others, each run an IndexingRun
linked to its source; one run at a time per source, with two real kb_sync processes racing
for the same database; a run whose process died frees its source when its lease runs
out; a failing source is recorded and the others run; the schedule; the Django admin."""

from __future__ import annotations

import datetime as dt
import fcntl
import io
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

import httpx
import pytest
import yaml
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import knowledge.connectors
from knowledge.connectors import Collection
from knowledge.connectors.files import CONNECTORS as FILES_AND_URLS
from knowledge.models import Document, IndexingRun, KnowledgeSource
from knowledge.sources import SourceDocument
from knowledge.sync import ABANDONED, SyncOutcome, claim, create_source, next_run_after, sync_source, update_source
from tests.httpserver import Reply
from tests.test_shell import read_all

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]
ORG = "acme"


def sync(*args: str) -> str:
    out = io.StringIO()
    call_command("kb_sync", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def page(source: str, text: str) -> SourceDocument:
    return SourceDocument(source=source, title=source, content=text, type="text")


class Website:
    """A stand-in for the sitemap connector (being written beside this): its pages, or a
    listing that fails."""

    kind = "sitemap"

    def __init__(self, pages: dict[str, str] | None = None, fails: Exception | None = None):
        self.pages, self.fails, self.reads = pages or {}, fails, 0

    def add_arguments(self, parser):
        pass

    def requested(self, options):
        return []

    def settings(self, options):
        return {}

    def key(self, location, settings):
        return f"sitemap:{location}"

    def collect(self, location, settings, *, known, client):
        if self.fails:
            raise self.fails

        def read(source, text):
            self.reads += 1
            return page(source, text)

        items = [lambda source=source, text=text: read(source, text) for source, text in self.pages.items()]
        return Collection(self.key(location, settings), items, len(items))


@pytest.fixture
def website(monkeypatch):
    """Registers a Website as the "sitemap" connector."""
    site = Website({"https://help.example.com/returns": "Returns are accepted within 30 days."})
    monkeypatch.setattr(knowledge.connectors, "connectors", lambda: (*FILES_AND_URLS, site))
    return site


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "help").mkdir()
    (tmp_path / "help" / "returns.md").write_text("# Returns\n\nReturns are accepted within 17 days.")
    (tmp_path / "help" / "hours.txt").write_text("The shop opens at nine.")
    return tmp_path / "help"


def source(name: str, kind: str = "files", location: str = "", *, due: bool = True, **fields) -> KnowledgeSource:
    """A source as an operator makes it, then made due (or not) as time would."""
    made = create_source(
        organization_id=fields.pop("organization_id", ORG), operator=True, name=name, kind=kind, location=location, **fields
    )
    if made.every_minutes:
        made.next_run_at = timezone.now() - dt.timedelta(minutes=1) if due else timezone.now() + dt.timedelta(hours=1)
        made.save(update_fields=["next_run_at"])
    return made


def test_a_due_source_runs_as_an_indexing_run_of_its_own_and_is_scheduled_again(folder):
    made = source("Help centre", location=str(folder), every_minutes=60, document_sets=["help"], access={"groups": ["staff"]})
    before = timezone.now()
    output = sync()
    assert output.startswith("Help centre [acme]: 2 seen, 2 added, 0 updated, 0 unchanged, 0 deleted; next run "), output
    made.refresh_from_db()
    run = made.last_run
    assert (run.status, run.knowledge_source, run.source, run.organization_id) == ("succeeded", made, f"files:{folder}", ORG)
    assert made.last_error == "" and made.running_until is None and made.running_token == ""
    assert before + dt.timedelta(minutes=60) <= made.next_run_at <= timezone.now() + dt.timedelta(minutes=60)
    documents = Document.objects.filter(organization_id=ORG)
    assert sorted(documents.values_list("source", flat=True)) == ["hours.txt", "returns.md"]
    assert all(document.access["groups"] == ["staff"] for document in documents)  # the source's access list
    assert all([each.name for each in document.document_sets.all()] == ["help"] for document in documents)
    assert sync() == "no knowledge source is due\n"  # done until its next run


def test_a_folder_source_with_prune_deletes_what_is_gone_and_keeps_what_failed_to_read(folder):
    (folder / "gone.md").write_text("# Gone\n\nSoon deleted.")
    made = source("help", location=str(folder), options={"prune": True}, every_minutes=60)
    assert "3 seen, 3 added" in sync()
    (folder / "gone.md").unlink()
    (folder / "hours.txt").write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(CommandError, match="hours.txt: not UTF-8 text"):
        sync("--source", "help")
    assert sorted(Document.objects.values_list("source", flat=True)) == ["hours.txt", "returns.md"]
    made.refresh_from_db()
    assert (made.last_run.documents_deleted, made.last_run.status) == (1, "failed")
    assert made.last_error.endswith("hours.txt: not UTF-8 text")


def test_only_enabled_sources_that_are_due_run(folder, tmp_path_factory):
    others = {name: tmp_path_factory.mktemp(name) for name in ("later", "off", "asked")}
    for name, path in others.items():
        (path / f"{name}.md").write_text(f"# {name}\n\nA page of {name}.")
    source("due", location=str(folder), every_minutes=60)
    source("later", location=str(others["later"]), every_minutes=60, due=False)
    source("off", location=str(others["off"]), every_minutes=60, enabled=False)
    source("asked", location=str(others["asked"]))  # no schedule: only when asked
    output = sync()
    assert [line.split(":")[0] for line in output.splitlines()] == ["due [acme]"]
    assert list(KnowledgeSource.objects.filter(last_run__isnull=False).values_list("name", flat=True)) == ["due"]
    assert KnowledgeSource.objects.get(name="asked").next_run_at is None


def test_named_sources_and_all_run_whether_due_or_not_and_a_disabled_one_never(folder):
    source("later", location=str(folder), every_minutes=60, due=False)
    source("off", location=str(folder), every_minutes=60, enabled=False)
    assert "later [acme]: 2 seen, 2 added" in sync("--source", "later")
    assert sync("--source", "off") == "off [acme]: disabled, skipped\n"
    assert "later [acme]: 2 seen, 0 added, 0 updated, 2 unchanged" in sync("--all")
    assert KnowledgeSource.objects.get(name="later").runs.count() == 2
    assert not KnowledgeSource.objects.get(name="off").runs.exists()
    with pytest.raises(CommandError, match="no knowledge source 'nope'"):
        sync("--source", "nope")


def test_one_name_in_two_organisations_needs_org(folder):
    source("help", location=str(folder))
    source("help", location=str(folder), organization_id="globex")
    with pytest.raises(CommandError, match=r"2 sources are named 'help' \(organisations acme, globex\): say which with --org"):
        sync("--source", "help")
    assert sync("--source", "help", "--org", "globex").startswith("help [globex]: 2 seen, 2 added")


def test_a_failing_source_is_recorded_and_the_others_run(folder, website, http_server):
    website.fails = RuntimeError("the sitemap answered nonsense")
    http_server.routes["/faq"] = Reply(500, "oops")
    source("site", "sitemap", "https://help.example.com/sitemap.xml", every_minutes=1440)
    source("faq page", "url", f"{http_server.url}/faq", every_minutes=60)
    source("folder", location=str(folder), every_minutes=60)
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("kb_sync", stdout=out, stderr=io.StringIO())
    assert str(failure.value).splitlines() == [
        "2 source(s) failed (the others ran):",
        "site [acme]: RuntimeError: the sitemap answered nonsense",
        f"faq page [acme]: {http_server.url}/faq: answered HTTP 500",
    ]
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("site [acme]: failed, 1 error(s); next run ")
    assert lines[1].startswith("faq page [acme]: failed, 1 seen, 0 added, 0 updated, 0 unchanged, 0 deleted, 1 error(s); next run ")
    assert lines[2].startswith("folder [acme]: 2 seen, 2 added")
    site = KnowledgeSource.objects.get(name="site")
    assert site.last_error == "RuntimeError: the sitemap answered nonsense"
    assert (site.last_run.status, site.last_run.error, site.last_run.knowledge_source) == ("failed", site.last_error, site)
    assert site.next_run_at > timezone.now() + dt.timedelta(hours=23)  # tried again at its next run, not at every call
    assert site.running_until is None
    faq = KnowledgeSource.objects.get(name="faq page")
    assert faq.last_error == f"{http_server.url}/faq: answered HTTP 500" and faq.last_run.status == "failed"
    assert KnowledgeSource.objects.get(name="folder").last_run.status == "succeeded"


def test_a_live_lease_is_respected_and_a_lapsed_one_is_taken_over_with_its_run_closed(folder):
    made = source("help", location=str(folder), every_minutes=60)
    held = claim(made.pk)  # a kb_sync elsewhere holds it...
    assert held is not None and claim(made.pk) is None
    dead = IndexingRun.objects.create(organization_id=ORG, source=f"files:{folder}", knowledge_source=made)  # ...and began its run
    assert (
        sync()
        == f"help [acme]: running elsewhere (its lease ends {timezone.localtime(held.started + held.lease):%Y-%m-%d %H:%M %Z}), skipped\n"
    )
    assert not Document.objects.exists()

    # Its process died: nothing renews the lease, which runs out.
    KnowledgeSource.objects.filter(pk=made.pk).update(running_until=timezone.now() - dt.timedelta(seconds=1))
    output = sync()
    assert "help [acme]: 2 seen, 2 added" in output and output.rstrip().endswith("(the run before stopped without finishing)")
    dead.refresh_from_db()
    assert (dead.status, dead.error, dead.knowledge_source_id, dead.finished_at is not None) == ("failed", ABANDONED, made.pk, True)
    made.refresh_from_db()
    assert made.last_run.status == "succeeded" and made.running_token == ""


def test_a_run_that_lost_its_lease_stops_and_leaves_the_source_to_its_new_holder(website):
    made = source("site", "sitemap", "https://help.example.com/sitemap.xml", every_minutes=60)
    website.pages = {f"https://help.example.com/{number}": f"Page {number}." for number in range(5)}

    def taken_over(done, total):
        if done == 2:  # meanwhile its lease lapsed, and another kb_sync took the source
            KnowledgeSource.objects.filter(pk=made.pk).update(running_token="other", running_until=timezone.now() + dt.timedelta(hours=1))

    with httpx.Client() as client:
        result = sync_source(made, client=client, lease=dt.timedelta(0), progress=taken_over)  # renews at every document
    assert result.outcome == SyncOutcome.FAILED and "another kb_sync took it over" in result.errors[0]
    assert website.reads == 3  # stopped at its next renewal
    assert (result.run.status, result.run.knowledge_source_id) == ("failed", made.pk)
    made.refresh_from_db()
    assert (made.running_token, made.last_run) == ("other", None)  # the new holder's to record


@pytest.mark.django_db(transaction=True)
def test_kb_sync_run_twice_at_once_runs_each_source_once(http_server):
    """Two real processes against one database: each page is read once, each source has one run."""
    lock, in_flight, both = threading.Lock(), [0], threading.Event()

    def slow_page(request):
        with lock:
            in_flight[0] += 1
            if in_flight[0] == 2:
                both.set()
        both.wait(45)  # hold the page until the other kb_sync reads one too: they race for real
        with lock:
            in_flight[0] -= 1
        return Reply(200, f"# Page {request.path}\n\nWhat {request.path} says.", "text/markdown")

    names = [f"page-{number}" for number in range(4)]
    for name in names:
        http_server.routes[f"/{name}.md"] = slow_page
        source(name, "url", f"{http_server.url}/{name}.md", every_minutes=60)
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "kb_sync"],
            cwd=REPO,
            env=_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        outputs = [process.communicate(timeout=110) for process in processes]
    finally:
        for process in processes:
            process.kill() if process.poll() is None else None
    assert [process.returncode for process in processes] == [0, 0], outputs
    assert both.is_set(), outputs  # the two ran sources at the same time
    assert sorted(request.path for request in http_server.requests) == [f"/{name}.md" for name in names]  # each page read once
    runs = IndexingRun.objects.filter(knowledge_source__isnull=False)
    assert sorted(runs.values_list("knowledge_source__name", flat=True)) == names  # one run per source
    assert set(runs.values_list("status", flat=True)) == {"succeeded"}
    ran = [[line for line in out.splitlines() if " seen, " in line] for out, _ in outputs]
    assert sorted(line.split(" [")[0] for lines in ran for line in lines) == names and all(ran), outputs
    assert KnowledgeSource.objects.filter(running_until__isnull=True, next_run_at__gt=timezone.now()).count() == 4


@pytest.mark.django_db(transaction=True)
def test_a_killed_kb_sync_leaves_a_lease_that_lapses_and_the_next_one_takes_over(http_server):
    """A real process killed mid-run: its source is held until the lease runs out, then run again."""
    reached, release = threading.Event(), threading.Event()

    def stuck_page(request):
        reached.set()
        release.wait(30)
        return Reply(200, "# Stuck\n\nA page.", "text/markdown")

    http_server.routes["/stuck.md"] = stuck_page
    made = source("stuck", "url", f"{http_server.url}/stuck.md", every_minutes=60)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "kb_sync", "--lease", "1"],
        cwd=REPO,
        env=_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert reached.wait(60), process.communicate(timeout=5)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    finally:
        process.kill() if process.poll() is None else None
        process.communicate()
        release.set()
    made.refresh_from_db()
    assert made.running_token and timezone.now() < made.running_until <= timezone.now() + dt.timedelta(minutes=1)
    dead = IndexingRun.objects.get(source=f"url:{http_server.url}/stuck.md")
    assert dead.status == "running"
    assert "running elsewhere" in sync()

    KnowledgeSource.objects.filter(pk=made.pk).update(running_until=timezone.now() - dt.timedelta(seconds=1))  # a minute later
    assert "stuck [acme]: 1 seen, 1 added" in sync()
    dead.refresh_from_db()
    assert (dead.status, dead.error, dead.knowledge_source_id) == ("failed", ABANDONED, made.pk)


@pytest.mark.django_db(transaction=True)
def test_a_long_run_draws_a_progress_bar_on_a_terminal(tmp_path):
    for number in range(30):
        (tmp_path / f"page-{number:02}.md").write_text(f"# Page {number}\n\nAnswer number {number}.")
    source("pages", location=str(tmp_path), every_minutes=60)
    main, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "manage.py", "kb_sync"], cwd=REPO, env=_environment(), stdin=terminal, stdout=terminal, stderr=terminal
    )
    os.close(terminal)
    try:
        output = read_all(main, process).decode()
        assert process.wait(30) == 0, output
    finally:
        os.close(main)
    bar = [line for line in output.split("\n") if "30/30" in line]
    assert len(bar) == 1 and bar[0].count("\r") >= 2 and "pages" in bar[0], repr(output)  # one line, drawn again in place
    assert "pages [acme]: 30 seen, 30 added, 0 updated, 0 unchanged, 0 deleted; next run " in output


def _environment() -> dict[str, str]:
    """kb_sync's environment: this test's database, the laptop defaults for the rest."""
    database = connection.settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{database['NAME']}"
    else:
        password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
        url = f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    kept = {key: value for key, value in os.environ.items() if not key.startswith(("SMOOTH_", "DATABASE_", "REDIS_", "AUTH_", "OTEL_"))}
    # The test's web server listens on 127.0.0.1: private addresses allowed, as in every test.
    return {**kept, "DATABASE_URL": url, "SMOOTH_AGENT_EMBEDDER": "local", "SMOOTH_DB_POOL_SIZE": "0", "SMOOTH_KB_PRIVATE_ADDRESSES": "1"}


# --- The schedule ------------------------------------------------------------------------


def at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text))


def test_a_schedule_runs_every_so_often_or_at_a_time_of_day(settings):
    settings.TIME_ZONE = "Europe/Paris"
    assert next_run_after(None, None, at("2026-03-01T10:00")) is None  # only when asked
    assert next_run_after(90, None, at("2026-03-01T10:00")) == at("2026-03-01T11:30")
    nightly = dt.time(2, 0)
    assert next_run_after(1440, nightly, at("2026-03-01T01:00")) == at("2026-03-01T02:00")
    assert next_run_after(1440, nightly, at("2026-03-01T02:00:30")) == at("2026-03-02T02:00")  # a late cron call
    assert next_run_after(7 * 1440, nightly, at("2026-03-01T02:04")) == at("2026-03-08T02:00")
    # 02:00 local through the change to summer time: the wall clock, not 24 hours.
    assert next_run_after(1440, dt.time(3, 0), at("2026-03-28T03:00")) == at("2026-03-29T03:00")
    assert at("2026-03-29T03:00").timestamp() - at("2026-03-28T03:00").timestamp() == 23 * 3600


def test_a_new_schedule_moves_the_next_run_from_the_last_one(folder):
    made = source("help", location=str(folder), every_minutes=60)
    sync()
    made.refresh_from_db()
    started = made.last_run.started_at
    update_source(made, operator=False, every_minutes=24 * 60)
    assert made.next_run_at == started + dt.timedelta(days=1)
    update_source(made, operator=False, every_minutes=None)
    assert made.next_run_at is None


@pytest.mark.parametrize(
    "fields, operator, errors",
    [
        (
            {"kind": "files", "location": "help/"},
            True,
            {"location": ["A folder or file on the server is named by its absolute path (/srv/help)."]},
        ),
        ({"kind": "url", "location": "ftp://example.com/a"}, True, {"location": ["The location must be an http(s) URL."]}),
        ({"kind": "gopher", "location": "x"}, True, {"kind": ["The kind must be one of: files, url, sitemap, github."]}),
        (
            {"kind": "github", "location": "acme/docs", "options": {"token": "ghp_x"}},
            True,
            {"options": ["Options never hold a secret (token): name the file that holds it instead (token_file), set by an operator."]},
        ),
        (
            {"kind": "url", "location": "https://example.com", "every_minutes": 60, "at": dt.time(2)},
            True,
            {"at": ["A time of day needs a schedule in whole days (every_minutes a multiple of 1440)."]},
        ),
        (
            {"kind": "url", "location": "https://example.com", "access": {"users": "bob"}},
            True,
            {"access": ["access.users must be a list of non-empty strings."]},
        ),
        (
            {"kind": "files", "location": "/srv/help"},
            False,
            {"kind": ["Only an operator (a superuser in the Django admin) sets a folder or file on the server."]},
        ),
        (
            {"kind": "github", "location": "acme/docs", "options": {"api_url": "https://evil.example.com"}},
            False,
            {
                "options": [
                    "Only an operator (a superuser in the Django admin) sets options naming a server file, variable or endpoint (api_url)."
                ]
            },
        ),
    ],
)
def test_what_a_source_may_not_say(fields, operator, errors):
    with pytest.raises(ValidationError) as refused:
        create_source(organization_id=ORG, operator=operator, name="s", **fields)
    assert refused.value.message_dict == errors
    assert not KnowledgeSource.objects.exists()


# --- The Django admin --------------------------------------------------------------------


@pytest.fixture
def superuser_client(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    return client


@pytest.fixture
def staff_client(django_user_model):
    """Staff of acme who may manage knowledge sources, not a superuser."""
    client = Client()
    user = django_user_model.objects.create_user("ann", "ann@example.com", "pw", is_staff=True)
    user.groups.add(Group.objects.create(name="org:acme"))
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="knowledge", codename__endswith="knowledgesource"))
    client.force_login(user)
    return client


def form(**fields) -> dict:
    base = {"organization_id": ORG, "name": "Help", "kind": "files", "location": "", "options": "{}", "access": "", "document_sets": ""}
    return {**base, "every_minutes": "", "at": "", "enabled": "on", **fields}


def test_the_admin_adds_lists_and_shows_a_source_with_its_runs_and_asks_for_a_run(superuser_client, folder):
    added = superuser_client.post(
        reverse("admin:knowledge_knowledgesource_add"),
        form(
            location=str(folder),
            options='{"prune": true}',
            document_sets="help, faq",
            access='{"groups": ["staff"]}',
            every_minutes="1440",
            at="02:00",
        ),
    )
    assert added.status_code == 302, added.text[:3000]
    made = KnowledgeSource.objects.get()
    assert (made.options, made.document_sets, made.access["groups"], made.every_minutes, made.at) == (
        {"prune": True},
        ["faq", "help"],
        ["staff"],
        1440,
        dt.time(2, 0),
    )
    assert made.next_run_at is not None  # a new scheduled source is due at once
    sync()
    listing = superuser_client.get(reverse("admin:knowledge_knowledgesource_changelist"))
    assert listing.status_code == 200 and "every 1 d at 02:00" in listing.text and str(folder) in listing.text
    page = superuser_client.get(reverse("admin:knowledge_knowledgesource_change", args=[made.pk]))
    assert page.status_code == 200
    assert "2 seen, 2 added, 0 updated, 0 unchanged, 0 deleted" in page.text and "All runs of this source" in page.text
    runs = superuser_client.get(reverse("admin:knowledge_indexingrun_changelist") + f"?knowledge_source={made.pk}")
    assert runs.status_code == 200 and f"files:{folder}" in runs.text

    asked = superuser_client.post(
        reverse("admin:knowledge_knowledgesource_changelist"), {"action": "sync_now", "_selected_action": [str(made.pk)]}
    )
    assert asked.status_code == 302
    made.refresh_from_db()
    assert made.next_run_at <= timezone.now()


def test_the_admin_refuses_what_the_api_refuses_with_the_same_words(superuser_client, staff_client, folder):
    bad = superuser_client.post(reverse("admin:knowledge_knowledgesource_add"), form(location="relative/help"))
    assert "A folder or file on the server is named by its absolute path (/srv/help)." in bad.text
    # Staff who are not superusers manage their organisation's sources, but not a folder on the server.
    refused = staff_client.post(reverse("admin:knowledge_knowledgesource_add"), form(location=str(folder)))
    assert "Only an operator (a superuser in the Django admin) sets a folder or file on the server." in refused.text
    made = staff_client.post(reverse("admin:knowledge_knowledgesource_add"), form(kind="url", location="https://help.example.com/faq"))
    assert made.status_code == 302, made.text[:3000]
    assert KnowledgeSource.objects.get().organization_id == ORG
    other = staff_client.post(
        reverse("admin:knowledge_knowledgesource_add"),
        form(organization_id="globex", name="x", kind="url", location="https://x.example.com"),
    )
    assert "You can only use organisations you belong to" in other.text


def test_an_admin_save_never_writes_the_lease_a_run_holds(superuser_client, folder):
    made = source("help", location=str(folder), every_minutes=60)
    page = reverse("admin:knowledge_knowledgesource_change", args=[made.pk])
    assert superuser_client.get(page).status_code == 200  # the form is read...
    held = claim(made.pk)  # ...a kb_sync takes the source...
    saved = superuser_client.post(page, form(name="help", location=str(folder), every_minutes="120"))  # ...and the form is saved
    assert saved.status_code == 302, saved.text[:3000]
    made.refresh_from_db()
    assert (made.running_token, made.running_until, made.every_minutes) == (held.token, held.started + held.lease, 120)


def test_the_cronjob_manifest_runs_kb_sync():
    manifest = yaml.safe_load((REPO / "deploy" / "kb-sync-cronjob.yaml").read_text())
    assert (manifest["apiVersion"], manifest["kind"], manifest["spec"]["concurrencyPolicy"]) == ("batch/v1", "CronJob", "Allow")
    container = manifest["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    assert container["command"][-2:] == ["manage.py", "kb_sync"]


def test_kb_sync_lists_the_sources(folder):
    source("help", location=str(folder), every_minutes=1440, at=dt.time(2, 0))
    listed = sync("--list")
    assert listed.startswith(f"help [acme]: files {folder}; every 1 d at 02:00, enabled; next run ")
    assert listed.rstrip().endswith("never run")
    assert not IndexingRun.objects.exists()  # nothing ran
